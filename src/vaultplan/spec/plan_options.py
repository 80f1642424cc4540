"""Plan-level options, as plain data: malware scanning settings and advanced backup settings.

:class:`PlanOptions` is what ``[plan]`` holds besides the preset (``windows_vss``,
``s3_backup_acls``, ``s3_backup_object_tags`` and ``[plan.malware_scanning]``), and what
``BackupStrategy(plan_options=...)`` takes. The per-rule options (archive tier, index actions,
scan actions) are on :class:`~vaultplan.spec.rules.RulePreset`; their checks against the
plan and its selection are :func:`plan_options_problems`. No ``aws_cdk`` here. AWS's facts
and sources: :mod:`vaultplan.aws.plan_options`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from vaultplan.aws import arns
from vaultplan.aws import plan_options as aws_options
from vaultplan.spec.rules import RulePreset

__all__ = [
    "MALWARE_SCANNING_KEYS",
    "PLAN_OPTION_KEYS",
    "MalwareScanning",
    "PlanOptions",
    "plan_options_problems",
]

PLAN_OPTION_KEYS = ("windows_vss", "s3_backup_acls", "s3_backup_object_tags", "malware_scanning")
"""The keys of ``[plan]`` that :class:`PlanOptions` holds."""
MALWARE_SCANNING_KEYS = ("resource_types", "scanner_role_arn")
"""The keys of ``[plan.malware_scanning]``."""


def _never(value: object) -> bool:
    return False


@dataclass(frozen=True, kw_only=True)
class MalwareScanning:
    """The plan's GuardDuty scan settings (``ScanSettings``), used by rules with a scan mode."""

    resource_types: tuple[str, ...] = aws_options.SCAN_TYPES
    """Resource types whose recovery points GuardDuty scans: EBS, EC2, S3. Default: all three."""
    scanner_role_arn: str | None = None
    """The role GuardDuty assumes to read the recovery points. Default: a new role assumed by
    ``malware-protection.guardduty.amazonaws.com`` with the AWS managed policy
    ``AWSBackupGuardDutyRolePolicyForScans``."""

    def __post_init__(self) -> None:
        if isinstance(self.resource_types, (list, tuple)):
            object.__setattr__(self, "resource_types", tuple(self.resource_types))


@dataclass(frozen=True, kw_only=True)
class PlanOptions:
    """Settings of the whole plan. ``PlanOptions()`` sets none of them."""

    windows_vss: str | None = None
    """``"enabled"``: EC2 backups of Windows instances are VSS-consistent (AWS's default:
    ``"disabled"``). Default: not set."""
    s3_backup_acls: str | None = None
    """``"disabled"`` leaves object ACLs out of S3 backups (AWS's default: included)."""
    s3_backup_object_tags: str | None = None
    """``"disabled"`` leaves object tags out of S3 backups (AWS's default: included)."""
    malware_scanning: MalwareScanning | None = None
    """GuardDuty scan settings, needed by every rule with ``malware_scan_mode``. Default: none."""

    @property
    def advanced_backup_settings(self) -> list[dict[str, Any]]:
        """The plan's ``AdvancedBackupSettings``, in CloudFormation's shape (empty: none)."""
        out: list[dict[str, Any]] = []
        if self.windows_vss is not None:
            out.append({"ResourceType": "EC2", "BackupOptions": {"WindowsVSS": self.windows_vss}})
        s3 = {
            key: value
            for key, value in (
                ("BackupACLs", self.s3_backup_acls),
                ("BackupObjectTags", self.s3_backup_object_tags),
            )
            if value is not None
        }
        if s3:
            out.append({"ResourceType": "S3", "BackupOptions": s3})
        return out

    @property
    def advanced_types(self) -> tuple[str, ...]:
        """The resource types the advanced backup settings name (``EC2``, ``S3``)."""
        return tuple(item["ResourceType"] for item in self.advanced_backup_settings)


def _selects(types: frozenset[str], wanted: Sequence[str]) -> bool:
    return any(t in types for t in wanted)


def plan_options_problems(
    options: PlanOptions,
    rules: Sequence[RulePreset],
    selected_types: frozenset[str],
    *,
    field: str = "plan",
    rules_field: str = "rules",
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """Every problem of ``options``, and of the rules' archive, index and scan settings against
    the plan and what it selects (``selected_types``: AWS Backup's type names).

    A setting for a resource type the selection can't pick would be ignored by AWS Backup, so
    it is refused: archive needs EBS, an index action its type, malware scanning one of its
    types, and each advanced setting its type.
    """
    problems: list[str] = []
    for key, resource_type in (
        ("windows_vss", "EC2"),
        ("s3_backup_acls", "S3"),
        ("s3_backup_object_tags", "S3"),
    ):
        value = getattr(options, key)
        if value is None or unresolved(value):
            continue
        if not isinstance(value, str) or value not in aws_options.OPTION_VALUES:
            problems.append(f"{field}.{key}: got {value!r}; use 'enabled' or 'disabled'")
        elif resource_type not in selected_types:
            problems.append(
                f"{field}.{key}: got {value!r}, and the selection picks no {resource_type} "
                f"resource; AWS Backup would ignore it: select {resource_type} resources "
                "(selection.arns), or remove it"
            )
    scanning = options.malware_scanning
    if scanning is not None:
        problems += _scanning_problems(scanning, selected_types, f"{field}.malware_scanning")
    for i, rule in enumerate(rules):
        problems += _rule_problems(rule, f"{rules_field}[{i}]", scanning, selected_types, field)
    return problems


def _scanning_problems(
    scanning: MalwareScanning, selected_types: frozenset[str], field: str
) -> list[str]:
    problems = aws_options.scan_types(scanning.resource_types, f"{field}.resource_types")
    if scanning.scanner_role_arn is not None:
        problems += arns.role_arn(scanning.scanner_role_arn, f"{field}.scanner_role_arn")
    if not problems and not _selects(selected_types, scanning.resource_types):
        problems.append(
            f"{field}.resource_types: got {list(scanning.resource_types)!r}, and the selection "
            "picks none of them; GuardDuty would scan nothing: select EBS, EC2 or S3 "
            "resources (selection.arns), or remove [plan.malware_scanning]"
        )
    return problems


def _rule_problems(
    rule: RulePreset,
    field: str,
    scanning: MalwareScanning | None,
    selected_types: frozenset[str],
    plan_field: str,
) -> list[str]:
    problems: list[str] = []
    archived = rule.archive or any(action.archive for action in rule.copy_actions)
    if archived is True and not _selects(selected_types, aws_options.ARCHIVE_TYPES):
        problems.append(
            f"{field}.archive: got true, and the selection picks no EBS volume; only EBS "
            "snapshots move to an archive tier, so AWS Backup would ignore it: select EBS "
            "volumes (selection.arns), or remove it"
        )
    for wanted in rule.index_resource_types:
        if wanted in aws_options.INDEX_TYPES and wanted not in selected_types:
            problems.append(
                f"{field}.index_resource_types: got {wanted!r}, and the selection picks no "
                f"{wanted} resource; nothing would be indexed: select {wanted} resources "
                "(selection.arns), or remove it"
            )
    if rule.malware_scan_mode is not None and scanning is None:
        problems.append(
            f"{field}.malware_scan_mode: got {rule.malware_scan_mode!r} with no "
            f"[{plan_field}.malware_scanning]; a scan action needs the plan's GuardDuty scan "
            "settings: add [plan.malware_scanning], or remove it"
        )
    return problems
