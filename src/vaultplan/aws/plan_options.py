"""Rule and plan options of AWS Backup beyond the schedule and lifecycle: the archive tier,
backup indexes (search), malware scanning and advanced backup settings (Windows VSS, S3).

Each function returns the problems it finds (empty when valid), each reading
``<field>: got <value!r>; <what is allowed>``, like :mod:`vaultplan.aws.plan_rules`.

Sources:

- Archive tier: ``Lifecycle.OptInToArchiveForSupportedResources`` moves supported resources
  to the archive (cold) tier "in accordance with your lifecycle settings", i.e. at
  ``MoveToColdStorageAfterDays``; cold points stay at least 90 days
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html). The supported
  resource is Amazon EBS: AWS Backup transitions EBS snapshots to the EBS Snapshots Archive
  tier, whose minimum is 90 days
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html#features-by-resource,
  https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-archive.html; announced with the
  property at re:Invent 2023, see hashicorp/terraform-provider-aws#34880). Continuous backups
  have no cold storage (point-in-time-recovery.html).
- Index actions: at most one per rule, with one resource type, ``EBS`` or ``S3``
  (botocore's backup model, ``BackupRuleInput.IndexActions`` and ``IndexAction``;
  https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-search.html).
- Malware scanning: ``ScanActions`` on a rule name a scanner (only ``GUARDDUTY``) and a mode
  (``FULL_SCAN`` or ``INCREMENTAL_SCAN``); the plan's ``ScanSettings`` give that scanner its
  resource types and role (API_ScanAction, API_ScanSetting). GuardDuty Malware Protection for
  AWS Backup scans recovery points of EBS, EC2 and S3
  (https://docs.aws.amazon.com/guardduty/latest/ug/malware-protection-backup-how-it-works.html).
  The scanner role is assumed by ``malware-protection.guardduty.amazonaws.com`` and AWS
  documents the managed policy ``AWSBackupGuardDutyRolePolicyForScans`` for it; AWS Backup's
  own role needs ``AWSBackupServiceRolePolicyForScans`` to start scans and pass that role
  (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupGuardDutyRolePolicyForScans.html,
  https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForScans.html).
- Advanced backup settings: ``EC2`` takes ``WindowsVSS`` (``enabled``/``disabled``); S3 backups
  take ``BackupACLs`` and ``BackupObjectTags`` (``disabled`` leaves them out; both are
  included by default) (botocore's backup model, ``AdvancedBackupSetting.BackupOptions``;
  https://docs.aws.amazon.com/aws-backup/latest/devguide/windows-backups.html).
"""

from __future__ import annotations

from collections.abc import Sequence

from vaultplan.aws._match import flag_problems

__all__ = [
    "ADVANCED_OPTIONS",
    "ARCHIVE_TYPES",
    "INDEX_TYPES",
    "INDEX_TYPES_MAX",
    "MALWARE_SCANNERS",
    "OPTION_VALUES",
    "SCANNER_PRINCIPAL",
    "SCANNER_ROLE_POLICY",
    "SCAN_MODES",
    "SCAN_ROLE_POLICY",
    "SCAN_TYPES",
    "advanced_option",
    "archive",
    "index_types",
    "scan_mode",
    "scan_types",
]

ARCHIVE_TYPES = ("EBS",)
"""Resource types the archive tier opt-in moves to an archive tier."""
INDEX_TYPES = ("EBS", "S3")
"""Resource types AWS Backup indexes for backup search."""
INDEX_TYPES_MAX = 1
"""Resource types in a rule's one index action."""
MALWARE_SCANNERS = ("GUARDDUTY",)
SCAN_MODES = ("FULL_SCAN", "INCREMENTAL_SCAN")
SCAN_TYPES = ("EBS", "EC2", "S3")
"""Resource types GuardDuty Malware Protection for AWS Backup scans."""
SCANNER_PRINCIPAL = "malware-protection.guardduty.amazonaws.com"
SCANNER_ROLE_POLICY = "AWSBackupGuardDutyRolePolicyForScans"
"""AWS managed policy for the role GuardDuty assumes to read recovery points."""
SCAN_ROLE_POLICY = "AWSBackupServiceRolePolicyForScans"
"""AWS managed policy AWS Backup's role needs to start scans and pass the scanner role."""
ADVANCED_OPTIONS = {"EC2": ("WindowsVSS",), "S3": ("BackupACLs", "BackupObjectTags")}
"""The backup options each resource type takes in ``AdvancedBackupSettings``."""
OPTION_VALUES = ("enabled", "disabled")


def _one_of(value: object, allowed: Sequence[str], field: str) -> list[str]:
    if isinstance(value, str) and value in allowed:
        return []
    return [f"{field}: got {value!r}; use one of {', '.join(repr(a) for a in allowed)}"]


def archive(
    opt_in: object, move_to_cold_after_days: object, continuous: bool, field: str
) -> list[str]:
    """The archive opt-in needs a move to cold storage, and no continuous backup.

    The 90-day minimum after the move is :func:`vaultplan.aws.plan_rules.lifecycle`'s.
    """
    if opt_in is None:
        return []
    if opt_in is not True:
        return flag_problems(opt_in, field)
    if continuous:
        return [
            f"{field}: got true on a continuous backup rule; continuous backups have no cold "
            "or archive tier, remove it"
        ]
    if move_to_cold_after_days is None:
        return [
            f"{field}: got true with no move_to_cold_storage_after_days; points move to the "
            "archive tier when they move to cold storage, so set move_to_cold_storage_after_days "
            "(and delete_after_days at least 90 days later)"
        ]
    return []


def index_types(types: object, field: str) -> list[str]:
    """One resource type, ``EBS`` or ``S3`` (an empty list: no index action)."""
    if not isinstance(types, (list, tuple)):
        return [f"{field}: got {types!r}; give a list of one resource type, e.g. ['EBS']"]
    if len(types) > INDEX_TYPES_MAX:
        return [
            f"{field}: got {list(types)!r}; AWS Backup indexes one resource type per rule: "
            "keep one, and index the other in another rule"
        ]
    problems: list[str] = []
    for i, value in enumerate(types):
        problems += _one_of(value, INDEX_TYPES, f"{field}[{i}]")
    return problems


def scan_mode(mode: object, field: str) -> list[str]:
    """``FULL_SCAN`` or ``INCREMENTAL_SCAN`` (None: no scan action)."""
    return [] if mode is None else _one_of(mode, SCAN_MODES, field)


def scan_types(types: object, field: str) -> list[str]:
    """At least one of ``EBS``, ``EC2`` and ``S3``, each once."""
    if not isinstance(types, (list, tuple)) or not types:
        return [f"{field}: got {types!r}; give the resource types to scan, from EBS, EC2, S3"]
    problems: list[str] = []
    for i, value in enumerate(types):
        problems += _one_of(value, SCAN_TYPES, f"{field}[{i}]")
    if not problems and len(set(types)) != len(types):
        problems.append(f"{field}: got {list(types)!r}; name each resource type once")
    return problems


def advanced_option(resource_type: object, key: object, value: object, field: str) -> list[str]:
    """``key`` is an option of ``resource_type`` (:data:`ADVANCED_OPTIONS`), set to
    ``enabled`` or ``disabled``."""
    if not isinstance(resource_type, str) or resource_type not in ADVANCED_OPTIONS:
        return _one_of(resource_type, tuple(ADVANCED_OPTIONS), f"{field}.ResourceType")
    options = ADVANCED_OPTIONS[resource_type]
    if key not in options:
        return [
            f"{field}.BackupOptions: got option {key!r} for {resource_type}; "
            f"{resource_type} takes {', '.join(options)}"
        ]
    return _one_of(value, OPTION_VALUES, f"{field}.BackupOptions.{key}")
