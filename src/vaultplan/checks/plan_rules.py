"""Checks of backup plans and their rules (``AWS::Backup::BackupPlan``): names, schedule,
time zone, start and completion windows, lifecycle, continuous backup, and retention against
the target vault's lock.

Their limits live in :mod:`vaultplan.aws`, shared with the construct's and the
config's validation; these checks only find the values in a template and apply them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from vaultplan.aws import names
from vaultplan.aws import plan_rules as aws_plan_rules
from vaultplan.checks.finding import Issue
from vaultplan.checks.model import CheckContext, Lock, Result, Rule
from vaultplan.checks.registry import check
from vaultplan.spec.rules import schedule_problems
from vaultplan.template.resolve import Unresolved


@check("VP102")
def plan_name(ctx: CheckContext) -> Result:
    for lid, res in ctx.resources("AWS::Backup::BackupPlan"):
        path = ("Resources", lid, "Properties", "BackupPlan")
        for plan in ctx.values(res.get("Properties"), "BackupPlan"):
            if isinstance(plan, Mapping):
                yield from ctx.scalar(lid, path, plan, "BackupPlanName", names.plan_name)


@check("VP103")
def rule_name(ctx: CheckContext) -> Result:
    yield from ctx.rule_scalar("RuleName", names.rule_name)


def _schedule_rule(value: Any, field: str) -> list[str]:
    # A valid expression that never fires is VP206's business (a warning: AWS accepts it).
    from vaultplan.schedule import CronError, parse_cron

    try:
        if not parse_cron(value).can_ever_fire():
            return []
    except CronError:
        pass
    return schedule_problems(value, field)


@check("VP105")
def schedule(ctx: CheckContext) -> Result:
    yield from ctx.rule_scalar("ScheduleExpression", _schedule_rule)


@check("VP106")
def lifecycle(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        if ctx.continuous(rule) is True:
            continue  # VP111 applies its own rules
        yield from ctx.lifecycle(
            rule.plan, rule.path, rule.node, rule.field("Lifecycle"), aws_plan_rules.lifecycle
        )


@check("VP107")
def start_window(ctx: CheckContext) -> Result:
    yield from ctx.rule_scalar("StartWindowMinutes", aws_plan_rules.start_window, numeric=True)


@check("VP108")
def completion_window(ctx: CheckContext) -> Result:
    yield from ctx.rule_scalar(
        "CompletionWindowMinutes", aws_plan_rules.completion_window, numeric=True
    )


@check("VP109")
def schedule_timezone(ctx: CheckContext) -> Result:
    yield from ctx.rule_scalar("ScheduleExpressionTimezone", aws_plan_rules.timezone)


@check("VP111")
def continuous_backup(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        enabled = ctx.continuous(rule)
        if enabled is False:
            continue

        def cont(cold: Any, delete: Any, field: str) -> list[str]:
            return aws_plan_rules.continuous_backup(delete, cold, field)

        yield from ctx.lifecycle(rule.plan, rule.path, rule.node, rule.field("Lifecycle"), cont)


@check("VP116")
def retention_vs_lock(ctx: CheckContext) -> Result:
    locks: dict[str, list[Lock]] = {}
    for lock in ctx.locks:
        if isinstance(lock, Lock):
            locks.setdefault(lock.vault, []).append(lock)
    if not locks:
        return
    for rule in ctx.rules:
        for vault in {ctx.vault_of(v) for v in ctx.values(rule.node, "TargetBackupVault")}:
            for lock in locks.get(vault or "", []):
                minimum, maximum = lock.minimum, lock.maximum
                for delete in ctx.ints(rule.node, "Lifecycle", "DeleteAfterDays"):
                    field = rule.field("Lifecycle.DeleteAfterDays")
                    path = (*rule.path, "Lifecycle")
                    if isinstance(delete, Unresolved):
                        yield ctx.not_applicable(rule.plan, path, field, delete)
                    elif delete is None and isinstance(maximum, int):
                        yield Issue(
                            rule.plan,
                            path,
                            f"{field}: not set (points kept forever); vault {vault} locks "
                            f"retention to at most {maximum} days, so every backup job fails",
                        )
                    elif not isinstance(delete, int):
                        continue
                    elif isinstance(minimum, int) and delete < minimum:
                        yield Issue(
                            rule.plan,
                            path,
                            f"{field}: got {delete}; vault {vault} locks retention to at least "
                            f"{minimum} days, so every backup job fails",
                        )
                    elif isinstance(maximum, int) and delete > maximum:
                        yield Issue(
                            rule.plan,
                            path,
                            f"{field}: got {delete}; vault {vault} locks retention to at most "
                            f"{maximum} days, so every backup job fails",
                        )


MIN_WARM_DAYS = 7


@check("VP205")
def short_warm_retention(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        path = (*rule.path, "Lifecycle")
        for lc in ctx.values(rule.node, "Lifecycle"):
            if not isinstance(lc, Mapping):
                continue
            for cold in ctx.ints(lc, "MoveToColdStorageAfterDays"):
                for delete in ctx.ints(lc, "DeleteAfterDays"):
                    warm, key = (cold, "MoveToColdStorageAfterDays")
                    if cold is None:
                        warm, key = (delete, "DeleteAfterDays")
                    if isinstance(warm, Unresolved):
                        yield ctx.not_applicable(rule.plan, path, key, warm)
                    elif (
                        isinstance(warm, int)
                        and not isinstance(warm, bool)
                        and warm < MIN_WARM_DAYS
                    ):
                        yield Issue(
                            rule.plan,
                            (*path, key),
                            f"{rule.field('Lifecycle')}.{key}: got {warm}; points stay "
                            f"warm only {warm} day(s), under {MIN_WARM_DAYS}: without a recent "
                            "warm point, the next EFS backup is a full one",
                        )


def _zone(ctx: CheckContext, rule: Rule) -> str:
    zones = [z for z in ctx.values(rule.node, "ScheduleExpressionTimezone") if isinstance(z, str)]
    return zones[0] if len(zones) == 1 else "UTC"


@check("VP206")
def never_fires(ctx: CheckContext) -> Result:
    from vaultplan.schedule import CronError, parse_cron

    now = datetime.now(UTC)
    for rule in ctx.rules:
        if ctx.continuous(rule) is True:
            continue
        path = (*rule.path, "ScheduleExpression")
        for expr in ctx.values(rule.node, "ScheduleExpression"):
            if isinstance(expr, Unresolved):
                yield ctx.not_applicable(rule.plan, path, "ScheduleExpression", expr)
                continue
            if not isinstance(expr, str):
                continue
            try:
                cron = parse_cron(expr)
            except CronError:
                continue  # VP105 reports it
            try:
                upcoming = cron.next_fire(now, _zone(ctx, rule))
            except ValueError:
                upcoming = cron.next_fire(now)  # an invalid zone is VP109's
            if not cron.can_ever_fire():
                yield Issue(
                    rule.plan,
                    path,
                    f"{rule.field('ScheduleExpression')}: got {expr!r}; no calendar "
                    "date matches it, so this rule never takes a backup",
                )
            elif upcoming is None:
                yield Issue(
                    rule.plan,
                    path,
                    f"{rule.field('ScheduleExpression')}: got {expr!r}; its last date "
                    "is in the past, so this rule never takes a backup again",
                )
