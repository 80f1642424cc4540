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
quotas, tag rules) by :func:`~vaultplan.constructs.selection_options.selection_problems`,
which the construct runs too.
"""

from __future__ import annotations

from typing import Any

from vaultplan.constructs.selection_options import (
    CONDITION_OPERATORS,
    SelectionOptions,
    conditions_from_mapping,
)

__all__ = ["SELECTION_KEYS", "parse_selection"]

SELECTION_KEYS = ("arns", "exclude_arns", "conditions")
CONDITION_KEYS = tuple(CONDITION_OPERATORS)


def _strings(table: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
    from vaultplan.config.loader import _type_error

    value = table.get(key, [])
    if not isinstance(value, list):
        raise _type_error(path, value, 'an array of ARNs, e.g. ["arn:aws:ec2:*:*:volume/*"]')
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise _type_error(f"{path}[{i}]", item, "an ARN string")
    return tuple(value)


def _conditions(value: object) -> dict[str, dict[str, str | list[str]]]:
    from vaultplan.config.loader import _check_keys, _type_error

    if not isinstance(value, dict):
        raise _type_error("selection.conditions", value, "a table: [selection.conditions]")
    _check_keys(value, CONDITION_KEYS, "selection.conditions.")
    out: dict[str, dict[str, str | list[str]]] = {}
    for operator, tags in value.items():
        path = f"selection.conditions.{operator}"
        if not isinstance(tags, dict):
            raise _type_error(path, tags, 'a table of tag key = value, e.g. { backup = "true" }')
        for key, tag_value in tags.items():
            values = tag_value if isinstance(tag_value, list) else [tag_value]
            if not values or not all(isinstance(v, str) for v in values):
                raise _type_error(
                    f"{path}.{key}", tag_value, 'a string (quote it: "true") or an array of strings'
                )
        out[operator] = tags
    return out


def parse_selection(value: object) -> SelectionOptions:
    """The ``[selection]`` table as :class:`SelectionOptions` (absent: the default, empty)."""
    from vaultplan.config.loader import _check_keys, _type_error

    if value is None:
        return SelectionOptions()
    if not isinstance(value, dict):
        raise _type_error("selection", value, "a table: [selection]")
    _check_keys(value, SELECTION_KEYS, "selection.")
    return SelectionOptions(
        arns=_strings(value, "arns", "selection.arns"),
        exclude_arns=_strings(value, "exclude_arns", "selection.exclude_arns"),
        conditions=conditions_from_mapping(_conditions(value.get("conditions", {}))),
    )
