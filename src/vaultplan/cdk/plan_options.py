"""The plan's archive, scan and advanced settings, on the L2 ``BackupPlan``'s resource.

aws-cdk-lib's ``BackupPlan`` has index actions (``BackupPlanRule(index_actions=...)``, used in
:mod:`vaultplan.cdk.strategy`) and ``windows_vss=True``, but no archive opt-in, no scan
actions or settings, and no S3 backup options; these are property overrides on the
``AWS::Backup::BackupPlan`` (shapes from its CloudFormation schema). The scanner role and the
scan policy of AWS Backup's role: :mod:`vaultplan.aws.plan_options`.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import CfnResource
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from constructs import Construct

from vaultplan.aws import plan_options as aws_options
from vaultplan.cdk.suppressions import SCANNER_ROLE_MANAGED_POLICY, suppress
from vaultplan.spec.plan_options import PlanOptions
from vaultplan.spec.rules import RulePreset

__all__ = ["add_plan_options", "scan_role_policy"]

_SCANNER = aws_options.MALWARE_SCANNERS[0]


def scan_role_policy() -> iam.IManagedPolicy:
    """``AWSBackupServiceRolePolicyForScans``, for the role AWS Backup runs the jobs with."""
    return iam.ManagedPolicy.from_aws_managed_policy_name(aws_options.SCAN_ROLE_POLICY)


def add_plan_options(
    scope: Construct,
    plan: backup.BackupPlan,
    rules: Sequence[RulePreset],
    options: PlanOptions,
    *,
    role_scope: Construct | None = None,
) -> iam.IRole | None:
    """Write the rules' archive and scan actions and the plan's settings onto ``plan``.

    Returns the scanner role: the one created (child ``ScannerRole`` of ``role_scope``,
    default ``scope``; one such role serves every plan of that scope), or the existing one
    named by ``scanner_role_arn`` (child ``ImportedScannerRole``); None without scanning.
    """
    cfn = plan.node.default_child
    assert isinstance(cfn, CfnResource)
    base = "BackupPlan.BackupPlanRule"
    archive = "Lifecycle.OptInToArchiveForSupportedResources"
    for i, rule in enumerate(rules):
        if rule.archive:
            cfn.add_property_override(f"{base}.{i}.{archive}", True)
        for j, action in enumerate(rule.copy_actions):
            if action.archive:
                cfn.add_property_override(f"{base}.{i}.CopyActions.{j}.{archive}", True)
        if rule.malware_scan_mode is not None:
            cfn.add_property_override(
                f"{base}.{i}.ScanActions",
                [{"MalwareScanner": _SCANNER, "ScanMode": rule.malware_scan_mode}],
            )
    if options.advanced_backup_settings:
        cfn.add_property_override(
            "BackupPlan.AdvancedBackupSettings", options.advanced_backup_settings
        )
    scanning = options.malware_scanning
    if scanning is None:
        return None
    if scanning.scanner_role_arn is not None:
        role = iam.Role.from_role_arn(
            scope, "ImportedScannerRole", scanning.scanner_role_arn, mutable=False
        )
    elif isinstance(shared := (role_scope or scope).node.try_find_child("ScannerRole"), iam.Role):
        role = shared
    else:
        role = iam.Role(
            role_scope or scope,
            "ScannerRole",
            assumed_by=iam.ServicePrincipal(aws_options.SCANNER_PRINCIPAL),
            description="GuardDuty reads the backup plan's recovery points with this role",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(aws_options.SCANNER_ROLE_POLICY)
            ],
        )
        suppress(role, SCANNER_ROLE_MANAGED_POLICY)
    cfn.add_property_override(
        "BackupPlan.ScanSettings",
        [
            {
                "MalwareScanner": _SCANNER,
                "ResourceTypes": list(scanning.resource_types),
                "ScannerRoleArn": role.role_arn,
            }
        ],
    )
    return role
