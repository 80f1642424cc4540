"""Restore testing and Backup Audit Manager resources for a :class:`BackupStrategy`.

aws-cdk-lib 2.275 has no L2 for these types, so they are L1: ``CfnRestoreTestingPlan``,
``CfnRestoreTestingSelection``, ``CfnFramework`` and ``CfnReportPlan``. The options and their
checks are plain data in :mod:`vaultplan.spec.assurance`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Stack, Token
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from constructs import Construct

from vaultplan.spec.assurance import (
    COMPLIANCE_REPORT_TEMPLATES,
    AuditOptions,
    ControlSpec,
    RestoreTestingOptions,
    audit_names,
    framework_controls,
    report_plan_name,
    restore_testing_names,
)
from vaultplan.spec.rules import RulePreset

__all__ = ["add_audit", "add_restore_testing", "known"]


def known(value: str) -> str | None:
    """``value``, or None if it is an unresolved token (e.g. an environment-agnostic Region)."""
    return None if Token.is_unresolved(value) else value


def add_restore_testing(
    scope: Construct,
    options: RestoreTestingOptions,
    *,
    site_name: str,
    vault: backup.IBackupVault,
    role: iam.IRole,
    file_system_arns: Sequence[str],
) -> tuple[backup.CfnRestoreTestingPlan, backup.CfnRestoreTestingSelection]:
    """A restore testing plan (id ``RestoreTestingPlan``) and its EFS selection
    (``RestoreTestingSelection``).

    The plan picks the latest snapshot point (LATEST_WITHIN_WINDOW, SNAPSHOT) of the vault
    within the selection window. The selection restores the file systems with ``role``, which
    must allow restores (the strategy's role has ``AWSBackupServiceRolePolicyForRestores``).
    """
    # A token site can't be rewritten into a name (no '-' replacement in CloudFormation); the
    # checks then require options.name, and the selection, unique within its plan, is "EFS".
    names = (
        {"plan": "", "selection": "EFS"}
        if Token.is_unresolved(site_name)
        else restore_testing_names(site_name)
    )
    plan = backup.CfnRestoreTestingPlan(
        scope,
        "RestoreTestingPlan",
        restore_testing_plan_name=options.name or names["plan"],
        schedule_expression=options.schedule,
        schedule_expression_timezone=options.schedule_timezone,
        start_window_hours=options.start_window_hours,
        recovery_point_selection=backup.CfnRestoreTestingPlan.RestoreTestingRecoveryPointSelectionProperty(
            algorithm="LATEST_WITHIN_WINDOW",
            include_vaults=[vault.backup_vault_arn],
            recovery_point_types=["SNAPSHOT"],
            selection_window_days=options.selection_window_days,
        ),
    )
    overrides = {"kmsKeyId": options.kms_key_arn} if options.kms_key_arn is not None else None
    selection = backup.CfnRestoreTestingSelection(
        scope,
        "RestoreTestingSelection",
        # Ref of a restore testing plan is its name: this also orders the creation.
        restore_testing_plan_name=plan.ref,
        restore_testing_selection_name=names["selection"],
        protected_resource_type="EFS",
        protected_resource_arns=list(file_system_arns),
        iam_role_arn=role.role_arn,
        validation_window_hours=options.validation_window_hours,
        restore_metadata_overrides=overrides,
    )
    return plan, selection


def _scope(
    spec: ControlSpec,
    plan: backup.IBackupPlan,
    vault: backup.IBackupVault,
    resource_types: Sequence[str],
) -> dict[str, Any]:
    if spec.scope == "plan":
        return {
            "ComplianceResourceIds": [plan.backup_plan_id],
            "ComplianceResourceTypes": ["AWS::Backup::BackupPlan"],
        }
    if spec.scope == "vault":
        return {
            "ComplianceResourceIds": [vault.backup_vault_name],
            "ComplianceResourceTypes": ["AWS::Backup::BackupVault"],
        }
    return {"ComplianceResourceTypes": list(resource_types)}


def add_audit(
    scope: Construct,
    options: AuditOptions,
    *,
    site_name: str,
    rules: Sequence[RulePreset],
    plan: backup.IBackupPlan,
    vault: backup.IBackupVault,
    lock_retention: tuple[int | None, int | None] | None = None,
    deletion_principals: Sequence[str] = (),
    resource_types: Sequence[str] = ("EFS",),
    restore_testing: bool = False,
) -> tuple[backup.CfnFramework | None, tuple[backup.CfnReportPlan, ...]]:
    """The framework (id ``Framework``) and one report plan per template
    (``ReportPlan<Template>``, e.g. ``ReportPlanBackupJob``).

    Controls and their parameters come from :func:`framework_controls`: the plan's rules, the
    vault lock's retention (``lock_retention``, when the vault has a lock), the copy actions'
    Regions and accounts, and the principals allowed to delete recovery points.
    """
    names = audit_names(site_name, options.name)
    stack = Stack.of(scope)
    framework: backup.CfnFramework | None = None
    if options.framework:
        controls = framework_controls(
            rules,
            lock_retention=lock_retention,
            home_region=known(stack.region),
            home_account=known(stack.account),
            deletion_principals=deletion_principals,
            restore_time_target_minutes=options.restore_time_target_minutes
            if restore_testing
            else None,
            unresolved=Token.is_unresolved,
        )
        framework = backup.CfnFramework(
            scope,
            "Framework",
            framework_name=names["framework"],
            framework_description=(
                f"vaultplan: controls for {site_name}, with parameters from its backup plan"
            ),
            framework_controls=[
                backup.CfnFramework.FrameworkControlProperty(
                    control_name=spec.name,
                    control_input_parameters=[
                        backup.CfnFramework.ControlInputParameterProperty(
                            parameter_name=key, parameter_value=value
                        )
                        for key, value in spec.parameters
                    ]
                    or None,
                    control_scope=_scope(spec, plan, vault, resource_types),
                )
                for spec in controls
            ],
        )
    reports: list[backup.CfnReportPlan] = []
    if options.report_bucket is not None:
        channel: dict[str, Any] = {
            "S3BucketName": options.report_bucket,
            "Formats": list(options.report_formats),
        }
        if options.report_key_prefix is not None:
            channel["S3KeyPrefix"] = options.report_key_prefix
        for template in options.report_templates:
            setting: dict[str, Any] = {"ReportTemplate": template}
            if template in COMPLIANCE_REPORT_TEMPLATES and framework is not None:
                setting["FrameworkArns"] = [framework.attr_framework_arn]
            name = report_plan_name(names["report"], template)
            reports.append(
                backup.CfnReportPlan(
                    scope,
                    f"ReportPlan{name.rsplit('_', 1)[1]}",
                    report_plan_name=name,
                    report_plan_description=f"vaultplan: {template} for {site_name}",
                    report_delivery_channel=channel,
                    report_setting=setting,
                )
            )
    return framework, tuple(reports)
