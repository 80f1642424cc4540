"""The plan options' examples synthesize to what AWS accepts: ``examples/plan-options.toml``
(a preset with ``[plan]``'s rule keys, S3 and VSS settings, an existing scanner role) and
``examples/all-features.toml`` (rules with archive, index and scan, a created scanner role):
the right properties, cfn-lint clean in their Region, and cdk-nag clean with the scanning
suppressions used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cdk_nag
import pytest
from aws_cdk import App, Aspects
from cfnlint.api import ManualArgs, lint_file

from cli_support import ROOT, run_vaultplan
from vaultplan.cdk.app import build_stack
from vaultplan.cdk.suppressions import SCANNING_SUPPRESSIONS
from vaultplan.config import load_config

EXAMPLES = ROOT / "examples"
ARCHIVE = "OptInToArchiveForSupportedResources"
pytestmark = pytest.mark.slow


def synth(example: str, work: Path) -> tuple[Path, dict[str, Any]]:
    result = run_vaultplan(
        "synth", "--config", str(EXAMPLES / example), "--out", "out", "--format", "json", cwd=work
    )
    assert result.returncode == 0, result.stderr
    path = work / json.loads(result.stdout)["template"]
    return path, json.loads(path.read_text())


def plan_body(template: dict[str, Any]) -> dict[str, Any]:
    (plan,) = [
        r
        for lid, r in template["Resources"].items()
        if r["Type"] == "AWS::Backup::BackupPlan" and not lid.startswith("BackupStrategyPlans")
    ]
    body: dict[str, Any] = plan["Properties"]["BackupPlan"]
    return body


def test_plan_keys_reach_every_preset_rule(tmp_path: Path) -> None:
    path, template = synth("plan-options.toml", tmp_path)
    plan = plan_body(template)
    assert plan["AdvancedBackupSettings"] == [
        {"ResourceType": "EC2", "BackupOptions": {"WindowsVSS": "disabled"}},
        {
            "ResourceType": "S3",
            "BackupOptions": {"BackupACLs": "disabled", "BackupObjectTags": "disabled"},
        },
    ]
    assert plan["ScanSettings"] == [
        {
            "MalwareScanner": "GUARDDUTY",
            "ResourceTypes": ["EBS", "EC2", "S3"],
            "ScannerRoleArn": "arn:aws:iam::111111111111:role/BackupScanner",
        }
    ]
    daily, monthly = plan["BackupPlanRule"]
    for rule in (daily, monthly):
        assert rule["IndexActions"] == [{"ResourceTypes": ["EBS"]}]
        assert rule["ScanActions"] == [{"MalwareScanner": "GUARDDUTY", "ScanMode": "FULL_SCAN"}]
        assert rule["CopyActions"][0]["Lifecycle"][ARCHIVE] is True
    assert ARCHIVE not in daily["Lifecycle"]
    assert monthly["Lifecycle"][ARCHIVE] is True
    roles = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    assert "malware-protection.guardduty" not in json.dumps(roles)  # the existing role is used
    assert [str(m) for m in lint_file(path, ManualArgs(regions=["eu-west-1"]))] == []


def test_all_features_is_cfn_lint_clean_with_the_plan_options(tmp_path: Path) -> None:
    path, template = synth("all-features.toml", tmp_path)
    plan = plan_body(template)
    assert plan["AdvancedBackupSettings"] == [
        {"ResourceType": "EC2", "BackupOptions": {"WindowsVSS": "enabled"}}
    ]
    assert plan["ScanSettings"][0]["ResourceTypes"] == ["EBS", "EC2"]
    assert [str(m) for m in lint_file(path, ManualArgs(regions=["eu-west-1"]))] == []


def test_cdk_nag_is_clean_and_uses_the_scanning_suppressions(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    build_stack(app, load_config(EXAMPLES / "all-features.toml"))
    for pack in (
        cdk_nag.AwsSolutionsChecks,
        cdk_nag.HIPAASecurityChecks,
        cdk_nag.NIST80053R5Checks,
    ):
        Aspects.of(app).add(pack(log_ignores=True, reports=False))
    messages = [m for stack in app.synth().stacks for m in stack.messages]
    assert [m.entry.data for m in messages if m.level in ("error", "warning")] == []
    suppressed = " ".join(str(m.entry.data) for m in messages)
    for item in SCANNING_SUPPRESSIONS:
        assert item.applies_to[0].rsplit("/", 1)[-1] in suppressed, item.resource
