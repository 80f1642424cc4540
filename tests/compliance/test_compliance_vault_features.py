"""Issue 13's vault, role and audit rows through the CLI, and the tools still clean.

``examples/all-features.toml`` turns on the logically air-gapped vault and its copies, the
role's permissions boundary, the removal policy and the new audit controls, and copies into
another account, so ``vaultplan synth`` also writes that account's destination stack.
``examples/existing-vault.toml`` backs up into an existing vault (it can't coexist with the
all-features vault's key, lock and notifications). Each template is cfn-lint clean in its
Region, checkov clean (with ``VAULTPLAN_CHECKOV``) and has no ``vaultplan check`` error or
warning.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file

from cli_support import ROOT, run_vaultplan

EXAMPLES = ROOT / "examples"
pytestmark = pytest.mark.slow


def synth(example: str, work: Path) -> dict[str, Any]:
    result = run_vaultplan(
        "synth", "--config", str(EXAMPLES / example), "--out", "out", "--format", "json", cwd=work
    )
    assert result.returncode == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def load(work: Path, path: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((work / path).read_text())
    return body


def of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == resource_type}


@pytest.fixture(scope="module")
def all_features(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    work = tmp_path_factory.mktemp("vault-features")
    return work, synth("all-features.toml", work)


@pytest.fixture(scope="module")
def existing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    work = tmp_path_factory.mktemp("existing-vault")
    return work, synth("existing-vault.toml", work)


def test_air_gapped_vault_receives_copies_within_its_bounds(
    all_features: tuple[Path, dict[str, Any]],
) -> None:
    work, summary = all_features
    template = load(work, summary["template"])
    ((lid, vault),) = of_type(template, "AWS::Backup::LogicallyAirGappedBackupVault").items()
    assert vault["Properties"] == {
        "BackupVaultName": "allfeatures-air-gapped",
        "MinRetentionDays": 35,
        "MaxRetentionDays": 365,
    }
    (plan,) = [
        p
        for p in of_type(template, "AWS::Backup::BackupPlan").values()
        if p["Properties"]["BackupPlan"]["BackupPlanName"] == "allfeaturesEFSBackupPlan"
    ]
    into = [
        action["Lifecycle"]["DeleteAfterDays"]
        for rule in plan["Properties"]["BackupPlan"]["BackupPlanRule"]
        for action in rule["CopyActions"]
        if action["DestinationBackupVaultArn"] == {"Fn::GetAtt": [lid, "BackupVaultArn"]}
    ]
    assert into == [35, 365]


def test_role_boundary_retained_vault_and_new_controls(
    all_features: tuple[Path, dict[str, Any]],
) -> None:
    work, summary = all_features
    template = load(work, summary["template"])
    roles = of_type(template, "AWS::IAM::Role")
    # Every role the stack creates: the backup role, the scanner's, the drill's two, the VPC
    # flow log's.
    principals = sorted(
        r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"]
        for r in roles.values()
    )
    assert principals == [
        "backup.amazonaws.com",
        "lambda.amazonaws.com",
        "lambda.amazonaws.com",
        "malware-protection.guardduty.amazonaws.com",
        "vpc-flow-logs.amazonaws.com",
    ]
    assert {lid: r["Properties"].get("PermissionsBoundary") for lid, r in roles.items()} == {
        lid: "arn:aws:iam::111111111111:policy/BackupBoundary" for lid in roles
    }
    (vault,) = of_type(template, "AWS::Backup::BackupVault").values()
    assert vault["DeletionPolicy"] == "Retain"
    (framework,) = of_type(template, "AWS::Backup::Framework").values()
    names = {c["ControlName"] for c in framework["Properties"]["FrameworkControls"]}
    assert {
        "BACKUP_LAST_RECOVERY_POINT_CREATED",
        "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
        "RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT",
    } <= names


def test_destination_stack_is_written_for_the_other_account(
    all_features: tuple[Path, dict[str, Any]],
) -> None:
    work, summary = all_features
    assert summary["destination_templates"] == [
        "out/allfeatures-destination-222222222222.template.json"
    ]
    (copy,) = summary["cross_account_copies"]
    assert copy["destination_stack"] == "allfeatures-destination-222222222222"
    template = load(work, summary["destination_templates"][0])
    (vault,) = of_type(template, "AWS::Backup::BackupVault").values()
    assert vault["Properties"]["BackupVaultName"] == "allfeatures-bunker"
    assert vault["Properties"]["AccessPolicy"] == copy["access_policy"]


def test_existing_vault_is_targeted_and_not_created(
    existing: tuple[Path, dict[str, Any]],
) -> None:
    work, summary = existing
    template = load(work, summary["template"])
    assert of_type(template, "AWS::Backup::BackupVault") == {}
    assert of_type(template, "AWS::KMS::Key") == {}
    (plan,) = of_type(template, "AWS::Backup::BackupPlan").values()
    targets = {r["TargetBackupVault"] for r in plan["Properties"]["BackupPlan"]["BackupPlanRule"]}
    assert targets == {"central-backups"}
    assert summary["vault"] == "arn:aws:backup:eu-west-1:111111111111:backup-vault:central-backups"
    assert any("must be in the stack's account and Region" in d for d in summary["vault_details"])


def templates(
    all_features: tuple[Path, dict[str, Any]], existing: tuple[Path, dict[str, Any]]
) -> list[Path]:
    return [
        work / path
        for work, summary in (all_features, existing)
        for path in (summary["template"], *summary["destination_templates"])
    ]


def test_cfn_lint_is_clean_in_the_examples_region(
    all_features: tuple[Path, dict[str, Any]], existing: tuple[Path, dict[str, Any]]
) -> None:
    for path in templates(all_features, existing):
        assert [str(m) for m in lint_file(path, ManualArgs(regions=["eu-west-1"]))] == [], path


def test_vaultplan_check_has_no_error_or_warning(
    all_features: tuple[Path, dict[str, Any]], existing: tuple[Path, dict[str, Any]]
) -> None:
    for path in templates(all_features, existing):
        # In its Region (eu-west-1, the config's), every resource type exists (VP212).
        result = run_vaultplan(
            "check", str(path), "--format", "json", "-p", "AWS::Region=eu-west-1", cwd=path.parent
        )
        report = json.loads(result.stdout)
        assert (report["summary"]["errors"], report["summary"]["warnings"]) == (0, 0), (
            path,
            [f for f in report["findings"] if f["severity"] != "info"],
        )


def test_checkov_passes_every_template(
    all_features: tuple[Path, dict[str, Any]], existing: tuple[Path, dict[str, Any]]
) -> None:
    executable = os.environ.get("VAULTPLAN_CHECKOV")
    if not executable:
        pytest.skip("VAULTPLAN_CHECKOV is not set (make pytest sets it)")
    for path in templates(all_features, existing):
        result = subprocess.run(
            [
                executable,
                *("--file", str(path), "--framework", "cloudformation"),
                *("--output", "json", "--skip-download"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        report = json.loads(result.stdout)
        assert report["summary"]["failed"] == 0, (path, report["results"]["failed_checks"])
