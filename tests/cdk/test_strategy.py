"""BackupStrategy on the synthesized template: one test per element of the seed's system.

GIVEN a stack with the default strategy over a new EFS and an EFS imported by id,
WHEN it is synthesized, THEN the template holds the seed's vault, plan, rules, selection and role.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, CfnParameter, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk.assertions import Match, Template

from vaultplan import BackupStrategy
from vaultplan.cdk import BACKUP_SERVICE_POLICIES, BackupRules, RulePreset

IMPORTED_ID = "fs-0123456789abcdef0"


@pytest.fixture(scope="module")
def built() -> tuple[Stack, BackupStrategy, Template]:
    stack = Stack(App(), "Site")
    vpc = ec2.Vpc(stack, "Vpc", nat_gateways=0, max_azs=1)
    uploads = efs.FileSystem(stack, "Uploads", vpc=vpc, encrypted=True)
    strategy = BackupStrategy(
        stack, "Backup", site_name="example", file_systems=[uploads, IMPORTED_ID]
    )
    return stack, strategy, Template.from_stack(stack)


@pytest.fixture(scope="module")
def template(built: tuple[Stack, BackupStrategy, Template]) -> Template:
    return built[2]


def plan_rules(template: Template) -> list[dict[str, Any]]:
    plans = template.find_resources("AWS::Backup::BackupPlan")
    assert len(plans) == 1
    (plan,) = plans.values()
    rules: list[dict[str, Any]] = plan["Properties"]["BackupPlan"]["BackupPlanRule"]
    return rules


def test_vault_is_named_after_the_site_and_retained(template: Template) -> None:
    template.resource_count_is("AWS::Backup::BackupVault", 1)
    template.has_resource(
        "AWS::Backup::BackupVault",
        {
            "Properties": {"BackupVaultName": "example"},
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )


def test_plan_is_named_site_efs_backup_plan(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Backup::BackupPlan",
        {"BackupPlan": Match.object_like({"BackupPlanName": "exampleEFSBackupPlan"})},
    )


def test_daily_warm_rule_runs_at_8_and_deletes_after_35_days(template: Template) -> None:
    rule = plan_rules(template)[0]
    assert rule["RuleName"] == "exampleDailyWarmBackup"
    assert rule["ScheduleExpression"] == "cron(0 8 * * ? *)"
    assert rule["Lifecycle"] == {"DeleteAfterDays": 35}


def test_monthly_cold_rule_moves_to_cold_after_30_and_deletes_after_365(
    template: Template,
) -> None:
    rule = plan_rules(template)[1]
    assert rule["RuleName"] == "exampleMonthlyColdBackup"
    assert rule["ScheduleExpression"] == "cron(0 8 1 * ? *)"
    assert rule["Lifecycle"] == {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 365}


def test_rules_back_up_into_the_vault(template: Template) -> None:
    (vault_id,) = template.find_resources("AWS::Backup::BackupVault")
    for rule in plan_rules(template):
        assert rule["TargetBackupVault"] == {"Fn::GetAtt": [vault_id, "BackupVaultName"]}


def test_selection_targets_the_constructs_arn_and_builds_the_imported_ones(
    template: Template,
) -> None:
    (fs_id,) = template.find_resources("AWS::EFS::FileSystem")
    (selection,) = template.find_resources("AWS::Backup::BackupSelection").values()
    body = selection["Properties"]["BackupSelection"]
    assert body["SelectionName"] == "exampleEFS"
    assert body["Resources"][0] == {"Fn::GetAtt": [fs_id, "Arn"]}
    # One compact Fn::Sub, not a pretty-printed Fn::Join (issue 11, template size).
    assert body["Resources"][1] == {
        "Fn::Sub": "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:"
        f"file-system/{IMPORTED_ID}"
    }


def test_selection_belongs_to_the_plan_and_runs_with_the_role(template: Template) -> None:
    (plan_id,) = template.find_resources("AWS::Backup::BackupPlan")
    (role_id,) = template.find_resources("AWS::IAM::Role")
    template.has_resource_properties(
        "AWS::Backup::BackupSelection",
        {
            "BackupPlanId": {"Fn::GetAtt": [plan_id, "BackupPlanId"]},
            "BackupSelection": Match.object_like({"IamRoleArn": {"Fn::GetAtt": [role_id, "Arn"]}}),
        },
    )


def test_role_is_assumed_by_backup_with_both_managed_policies_once(template: Template) -> None:
    template.resource_count_is("AWS::IAM::Role", 1)
    (role,) = template.find_resources("AWS::IAM::Role").values()
    statements = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statements == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "backup.amazonaws.com"},
        }
    ]
    arns = [arn["Fn::Join"][1][2] for arn in role["Properties"]["ManagedPolicyArns"]]
    assert arns == [f":iam::aws:policy/{name}" for name in BACKUP_SERVICE_POLICIES]
    assert arns[0].endswith("/AWSBackupServiceRolePolicyForBackup")
    assert arns[1].endswith("/AWSBackupServiceRolePolicyForRestores")


def test_construct_ids_are_stable(built: tuple[Stack, BackupStrategy, Template]) -> None:
    _, strategy, _ = built
    children = [child.node.id for child in strategy.node.children]
    # the seed's four keep their ids and order; the vault's key and topic come first
    assert [c for c in children if c in {"Vault", "Plan", "Role", "Selection"}] == [
        "Vault",
        "Plan",
        "Role",
        "Selection",
    ]
    assert strategy.vault.node.default_child is not None
    assert strategy.vault.node.default_child.node.id == "Resource"


def test_names_and_rules_are_exposed(built: tuple[Stack, BackupStrategy, Template]) -> None:
    _, strategy, _ = built
    assert (strategy.vault_name, strategy.plan_name, strategy.selection_name) == (
        "example",
        "exampleEFSBackupPlan",
        "exampleEFS",
    )
    assert strategy.rules == BackupRules.daily_monthly()


@pytest.mark.parametrize(
    ("props", "message"),
    [
        pytest.param(
            {"site_name": "a"},
            "site_name: got 'a'; use 2 to 50 letters, digits, '-' or '_'",
            id="site-name-too-short",
        ),
        pytest.param(
            {"site_name": "my.site"},
            "site_name: got 'my.site'; use 2 to 50 letters, digits, '-' or '_'",
            id="site-name-dot",
        ),
        # plan 1-50 letters, digits or -_.
        # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupPlanInput.html)
        pytest.param(
            {"site_name": "s" * 40},
            f"site_name (plan name): got '{'s' * 40}EFSBackupPlan'; use 1 to 50 letters",
            id="plan-name-too-long-after-prefix",
        ),
        # AWS Backup takes no rate() expression (a maintainer,
        # https://github.com/hashicorp/terraform-provider-aws/issues/8269)
        pytest.param(
            {"rules": [RulePreset(name="Hourly", schedule="rate(1 hour)")]},
            "rules[0].schedule: got 'rate(1 hour)'",
            id="rate-refused",
        ),
        pytest.param(
            {"rules": [RulePreset(name="Both", schedule="cron(0 8 1 * MON *)")]},
            "rules[0].schedule: got 'cron(0 8 1 * MON *)'",
            id="both-day-fields",
        ),
        # when both are set, delete >= cold + 90
        # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html)
        pytest.param(
            {
                "rules": [
                    RulePreset(
                        name="Cold",
                        schedule="cron(0 8 * * ? *)",
                        move_to_cold_storage_after_days=30,
                        delete_after_days=100,
                    )
                ]
            },
            "rules[0]: got move_to_cold_storage_after_days=30, delete_after_days=100; "
            "delete_after_days must be at least move_to_cold_storage_after_days + 90 = 120",
            id="cold-plus-90",
        ),
        # a start window is at least 60 minutes
        # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html)
        pytest.param(
            {
                "rules": [
                    RulePreset(name="W", schedule="cron(0 8 * * ? *)", start_window_minutes=30)
                ]
            },
            "rules[0].start_window_minutes: got 30;",
            id="start-window-under-60",
        ),
        pytest.param(
            {
                "rules": [
                    RulePreset(
                        name="T", schedule="cron(0 8 * * ? *)", schedule_timezone="Mars/Base"
                    )
                ]
            },
            "rules[0].schedule_timezone: got 'Mars/Base'; use an IANA time zone name",
            id="bad-timezone",
        ),
        pytest.param(
            {"rules": [BackupRules.daily_warm(), BackupRules.daily_warm()]},
            "rules[1].name: got 'DailyWarmBackup'; rules[0] has the same name",
            id="duplicate-rule",
        ),
        pytest.param(
            {"rules": [RulePreset(name="x" * 45, schedule="cron(0 8 * * ? *)")]},
            "rules[0].name: got 'example" + "x" * 45 + "'",
            id="rule-name-too-long-after-prefix",
        ),
        pytest.param({"rules": []}, "rules: got []; give at least one rule", id="no-rules"),
        pytest.param(
            {"file_systems": ["fs-XYZ"]},
            "file_systems[0]: got 'fs-XYZ'; an EFS file system id is 'fs-' followed by",
            id="bad-efs-id",
        ),
        pytest.param(
            {"file_systems": []}, "file_systems: got []; give at least one", id="no-file-systems"
        ),
    ],
)
def test_bad_props_raise_value_error_naming_field_and_value(
    props: dict[str, Any], message: str
) -> None:
    stack = Stack(App(), "Bad")
    kwargs: dict[str, Any] = {"site_name": "example", "file_systems": [IMPORTED_ID], **props}
    with pytest.raises(ValueError) as caught:
        BackupStrategy(stack, "Backup", **kwargs)
    assert message in str(caught.value)
    assert not any(c.node.id in {"Vault", "Plan"} for c in stack.node.find_all())


def test_unresolved_tokens_are_not_checked() -> None:
    stack = Stack(App(), "Tokens")
    site = CfnParameter(stack, "Site").value_as_string
    days = CfnParameter(stack, "Days", type="Number").value_as_number
    fs_id = CfnParameter(stack, "Fs").value_as_string
    rule = RulePreset(
        name="Daily",
        schedule="cron(0 8 * * ? *)",
        move_to_cold_storage_after_days=30,
        delete_after_days=int(days),
    )
    strategy = BackupStrategy(stack, "Backup", site_name=site, file_systems=[fs_id], rules=[rule])
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Backup::BackupVault", {"BackupVaultName": {"Ref": "Site"}}
    )
    assert strategy.rules == (rule,)


def test_schedule_timezone_and_windows_reach_the_rule() -> None:
    stack = Stack(App(), "Windows")
    rule = RulePreset(
        name="Nightly",
        schedule="cron(30 1 ? * MON-FRI *)",
        delete_after_days=7,
        start_window_minutes=60,
        completion_window_minutes=240,
        schedule_timezone="Europe/Paris",
    )
    BackupStrategy(stack, "Backup", site_name="paris", file_systems=[IMPORTED_ID], rules=[rule])
    (only,) = plan_rules(Template.from_stack(stack))
    del only["TargetBackupVault"]
    assert only == {
        "RuleName": "parisNightly",
        "ScheduleExpression": "cron(30 1 ? * MON-FRI *)",
        "ScheduleExpressionTimezone": "Europe/Paris",
        "StartWindowMinutes": 60,
        "CompletionWindowMinutes": 240,
        "Lifecycle": {"DeleteAfterDays": 7},
    }
