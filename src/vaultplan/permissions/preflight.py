"""Preflight: evaluate every call of the deploy model against the deployer's policies.

The identity policies must allow a call; a permissions boundary and each service control
policy must allow it too, and an explicit Deny anywhere wins (IAM's evaluation logic,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
A call allowed only by statements whose conditions can't be decided offline is reported
as not evaluable, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from vaultplan.errors import InputError
from vaultplan.permissions.deploy import Call, DeployModel, ModelOptions, NotModeled, model
from vaultplan.permissions.evaluate import (
    Decision,
    Layer,
    Outcome,
    Policy,
    PolicyStatement,
    Request,
    evaluate_request,
)
from vaultplan.permissions.evaluate import PolicySet as RequestPolicies
from vaultplan.template import LoadedTemplate

#: What ``--operations`` names, and the model's operations each one runs.
OPERATION_GROUPS = {
    "create": ("create", "read"),
    "update": ("update", "read"),
    "delete": ("delete",),
}


@dataclass(frozen=True)
class PolicySet:
    """The policies a request is evaluated against (each a list of parsed statements)."""

    identity: Sequence[PolicyStatement]
    boundary: Sequence[PolicyStatement] | None = None
    scps: Sequence[tuple[str, Sequence[PolicyStatement]]] = ()


@dataclass(frozen=True)
class Verdict:
    call: Call
    allowed: bool
    reason: str
    evaluable: bool = True


def _requests(policies: PolicySet) -> RequestPolicies:
    """The evaluator's view of ``policies``: each file one :class:`Policy`."""

    def one(statements: Sequence[PolicyStatement], name: str) -> Policy:
        sources = {s.source.rsplit("#", 1)[0] for s in statements}  # "FILE#3": statement 3
        return Policy(sources.pop() if len(sources) == 1 else name, tuple(statements))

    return RequestPolicies(
        identity=[one(policies.identity, "the given policies")],
        boundary=None if policies.boundary is None else one(policies.boundary, "boundary"),
        scps=[Policy(name, tuple(statements)) for name, statements in policies.scps],
    )


def evaluate_call(call: Call, policies: PolicySet) -> Verdict:
    """One call against ``policies``, with the call's context keys
    (``iam:PassedToService``...), through :func:`vaultplan.permissions.evaluate_request`:
    identity policies, the boundary and each SCP (IAM's evaluation logic)."""
    request = Request(call.action, call.resource, context=dict(call.context))
    decision = evaluate_request(request, _requests(policies))
    if decision.outcome is Outcome.ALLOWED:
        return Verdict(call, True, "allowed")
    if decision.outcome is Outcome.NOT_EVALUABLE:
        keys = ", ".join(decision.condition_keys) or "its conditions"
        return Verdict(call, True, f"allowed if conditions on {keys} hold", evaluable=False)
    return Verdict(call, False, _reason(decision))


def _reason(decision: Decision) -> str:
    """A denial's reason, short: the call itself is printed beside it."""
    if decision.outcome is Outcome.NOT_ALLOWED:
        if decision.layer is Layer.IDENTITY:
            return "no statement allows"
        if decision.layer is Layer.BOUNDARY:
            return f"outside the permissions boundary {decision.source}"
        if decision.layer is Layer.SCP:
            return f"denied by SCP {decision.source}"
    return decision.reason


@dataclass(frozen=True)
class PreflightResult:
    verdicts: tuple[Verdict, ...]
    not_modeled: tuple[NotModeled, ...] = field(default=())

    @property
    def denied(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.allowed]

    @property
    def not_evaluable(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.evaluable]

    def summary(self) -> str:
        return (
            f"{len(self.verdicts)} calls evaluated, {len(self.denied)} denied, "
            f"{len(self.not_evaluable)} not evaluable"
        )


def parse_operations(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    bad = [n for n in names if n not in OPERATION_GROUPS]
    if bad or not names:
        raise InputError(
            f"--operations: got {text!r}; use a comma-separated list of create, update, delete"
        )
    return names


def check_model(
    deploy: DeployModel, policies: PolicySet, operations: Sequence[str] = tuple(OPERATION_GROUPS)
) -> PreflightResult:
    """Evaluate the model's calls of ``operations`` (see :data:`OPERATION_GROUPS`)."""
    wanted = {op for name in operations for op in OPERATION_GROUPS[name]}
    verdicts = tuple(
        evaluate_call(c, policies)
        for c in deploy.calls
        if c.operation in wanted or c.logical_id == "-"
    )
    return PreflightResult(verdicts, deploy.not_modeled)


def preflight(
    templates: LoadedTemplate | Sequence[LoadedTemplate],
    policies: PolicySet,
    options: ModelOptions | None = None,
    operations: Sequence[str] = tuple(OPERATION_GROUPS),
) -> PreflightResult:
    """Which calls of deploying ``templates`` the policies would deny."""
    return check_model(model(templates, options), policies, operations)


def _groups(result: PreflightResult) -> dict[tuple[str, str, str, str], list[Verdict]]:
    groups: dict[tuple[str, str, str, str], list[Verdict]] = {}
    for v in result.denied:
        c = v.call
        groups.setdefault((c.template, c.logical_id, c.resource_type, c.operation), []).append(v)
    return groups


def render_text(result: PreflightResult) -> str:
    """Denied calls grouped by resource and operation, then one summary line."""
    lines = []
    for (template, lid, rtype, op), verdicts in _groups(result).items():
        lines.append(f"{template}: {lid} ({rtype}) {op}:")
        lines.extend(f"  {v.call.action} on {v.call.resource}: {v.reason}" for v in verdicts)
    for item in result.not_modeled:
        lines.append(f"not modeled: {item.line()}")
    lines.append(result.summary())
    return "\n".join(lines) + "\n"


def _resource_dict(item: Call | NotModeled) -> dict[str, object]:
    """Which resource of which template a call or a not-modeled entry is about."""
    return {"template": item.template, "logical_id": item.logical_id, "type": item.resource_type}


def _call_dict(v: Verdict) -> dict[str, object]:
    c = v.call
    return {
        **_resource_dict(c),
        "operation": c.operation,
        "action": c.action,
        "resource": c.resource,
        "context": dict(c.context),
        "reason": v.reason,
    }


def render_json(result: PreflightResult) -> str:
    import json

    data = {
        "evaluated": len(result.verdicts),
        "denied": [_call_dict(v) for v in result.denied],
        "not_evaluable": [_call_dict(v) for v in result.not_evaluable],
        "not_modeled": [{**_resource_dict(n), "reason": n.reason} for n in result.not_modeled],
    }
    return json.dumps(data, indent=2, allow_nan=False) + "\n"


def render_sarif(result: PreflightResult) -> str:
    """SARIF 2.1.0: one result per denied call, located at its template."""
    import json

    from vaultplan import __version__

    results = [
        {
            "ruleId": "preflight/denied",
            "level": "error",
            "message": {
                "text": f"{v.call.logical_id} ({v.call.resource_type}) {v.call.operation}: "
                f"{v.call.action} on {v.call.resource}: {v.reason}"
            },
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": v.call.template}}}],
        }
        for v in result.denied
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vaultplan preflight",
                        "version": __version__,
                        "rules": [
                            {
                                "id": "preflight/denied",
                                "shortDescription": {
                                    "text": "A call the deploy makes that the policies deny"
                                },
                            }
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, allow_nan=False) + "\n"
