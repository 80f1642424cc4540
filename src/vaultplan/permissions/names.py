"""CloudFormation's generated physical names, and the limits a schema puts on a name.

When a template gives no name, CloudFormation names the resource
``<stack name>-<logical id>-<random suffix>`` and shortens it to fit the type's limit
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
The limit is the name property's ``maxLength``, or, where the schema has none, the largest
``{m,n}`` bound of its ``pattern`` (``AWS::Lambda::Function`` ``FunctionName`` says
``{1,64}`` only there). A name that the pattern rejects (a hyphen where the pattern allows
none, as in ``AWS::Backup::Framework``'s ``[a-zA-Z][_a-zA-Z0-9]*``) is not how the type is
named: the rule is unknown there, and the name is ``None``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: Characters CloudFormation appends after ``<stack>-<LogicalId>-`` (a 12- or 13-character id).
SUFFIX_LENGTH = 13
_BOUND = re.compile(r"\{\d*,(\d+)\}")
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def name_limit(prop: Mapping[str, Any] | None) -> int | None:
    """The longest name the property allows: ``maxLength``, else the pattern's bound."""
    if not prop:
        return None
    limit = prop.get("maxLength")
    if isinstance(limit, int) and not isinstance(limit, bool):
        return limit
    pattern = prop.get("pattern")
    if isinstance(pattern, str):
        bounds = [int(b) for b in _BOUND.findall(pattern)]
        if bounds:
            return max(bounds)
    return None


def _lower_only(prop: Mapping[str, Any] | None) -> bool:
    pattern = prop.get("pattern") if prop else None
    return isinstance(pattern, str) and "A-Z" not in pattern and "a-z" in pattern


@dataclass(frozen=True)
class GeneratedName:
    """A generated name: ``prefix`` is what every such name starts with, ``example`` one
    name CloudFormation could give (with a made-up suffix)."""

    prefix: str
    example: str


def suffix_for(*seed: str) -> str:
    """A made-up random suffix, stable for the same seed."""
    digest = hashlib.sha256("\0".join(seed).encode()).digest()
    return "".join(_ALNUM[b % len(_ALNUM)] for b in digest[:SUFFIX_LENGTH])


def generated_name(
    stack: str, logical_id: str, prop: Mapping[str, Any] | None
) -> GeneratedName | None:
    """The name CloudFormation generates for ``logical_id`` in ``stack``, or ``None`` where
    the type's rule is unknown (the pattern can't hold such a name, or no room is left).

    Too long for the limit, the logical id and then the stack name are shortened; the
    prefix keeps only what survives any split (the stack name's first half of the room).
    """
    limit = name_limit(prop)
    suffix = suffix_for(stack, logical_id)
    room = (limit if limit is not None else 1 << 16) - SUFFIX_LENGTH - 2
    if room < 2:
        return None
    if len(stack) + len(logical_id) <= room:
        example = f"{stack}-{logical_id}-{suffix}"
        prefix = f"{stack}-{logical_id}-"
    else:
        keep_stack = min(len(stack), room // 2)
        keep_lid = min(len(logical_id), room - keep_stack)
        keep_stack = min(len(stack), room - keep_lid)
        example = f"{stack[:keep_stack]}-{logical_id[:keep_lid]}-{suffix}"
        prefix = stack[: min(len(stack), room // 2)]
    if _lower_only(prop):
        example, prefix = example.lower(), prefix.lower()
    pattern = prop.get("pattern") if prop else None
    if isinstance(pattern, str):
        compiled = _compiled(pattern)
        # The schemas mean a pattern for the whole name (they are rarely anchored).
        if compiled is not None and compiled.fullmatch(example) is None:
            return None
    return GeneratedName(prefix, example)
