"""The plan part of ``vaultplan.toml``: ``[plan]`` (a preset and its parameters) and ``[[rules]]``.

``[[rules]]`` tables, when given, are the plan's rules; otherwise ``[plan] preset`` picks a
preset (default ``"daily-monthly"``; its old name ``"seed"`` is still accepted, with a
warning in :attr:`~vaultplan.config.model.PlanConfig.warnings`). Setting ``plan.preset``
*and* writing ``[[rules]]`` is an error, and so is ``[plan.gfs]`` with another preset than
``"gfs"``: a setting that would be ignored must not look as if it applied.
``[[plan.copy_actions]]`` add copies to every preset rule
(:meth:`~vaultplan.spec.BackupRules.with_copies`); with ``[[rules]]`` they are an error too,
since each rule then carries its own ``[[rules.copy_actions]]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vaultplan.config import fields
from vaultplan.config.model import PlanConfig
from vaultplan.config.plan_options import PLAN_RULE_KEYS, plan_rule_keys, rule_options
from vaultplan.errors import InputError
from vaultplan.spec.copy import COPY_KEYS, CopyAction, copy_actions_problems
from vaultplan.spec.plan_options import PLAN_OPTION_KEYS
from vaultplan.spec.presets import (
    DEFAULT_PRESET,
    DEPRECATED_PRESETS,
    GFS_KEYS,
    BackupRules,
    GfsOptions,
    preset_deprecation,
    preset_problems,
    preset_rules,
)
from vaultplan.spec.rules import RULE_EXTRA_KEYS, RULE_KEYS, RulePreset

__all__ = ["PLAN_KEYS", "RULE_TABLE_KEYS", "TOP_PLAN", "PlanKeys", "parse_plan", "parse_plan_table"]

PLAN_KEYS = ("preset", "gfs", "copy_actions", *PLAN_RULE_KEYS, *PLAN_OPTION_KEYS)
RULE_TABLE_KEYS = ("name", *RULE_KEYS, *RULE_EXTRA_KEYS)
_RULE_INT_KEYS = (
    "delete_after_days",
    "move_to_cold_storage_after_days",
    "start_window_minutes",
    "completion_window_minutes",
)
_COPY_INT_KEYS = ("delete_after_days", "move_to_cold_storage_after_days")


@dataclass(frozen=True)
class PlanKeys:
    """Where one plan's keys are: ``plan`` and ``rules`` at the top of the file, or
    ``plans[1]`` and ``plans[1].rules`` for a ``[[plans]]`` table (key paths in problems),
    and the TOML headers that write them (``[plan]``, ``[[rules]]``; ``[[plans]]``,
    ``[[plans.rules]]``)."""

    plan: str = "plan"
    rules: str = "rules"
    plan_header: str = "plan"
    rules_header: str = "rules"

    @classmethod
    def of(cls, index: int) -> PlanKeys:
        """The keys of the ``index``-th ``[[plans]]`` table."""
        return cls(f"plans[{index}]", f"plans[{index}].rules", "plans", "plans.rules")


TOP_PLAN = PlanKeys()
"""The first plan's keys: ``[plan]`` and ``[[rules]]``."""


def _copy_action(value: object, path: str, header: str = "[[rules.copy_actions]]") -> CopyAction:
    table = fields.table(value, path, f"a table: {header}")
    fields.check_keys(table, COPY_KEYS, f"{path}.")
    arn = fields.string(table, "destination_vault_arn", f"{path}.destination_vault_arn")
    destination = fields.string(table, "destination", f"{path}.destination")
    if arn is None and destination is None:
        raise InputError(
            f"{path}.destination_vault_arn: missing; every {header} table needs "
            "the destination vault's ARN, e.g. "
            "'arn:aws:backup:us-west-2:123456789012:backup-vault:dr' (or destination = "
            "'air-gapped' for the strategy's logically air-gapped vault)"
        )
    ints = {key: fields.whole(table, key, f"{path}.{key}") for key in _COPY_INT_KEYS}
    archive = fields.boolean(table, "archive", f"{path}.archive", False)
    return CopyAction(
        destination_vault_arn=arn or "", destination=destination, archive=archive, **ints
    )


def _tags(value: object, path: str) -> dict[str, str]:
    table = fields.table(value, path, 'a table: recovery_point_tags = { key = "value" }')
    for key, tag in table.items():
        if not isinstance(tag, str):
            raise fields.type_error(f"{path}.{key}", tag, "a string tag value")
    return dict(table)


def _rule(value: object, path: str, header: str = "rules") -> RulePreset:
    table = fields.table(value, path, f"a table: [[{header}]]")
    fields.check_keys(table, RULE_TABLE_KEYS, f"{path}.")
    for key in ("name", "schedule"):
        if key not in table:
            raise InputError(
                f"{path}.{key}: missing; every [[{header}]] table needs name and schedule "
                f"(got keys: {', '.join(table) or 'none'})"
            )
    name = fields.string(table, "name", f"{path}.name")
    schedule = fields.string(table, "schedule", f"{path}.schedule")
    assert name is not None and schedule is not None
    continuous = fields.boolean(table, "continuous_backup", f"{path}.continuous_backup", False)
    raw_copies = table.get("copy_actions", [])
    if not isinstance(raw_copies, list):
        raise fields.type_error(
            f"{path}.copy_actions", raw_copies, f"an array of tables: [[{header}.copy_actions]]"
        )
    ints: dict[str, Any] = {
        key: fields.whole(table, key, f"{path}.{key}") for key in _RULE_INT_KEYS
    }
    return RulePreset(
        name=name,
        schedule=schedule,
        schedule_timezone=fields.string(table, "schedule_timezone", f"{path}.schedule_timezone"),
        copy_actions=tuple(
            _copy_action(item, f"{path}.copy_actions[{i}]", f"[[{header}.copy_actions]]")
            for i, item in enumerate(raw_copies)
        ),
        recovery_point_tags=_tags(
            table.get("recovery_point_tags", {}), f"{path}.recovery_point_tags"
        ),
        continuous_backup=continuous,
        **rule_options(table, f"{path}."),
        **ints,
    )


def _gfs(value: object, keys: PlanKeys) -> GfsOptions:
    table = fields.table(value, f"{keys.plan}.gfs", f"a table: [{keys.plan_header}.gfs]")
    fields.check_keys(table, GFS_KEYS, f"{keys.plan}.gfs.")
    params: dict[str, Any] = {}
    for key in GFS_KEYS:
        if key not in table:
            continue
        path = f"{keys.plan}.gfs.{key}"
        params[key] = (
            fields.string(table, key, path)
            if key in ("weekday", "schedule_timezone")
            else fields.whole(table, key, path)
        )
    return GfsOptions(**params)


def parse_plan(data: dict[str, Any]) -> tuple[PlanConfig, tuple[RulePreset, ...]]:
    """Read ``[plan]`` and ``[[rules]]`` from the whole TOML document ``data``.

    Returns the plan settings and the plan's rules: the ``[[rules]]`` tables when given, else
    the preset's rules. Raises :class:`InputError` naming the key on the first problem.
    """
    plan = fields.section(data.get("plan"), "plan", PLAN_KEYS) or {}
    return parse_plan_table(plan, data.get("rules"), data, TOP_PLAN)


def parse_plan_table(
    plan: dict[str, Any], raw_rules: object, data: dict[str, Any], keys: PlanKeys
) -> tuple[PlanConfig, tuple[RulePreset, ...]]:
    """One plan's preset keys (``plan``, already checked for unknown keys) and rule tables
    (``raw_rules``; None when absent), named as ``keys`` says; ``data`` is the whole document
    (its ``region`` and ``account``)."""
    at, rules_at, header, rules_header = keys.plan, keys.rules, keys.plan_header, keys.rules_header
    preset = fields.string(plan, "preset", f"{at}.preset")
    name = preset or DEFAULT_PRESET
    # The name first, then the [plan.gfs] table's types (_gfs), then its values and preset.
    _raise_first(preset_problems(name, field=f"{at}.preset"))
    gfs = _gfs(plan["gfs"], keys) if "gfs" in plan else None
    _raise_first([_at(p, at) for p in preset_problems(name, gfs, f"{at}.preset")])
    copies = _plan_copies(plan, data, keys)
    if raw_rules is not None:
        if copies:
            raise InputError(
                f"{at}.copy_actions: got {len(copies)} [[{header}.copy_actions]] table(s) and "
                f"[[{rules_header}]] tables too; they copy a preset's rules only: write them "
                f"under each rule as [[{rules_header}.copy_actions]]"
            )
        rule_keys = [key for key in PLAN_RULE_KEYS if key in plan]
        if rule_keys:
            raise InputError(
                f"{at}.{rule_keys[0]}: got {plan[rule_keys[0]]!r} and [[{rules_header}]] "
                f"tables too; it applies to a preset's rules only: write {rule_keys[0]} in "
                f"each [[{rules_header}]] table instead"
            )
        if preset is not None or gfs is not None:
            key = f"{at}.preset" if preset is not None else f"{at}.gfs"
            got = preset if preset is not None else f"a [{header}.gfs] table"
            raise InputError(
                f"{key}: got {got!r} and [[{rules_header}]] tables too; [[{rules_header}]] "
                f"replace the preset, so keep one: remove {key}, or remove the "
                f"[[{rules_header}]] tables"
            )
        if not isinstance(raw_rules, list):
            raise fields.type_error(rules_at, raw_rules, f"an array of tables: [[{rules_header}]]")
        rules = tuple(
            _rule(item, f"{rules_at}[{i}]", rules_header) for i, item in enumerate(raw_rules)
        )
        return PlanConfig(preset=None, gfs=None), rules
    deprecation = preset_deprecation(name, f"{at}.preset")
    name = DEPRECATED_PRESETS.get(name, name)
    rules = plan_rule_keys(
        plan, BackupRules.with_copies(preset_rules(name, gfs), *copies), f"{at}."
    )
    warnings = () if deprecation is None else (deprecation,)
    return PlanConfig(preset=name, gfs=gfs, copy_actions=copies, warnings=warnings), rules


def _at(problem: str, at: str) -> str:
    """A problem about ``plan.<key>`` (the spec's words), for the plan at key path ``at``."""
    return f"{at}.{problem.removeprefix('plan.')}" if problem.startswith("plan.") else problem


def _plan_copies(
    plan: dict[str, Any], data: dict[str, Any], keys: PlanKeys
) -> tuple[CopyAction, ...]:
    """``[[plan.copy_actions]]``, each checked under its own key path."""
    at, header = f"{keys.plan}.copy_actions", f"[[{keys.plan_header}.copy_actions]]"
    raw = plan.get("copy_actions", [])
    if not isinstance(raw, list):
        raise fields.type_error(at, raw, f"an array of tables: {header}")
    copies = tuple(_copy_action(item, f"{at}[{i}]", header) for i, item in enumerate(raw))
    region, account = data.get("region"), data.get("account")
    problems = copy_actions_problems(
        copies,
        at,
        home_region=region if isinstance(region, str) else None,
        home_account=account if isinstance(account, str) else None,
    )
    _raise_first(problems)
    return copies


def _raise_first(problems: list[str]) -> None:
    if problems:
        raise InputError(problems[0])
