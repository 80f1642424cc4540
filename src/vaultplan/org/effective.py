"""Each account's effective backup policy, computed offline as AWS Organizations computes it.

The account's policies merge in this order: the root's, then each OU's down the path, then
the account's own; at one node, in attachment order. The rules (sources:
https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html and
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html):

- ``@@assign`` replaces the inherited value; for a list, the whole list.
- ``@@append`` adds values to an inherited list (a value already there is not added twice),
  ``@@remove`` takes values out of it; both act on lists only. One policy's operators on one
  value apply in the order assign, append, remove.
- ``@@operators_allowed_for_child_policies`` on a key limits the operators that policies
  *below* this node may use on that key and everything under it: ``["@@all"]`` (the
  default), a subset of the three, or ``["@@none"]``. Limits only narrow: a child that
  declares ``["@@all"]`` under a parent's ``["@@append"]`` still has only ``@@append``. A
  child's operator that its ancestors don't allow is ignored, and so is everything a child
  writes under ``@@none``, new keys included.
- Policies attached to the same node don't limit one another: the operators they allow
  below intersect. Their other conflicts are settled by attachment order: each applies after
  the one attached before it, so the later ``@@assign`` wins.
- The result holds no operator, and its keys are lowercased (keys are case-insensitive), as
  ``DescribeEffectivePolicy`` returns it in ``PolicyContent``.

Every change, applied or ignored, is remembered with the policy file that made it
(:meth:`Effective.explain`), and so is each lock.
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from vaultplan.aws import org_policy as syntax
from vaultplan.checks.finding import Finding
from vaultplan.checks.runner import CheckReport, TemplateReport
from vaultplan.org.tree import Organization, OrgNode
from vaultplan.org.validate import member_stack_findings, minified, policy_findings

__all__ = [
    "Change",
    "Effective",
    "Level",
    "MemberStack",
    "Source",
    "effective_policies",
    "merge",
    "organization_report",
]

_ALL = frozenset(syntax.VALUE_OPERATORS)
_MISSING: Any = object()


@dataclass(frozen=True)
class Source:
    """A policy file attached to a node: what a change or a lock is credited to."""

    policy: str
    node: str

    def __str__(self) -> str:
        return f"{self.policy} ({self.node})"


@dataclass(frozen=True)
class Change:
    """One operator of one policy on one value, and what came of it."""

    source: Source
    operator: str
    value: Any
    applied: bool
    why: str = ""
    """Why it was ignored: the lock (and who set it), or the value it couldn't act on."""


@dataclass(frozen=True)
class _Limit:
    allowed: frozenset[str]
    source: Source


class _Node:
    """A key of the merged policy: its value or its child keys, its limits and history."""

    __slots__ = ("changes", "children", "content", "limits", "owner", "value")

    def __init__(self, owner: object = None) -> None:
        self.children: dict[str, _Node] = {}
        self.value: Any = _MISSING
        self.limits: tuple[_Limit, ...] = ()
        self.changes: tuple[Change, ...] = ()
        #: The level that may change this node in place; any other copies it first.
        self.owner = owner
        #: Its effective content, once asked for (its level is done by then: it never
        #: changes again, a later level changes a copy).
        self.content: Any = None

    def copy_for(self, owner: object) -> _Node:
        """A copy ``owner`` may change: the children are shared until they are changed in
        turn (copy on write), so a child state costs what its own policies touch. Values are
        replaced, never changed in place."""
        new = _Node.__new__(_Node)
        new.children = dict(self.children)
        new.value = self.value
        new.limits = self.limits
        new.changes = self.changes
        new.owner = owner
        new.content = None
        return new

    def allowed(self, inherited: frozenset[str]) -> frozenset[str]:
        for limit in self.limits:
            inherited = inherited & limit.allowed
        return inherited


def _operators(value: Any) -> frozenset[str]:
    """``@@operators_allowed_for_child_policies``'s list as the operators it allows."""
    items = value if isinstance(value, list) else [value]
    names = {str(v).lower() for v in items}
    if syntax.NONE in names:
        return frozenset()
    if syntax.ALL in names:
        return _ALL
    return frozenset(names) & _ALL


def _locker(path: Sequence[_Node], allowed: frozenset[str], operator: str) -> str:
    for node in path:
        for limit in node.limits:
            if operator not in limit.allowed:
                if not limit.allowed:
                    return f"locked by {limit.source} (@@none)"
                only = ", ".join(sorted(limit.allowed))
                return f"not allowed by {limit.source}, which allows only {only} below"
    return f"not allowed here (allowed: {', '.join(sorted(allowed)) or 'none'})"


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _added(current: list[Any], items: list[Any]) -> list[Any]:
    """``current`` and then each of ``items`` it doesn't hold yet (JSON values, hashable or
    not, compared by equality)."""
    out = list(current)
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _apply(node: _Node, operator: str, value: Any) -> str:
    """Apply one operator to ``node``'s value; why not, or ``""`` when applied."""
    if operator == syntax.ASSIGN:
        node.value = copy.deepcopy(value) if isinstance(value, dict | list) else value
        return ""
    items = _as_list(value)
    current = node.value
    if operator == syntax.APPEND:
        if current is _MISSING:
            node.value = _added([], items)
        elif isinstance(current, list):
            node.value = _added(current, items)
        else:
            return f"the inherited value {current!r} is not a list"
        return ""
    if current is _MISSING:
        return "no inherited value to remove from"
    if not isinstance(current, list):
        return f"the inherited value {current!r} is not a list"
    node.value = [v for v in current if v not in items]
    return ""


class _Level:
    """The policies of one node, applied in attachment order onto the merged state."""

    def __init__(self, state: _Node) -> None:
        self.root = state.copy_for(self)
        # Limits declared at this level take effect below it, once the level is done.
        self.pending: list[tuple[_Node, _Limit]] = []

    def apply(self, doc: Mapping[str, Any], source: Source) -> None:
        self._walk(self.root, doc, source, _ALL, [self.root])

    def _walk(
        self,
        node: _Node,
        doc: Mapping[str, Any],
        source: Source,
        inherited: frozenset[str],
        path: list[_Node],
    ) -> None:
        allowed = node.allowed(inherited)
        operators: dict[str, Any] = {}
        for key, value in doc.items():
            low = key.lower()
            if low == syntax.CHILD_CONTROL:
                self.pending.append((node, _Limit(_operators(value), source)))
            elif low in _ALL:
                operators[low] = value
            elif isinstance(value, Mapping):
                child = node.children.get(low)
                if child is None:
                    if not allowed:
                        self._ignore_new(node, low, value, source, path)
                        continue
                    child = node.children[low] = _Node(self)
                elif child.owner is not self:
                    child = node.children[low] = child.copy_for(self)
                path.append(child)
                self._walk(child, value, source, allowed, path)
                path.pop()
            # A key whose value isn't an object is a syntax error (org validate); skipped.
        for operator in syntax.VALUE_OPERATORS:
            if operator not in operators:
                continue
            value = operators[operator]
            if operator in allowed:
                why = _apply(node, operator, value)
            else:
                why = _locker(path, allowed, operator)
            node.changes += (Change(source, operator, value, not why, why),)

    def _ignore_new(
        self, parent: _Node, key: str, value: Mapping[str, Any], source: Source, path: list[_Node]
    ) -> None:
        """A key a child adds under ``@@none``: nothing is made; its changes are recorded as
        ignored on the locked parent."""
        why = _locker(path, frozenset(), syntax.ASSIGN)
        parent.changes += (Change(source, f"new key {key!r}", value, False, why),)

    def close(self) -> None:
        for node, limit in self.pending:
            node.limits += (limit,)
        self.pending.clear()


def _content(node: _Node) -> Any:
    if node.content is not None:
        return node.content
    value = node.value
    if node.children:
        out = {}
        for key, child in node.children.items():
            inner = _content(child)
            if inner is not _MISSING:
                out[key] = inner
        if out:
            value = out
    node.content = value
    return value


@dataclass
class Effective:
    """One account's merged backup policy, with the history of each value."""

    account: str
    _root: _Node = field(repr=False)

    @property
    def content(self) -> dict[str, Any]:
        """The effective policy as ``DescribeEffectivePolicy``'s ``PolicyContent``.

        Accounts share the parts their own policies don't change, as the same objects:
        read it, or ``copy.deepcopy`` it before changing it."""
        value = _content(self._root)
        return value if isinstance(value, dict) else {}

    def _find(self, dotted: str) -> tuple[list[str], _Node] | None:
        """The node at ``plans.myplan.regions`` (a plan or rule name may hold dots: the
        longest key that matches is taken)."""
        parts = dotted.lower().split(".") if dotted else []
        node, keys = self._root, []
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                key = ".".join(parts[i:j])
                if key in node.children:
                    node = node.children[key]
                    keys.append(key)
                    i = j
                    break
            else:
                return None
        return keys, node

    def explain(self, dotted: str) -> list[tuple[str, Any, tuple[Change, ...]]] | None:
        """Each value at or under ``dotted``: its path, its effective value, and every change
        made to it in merge order. None when no policy wrote that path."""
        found = self._find(dotted)
        if found is None:
            return None
        keys, top = found
        out: list[tuple[str, Any, tuple[Change, ...]]] = []
        stack = [(keys, top)]
        while stack:
            path, node = stack.pop()
            if node.changes or node.value is not _MISSING:
                value = _content(node)
                out.append((".".join(path), None if value is _MISSING else value, node.changes))
            stack.extend(([*path, k], c) for k, c in reversed(list(node.children.items())))
        return out

    def locked(self, dotted: str) -> Source | None:
        """The policy whose ``@@none`` (or narrowing) keeps ``dotted`` from changing in this
        account, or None when the account's own policies could still change it."""
        parts = dotted.lower().split(".")
        node = self._root
        allowed = _ALL
        nodes = [node]
        for part in parts:
            allowed = node.allowed(allowed)
            child = node.children.get(part)
            if child is None:
                break
            node = child
            nodes.append(node)
        allowed = node.allowed(allowed)
        if allowed:
            return None
        for n in nodes:
            for limit in n.limits:
                if not limit.allowed:
                    return limit.source
        return next((lim.source for n in nodes for lim in n.limits), None)


Level = Sequence[tuple[Source, Mapping[str, Any]]]
"""One node's policies, in attachment order, each with the file it came from."""


def merge(levels: Sequence[Level], account: str = "") -> Effective:
    """The effective policy of an account whose path is ``levels``: the root's policies
    first, each OU's down the path, the account's own last."""
    return Effective(account, _extend(_Node(), levels, last=True))


def _extend(
    state: _Node,
    levels: Iterable[Level],
    *,
    last: bool = False,
) -> _Node:
    """``state`` (a parent's merged state, left as it is) with ``levels`` merged below it.

    ``last``: the final level is an account's; its limits have nothing below to act on, so
    they are not recorded (what :meth:`Effective.locked` reports stays its ancestors')."""
    root = state
    levels = list(levels)
    for i, policies in enumerate(levels):
        level = _Level(root)
        for source, doc in policies:
            level.apply(doc, source)
        if not (last and i == len(levels) - 1):
            level.close()
        root = level.root
    return root


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The merge and its checks allocate many small objects and make no reference cycle;
    the cyclic collector's passes over them made the cost grow faster than the accounts
    (2,000 accounts: 2.5 s with it, 1.2 s without; 4,000: 4.7 s and 1.6 s). It is paused
    meanwhile, and restored as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _level(org: Organization, node: OrgNode) -> list[tuple[Source, Mapping[str, Any]]]:
    return [(Source(p, node.id), org.policies[p]) for p in node.policies]


def effective_policies(
    org: Organization, accounts: Sequence[str] | None = None
) -> dict[str, Effective]:
    """The effective policy of each account of ``org`` (default: all, in ORG.toml's order).

    Each OU's merged state is computed once and shared by everything under it, so the cost
    grows with the number of nodes, not with the depth times the accounts.
    """
    states: dict[str, _Node] = {}

    def state_of(node_id: str) -> _Node:
        state = states.get(node_id)
        if state is None:
            node = org.nodes[node_id]
            parent = state_of(node.parent) if node.parent is not None else _Node()
            state = states[node_id] = _extend(parent, [_level(org, node)])
        return state

    out: dict[str, Effective] = {}
    with _collector_paused():
        for account_id in accounts if accounts is not None else [a.id for a in org.accounts]:
            node = org.nodes[account_id]
            assert node.parent is not None
            out[account_id] = Effective(
                account_id, _extend(state_of(node.parent), [_level(org, node)], last=True)
            )
    return out


class MemberStack(Protocol):
    """The names the member-account stack gives the vault and the role AWS Backup assumes."""

    @property
    def vault(self) -> str: ...

    @property
    def role(self) -> str: ...


def organization_report(
    org: Organization,
    effective: Mapping[str, Effective],
    member: MemberStack | None = None,
) -> CheckReport:
    """Findings as ``vaultplan check`` reports them: one entry per policy file (its syntax,
    read as a policy merged with its parents': ``partial``), then one per account (its
    effective policy, ``effective=True``, and VP416 when ``member`` is given).

    Accounts with the same effective policy share one validation."""
    with _collector_paused():
        return _report(org, effective, member)


def _report(
    org: Organization, effective: Mapping[str, Effective], member: MemberStack | None
) -> CheckReport:
    reports = [
        TemplateReport(
            str(org.file(name)),
            name,
            tuple(policy_findings(doc, path=str(org.file(name)), partial=True)),
        )
        for name, doc in org.policies.items()
    ]
    seen: dict[str, list[Finding]] = {}
    for account, merged in effective.items():
        content = merged.content
        key = minified(content)
        label = f"{account} (effective)"
        if key not in seen:
            # No policy reaches the account: it has no effective policy, nothing to check.
            found = policy_findings(content, path="", effective=True) if content else []
            if member is not None:
                found += member_stack_findings(
                    content, path="", vault=member.vault, role=member.role
                )
            seen[key] = found
        findings = tuple(replace(f, template=label) for f in seen[key])
        reports.append(TemplateReport(label, account, findings))
    return CheckReport(tuple(reports))
