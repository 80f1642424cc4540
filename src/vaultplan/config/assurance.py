"""The ``[restore_testing]`` and ``[audit]`` tables of ``vaultplan.toml``: strict parsing.

Both are off by default (``enabled = false``). A table that is off is still checked for
unknown keys and types, so a typo never hides. AWS Backup's constraints on the values are
checked by :func:`vaultplan.spec.assurance.assurance_problems`, which the
construct uses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vaultplan.config import fields
from vaultplan.config.drill import parse_validation
from vaultplan.config.model import Config
from vaultplan.schedule import parse_cron
from vaultplan.spec.assurance import (
    AuditOptions,
    RestoreTestingOptions,
    audit_names,
    framework_controls,
    report_plan_name,
    restore_testing_names,
)
from vaultplan.spec.vault import resolve_lock

__all__ = [
    "AUDIT_KEYS",
    "RESTORE_TESTING_KEYS",
    "AssuranceItem",
    "assurance_summary",
    "parse_audit",
    "parse_restore_testing",
]

RESTORE_TESTING_KEYS = (
    "enabled",
    "schedule",
    "schedule_timezone",
    "start_window_hours",
    "selection_window_days",
    "validation_window_hours",
    "kms_key_arn",
    "name",
    "validate",
    "validation",
)
AUDIT_KEYS = (
    "enabled",
    "framework",
    "report_bucket",
    "report_key_prefix",
    "report_formats",
    "report_templates",
    "name",
    "restore_time_target_minutes",
)


def parse_restore_testing(value: object) -> RestoreTestingOptions | None:
    """The ``[restore_testing]`` table as options, or None when it is absent or not enabled."""
    table = fields.section(value, "restore_testing", RESTORE_TESTING_KEYS)
    if table is None:
        return None
    enabled = fields.boolean(table, "enabled", "restore_testing.enabled", False)
    settings: dict[str, Any] = {}
    for key in ("schedule", "schedule_timezone", "kms_key_arn", "name"):
        if key in table:
            settings[key] = fields.string(table, key, f"restore_testing.{key}")
    for key in ("start_window_hours", "selection_window_days", "validation_window_hours"):
        if key in table:
            settings[key] = fields.whole(table, key, f"restore_testing.{key}")
    settings["validation"] = parse_validation(table)
    options = RestoreTestingOptions(**settings)
    return options if enabled else None


def parse_audit(value: object) -> AuditOptions | None:
    """The ``[audit]`` table as options, or None when it is absent or not enabled."""
    table = fields.section(value, "audit", AUDIT_KEYS)
    if table is None:
        return None
    enabled = fields.boolean(table, "enabled", "audit.enabled", False)
    settings: dict[str, Any] = {
        "framework": fields.boolean(table, "framework", "audit.framework", True),
    }
    for key in ("report_bucket", "report_key_prefix", "name"):
        if key in table:
            settings[key] = fields.string(table, key, f"audit.{key}")
    if "restore_time_target_minutes" in table:
        settings["restore_time_target_minutes"] = fields.whole(
            table, "restore_time_target_minutes", "audit.restore_time_target_minutes"
        )
    for key in ("report_formats", "report_templates"):
        if key in table:
            settings[key] = fields.strings(
                table, key, f"audit.{key}", expected='an array of strings, e.g. ["CSV"]'
            )
    options = AuditOptions(**settings)
    return options if enabled else None


@dataclass(frozen=True, kw_only=True)
class AssuranceItem:
    """One restore testing or audit resource a config builds, for ``vaultplan synth``."""

    element: str
    """``Restore test``, ``Audit framework`` or ``Report plan``."""
    name: str
    details: str


def assurance_summary(config: Config) -> tuple[AssuranceItem, ...]:
    """What ``[restore_testing]`` and ``[audit]`` build, in words (empty when both are off)."""
    items: list[AssuranceItem] = []
    rt = config.restore_testing
    if rt is not None:
        tz = rt.schedule_timezone or "UTC"
        items.append(
            AssuranceItem(
                element="Restore test",
                name=rt.name or restore_testing_names(config.site_name)["plan"],
                details=(
                    f"{rt.schedule}: {parse_cron(rt.schedule).describe(tz)}; restores the latest "
                    f"snapshot (at most {rt.selection_window_days} days old) of each file system "
                    "into a new one, with the role"
                ),
            )
        )
    audit = config.audit
    if audit is None:
        return tuple(items)
    names = audit_names(config.site_name, audit.name)
    if audit.framework:
        lock = resolve_lock(config.vault.lock, config.all_rules)
        controls = framework_controls(
            config.rules,
            lock_retention=None
            if lock is None
            else (lock.min_retention_days, lock.max_retention_days),
            home_region=config.region,
            home_account=config.account,
            deletion_principals=config.vault.break_glass_arns if config.vault.access_policy else (),
            restore_time_target_minutes=audit.restore_time_target_minutes
            if config.restore_testing is not None
            else None,
        )
        items.append(
            AssuranceItem(
                element="Audit framework",
                name=names["framework"],
                details="; ".join(
                    spec.name
                    + (
                        f" ({', '.join(f'{k}={v}' for k, v in spec.parameters)})"
                        if spec.parameters
                        else ""
                    )
                    for spec in controls
                ),
            )
        )
    if audit.report_bucket is not None:
        where = f"s3://{audit.report_bucket}/{audit.report_key_prefix or ''}"
        for template in audit.report_templates:
            items.append(
                AssuranceItem(
                    element="Report plan",
                    name=report_plan_name(names["report"], template),
                    details=f"{template} as {', '.join(audit.report_formats)} to {where}",
                )
            )
    return tuple(items)
