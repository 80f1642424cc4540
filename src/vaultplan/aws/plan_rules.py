"""The rules of a backup plan: lifecycle, windows, time zone, continuous backup, tags, counts.

Each function returns the list of problems it finds (empty when the value is valid). Each
problem reads ``<field>: got <value!r>; <what is allowed>``; the caller passes ``field`` so the
config loader can say ``rules[0].delete_after_days`` and the construct can say
``delete_after_days``. Unresolved CDK tokens are the caller's business: skip them before
calling.

Sources (pages under https://docs.aws.amazon.com/aws-backup/latest/devguide/):

- Lifecycle: each value 1-36,500 days, and delete >= cold + 90 when both are set
  (API_Lifecycle.html).
- ``StartWindowMinutes``: at least 60, at most 100 years; ``CompletionWindowMinutes`` has no
  documented minimum (API_BackupRuleInput.html).
- The most frequent schedule allowed is hourly (plan-options-and-configuration.html).
- Continuous backup keeps points 1-35 days, without cold storage, for Aurora, RDS, S3 and SAP
  HANA on Amazon EC2 (point-in-time-recovery.html).
- Quotas: 10 rules in a plan, 10 tags added to a recovery point, 5 copy actions per rule
  (aws-backup-limits.html).
"""

from __future__ import annotations

from functools import lru_cache

from vaultplan.aws._match import flag_problems
from vaultplan.aws.tags import RESERVED_TAG_PREFIX, TAG_KEY_MAX, TAG_VALUE_MAX

__all__ = [
    "COLD_MINIMUM_DAYS",
    "CONTINUOUS_BACKUP_TYPES",
    "CONTINUOUS_MAX_DAYS",
    "COPY_ACTIONS_MAX",
    "LIFECYCLE_MAX_DAYS",
    "MIN_SCHEDULE_INTERVAL_MINUTES",
    "PLAN_RULES_MAX",
    "RECOVERY_POINT_TAGS_MAX",
    "START_WINDOW_MAX_MINUTES",
    "START_WINDOW_MIN_MINUTES",
    "completion_window",
    "continuous_backup",
    "continuous_backup_selection",
    "lifecycle",
    "plan_rule_count",
    "recovery_point_tags",
    "start_window",
    "timezone",
]

LIFECYCLE_MAX_DAYS = 36_500
COLD_MINIMUM_DAYS = 90
"""Days a recovery point stays in cold storage at least (API_Lifecycle)."""
START_WINDOW_MIN_MINUTES = 60
START_WINDOW_MAX_MINUTES = 52_560_000  # 100 years, as botocore's StartWindowMinutes doc says
CONTINUOUS_MAX_DAYS = 35
PLAN_RULES_MAX = 10
RECOVERY_POINT_TAGS_MAX = 10
COPY_ACTIONS_MAX = 5
"""Copy actions per backup rule (aws-backup-limits)."""
CONTINUOUS_BACKUP_TYPES = ("Aurora", "RDS", "S3", "SAP HANA on Amazon EC2")
MIN_SCHEDULE_INTERVAL_MINUTES = 60


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

    AWS documents no minimum for ``CompletionWindowMinutes`` (API_BackupRuleInput; botocore
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


def continuous_backup(
    delete_after_days: int | None,
    move_to_cold_after_days: int | None,
    field: str = "lifecycle",
) -> list[str]:
    """Continuous backup keeps points 1-35 days and has no cold storage (point-in-time-recovery)."""
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
    if enabled is not True:
        return flag_problems(enabled, field)
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
        elif key.lower().startswith(RESERVED_TAG_PREFIX):
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
