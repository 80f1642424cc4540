"""``vaultplan.aws`` holds AWS's facts and leans on nothing else of vaultplan.

Each module is imported in a fresh interpreter; afterwards ``sys.modules`` may hold
``vaultplan`` and ``vaultplan.aws.*`` only.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import vaultplan.aws

MODULES = sorted(
    f"vaultplan.aws.{info.name}" for info in pkgutil.iter_modules(vaultplan.aws.__path__)
)


def test_the_package_has_its_topic_modules() -> None:
    assert "vaultplan.aws.arns" in MODULES and "vaultplan.aws.constraints" not in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_an_aws_module_imports_no_other_vaultplan_package(module: str) -> None:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('vaultplan'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert module in loaded
    assert [m for m in loaded if m != "vaultplan" and not m.startswith("vaultplan.aws")] == []
