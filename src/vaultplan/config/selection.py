"""The ``[selection]`` table of ``vaultplan.toml``: more ARNs, exclusions and tag conditions.

```toml
[selection]
arns = ["arn:aws:rds:eu-west-3:123456789012:db:shop"]
exclude_arns = ["arn:aws:ec2:eu-west-3:123456789012:volume/vol-0123456789abcdef0"]

[selection.conditions]
string_equals = { backup = "true" }
string_not_like = { env = ["dev*", "test*"] }
```

Types and unknown keys are checked here; AWS Backup's constraints (ARN shapes and types,
quotas, tag rules) by :func:`~vaultplan.spec.selection.selection_problems`,
which the construct runs too.
"""

from __future__ import annotations

from typing import Any

from vaultplan.config import fields
from vaultplan.spec.selection import (
    CONDITION_OPERATORS,
    SelectionOptions,
    conditions_from_mapping,
)

__all__ = ["SELECTION_KEYS", "parse_selection"]

SELECTION_KEYS = ("arns", "exclude_arns", "conditions")
CONDITION_KEYS = tuple(CONDITION_OPERATORS)


def _arns(table: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
    expected = 'an array of ARNs, e.g. ["arn:aws:ec2:*:*:volume/*"]'
    return fields.strings(table, key, path, expected=expected, item="an ARN string") or ()


def _conditions(value: object, at: str, header: str) -> dict[str, dict[str, str | list[str]]]:
    conditions = fields.table(value, f"{at}.conditions", f"a table: [{header}.conditions]")
    fields.check_keys(conditions, CONDITION_KEYS, f"{at}.conditions.")
    out: dict[str, dict[str, str | list[str]]] = {}
    for operator, tags in conditions.items():
        path = f"{at}.conditions.{operator}"
        if not isinstance(tags, dict):
            raise fields.type_error(
                path, tags, 'a table of tag key = value, e.g. { backup = "true" }'
            )
        for key, tag_value in tags.items():
            values = tag_value if isinstance(tag_value, list) else [tag_value]
            if not values or not all(isinstance(v, str) for v in values):
                raise fields.type_error(
                    f"{path}.{key}", tag_value, 'a string (quote it: "true") or an array of strings'
                )
        out[operator] = tags
    return out


def parse_selection(
    value: object, at: str = "selection", header: str = "selection"
) -> SelectionOptions:
    """The ``[selection]`` table as :class:`SelectionOptions` (absent: the default, empty);
    ``at`` and ``header`` name it (``plans[1].selection`` and ``plans.selection`` for a
    ``[[plans]]`` table's)."""
    table = fields.section(value, at, SELECTION_KEYS)
    if table is None:
        return SelectionOptions()
    return SelectionOptions(
        arns=_arns(table, "arns", f"{at}.arns"),
        exclude_arns=_arns(table, "exclude_arns", f"{at}.exclude_arns"),
        conditions=conditions_from_mapping(_conditions(table.get("conditions", {}), at, header)),
    )
