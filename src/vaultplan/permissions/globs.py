"""IAM's wildcard matching: ``*`` matches any run of characters, ``?`` exactly one."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def _compile(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    parts = [".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern]
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(parts), flags)


def glob_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """Whether ``pattern`` matches all of ``text``. A ``*`` in ``text`` is an ordinary
    character, so a pattern covers a pattern only where it is at least as broad."""
    return _compile(pattern, ignore_case).fullmatch(text) is not None
