"""Checking a JSON template imports neither the CDK (``aws_cdk``, ``jsii``) nor cfn-lint.

Each case runs in a fresh interpreter and lists the modules it loaded (``sys.modules``):
through the library (:func:`vaultplan.checks.check_paths`) and through the CLI's entry point.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = {
    "Resources": {
        "Vault": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "v"}}
    }
}

LIBRARY = """\
import sys
from pathlib import Path
from vaultplan.checks import check_paths
check_paths([Path(sys.argv[1])])
print("\\n".join(sys.modules), file=sys.stderr)
"""
# The CLI ends in sys.exit: the modules are listed at exit.
CLI = """\
import atexit, sys
atexit.register(lambda: print("\\n".join(sys.modules), file=sys.stderr))
from vaultplan.cli import main
sys.argv = ["vaultplan", "check", "--format", "json", sys.argv[1]]
main()
"""


def loaded(code: str, template: Path) -> set[str]:
    """The top-level packages that ``code`` loaded, checking ``template``."""
    result = subprocess.run(
        [sys.executable, "-c", code, str(template)],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode in (0, 1), result.stderr
    return {line.split(".")[0] for line in result.stderr.splitlines()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "stack.template.json"
    path.write_text(json.dumps(TEMPLATE))
    return path


@pytest.mark.parametrize("code", [LIBRARY, CLI], ids=["check_paths", "cli"])
def test_checking_a_json_template_loads_no_cdk(template: Path, code: str) -> None:
    assert loaded(code, template) & {"aws_cdk", "jsii"} == set()


@pytest.mark.parametrize("code", [LIBRARY, CLI], ids=["check_paths", "cli"])
def test_checking_a_json_template_loads_no_cfn_lint(template: Path, code: str) -> None:
    assert "cfnlint" not in loaded(code, template)
