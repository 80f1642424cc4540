"""The seed's system, written plainly (as CDK's L2 synthesizes it), through ``check``.

The write-up: a vault named after the site; plan ``<site>EFSBackupPlan`` with
``<site>DailyWarmBackup`` (``cron(0 8 * * ? *)``, deleted after 35 days) and
``<site>MonthlyColdBackup`` (``cron(0 8 1 * ? *)``, cold after 30, deleted after 365); a
selection of the EFS file system by ARN; a role for backup.amazonaws.com.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vaultplan.checks import Severity, check_template
from vaultplan.template import LoadedTemplate

MANAGED = {
    "Fn::Join": [
        "",
        [
            "arn:",
            {"Ref": "AWS::Partition"},
            ":iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        ],
    ]
}


def seed() -> dict[str, Any]:
    vault = {"Fn::GetAtt": ["Vault", "BackupVaultName"]}
    return {
        "Resources": {
            "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {"Encrypted": True}},
            "Vault": {
                "Type": "AWS::Backup::BackupVault",
                "Properties": {"BackupVaultName": "site"},
            },
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {
                    "BackupPlan": {
                        "BackupPlanName": "siteEFSBackupPlan",
                        "BackupPlanRule": [
                            {
                                "RuleName": "siteDailyWarmBackup",
                                "ScheduleExpression": "cron(0 8 * * ? *)",
                                "TargetBackupVault": vault,
                                "Lifecycle": {"DeleteAfterDays": 35},
                            },
                            {
                                "RuleName": "siteMonthlyColdBackup",
                                "ScheduleExpression": "cron(0 8 1 * ? *)",
                                "TargetBackupVault": vault,
                                "Lifecycle": {
                                    "MoveToColdStorageAfterDays": 30,
                                    "DeleteAfterDays": 365,
                                },
                            },
                        ],
                    }
                },
            },
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {
                                "Action": "sts:AssumeRole",
                                "Effect": "Allow",
                                "Principal": {"Service": "backup.amazonaws.com"},
                            }
                        ]
                    },
                    "ManagedPolicyArns": [MANAGED],
                },
            },
            "Selection": {
                "Type": "AWS::Backup::BackupSelection",
                "Properties": {
                    "BackupPlanId": {"Fn::GetAtt": ["Plan", "BackupPlanId"]},
                    "BackupSelection": {
                        "SelectionName": "siteEFS",
                        "IamRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                        "Resources": [
                            {
                                "Fn::Join": [
                                    "",
                                    [
                                        "arn:",
                                        {"Ref": "AWS::Partition"},
                                        ":elasticfilesystem:",
                                        {"Ref": "AWS::Region"},
                                        ":",
                                        {"Ref": "AWS::AccountId"},
                                        ":file-system/",
                                        {"Ref": "Fs"},
                                    ],
                                ]
                            }
                        ],
                    },
                },
            },
        }
    }


def test_seed_plan_has_no_error_and_says_which_daily_backups_the_monthly_rule_replaces() -> None:
    template = LoadedTemplate(path=Path("seed.json"), name="seed", body=seed())
    report = check_template(template, now=datetime(2026, 1, 1, tzinfo=UTC))
    by_id = {f.check_id: f for f in report.findings}
    assert not [f for f in report.findings if f.severity is Severity.ERROR]
    # Overlapping rules: the rule with the longer retention takes the backup
    # (AWS Backup developer guide):
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html
    overlap = by_id["VP207"]
    assert overlap.severity is Severity.INFO
    assert overlap.path[-1] == 0  # the daily rule loses
    assert "coincide 12 time(s) in the 365 days from 2026-01-01" in overlap.message
    assert "UTC 2026-01-01 08:00, 2026-02-01 08:00, 2026-03-01 08:00 and 9 more" in overlap.message
    assert (
        "AWS keeps only 'siteMonthlyColdBackup' (kept 365 days): the 'siteDailyWarmBackup' "
        "backups (kept 35 days) will not exist" in overlap.message
    )
    # The plain L2 version lacks what vaultplan's construct adds; coverage and role are fine.
    assert sorted(by_id) == ["VP201", "VP202", "VP203", "VP204", "VP207"]
    assert by_id["VP204"].severity is Severity.INFO
    assert report.not_applicable == ()
