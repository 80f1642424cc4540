"""Restore testing and Backup Audit Manager on the synthesized template.

GIVEN a strategy with restore testing and audit on (every option set),
WHEN it is synthesized, THEN the template holds the restore testing plan and selection, a
framework whose controls take their parameters from the plan, and one report plan per template.
Sources: botocore's backup model (RestoreTestingPlanForCreate, RestoreTestingSelectionForCreate,
ReportSetting), AWS Backup devguide pages choosing-controls.html, creating-frameworks-api.html,
bam-cfn-integration.html, and the framework name rule of
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateFramework.html.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, CfnParameter, Environment, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk.assertions import Template

from vaultplan import BackupStrategy
from vaultplan.cdk import AuditOptions, BackupRules, RestoreTestingOptions, RulePreset
from vaultplan.spec.assurance import (
    ControlSpec,
    audit_names,
    framework_controls,
    restore_testing_names,
)
from vaultplan.spec.copy import CopyAction

IMPORTED_ID = "fs-0123456789abcdef0"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
RESTORE = RestoreTestingOptions(
    schedule="cron(0 6 ? * MON *)",
    schedule_timezone="Europe/Paris",
    start_window_hours=8,
    selection_window_days=7,
    validation_window_hours=4,
    kms_key_arn=KEY_ARN,
)
AUDIT = AuditOptions(
    report_bucket="my-backup-reports",
    report_key_prefix="backup",
    report_formats=("CSV", "JSON"),
    report_templates=("BACKUP_JOB_REPORT", "RESOURCE_COMPLIANCE_REPORT"),
)


@pytest.fixture(scope="module")
def built() -> tuple[BackupStrategy, Template]:
    stack = Stack(App(), "Site")
    vpc = ec2.Vpc(stack, "Vpc", nat_gateways=0, max_azs=1)
    uploads = efs.FileSystem(stack, "Uploads", vpc=vpc, encrypted=True)
    strategy = BackupStrategy(
        stack,
        "Backup",
        site_name="my-site",
        file_systems=[uploads, IMPORTED_ID],
        restore_testing=RESTORE,
        audit=AUDIT,
    )
    return strategy, Template.from_stack(stack)


@pytest.fixture(scope="module")
def template(built: tuple[BackupStrategy, Template]) -> Template:
    return built[1]


def only(template: Template, resource_type: str) -> tuple[str, dict[str, Any]]:
    found = template.find_resources(resource_type)
    assert len(found) == 1, found
    ((logical_id, resource),) = found.items()
    return logical_id, resource["Properties"]


def logical_id(template: Template, resource_type: str) -> str:
    return only(template, resource_type)[0]


def test_restore_testing_plan_restores_the_latest_snapshot_of_the_vault(
    template: Template,
) -> None:
    _, props = only(template, "AWS::Backup::RestoreTestingPlan")
    vault = logical_id(template, "AWS::Backup::BackupVault")
    assert props == {
        # Names take letters, digits and '_' only: the site's '-' becomes '_'.
        "RestoreTestingPlanName": "my_siteRestoreTest",
        "ScheduleExpression": "cron(0 6 ? * MON *)",
        "ScheduleExpressionTimezone": "Europe/Paris",
        "StartWindowHours": 8,
        "RecoveryPointSelection": {
            "Algorithm": "LATEST_WITHIN_WINDOW",
            "IncludeVaults": [{"Fn::GetAtt": [vault, "BackupVaultArn"]}],
            "RecoveryPointTypes": ["SNAPSHOT"],
            "SelectionWindowDays": 7,
        },
    }


def test_restore_testing_selection_restores_every_file_system_with_the_role(
    template: Template,
) -> None:
    plan = logical_id(template, "AWS::Backup::RestoreTestingPlan")
    role = logical_id(template, "AWS::IAM::Role")
    fs = logical_id(template, "AWS::EFS::FileSystem")
    _, props = only(template, "AWS::Backup::RestoreTestingSelection")
    arns = props.pop("ProtectedResourceArns")
    assert arns[0] == {"Fn::GetAtt": [fs, "Arn"]}
    assert arns[1]["Fn::Sub"].endswith(f":file-system/{IMPORTED_ID}")
    assert props == {
        "RestoreTestingPlanName": {"Ref": plan},
        "RestoreTestingSelectionName": "my_siteEFS",
        "ProtectedResourceType": "EFS",
        "IamRoleArn": {"Fn::GetAtt": [role, "Arn"]},
        "ValidationWindowHours": 4,
        "RestoreMetadataOverrides": {"kmsKeyId": KEY_ARN},
    }


def controls(template: Template) -> dict[str, dict[str, Any]]:
    _, props = only(template, "AWS::Backup::Framework")
    return {c["ControlName"]: c for c in props["FrameworkControls"]}


def parameters(control: dict[str, Any]) -> dict[str, str]:
    return {p["ParameterName"]: p["ParameterValue"] for p in control["ControlInputParameters"]}


def test_framework_is_named_for_the_site_and_says_where_its_parameters_come_from(
    template: Template,
) -> None:
    _, props = only(template, "AWS::Backup::Framework")
    # Audit framework [a-zA-Z][_a-zA-Z0-9]*, 1-256 characters (AWS Backup API reference,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateFramework.html).
    assert props["FrameworkName"] == "my_siteBackupControls"
    assert "parameters from its backup plan" in props["FrameworkDescription"]


def test_frequency_and_retention_control_takes_the_plan_s_values_and_scopes_to_the_plan(
    template: Template,
) -> None:
    control = controls(template)["BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"]
    # The seed's most frequent rule is daily; its shortest retention is 35 days.
    assert parameters(control) == {
        "requiredFrequencyUnit": "days",
        "requiredFrequencyValue": "1",
        "requiredRetentionDays": "35",
    }
    plan = logical_id(template, "AWS::Backup::BackupPlan")
    assert control["ControlScope"] == {
        "ComplianceResourceIds": [{"Fn::GetAtt": [plan, "BackupPlanId"]}],
        "ComplianceResourceTypes": ["AWS::Backup::BackupPlan"],
    }


def test_recovery_point_controls_check_retention_and_encryption_of_efs_points(
    template: Template,
) -> None:
    found = controls(template)
    retention = found["BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK"]
    assert parameters(retention) == {"requiredRetentionDays": "35"}
    assert retention["ControlScope"] == {"ComplianceResourceTypes": ["EFS"]}
    encrypted = found["BACKUP_RECOVERY_POINT_ENCRYPTED"]
    assert "ControlInputParameters" not in encrypted
    assert encrypted["ControlScope"] == {"ComplianceResourceTypes": ["EFS"]}


def test_manual_deletion_control_is_scoped_to_the_vault(template: Template) -> None:
    control = controls(template)["BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED"]
    vault = logical_id(template, "AWS::Backup::BackupVault")
    assert control["ControlScope"] == {
        "ComplianceResourceIds": [{"Fn::GetAtt": [vault, "BackupVaultName"]}],
        "ComplianceResourceTypes": ["AWS::Backup::BackupVault"],
    }


def test_copy_controls_are_left_out_when_the_plan_has_no_copy(
    template: Template,
) -> None:
    # A cross-Region control without a cross-Region copy could never pass. The lock control
    # is there: the default vault has a governance lock (tests/constructs/test_vault.py).
    assert set(controls(template)) == {
        "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
        "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
        "BACKUP_RECOVERY_POINT_ENCRYPTED",
        "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
        "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
        "BACKUP_LAST_RECOVERY_POINT_CREATED",
        # the fixture has restore testing on
        "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
    }


def test_one_report_plan_per_template_delivers_to_the_bucket(template: Template) -> None:
    plans = template.find_resources("AWS::Backup::ReportPlan")
    by_name = {p["Properties"]["ReportPlanName"]: p["Properties"] for p in plans.values()}
    assert set(by_name) == {"my_siteReport_BackupJob", "my_siteReport_ResourceCompliance"}
    channel = {
        "S3BucketName": "my-backup-reports",
        "S3KeyPrefix": "backup",
        "Formats": ["CSV", "JSON"],
    }
    for props in by_name.values():
        assert props["ReportDeliveryChannel"] == channel
    assert by_name["my_siteReport_BackupJob"]["ReportSetting"] == {
        "ReportTemplate": "BACKUP_JOB_REPORT"
    }
    framework = logical_id(template, "AWS::Backup::Framework")
    assert by_name["my_siteReport_ResourceCompliance"]["ReportSetting"] == {
        "ReportTemplate": "RESOURCE_COMPLIANCE_REPORT",
        "FrameworkArns": [{"Fn::GetAtt": [framework, "FrameworkArn"]}],
    }


def test_resources_are_exposed_with_stable_ids(built: tuple[BackupStrategy, Template]) -> None:
    strategy, _ = built
    assert strategy.restore_testing_plan is not None
    assert strategy.restore_testing_plan.node.id == "RestoreTestingPlan"
    assert strategy.restore_testing_selection is not None
    assert strategy.framework is not None and strategy.framework.node.id == "Framework"
    assert strategy.report_plan is strategy.report_plans[0]
    assert [p.node.id for p in strategy.report_plans] == [
        "ReportPlanBackupJob",
        "ReportPlanResourceCompliance",
    ]
    ids = [child.node.id for child in strategy.node.children]
    seed = ["Vault", "Plan", "Role", "Selection"]
    assert [i for i in ids if i in seed] == seed


def test_template_with_both_on_is_cfn_lint_clean(
    built: tuple[BackupStrategy, Template], tmp_path: Path
) -> None:
    from cfnlint.api import ManualArgs, lint_file

    path = tmp_path / "assurance.template.json"
    path.write_text(json.dumps(built[1].to_json()))
    assert [str(m) for m in lint_file(path, ManualArgs(regions=["us-east-1"]))] == []


def test_both_are_off_by_default() -> None:
    strategy = BackupStrategy(
        Stack(App(), "Default"), "Backup", site_name="example", file_systems=[IMPORTED_ID]
    )
    assert strategy.restore_testing_plan is None
    assert strategy.framework is None
    assert strategy.report_plan is None
    ids = [c.node.id for c in strategy.node.children]
    assert not {"RestoreTestingPlan", "RestoreTestingSelection", "Framework"} & set(ids)


def test_report_plans_need_no_framework_for_job_reports() -> None:
    stack = Stack(App(), "JobsOnly")
    strategy = BackupStrategy(
        stack,
        "Backup",
        site_name="example",
        file_systems=[IMPORTED_ID],
        audit=AuditOptions(
            framework=False, report_bucket="reports", report_templates=("RESTORE_JOB_REPORT",)
        ),
    )
    assert strategy.framework is None
    assert len(strategy.report_plans) == 1


def test_names_are_derived_valid_from_any_valid_site_name() -> None:
    assert restore_testing_names("a-b_c") == {"plan": "a_b_cRestoreTest", "selection": "a_b_cEFS"}
    # Framework names start with a letter (AWS Backup API reference,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateFramework.html).
    assert audit_names("1st-site") == {
        "framework": "site_1st_siteBackupControls",
        "report": "site_1st_siteReport",
    }


def test_unresolved_values_are_not_checked_and_names_are_then_required() -> None:
    stack = Stack(App(), "Tokens")
    site = CfnParameter(stack, "Site").value_as_string
    hours = CfnParameter(stack, "Hours", type="Number").value_as_number
    with pytest.raises(ValueError) as caught:
        BackupStrategy(
            stack,
            "Backup",
            site_name=site,
            file_systems=[IMPORTED_ID],
            restore_testing=RestoreTestingOptions(),
            audit=AuditOptions(),
        )
    assert str(caught.value).splitlines() == [
        "restore_testing.name: got None while site_name is an unresolved token; a name can't "
        "be derived from it (CloudFormation can't replace its '-'): give a name, e.g. "
        "'MySiteRestoreTest'",
        "audit.name: got None while site_name is an unresolved token; a name can't be derived "
        "from it (CloudFormation can't replace its '-'): give a name, e.g. "
        "'MySiteBackupControls'",
    ]
    strategy = BackupStrategy(
        stack,
        "Backup2",
        site_name=site,
        file_systems=[IMPORTED_ID],
        restore_testing=RestoreTestingOptions(start_window_hours=int(hours), name="SiteTest"),
        audit=AuditOptions(name="SiteControls", report_bucket="reports"),
    )
    assert strategy.restore_testing_plan is not None
    assert strategy.restore_testing_plan.restore_testing_plan_name == "SiteTest"
    assert strategy.restore_testing_selection is not None
    assert strategy.restore_testing_selection.restore_testing_selection_name == "EFS"
    assert strategy.report_plan is not None
    assert strategy.report_plan.report_plan_name == "SiteControlsReport_BackupJob"


# -- the controls as data: parameters from the plan ------------------------------------


def by_name(specs: tuple[ControlSpec, ...]) -> dict[str, ControlSpec]:
    return {spec.name: spec for spec in specs}


def test_hourly_rule_gives_an_hourly_frequency() -> None:
    rules = [
        RulePreset(name="Hourly", schedule="cron(0 * * * ? *)", delete_after_days=2),
        BackupRules.daily_warm(),
    ]
    plan = by_name(framework_controls(rules))["BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"]
    assert dict(plan.parameters) == {
        "requiredFrequencyUnit": "hours",
        "requiredFrequencyValue": "1",
        "requiredRetentionDays": "2",
    }


def test_every_six_hours_and_weekly_round_up() -> None:
    six = framework_controls([RulePreset(name="Six", schedule="cron(0 */6 * * ? *)")])
    assert dict(six[0].parameters) == {
        "requiredFrequencyUnit": "hours",
        "requiredFrequencyValue": "6",
    }
    weekly = framework_controls([RulePreset(name="W", schedule="cron(0 8 ? * SUN *)")])
    assert dict(weekly[0].parameters) == {
        "requiredFrequencyUnit": "days",
        "requiredFrequencyValue": "7",
    }
    # No rule deletes its points: no retention parameter, and no recovery point retention check.
    assert "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK" not in by_name(weekly)


def test_vault_lock_retention_and_break_glass_principals_reach_their_controls() -> None:
    roles = [f"arn:aws:iam::123456789012:role/BreakGlass{i}" for i in range(5)]
    specs = by_name(
        framework_controls(
            BackupRules.daily_monthly(), lock_retention=(7, 400), deletion_principals=roles
        )
    )
    lock = specs["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"]
    assert dict(lock.parameters) == {"minRetentionDays": "7", "maxRetentionDays": "400"}
    # "Up to 5 IAM roles" (choosing-controls.html).
    deletion = specs["BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED"]
    assert dict(deletion.parameters) == {"principalArnList": ",".join(roles)}


def copy_rule(*arns: str, days: int | None = None) -> RulePreset:
    return RulePreset(
        name="Daily",
        schedule="cron(0 8 * * ? *)",
        delete_after_days=35,
        copy_actions=tuple(
            CopyAction(destination_vault_arn=arn, delete_after_days=days) for arn in arns
        ),
    )


def test_cross_region_and_cross_account_controls_come_from_copy_actions() -> None:
    rule = copy_rule(
        "arn:aws:backup:eu-west-1:123456789012:backup-vault:dr",
        "arn:aws:backup:us-east-1:210987654321:backup-vault:vault",
        "arn:aws:backup:us-west-2:123456789012:backup-vault:dr2",
        days=14,
    )
    specs = by_name(
        framework_controls([rule], home_region="us-east-1", home_account="123456789012")
    )
    assert dict(specs["BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"].parameters) == {
        "crossRegionList": "eu-west-1,us-west-2"
    }
    assert dict(specs["BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT"].parameters) == {
        "crossAccountList": "210987654321"
    }
    # Copies kept 14 days lower the recovery point retention check, not the plan's.
    assert dict(specs["BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK"].parameters) == {
        "requiredRetentionDays": "14"
    }
    plan = dict(specs["BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"].parameters)
    assert plan["requiredRetentionDays"] == "35"


def test_a_copy_in_the_home_region_is_not_cross_region() -> None:
    rule = copy_rule("arn:aws:backup:us-east-1:210987654321:backup-vault:vault")
    specs = by_name(framework_controls([rule], home_region="us-east-1"))
    assert "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION" not in specs
    assert "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT" in specs


# -- what AWS would reject, refused by the construct ------------------------------------

DAILY = RulePreset(name="Daily", schedule="cron(0 8 * * ? *)", delete_after_days=35)


def bad_restore(case_id: str, message: str, **options: Any) -> Any:
    """A case that changes only ``restore_testing``, to ``RestoreTestingOptions(**options)``."""
    return pytest.param({"restore_testing": RestoreTestingOptions(**options)}, message, id=case_id)


def bad_audit(case_id: str, message: str, **options: Any) -> Any:
    """A case that changes only ``audit``, to ``AuditOptions(**options)``."""
    return pytest.param({"audit": AuditOptions(**options)}, message, id=case_id)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        # AWS Backup takes no rate() expression (a maintainer,
        # https://github.com/hashicorp/terraform-provider-aws/issues/8269).
        bad_restore(
            "restore-schedule-rate",
            "restore_testing.schedule: got 'rate(7 days)'",
            schedule="rate(7 days)",
        ),
        bad_restore(
            "restore-schedule-too-frequent",
            "restore_testing.schedule: got 'cron(*/5 * * * ? *)'; it fires every 5 minutes",
            schedule="cron(*/5 * * * ? *)",
        ),
        bad_restore(
            "restore-timezone",
            "restore_testing.schedule_timezone: got 'Moon/Base'; use an IANA time zone name",
            schedule_timezone="Moon/Base",
        ),
        # botocore RestoreTestingPlanForCreate: StartWindowHours at most 168.
        bad_restore(
            "start-window-over-a-week",
            "restore_testing.start_window_hours: got 169; a start window in hours is a whole "
            "number from 1 to 168",
            start_window_hours=169,
        ),
        # botocore RestoreTestingRecoveryPointSelection: SelectionWindowDays 1 to 365.
        bad_restore(
            "selection-window-over-a-year",
            "restore_testing.selection_window_days: got 366; a selection window in days is a "
            "whole number from 1 to 365",
            selection_window_days=366,
        ),
        # botocore RestoreTestingSelectionForCreate: ValidationWindowHours 0 to 168.
        bad_restore(
            "validation-window",
            "restore_testing.validation_window_hours: got 200; a validation window is a whole "
            "number from 0 to 168",
            validation_window_hours=200,
        ),
        pytest.param(
            {
                "rules": [RulePreset(name="Weekly", schedule="cron(0 8 ? * SUN *)")],
                "restore_testing": RestoreTestingOptions(selection_window_days=3),
            },
            "restore_testing.selection_window_days: got 3; the plan's most frequent rule backs "
            "up only every 7 days",
            id="selection-window-shorter-than-the-backups",
        ),
        # "only alphanumeric characters and underscores. Maximum length is 50."
        bad_restore(
            "restore-name-dash",
            "restore_testing.name: got 'weekly-test'; a restore testing plan name is 1 to 50 "
            "letters, digits or '_'",
            name="weekly-test",
        ),
        bad_restore(
            "restore-name-too-long", f"restore_testing.name: got '{'x' * 51}'", name="x" * 51
        ),
        bad_restore(
            "restore-kms-not-an-arn",
            "restore_testing.kms_key_arn: got 'alias/aws/efs'; give a KMS key or alias ARN",
            kms_key_arn="alias/aws/efs",
        ),
        # botocore RestoreTestingSelectionForCreate: up to 30 specific ARNs.
        pytest.param(
            {
                "file_systems": [f"fs-{i:08x}" for i in range(31)],
                "restore_testing": RestoreTestingOptions(),
            },
            "restore_testing: got 31 file systems; a restore testing selection takes at most 30",
            id="restore-too-many-file-systems",
        ),
        # Audit framework [a-zA-Z][_a-zA-Z0-9]*
        # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateFramework.html).
        bad_audit(
            "framework-name",
            "audit.name: got '1st_controls'; a framework name is 1 to 256 characters: a letter",
            name="1st_controls",
        ),
        bad_audit(
            "bucket-name",
            "audit.report_bucket: got 'My_Reports'; an S3 bucket name is 3 to 63 lowercase",
            report_bucket="My_Reports",
        ),
        bad_audit(
            "bucket-name-ip",
            "audit.report_bucket: got '192.168.1.10'",
            report_bucket="192.168.1.10",
        ),
        bad_audit(
            "compliance-report-without-framework",
            "audit.framework: got false with report_templates ['CONTROL_COMPLIANCE_REPORT']; "
            "compliance reports cover a framework",
            framework=False,
            report_bucket="reports",
        ),
        bad_audit(
            "audit-creates-nothing",
            "audit.framework: got false with no report_bucket; the audit would create nothing",
            framework=False,
        ),
        bad_audit(
            "prefix-without-bucket",
            "audit.report_key_prefix: got 'reports' with no report_bucket",
            report_key_prefix="reports",
        ),
        bad_audit(
            "report-template",
            "audit.report_templates[0]: got 'DAILY'; report templates are BACKUP_JOB_REPORT",
            report_bucket="reports",
            report_templates=("DAILY",),
        ),
        bad_audit(
            "no-report-format",
            "audit.report_formats: got []; give at least one report format: CSV, JSON",
            report_bucket="reports",
            report_formats=(),
        ),
        bad_audit(
            "report-format-twice",
            "audit.report_formats[1]: got 'CSV' twice",
            report_bucket="reports",
            report_formats=("CSV", "CSV"),
        ),
        # AWS Config backup-plan-min-frequency-and-min-retention-check: at most 31 days.
        pytest.param(
            {
                "rules": [RulePreset(name="Yearly", schedule="cron(0 8 1 1 ? *)")],
                "audit": AuditOptions(),
            },
            "audit.framework: got true, but the plan's most frequent rule backs up only every "
            "365 days",
            id="frequency-beyond-31-days",
        ),
    ],
)
def test_bad_assurance_props_raise_value_error_naming_field_and_value(
    props: dict[str, Any], message: str
) -> None:
    stack = Stack(App(), "Bad")
    kwargs: dict[str, Any] = {
        "site_name": "example",
        "file_systems": [IMPORTED_ID],
        "rules": [DAILY],
        **props,
    }
    with pytest.raises(ValueError) as caught:
        BackupStrategy(stack, "Backup", **kwargs)
    assert message in str(caught.value), str(caught.value)
    assert not any(c.node.id in {"Vault", "RestoreTestingPlan"} for c in stack.node.find_all())


def test_cross_region_copy_adds_its_control_to_the_synthesized_framework() -> None:
    stack = Stack(App(), "Copies", env=Environment(account="123456789012", region="us-east-1"))
    rule = copy_rule("arn:aws:backup:eu-west-1:123456789012:backup-vault:dr", days=35)
    BackupStrategy(
        stack,
        "Backup",
        site_name="dr",
        file_systems=[IMPORTED_ID],
        rules=[rule],
        audit=AuditOptions(),
    )
    found = controls(Template.from_stack(stack))
    assert parameters(found["BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"]) == {
        "crossRegionList": "eu-west-1"
    }
    assert found["BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"]["ControlScope"] == {
        "ComplianceResourceTypes": ["EFS"]
    }
    # Same account: no cross-account control.
    assert "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT" not in found


def test_more_than_five_break_glass_arns_are_refused_for_the_deletion_control() -> None:
    from vaultplan.spec.assurance import audit_problems

    roles = [f"arn:aws:iam::123456789012:role/BreakGlass{i}" for i in range(6)]
    # "Up to 5 IAM roles that allow manual deletion of recovery points" (choosing-controls.html)
    assert audit_problems(AuditOptions(), "site", [DAILY], deletion_principals=roles) == [
        "audit.framework: got true with 6 vault.break_glass_arns; the control "
        "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED exempts at most 5 principals, so the "
        "others would be reported: keep 5 break-glass ARNs, or set framework = false"
    ]
    assert audit_problems(AuditOptions(), "site", [DAILY], deletion_principals=roles[:5]) == []


RDS_ARN = "arn:aws:rds:us-east-1:123456789012:db:orders"
EFS_ARN = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef1"


def test_selected_efs_arns_are_restore_tested_and_selected_types_scope_the_controls() -> None:
    from vaultplan.spec.selection import SelectionOptions

    stack = Stack(App(), "Arns")
    BackupStrategy(
        stack,
        "Backup",
        site_name="mixed",
        selection=SelectionOptions(arns=(RDS_ARN, EFS_ARN)),
        restore_testing=RestoreTestingOptions(),
        audit=AuditOptions(),
    )
    template = Template.from_stack(stack)
    _, selection = only(template, "AWS::Backup::RestoreTestingSelection")
    # Only the EFS file system: the RDS database is not an EFS restore test's to take.
    assert selection["ProtectedResourceArns"] == [EFS_ARN]
    encrypted = controls(template)["BACKUP_RECOVERY_POINT_ENCRYPTED"]
    assert encrypted["ControlScope"] == {"ComplianceResourceTypes": ["EFS", "RDS"]}


def test_restore_testing_without_an_efs_file_system_is_refused() -> None:
    from vaultplan.spec.selection import SelectionOptions

    with pytest.raises(ValueError) as caught:
        BackupStrategy(
            Stack(App(), "NoEfs"),
            "Backup",
            site_name="db",
            selection=SelectionOptions(arns=(RDS_ARN,)),
            restore_testing=RestoreTestingOptions(),
        )
    assert str(caught.value) == (
        "restore_testing: got 0 EFS file systems; restore tests restore the strategy's EFS file "
        "systems (constructs, ids, or file-system ARNs in selection.arns): give one, or turn "
        "restore testing off"
    )


def test_vault_lock_control_takes_the_lock_s_retention(template: Template) -> None:
    # The default governance lock's min/max are the rules' shortest and longest retention.
    control = controls(template)["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"]
    assert parameters(control) == {"minRetentionDays": "35", "maxRetentionDays": "365"}
    assert control["ControlScope"] == {"ComplianceResourceTypes": ["EFS"]}


def test_six_break_glass_arns_with_the_framework_are_refused_by_the_construct() -> None:
    from vaultplan.spec.vault import VaultOptions

    roles = tuple(f"arn:aws:iam::123456789012:role/BreakGlass{i}" for i in range(6))
    with pytest.raises(ValueError) as caught:
        BackupStrategy(
            Stack(App(), "Glass"),
            "Backup",
            site_name="glass",
            file_systems=[IMPORTED_ID],
            vault=VaultOptions(break_glass_arns=roles),
            audit=AuditOptions(),
        )
    assert "audit.framework: got true with 6 vault.break_glass_arns" in str(caught.value)
