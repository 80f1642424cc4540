"""Every compliance finding vaultplan accepts on purpose, with its reason: the one list.

The default app is checked by cdk-nag (AwsSolutions, HIPAA Security, NIST 800-53 R5 packs),
checkov, cfn-lint and ``vaultplan check`` (``tests/compliance/``). What those tools report and
vaultplan deliberately keeps is listed here and nowhere else; the README's ``## Compliance``
section is generated from this list (:func:`render_markdown`, ``make docs``) and a test keeps
the two equal.

A suppression is written as CloudFormation metadata on the resource, in the form each tool
reads: ``cdk_nag: {rules_to_suppress: [{id, reason, applies_to}]}`` (what
``cdk_nag.NagSuppressions`` writes) and ``checkov: {skip: [{id, comment}]}``. So cdk-nag, a dev
dependency, is never imported at run time. The list itself is plain data: importing this module
does not start jsii.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_cdk import CfnResource
    from constructs import IConstruct

__all__ = [
    "BACKUP_ROLE_MANAGED_POLICIES",
    "BACKUP_ROLE_S3_MANAGED_POLICIES",
    "BACKUP_ROLE_SCAN_POLICY",
    "DRILL_SUPPRESSIONS",
    "SCANNER_ROLE_MANAGED_POLICY",
    "SCANNING_SUPPRESSIONS",
    "SUPPRESSIONS",
    "VPC_DEFAULT_SECURITY_GROUP",
    "Suppression",
    "render_markdown",
    "suppress",
    "suppress_all",
]

TOOLS = ("cdk-nag", "checkov")


@dataclass(frozen=True)
class Suppression:
    """One accepted finding: which tool and rule, on which resource, and why.

    ``resource`` is the construct path of the resource under its stack (what the
    ``aws:cdk:path`` metadata says, without the stack name). ``applies_to`` narrows a cdk-nag
    rule to some of its findings (e.g. one managed policy for ``AwsSolutions-IAM4``).
    """

    tool: str
    rule_id: str
    resource: str
    reason: str
    applies_to: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.tool not in TOOLS:
            raise ValueError(f"tool: got {self.tool!r}; use one of {', '.join(TOOLS)}")
        # cdk-nag refuses reasons under 10 characters; a reason must say something.
        if len(self.reason) < 40:
            raise ValueError(f"reason of {self.rule_id}: got {self.reason!r}; explain it")


_DEFAULT_SG_REASON = (
    "CloudFormation cannot remove the rules of a VPC's default security group; only CDK's "
    "Custom::VpcRestrictDefaultSG Lambda can, and that Lambda draws more findings (checkov "
    "CKV_AWS_115/116/117, cfn-lint W3005) and a code asset. Nothing in the stack uses the "
    "default group (the EFS mount targets have their own), and the subnets are isolated: "
    "no internet or NAT gateway."
)

VPC_DEFAULT_SECURITY_GROUP = tuple(
    Suppression(tool="cdk-nag", rule_id=rule, resource="Vpc/Resource", reason=_DEFAULT_SG_REASON)
    for rule in (
        "HIPAA.Security-VPCDefaultSecurityGroupClosed",
        "NIST.800.53.R5-VPCDefaultSecurityGroupClosed",
    )
)
"""The default app's VPC keeps its default security group's rules (see the reason)."""

BACKUP_ROLE_MANAGED_POLICIES = (
    Suppression(
        tool="cdk-nag",
        rule_id="AwsSolutions-IAM4",
        resource="BackupStrategy/Role/Resource",
        reason=(
            "AWSBackupServiceRolePolicyForBackup and AWSBackupServiceRolePolicyForRestores are "
            "the service-role policies AWS Backup documents for its role; AWS keeps them "
            "current as AWS Backup supports new resource types and actions. A hand-copied "
            "policy would go stale and break backups of the non-EFS resources a selection "
            "can name."
        ),
        applies_to=(
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSBackupServiceRolePolicyForBackup",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSBackupServiceRolePolicyForRestores",
        ),
    ),
)
"""The backup role the strategy creates uses AWS's managed service-role policies."""

BACKUP_ROLE_S3_MANAGED_POLICIES = (
    Suppression(
        tool="cdk-nag",
        rule_id="AwsSolutions-IAM4",
        resource="BackupStrategy/Role/Resource",
        reason=(
            "AWSBackupServiceRolePolicyForS3Backup and AWSBackupServiceRolePolicyForS3Restore "
            "are the policies AWS Backup documents for backing up and restoring S3 buckets, "
            "besides the general two; the role gets them only when the selection can select "
            "S3 (a bucket ARN, a pattern or * that matches one, or tag conditions alone). "
            "Without them every S3 backup job fails, and AWS keeps them current as S3 backup "
            "gains features."
        ),
        applies_to=(
            "Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
        ),
    ),
)
"""The backup role of a strategy that can select S3 also has AWS's S3 managed policies."""

BACKUP_ROLE_SCAN_POLICY = (
    Suppression(
        tool="cdk-nag",
        rule_id="AwsSolutions-IAM4",
        resource="BackupStrategy/Role/Resource",
        reason=(
            "With malware scanning on, AWS Backup's role gets AWSBackupServiceRolePolicyForScans, "
            "the policy AWS documents for starting GuardDuty scans of recovery points and "
            "passing the scanner role to GuardDuty only."
        ),
        applies_to=(
            "Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForScans",
        ),
    ),
)
"""The backup role's scan policy, when malware scanning is on."""

SCANNER_ROLE_MANAGED_POLICY = (
    Suppression(
        tool="cdk-nag",
        rule_id="AwsSolutions-IAM4",
        resource="BackupStrategy/ScannerRole/Resource",
        reason=(
            "AWSBackupGuardDutyRolePolicyForScans is the policy AWS documents for the role "
            "GuardDuty assumes to read AWS Backup recovery points; it reads only snapshots and "
            "recovery points AWS Backup tagged as its own, and AWS keeps it current."
        ),
        applies_to=(
            "Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupGuardDutyRolePolicyForScans",
        ),
    ),
)
"""The scanner role the strategy creates for malware scanning uses AWS's managed policy."""

DRILL_PREFIX = "BackupStrategy/Drill/"
"""Where the restore drill sits in the app (:class:`~vaultplan.cdk.drill.RestoreDrill`)."""

_NOT_YET = (
    "restored file systems are created by each restore job after deploy, so their ids (and "
    "their access points') can't be named; every statement on them requires the vaultplan:drill "
    "tag with this plan's name (aws:ResourceTag), which the orchestrator puts on the restore"
)
_ARN = "arn:<AWS::Partition>:{}:<AWS::Region>:<AWS::AccountId>:{}"
_DLQ = (
    "The orchestrator reports every failure on the restore job itself "
    "(PutRestoreValidationResult FAILED with the step that failed), and an event that never ran "
    "leaves the job without a validation status, which the AWS Backup console and the "
    "RESTORE_JOB_REPORT show; the checker is only invoked synchronously, so it has no "
    "asynchronous event to dead-letter."
)
_OUTSIDE_VPC = (
    "The orchestrator calls the AWS Backup, EFS and Lambda APIs and reads no data; the "
    "strategy's VPC has isolated subnets without NAT, where those APIs would need three "
    "interface endpoints. The function that reads the restored data (Checker) runs in the VPC."
)
_RUNTIME = (
    "Pinned to python3.13, the runtime the drill's code is tested with (supported by Lambda "
    "until 2029, Lambda runtimes page); moving to a newer runtime is a reviewed change of the "
    "package, not an automatic one."
)


def _drill(tool: str, rule: str, resource: str, reason: str, *applies: str) -> Suppression:
    return Suppression(
        tool=tool,
        rule_id=rule,
        resource=f"{DRILL_PREFIX}{resource}",
        reason=reason,
        applies_to=applies,
    )


DRILL_SUPPRESSIONS: tuple[Suppression, ...] = (
    *(
        _drill("cdk-nag", rule, f"{fn}/Resource", _DLQ)
        for fn in ("Checker", "Orchestrator")
        for rule in ("HIPAA.Security-LambdaDLQ", "NIST.800.53.R5-LambdaDLQ")
    ),
    *(
        _drill("cdk-nag", rule, "Orchestrator/Resource", _OUTSIDE_VPC)
        for rule in ("HIPAA.Security-LambdaInsideVPC", "NIST.800.53.R5-LambdaInsideVPC")
    ),
    *(
        _drill("cdk-nag", "AwsSolutions-L1", f"{fn}/Resource", _RUNTIME)
        for fn in ("Checker", "Orchestrator")
    ),
    _drill(
        "cdk-nag",
        "AwsSolutions-IAM4",
        "CheckerRole/Resource",
        "AWSLambdaVPCAccessExecutionRole is the policy the Lambda developer guide gives a "
        "function's VPC network interfaces (configuration-vpc); Lambda checks for those "
        "permissions when it creates the function, and AWS keeps the policy current.",
        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    ),
    _drill(
        "cdk-nag",
        "AwsSolutions-IAM5",
        "CheckerPolicy/Resource",
        f"The checker mounts read-only: {_NOT_YET}, and the mount must go through an access "
        "point of this account and a mount target.",
        f"Resource::{_ARN.format('elasticfilesystem', 'file-system/*')}",
    ),
    _drill(
        "cdk-nag",
        "AwsSolutions-IAM5",
        "OrchestratorPolicy/Resource",
        f"The orchestrator mounts each restore for the checker: {_NOT_YET}. Mount targets' "
        "network interfaces are made at run time too, in the drill's subnets with its mount "
        "security group (same statement). backup:DescribeRestoreJob, "
        "backup:PutRestoreValidationResult, ec2:DescribeSubnets and "
        "ec2:DescribeNetworkInterfaces have no IAM resource type (Service Authorization "
        "Reference), so they take '*'.",
        "Resource::*",
        f"Resource::{_ARN.format('ec2', 'network-interface/*')}",
        f"Resource::{_ARN.format('elasticfilesystem', 'access-point/*')}",
        f"Resource::{_ARN.format('elasticfilesystem', 'file-system/*')}",
    ),
    *(
        _drill("checkov", "CKV_AWS_116", f"{fn}/Resource", _DLQ)
        for fn in ("Checker", "Orchestrator")
    ),
    _drill("checkov", "CKV_AWS_117", "Orchestrator/Resource", _OUTSIDE_VPC),
)
"""The restore drill's accepted findings (only in a stack with ``validate = true``)."""

SUPPRESSIONS: tuple[Suppression, ...] = (
    VPC_DEFAULT_SECURITY_GROUP + BACKUP_ROLE_MANAGED_POLICIES + BACKUP_ROLE_S3_MANAGED_POLICIES
)
"""Every suppression vaultplan writes (the S3 one where S3 is selected), in README order."""

SCANNING_SUPPRESSIONS: tuple[Suppression, ...] = (
    BACKUP_ROLE_SCAN_POLICY + SCANNER_ROLE_MANAGED_POLICY
)
"""The suppressions written only with malware scanning on (``[plan.malware_scanning]``)."""


def _cfn_resource(construct: IConstruct) -> CfnResource:
    from aws_cdk import CfnResource

    if isinstance(construct, CfnResource):
        return construct
    child = construct.node.default_child
    if not isinstance(child, CfnResource):
        raise TypeError(f"{construct.node.path}: no CloudFormation resource to annotate")
    return child


def suppress(construct: IConstruct, suppressions: Iterable[Suppression]) -> None:
    """Write ``suppressions`` as metadata on ``construct``'s resource (or its default child).

    Metadata already there (e.g. from ``cdk_nag.NagSuppressions``) is kept and added to.
    """
    resource = _cfn_resource(construct)
    for item in suppressions:
        if item.tool == "cdk-nag":
            nag: dict[str, Any] = resource.get_metadata("cdk_nag") or {}
            rule: dict[str, Any] = {"id": item.rule_id, "reason": item.reason}
            if item.applies_to:
                rule["applies_to"] = list(item.applies_to)
            rules = [*nag.get("rules_to_suppress", []), rule]
            resource.add_metadata("cdk_nag", {**nag, "rules_to_suppress": rules})
        else:
            checkov: dict[str, Any] = resource.get_metadata("checkov") or {}
            skip = [*checkov.get("skip", []), {"id": item.rule_id, "comment": item.reason}]
            resource.add_metadata("checkov", {**checkov, "skip": skip})


def suppress_all(
    drill: IConstruct, suppressions: Iterable[Suppression], prefix: str = DRILL_PREFIX
) -> None:
    """Write each suppression on the resource its path names under ``drill`` (the path less
    ``prefix``), whatever id the strategy has in its stack."""
    for item in suppressions:
        target = drill
        for part in item.resource.removeprefix(prefix).split("/"):
            target = target.node.find_child(part)
        suppress(target, [item])


def render_markdown(
    suppressions: Iterable[Suppression] = SUPPRESSIONS + DRILL_SUPPRESSIONS,
) -> str:
    """The README's table of suppressions: tool, rule, resource, reason (the default app's,
    then the restore drill's)."""
    lines = ["| tool | rule | resource | reason |", "|------|------|----------|--------|"]
    for item in suppressions:
        rule = f"`{item.rule_id}`"
        if item.applies_to:
            rule += " on " + ", ".join(f"`{a.rsplit('/', 1)[-1]}`" for a in item.applies_to)
        lines.append(f"| {item.tool} | {rule} | `{item.resource}` | {item.reason} |")
    return "\n".join(lines) + "\n"
