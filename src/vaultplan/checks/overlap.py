"""VP207: rules of one plan, into the same vault, whose start windows coincide.

AWS Backup (plan-options-and-configuration): "If you have a backup plan with multiple rules
and the time frames of the two rules overlap, AWS Backup optimizes the backup and takes a
backup for the rule with the longer retention time. The optimization takes into account the
full start window." So the rule with the shorter retention loses those backups.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext, Result, Rule
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved, as_int, cfn_str

#: AWS's default when a rule has no ScheduleExpression (API_BackupRuleInput).
DEFAULT_SCHEDULE = "cron(0 5 ? * * *)"
#: The console's default start window, 8 hours, used when unset
#: (https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html).
DEFAULT_START_WINDOW_MINUTES = 480
HORIZON_DAYS = 365


@dataclass(frozen=True)
class _Timed:
    rule: Rule
    name: str
    vault: str
    fires: list[datetime]
    window: timedelta
    retention: int | None  # days; None keeps forever
    copies: frozenset[str]


def _single(ctx: CheckContext, rule: Rule, *keys: str) -> object:
    values = ctx.values(rule.node, *keys)
    if len(values) != 1:
        return Unresolved(text="${Fn::If}", reason=f"{'.'.join(keys)} depends on a condition")
    return values[0]


def _timed(ctx: CheckContext, rule: Rule) -> _Timed | NotApplicable | None:
    from vaultplan.schedule import CronError, parse_cron

    if ctx.continuous(rule) is not False:
        return None
    expr = _single(ctx, rule, "ScheduleExpression")
    expr = DEFAULT_SCHEDULE if expr is None else expr
    zone = _single(ctx, rule, "ScheduleExpressionTimezone")
    window = as_int(_single(ctx, rule, "StartWindowMinutes"))
    window = DEFAULT_START_WINDOW_MINUTES if window is None else window
    retention = as_int(_single(ctx, rule, "Lifecycle", "DeleteAfterDays"))
    vaults = ctx.vault_key(rule)
    for what, value in (
        ("ScheduleExpression", expr),
        ("ScheduleExpressionTimezone", zone),
        ("StartWindowMinutes", window),
        ("Lifecycle.DeleteAfterDays", retention),
    ):
        if isinstance(value, Unresolved):
            return ctx.not_applicable(rule.plan, rule.path, what, value)
    if len(vaults) != 1 or "${" in vaults[0]:
        return NotApplicable(rule.plan, rule.path, "the rule's target vault is unknown offline")
    if not isinstance(window, int) or not isinstance(retention, int | None):
        return None  # VP106/VP107 report malformed values
    try:
        cron = parse_cron(str(expr))
        start = ctx.now
        fires = list(
            cron.fires_between(start, start + timedelta(days=HORIZON_DAYS), str(zone or "UTC"))
        )
    except (CronError, ValueError):
        return None  # VP105 and VP109 report these
    copies: set[str] = set()
    for _, action in ctx.copy_actions(rule):
        if isinstance(action, Mapping):
            copies |= {str(a) for a in ctx.values(action, "DestinationBackupVaultArn")}
    name = rule.node.get("RuleName")
    label = str(cfn_str(name)) if isinstance(name, str) else f"#{rule.index}"
    return _Timed(
        rule, label, vaults[0], fires, timedelta(minutes=window), retention, frozenset(copies)
    )


def _coinciding(loser: _Timed, winner: _Timed) -> list[datetime]:
    """Fires of ``loser`` whose start window intersects one of ``winner``'s."""
    out: list[datetime] = []
    for fire in loser.fires:
        i = bisect_right(winner.fires, fire - winner.window)
        if i < len(winner.fires) and winner.fires[i] < fire + loser.window:
            out.append(fire)
    return out


def _days(retention: int | None) -> str:
    return "kept forever" if retention is None else f"kept {retention} days"


@check("VP207")
def overlapping_rules(ctx: CheckContext) -> Result:
    by_plan: dict[str, list[_Timed]] = {}
    for rule in ctx.rules:
        timed = _timed(ctx, rule)
        if isinstance(timed, NotApplicable):
            yield timed
        elif timed is not None:
            by_plan.setdefault(rule.plan, []).append(timed)
    horizon = f"the {HORIZON_DAYS} days from {ctx.now:%Y-%m-%d}"
    for plan, rules in by_plan.items():
        for i, a in enumerate(rules):
            for b in rules[i + 1 :]:
                if a.vault != b.vault:
                    continue
                a_longer = a.retention is None or (
                    b.retention is not None and a.retention > b.retention
                )
                winner, loser = (a, b) if a_longer else (b, a)
                lost = _coinciding(loser, winner)
                if not lost:
                    continue
                tie = winner.retention == loser.retention
                dropped_copies = sorted(loser.copies - winner.copies)
                when = ", ".join(f"{t:%Y-%m-%d %H:%M}" for t in lost[:3])
                more = f" and {len(lost) - 3} more" if len(lost) > 3 else ""
                if tie:
                    outcome = (
                        f"both keep points {_days(winner.retention)}, so AWS takes one of them "
                        f"and the other rule's backup will not exist"
                    )
                else:
                    outcome = (
                        f"AWS keeps only '{winner.name}' ({_days(winner.retention)}): the "
                        f"'{loser.name}' backups ({_days(loser.retention)}) will not exist"
                    )
                message = (
                    f"rules '{a.name}' and '{b.name}' both back up into vault {a.vault} and "
                    f"their start windows coincide {len(lost)} time(s) in {horizon} (UTC "
                    f"{when}{more}); {outcome}"
                )
                if dropped_copies:
                    message += f", nor their copies to {', '.join(dropped_copies)}"
                yield Issue(
                    plan,
                    (
                        "Resources",
                        plan,
                        "Properties",
                        "BackupPlan",
                        "BackupPlanRule",
                        loser.rule.index,
                    ),
                    message,
                    severity=Severity.WARNING if dropped_copies else Severity.INFO,
                )
