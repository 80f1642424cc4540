"""Typed reads of one ``vaultplan.toml`` value, each failing with one line naming the key path.

Every reader of a section (``[vault]``, ``[[rules]]``, ``[selection]``...) uses these, so a
wrong type reads the same everywhere: ``rules[0].delete_after_days: got '35' (a string);
expected a whole number, without quotes``. An absent key gives ``None`` (or the default the
caller passes), never an error: defaults belong to the section's reader.
"""

from __future__ import annotations

import difflib
from typing import Any

from vaultplan.errors import InputError

__all__ = [
    "boolean",
    "check_keys",
    "kind",
    "section",
    "string",
    "strings",
    "table",
    "type_error",
    "whole",
]

_TOML_TYPES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "an array",
    dict: "a table",
}


def kind(value: object) -> str:
    """The TOML type of ``value``, with its article: ``a string``, ``an array``..."""
    for python_type, name in _TOML_TYPES.items():
        if isinstance(value, python_type):
            return name
    return "a date or time"


def type_error(path: str, value: object, expected: str) -> InputError:
    """``<path>: got <value> (<its type>); expected <expected>``."""
    return InputError(f"{path}: got {value!r} ({kind(value)}); expected {expected}")


def check_keys(table: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
    """Refuse the first key not in ``allowed``, suggesting the closest one."""
    for key, value in table.items():
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InputError(
            f"{prefix}{key}: unknown key (value {value!r}); {hint}"
            f"allowed keys here: {', '.join(allowed)}"
        )


def table(value: object, path: str, expected: str) -> dict[str, Any]:
    """``value`` itself when it is a table; ``expected`` says what one looks like."""
    if not isinstance(value, dict):
        raise type_error(path, value, expected)
    return value


def section(value: object, path: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
    """A ``[path]`` table with only ``allowed`` keys; ``None`` when it is absent."""
    if value is None:
        return None
    checked = table(value, path, f"a table: [{path}]")
    check_keys(checked, allowed, f"{path}.")
    return checked


def string(data: dict[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise type_error(path, value, "a string")


def whole(data: dict[str, Any], key: str, path: str) -> int | None:
    value = data.get(key)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise type_error(path, value, "a whole number, without quotes")


def boolean(data: dict[str, Any], key: str, path: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise type_error(path, value, "true or false")
    return value


def strings(
    data: dict[str, Any],
    key: str,
    path: str,
    *,
    expected: str = "an array of strings",
    item: str = "a string",
) -> tuple[str, ...] | None:
    """An array of strings; ``expected`` and ``item`` describe the array and one element."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise type_error(path, value, expected)
    for i, element in enumerate(value):
        if not isinstance(element, str):
            raise type_error(f"{path}[{i}]", element, item)
    return tuple(value)
