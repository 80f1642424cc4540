"""The organization's two templates are clean under cfn-lint, checkov and cdk-nag.

The member-account template (``vaultplan synth --org``) for ``examples/org.toml`` and for the
same strategy with malware scanning (a second named role), and the management-account
template (``vaultplan org policy --out``), each as the default app is checked in this folder:
cfn-lint's errors and warnings in every Region (a StackSet may deploy anywhere), checkov's
failed checks, and cdk-nag's three packs (unsuppressed errors and warnings).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack
from cfnlint.api import ManualArgs, lint_file
from test_compliance_checkov import checkov_executable  # noqa: F401 (a fixture)
from test_compliance_nag import _nag_messages

from cli_support import ROOT
from vaultplan.cdk.app import build_member_stack, new_app, synth
from vaultplan.cdk.organizations import ManagementPolicyStack
from vaultplan.config import Config, parse_config
from vaultplan.config.loader import strategy_spec
from vaultplan.errors import InputError
from vaultplan.org.management import write_org_policy
from vaultplan.org.policy import backup_policies

# Three synths, and cdk-nag's packs over two of them (~40 s).
pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "org.toml"
SCANNING = (
    EXAMPLE.read_text()
    .replace('site_name = "shop"', 'site_name = "scan"')
    .replace(
        'recovery_point_tags = { team = "storage" }',
        'recovery_point_tags = { team = "storage" }\nmalware_scan_mode = "INCREMENTAL_SCAN"',
    )
    .replace("[selection.conditions]", "[plan.malware_scanning]\n[selection.conditions]")
)
CONFIGS = {"member": parse_config(EXAMPLE.read_text()), "scanning": parse_config(SCANNING)}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The member templates of both configs, and the example's management template."""
    work = tmp_path_factory.mktemp("org-compliance")
    out = {name: synth(config, work / name, org=True).template for name, config in CONFIGS.items()}
    config = CONFIGS["member"]
    assert config.org is not None
    files = write_org_policy(
        backup_policies(strategy_spec(config), config.org),
        config.org,
        work / "management",
        stack_name="shop-backup-management",
    )
    return out | {"management": files.template}


@pytest.mark.parametrize("name", ["member", "scanning", "management"])
def test_cfn_lint_reports_nothing_in_any_region(templates: dict[str, Path], name: str) -> None:
    matches = lint_file(templates[name], ManualArgs(regions=["ALL_REGIONS"]))
    assert [str(m) for m in matches] == []


def test_the_scanning_member_stack_makes_both_named_roles(templates: dict[str, Path]) -> None:
    template: dict[str, Any] = json.loads(templates["scanning"].read_text())
    roles = {
        r["Properties"]["RoleName"]: r["Condition"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Role"
    }
    assert sorted(roles) == ["scan-backup-role", "scan-backup-scanner"]
    assert len(set(roles.values())) == 1  # both in the first Region only


def test_checkov_has_no_failed_check(
    checkov_executable: str,  # noqa: F811
    templates: dict[str, Path],
) -> None:
    args = [arg for path in templates.values() for arg in ("--file", str(path))]
    options = ["--framework", "cloudformation", "--output", "json", "--skip-download"]
    result = subprocess.run(
        [checkov_executable, *args, *options],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    report: dict[str, Any] = json.loads(result.stdout)
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 0
    failed = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    assert failed == []


@pytest.fixture(scope="module")
def nag() -> dict[str, list[Any]]:
    """cdk-nag's messages on each member stack and on the management stack."""
    with tempfile.TemporaryDirectory() as outdir:
        app = new_app(outdir=outdir)
        stacks: dict[str, Stack] = {
            name: build_member_stack(app, config) for name, config in CONFIGS.items()
        }
        config = CONFIGS["member"]
        assert config.org is not None
        stacks["management"] = ManagementPolicyStack(
            app,
            "shop-backup-management",
            policies=backup_policies(strategy_spec(config), config.org),
            target_ids=config.org.target_ids,
        )
        return _nag_messages(app, stacks)


@pytest.mark.parametrize("name", ["member", "scanning", "management"])
def test_cdk_nag_reports_no_unsuppressed_error_or_warning(
    nag: dict[str, list[Any]], name: str
) -> None:
    assert [m for m in nag[name] if m.level != "info"] == []


def test_the_member_stacks_use_the_strategys_suppressions_where_they_are_listed(
    nag: dict[str, list[Any]],
) -> None:
    # THEN cdk-nag ran, and the single-account strategy's suppressions cover the same roles
    # (their paths are the same: BackupStrategy/Role/Resource...)
    used = {
        name: sorted(
            {(m.path, m.text.split(" ", 1)[0]) for m in nag[name] if m.rule == "CdkNagSuppression"}
        )
        for name in ("member", "scanning")
    }
    assert used == {
        "member": [("BackupStrategy/Role/Resource", "AwsSolutions-IAM4")],
        "scanning": [
            ("BackupStrategy/Role/Resource", "AwsSolutions-IAM4"),
            ("BackupStrategy/ScannerRole/Resource", "AwsSolutions-IAM4"),
        ],
    }


def test_config_without_org_is_not_a_member_stack() -> None:
    with pytest.raises(InputError, match=r"--org: no \[org\] section"):
        build_member_stack(new_app(), Config())
