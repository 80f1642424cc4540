"""IAM ``Condition`` blocks, decided offline against the context keys a caller gives.

Three answers, never a guess: ``True``, ``False``, or :class:`Unknown` naming the
condition keys that would decide it. A key the caller did not give is unknown; a key
given as ``None`` is known to be absent from the request.

Logic, from https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html:

- operators are ANDed, keys under one operator are ANDed, the values of one key are ORed
  (NORed for a negated operator such as ``StringNotEquals``);
- a key absent from the request makes a positive operator false and a negated one true;
  ``...IfExists`` is true when the key is absent; ``Null`` tests absence itself;
- ``ForAnyValue:`` holds when some value of a multivalued key matches (false when the key is
  absent), ``ForAllValues:`` when every value matches (true when it is absent).

Evaluated operators: ``StringEquals``, ``StringLike``, ``StringEqualsIgnoreCase``,
``ArnEquals``, ``ArnLike`` (each ARN's six colon-separated parts matched separately),
their ``Not`` forms, ``Bool`` and ``Null``, with ``IfExists`` and the set qualifiers. Any
other operator, a policy value holding a policy variable (``${aws:username}``), or a list
value under an operator without a set qualifier is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vaultplan.permissions.globs import glob_match

#: What a caller may give for one context key: a value, several (a multivalued key such as
#: ``aws:TagKeys``), or ``None`` for "absent from the request".
ContextValue = str | bool | Sequence[str] | None


@dataclass(frozen=True)
class Unknown:
    """A condition that can't be decided offline, and the keys that would decide it."""

    keys: frozenset[str]


Verdict = bool | Unknown


def all_of(verdicts: Sequence[Verdict]) -> Verdict:
    """Three-valued AND: any False decides; else any Unknown (keys merged); else True."""
    if any(v is False for v in verdicts):
        return False
    unknown = [v for v in verdicts if isinstance(v, Unknown)]
    if unknown:
        return Unknown(frozenset().union(*(u.keys for u in unknown)))
    return True


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _arn_like(pattern: str, value: str) -> bool:
    pparts, vparts = pattern.split(":", 5), value.split(":", 5)
    if len(pparts) != 6 or len(vparts) != 6:
        return False
    return all(glob_match(p, v) for p, v in zip(pparts, vparts, strict=True))


def _string_equals_ignore_case(pattern: str, value: str) -> bool:
    return pattern.lower() == value.lower()


def _string_equals(pattern: str, value: str) -> bool:
    return pattern == value


def _bool(pattern: str, value: str) -> bool:
    return pattern.lower() == value.lower()


_MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": _string_equals,
    "StringLike": glob_match,
    "StringEqualsIgnoreCase": _string_equals_ignore_case,
    "ArnEquals": _arn_like,  # ArnEquals and ArnLike both take wildcards per part
    "ArnLike": _arn_like,
    "Bool": _bool,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotLike": "StringLike",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _context_lookup(context: Mapping[str, ContextValue], key: str) -> tuple[bool, ContextValue]:
    """(given, value): condition keys are case-insensitive."""
    lowered = key.lower()
    for k, v in context.items():
        if k.lower() == lowered:
            return True, v
    return False, None


def evaluate_operator(
    operator: str, key: str, policy_values: Any, context: Mapping[str, ContextValue]
) -> Verdict:
    """One ``operator: {key: values}`` entry against ``context``."""
    unknown = Unknown(frozenset({key}))
    qualifier, _, base = operator.rpartition(":")
    if qualifier not in ("", "ForAnyValue", "ForAllValues"):
        return unknown
    if_exists = base.endswith("IfExists")
    if if_exists:
        base = base.removesuffix("IfExists")
    values = policy_values if isinstance(policy_values, list) else [policy_values]
    if not values or not all(isinstance(v, str | bool | int | float) for v in values):
        return unknown
    patterns = [_text(v) for v in values]
    if any("${" in p for p in patterns):  # a policy variable: its value is not known here
        return unknown
    given, value = _context_lookup(context, key)
    if not given:
        return unknown
    if base == "Null":
        if qualifier or if_exists:
            return unknown
        wanted = {p.lower() for p in patterns}
        return ("true" if value is None else "false") in wanted
    negated = base in _NEGATED
    matcher = _MATCHERS.get(_NEGATED.get(base, base))
    if matcher is None:
        return unknown
    if value is None:  # the key is absent from the request
        if if_exists or qualifier == "ForAllValues":
            return True
        return False if qualifier == "ForAnyValue" else negated
    if qualifier:
        items = [value] if isinstance(value, str | bool) else list(value)
        results = [any(matcher(p, _text(v)) for p in patterns) != negated for v in items]
        return all(results) if qualifier == "ForAllValues" else any(results)
    if not isinstance(value, str | bool):
        return unknown  # a multivalued key needs ForAnyValue or ForAllValues
    return any(matcher(p, _text(value)) for p in patterns) != negated


def evaluate_condition(block: Mapping[str, Any], context: Mapping[str, ContextValue]) -> Verdict:
    """A statement's whole ``Condition`` block (see the module docstring)."""
    verdicts: list[Verdict] = []
    for operator, entries in block.items():
        if not isinstance(entries, Mapping):
            verdicts.append(Unknown(frozenset({str(operator)})))
            continue
        for key, values in entries.items():
            verdicts.append(evaluate_operator(str(operator), str(key), values, context))
    return all_of(verdicts)
