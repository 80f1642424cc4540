"""Explain a failed deploy: which permissions the failing handler needs, and which of them
the principal's policies do not allow.

Input is a stack event's status reason (or ``describe-stack-events`` JSON), the resource
type, and optionally the template (for scoped ARNs) and the principal's policies. When
the message names an action ("is not authorized to perform: X on resource: Y"), X comes
first; the other permissions of the same handler that the policies also lack follow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError
from vaultplan.permissions import iam
from vaultplan.permissions.derive import derive
from vaultplan.permissions.evaluate import Decision, Outcome, PolicyStatement, evaluate
from vaultplan.permissions.schemas import OPERATIONS, get_schema, known_in_any_region
from vaultplan.permissions.scoping import ArnContext, TemplateScope
from vaultplan.template import LoadedTemplate
from vaultplan.template.text import read_text

_NAMED = [
    re.compile(
        r"not authorized to perform:?\s+(?P<action>[\w-]+:[\w*-]+)"
        r"(?:\s+on resource:?\s+(?P<resource>\S+?))?(?:[\s,;)]|$)"
    ),
    re.compile(r"API:\s*(?P<action>[\w-]+:[\w*-]+)\s+You are not authorized"),
    re.compile(
        r"no (?:identity|resource)-based policy allows the (?P<action>[\w-]+:[\w*-]+) action"
    ),
]

#: Which handlers a failed status points at. CloudFormation reads after create/update.
STATUS_OPERATIONS: Mapping[str, tuple[str, ...]] = {
    "CREATE_FAILED": ("create", "read"),
    "UPDATE_FAILED": ("update", "read", "create", "delete"),
    "DELETE_FAILED": ("delete", "read"),
    "IMPORT_FAILED": ("read",),
}
_CANCELLED = re.compile(r"^Resource (creation|update|deletion) cancelled", re.IGNORECASE)


@dataclass(frozen=True)
class Failure:
    """One failed resource: from ``--message`` and ``--resource-type``, or from an event."""

    resource_type: str
    message: str = ""
    logical_id: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class Needed:
    """One permission the handler needs, with the policies' verdict (if any were given)."""

    operation: str
    action: str
    resources: tuple[str, ...]
    decision: Decision | None = None

    @property
    def missing(self) -> bool:
        return self.decision is None or not self.decision.allowed


@dataclass(frozen=True)
class Explanation:
    failure: Failure
    operations: tuple[str, ...]
    needed: tuple[Needed, ...]
    named_action: str | None = None
    named_resource: str | None = None
    judged: bool = False
    note: str | None = None

    def answer(self) -> list[Needed]:
        """The missing permissions: the named action first, then the rest in handler order."""
        missing = [n for n in self.needed if n.missing]
        seen: set[str] = set()
        out: list[Needed] = []
        if self.named_action:
            first = [n for n in missing if n.action == self.named_action]
            if not first:
                res = (self.named_resource or "*",)
                first = [Needed("message", self.named_action, res)]
            out.append(first[0])
            seen.add(self.named_action)
        for n in missing:
            if n.action not in seen:
                seen.add(n.action)
                out.append(n)
        return out

    def to_json(self) -> dict[str, Any]:
        def item(n: Needed) -> dict[str, Any]:
            out: dict[str, Any] = {
                "operation": n.operation,
                "action": n.action,
                "resources": list(n.resources),
            }
            if n.decision is not None:
                out["decision"] = n.decision.outcome.value
                out["reason"] = n.decision.reason
                if n.decision.conditions_not_evaluated:
                    out["conditions_not_evaluated"] = list(n.decision.conditions_not_evaluated)
            return out

        return {
            "logical_id": self.failure.logical_id,
            "resource_type": self.failure.resource_type,
            "status": self.failure.status,
            "message": self.failure.message,
            "named_action": self.named_action,
            "operations": list(self.operations),
            "judged_against_policies": self.judged,
            "missing": [n.action for n in self.answer()],
            "details": [item(n) for n in self.answer()],
            "note": self.note,
        }


def named_in(message: str) -> tuple[str | None, str | None]:
    """The action (as written) and resource a status reason names, if it names one."""
    for pattern in _NAMED:
        m = pattern.search(message)
        if m:
            resource = m.groupdict().get("resource")
            return m.group("action"), resource.rstrip(".") if resource else None
    return None, None


def parse_message(message: str) -> tuple[str | None, str | None]:
    """The action (IAM's spelling) and resource a status reason names; an action IAM does
    not know is not returned (see :func:`named_in`)."""
    raw, resource = named_in(message)
    if raw is None:
        return None, None
    return iam.check_action(raw).action, resource


def read_events(path: Path, resource_type: str | None = None) -> list[Failure]:
    """Every ``*_FAILED`` event of a ``describe-stack-events`` JSON file, oldest first,
    except cancellations and the stack's own events."""
    text = read_text(path, "--events")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"--events: {path} is not JSON: {exc}") from exc
    events = data.get("StackEvents") if isinstance(data, Mapping) else data
    if not isinstance(events, list):
        raise InputError(
            f"--events: {path} has no StackEvents list; pass the JSON of "
            "`aws cloudformation describe-stack-events`"
        )
    out = []
    for ev in reversed(events):  # the CLI lists newest first
        if not isinstance(ev, Mapping):
            continue
        status = str(ev.get("ResourceStatus", ""))
        rtype = str(ev.get("ResourceType", ""))
        reason = str(ev.get("ResourceStatusReason", ""))
        if not status.endswith("_FAILED") or _CANCELLED.match(reason):
            continue
        if rtype == "AWS::CloudFormation::Stack" and ev.get("LogicalResourceId") == ev.get(
            "StackName"
        ):
            continue
        if resource_type and rtype != resource_type:
            continue
        out.append(Failure(rtype, reason, str(ev.get("LogicalResourceId") or "") or None, status))
    return out


def _resources_for(
    action: str,
    resource_type: str,
    logical_id: str | None,
    scoped: Mapping[tuple[str, str], set[str]],
    scope: TemplateScope,
) -> tuple[str, ...]:
    if logical_id and (logical_id, action) in scoped:
        return tuple(sorted(scoped[(logical_id, action)]))
    types = iam.action_resource_types(action)
    if not types:
        return ("*",)
    own = scope.own_type(resource_type)
    for rt in types:
        if own is not None and (own.service, own.name) == (rt.service, rt.name):
            return (scope.fill(rt.arn),)
    return tuple(
        sorted({scope.fill(rt.arn) for rt in types if rt.required} or {scope.fill(types[0].arn)})
    )


def explain(
    failures: Sequence[Failure],
    *,
    policies: Sequence[PolicyStatement] | None = None,
    template: LoadedTemplate | None = None,
    region: str | None = None,
    account: str | None = None,
    partition: str | None = None,
    stack_name: str | None = None,
) -> list[Explanation]:
    """Explain each failure (see the module docstring)."""
    schema_region = region or "us-east-1"
    ctx = ArnContext(partition=partition, region=region, account=account, stack_name=stack_name)
    scoped: dict[tuple[str, str], set[str]] = {}
    if template is not None:
        derived = derive(
            template, region=region, account=account, partition=partition, stack_name=stack_name
        )
        for g in derived.grants:
            lid = g.origin.split(" ", 1)[0]
            scoped.setdefault((lid, g.action), set()).add(g.resource)
    resources = template.typed_resources() if template is not None else {}
    scope = TemplateScope(resources, schema_region=schema_region, context=ctx)
    out = []
    for failure in failures:
        if failure.logical_id is None and template is not None:
            same = [k for k, v in resources.items() if v.get("Type") == failure.resource_type]
            if len(same) == 1:
                failure = Failure(failure.resource_type, failure.message, same[0], failure.status)
        named, named_resource = parse_message(failure.message)
        schema = get_schema(failure.resource_type, schema_region)
        if schema is None:
            hint = "" if known_in_any_region(failure.resource_type) else " (unknown type)"
            raise InputError(
                f"--resource-type: got {failure.resource_type!r}; no schema in "
                f"{schema_region}{hint}; give a type such as AWS::Backup::BackupVault"
            )
        operations = STATUS_OPERATIONS.get(failure.status or "", OPERATIONS)
        if failure.status == "UPDATE_FAILED" and not schema.permissions("update"):
            operations = ("create", "read", "delete")
        needed: list[Needed] = []
        seen: set[str] = set()
        for op in operations:
            for raw in schema.permissions(op):
                action = iam.check_action(raw).action
                if action is None or action in seen:
                    continue
                seen.add(action)
                res = _resources_for(
                    action, failure.resource_type, failure.logical_id, scoped, scope
                )
                if action == named and named_resource:
                    res = (named_resource,)
                decision = _judge(policies, action, res) if policies is not None else None
                needed.append(Needed(op, action, res, decision))
        note = None
        if not schema.has_handlers:
            note = f"{failure.resource_type} has no handler permissions in the schema"
        raw_named = named_in(failure.message)[0]
        if raw_named is not None and named is None:
            note = f"the message names {raw_named!r}, an action IAM's reference data does not know"
        out.append(
            Explanation(
                failure,
                tuple(operations),
                tuple(needed),
                named,
                named_resource,
                judged=policies is not None,
                note=note,
            )
        )
    return out


def _judge(
    policies: Sequence[PolicyStatement], action: str, resources: tuple[str, ...]
) -> Decision:
    """The least favourable decision over the resources the action touches."""
    decisions = [evaluate(policies, action, r) for r in resources]
    rank = {Outcome.DENIED: 0, Outcome.NOT_ALLOWED: 1, Outcome.ALLOWED: 2}
    return min(decisions, key=lambda d: rank[d.outcome])
