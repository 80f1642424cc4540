"""What a backup plan does, read from a template: its rules and the resources it protects.

A plan is an ``AWS::Backup::BackupPlan``; its rules are read with their schedule
(``ScheduleExpression`` in ``ScheduleExpressionTimezone``), ``StartWindowMinutes`` and
``Lifecycle``. The resources it protects are those that its ``AWS::Backup::BackupSelection``
resources select, by ARN or by tags, matched with the same code as ``vaultplan check``
(:mod:`vaultplan.template.selection`); ARNs of resources outside the template are kept as they
are written. Values go through the template resolver (parameter defaults or ``--parameters``,
``Fn::FindInMap``, ``Fn::Sub``, ``Fn::If``...). A value the simulation needs but that can't be
known offline is an :class:`~vaultplan.errors.InputError` naming the field and the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultplan.aws import plan_rules as aws_plan_rules
from vaultplan.aws.resource_types import ARN_SERVICE_TYPES
from vaultplan.checks.model import CheckContext, Rule
from vaultplan.errors import InputError, shown
from vaultplan.schedule import AwsCron, CronError, parse_cron
from vaultplan.template import LoadedTemplate, load
from vaultplan.template.resolve import Unresolved, arn_parts, as_int
from vaultplan.template.selection import SelectionMatcher

__all__ = [
    "DEFAULT_SCHEDULE",
    "DEFAULT_START_WINDOW_MINUTES",
    "BackupPlanModel",
    "CopyTarget",
    "PlanRule",
    "ProtectedResource",
    "load_plans",
    "plans_of",
]

#: AWS's default when a rule has no ScheduleExpression (API_BackupRuleInput).
DEFAULT_SCHEDULE = "cron(0 5 ? * * *)"
#: The console's default start window, 8 hours, used when a rule sets none
#: (https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html).
DEFAULT_START_WINDOW_MINUTES = 480

_PLAN = "AWS::Backup::BackupPlan"


@dataclass(frozen=True)
class CopyTarget:
    """A rule's copy action: the destination vault and the copies' own lifecycle.

    ``destination`` is the vault ARN as far as it resolves offline (placeholders such as
    ``${AWS::AccountId}`` are kept); ``region`` is its Region part (the stack's own
    ``${AWS::Region}`` resolves to the simulated Region), ``None`` when unknown offline.
    """

    destination: str
    region: str | None
    cold_after_days: int | None
    delete_after_days: int | None


@dataclass(frozen=True)
class PlanRule:
    """One rule of a plan, resolved. Days are ``None`` when the lifecycle does not set them."""

    plan: str
    index: int
    name: str
    schedule: AwsCron
    timezone: str
    start_window_minutes: int
    cold_after_days: int | None
    delete_after_days: int | None
    copies: tuple[CopyTarget, ...] = ()

    @property
    def retention_days(self) -> float:
        """Retention for the overlap rule: a point never deleted counts as kept forever."""
        return float("inf") if self.delete_after_days is None else float(self.delete_after_days)


@dataclass(frozen=True)
class ProtectedResource:
    """A resource a plan backs up: a template resource (logical id) or an ARN outside it.

    ``certain`` is False when whether a selection covers it depends on values unknown offline
    (the simulation then includes it, and says so).
    """

    name: str
    type: str
    selections: tuple[str, ...]
    certain: bool = True


@dataclass(frozen=True)
class BackupPlanModel:
    """A plan of a template: its rules and the resources its selections protect."""

    template: str
    logical_id: str
    name: str
    rules: tuple[PlanRule, ...]
    resources: tuple[ProtectedResource, ...]


def _decided(field: str, values: list[Any]) -> Any:
    """The one value of ``values``; several (a condition undecided offline) is bad input."""
    if len(values) != 1:
        shown = ", ".join(repr(str(v)) for v in values)
        raise InputError(
            f"{field}: got one of {shown}; the value depends on a condition that can't be "
            "decided offline; pass --parameters NAME=VALUE to decide it"
        )
    return values[0]


def _one(ctx: CheckContext, node: Any, field: str, *keys: str) -> Any:
    value = _decided(field, ctx.values(node, *keys))
    if isinstance(value, Unresolved):
        raise InputError(f"{field}: got {value.text!r}, unknown offline ({value.reason})")
    return value


def _label(ctx: CheckContext, node: Any, fallback: str, *keys: str) -> str:
    """A name shown to people: its value, its placeholder text when unknown offline
    (``${AWS::StackName}-plan``), or ``fallback`` when absent or undecided."""
    values = ctx.values(node, *keys)
    if len(values) != 1 or values[0] is None:
        return fallback
    return str(values[0])


def _days(ctx: CheckContext, node: Any, field: str, key: str) -> int | None:
    """A lifecycle value, checked against AWS's bounds (1 to 36,500 days, API_Lifecycle)
    before any date arithmetic: ``10**30`` days is one line, not an OverflowError."""
    value = as_int(_one(ctx, node, f"{field}.Lifecycle.{key}", "Lifecycle", key))
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= aws_plan_rules.LIFECYCLE_MAX_DAYS
    ):
        raise InputError(
            f"{field}.Lifecycle.{key}: got {shown(value)}; expected a whole number of days, "
            f"1 to {aws_plan_rules.LIFECYCLE_MAX_DAYS}"
        )
    return value


def _destination(ctx: CheckContext, action: Any, field: str) -> tuple[str, str | None]:
    """A copy action's destination vault ARN text and its Region (``None``: unknown)."""
    values = ctx.values(action, "DestinationBackupVaultArn")
    if not values or values == [None]:
        raise InputError(
            f"{field}.DestinationBackupVaultArn: got nothing; a copy action needs one "
            "destination vault ARN"
        )
    value = _decided(f"{field}.DestinationBackupVaultArn", values)
    text = value.text if isinstance(value, Unresolved) else str(value)
    parts = arn_parts(text)
    if len(parts) < 6:
        return text, None
    region = parts[3]
    return text, None if "${" in region or not region else region


def _copies(ctx: CheckContext, node: Any, field: str) -> tuple[CopyTarget, ...]:
    variants = ctx.values(node, "CopyActions")
    if len(variants) != 1:
        raise InputError(
            f"{field}.CopyActions: the value depends on a condition that can't be decided "
            "offline; pass --parameters NAME=VALUE to decide it"
        )
    if variants[0] is None:
        return ()
    if isinstance(variants[0], Unresolved):
        raise InputError(
            f"{field}.CopyActions: got {variants[0].text!r}, unknown offline ({variants[0].reason})"
        )
    out: list[CopyTarget] = []
    for j, action in enumerate(ctx.r.items(variants[0])):
        where = f"{field}.CopyActions[{j}]"
        if isinstance(action, Unresolved):
            raise InputError(f"{where}: got {action.text!r}, unknown offline ({action.reason})")
        if not isinstance(action, Mapping):
            continue
        destination, region = _destination(ctx, action, where)
        out.append(
            CopyTarget(
                destination=destination,
                region=region,
                cold_after_days=_days(ctx, action, where, "MoveToColdStorageAfterDays"),
                delete_after_days=_days(ctx, action, where, "DeleteAfterDays"),
            )
        )
    return tuple(out)


def _rule(ctx: CheckContext, rule: Rule) -> PlanRule:
    field = "Resources." + ".".join(str(p) for p in rule.path[1:] if p != "Properties")
    node = rule.node
    expr = _one(ctx, node, f"{field}.ScheduleExpression", "ScheduleExpression")
    expr = DEFAULT_SCHEDULE if expr is None else str(expr)
    zone = _one(ctx, node, f"{field}.ScheduleExpressionTimezone", "ScheduleExpressionTimezone")
    window = as_int(_one(ctx, node, f"{field}.StartWindowMinutes", "StartWindowMinutes"))
    window = DEFAULT_START_WINDOW_MINUTES if window is None else window
    # Within AWS's range (60 minutes to 100 years) before any time arithmetic.
    problems = aws_plan_rules.start_window(window, f"{field}.StartWindowMinutes")
    if problems:
        raise InputError(problems[0])
    try:
        cron = parse_cron(expr)
        timezone = "UTC" if zone is None else str(zone)
        cron.next_fire(ctx.now, timezone)  # validates the zone name
    except CronError as exc:
        raise InputError(f"{field}.ScheduleExpression: {exc}") from exc
    except ValueError as exc:
        raise InputError(f"{field}.ScheduleExpressionTimezone: {exc}") from exc
    cold = _days(ctx, node, field, "MoveToColdStorageAfterDays")
    delete = _days(ctx, node, field, "DeleteAfterDays")
    return PlanRule(
        plan=rule.plan,
        index=rule.index,
        name=_label(ctx, node, f"rule{rule.index}", "RuleName"),
        schedule=cron,
        timezone=timezone,
        start_window_minutes=window,
        cold_after_days=cold,
        delete_after_days=delete,
        copies=_copies(ctx, node, field),
    )


def _external(entries: list[Any]) -> list[tuple[str, str]]:
    """``(arn, type)`` for literal ARNs of protectable resources outside the template."""
    out: list[tuple[str, str]] = []
    for entry in entries:
        if not isinstance(entry, str):
            continue
        parts = entry.split(":", 5)
        if (
            len(parts) == 6
            and parts[0] == "arn"
            and parts[2] in ARN_SERVICE_TYPES
            and "*" not in parts[5]
        ):
            out.append((entry, ARN_SERVICE_TYPES[parts[2]]))
    return out


def _protected(ctx: CheckContext, plan_id: str) -> tuple[ProtectedResource, ...]:
    selections = [s for s in ctx.selections if ctx.plan_of(s) == plan_id]
    matcher = SelectionMatcher(ctx.template, ctx.r)
    found: dict[str, ProtectedResource] = {}
    for target in matcher.targets():
        verdicts = [
            (s.logical_id, matcher.selects(s.logical_id, s.node, target)) for s in selections
        ]
        chosen = tuple(lid for lid, v in verdicts if v is not False)
        if chosen:
            certain = any(v is True for _, v in verdicts)
            found[target.logical_id] = ProtectedResource(
                target.logical_id, target.type, chosen, certain
            )
    for sel in selections:
        for arn, rtype in _external(ctx.r.items(sel.node.get("Resources"))):
            prev = found.get(arn)
            sels = (*prev.selections, sel.logical_id) if prev else (sel.logical_id,)
            found[arn] = ProtectedResource(arn, rtype, sels)
    return tuple(found.values())


def plans_of(
    template: LoadedTemplate, parameters: Mapping[str, str] | None = None
) -> list[BackupPlanModel]:
    """Every backup plan of a template that may be deployed, with its rules and resources."""
    ctx = CheckContext(template, parameters)
    plans: list[BackupPlanModel] = []
    for lid, res in ctx.resources(_PLAN):
        rules = tuple(_rule(ctx, r) for r in ctx.rules if r.plan == lid)
        plans.append(
            BackupPlanModel(
                template=template.name,
                logical_id=lid,
                name=_label(ctx, res.get("Properties"), lid, "BackupPlan", "BackupPlanName"),
                rules=rules,
                resources=_protected(ctx, lid),
            )
        )
    return plans


def load_plans(
    path: Path, plan_id: str | None = None, parameters: Mapping[str, str] | None = None
) -> list[BackupPlanModel]:
    """The backup plans in a template file or cdk.out directory (only ``plan_id`` if given).

    Raises :class:`InputError` when there is none, or no plan with that logical id.
    """
    plans: list[BackupPlanModel] = []
    for loaded in load([path]).templates:
        plans.extend(plans_of(loaded, parameters))
    if not plans:
        raise InputError(
            f"template: {path} has no AWS::Backup::BackupPlan resource; simulate needs a "
            "template that defines a backup plan"
        )
    if plan_id is None:
        return plans
    chosen = [p for p in plans if p.logical_id == plan_id]
    if not chosen:
        known = ", ".join(sorted({p.logical_id for p in plans}))
        raise InputError(f"--plan: got {plan_id!r}; the template's backup plans are: {known}")
    return chosen
