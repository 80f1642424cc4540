"""The plan options of ``vaultplan.toml``: ``[plan]``'s advanced backup settings and
``[plan.malware_scanning]``, the per-rule ``archive``, ``index_resource_types`` and
``malware_scan_mode`` keys, and the same rule keys at ``[plan]`` level for a preset's rules.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from vaultplan.config import fields
from vaultplan.errors import InputError
from vaultplan.spec.plan_options import (
    MALWARE_SCANNING_KEYS,
    PLAN_OPTION_KEYS,
    MalwareScanning,
    PlanOptions,
)
from vaultplan.spec.rules import RulePreset

__all__ = ["PLAN_RULE_KEYS", "parse_plan_options", "plan_rule_keys", "rule_options"]

PLAN_RULE_KEYS = ("archive", "index_resource_types", "malware_scan_mode")
"""Rule keys that ``[plan]`` may also hold, for every rule of a preset."""


def rule_options(table: dict[str, Any], path: str) -> dict[str, Any]:
    """The archive, index and scan keys of a ``[[rules]]`` (or ``[plan]``) table, typed."""
    out: dict[str, Any] = {}
    if "archive" in table:
        out["archive"] = fields.boolean(table, "archive", f"{path}archive", False)
    types = fields.strings(
        table,
        "index_resource_types",
        f"{path}index_resource_types",
        expected='an array of one resource type, e.g. ["EBS"]',
    )
    if types is not None:
        out["index_resource_types"] = types
    mode = fields.string(table, "malware_scan_mode", f"{path}malware_scan_mode")
    if mode is not None:
        out["malware_scan_mode"] = mode
    return out


def plan_rule_keys(
    plan: dict[str, Any], rules: tuple[RulePreset, ...], path: str = "plan."
) -> tuple[RulePreset, ...]:
    """``rules`` (a preset's) with ``[plan]``'s rule keys applied to each (``path``: the
    plan's key prefix, ``plans[1].`` for a ``[[plans]]`` table).

    ``archive = true`` applies to the rules that move points to cold storage (the archive tier
    follows the cold move); with none, it is refused.
    """
    options = rule_options(plan, path)
    archive = options.pop("archive", False)
    if archive and not any(rule.move_to_cold_storage_after_days for rule in rules):
        raise InputError(
            f"{path}archive: got true, and no rule of the preset moves points to cold storage; "
            "points go to the archive tier when they go cold: use a preset with a cold rule "
            "(e.g. 'daily-monthly'), or write [[rules]] with move_to_cold_storage_after_days"
        )
    return tuple(
        replace(
            rule,
            **options,
            archive=rule.archive or (archive and bool(rule.move_to_cold_storage_after_days)),
        )
        for rule in rules
    )


def _scanning(value: object, path: str, header: str) -> MalwareScanning:
    table = fields.table(value, path, f"a table: [{header}]")
    fields.check_keys(table, MALWARE_SCANNING_KEYS, f"{path}.")
    types = fields.strings(
        table,
        "resource_types",
        f"{path}.resource_types",
        expected='an array of resource types, e.g. ["EBS", "EC2", "S3"]',
    )
    role = fields.string(table, "scanner_role_arn", f"{path}.scanner_role_arn")
    if types is None:
        return MalwareScanning(scanner_role_arn=role)
    return MalwareScanning(resource_types=types, scanner_role_arn=role)


def parse_plan_options(
    plan: dict[str, Any] | None, path: str = "plan", header: str = "plan"
) -> PlanOptions:
    """The :class:`PlanOptions` of the ``[plan]`` table (already checked for unknown keys);
    ``path`` and ``header`` name it (``plans[1]`` and ``plans`` for a ``[[plans]]`` table)."""
    plan = plan or {}
    settings = {
        key: fields.string(plan, key, f"{path}.{key}")
        for key in PLAN_OPTION_KEYS
        if key != "malware_scanning"
    }
    scanning = (
        _scanning(
            plan["malware_scanning"], f"{path}.malware_scanning", f"{header}.malware_scanning"
        )
        if "malware_scanning" in plan
        else None
    )
    return PlanOptions(**settings, malware_scanning=scanning)
