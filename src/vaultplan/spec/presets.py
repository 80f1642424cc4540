"""Rule presets: ``daily-monthly``, ``daily-35`` and ``gfs`` (grandfather-father-son), as data.

``BackupRules.daily_monthly()``, ``BackupRules.daily35()`` and ``BackupRules.gfs(...)`` return
these; ``[plan] preset = "..."`` in ``vaultplan.toml`` picks one. The old name of
``daily-monthly``, ``seed`` (``BackupRules.seed()``), is still accepted for one release, with a
deprecation warning. No ``aws_cdk`` here.

The GFS rules fire at the same hour, so on some days two or more of them coincide: that is
intended. AWS Backup then takes one backup, for the rule with the longer retention
(https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html),
so the longest-kept point of the day is the one that exists.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, fields, replace

from vaultplan.aws import plan_rules
from vaultplan.spec.copy import CopyAction
from vaultplan.spec.rules import RulePreset

__all__ = [
    "DEFAULT_PRESET",
    "DEPRECATED_PRESETS",
    "GFS_KEYS",
    "PRESETS",
    "BackupRules",
    "GfsOptions",
    "daily35_rules",
    "gfs_problems",
    "gfs_rules",
    "preset_deprecation",
    "preset_problems",
    "preset_rules",
]

PRESETS = ("daily-monthly", "daily-35", "gfs")
"""Names accepted by ``[plan] preset`` (besides the deprecated ones)."""
DEFAULT_PRESET = "daily-monthly"
DEPRECATED_PRESETS = {"seed": "daily-monthly"}
"""Old preset names, still accepted for one release, and the name that replaces each."""

WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
DAYS_PER_WEEK = 7
DAYS_PER_MONTH = 31
"""A monthly point is kept ``months * 31`` days, so N monthly points always exist."""
DAYS_PER_YEAR = 366
"""A yearly point is kept ``years * 366`` days, so N yearly points always exist."""


@dataclass(frozen=True, kw_only=True)
class GfsOptions:
    """Parameters of the GFS preset (``[plan.gfs]``). A count of 0 leaves that rule out."""

    daily_days: int = 35
    """Days each daily point is kept (rule ``DailyBackup``)."""
    weekly_weeks: int = 13
    """Weeks each weekly point is kept, as ``weeks * 7`` days (rule ``WeeklyBackup``)."""
    monthly_months: int = 12
    """Months each monthly point (the 1st) is kept, as ``months * 31`` days (``MonthlyBackup``)."""
    yearly_years: int = 7
    """Years each yearly point (1 January) is kept, as ``years * 366`` days (``YearlyBackup``)."""
    monthly_cold_after_days: int = 30
    """Days before a monthly point moves to cold storage; 0 keeps it warm."""
    yearly_cold_after_days: int = 30
    """Days before a yearly point moves to cold storage; 0 keeps it warm."""
    hour: int = 8
    """Hour of the day (0-23) every rule starts, in ``schedule_timezone``."""
    weekday: str = "SUN"
    """Day of the week of the weekly backup: SUN, MON, ... SAT."""
    schedule_timezone: str | None = None
    """IANA time zone of the schedules. Default: UTC."""


GFS_KEYS = tuple(f.name for f in fields(GfsOptions))
"""The keys of ``[plan.gfs]``, in order."""


def _count(value: object, field: str, unit: str, maximum: int) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        return [
            f"{field}: got {value!r}; give a whole number of {unit}, 0 (no such rule) to {maximum}"
        ]
    return []


def gfs_problems(options: GfsOptions, field: str = "plan.gfs") -> list[str]:
    """Every problem of ``options``, each naming ``plan.gfs.<key>`` and the value."""
    max_days = plan_rules.LIFECYCLE_MAX_DAYS
    problems = _count(options.daily_days, f"{field}.daily_days", "days", max_days)
    problems += _count(
        options.weekly_weeks, f"{field}.weekly_weeks", "weeks", max_days // DAYS_PER_WEEK
    )
    problems += _count(
        options.monthly_months, f"{field}.monthly_months", "months", max_days // DAYS_PER_MONTH
    )
    problems += _count(
        options.yearly_years, f"{field}.yearly_years", "years", max_days // DAYS_PER_YEAR
    )
    for key in ("monthly_cold_after_days", "yearly_cold_after_days"):
        problems += _count(
            getattr(options, key), f"{field}.{key}", "days (0: stays warm)", max_days
        )
    hour = options.hour
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        problems.append(f"{field}.hour: got {hour!r}; give an hour of the day, 0 to 23")
    if not isinstance(options.weekday, str) or options.weekday.upper() not in WEEKDAYS:
        problems.append(
            f"{field}.weekday: got {options.weekday!r}; give one of {', '.join(WEEKDAYS)}"
        )
    if options.schedule_timezone is not None:
        problems += plan_rules.timezone(options.schedule_timezone, f"{field}.schedule_timezone")
    if problems:
        return problems
    if not any(
        (options.daily_days, options.weekly_weeks, options.monthly_months, options.yearly_years)
    ):
        return [
            f"{field}: got daily_days, weekly_weeks, monthly_months and yearly_years all 0; "
            "keep at least one rule"
        ]
    for tier, count, per, cold in (
        ("monthly_months", options.monthly_months, DAYS_PER_MONTH, options.monthly_cold_after_days),
        ("yearly_years", options.yearly_years, DAYS_PER_YEAR, options.yearly_cold_after_days),
    ):
        cold_key = tier.split("_")[0] + "_cold_after_days"
        if count and cold and count * per < cold + 90:
            problems.append(
                f"{field}.{tier}: got {count} ({count * per} days) with {cold_key} = {cold}; "
                f"points must stay at least 90 days in cold storage, so keep them at least "
                f"{cold + 90} days (raise {tier}, or lower {cold_key}, 0 keeps them warm)"
            )
    return problems


def gfs_rules(options: GfsOptions) -> tuple[RulePreset, ...]:
    """The GFS rules for valid ``options`` (check them first with :func:`gfs_problems`)."""
    hour, zone, weekday = options.hour, options.schedule_timezone, options.weekday.upper()
    tiers = (
        ("DailyBackup", f"cron(0 {hour} * * ? *)", options.daily_days, 1, 0),
        ("WeeklyBackup", f"cron(0 {hour} ? * {weekday} *)", options.weekly_weeks, DAYS_PER_WEEK, 0),
        (
            "MonthlyBackup",
            f"cron(0 {hour} 1 * ? *)",
            options.monthly_months,
            DAYS_PER_MONTH,
            options.monthly_cold_after_days,
        ),
        (
            "YearlyBackup",
            f"cron(0 {hour} 1 1 ? *)",
            options.yearly_years,
            DAYS_PER_YEAR,
            options.yearly_cold_after_days,
        ),
    )
    return tuple(
        RulePreset(
            name=name,
            schedule=schedule,
            move_to_cold_storage_after_days=cold or None,
            delete_after_days=count * days,
            schedule_timezone=zone,
        )
        for name, schedule, count, days, cold in tiers
        if count
    )


def daily35_rules() -> tuple[RulePreset, ...]:
    """``DailyBackup``: daily at 05:00 UTC, deleted after 35 days (CDK daily35DayRetention)."""
    return (RulePreset(name="DailyBackup", schedule="cron(0 5 * * ? *)", delete_after_days=35),)


def preset_problems(
    name: object, gfs: GfsOptions | None = None, field: str = "plan.preset"
) -> list[str]:
    """``name`` is one of :data:`PRESETS` (or a deprecated name), and ``gfs`` fits it.

    ``gfs`` parameters are checked (:func:`gfs_problems`) and apply to preset ``"gfs"`` only.
    """
    if name not in PRESETS and name not in DEPRECATED_PRESETS:
        return [f"{field}: got {name!r}; use one of {', '.join(repr(p) for p in PRESETS)}"]
    if gfs is None:
        return []
    problems = gfs_problems(gfs)
    if not problems and name != "gfs":
        problems = [
            f"plan.gfs: got GFS parameters with {field} = {name!r}; they apply only to preset "
            f'"gfs": set {field} = "gfs", or remove [plan.gfs]'
        ]
    return problems


def preset_deprecation(name: str, field: str = "plan.preset") -> str | None:
    """The warning for a deprecated preset name (``seed``), or None for a current one."""
    new = DEPRECATED_PRESETS.get(name)
    return None if new is None else f"{field}: {name!r} is deprecated; use {new!r}"


def preset_rules(name: str, gfs: GfsOptions | None = None) -> tuple[RulePreset, ...]:
    """The rules of preset ``name``; ``gfs`` parameters apply to ``"gfs"`` only.

    Raises ``ValueError`` naming ``plan.preset`` or ``plan.gfs.<key>`` on a bad value. A
    deprecated name (``"seed"``) gives its replacement's rules and a ``DeprecationWarning``.
    """
    problems = preset_problems(name, gfs)
    if problems:
        raise ValueError("\n".join(problems))
    deprecation = preset_deprecation(name)
    if deprecation is not None:
        warnings.warn(deprecation, DeprecationWarning, stacklevel=2)
        name = DEPRECATED_PRESETS[name]
    if name == "daily-monthly":
        return BackupRules.daily_monthly()
    if name == "daily-35":
        return BackupRules.daily35()
    return gfs_rules(gfs or GfsOptions())


class BackupRules:
    """Named rule presets. :meth:`daily_monthly` is the default of ``BackupStrategy`` and
    ``synth``."""

    @staticmethod
    def daily_warm() -> RulePreset:
        """``DailyWarmBackup``: every day at 08:00 UTC, deleted after 35 days."""
        return RulePreset(
            name="DailyWarmBackup", schedule="cron(0 8 * * ? *)", delete_after_days=35
        )

    @staticmethod
    def monthly_cold() -> RulePreset:
        """``MonthlyColdBackup``: the 1st at 08:00 UTC, cold after 30 days, deleted after 365."""
        return RulePreset(
            name="MonthlyColdBackup",
            schedule="cron(0 8 1 * ? *)",
            move_to_cold_storage_after_days=30,
            delete_after_days=365,
        )

    @classmethod
    def daily_monthly(cls) -> tuple[RulePreset, ...]:
        """Preset ``daily-monthly``, the default: :meth:`daily_warm` and :meth:`monthly_cold`."""
        return (cls.daily_warm(), cls.monthly_cold())

    @classmethod
    def seed(cls) -> tuple[RulePreset, ...]:
        """Deprecated: the old name of :meth:`daily_monthly`, kept for one release."""
        warnings.warn(
            "BackupRules.seed() is deprecated; use BackupRules.daily_monthly()",
            DeprecationWarning,
            stacklevel=2,
        )
        return cls.daily_monthly()

    @staticmethod
    def daily35() -> tuple[RulePreset, ...]:
        """One rule, ``DailyBackup35``: every day at 05:00 UTC, deleted after 35 days.

        The same as CDK's ``BackupPlan.daily35DayRetention()``.
        """
        return daily35_rules()

    @staticmethod
    def gfs(options: GfsOptions | None = None, /, **params: object) -> tuple[RulePreset, ...]:
        """Grandfather-father-son rules: daily, weekly, monthly and yearly.

        Pass a :class:`GfsOptions`, or its fields as keywords
        (``BackupRules.gfs(daily_days=14, yearly_years=0, hour=2)``). Overlapping rules are
        intended: when two fire together AWS Backup keeps the point of the longer retention.
        Raises ``ValueError`` naming each bad parameter (``plan.gfs.<key>``).
        """
        if options is None:
            options = GfsOptions(**params)  # type: ignore[arg-type]
        elif params:
            raise TypeError("give GfsOptions or keyword parameters, not both")
        problems = gfs_problems(options)
        if problems:
            raise ValueError("\n".join(problems))
        return gfs_rules(options)

    @staticmethod
    def with_copies(
        rules: tuple[RulePreset, ...] | list[RulePreset], *actions: CopyAction
    ) -> tuple[RulePreset, ...]:
        """``rules``, each also copying its points as ``actions`` say (after its own copies).

        A copy action with no lifecycle (neither ``delete_after_days`` nor
        ``move_to_cold_storage_after_days``) keeps each rule's own lifecycle, so the copies of
        a preset's daily points go when the daily points go, and so on; one with a lifecycle
        applies it to every rule's copies. For ``[plan] copy_actions`` with a preset:
        ``BackupRules.with_copies(BackupRules.gfs(), CopyAction(destination_vault_arn=...))``.
        """
        return tuple(
            replace(
                rule,
                copy_actions=(
                    *rule.copy_actions,
                    *(_copy_for(rule, action) for action in actions),
                ),
            )
            for rule in rules
        )


def _copy_for(rule: RulePreset, action: CopyAction) -> CopyAction:
    if action.delete_after_days is not None or action.move_to_cold_storage_after_days is not None:
        return action
    return replace(
        action,
        delete_after_days=rule.delete_after_days,
        move_to_cold_storage_after_days=rule.move_to_cold_storage_after_days,
    )
