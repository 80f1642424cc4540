"""Errors ``VP1xx``: what AWS Backup would reject at deploy.

The rules themselves live in :mod:`vaultplan.aws` (and the schedule rule in
:mod:`vaultplan.spec.rules`), shared with the construct's and the config's validation; these
checks only find the values in a template and apply them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from vaultplan.aws import names as aws_names
from vaultplan.aws import notifications as vault_events
from vaultplan.aws import plan_rules
from vaultplan.aws import vault_lock as lock_rules
from vaultplan.aws.selection import MAX_ARNS, MAX_TAG_CONDITIONS, MAX_WILDCARD_ARNS
from vaultplan.checks.finding import Issue, NotApplicable, Path, Severity
from vaultplan.checks.model import CheckContext, Rule
from vaultplan.checks.registry import check
from vaultplan.spec.rules import schedule_problems
from vaultplan.template.resolve import Unresolved, as_int, cfn_str

Result = Iterator[Issue | NotApplicable]
_DEV = "https://docs.aws.amazon.com/aws-backup/latest/devguide/"
_CFN = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"


def _scalar(
    ctx: CheckContext,
    resource: str,
    path: Path,
    node: Any,
    key: str,
    rule: Callable[[Any, str], list[str]],
    field: str,
    *,
    numeric: bool = False,
) -> Result:
    """Apply ``rule`` to every variant of ``node[key]``; absent values are compliant."""
    for value in ctx.values(node, key):
        if value is None:
            continue
        if isinstance(value, Unresolved):
            yield ctx.not_applicable(resource, (*path, key), field, value)
            continue
        concrete = as_int(value) if numeric else cfn_str(value)
        for message in rule(concrete, field):
            yield Issue(resource, (*path, key), message)


def _rule_field(rule: Rule, key: str) -> str:
    return f"BackupPlanRule[{rule.index}].{key}"


def _rule_scalar(
    ctx: CheckContext, key: str, rule: Callable[[Any, str], list[str]], *, numeric: bool = False
) -> Result:
    """Apply ``rule`` to ``key`` of every plan rule."""
    for r in ctx.rules:
        yield from _scalar(
            ctx, r.plan, r.path, r.node, key, rule, _rule_field(r, key), numeric=numeric
        )


@check(
    "VP101",
    Severity.ERROR,
    "Backup vault name is invalid",
    "AWS Backup accepts vault names of 2 to 50 letters, digits, hyphens and underscores "
    "(`^[a-zA-Z0-9\\-_]{2,50}$`); CloudFormation fails the stack otherwise.",
    _DEV + "API_CreateBackupVault.html",
)
def vault_name(ctx: CheckContext) -> Result:
    for vault in ctx.vaults:
        yield from _scalar(
            ctx,
            vault.logical_id,
            vault.path,
            vault.props,
            "BackupVaultName",
            aws_names.vault_name,
            "BackupVaultName",
        )


@check(
    "VP102",
    Severity.ERROR,
    "Backup plan name is invalid",
    "A backup plan name is 1 to 50 letters, digits, hyphens, underscores or periods.",
    _DEV + "API_BackupPlanInput.html",
)
def plan_name(ctx: CheckContext) -> Result:
    for lid, res in ctx.resources("AWS::Backup::BackupPlan"):
        path = ("Resources", lid, "Properties", "BackupPlan")
        for plan in ctx.values(res.get("Properties"), "BackupPlan"):
            if isinstance(plan, Mapping):
                yield from _scalar(
                    ctx, lid, path, plan, "BackupPlanName", aws_names.plan_name, "BackupPlanName"
                )


@check(
    "VP103",
    Severity.ERROR,
    "Backup rule name is invalid",
    "A backup rule name is 1 to 50 letters, digits, hyphens, underscores or periods.",
    _DEV + "API_BackupRuleInput.html",
)
def rule_name(ctx: CheckContext) -> Result:
    yield from _rule_scalar(ctx, "RuleName", aws_names.rule_name)


@check(
    "VP104",
    Severity.ERROR,
    "Backup selection name is invalid",
    "A selection name is 1 to 50 letters, digits, hyphens, underscores or periods.",
    _DEV + "API_BackupSelection.html",
)
def selection_name(ctx: CheckContext) -> Result:
    for sel in ctx.selections:
        yield from _scalar(
            ctx,
            sel.logical_id,
            sel.path,
            sel.node,
            "SelectionName",
            aws_names.selection_name,
            "SelectionName",
        )


def _schedule_rule(value: Any, field: str) -> list[str]:
    # A valid expression that never fires is VP206's business (a warning: AWS accepts it).
    from vaultplan.schedule import CronError, parse_cron

    try:
        if not parse_cron(value).can_ever_fire():
            return []
    except CronError:
        pass
    return schedule_problems(value, field)


@check(
    "VP105",
    Severity.ERROR,
    "Backup rule schedule is not a valid AWS cron expression, or fires more than hourly",
    "`ScheduleExpression` is an EventBridge cron expression of six fields "
    "(`cron(minutes hours day-of-month month day-of-week year)`), exactly one of the day "
    "fields being `?`. AWS Backup takes no `rate()` expression, and runs a rule at most "
    "once an hour.",
    _DEV + "plan-options-and-configuration.html",
)
def schedule(ctx: CheckContext) -> Result:
    yield from _rule_scalar(ctx, "ScheduleExpression", _schedule_rule)


def _lifecycle_pairs(ctx: CheckContext, node: Any) -> Iterator[tuple[Any, Any]]:
    for lc in ctx.values(node, "Lifecycle"):
        if isinstance(lc, Mapping):
            for cold in ctx.ints(lc, "MoveToColdStorageAfterDays"):
                for delete in ctx.ints(lc, "DeleteAfterDays"):
                    yield cold, delete
        elif isinstance(lc, Unresolved):
            yield lc, lc


def _lifecycle(
    ctx: CheckContext,
    resource: str,
    path: Path,
    node: Any,
    field: str,
    rule: Callable[[Any, Any, str], list[str]] = plan_rules.lifecycle,
) -> Result:
    for cold, delete in _lifecycle_pairs(ctx, node):
        unknown = next((v for v in (cold, delete) if isinstance(v, Unresolved)), None)
        if unknown is not None:
            yield ctx.not_applicable(resource, (*path, "Lifecycle"), field, unknown)
            continue
        for message in rule(cold, delete, field):
            yield Issue(resource, (*path, "Lifecycle"), message)


@check(
    "VP106",
    Severity.ERROR,
    "Backup rule lifecycle breaks the 90-day cold storage minimum or the 36,500-day maximum",
    "When a rule sets both, `DeleteAfterDays` must be at least "
    "`MoveToColdStorageAfterDays` + 90: cold recovery points are kept at least 90 days. "
    "Each value is 1 to 36,500 days.",
    _DEV + "API_Lifecycle.html",
)
def lifecycle(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        if _continuous(ctx, rule) is True:
            continue  # VP111 applies its own rules
        yield from _lifecycle(ctx, rule.plan, rule.path, rule.node, _rule_field(rule, "Lifecycle"))


@check(
    "VP107",
    Severity.ERROR,
    "Backup rule start window is under 60 minutes or over 100 years",
    "`StartWindowMinutes`, if set, is at least 60 minutes; its maximum is 100 years.",
    _DEV + "API_BackupRuleInput.html",
)
def start_window(ctx: CheckContext) -> Result:
    yield from _rule_scalar(ctx, "StartWindowMinutes", plan_rules.start_window, numeric=True)


@check(
    "VP108",
    Severity.ERROR,
    "Backup rule completion window is not a positive whole number of minutes",
    "`CompletionWindowMinutes`, if set, is a whole number of minutes. AWS documents no "
    "other minimum.",
    _DEV + "API_BackupRuleInput.html",
)
def completion_window(ctx: CheckContext) -> Result:
    yield from _rule_scalar(
        ctx, "CompletionWindowMinutes", plan_rules.completion_window, numeric=True
    )


@check(
    "VP109",
    Severity.ERROR,
    "Backup rule time zone is not an IANA time zone name",
    "`ScheduleExpressionTimezone` is an IANA time zone name such as `Europe/Paris`.",
    _DEV + "API_BackupRuleInput.html",
)
def schedule_timezone(ctx: CheckContext) -> Result:
    yield from _rule_scalar(ctx, "ScheduleExpressionTimezone", plan_rules.timezone)


@check(
    "VP110",
    Severity.ERROR,
    "Backup selection lists more than 500 ARNs, or more than 30 with wildcards",
    "A selection's `Resources` (and likewise `NotResources`) hold at most 500 ARNs without "
    "wildcards, or 30 ARNs when any has a wildcard.",
    _DEV + "API_BackupSelection.html",
)
def selection_arn_count(ctx: CheckContext) -> Result:
    for sel in ctx.selections:
        for key in ("Resources", "NotResources"):
            path = (*sel.path, key)
            for arns in ctx.values(sel.node, key):
                if isinstance(arns, Unresolved):
                    yield ctx.not_applicable(sel.logical_id, path, key, arns)
                    continue
                if not isinstance(arns, list):
                    continue
                items = [ctx.r.variants(a) for a in arns]
                items = [vs for vs in items if vs != [None]]
                count = len(items)
                wild = sum(any(isinstance(v, str) and "*" in v for v in vs) for vs in items)
                unknown = sum(
                    any(isinstance(v, Unresolved) for v in vs) and "*" not in str(vs)
                    for vs in items
                )
                if count > MAX_ARNS:
                    yield Issue(
                        sel.logical_id,
                        path,
                        f"{key}: got {count} ARNs; a selection takes at most {MAX_ARNS}",
                    )
                elif count > MAX_WILDCARD_ARNS and wild:
                    yield Issue(
                        sel.logical_id,
                        path,
                        f"{key}: got {count} ARNs, {wild} with a wildcard; a selection with "
                        f"wildcards takes at most {MAX_WILDCARD_ARNS} ARNs",
                    )
                elif count > MAX_WILDCARD_ARNS and unknown:
                    yield NotApplicable(
                        sel.logical_id,
                        path,
                        f"{key}: {count} ARNs, {unknown} unknown offline; allowed only if none "
                        "has a wildcard",
                    )


def _continuous(ctx: CheckContext, rule: Rule) -> bool | None:
    """Whether the rule enables continuous backup (None: it depends on an unknown value)."""
    seen: set[bool | None] = set()
    for value in ctx.values(rule.node, "EnableContinuousBackup"):
        if isinstance(value, Unresolved):
            seen.add(None)
        else:
            seen.add(value is not None and str(cfn_str(value)).lower() == "true")
    return seen.pop() if len(seen) == 1 else None


@check(
    "VP111",
    Severity.ERROR,
    "Continuous backup with a retention outside 1-35 days, or with cold storage",
    "A rule with `EnableContinuousBackup: true` keeps points 1 to 35 days and cannot move "
    "them to cold storage.",
    _DEV + "point-in-time-recovery.html",
)
def continuous_backup(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        enabled = _continuous(ctx, rule)
        if enabled is False:
            continue

        def cont(cold: Any, delete: Any, field: str) -> list[str]:
            return plan_rules.continuous_backup(delete, cold, field)

        yield from _lifecycle(
            ctx, rule.plan, rule.path, rule.node, _rule_field(rule, "Lifecycle"), cont
        )


@check(
    "VP112",
    Severity.ERROR,
    "Copy action lifecycle breaks the 90-day cold storage minimum",
    "A copy action's `Lifecycle` follows the same rules as the rule's: when both are set, "
    "`DeleteAfterDays` must be at least `MoveToColdStorageAfterDays` + 90.",
    _DEV + "API_CopyAction.html",
)
def copy_lifecycle(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        for i, action in ctx.copy_actions(rule):
            if i is not None and isinstance(action, Mapping):
                yield from _lifecycle(
                    ctx,
                    rule.plan,
                    (*rule.path, "CopyActions", i),
                    action,
                    _rule_field(rule, f"CopyActions[{i}].Lifecycle"),
                )


@check(
    "VP113",
    Severity.ERROR,
    "Vault lock settings out of range",
    "`LockConfiguration`: `ChangeableForDays` is at least 3 (a 72-hour cooling-off period), "
    "`MinRetentionDays` at least 1, `MaxRetentionDays` at most 36,500 and not below "
    "`MinRetentionDays`.",
    _DEV + "API_PutBackupVaultLockConfiguration.html",
)
def vault_lock(ctx: CheckContext) -> Result:
    for item in _locks(ctx):
        if isinstance(item, NotApplicable):
            yield item
            continue
        vault, path, changeable, minimum, maximum = item
        if minimum is None:
            yield Issue(
                vault,
                path,
                "LockConfiguration.MinRetentionDays: not set; CloudFormation requires it "
                "for a vault lock",
            )
        for message in lock_rules.vault_lock(changeable, minimum, maximum, "LockConfiguration"):
            yield Issue(vault, path, message)


_Lock = tuple[str, Path, Any, Any, Any]


def _locks(ctx: CheckContext) -> Iterator[_Lock | NotApplicable]:
    """``(vault, path, changeable, min, max)`` per variant of each vault's lock."""
    keys = ("ChangeableForDays", "MinRetentionDays", "MaxRetentionDays")
    for vault in ctx.vaults:
        path = (*vault.path, "LockConfiguration")
        for lock in ctx.values(vault.props, "LockConfiguration"):
            if isinstance(lock, Unresolved):
                yield ctx.not_applicable(vault.logical_id, path, "LockConfiguration", lock)
            if not isinstance(lock, Mapping):
                continue
            for values in itertools.product(*(ctx.ints(lock, k) for k in keys)):
                unknown = next((v for v in values if isinstance(v, Unresolved)), None)
                if unknown is not None:
                    yield ctx.not_applicable(vault.logical_id, path, "LockConfiguration", unknown)
                else:
                    yield (vault.logical_id, path, *values)


@check(
    "VP116",
    Severity.ERROR,
    "Rule retention outside its vault lock's range: every backup job fails",
    "A locked vault fails every backup or copy job whose retention (`DeleteAfterDays`) is "
    "shorter than the lock's `MinRetentionDays` or longer than its `MaxRetentionDays`; a "
    "rule that keeps points forever breaks any maximum. The template deploys, and no "
    "backup is ever taken.",
    _DEV + "API_PutBackupVaultLockConfiguration.html",
)
def retention_vs_lock(ctx: CheckContext) -> Result:
    locks: dict[str, list[_Lock]] = {}
    for item in _locks(ctx):
        if not isinstance(item, NotApplicable):
            locks.setdefault(item[0], []).append(item)
    if not locks:
        return
    for rule in ctx.rules:
        for vault in {ctx.vault_of(v) for v in ctx.values(rule.node, "TargetBackupVault")}:
            for _v, _p, _c, minimum, maximum in locks.get(vault or "", []):
                for delete in ctx.ints(rule.node, "Lifecycle", "DeleteAfterDays"):
                    field = _rule_field(rule, "Lifecycle.DeleteAfterDays")
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


@check(
    "VP114",
    Severity.ERROR,
    "Vault notification event name is not one AWS Backup knows",
    "`Notifications.BackupVaultEvents` names events from AWS Backup's `BackupVaultEvent` "
    "list (botocore's service model is the offline authority).",
    _DEV + "API_PutBackupVaultNotifications.html",
)
def notification_events(ctx: CheckContext) -> Result:
    for vault in ctx.vaults:
        path = (*vault.path, "Notifications", "BackupVaultEvents")
        for notif in ctx.values(vault.props, "Notifications"):
            if not isinstance(notif, Mapping):
                continue
            for events in ctx.values(notif, "BackupVaultEvents"):
                if isinstance(events, Unresolved):
                    yield ctx.not_applicable(vault.logical_id, path, "BackupVaultEvents", events)
                    continue
                if not isinstance(events, list):
                    continue
                names: list[str] = []
                for event in events:
                    for v in ctx.r.variants(event):
                        if isinstance(v, Unresolved):
                            yield ctx.not_applicable(vault.logical_id, path, "BackupVaultEvents", v)
                        elif v is not None:
                            names.append(str(cfn_str(v)))
                for message in vault_events.notification_events(names, "BackupVaultEvents"):
                    yield Issue(vault.logical_id, path, message)


@check(
    "VP115",
    Severity.ERROR,
    "Backup selection uses more than 30 tag conditions",
    "AWS Backup's quota is 30 tags in one selection (`ListOfTags` and `Conditions` together).",
    _DEV + "aws-backup-limits.html",
)
def selection_tags(ctx: CheckContext) -> Result:
    for sel in ctx.selections:
        count = len(ctx.r.items(sel.node.get("ListOfTags")))
        for conds in ctx.values(sel.node, "Conditions"):
            if isinstance(conds, Mapping):
                for op in conds:
                    count += len(ctx.r.items(conds[op]))
        if count > MAX_TAG_CONDITIONS:
            yield Issue(
                sel.logical_id,
                sel.path,
                f"ListOfTags + Conditions: got {count} tag conditions; a selection takes at "
                f"most {MAX_TAG_CONDITIONS}",
            )
