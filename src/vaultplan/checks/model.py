"""The AWS Backup objects of one template, as checks see them.

:class:`CheckContext` wraps a template and its :class:`~vaultplan.template.resolve.Resolver`
and lists its vaults, plan rules and selections. A resource whose ``Condition`` is false
is not deployed and not listed; one whose condition is unknown is listed (it may exist).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from vaultplan.checks.finding import Issue, NotApplicable, Path
from vaultplan.template.loader import LoadedTemplate
from vaultplan.template.resolve import Resolver, Unresolved, as_int, cfn_str

__all__ = ["CheckContext", "Lock", "Result", "Rule", "Selection", "Values", "Vault"]

VAULT = "AWS::Backup::BackupVault"
PLAN = "AWS::Backup::BackupPlan"
SELECTION = "AWS::Backup::BackupSelection"

#: What a resolved value can be: a concrete value, ``None`` (absent) or ``Unresolved``.
Values = list[Any]
#: What a check yields.
Result = Iterator[Issue | NotApplicable]
#: A constraint of :mod:`vaultplan.aws` on one value: ``(value, field) -> messages``.
ScalarRule = Callable[[Any, str], list[str]]
#: The same on a lifecycle: ``(cold_days, delete_days, field) -> messages``.
LifecycleRule = Callable[[Any, Any, str], list[str]]


@dataclass(frozen=True)
class Vault:
    logical_id: str
    props: Any
    path: Path


@dataclass(frozen=True)
class Rule:
    """One entry of a plan's ``BackupPlanRule`` list (one variant of it)."""

    plan: str
    index: int
    node: Mapping[str, Any]
    path: Path

    def field(self, key: str) -> str:
        """How messages name one of the rule's keys: ``BackupPlanRule[0].Lifecycle``."""
        return f"BackupPlanRule[{self.index}].{key}"


@dataclass(frozen=True)
class Lock:
    """One variant of a vault's ``LockConfiguration``, every value known (ints when valid)."""

    vault: str
    path: Path
    changeable: Any
    minimum: Any
    maximum: Any


@dataclass(frozen=True)
class Selection:
    logical_id: str
    node: Mapping[str, Any]  # the BackupSelection property (one variant)
    plan_ref: Any  # the raw BackupPlanId value
    path: Path  # path of the BackupSelection property


def props_path(logical_id: str, *rest: str | int) -> Path:
    return ("Resources", logical_id, "Properties", *rest)


class CheckContext:
    """One template, resolved, with its AWS Backup objects listed."""

    def __init__(
        self,
        template: LoadedTemplate,
        parameters: Mapping[str, str] | None = None,
        now: datetime | None = None,
    ) -> None:
        self.template = template
        self.r = Resolver(template.body, parameters)
        #: Where schedule projections start (checks that look ahead use it); default: now.
        self.now = (now or datetime.now(UTC)).astimezone(UTC)

    @cached_property
    def region(self) -> str | None:
        """The Region the template is deployed to, when known: ``--parameters AWS::Region=...``,
        else a cdk.out stack's manifest ``environment``; None: environment-agnostic."""
        given = self.r.overrides.get("AWS::Region")
        return str(given) if given else self.template.region

    # -- resources ----------------------------------------------------------------------------
    def resources(self, *types: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """``(logical_id, resource)`` of the given types that may be deployed."""
        for lid, res in self.template.typed_resources().items():
            if res.get("Type") in types and self.r.deployed(res) is not False:
                yield lid, res

    def resource_type(self, logical_id: str) -> str | None:
        res = self.template.typed_resources().get(logical_id)
        return str(res["Type"]) if res is not None else None

    @cached_property
    def vaults(self) -> list[Vault]:
        return [
            Vault(lid, res.get("Properties"), props_path(lid)) for lid, res in self.resources(VAULT)
        ]

    @cached_property
    def rules(self) -> list[Rule]:
        out: list[Rule] = []
        for lid, res in self.resources(PLAN):
            seen: set[int] = set()
            for plan in self.r.lookup(res.get("Properties"), "BackupPlan"):
                if not isinstance(plan, Mapping):
                    continue
                for rules in self.r.variants(plan.get("BackupPlanRule")):
                    if not isinstance(rules, list):
                        continue
                    for i, item in enumerate(rules):
                        for node in self.r.variants(item):
                            if isinstance(node, Mapping) and id(node) not in seen:
                                seen.add(id(node))
                                out.append(
                                    Rule(
                                        lid,
                                        i,
                                        node,
                                        props_path(lid, "BackupPlan", "BackupPlanRule", i),
                                    )
                                )
        return out

    @cached_property
    def selections(self) -> list[Selection]:
        out: list[Selection] = []
        for lid, res in self.resources(SELECTION):
            props = res.get("Properties")
            for node in self.r.lookup(props, "BackupSelection"):
                if isinstance(node, Mapping):
                    plan_ref = props.get("BackupPlanId") if isinstance(props, Mapping) else None
                    out.append(Selection(lid, node, plan_ref, props_path(lid, "BackupSelection")))
        return out

    # -- values -------------------------------------------------------------------------------
    def values(self, node: Any, *keys: str | int) -> Values:
        return self.r.lookup(node, *keys)

    def ints(self, node: Any, *keys: str | int) -> Values:
        """Like :meth:`values`, with numeric strings as ints (parameters are strings)."""
        return [as_int(v) for v in self.r.lookup(node, *keys)]

    def not_applicable(
        self, resource: str | None, path: Path, what: str, value: Unresolved
    ) -> NotApplicable:
        return NotApplicable(
            resource, path, f"{what} is {value.text!r}, unknown offline ({value.reason})"
        )

    def plan_of(self, selection: Selection) -> str | None:
        """Logical id of the template plan a selection attaches to, if it names one."""
        for value in self.r.variants(selection.plan_ref):
            if isinstance(value, Unresolved):
                for ref in value.refs:
                    if self.resource_type(ref) == PLAN:
                        return ref
        return None

    def vault_of(self, value: Any) -> str | None:
        """Logical id of the template vault a (resolved) vault name or ARN refers to."""
        if isinstance(value, Unresolved):
            for ref in value.refs:
                if self.resource_type(ref) == VAULT:
                    return ref
            return None
        if isinstance(value, str):
            for vault in self.vaults:
                if value in self.values(vault.props, "BackupVaultName"):
                    return vault.logical_id
        return None

    def copy_actions(self, rule: Rule) -> Iterator[tuple[int | None, Any]]:
        """``(index, action)`` for each variant of each entry of the rule's ``CopyActions``;
        a whole list unknown offline gives ``(None, value)``."""
        for copies in self.values(rule.node, "CopyActions"):
            if isinstance(copies, list):
                for i, item in enumerate(copies):
                    for action in self.r.variants(item):
                        yield i, action
            elif isinstance(copies, Unresolved):
                yield None, copies

    def vault_key(self, rule: Rule) -> list[str]:
        """A key per variant of the rule's target vault: its logical id or its name."""
        keys: list[str] = []
        for value in self.values(rule.node, "TargetBackupVault"):
            lid = self.vault_of(value)
            keys.append(lid if lid is not None else str(value))
        return keys

    def continuous(self, rule: Rule) -> bool | None:
        """Whether the rule enables continuous backup (None: it depends on an unknown value)."""
        seen: set[bool | None] = set()
        for value in self.values(rule.node, "EnableContinuousBackup"):
            if isinstance(value, Unresolved):
                seen.add(None)
            else:
                seen.add(value is not None and str(cfn_str(value)).lower() == "true")
        return seen.pop() if len(seen) == 1 else None

    @cached_property
    def locks(self) -> list[Lock | NotApplicable]:
        """A :class:`Lock` per variant of each vault's lock; not applicable where a value is
        unknown offline."""
        keys = ("ChangeableForDays", "MinRetentionDays", "MaxRetentionDays")
        out: list[Lock | NotApplicable] = []
        for vault in self.vaults:
            path = (*vault.path, "LockConfiguration")
            for lock in self.values(vault.props, "LockConfiguration"):
                if isinstance(lock, Unresolved):
                    out.append(
                        self.not_applicable(vault.logical_id, path, "LockConfiguration", lock)
                    )
                if not isinstance(lock, Mapping):
                    continue
                for values in itertools.product(*(self.ints(lock, k) for k in keys)):
                    unknown = next((v for v in values if isinstance(v, Unresolved)), None)
                    if unknown is not None:
                        out.append(
                            self.not_applicable(
                                vault.logical_id, path, "LockConfiguration", unknown
                            )
                        )
                    else:
                        out.append(Lock(vault.logical_id, path, *values))
        return out

    # -- applying constraints -------------------------------------------------------------------
    def scalar(
        self,
        resource: str,
        path: Path,
        node: Any,
        key: str,
        rule: ScalarRule,
        field: str | None = None,
        *,
        numeric: bool = False,
    ) -> Result:
        """Apply ``rule`` to every variant of ``node[key]``; absent values are compliant.

        Problems name ``field``, by default ``key``."""
        field = key if field is None else field
        for value in self.values(node, key):
            if value is None:
                continue
            if isinstance(value, Unresolved):
                yield self.not_applicable(resource, (*path, key), field, value)
                continue
            concrete = as_int(value) if numeric else cfn_str(value)
            for message in rule(concrete, field):
                yield Issue(resource, (*path, key), message)

    def rule_scalar(self, key: str, rule: ScalarRule, *, numeric: bool = False) -> Result:
        """Apply ``rule`` to ``key`` of every plan rule."""
        for r in self.rules:
            yield from self.scalar(r.plan, r.path, r.node, key, rule, r.field(key), numeric=numeric)

    def lifecycle(
        self, resource: str, path: Path, node: Any, field: str, rule: LifecycleRule
    ) -> Result:
        """Apply ``rule`` to every variant of ``node``'s ``Lifecycle`` (cold, delete days)."""
        for cold, delete in self._lifecycle_pairs(node):
            unknown = next((v for v in (cold, delete) if isinstance(v, Unresolved)), None)
            if unknown is not None:
                yield self.not_applicable(resource, (*path, "Lifecycle"), field, unknown)
                continue
            for message in rule(cold, delete, field):
                yield Issue(resource, (*path, "Lifecycle"), message)

    def _lifecycle_pairs(self, node: Any) -> Iterator[tuple[Any, Any]]:
        for lc in self.values(node, "Lifecycle"):
            if isinstance(lc, Mapping):
                for cold in self.ints(lc, "MoveToColdStorageAfterDays"):
                    for delete in self.ints(lc, "DeleteAfterDays"):
                        yield cold, delete
            elif isinstance(lc, Unresolved):
                yield lc, lc
