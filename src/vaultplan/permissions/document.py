"""From grants to IAM policy documents: grouped by service, stable Sids, sorted, split.

A grant is one action on one resource (with an optional condition). Grants of a service
that share a condition are merged per action; actions with the same resource set share a
statement. The Sid names the service and the IAM resource types involved, so adding a
resource to a template changes the lines that concern it, not the whole file.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

POLICY_VERSION = "2012-10-17"
#: IAM's limit for a customer managed policy, counted without whitespace.
MANAGED_POLICY_LIMIT = 6144

#: A condition as ``((operator, key, (values...)), ...)``, hashable and sortable.
Condition = tuple[tuple[str, str, tuple[str, ...]], ...]


@dataclass(frozen=True, order=True)
class Grant:
    """One action allowed on one resource, and why (``origin``: ``LogicalId create``)."""

    action: str
    resource: str
    condition: Condition = ()
    #: the IAM resource type the resource stands for (``backupVault``), "" for ``*``
    label: str = ""
    origin: str = ""

    @property
    def service(self) -> str:
        return self.action.partition(":")[0]


@dataclass(frozen=True)
class Statement:
    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: Condition = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Sid": self.sid,
            "Effect": "Allow",
            "Action": list(self.actions) if len(self.actions) > 1 else self.actions[0],
            "Resource": list(self.resources) if len(self.resources) > 1 else self.resources[0],
        }
        if self.condition:
            cond: dict[str, dict[str, Any]] = {}
            for op, key, values in self.condition:
                cond.setdefault(op, {})[key] = list(values) if len(values) > 1 else values[0]
            out["Condition"] = cond
        return out


def _pascal(text: str) -> str:
    words = re.split(r"[^A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def build_statements(grants: Iterable[Grant]) -> list[Statement]:
    """Merge grants into statements, in a deterministic order with unique Sids."""
    per_action: dict[tuple[str, Condition], dict[str, set[str]]] = defaultdict(
        lambda: defaultdict(set)
    )
    labels: dict[tuple[str, Condition, str], set[str]] = defaultdict(set)
    for g in grants:
        per_action[(g.service, g.condition)][g.action].add(g.resource)
        labels[(g.service, g.condition, g.action)].add(g.label)
    drafts: list[tuple[str, Condition, tuple[str, ...], tuple[str, ...], str]] = []
    for (service, condition), actions in per_action.items():
        by_resources: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for action, granted in actions.items():
            key = ("*",) if "*" in granted else tuple(sorted(granted))
            by_resources[key].append(action)
        for key, acts in by_resources.items():
            names: set[str] = set()
            for a in acts:
                names |= labels[(service, condition, a)]
            if key == ("*",):
                names = set()
            label = "".join(_pascal(n) for n in sorted(n for n in names if n)[:3]) or "Any"
            if condition:
                label += "Conditional"
            ordered = tuple(sorted(set(acts), key=str.lower))
            drafts.append((service, condition, key, ordered, label))
    drafts.sort(key=lambda d: (d[0], d[4], d[2], d[1], d[3]))
    out: list[Statement] = []
    used: dict[str, int] = {}
    for service, condition, resource_list, action_list, label in drafts:
        sid = _pascal(service) + label
        used[sid] = used.get(sid, 0) + 1
        if used[sid] > 1:
            sid = f"{sid}{used[sid]}"
        out.append(Statement(sid, action_list, resource_list, condition))
    return out


def document(statements: Sequence[Statement]) -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Statement": [s.to_json() for s in statements]}


def policy_size(doc: Mapping[str, Any]) -> int:
    """The size IAM counts for a policy: its JSON without whitespace."""
    return len(json.dumps(doc, separators=(",", ":")))


def _split_statement(st: Statement, limit: int) -> list[Statement]:
    if policy_size(document([st])) <= limit:
        return [st]
    if len(st.actions) > 1:
        half = len(st.actions) // 2
        parts = [
            Statement(st.sid, st.actions[:half], st.resources, st.condition),
            Statement(st.sid, st.actions[half:], st.resources, st.condition),
        ]
    elif len(st.resources) > 1:
        half = len(st.resources) // 2
        parts = [
            Statement(st.sid, st.actions, st.resources[:half], st.condition),
            Statement(st.sid, st.actions, st.resources[half:], st.condition),
        ]
    else:
        return [st]  # one action on one resource: cannot get smaller
    out: list[Statement] = []
    for part in parts:
        out.extend(_split_statement(part, limit))
    return out


def split_documents(
    statements: Sequence[Statement], limit: int = MANAGED_POLICY_LIMIT
) -> list[dict[str, Any]]:
    """Pack statements, in order, into documents of at most ``limit`` characters.

    A statement too big on its own is cut by actions (then resources); the pieces get
    ``Sid`` suffixes ``Part1``, ``Part2``... so Sids stay unique.
    """
    pieces: list[Statement] = []
    for st in statements:
        parts = _split_statement(st, limit)
        if len(parts) == 1:
            pieces.append(st)
        else:
            pieces.extend(
                Statement(f"{p.sid}Part{i}", p.actions, p.resources, p.condition)
                for i, p in enumerate(parts, 1)
            )
    docs: list[list[Statement]] = []
    for st in pieces:
        if docs and policy_size(document([*docs[-1], st])) <= limit:
            docs[-1].append(st)
        else:
            docs.append([st])
    return [document(d) for d in docs]
