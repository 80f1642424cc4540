"""``examples/*.toml`` turn every feature on, and they synthesize through the CLI.

Issue 5, "Done when": a config that turns every feature on synthesizes. One config can't hold
everything: ``[plan] preset`` and ``[[rules]]`` exclude each other, so
``examples/all-features.toml`` writes its rules out and ``examples/gfs-preset.toml`` uses the
preset. Every key ``vaultplan init`` writes (commented out or not) is set in one of them, and
each feature shows in the template ``vaultplan synth --config <example>`` writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from compliance_support import init_keys

from cli_support import ROOT, run_vaultplan
from vaultplan.config.template import default_config_text

EXAMPLES = ROOT / "examples"
# Two synths through the CLI (~40 s).
pytestmark = pytest.mark.slow


def resources(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def top_level(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    """The resources of the top-level plan (``BackupStrategy/Plan``, ``Selection``...), not
    of a ``[[plans]]`` one (``BackupStrategy/Plans/<name>/...``)."""
    return [
        r
        for lid, r in template["Resources"].items()
        if r["Type"] == resource_type and not lid.startswith("BackupStrategyPlans")
    ]


def synth(example: str, work: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON summary ``vaultplan synth`` prints, and the template it writes."""
    result = run_vaultplan(
        "synth", "--config", str(EXAMPLES / example), "--out", "out", "--format", "json", cwd=work
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary, json.loads((work / summary["template"]).read_text())


@pytest.fixture(scope="module")
def all_features(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    return synth("all-features.toml", tmp_path_factory.mktemp("all-features"))


@pytest.fixture(scope="module")
def template(all_features: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    return all_features[1]


@pytest.fixture(scope="module")
def rules(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (plan,) = top_level(template, "AWS::Backup::BackupPlan")
    return {r["RuleName"]: r for r in plan["Properties"]["BackupPlan"]["BackupPlanRule"]}


def test_the_examples_set_every_key_vaultplan_init_writes() -> None:
    in_examples = {
        key
        for path in EXAMPLES.glob("*.toml")
        for key in init_keys(path.read_text(), commented=False)
    }
    assert sorted(set(init_keys(default_config_text())) - in_examples) == []


def test_new_file_system_in_a_flow_logged_vpc(template: dict[str, Any]) -> None:
    (file_system,) = resources(template, "AWS::EFS::FileSystem")
    assert file_system["Properties"]["Encrypted"] is True
    (flow_log,) = resources(template, "AWS::EC2::FlowLog")
    assert flow_log["Properties"]["ResourceType"] == "VPC"
    assert flow_log["Properties"]["TrafficType"] == "ALL"
    # the flow log's group (the restore drill has its own two)
    (log_group,) = [
        r
        for lid, r in template["Resources"].items()
        if r["Type"] == "AWS::Logs::LogGroup" and lid.startswith("VpcFlowLog")
    ]
    assert log_group["Properties"]["RetentionInDays"] == 365
    assert "KmsKeyId" in log_group["Properties"]


def test_existing_file_system_by_id_is_selected(template: dict[str, Any]) -> None:
    listed = json.dumps(
        [
            s["Properties"]["BackupSelection"]
            for s in resources(template, "AWS::Backup::BackupSelection")
        ]
    )
    assert ":elasticfilesystem:eu-west-1:111111111111:file-system/fs-0123456789abcdef0" in listed
    assert "FileSystem8A8E25C0" in listed  # the new one, by GetAtt


def test_selection_of_other_types_with_exclusion_and_and_conditions(
    template: dict[str, Any],
) -> None:
    (selection,) = top_level(template, "AWS::Backup::BackupSelection")
    body = selection["Properties"]["BackupSelection"]
    assert body["Resources"][2:] == [
        "arn:aws:rds:eu-west-1:111111111111:db:shop",
        "arn:aws:dynamodb:eu-west-1:111111111111:table/orders",
        "arn:aws:ec2:*:*:volume/*",
        "arn:aws:s3:::allfeatures-uploads",
        "arn:aws:ec2:eu-west-1:111111111111:instance/*",
    ]
    assert body["NotResources"] == [
        "arn:aws:ec2:eu-west-1:111111111111:volume/vol-0123456789abcdef0"
    ]
    assert "ListOfTags" not in body  # OR semantics; Conditions combine with AND
    assert sorted(body["Conditions"]) == [
        "StringEquals",
        "StringLike",
        "StringNotEquals",
        "StringNotLike",
    ]


def test_an_s3_bucket_in_the_selection_gives_the_role_the_s3_policies(
    all_features: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    summary, template = all_features
    (role,) = [
        r
        for r in resources(template, "AWS::IAM::Role")
        if r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
        == {"Service": "backup.amazonaws.com"}
    ]
    names = [
        a["Fn::Join"][1][-1].rsplit("/", 1)[-1] for a in role["Properties"]["ManagedPolicyArns"]
    ]
    assert names[2:4] == [
        "AWSBackupServiceRolePolicyForS3Backup",
        "AWSBackupServiceRolePolicyForS3Restore",
    ]
    assert "AWSBackupServiceRolePolicyForS3Restore" in summary["role"]
    assert any("versioning" in note for note in summary["notes"])


def test_vault_key_access_policy_lock_and_notifications(template: dict[str, Any]) -> None:
    (vault,) = resources(template, "AWS::Backup::BackupVault")
    props = vault["Properties"]
    assert vault["DeletionPolicy"] == "Retain"
    assert props["EncryptionKeyArn"] == {"Fn::GetAtt": ["BackupStrategyKey72985BAE", "Arn"]}
    (deny,) = props["AccessPolicy"]["Statement"]
    assert (deny["Effect"], deny["Principal"]) == ("Deny", {"AWS": "*"})
    assert "arn:aws:iam::111111111111:role/BreakGlass" in json.dumps(deny["Condition"])
    assert props["LockConfiguration"] == {
        "ChangeableForDays": 3,
        "MaxRetentionDays": 365,
        "MinRetentionDays": 35,
    }
    assert props["Notifications"]["BackupVaultEvents"] == [
        "BACKUP_JOB_COMPLETED",
        "COPY_JOB_FAILED",
        "RESTORE_JOB_COMPLETED",
        "RECOVERY_POINT_MODIFIED",
    ]
    (topic,) = resources(template, "AWS::SNS::Topic")
    assert "KmsMasterKeyId" in topic["Properties"]
    (subscription,) = resources(template, "AWS::SNS::Subscription")
    assert subscription["Properties"]["Endpoint"] == "backup-alerts@example.com"


def test_rules_with_windows_time_zone_and_tags(rules: dict[str, dict[str, Any]]) -> None:
    daily = rules["allfeaturesDailyWarmBackup"]
    assert (daily["StartWindowMinutes"], daily["CompletionWindowMinutes"]) == (60, 600)
    assert daily["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert daily["RecoveryPointTags"] == {"team": "storage", "rule": "daily"}
    assert "EnableContinuousBackup" not in daily
    monthly = rules["allfeaturesMonthlyColdBackup"]
    assert monthly["Lifecycle"] == {
        "MoveToColdStorageAfterDays": 30,
        "DeleteAfterDays": 365,
        "OptInToArchiveForSupportedResources": True,
    }


def test_copy_actions_to_another_region_and_another_account(
    all_features: tuple[dict[str, Any], dict[str, Any]], rules: dict[str, dict[str, Any]]
) -> None:
    summary, _ = all_features
    for rule in rules.values():
        by_arn = [c for c in rule["CopyActions"] if isinstance(c["DestinationBackupVaultArn"], str)]
        # (the third copy goes to the air-gapped vault: test_compliance_vault_features.py)
        assert [c["DestinationBackupVaultArn"].split(":")[3:5] for c in by_arn] == [
            ["eu-central-1", "111111111111"],
            ["eu-west-1", "222222222222"],
        ]
    assert rules["allfeaturesDailyWarmBackup"]["CopyActions"][1]["Lifecycle"] == {
        "DeleteAfterDays": 97,
        "MoveToColdStorageAfterDays": 7,
    }
    (cross_account,) = summary["cross_account_copies"]
    (statement,) = cross_account["access_policy"]["Statement"]
    assert statement["Action"] == "backup:CopyIntoBackupVault"
    assert statement["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}


def test_restore_testing_plan_and_its_selection(template: dict[str, Any]) -> None:
    (plan,) = resources(template, "AWS::Backup::RestoreTestingPlan")
    assert plan["Properties"]["RestoreTestingPlanName"] == "allfeaturesRestoreTest"
    assert plan["Properties"]["ScheduleExpression"] == "cron(0 12 ? * SUN *)"
    (selection,) = resources(template, "AWS::Backup::RestoreTestingSelection")
    assert selection["Properties"]["ProtectedResourceType"] == "EFS"
    assert selection["Properties"]["ValidationWindowHours"] == 4


def test_audit_framework_and_report_plans(template: dict[str, Any]) -> None:
    (framework,) = resources(template, "AWS::Backup::Framework")
    assert framework["Properties"]["FrameworkName"] == "allfeaturesBackupControls"
    controls = {c["ControlName"] for c in framework["Properties"]["FrameworkControls"]}
    assert "BACKUP_RECOVERY_POINT_ENCRYPTED" in controls
    templates = sorted(
        r["Properties"]["ReportSetting"]["ReportTemplate"]
        for r in resources(template, "AWS::Backup::ReportPlan")
    )
    assert templates == ["BACKUP_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT", "RESTORE_JOB_REPORT"]


def test_a_second_plan_beside_the_first_with_its_rules_and_selection(
    all_features: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    summary, template = all_features
    plans = {
        p["Properties"]["BackupPlan"]["BackupPlanName"]: p["Properties"]["BackupPlan"]
        for p in resources(template, "AWS::Backup::BackupPlan")
    }
    assert sorted(plans) == [
        "allfeaturesEFSBackupPlan",
        "allfeaturesLedger",
        "allfeaturesStandardTables",
    ]
    (daily,) = plans["allfeaturesStandardTables"]["BackupPlanRule"]
    assert (daily["RuleName"], daily["Lifecycle"]) == (
        "allfeaturesDailyBackup",
        {"DeleteAfterDays": 35},
    )
    (weekly,) = plans["allfeaturesLedger"]["BackupPlanRule"]
    assert (weekly["RuleName"], weekly["Lifecycle"]) == (
        "allfeaturesWeeklyBackup",
        {"DeleteAfterDays": 90},
    )
    assert (
        weekly["TargetBackupVault"]
        == plans["allfeaturesEFSBackupPlan"]["BackupPlanRule"][0]["TargetBackupVault"]
    )
    (selection,) = [
        s["Properties"]["BackupSelection"]
        for s in resources(template, "AWS::Backup::BackupSelection")
        if s["Properties"]["BackupSelection"]["SelectionName"] == "allfeaturesLedger"
    ]
    assert selection["Resources"] == [
        "arn:aws:rds:eu-west-1:111111111111:cluster:ledger",
        "arn:aws:dynamodb:eu-west-1:111111111111:table/ledger",
    ]
    assert [(p["name"], p["preset"]) for p in summary["plans"]] == [
        ("allfeaturesLedger", None),
        ("allfeaturesStandardTables", "daily-35"),
    ]


def test_gfs_preset_with_every_parameter(tmp_path: Path) -> None:
    _, template = synth("gfs-preset.toml", tmp_path)
    (plan,) = resources(template, "AWS::Backup::BackupPlan")
    got = {
        r["RuleName"]: (r["ScheduleExpression"], r["ScheduleExpressionTimezone"], r["Lifecycle"])
        for r in plan["Properties"]["BackupPlan"]["BackupPlanRule"]
    }
    assert got == {
        "gfsDailyBackup": ("cron(0 2 * * ? *)", "Europe/Berlin", {"DeleteAfterDays": 14}),
        "gfsWeeklyBackup": ("cron(0 2 ? * SAT *)", "Europe/Berlin", {"DeleteAfterDays": 56}),
        "gfsMonthlyBackup": (
            "cron(0 2 1 * ? *)",
            "Europe/Berlin",
            {"DeleteAfterDays": 372, "MoveToColdStorageAfterDays": 30},
        ),
        "gfsYearlyBackup": (
            "cron(0 2 1 1 ? *)",
            "Europe/Berlin",
            {"DeleteAfterDays": 2562, "MoveToColdStorageAfterDays": 60},
        ),
    }
    # [[plan.copy_actions]]: without a lifecycle each rule's copy keeps the rule's lifecycle;
    # with one, every rule's copy has it
    dr = "arn:aws:backup:eu-central-1:111111111111:backup-vault:gfs-dr"
    bunker = "arn:aws:backup:eu-central-1:222222222222:backup-vault:gfs-bunker"
    fixed = {"DeleteAfterDays": 400, "MoveToColdStorageAfterDays": 30}
    for rule in plan["Properties"]["BackupPlan"]["BackupPlanRule"]:
        assert rule["CopyActions"] == [
            {"DestinationBackupVaultArn": dr, "Lifecycle": rule["Lifecycle"]},
            {"DestinationBackupVaultArn": bunker, "Lifecycle": fixed},
        ], rule["RuleName"]
