"""``[[plans]]`` in ``vaultplan.toml``: more backup plans beside the top-level one.

```toml
[[plans]]
name = "Databases"                 # the plan is "<site_name>Databases"
preset = "daily-35"                # or [[plans.rules]] tables, as [[rules]]
[plans.selection]
arns = ["arn:aws:rds:eu-west-1:111111111111:db:shop"]
```

Each table holds what the top of the file holds for the first plan: the ``[plan]`` keys
(``preset``, ``[plans.gfs]``, ``[[plans.copy_actions]]``, ``archive``, ``windows_vss``,
``[plans.malware_scanning]``...), ``[[plans.rules]]`` and ``[plans.selection]``, plus its
``name``. The top-level plan (``<site_name>EFSBackupPlan``, from ``[plan]``, ``[[rules]]``,
``[selection]`` and ``[file_system]``) is always deployed: ``[[plans]]`` add plans beside it,
never replace it. Keys read ``plans[1].rules[0].schedule``; AWS Backup's constraints are
checked by :func:`~vaultplan.spec.strategy.strategy_problems`.
"""

from __future__ import annotations

from typing import Any

from vaultplan.config import fields
from vaultplan.config.model import PlanConfig
from vaultplan.config.plan import PLAN_KEYS, PlanKeys, parse_plan_table
from vaultplan.config.plan_options import parse_plan_options
from vaultplan.config.selection import parse_selection
from vaultplan.errors import InputError
from vaultplan.spec.plans import PLAN_TABLE_KEYS, PlanSpec

__all__ = ["PLANS_KEYS", "parse_plans"]

PLANS_KEYS = (*PLAN_TABLE_KEYS, *PLAN_KEYS)
"""The keys of one ``[[plans]]`` table."""


def _plan(value: object, index: int, data: dict[str, Any]) -> tuple[PlanSpec, PlanConfig]:
    keys = PlanKeys.of(index)
    at = keys.plan
    table = fields.table(value, at, "a table: [[plans]]")
    fields.check_keys(table, PLANS_KEYS, f"{at}.")
    name = fields.string(table, "name", f"{at}.name")
    if name is None:
        raise InputError(
            f"{at}.name: missing; every [[plans]] table needs a name, e.g. name = "
            f'"Databases" (got keys: {", ".join(table) or "none"})'
        )
    preset_keys = {key: item for key, item in table.items() if key in PLAN_KEYS}
    source, rules = parse_plan_table(preset_keys, table.get("rules"), data, keys)
    spec = PlanSpec(
        name=name,
        rules=rules,
        selection=parse_selection(table.get("selection"), f"{at}.selection", "plans.selection"),
        plan_options=parse_plan_options(preset_keys, at, "plans"),
    )
    return spec, source


def parse_plans(data: dict[str, Any]) -> tuple[tuple[PlanSpec, ...], tuple[PlanConfig, ...]]:
    """The ``[[plans]]`` tables of the whole document ``data``: each plan, and where its rules
    came from (its preset, deprecations). Raises :class:`InputError` on the first problem."""
    raw = data.get("plans", [])
    if not isinstance(raw, list):
        raise fields.type_error("plans", raw, "an array of tables: [[plans]]")
    parsed = [_plan(item, i, data) for i, item in enumerate(raw)]
    return tuple(spec for spec, _ in parsed), tuple(source for _, source in parsed)
