"""How deeply an input may nest: one limit for templates and the JSON side files.

Every walk over a decoded template (the resolver, the checks, the policy derivation) is
recursive, and so is a decoder: past a thousand levels Python raises ``RecursionError``.
So vaultplan reads at most :data:`MAX_DEPTH` levels of maps and lists, checked right after
decoding and before any recursive walk, by a walk that is itself iterative. JSON lets an
implementation "set limits on the maximum depth of nesting" (RFC 8259, section 9:
https://www.rfc-editor.org/rfc/rfc8259#section-9); CloudFormation documents no nesting
limit of its own (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html),
so this one is vaultplan's. Real templates stay far below it: the deepest of 296 public templates
we tried nests 16 levels.

A file deeper than the decoder itself can go (about a thousand levels) is measured on its
text instead (:func:`text_depth`), so the line gives the same figure either way.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError, shown

__all__ = [
    "MAX_DEPTH",
    "check_nesting",
    "loads_json",
    "loads_toml",
    "nesting",
    "text_depth",
    "too_deep",
]

#: The most levels of maps and lists an input may nest (the top-level map is level 1).
MAX_DEPTH = 100
#: Path elements shown of the deepest place (the head names the resource or the key).
_SHOWN_STEPS = 6

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def nesting(value: Any) -> tuple[int, tuple[Any, ...]]:
    """``(depth, path)`` of the deepest map or list in ``value`` (0 and ``()`` for a scalar),
    found without recursion."""
    deepest: tuple[int, Any] = (0, None)
    # (node, depth, path as a linked list (key, parent)): constant work per node
    stack: list[tuple[Any, int, Any]] = [(value, 1, None)]
    while stack:
        node, depth, link = stack.pop()
        if isinstance(node, Mapping):
            children: Any = node.items()
        elif isinstance(node, (list, tuple)):
            children = enumerate(node)
        else:
            continue
        if depth > deepest[0]:
            deepest = (depth, link)
        for key, child in children:
            if isinstance(child, (Mapping, list, tuple)):
                stack.append((child, depth + 1, (key, link)))
    steps: list[Any] = []
    link = deepest[1]
    while link is not None:
        steps.append(link[0])
        link = link[1]
    return deepest[0], tuple(reversed(steps))


def _where(path: tuple[Any, ...]) -> str:
    """``Resources.V.Properties.Name.Fn::Select[1][0]…``: the head of a path."""
    out = ""
    for step in path[:_SHOWN_STEPS]:
        out += f"[{step}]" if isinstance(step, int) else f".{step}" if out else str(step)
    return (out or "the top level") + ("…" if len(path) > _SHOWN_STEPS else "")


def too_deep(field: str, depth: int | None, where: str, source: str | Path | None) -> InputError:
    """The one line for an input nested past :data:`MAX_DEPTH` (``depth`` None: too deep for
    the decoder to count)."""
    deep = (
        f"nested {depth:,} levels deep at {where}"
        if depth is not None
        else "nested too deep to decode"
    )
    got = f"; got {shown(str(source))}" if source is not None else ""
    return InputError(f"{field}: {deep}; vaultplan reads at most {MAX_DEPTH}{got}")


def check_nesting(value: Any, field: str, source: str | Path | None = None) -> None:
    """Raise :class:`~vaultplan.errors.InputError` if ``value`` nests past :data:`MAX_DEPTH`.

    ``field`` names the input in the line (a template's path, ``--prices``); ``source``, if
    given, is quoted as the value got (the file of an option)."""
    depth, path = nesting(value)
    if depth > MAX_DEPTH:
        raise too_deep(field, depth, _where(path), source)


def text_depth(text: str) -> tuple[int, str]:
    """``(depth, where)`` of the deepest bracket of JSON ``text`` (strings skipped), where is
    ``line L, column C`` of the bracket that passes :data:`MAX_DEPTH`: for a file too deep
    to decode."""
    depth = deepest = 0
    passed = -1
    for match in _JSON_TOKEN.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if depth == MAX_DEPTH + 1 and passed < 0:
                passed = match.start()
        elif char in "]}":
            depth -= 1
    if passed < 0:
        return deepest, "the top level"
    line = text.count("\n", 0, passed) + 1
    column = passed - (text.rfind("\n", 0, passed) + 1) + 1
    return deepest, f"line {line:,}, column {column:,}"


def loads_json(text: str, field: str, source: str | Path | None = None, **kwargs: Any) -> Any:
    """``json.loads(text)`` held to :data:`MAX_DEPTH`.

    A syntax error is the decoder's ``ValueError`` (the caller words it); nesting past the
    limit, and an integer too long for ``int()``, are :class:`~vaultplan.errors.InputError`
    (see :func:`check_nesting`)."""
    try:
        data = json.loads(text, **kwargs)
    except RecursionError:
        depth, where = text_depth(text)
        raise too_deep(field, depth, where, source) from None
    except json.JSONDecodeError:
        raise
    except ValueError as err:
        if "integer string conversion" not in str(err):
            raise
        # int() refuses more digits than sys.get_int_max_str_digits() (CVE-2020-10735:
        # https://docs.python.org/3/library/stdtypes.html#int-max-str-digits).
        got = f"; got {shown(str(source))}" if source is not None else ""
        limit = sys.get_int_max_str_digits()
        raise InputError(
            f"{field}: holds an integer of more than {limit:,} digits; vaultplan reads at most "
            f"{limit:,}{got}"
        ) from None
    check_nesting(data, field, source)
    return data


def loads_toml(text: str, field: str, source: str | Path | None = None) -> dict[str, Any]:
    """``tomllib.loads(text)`` held to :data:`MAX_DEPTH` (a config, an ORG.toml).

    A syntax error is ``tomllib.TOMLDecodeError`` (the caller words it); nesting past the
    limit is :class:`~vaultplan.errors.InputError`, also when it is too deep for the decoder
    itself, whose arrays and inline tables recurse."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise too_deep(field, None, "", source) from None
    check_nesting(data, field, source)
    return data
