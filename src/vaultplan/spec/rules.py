"""Backup rules as plain data, and the checks AWS Backup makes of each.

A :class:`RulePreset` is what one ``[[rules]]`` table of ``vaultplan.toml`` holds, and what
:class:`~vaultplan.cdk.BackupStrategy` turns into an ``aws_backup.BackupPlanRule``. This
module imports no ``aws_cdk``: the config loader and ``vaultplan init`` use it without starting
jsii.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from vaultplan.aws import names, plan_options, plan_rules
from vaultplan.aws.plan_rules import MIN_SCHEDULE_INTERVAL_MINUTES
from vaultplan.schedule import CronError, parse_cron
from vaultplan.spec.copy import CopyAction, copy_actions_problems, describe_lifecycle

__all__ = [
    "RULE_EXTRA_KEYS",
    "RULE_KEYS",
    "CopyAction",
    "RulePreset",
    "rule_problems",
    "schedule_problems",
]

RULE_KEYS = (
    "schedule",
    "delete_after_days",
    "move_to_cold_storage_after_days",
    "start_window_minutes",
    "completion_window_minutes",
    "schedule_timezone",
)
"""The optional and settings keys of a rule, besides ``name``."""

RULE_EXTRA_KEYS = (
    "recovery_point_tags",
    "continuous_backup",
    "archive",
    "index_resource_types",
    "malware_scan_mode",
    "copy_actions",
)
"""The keys of a rule that hold a table, a boolean or an array of tables."""


@dataclass(frozen=True, kw_only=True)
class RulePreset:
    """One backup rule, before the site prefix is added.

    The rule's AWS name is ``<site_name><name>``, e.g. ``exampleDailyWarmBackup``.
    """

    name: str
    """The rule name without the site prefix, e.g. ``DailyWarmBackup``."""
    schedule: str
    """An AWS cron expression, e.g. ``cron(0 8 * * ? *)``; AWS Backup takes no ``rate()``."""
    delete_after_days: int | None = None
    """Days after creation when a recovery point is deleted. Default: kept forever."""
    move_to_cold_storage_after_days: int | None = None
    """Days after creation when a recovery point moves to cold storage. Default: never."""
    start_window_minutes: int | None = None
    """Minutes a job may wait to start before it is cancelled. Default: AWS's (8 hours)."""
    completion_window_minutes: int | None = None
    """Minutes a started job may run before it is cancelled. Default: AWS's (7 days)."""
    schedule_timezone: str | None = None
    """IANA time zone the schedule is read in. Default: UTC."""
    copy_actions: tuple[CopyAction, ...] = ()
    """Copies of each point into vaults in other Regions or accounts (at most 5), each with
    its own lifecycle. Default: none."""
    recovery_point_tags: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Tags AWS Backup puts on each recovery point of the rule (at most 10). Default: none."""
    continuous_backup: bool = False
    """Continuous backup (point-in-time restore) for Aurora, RDS, S3 and SAP HANA on EC2;
    refused when the selection has EFS file systems. Retention 1-35 days, no cold storage."""
    archive: bool = False
    """Move supported points (EBS snapshots) to the archive tier when they go cold
    (``Lifecycle.OptInToArchiveForSupportedResources``); needs
    ``move_to_cold_storage_after_days``. Default: off."""
    index_resource_types: tuple[str, ...] = ()
    """Index each point for backup search (``IndexActions``): one of ``"EBS"`` and ``"S3"``.
    Default: no index."""
    malware_scan_mode: str | None = None
    """Scan each point with GuardDuty (``ScanActions``): ``"FULL_SCAN"`` or
    ``"INCREMENTAL_SCAN"``; needs the plan's ``PlanOptions.malware_scanning``. Default: no
    scan."""

    def __post_init__(self) -> None:
        # Accept any sequence/mapping from callers, keep immutable-looking values.
        object.__setattr__(self, "copy_actions", tuple(self.copy_actions))
        object.__setattr__(self, "recovery_point_tags", dict(self.recovery_point_tags))
        if isinstance(self.index_resource_types, list):
            object.__setattr__(self, "index_resource_types", tuple(self.index_resource_types))

    def full_name(self, site_name: str) -> str:
        """The rule's AWS name: the site prefix, then :attr:`name`."""
        return f"{site_name}{self.name}"

    def describe_schedule(self) -> str:
        """The schedule in plain English, e.g. ``at 08:00 UTC every day``."""
        return parse_cron(self.schedule).describe(self.schedule_timezone or "UTC")

    def describe_lifecycle(self) -> str:
        """The lifecycle in plain English, e.g. ``cold after 30 days, deleted after 365 days``."""
        words = describe_lifecycle(self.move_to_cold_storage_after_days, self.delete_after_days)
        if self.continuous_backup:
            return f"continuous (point-in-time restore), {words}"
        return words


def schedule_problems(value: str, field: str = "schedule") -> list[str]:
    """A valid AWS cron expression that fires at some point, no more often than hourly.

    AWS Backup allows no schedule more frequent than hourly
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html).
    """
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


def rule_problems(
    rule: RulePreset,
    site_name: str | None,
    field: str,
    *,
    skip: frozenset[str] = frozenset(),
    selects_efs: bool = False,
    home_region: str | None = None,
    home_account: str | None = None,
    is_token: Callable[[object], bool] | None = None,
) -> list[str]:
    """Every AWS Backup constraint that ``rule`` breaks, each naming ``field.<key>``.

    ``site_name`` is None when it is not known yet (an unresolved token): the full rule name is
    then not checked. Keys in ``skip`` hold unresolved tokens and are not checked either.
    ``selects_efs`` says the plan's selection has EFS file systems (continuous backup is then
    refused); ``home_region`` and ``home_account`` are the stack's, when known (a copy action
    into them is refused). ``is_token`` tells copy action values that are unresolved tokens.
    """
    problems: list[str] = []
    if "name" not in skip:
        if rule.name == "":
            problems.append(f"{field}.name: got ''; give the rule a name, e.g. 'DailyWarmBackup'")
        elif site_name is None:
            problems += names.rule_name(rule.name, f"{field}.name")
        else:
            full = rule.full_name(site_name)
            for problem in names.rule_name(full, f"{field}.name"):
                problems.append(f"{problem} (the rule name is site_name + name: {full!r})")
    if "schedule" not in skip:
        problems += schedule_problems(rule.schedule, f"{field}.schedule")
    problems += plan_rules.lifecycle(
        None if "move_to_cold_storage_after_days" in skip else rule.move_to_cold_storage_after_days,
        None if "delete_after_days" in skip else rule.delete_after_days,
        field,
    )
    if "start_window_minutes" not in skip:
        problems += plan_rules.start_window(
            rule.start_window_minutes, f"{field}.start_window_minutes"
        )
    if "completion_window_minutes" not in skip:
        problems += plan_rules.completion_window(
            rule.completion_window_minutes, f"{field}.completion_window_minutes"
        )
    if rule.schedule_timezone is not None and "schedule_timezone" not in skip:
        problems += plan_rules.timezone(rule.schedule_timezone, f"{field}.schedule_timezone")
    problems += _continuous_problems(rule, field, skip, selects_efs)
    problems += _option_problems(rule, field)
    if rule.recovery_point_tags:
        problems += plan_rules.recovery_point_tags(
            rule.recovery_point_tags, f"{field}.recovery_point_tags"
        )
    problems += copy_actions_problems(
        rule.copy_actions,
        f"{field}.copy_actions",
        home_vault=site_name,
        home_region=home_region,
        home_account=home_account,
        is_token=is_token,
    )
    return problems


def _option_problems(rule: RulePreset, field: str) -> list[str]:
    """The archive opt-in (of the rule and of each copy), the index and the scan mode."""
    # A token for the cold move is not None: the move is set, so the opt-in is checked alike.
    problems = plan_options.archive(
        rule.archive,
        rule.move_to_cold_storage_after_days,
        rule.continuous_backup is True,
        f"{field}.archive",
    )
    for i, action in enumerate(rule.copy_actions):
        problems += plan_options.archive(
            action.archive,
            action.move_to_cold_storage_after_days,
            False,
            f"{field}.copy_actions[{i}].archive",
        )
    problems += plan_options.index_types(rule.index_resource_types, f"{field}.index_resource_types")
    problems += plan_options.scan_mode(rule.malware_scan_mode, f"{field}.malware_scan_mode")
    return problems


def _continuous_problems(
    rule: RulePreset, field: str, skip: frozenset[str], selects_efs: bool
) -> list[str]:
    problems = plan_rules.continuous_backup_selection(
        rule.continuous_backup, selects_efs, f"{field}.continuous_backup"
    )
    if rule.continuous_backup is True:
        problems += plan_rules.continuous_backup(
            None if "delete_after_days" in skip else rule.delete_after_days,
            None
            if "move_to_cold_storage_after_days" in skip
            else rule.move_to_cold_storage_after_days,
            field,
        )
    return problems
