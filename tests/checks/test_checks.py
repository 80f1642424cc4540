"""One compliant and one non-compliant named case per check, on small inline templates.

GIVEN a complete, compliant template (``good()``), WHEN one thing is changed, THEN exactly
the check about that thing reports it (or, for the compliant case, nothing). Each case cites
the public source (AWS documentation page) of the AWS fact it encodes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from plan_option_cases import PLAN_OPTION_CASES

from cli_support import backup_role
from vaultplan.checks import Finding, Severity, all_checks, check_template
from vaultplan.checks.org_policy import POLICY_CHECKS
from vaultplan.checks.runner import TemplateReport
from vaultplan.spec.copy import SOURCE_KEY_ACTIONS
from vaultplan.template import LoadedTemplate

NOW = datetime(2026, 1, 1, tzinfo=UTC)
MANAGED = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
DR_VAULT = "arn:aws:backup:us-west-2:111122223333:backup-vault:dr"

Template = dict[str, Any]


def good() -> Template:
    """A template every check passes: CMK, lock, notifications, copies, coverage, role."""
    copy_action = {"DestinationBackupVaultArn": DR_VAULT, "Lifecycle": {"DeleteAfterDays": 35}}
    return {
        "Resources": {
            "Key": {
                "Type": "AWS::KMS::Key",
                "Properties": {
                    "KeyPolicy": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {
                                    "AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}
                                },
                                "Action": "kms:*",
                                "Resource": "*",
                            },
                            # the copy to DR_VAULT's account (VP210)
                            {
                                "Effect": "Allow",
                                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                                "Action": list(SOURCE_KEY_ACTIONS),
                                "Resource": "*",
                            },
                        ]
                    }
                },
            },
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Vault": {
                "Type": "AWS::Backup::BackupVault",
                # The compliance lock makes the vault undeletable (VP216).
                "DeletionPolicy": "Retain",
                "Properties": {
                    "BackupVaultName": "site-vault",
                    "EncryptionKeyArn": {"Fn::GetAtt": ["Key", "Arn"]},
                    "LockConfiguration": {
                        "ChangeableForDays": 3,
                        "MinRetentionDays": 7,
                        "MaxRetentionDays": 400,
                    },
                    "Notifications": {
                        "BackupVaultEvents": ["BACKUP_JOB_COMPLETED"],
                        "SNSTopicArn": {"Ref": "Topic"},
                    },
                },
            },
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {
                    "BackupPlan": {
                        "BackupPlanName": "site-plan",
                        "BackupPlanRule": [
                            {
                                "RuleName": "Daily",
                                "ScheduleExpression": "cron(0 8 * * ? *)",
                                "StartWindowMinutes": 60,
                                "CompletionWindowMinutes": 120,
                                "TargetBackupVault": {"Ref": "Vault"},
                                "Lifecycle": {"DeleteAfterDays": 35},
                                "CopyActions": [copy.deepcopy(copy_action)],
                            },
                            {
                                "RuleName": "Monthly",
                                "ScheduleExpression": "cron(0 20 15 * ? *)",
                                "StartWindowMinutes": 60,
                                "TargetBackupVault": {"Ref": "Vault"},
                                "Lifecycle": {
                                    "MoveToColdStorageAfterDays": 30,
                                    "DeleteAfterDays": 365,
                                },
                                "CopyActions": [copy.deepcopy(copy_action)],
                            },
                        ],
                    }
                },
            },
            "Role": backup_role([{"Fn::Sub": MANAGED}]),
            "Selection": {
                "Type": "AWS::Backup::BackupSelection",
                "Properties": {
                    "BackupPlanId": {"Ref": "Plan"},
                    "BackupSelection": {
                        "SelectionName": "site-efs",
                        "IamRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                        "Resources": [{"Fn::GetAtt": ["Fs", "Arn"]}],
                    },
                },
            },
            "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {"Encrypted": True}},
        }
    }


def run(body: Template, **parameters: str) -> TemplateReport:
    template = LoadedTemplate(path=Path("inline.yaml"), name="inline", body=body)
    return check_template(template, parameters, now=NOW)


def findings(body: Template, check_id: str, **parameters: str) -> list[Finding]:
    return [f for f in run(body, **parameters).findings if f.check_id == check_id]


# -- helpers that change one thing ------------------------------------------------------------
def res(t: Template, lid: str) -> dict[str, Any]:
    props: dict[str, Any] = t["Resources"][lid].setdefault("Properties", {})
    return props


def rule(t: Template, i: int = 0) -> dict[str, Any]:
    rules: list[dict[str, Any]] = res(t, "Plan")["BackupPlan"]["BackupPlanRule"]
    return rules[i]


def sel(t: Template) -> dict[str, Any]:
    selection: dict[str, Any] = res(t, "Selection")["BackupSelection"]
    return selection


def inline_policy(t: Template, actions: str | list[str]) -> None:
    """Replace the role's managed policies by one inline statement allowing ``actions``."""
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    res(t, "Role").update(
        ManagedPolicyArns=[],
        Policies=[{"PolicyName": "b", "PolicyDocument": {"Statement": [statement]}}],
    )


def tag(key: str, value: str) -> dict[str, str]:
    """A ``ListOfTags`` entry."""
    return {"ConditionType": "STRINGEQUALS", "ConditionKey": key, "ConditionValue": value}


def add(t: Template, lid: str, rtype: str, **props: Any) -> None:
    t["Resources"][lid] = {"Type": rtype, "Properties": props}


Change = Callable[[Template], Any]


def test_the_good_template_has_no_finding_and_nothing_undecided() -> None:
    report = run(good())
    assert report.findings == ()
    assert report.not_applicable == ()


def test_every_check_has_metadata() -> None:
    checks = all_checks()
    assert [c.id for c in checks] == sorted({c.id for c in checks})
    for c in checks:
        assert c.id.startswith("VP") and len(c.id) == 5
        assert c.shortdesc and c.explanation
        assert c.source_url.startswith("https://docs.aws.amazon.com/")
        expected = {"1": Severity.ERROR, "2": Severity.WARNING, "3": Severity.INFO}.get(c.id[2])
        assert expected is None or c.severity is expected


# (check id, case id, change, expected message part or None for compliant)
CASES: list[tuple[str, str, Change, str | None]] = [
    # vault ^[a-zA-Z0-9\-_]{2,50}$
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html)
    ("VP101", "vault-name-ok", lambda t: res(t, "Vault").update(BackupVaultName="a_b-9"), None),
    (
        "VP101",
        "vault-name-with-dot",
        lambda t: res(t, "Vault").update(BackupVaultName="a.b"),
        "'a.b'",
    ),
    (
        "VP102",
        "plan-name-with-dot-ok",
        lambda t: res(t, "Plan")["BackupPlan"].update(BackupPlanName="a.b"),
        None,
    ),
    (
        "VP102",
        "plan-name-with-space",
        lambda t: res(t, "Plan")["BackupPlan"].update(BackupPlanName="my plan"),
        "'my plan'",
    ),
    ("VP103", "rule-name-50-chars", lambda t: rule(t).update(RuleName="r" * 50), None),
    ("VP103", "rule-name-51-chars", lambda t: rule(t).update(RuleName="r" * 51), "r" * 51),
    ("VP104", "selection-name-ok", lambda t: sel(t).update(SelectionName="efs.1"), None),
    ("VP104", "selection-name-slash", lambda t: sel(t).update(SelectionName="efs/1"), "'efs/1'"),
    # cron syntax (EventBridge user guide,
    # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)
    # and schedule: hourly at most
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html),
    # no rate() (https://github.com/hashicorp/terraform-provider-aws/issues/8269)
    (
        "VP105",
        "schedule-hourly",
        lambda t: rule(t).update(ScheduleExpression="cron(0 * * * ? *)"),
        None,
    ),
    (
        "VP105",
        "schedule-rate",
        lambda t: rule(t).update(ScheduleExpression="rate(1 day)"),
        "'rate(1 day)'",
    ),
    (
        "VP105",
        "schedule-both-days",
        lambda t: rule(t).update(ScheduleExpression="cron(0 8 1 * MON *)"),
        "cron(0 8 1 * MON *)",
    ),
    (
        "VP105",
        "schedule-every-30-min",
        lambda t: rule(t).update(ScheduleExpression="cron(0/30 * * * ? *)"),
        "hourly",
    ),
    # delete >= cold + 90; at most 36,500
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html)
    (
        "VP106",
        "lifecycle-cold-plus-90",
        lambda t: rule(t).update(
            Lifecycle={"MoveToColdStorageAfterDays": 10, "DeleteAfterDays": 100}
        ),
        None,
    ),
    (
        "VP106",
        "lifecycle-cold-plus-89",
        lambda t: rule(t).update(
            Lifecycle={"MoveToColdStorageAfterDays": 10, "DeleteAfterDays": 99}
        ),
        "delete_after_days=99",
    ),
    (
        "VP106",
        "lifecycle-over-100-years",
        lambda t: rule(t).update(Lifecycle={"DeleteAfterDays": 36501}),
        "36501",
    ),
    # start window at least 60
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html)
    ("VP107", "start-window-60", lambda t: rule(t).update(StartWindowMinutes=60), None),
    ("VP107", "start-window-59", lambda t: rule(t).update(StartWindowMinutes=59), "59"),
    ("VP108", "completion-window-1", lambda t: rule(t).update(CompletionWindowMinutes=1), None),
    ("VP108", "completion-window-0", lambda t: rule(t).update(CompletionWindowMinutes=0), "got 0"),
    (
        "VP109",
        "timezone-iana",
        lambda t: rule(t).update(ScheduleExpressionTimezone="Europe/Paris"),
        None,
    ),
    (
        "VP109",
        "timezone-abbreviation",
        lambda t: rule(t).update(ScheduleExpressionTimezone="CEST"),
        "'CEST'",
    ),
    # 500 ARNs, or 30 with wildcards
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html)
    (
        "VP110",
        "500-arns",
        lambda t: sel(t).update(
            Resources=[f"arn:aws:ec2:us-east-1:1:volume/vol-{i}" for i in range(500)]
        ),
        None,
    ),
    (
        "VP110",
        "501-arns",
        lambda t: sel(t).update(
            Resources=[f"arn:aws:ec2:us-east-1:1:volume/vol-{i}" for i in range(501)]
        ),
        "got 501 ARNs",
    ),
    (
        "VP110",
        "31-arns-one-wildcard",
        lambda t: sel(t).update(
            Resources=["arn:aws:ec2:*:*:volume/*"]
            + [f"arn:aws:ec2:us-east-1:1:volume/vol-{i}" for i in range(30)]
        ),
        "31 ARNs, 1 with a wildcard",
    ),
    (
        "VP110",
        "31-not-resources-wildcard",
        lambda t: sel(t).update(
            NotResources=[f"arn:aws:ec2:*:*:volume/vol-{i}*" for i in range(31)]
        ),
        "NotResources",
    ),
    # continuous backup: 1-35 days, no cold
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html)
    (
        "VP111",
        "continuous-35-days",
        lambda t: rule(t).update(EnableContinuousBackup=True, Lifecycle={"DeleteAfterDays": 35}),
        None,
    ),
    (
        "VP111",
        "continuous-36-days",
        lambda t: rule(t).update(EnableContinuousBackup=True, Lifecycle={"DeleteAfterDays": 36}),
        "got 36",
    ),
    (
        "VP111",
        "continuous-with-cold",
        lambda t: rule(t).update(
            EnableContinuousBackup="true",
            Lifecycle={"MoveToColdStorageAfterDays": 1, "DeleteAfterDays": 30},
        ),
        "cold storage",
    ),
    # the lifecycle rules apply to copy actions too (AWS Backup API reference,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html)
    (
        "VP112",
        "copy-lifecycle-ok",
        lambda t: rule(t)["CopyActions"][0].update(
            Lifecycle={"MoveToColdStorageAfterDays": 1, "DeleteAfterDays": 91}
        ),
        None,
    ),
    (
        "VP112",
        "copy-lifecycle-cold-too-short",
        lambda t: rule(t)["CopyActions"][0].update(
            Lifecycle={"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 60}
        ),
        "CopyActions[0].Lifecycle",
    ),
    # vault lock (AWS Backup API reference, PutBackupVaultLockConfiguration):
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
    (
        "VP113",
        "lock-governance-min-only",
        lambda t: res(t, "Vault").update(LockConfiguration={"MinRetentionDays": 1}),
        None,
    ),
    (
        "VP113",
        "lock-changeable-2-days",
        lambda t: res(t, "Vault")["LockConfiguration"].update(ChangeableForDays=2),
        "changeable_for_days: got 2",
    ),
    (
        "VP113",
        "lock-min-0",
        lambda t: res(t, "Vault")["LockConfiguration"].update(MinRetentionDays=0),
        "min_retention_days: got 0",
    ),
    (
        "VP113",
        "lock-max-36501",
        lambda t: res(t, "Vault")["LockConfiguration"].update(MaxRetentionDays=36501),
        "36501",
    ),
    (
        "VP113",
        "lock-max-below-min",
        lambda t: res(t, "Vault")["LockConfiguration"].update(
            MinRetentionDays=30, MaxRetentionDays=20
        ),
        "max_retention_days must be at least",
    ),
    # botocore PutBackupVaultLockConfigurationInput: MinRetentionDays required in CloudFormation
    (
        "VP113",
        "lock-without-min",
        lambda t: res(t, "Vault").update(LockConfiguration={"ChangeableForDays": 3}),
        "MinRetentionDays: not set",
    ),
    # botocore: jobs shorter than MinRetentionDays or longer than MaxRetentionDays fail
    (
        "VP116",
        "retention-inside-lock",
        lambda t: res(t, "Vault")["LockConfiguration"].update(MinRetentionDays=35),
        None,
    ),
    (
        "VP116",
        "retention-below-lock-min",
        lambda t: res(t, "Vault")["LockConfiguration"].update(MinRetentionDays=36),
        "got 35; vault Vault locks retention to at least 36 days",
    ),
    (
        "VP116",
        "kept-forever-above-lock-max",
        lambda t: rule(t, 1)["Lifecycle"].pop("DeleteAfterDays"),
        "not set (points kept forever); vault Vault locks retention to at most 400 days",
    ),
    # vault notification events
    # (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1188);
    # botocore is the authority
    (
        "VP114",
        "events-copy-failed",
        lambda t: res(t, "Vault")["Notifications"]["BackupVaultEvents"].append("COPY_JOB_FAILED"),
        None,
    ),
    # API_PutBackupVaultNotifications: deprecated events "do not return statuses or
    # notifications"; CloudFormation refused them (cloudformation-coverage-roadmap#1188)
    (
        "VP114",
        "events-deprecated-failed",
        lambda t: res(t, "Vault")["Notifications"]["BackupVaultEvents"].append("BACKUP_JOB_FAILED"),
        "got 'BACKUP_JOB_FAILED'; AWS Backup no longer sends this deprecated event "
        "(API_PutBackupVaultNotifications): use BACKUP_JOB_COMPLETED instead",
    ),
    (
        "VP114",
        "events-unknown-name",
        lambda t: res(t, "Vault")["Notifications"]["BackupVaultEvents"].append(
            "BACKUP_JOB_FAILURE"
        ),
        "'BACKUP_JOB_FAILURE'",
    ),
    # 30 tags in one selection (AWS Backup quotas,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-limits.html)
    (
        "VP115",
        "30-tags",
        lambda t: sel(t).update(ListOfTags=[tag(f"k{i}", "v") for i in range(30)]),
        None,
    ),
    (
        "VP115",
        "31-tags",
        lambda t: sel(t).update(ListOfTags=[tag(f"k{i}", "v") for i in range(31)]),
        "got 31 tag conditions",
    ),
    # warnings
    (
        "VP201",
        "kms-key-arn-string",
        lambda t: res(t, "Vault").update(EncryptionKeyArn="arn:aws:kms:us-east-1:1:key/abc"),
        None,
    ),
    (
        "VP201",
        "no-kms-key",
        lambda t: res(t, "Vault").pop("EncryptionKeyArn"),
        "EncryptionKeyArn: not set",
    ),
    ("VP202", "lock-set", lambda t: None, None),
    (
        "VP201",
        "no-key-in-one-branch-of-unknown-condition",
        lambda t: (
            t.update(
                Parameters={"UseKey": {"Type": "String"}},
                Conditions={"HasKey": {"Fn::Equals": [{"Ref": "UseKey"}, "yes"]}},
            ),
            res(t, "Vault").update(
                EncryptionKeyArn={
                    "Fn::If": ["HasKey", {"Fn::GetAtt": ["Key", "Arn"]}, {"Ref": "AWS::NoValue"}]
                }
            ),
        ),
        "EncryptionKeyArn: not set in one branch of an Fn::If whose condition is unknown",
    ),
    (
        "VP202",
        "no-lock",
        lambda t: res(t, "Vault").pop("LockConfiguration"),
        "LockConfiguration: not set",
    ),
    (
        "VP203",
        "completed-covers-failed-and-expired",
        lambda t: res(t, "Vault")["Notifications"].update(
            BackupVaultEvents=["BACKUP_JOB_COMPLETED"]
        ),
        None,
    ),
    (
        "VP203",
        "eventbridge-rule-instead",
        lambda t: (
            res(t, "Vault").pop("Notifications"),
            add(t, "Rule", "AWS::Events::Rule", EventPattern={"source": ["aws.backup"]}),
        ),
        None,
    ),
    (
        "VP203",
        "no-notifications",
        lambda t: res(t, "Vault").pop("Notifications"),
        "Notifications: not set",
    ),
    (
        "VP203",
        "only-started-events",
        lambda t: res(t, "Vault")["Notifications"].update(BackupVaultEvents=["BACKUP_JOB_STARTED"]),
        "no event reports failed or expired backup jobs. Add BACKUP_JOB_COMPLETED",
    ),
    (
        "VP203",
        "deprecated-failed-and-expired-never-sent",
        lambda t: res(t, "Vault")["Notifications"].update(
            BackupVaultEvents=["BACKUP_JOB_FAILED", "BACKUP_JOB_EXPIRED"]
        ),
        "BACKUP_JOB_EXPIRED and BACKUP_JOB_FAILED are deprecated and never sent",
    ),
    (
        "VP204",
        "copy-to-other-account-same-region",
        lambda t: [
            rule(t, i)["CopyActions"][0].update(
                DestinationBackupVaultArn={
                    "Fn::Sub": "arn:aws:backup:${AWS::Region}:999999999999:backup-vault:x"
                }
            )
            for i in (0, 1)
        ],
        None,
    ),
    (
        "VP204",
        "copy-into-own-vault",
        lambda t: [
            rule(t, i)["CopyActions"][0].update(
                DestinationBackupVaultArn={"Fn::GetAtt": ["Vault", "BackupVaultArn"]}
            )
            for i in (0, 1)
        ],
        "own region and account",
    ),
    ("VP205", "warm-7-days", lambda t: rule(t).update(Lifecycle={"DeleteAfterDays": 7}), None),
    ("VP205", "warm-6-days", lambda t: rule(t).update(Lifecycle={"DeleteAfterDays": 6}), "got 6"),
    (
        "VP205",
        "cold-after-3-days",
        lambda t: rule(t, 1).update(
            Lifecycle={"MoveToColdStorageAfterDays": 3, "DeleteAfterDays": 100}
        ),
        "MoveToColdStorageAfterDays: got 3",
    ),
    # cron syntax
    # (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html);
    # the example cron(0 8 30 2 ? *)
    (
        "VP206",
        "leap-day-fires",
        lambda t: rule(t, 1).update(ScheduleExpression="cron(0 8 29 2 ? *)"),
        None,
    ),
    (
        "VP206",
        "thirtieth-of-february",
        lambda t: rule(t, 1).update(ScheduleExpression="cron(0 8 30 2 ? *)"),
        "never takes a backup",
    ),
    (
        "VP206",
        "only-past-years",
        lambda t: rule(t, 1).update(ScheduleExpression="cron(0 8 1 1 ? 2020)"),
        "in the past",
    ),
    # overlapping rules
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html)
    (
        "VP207",
        "windows-apart",
        lambda t: rule(t, 1).update(ScheduleExpression="cron(0 10 15 * ? *)"),
        None,
    ),
    (
        "VP207",
        "windows-touch-only",
        lambda t: rule(t, 1).update(ScheduleExpression="cron(0 9 15 * ? *)"),
        None,
    ),
    (
        "VP207",
        "monthly-at-daily-time",
        lambda t: rule(t, 1).update(ScheduleExpression="cron(0 8 15 * ? *)"),
        "the 'Daily' backups (kept 35 days) will not exist",
    ),
    (
        "VP208",
        "covered-by-tag",
        lambda t: (
            sel(t).update(
                Resources=[],
                ListOfTags=[tag("backup", "yes")],
            ),
            res(t, "Fs").update(FileSystemTags=[{"Key": "backup", "Value": "yes"}]),
        ),
        None,
    ),
    (
        "VP208",
        "covered-by-wildcard-and-condition",
        lambda t: (
            sel(t).update(
                Resources=["arn:aws:elasticfilesystem:*:*:file-system/*"],
                Conditions={
                    "StringLike": [
                        {"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "prod*"}
                    ]
                },
            ),
            res(t, "Fs").update(FileSystemTags=[{"Key": "env", "Value": "production"}]),
        ),
        None,
    ),
    (
        "VP208",
        "efs-automatic-backup",
        lambda t: (
            sel(t).update(Resources=["arn:aws:ec2:*:*:volume/*"]),
            res(t, "Fs").update(BackupPolicy={"Status": "ENABLED"}),
        ),
        None,
    ),
    (
        "VP208",
        "volume-by-sub-wildcard-with-partition",
        lambda t: (
            add(t, "Data", "AWS::EC2::Volume", Size=10, AvailabilityZone="us-east-1a"),
            sel(t)["Resources"].append({"Fn::Sub": "arn:${AWS::Partition}:ec2:*:*:volume/*"}),
        ),
        None,
    ),
    (
        "VP208",
        "volume-not-selected",
        lambda t: add(t, "Data", "AWS::EC2::Volume", Size=10, AvailabilityZone="us-east-1a"),
        "AWS::EC2::Volume Data is not backed up",
    ),
    (
        "VP208",
        "tag-value-differs",
        lambda t: (
            sel(t).update(
                Resources=[],
                ListOfTags=[tag("backup", "yes")],
            ),
            res(t, "Fs").update(FileSystemTags=[{"Key": "backup", "Value": "no"}]),
        ),
        "AWS::EFS::FileSystem Fs is not backed up",
    ),
    (
        "VP208",
        "condition-excludes-it",
        lambda t: (
            sel(t).update(
                Conditions={
                    "StringNotEquals": [
                        {"ConditionKey": "aws:ResourceTag/temporary", "ConditionValue": "true"}
                    ]
                }
            ),
            res(t, "Fs").update(FileSystemTags=[{"Key": "temporary", "Value": "true"}]),
        ),
        "Fs is not backed up",
    ),
    (
        "VP208",
        "table-not-selected",
        lambda t: add(t, "Table", "AWS::DynamoDB::Table", TableName="orders"),
        "AWS::DynamoDB::Table Table is not backed up",
    ),
    (
        "VP209",
        "inline-statement-equivalent",
        lambda t: inline_policy(t, ["elasticfilesystem:Backup", "elasticfilesystem:DescribeTags"]),
        None,
    ),
    (
        "VP209",
        "separate-policy-resource",
        lambda t: (
            res(t, "Role").update(ManagedPolicyArns=[]),
            add(
                t,
                "Pol",
                "AWS::IAM::Policy",
                PolicyName="p",
                Roles=[{"Ref": "Role"}],
                PolicyDocument={
                    "Statement": [
                        {"Effect": "Allow", "Action": "elasticfilesystem:*", "Resource": "*"}
                    ]
                },
            ),
        ),
        None,
    ),
    (
        "VP209",
        "trusts-backup-among-others",
        lambda t: res(t, "Role")["AssumeRolePolicyDocument"]["Statement"][0].update(
            Principal={"Service": ["restore-testing.backup.amazonaws.com", "backup.amazonaws.com"]}
        ),
        None,
    ),
    (
        "VP209",
        "trusts-only-ec2",
        lambda t: res(t, "Role")["AssumeRolePolicyDocument"]["Statement"][0].update(
            Principal={"Service": "ec2.amazonaws.com"}
        ),
        "does not trust backup.amazonaws.com",
    ),
    (
        "VP209",
        "restore-policy-only",
        lambda t: res(t, "Role").update(
            ManagedPolicyArns=[
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
            ]
        ),
        "role Role has neither the managed policy",
    ),
    (
        "VP209",
        "statement-for-other-service",
        lambda t: inline_policy(t, "ec2:CreateSnapshot"),
        "elasticfilesystem:Backup",
    ),
    # AWS Backup "Amazon S3 backups" (s3-backups.html): the role needs
    # AWSBackupServiceRolePolicyForS3Backup besides the general policy
    (
        "VP209",
        "s3-bucket-with-s3-policy",
        lambda t: (versioned_bucket(t), s3_policy(t)),
        None,
    ),
    (
        "VP209",
        "s3-bucket-without-s3-policy",
        lambda t: versioned_bucket(t),
        "the selection selects bucket(s) Bucket, but role Role has neither the managed policy "
        "AWSBackupServiceRolePolicyForS3Backup nor statements allowing s3:GetObjectVersion",
    ),
    (
        "VP209",
        "s3-arn-without-s3-policy",
        lambda t: sel(t)["Resources"].append("arn:aws:s3:::other-account-logs"),
        "the selection selects S3 buckets, but role Role has neither",
    ),
    # AWS Backup "Amazon S3 backups", prerequisites: versioning on the bucket
    ("VP211", "versioned-bucket", lambda t: (versioned_bucket(t), s3_policy(t)), None),
    (
        "VP211",
        "unversioned-bucket-nobody-selects",
        lambda t: add(t, "Logs", "AWS::S3::Bucket"),
        None,
    ),
    (
        "VP211",
        "unversioned-bucket-selected-by-arn",
        lambda t: (
            add(t, "Bucket", "AWS::S3::Bucket", BucketName="site-data"),
            sel(t)["Resources"].append("arn:aws:s3:::site-*"),
            s3_policy(t),
        ),
        "S3 bucket Bucket is selected by Selection but has no versioning "
        "(VersioningConfiguration: not set)",
    ),
    (
        "VP211",
        "suspended-bucket-selected-by-tag",
        lambda t: (
            versioned_bucket(t, "Suspended", Tags=[{"Key": "backup", "Value": "yes"}]),
            sel(t).update(Resources=[], ListOfTags=[tag("backup", "yes")]),
            s3_policy(t),
        ),
        "(VersioningConfiguration: Status Suspended)",
    ),
    # cfn-lint's per-Region schemas: AWS::Backup::Framework is missing in cn-north-1 and others
    ("VP212", "types-every-region-has", lambda t: None, None),
    (
        "VP212",
        "framework-environment-agnostic",
        lambda t: add(t, "Framework", "AWS::Backup::Framework", FrameworkControls=[]),
        "AWS::Backup::Framework (Framework) doesn't exist in 9 Region(s): ap-east-2, "
        "ap-southeast-5, ap-southeast-6, ap-southeast-7, ca-west-1, cn-north-1, "
        "cn-northwest-1, il-central-1, mx-central-1; this environment-agnostic stack would fail",
    ),
    # AWS re:Post backup-cross-account-copy-error: the source vault's customer managed key
    # must allow the destination account's root the 11 KMS actions (SOURCE_KEY_ACTIONS)
    (
        "VP210",
        "key-shared-by-account-id-and-wildcard",
        lambda t: key_statement(t, 1).update(Principal={"AWS": "111122223333"}, Action=["kms:*"]),
        None,
    ),
    ("VP210", "copy-in-own-account-needs-no-sharing", lambda t: own_account_copy(t), None),
    (
        "VP210",
        "key-not-shared",
        lambda t: key_policy(t)["Statement"].pop(),
        "copies to account 111122223333, but the key policy of Key (vault Vault's key) "
        "doesn't allow arn:aws:iam::111122223333:root kms:CreateGrant",
    ),
    (
        "VP210",
        "key-shared-without-grants",
        lambda t: key_statement(t, 1).update(Action=["kms:Decrypt", "kms:DescribeKey"]),
        "doesn't allow arn:aws:iam::111122223333:root kms:CreateGrant, kms:Encrypt,",
    ),
    (
        "VP210",
        "key-without-policy",
        lambda t: res(t, "Key").pop("KeyPolicy"),
        "copies to account 111122223333",
    ),
    # Suppressions in Metadata need a check id and a written reason
    (
        "VP002",
        "suppression-with-reason",
        lambda t: suppress(t, [{"id": "VP207", "reason": "the monthly copies are the point"}]),
        None,
    ),
    (
        "VP002",
        "suppression-without-reason",
        lambda t: suppress(t, ["VP207"], on="Plan"),
        "Metadata.vaultplan.ignore_checks[0]: got 'VP207' without a reason",
    ),
    (
        "VP002",
        "suppression-with-blank-reason",
        lambda t: suppress(t, [{"id": "VP207", "reason": " "}]),
        "ignore_checks[0].reason: got ' ' for VP207; a suppression needs a written reason",
    ),
    (
        "VP002",
        "suppression-of-no-check",
        lambda t: suppress(t, [{"id": "VP999", "reason": "typo"}]),
        "ignore_checks[0].id: got 'VP999', not a check id",
    ),
    (
        "VP002",
        "suppressions-not-a-list",
        lambda t: t.update(Metadata={"vaultplan": {"ignore_checks": "VP207"}}),
        "Metadata.vaultplan: got {'ignore_checks': 'VP207'}; expected {ignore_checks: [",
    ),
    # CloudFormation quotas, "Template body size": 51,200 bytes in a request, 1 MB from S3
    # (the inline template is measured as compact JSON).
    ("VP125", "template-of-1-mb-ok", lambda t: t.update(Description="x" * 1_040_000), None),
    (
        "VP125",
        "template-over-1-mb",
        lambda t: t.update(Description="x" * 1_048_576),
        "CloudFormation takes a template of at most 1,048,576 bytes",
    ),
    ("VP301", "template-within-51200-bytes-ok", lambda t: t.update(Description="x" * 45_000), None),
    (
        "VP301",
        "template-over-51200-bytes",
        lambda t: t.update(Description="x" * 51_200),
        "over the 51,200 bytes a request can carry",
    ),
]


CASES += PLAN_OPTION_CASES


S3_POLICY = "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup"


def versioned_bucket(t: Template, status: str = "Enabled", **props: Any) -> None:
    """Add bucket ``Bucket`` (versioning ``status``) to the selection's Resources by GetAtt."""
    add(t, "Bucket", "AWS::S3::Bucket", VersioningConfiguration={"Status": status}, **props)
    sel(t)["Resources"].append({"Fn::GetAtt": ["Bucket", "Arn"]})


def s3_policy(t: Template) -> None:
    res(t, "Role")["ManagedPolicyArns"].append(S3_POLICY)


def air_gapped(t: Template, minimum: Any = 35, maximum: Any = 365, copy_days: Any = 35) -> None:
    """An air-gapped vault ``AirGapped`` and a copy of the daily rule into it."""
    add(t, "AirGapped", "AWS::Backup::LogicallyAirGappedBackupVault", BackupVaultName="lag")
    bounds = {"MinRetentionDays": minimum, "MaxRetentionDays": maximum}
    res(t, "AirGapped").update({k: v for k, v in bounds.items() if v is not None})
    action: dict[str, Any] = {
        "DestinationBackupVaultArn": {"Fn::GetAtt": ["AirGapped", "BackupVaultArn"]}
    }
    if copy_days is not None:
        action["Lifecycle"] = {"DeleteAfterDays": copy_days}
    rule(t)["CopyActions"].append(action)


CASES += [
    # Logically air-gapped vaults: MinRetentionDays >= 7, MaxRetentionDays <= 36500 and >= min
    # (API_CreateLogicallyAirGappedBackupVault), copies within them (vault lock).
    ("VP120", "air-gapped-bounds-ok", air_gapped, None),
    (
        "VP120",
        "air-gapped-min-below-7",
        lambda t: air_gapped(t, minimum=3, copy_days=None),
        "Properties.MinRetentionDays: got 3; a logically air-gapped vault's retention bounds",
    ),
    (
        "VP120",
        "air-gapped-max-below-min",
        lambda t: air_gapped(t, minimum=40, maximum=30, copy_days=None),
        "Properties.MaxRetentionDays: got 30, less than MinRetentionDays 40",
    ),
    ("VP121", "copy-within-air-gapped-bounds", lambda t: air_gapped(t, copy_days=365), None),
    (
        "VP121",
        "copy-shorter-than-air-gapped-minimum",
        lambda t: air_gapped(t, copy_days=14),
        "BackupPlanRule[0].CopyActions[1].Lifecycle.DeleteAfterDays: got 14; the copy goes to the "
        "logically "
        "air-gapped vault AirGapped, which keeps points 35 to 365 days",
    ),
    (
        "VP121",
        "copy-kept-forever-into-air-gapped",
        lambda t: air_gapped(t, copy_days=None),
        "DeleteAfterDays: not set (kept forever)",
    ),
    # A permissions boundary is a managed policy ARN (IAM access_policies_boundaries).
    (
        "VP122",
        "boundary-managed-policy",
        lambda t: res(t, "Role").update(
            PermissionsBoundary="arn:aws:iam::123456789012:policy/BackupBoundary"
        ),
        None,
    ),
    (
        "VP122",
        "boundary-role-arn",
        lambda t: res(t, "Role").update(
            PermissionsBoundary="arn:aws:iam::123456789012:role/BackupBoundary"
        ),
        "PermissionsBoundary: got 'arn:aws:iam::123456789012:role/BackupBoundary'; a "
        "permissions boundary is an IAM managed policy ARN",
    ),
    # A compliance-locked vault can't be deleted (vault-lock.html): retain it.
    (
        "VP216",
        "governance-lock-deleted",
        lambda t: (
            t["Resources"]["Vault"].pop("DeletionPolicy"),
            res(t, "Vault")["LockConfiguration"].pop("ChangeableForDays"),
        ),
        None,
    ),
    (
        "VP216",
        "compliance-lock-deleted",
        lambda t: t["Resources"]["Vault"].pop("DeletionPolicy"),
        "DeletionPolicy: not set; the vault has a compliance lock (ChangeableForDays)",
    ),
    (
        "VP216",
        "compliance-lock-delete-policy",
        lambda t: t["Resources"]["Vault"].update(DeletionPolicy="Delete"),
        "DeletionPolicy: 'Delete'; the vault has a compliance lock",
    ),
]


def suppress(t: Template, entries: list[Any], on: str | None = None) -> None:
    """Write ``entries`` as the ``ignore_checks`` of resource ``on`` (None: the template)."""
    place = t if on is None else t["Resources"][on]
    place["Metadata"] = {"vaultplan": {"ignore_checks": entries}}


def key_policy(t: Template) -> dict[str, Any]:
    policy: dict[str, Any] = res(t, "Key")["KeyPolicy"]
    return policy


def own_account_copy(t: Template) -> None:
    key_policy(t)["Statement"].pop()
    for i in (0, 1):
        rule(t, i)["CopyActions"][0]["DestinationBackupVaultArn"] = {
            "Fn::Sub": "arn:aws:backup:us-west-2:${AWS::AccountId}:backup-vault:dr"
        }


def key_statement(t: Template, i: int) -> dict[str, Any]:
    statement: dict[str, Any] = key_policy(t)["Statement"][i]
    return statement


@pytest.mark.parametrize(
    ("check_id", "change", "expected"),
    [pytest.param(c, ch, e, id=f"{c}-{name}") for c, name, ch, e in CASES],
)
def test_named_case(check_id: str, change: Change, expected: str | None) -> None:
    body = good()
    change(body)
    found = findings(body, check_id)
    if expected is None:
        assert found == []
    else:
        assert found, f"{check_id} found nothing"
        assert any(expected in f.message for f in found), [f.message for f in found]
        assert all(f.source_url.startswith("https://docs.aws.amazon.com/") for f in found)


def test_every_check_has_a_compliant_and_a_non_compliant_case() -> None:
    # VP4xx judge backup policies, not templates: tests/org/test_org_validate.py has their cases.
    ids = {c.id for c in all_checks()} - {"VP001"} - set(POLICY_CHECKS)
    compliant = {c for c, _n, _ch, e in CASES if e is None}
    non_compliant = {c for c, _n, _ch, e in CASES if e is not None}
    assert ids <= compliant
    assert ids <= non_compliant


@pytest.mark.parametrize(
    ("destination", "parameters", "expected"),
    [
        pytest.param(DR_VAULT, {}, "compliant", id="literal-other-region"),
        pytest.param(
            {"Fn::Sub": "arn:aws:backup:us-west-2:${AWS::AccountId}:backup-vault:dr"},
            {},
            "compliant",
            id="literal-region-own-account",
        ),
        pytest.param(
            DR_VAULT,
            {"AWS::Region": "us-west-2", "AWS::AccountId": "111122223333"},
            "warning",
            id="literal-is-where-the-stack-is-deployed",
        ),
        pytest.param(
            {"Fn::Sub": "arn:aws:backup:${AWS::Region}:${AWS::AccountId}:backup-vault:x"},
            {},
            "warning",
            id="own-region-and-account",
        ),
        pytest.param({"Ref": "Dest"}, {}, "not applicable", id="parameter-without-default"),
    ],
)
def test_vp204_copy_destinations(
    destination: Any, parameters: dict[str, str], expected: str
) -> None:
    body = good()
    body["Parameters"] = {"Dest": {"Type": "String"}}
    for i in (0, 1):
        rule(body, i)["CopyActions"][0]["DestinationBackupVaultArn"] = destination
    report = run(body, **parameters)
    found = [f for f in report.findings if f.check_id == "VP204"]
    undecided = [n for n in report.not_applicable if n.check_id == "VP204"]
    outcome = "warning" if found else "not applicable" if undecided else "compliant"
    assert outcome == expected
