"""An offline IAM policy evaluator for identity policies.

It follows IAM's evaluation logic for one principal's identity-based policies:
- an explicit ``Deny`` that matches wins;
- otherwise an ``Allow`` that matches allows;
- otherwise the request is implicitly denied ("not allowed").

``Action``/``NotAction`` and ``Resource``/``NotResource`` are matched with IAM's
wildcards (``*`` and ``?``); actions case-insensitively, resources case-sensitively.
Conditions are never guessed: a statement with a ``Condition`` is treated as if its
conditions held, and the decision lists it under ``conditions_not_evaluated``.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError
from vaultplan.permissions.globs import glob_match
from vaultplan.template.text import read_text


class Outcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    NOT_ALLOWED = "not allowed"


@dataclass(frozen=True)
class PolicyStatement:
    """One statement, normalised: lists everywhere, ``None`` where a key is absent."""

    source: str
    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    has_condition: bool

    def matches(self, action: str, resource: str) -> bool:
        if self.actions is not None:
            if not any(glob_match(p, action, ignore_case=True) for p in self.actions):
                return False
        elif self.not_actions is not None:
            if any(glob_match(p, action, ignore_case=True) for p in self.not_actions):
                return False
        else:
            return False
        if self.resources is not None:
            return any(glob_match(p, resource) for p in self.resources)
        if self.not_resources is not None:
            return not any(glob_match(p, resource) for p in self.not_resources)
        return False


@dataclass(frozen=True)
class Decision:
    """The outcome for one action on one resource, and why."""

    outcome: Outcome
    reason: str
    statements: tuple[str, ...] = ()
    conditions_not_evaluated: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOWED


def _strings(value: Any, where: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in items):
        raise InputError(f"{where}: got {value!r}; expected a string or a list of strings")
    return tuple(items)


def _unwrap(doc: Any) -> Any:
    """Accept a bare document, or the shapes the AWS CLI prints around one."""
    if isinstance(doc, str):
        text = urllib.parse.unquote(doc) if doc.lstrip().startswith("%7B") else doc
        return _unwrap(json.loads(text))
    if isinstance(doc, Mapping):
        for key in ("PolicyVersion", "Policy"):
            if isinstance(doc.get(key), Mapping):
                return _unwrap(doc[key])
        for key in ("PolicyDocument", "Document"):
            if key in doc:
                return _unwrap(doc[key])
    return doc


def parse_policy(doc: Any, source: str = "policy") -> list[PolicyStatement]:
    """Normalise one policy document (see :func:`_unwrap` for the shapes accepted)."""
    try:
        doc = _unwrap(doc)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not a policy document: {exc}") from exc
    if not isinstance(doc, Mapping) or "Statement" not in doc:
        raise InputError(f"{source}: not a policy document (no Statement)")
    raw = doc["Statement"]
    statements = raw if isinstance(raw, list) else [raw]
    out = []
    for i, st in enumerate(statements):
        if not isinstance(st, Mapping):
            raise InputError(f"{source}: Statement[{i}]: got {st!r}; expected an object")
        name = f"{source}#{st.get('Sid') or i}"
        effect = st.get("Effect")
        if effect not in ("Allow", "Deny"):
            raise InputError(f"{name}: Effect: got {effect!r}; use Allow or Deny")

        def opt(key: str, st: Mapping[str, Any] = st, name: str = name) -> tuple[str, ...] | None:
            return _strings(st[key], f"{name}: {key}") if key in st else None

        out.append(
            PolicyStatement(
                source=name,
                effect=str(effect),
                actions=opt("Action"),
                not_actions=opt("NotAction"),
                resources=opt("Resource"),
                not_resources=opt("NotResource"),
                has_condition=bool(st.get("Condition")),
            )
        )
    return out


def load_policy_files(paths: Iterable[Path]) -> list[PolicyStatement]:
    """Read policy files (a document, or ``aws iam get-policy-version`` output)."""
    out: list[PolicyStatement] = []
    for path in paths:
        text = read_text(path, "--policy")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"--policy: {path} is not JSON: {exc}") from exc
        docs = data if isinstance(data, list) else [data]
        for i, doc in enumerate(docs):
            out.extend(parse_policy(doc, path.name if len(docs) == 1 else f"{path.name}[{i}]"))
    return out


PolicyInput = Mapping[str, Any] | Sequence[Mapping[str, Any]] | Sequence[PolicyStatement]


def _statements(policies: PolicyInput) -> list[PolicyStatement]:
    if isinstance(policies, Mapping):
        return parse_policy(policies)
    out: list[PolicyStatement] = []
    for i, item in enumerate(policies):
        if isinstance(item, PolicyStatement):
            out.append(item)
        else:
            out.extend(parse_policy(item, f"policy[{i}]"))
    return out


def evaluate(policies: PolicyInput, action: str, resource: str = "*") -> Decision:
    """Decide whether ``policies`` allow ``action`` on ``resource``.

    ``policies`` is one document, a list of documents, or parsed statements. A ``*`` in
    ``resource`` is matched literally, so a pattern is allowed only where the policy is at
    least as broad.
    """
    statements = _statements(policies)
    matched = [s for s in statements if s.matches(action, resource)]
    denies = [s for s in matched if s.effect == "Deny"]
    allows = [s for s in matched if s.effect == "Allow"]
    for group, outcome, verb in (
        (denies, Outcome.DENIED, "explicitly denied"),
        (allows, Outcome.ALLOWED, "allowed"),
    ):
        if group:
            return _decide(group, outcome, verb)
    return Decision(
        Outcome.NOT_ALLOWED, f"no statement allows {action} on {resource} (implicit deny)"
    )


def _decide(matched: list[PolicyStatement], outcome: Outcome, verb: str) -> Decision:
    firm = [s for s in matched if not s.has_condition]
    deciding = firm or matched
    pending = () if firm else tuple(s.source for s in matched)
    why = f"{verb} by {', '.join(s.source for s in deciding)}"
    if pending:
        why += " if its conditions hold (conditions not evaluated)"
    return Decision(outcome, why, tuple(s.source for s in deciding), pending)
