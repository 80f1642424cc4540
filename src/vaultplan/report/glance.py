"""The "At a glance" list: the vault, selection, notifications, restore testing and audit.

From a config, the words are those of ``vaultplan synth`` (:func:`vaultplan.config.summarize`).
From a template, each AWS Backup resource is described by what its properties say, resolved
as ``vaultplan check`` resolves them (:class:`vaultplan.checks.model.CheckContext`); a value
unknown offline is shown as its placeholder (``${Key.Arn}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaultplan.checks.model import CheckContext
    from vaultplan.config import StrategySummary
    from vaultplan.template import LoadedTemplate

__all__ = ["GlanceItem", "config_glance", "template_glance"]


@dataclass(frozen=True)
class GlanceItem:
    """One element of the strategy: what it is (``Vault``), its name, and its details."""

    element: str
    name: str
    details: tuple[str, ...]


def config_glance(summary: StrategySummary) -> tuple[GlanceItem, ...]:
    """The elements a config builds, in the words of ``vaultplan synth``."""
    items = [
        GlanceItem("Vault", summary.vault, summary.vault_details),
        GlanceItem("Selection", summary.selection, summary.resources),
        GlanceItem("Role", "(generated)", (summary.role,)),
        GlanceItem("Notifications", "(generated)", (summary.notifications,)),
    ]
    items += [GlanceItem(a.element, a.name, (a.details,)) for a in summary.assurance]
    return tuple(items)


_VAULTS = ("AWS::Backup::BackupVault", "AWS::Backup::LogicallyAirGappedBackupVault")


def _shown(ctx: CheckContext, node: Any, *keys: str) -> str | None:
    """A property as text: its value(s) joined by " or ", None when absent."""
    values = [v for v in ctx.values(node, *keys) if v is not None]
    if not values:
        return None
    return " or ".join(dict.fromkeys(str(v) for v in values))


def _vault(ctx: CheckContext, lid: str, props: Any) -> GlanceItem:
    name = _shown(ctx, props, "BackupVaultName") or lid
    details: list[str] = []
    key = _shown(ctx, props, "EncryptionKeyArn")
    details.append(f"key {key}" if key else "key: AWS Backup's default (AWS-owned or managed)")
    policy = [v for v in ctx.values(props, "AccessPolicy") if v is not None]
    details.append("an access policy" if policy else "no access policy")
    lock = [v for v in ctx.values(props, "LockConfiguration") if isinstance(v, Mapping)]
    for item in lock:
        low = _shown(ctx, item, "MinRetentionDays")
        high = _shown(ctx, item, "MaxRetentionDays")
        change = _shown(ctx, item, "ChangeableForDays")
        kind = "governance lock" if change is None else f"compliance lock ({change} days to change)"
        details.append(f"{kind}, retention {low or 'any'} to {high or 'any'} days")
    air_gapped = "AirGapped" in str(ctx.resource_type(lid))
    if not lock and not air_gapped:  # an air-gapped vault is locked by its retention bounds
        details.append("no vault lock")
    low = _shown(ctx, props, "MinRetentionDays")
    if low is not None:  # a logically air-gapped vault's retention bounds
        details.append(f"retention {low} to {_shown(ctx, props, 'MaxRetentionDays')} days")
    for notif in ctx.values(props, "Notifications"):
        if isinstance(notif, Mapping):
            names = [e for e in ctx.values(notif, "BackupVaultEvents") if isinstance(e, list)]
            events = ", ".join(str(e) for e in names[0]) if names else "its events"
            details.append(f"notifies {_shown(ctx, notif, 'SNSTopicArn')} of {events}")
    kind = "Air-gapped vault" if air_gapped else "Vault"
    return GlanceItem(kind, name, tuple(details))


def _schedule_words(schedule: str | None, zone: str) -> str:
    """``cron(0 12 ? * SUN *): at 12:00 UTC on Sunday``; the expression alone when it is
    not an AWS cron expression."""
    from vaultplan.schedule import CronError, parse_cron

    if schedule is None:
        return "no schedule"
    try:
        return f"{schedule}: {parse_cron(schedule).describe(zone)}"
    except CronError:
        return schedule


def template_glance(template: LoadedTemplate) -> tuple[GlanceItem, ...]:
    """The vaults, selections, restore testing plans, frameworks and report plans of a
    template (its plans and rules are listed apart, from the simulation's plan model)."""
    from vaultplan.checks.model import CheckContext

    ctx = CheckContext(template)
    items = [_vault(ctx, lid, res.get("Properties")) for lid, res in ctx.resources(*_VAULTS)]
    for sel in ctx.selections:
        name = _shown(ctx, sel.node, "SelectionName") or sel.logical_id
        arns = [v for v in ctx.values(sel.node, "Resources") if isinstance(v, list)]
        tags = [v for v in ctx.values(sel.node, "ListOfTags") if isinstance(v, list)]
        conditions = [v for v in ctx.values(sel.node, "Conditions") if isinstance(v, Mapping)]
        details = [f"{len(arns[0]) if arns else 0} resource ARN(s)"]
        if tags or conditions:
            details.append("narrowed by tags")
        plan = ctx.plan_of(sel)
        details.append(f"of plan {plan}" if plan else "of a plan outside the template")
        items.append(GlanceItem("Selection", name, tuple(details)))
    for lid, res in ctx.resources("AWS::Backup::RestoreTestingPlan"):
        props = res.get("Properties")
        name = _shown(ctx, props, "RestoreTestingPlanName") or lid
        schedule = _shown(ctx, props, "ScheduleExpression")
        zone = _shown(ctx, props, "ScheduleExpressionTimezone") or "UTC"
        items.append(GlanceItem("Restore testing", name, (_schedule_words(schedule, zone),)))
    for lid, res in ctx.resources("AWS::Backup::Framework"):
        props = res.get("Properties")
        controls = [v for v in ctx.values(props, "FrameworkControls") if isinstance(v, list)]
        count = len(controls[0]) if controls else 0
        name = _shown(ctx, props, "FrameworkName") or lid
        items.append(GlanceItem("Audit framework", name, (f"{count} control(s)",)))
    for lid, res in ctx.resources("AWS::Backup::ReportPlan"):
        props = res.get("Properties")
        name = _shown(ctx, props, "ReportPlanName") or lid
        kind = _shown(ctx, props, "ReportSetting", "ReportTemplate") or "a report"
        items.append(GlanceItem("Audit report plan", name, (kind,)))
    return tuple(items)
