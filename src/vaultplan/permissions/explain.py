"""Explain a failed deploy: which permissions the failing handler needs, and which of them
the principal's policies do not allow.

Input is a stack event's status reason (or ``describe-stack-events`` JSON), the resource
type, and optionally the template (for scoped ARNs) and the principal's policies, its
permissions boundary and the SCPs above its account.

When the message names an action ("is not authorized to perform: X on resource: Y"), X on
Y is evaluated first (:func:`~vaultplan.permissions.evaluate.evaluate_request`, with the
template's KMS key policy when X is a ``kms:`` action). If the identity policies allow it,
the deny comes from somewhere they can't show, and :attr:`Explanation.look_at` names where
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
Otherwise X comes first among the missing permissions, then the other permissions of the
same handler that the policies also lack.

An encoded authorization message gets the ``aws sts decode-authorization-message`` command;
its decoded JSON is answered exactly by :func:`explain_decoded`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError
from vaultplan.permissions import iam
from vaultplan.permissions.derive import derive
from vaultplan.permissions.evaluate import (
    Decision,
    Outcome,
    Policy,
    PolicySet,
    PolicyStatement,
    Request,
    ResourcePolicy,
    evaluate_request,
)
from vaultplan.permissions.resource_policies import key_policies
from vaultplan.permissions.schemas import OPERATIONS, get_schema, known_in_any_region
from vaultplan.permissions.scoping import ArnContext, TemplateScope
from vaultplan.template import LoadedTemplate
from vaultplan.template.nesting import loads_json
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
_CALLER = re.compile(r"User:\s*(?P<arn>arn:[^\s]+)\s+is not authorized")
_ENCODED = re.compile(r"Encoded authorization failure message:\s*(?P<blob>[\w-]+)")
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
    #: The named action on the named resource, judged by every policy given (identity,
    #: boundary, SCPs, the template's key policy), and by the identity policies alone.
    named_decision: Decision | None = None
    identity_decision: Decision | None = None
    #: Where else a deny can come from, when the identity policies allow the named call.
    look_at: tuple[str, ...] = ()
    #: The command that decodes an encoded authorization message in the status reason.
    decode_command: str | None = None

    @property
    def allowed_by_identity(self) -> bool:
        """Whether the identity policies allow the call the message names."""
        return self.identity_decision is not None and self.identity_decision.allowed

    def answer(self) -> list[Needed]:
        """The missing permissions: the named action first (unless the identity policies
        allow it), then the rest in handler order."""
        missing = [
            n
            for n in self.needed
            if n.missing and not (self.allowed_by_identity and n.action == self.named_action)
        ]
        seen: set[str] = set()
        out: list[Needed] = []
        if self.named_action and not self.allowed_by_identity:
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
            "named_call": _decision_json(self.named_decision, self.identity_decision),
            "look_at": list(self.look_at),
            "decode_command": self.decode_command,
        }


def _decision_json(full: Decision | None, identity: Decision | None) -> dict[str, Any] | None:
    if full is None or identity is None:
        return None
    return {
        "allowed_by_identity_policies": identity.allowed,
        "decision": full.outcome.value,
        "reason": full.reason,
        "layer": full.layer.value if full.layer else None,
        "source": full.source,
        "condition_keys": list(full.condition_keys),
    }


def decode_command(message: str) -> str | None:
    """The AWS CLI command that decodes the message's encoded authorization failure, if any
    (https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html)."""
    m = _ENCODED.search(message)
    if m is None:
        return None
    return (
        f"aws sts decode-authorization-message --encoded-message {m['blob']} "
        "--query DecodedMessage --output text > decoded.json"
    )


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
        data = loads_json(text, "--events", path)
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
    policies: Sequence[PolicyStatement] | Sequence[Policy] | None = None,
    boundary: Policy | None = None,
    scps: Sequence[Policy] = (),
    template: LoadedTemplate | None = None,
    where: ArnContext | None = None,
) -> list[Explanation]:
    """Explain each failure (see the module docstring); ``where`` the stack will live fills
    the ARNs of ``template``'s resources (each part not given is ``*``)."""
    ctx = where or ArnContext()
    schema_region = ctx.region or "us-east-1"
    scoped: dict[tuple[str, str], set[str]] = {}
    if template is not None:
        derived = derive(
            template,
            region=ctx.region,
            account=ctx.account,
            partition=ctx.partition,
            stack_name=ctx.stack_name,
        )
        for g in derived.grants:
            lid = g.origin.split(" ", 1)[0]
            scoped.setdefault((lid, g.action), set()).add(g.resource)
    resources = template.typed_resources() if template is not None else {}
    scope = TemplateScope(resources, schema_region=schema_region, context=ctx)
    given = None if policies is None else PolicySet(_identity(policies), boundary, scps)
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
                decision = _judge(given, action, res) if given is not None else None
                needed.append(Needed(op, action, res, decision))
        note = None
        if not schema.has_handlers:
            note = f"{failure.resource_type} has no handler permissions in the schema"
        raw_named = named_in(failure.message)[0]
        if raw_named is not None and named is None:
            note = f"the message names {raw_named!r}, an action IAM's reference data does not know"
        full = identity = None
        look_at: tuple[str, ...] = ()
        if given is not None and named is not None:
            caller = _CALLER.search(failure.message)
            request = Request(named, named_resource or "*", principal=caller and caller["arn"])
            keys = []
            if template is not None and named.startswith("kms:"):
                keys = [
                    ResourcePolicy(request.resource, pol, lid)
                    for lid, pol in key_policies(template, used_by=failure.logical_id)
                ]
            identity = evaluate_request(request, PolicySet(given.identity))
            full = evaluate_request(
                request, PolicySet(given.identity, boundary, scps, resource_policies=keys)
            )
            look_at = _look_at(request, boundary, scps, keys)
        out.append(
            Explanation(
                failure,
                tuple(operations),
                tuple(needed),
                named,
                named_resource,
                judged=policies is not None,
                note=note,
                named_decision=full,
                identity_decision=identity,
                look_at=look_at if identity is not None and identity.allowed else (),
                decode_command=decode_command(failure.message),
            )
        )
    return out


def _identity(policies: Sequence[PolicyStatement] | Sequence[Policy]) -> tuple[Policy, ...]:
    loose = tuple(p for p in policies if isinstance(p, PolicyStatement))
    whole = tuple(p for p in policies if isinstance(p, Policy))
    return whole + ((Policy("policy", loose),) if loose else ())


#: Services whose resources carry their own policy, which IAM evaluates with the caller's
#: (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html).
_RESOURCE_POLICY_SERVICES = frozenset(
    {"backup", "ecr", "events", "lambda", "logs", "s3", "secretsmanager", "sns", "sqs"}
)


def _look_at(
    request: Request, boundary: Policy | None, scps: Sequence[Policy], keys: list[ResourcePolicy]
) -> tuple[str, ...]:
    """Where a deny can come from that the identity policies can't show."""
    service = request.action.split(":", 1)[0].lower()
    out = []
    if service == "kms":
        out += [
            f"the key policy of {k.label} (evaluated from --template: it does not deny)"
            for k in keys
        ] or [
            f"the key policy of {request.resource} "
            f"(aws kms get-key-policy --key-id {request.resource} --policy-name default)"
        ]
    elif service in _RESOURCE_POLICY_SERVICES:
        out.append(f"the resource policy of {request.resource}")
    if boundary is None:
        out.append("a permissions boundary on the caller (give it with --boundary FILE)")
    else:
        out.append(f"the permissions boundary {boundary.source} (evaluated)")
    if scps:
        out.append(f"the SCPs {', '.join(p.source for p in scps)} (evaluated)")
    else:
        out.append("the SCPs of the account's organization (give them with --scp FILE)")
    if request.principal is None or ":assumed-role/" in request.principal:
        out.append("a session policy passed when the role was assumed")
    return tuple(out)


def _judge(policies: PolicySet, action: str, resources: tuple[str, ...]) -> Decision:
    """The least favourable decision over the resources the action touches."""
    decisions = [evaluate_request(Request(action, r), policies) for r in resources]
    rank = {Outcome.DENIED: 0, Outcome.NOT_ALLOWED: 1, Outcome.NOT_EVALUABLE: 2, Outcome.ALLOWED: 3}
    return min(decisions, key=lambda d: rank[d.outcome])


@dataclass(frozen=True)
class DecodedAuthorization:
    """The decoded JSON of ``aws sts decode-authorization-message``, and its answer.

    The fields follow the documented shape
    (https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html):
    ``allowed``, ``explicitDeny``, ``matchedStatements``, ``failures`` and ``context``
    (``action``, ``resource``, ``conditions``). ``decision`` is the same request judged by
    the policies given, with the context's condition keys (``None`` without policies)."""

    allowed: bool
    explicit_deny: bool
    action: str
    resource: str
    matched: tuple[tuple[str, str], ...]  # (statement id, effect)
    failures: tuple[str, ...]
    context: Mapping[str, tuple[str, ...]]
    decision: Decision | None = None

    @property
    def answer(self) -> str:
        """The decoded verdict in one sentence."""
        if self.allowed:
            return f"{self.action} on {self.resource} was allowed"
        denies = [sid for sid, effect in self.matched if effect.upper() == "DENY"]
        if self.explicit_deny:
            which = ", ".join(denies) or "a statement the message does not name"
            return f"explicit Deny in statement {which}: {self.action} on {self.resource}"
        return f"no statement allows {self.action} on {self.resource} (implicit deny)"

    def to_json(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "explicit_deny": self.explicit_deny,
            "action": self.action,
            "resource": self.resource,
            "answer": self.answer,
            "matched_statements": [{"id": sid, "effect": e} for sid, e in self.matched],
            "failures": list(self.failures),
            "conditions": {k: list(v) for k, v in self.context.items()},
            "decision": _decision_json(self.decision, self.decision),
        }


def _items(node: Any) -> list[Any]:
    """AWS's ``{"items": [...]}`` lists (or a bare list)."""
    if isinstance(node, Mapping):
        node = node.get("items", [])
    return list(node) if isinstance(node, list) else []


def read_decoded(path: Path) -> DecodedAuthorization:
    """Read a decoded authorization message (the ``DecodedMessage`` JSON, or the whole
    ``decode-authorization-message`` output around it)."""
    text = read_text(path, "--decoded")
    try:
        data = loads_json(text, "--decoded", path)
        if isinstance(data, Mapping) and isinstance(data.get("DecodedMessage"), str):
            data = loads_json(data["DecodedMessage"], "--decoded", path)
    except json.JSONDecodeError as exc:
        raise InputError(f"--decoded: {path} is not JSON: {exc}") from exc
    ctx = data.get("context") if isinstance(data, Mapping) else None
    if not isinstance(ctx, Mapping) or not isinstance(ctx.get("action"), str):
        raise InputError(
            f"--decoded: {path} has no context.action; pass the DecodedMessage of "
            "`aws sts decode-authorization-message`"
        )
    matched = tuple(
        (str(m.get("statementId", "")), str(m.get("effect", "")))
        for m in _items(data.get("matchedStatements"))
        if isinstance(m, Mapping)
    )
    conditions: dict[str, tuple[str, ...]] = {}
    for entry in _items(ctx.get("conditions")):
        if isinstance(entry, Mapping) and isinstance(entry.get("key"), str):
            values = _items(entry.get("values"))
            conditions[entry["key"]] = tuple(
                str(v.get("value")) if isinstance(v, Mapping) else str(v) for v in values
            )
    return DecodedAuthorization(
        allowed=bool(data.get("allowed")),
        explicit_deny=bool(data.get("explicitDeny")),
        action=ctx["action"],
        resource=str(ctx.get("resource", "*")),
        matched=matched,
        failures=tuple(str(f) for f in _items(data.get("failures"))),
        context=conditions,
    )


def explain_decoded(
    decoded: DecodedAuthorization,
    *,
    policies: Sequence[PolicyStatement] | Sequence[Policy] | None = None,
    boundary: Policy | None = None,
    scps: Sequence[Policy] = (),
) -> DecodedAuthorization:
    """The decoded answer, with the same request judged by the policies given (the
    message's condition keys as the request context; single values as strings)."""
    if policies is None:
        return decoded
    context = {k: (v[0] if len(v) == 1 else list(v)) for k, v in decoded.context.items()}
    request = Request(decoded.action, decoded.resource, context)
    decision = evaluate_request(request, PolicySet(_identity(policies), boundary, scps))
    return replace(decoded, decision=decision)
