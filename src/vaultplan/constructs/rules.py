"""Backup rules as plain data, and the seed's rules as a named preset.

A :class:`RulePreset` is what one ``[[rules]]`` table of ``vaultplan.toml`` holds, and what
:class:`~vaultplan.constructs.BackupStrategy` turns into an ``aws_backup.BackupPlanRule``. This
module imports no ``aws_cdk``: the config loader and ``vaultplan init`` use it without starting
jsii.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultplan import constraints
from vaultplan.schedule import parse_cron

__all__ = ["RULE_KEYS", "BackupRules", "RulePreset", "rule_problems"]

RULE_KEYS = (
    "schedule",
    "delete_after_days",
    "move_to_cold_storage_after_days",
    "start_window_minutes",
    "completion_window_minutes",
    "schedule_timezone",
)
"""The optional and settings keys of a rule, besides ``name``."""


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

    def full_name(self, site_name: str) -> str:
        """The rule's AWS name: the site prefix, then :attr:`name`."""
        return f"{site_name}{self.name}"

    def describe_schedule(self) -> str:
        """The schedule in plain English, e.g. ``at 08:00 UTC every day``."""
        return parse_cron(self.schedule).describe(self.schedule_timezone or "UTC")

    def describe_lifecycle(self) -> str:
        """The lifecycle in plain English, e.g. ``cold after 30 days, deleted after 365 days``."""
        parts = []
        if self.move_to_cold_storage_after_days is not None:
            parts.append(f"cold after {self.move_to_cold_storage_after_days} days")
        if self.delete_after_days is not None:
            parts.append(f"deleted after {self.delete_after_days} days")
        else:
            parts.append("kept until deleted by hand")
        return ", ".join(parts)


def rule_problems(
    rule: RulePreset, site_name: str | None, field: str, *, skip: frozenset[str] = frozenset()
) -> list[str]:
    """Every AWS Backup constraint that ``rule`` breaks, each naming ``field.<key>``.

    ``site_name`` is None when it is not known yet (an unresolved token): the full rule name is
    then not checked. Keys in ``skip`` hold unresolved tokens and are not checked either.
    """
    problems: list[str] = []
    if "name" not in skip:
        if rule.name == "":
            problems.append(f"{field}.name: got ''; give the rule a name, e.g. 'DailyWarmBackup'")
        elif site_name is None:
            problems += constraints.rule_name(rule.name, f"{field}.name")
        else:
            full = rule.full_name(site_name)
            for problem in constraints.rule_name(full, f"{field}.name"):
                problems.append(f"{problem} (the rule name is site_name + name: {full!r})")
    if "schedule" not in skip:
        problems += constraints.schedule(rule.schedule, f"{field}.schedule")
    problems += constraints.lifecycle(
        None if "move_to_cold_storage_after_days" in skip else rule.move_to_cold_storage_after_days,
        None if "delete_after_days" in skip else rule.delete_after_days,
        field,
    )
    if "start_window_minutes" not in skip:
        problems += constraints.start_window(
            rule.start_window_minutes, f"{field}.start_window_minutes"
        )
    if "completion_window_minutes" not in skip:
        problems += constraints.completion_window(
            rule.completion_window_minutes, f"{field}.completion_window_minutes"
        )
    if rule.schedule_timezone is not None and "schedule_timezone" not in skip:
        problems += constraints.timezone(rule.schedule_timezone, f"{field}.schedule_timezone")
    return problems


class BackupRules:
    """Named rule presets. :meth:`seed` is the default of ``BackupStrategy`` and ``synth``."""

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
    def seed(cls) -> tuple[RulePreset, ...]:
        """The seed write-up's two rules: :meth:`daily_warm` and :meth:`monthly_cold`."""
        return (cls.daily_warm(), cls.monthly_cold())
