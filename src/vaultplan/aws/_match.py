"""The one shape of an AWS value check: the value matches a pattern, or one problem line."""

from __future__ import annotations

import re


def pattern_problems(
    value: object, field: str, pattern: re.Pattern[str], expected: str
) -> list[str]:
    """``[]`` when ``value`` is a string ``pattern`` matches in full, else the one line
    ``"<field>: got <value>; <expected>"``."""
    if isinstance(value, str) and pattern.fullmatch(value):
        return []
    return [f"{field}: got {value!r}; {expected}"]


def flag_problems(value: object, field: str) -> list[str]:
    """``[]`` for ``true`` or ``false``, else the one line naming ``field`` and ``value``."""
    return [] if isinstance(value, bool) else [f"{field}: got {value!r}; use true or false"]
