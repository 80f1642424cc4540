"""An offline IAM policy evaluator: one request against every policy type that applies.

:func:`evaluate_request` follows IAM's evaluation logic
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
simplified to what a deploy needs and documented here:

1. An explicit ``Deny`` that matches, in any policy given (identity, permissions
   boundary, SCP, resource policy), denies.
2. Each SCP given must allow (each file stands for one level of the organization: the
   root, an OU, the account), else "denied by SCP FILE".
3. A KMS key policy (``ResourcePolicy(kind="key")``) must allow, either to the caller
   directly or by delegating to IAM through the account root principal
   (``"Principal": {"AWS": "arn:aws:iam::ACCOUNT:root"}`` allowing the action,
   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html);
   else "key policy of LABEL does not allow". A direct allow needs no identity policy.
   Other resource policies (``kind="resource"``) only deny, or allow a caller they name
   as an identity policy would (same-account access).
4. The identity policies must allow, else "no statement allows".
5. The permissions boundary, when given, must allow, else "outside the permissions
   boundary FILE".

A definite denial at any step wins over a condition that can't be decided; otherwise a
step that hangs on such a condition makes the outcome ``not evaluable``, with the
condition keys named (:mod:`vaultplan.permissions.conditions` decides the keys the
caller gives in :attr:`Request.context`).

``Action``/``NotAction`` and ``Resource``/``NotResource`` match with IAM's wildcards (``*``
and ``?``): actions case-insensitively, resources case-sensitively. A ``*`` in the resource
asked about is literal, so a pattern is allowed only where a policy is at least as broad.

Policy inputs: a document, ``aws iam get-policy-version`` output, or ``aws organizations
describe-policy`` output (whose ``Content`` is a JSON string).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from vaultplan.errors import InputError
from vaultplan.permissions.conditions import (
    ContextValue,
    Unknown,
    Verdict,
    all_of,
    evaluate_condition,
)
from vaultplan.permissions.globs import glob_match
from vaultplan.template.nesting import loads_json
from vaultplan.template.text import read_text


class Outcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"  # an explicit Deny
    NOT_ALLOWED = "not allowed"  # an implicit deny: some required policy does not allow
    NOT_EVALUABLE = "not evaluable"  # hangs on conditions that can't be decided offline


class Layer(StrEnum):
    """The policy type that decided."""

    IDENTITY = "identity"
    BOUNDARY = "boundary"
    SCP = "scp"
    RESOURCE = "resource"


@dataclass(frozen=True)
class PolicyStatement:
    """One statement, normalised: lists everywhere, ``None`` where a key is absent.

    ``principals`` are ``(kind, value)`` pairs (``("AWS", "arn:...")``, ``("*", "*")``);
    they matter only in resource policies."""

    source: str
    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    condition: Mapping[str, Any] = field(default_factory=dict)
    policy: str = "policy"
    sid: str | None = None
    principals: tuple[tuple[str, str], ...] | None = None
    not_principals: tuple[tuple[str, str], ...] | None = None

    @property
    def has_condition(self) -> bool:
        return bool(self.condition)

    @property
    def where(self) -> str:
        """``statement Sid X of FILE`` (or ``statement N of FILE`` when it has no Sid)."""
        name = f"Sid {self.sid}" if self.sid else self.source.rpartition("#")[2]
        return f"statement {name} of {self.policy}"

    def matches(self, action: str, resource: str) -> bool:
        """Whether Action/NotAction and Resource/NotResource cover the request."""
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

    def applies(self, request: Request) -> Verdict:
        """Action, resource and conditions together (principals are not looked at)."""
        if not self.matches(request.action, request.resource):
            return False
        return evaluate_condition(self.condition, request.context) if self.condition else True


@dataclass(frozen=True)
class Policy:
    """One policy document, parsed; ``source`` names it in reasons (a file name)."""

    source: str
    statements: tuple[PolicyStatement, ...]


@dataclass(frozen=True)
class ResourcePolicy:
    """A resource's own policy, for requests on ``arn`` (IAM wildcards allowed).

    ``kind="key"`` is a KMS key policy: it must allow (see the module docstring).
    ``label`` names it in reasons (the key's logical id, say)."""

    arn: str
    policy: Policy
    label: str
    kind: Literal["key", "resource"] = "key"


@dataclass(frozen=True)
class PolicySet:
    """Every policy that applies to one principal's requests."""

    identity: tuple[Policy, ...] = ()
    boundary: Policy | None = None
    scps: tuple[Policy, ...] = ()
    resource_policies: tuple[ResourcePolicy, ...] = ()

    def __init__(
        self,
        identity: Iterable[Policy] = (),
        boundary: Policy | None = None,
        scps: Iterable[Policy] = (),
        resource_policies: Iterable[ResourcePolicy] = (),
    ) -> None:
        object.__setattr__(self, "identity", tuple(identity))
        object.__setattr__(self, "boundary", boundary)
        object.__setattr__(self, "scps", tuple(scps))
        object.__setattr__(self, "resource_policies", tuple(resource_policies))


@dataclass(frozen=True)
class Request:
    """One call: ``action`` on ``resource``, with the context keys known for it.

    ``context`` maps condition keys (``iam:PassedToService``, ``aws:RequestTag/Name``) to
    their values; ``None`` means known to be absent; a key left out is unknown, so a
    condition on it is not evaluable. ``principal`` is the caller's ARN, matched against
    the ``Principal`` of resource policies (unknown when ``None``)."""

    action: str
    resource: str = "*"
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    principal: str | None = None


@dataclass(frozen=True)
class Decision:
    """The outcome for one request, and why, as data.

    ``reason`` is one sentence; ``layer`` and ``source`` say which policy type and which
    file or label decided (``None`` when allowed); ``statements`` are the deciding
    statements; ``conditions_not_evaluated`` the statements, and ``condition_keys`` the
    keys, that a ``not evaluable`` outcome hangs on."""

    outcome: Outcome
    reason: str
    statements: tuple[str, ...] = ()
    conditions_not_evaluated: tuple[str, ...] = ()
    layer: Layer | None = None
    source: str | None = None
    condition_keys: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOWED


# -- parsing ------------------------------------------------------------------------------
def _strings(value: Any, where: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in items):
        raise InputError(f"{where}: got {value!r}; expected a string or a list of strings")
    return tuple(items)


def _principals(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    if value == "*":
        return (("*", "*"),)
    if not isinstance(value, Mapping):
        raise InputError(f'{where}: got {value!r}; expected "*" or an object')
    return tuple((str(kind), p) for kind, v in value.items() for p in _strings(v, where))


def _unwrap(doc: Any) -> Any:
    """Accept a bare document, or the shapes the AWS CLI prints around one."""
    if isinstance(doc, str):
        text = urllib.parse.unquote(doc) if doc.lstrip().startswith("%7B") else doc
        return _unwrap(json.loads(text))
    if isinstance(doc, Mapping):
        for key in ("PolicyVersion", "Policy"):
            if isinstance(doc.get(key), Mapping):
                return _unwrap(doc[key])
        for key in ("PolicyDocument", "Document", "Content"):
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
        sid = st.get("Sid")
        name = f"{source}#{sid or i}"
        effect = st.get("Effect")
        if effect not in ("Allow", "Deny"):
            raise InputError(f"{name}: Effect: got {effect!r}; use Allow or Deny")
        condition = st.get("Condition") or {}
        if not isinstance(condition, Mapping):
            raise InputError(f"{name}: Condition: got {condition!r}; expected an object")

        def opt(key: str, st: Mapping[str, Any] = st, name: str = name) -> tuple[str, ...] | None:
            return _strings(st[key], f"{name}: {key}") if key in st else None

        def who(
            key: str, st: Mapping[str, Any] = st, name: str = name
        ) -> tuple[tuple[str, str], ...] | None:
            return _principals(st[key], f"{name}: {key}") if key in st else None

        out.append(
            PolicyStatement(
                source=name,
                effect=str(effect),
                actions=opt("Action"),
                not_actions=opt("NotAction"),
                resources=opt("Resource"),
                not_resources=opt("NotResource"),
                condition=condition,
                policy=source,
                sid=str(sid) if sid else None,
                principals=who("Principal"),
                not_principals=who("NotPrincipal"),
            )
        )
    return out


def policy(doc: Any, source: str = "policy") -> Policy:
    """A :class:`Policy` from a document (or AWS CLI output around one)."""
    return Policy(source, tuple(parse_policy(doc, source)))


def load_policies(paths: Iterable[Path], option: str = "--policy") -> list[Policy]:
    """Read policy files, one :class:`Policy` per document (a file may hold a list).

    ``option`` names the command-line option in error messages."""
    out: list[Policy] = []
    for path in paths:
        text = read_text(path, option)
        try:
            data = loads_json(text, option, path)
        except json.JSONDecodeError as exc:
            raise InputError(f"{option}: {path} is not JSON: {exc}") from exc
        docs = data if isinstance(data, list) else [data]
        for i, doc in enumerate(docs):
            out.append(policy(doc, path.name if len(docs) == 1 else f"{path.name}[{i}]"))
    return out


def load_policy_files(paths: Iterable[Path], option: str = "--policy") -> list[PolicyStatement]:
    """Read policy files (a document, or ``aws iam get-policy-version`` output); ``option``
    names the command-line option in error messages."""
    return [s for p in load_policies(paths, option) for s in p.statements]


PolicyInput = Mapping[str, Any] | Sequence[Mapping[str, Any]] | Sequence[PolicyStatement]


def _as_policies(policies: PolicyInput) -> list[Policy]:
    if isinstance(policies, Mapping):
        return [policy(policies)]
    out: list[Policy] = []
    loose: list[PolicyStatement] = []
    for i, item in enumerate(policies):
        if isinstance(item, PolicyStatement):
            loose.append(item)
        else:
            out.append(policy(item, f"policy[{i}]"))
    if loose:
        out.append(Policy("policy", tuple(loose)))
    return out


# -- evaluation ---------------------------------------------------------------------------
_ROOT = re.compile(r"^(?:arn:[^:]+:iam::(?P<account>[^:]+):root|(?P<bare>\d{12}))$")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
_ASSUMED = re.compile(r"^arn:(?P<p>[^:]+):sts::(?P<a>[^:]+):assumed-role/(?P<role>[^/]+)/[^/]+$")


def _root_account(principal: tuple[str, str]) -> str | None:
    kind, value = principal
    # A template's placeholders (``${AWS::AccountId}``) hold colons of their own.
    m = _ROOT.match(_PLACEHOLDER.sub("${}", value)) if kind == "AWS" else None
    return (m.group("account") or m.group("bare")) if m else None


def _account_of(arn: str | None) -> str | None:
    parts = arn.split(":", 5) if arn else []
    return parts[4] if len(parts) == 6 and parts[4] not in ("", "*") else None


def _same_account(account: str, request: Request) -> bool:
    """Whether a root principal's account is the caller's (placeholders count as yes)."""
    if "${" in account or "*" in account:
        return True
    theirs = _account_of(request.principal) or _account_of(request.resource)
    return theirs is None or theirs == account


def _names_caller(principals: tuple[tuple[str, str], ...], request: Request) -> Verdict:
    """Whether a Principal list names the caller: ``*``, the account root (for a Deny,
    every principal of the account), or the caller's ARN (a role session counts as its
    role). Service and federated principals never name a deploying IAM principal."""
    verdicts: list[Verdict] = []
    for kind, value in principals:
        if kind == "*" or (kind == "AWS" and value == "*"):
            return True
        if kind != "AWS":
            continue
        account = _root_account((kind, value))
        if account is not None:
            if _same_account(account, request):
                return True
            continue
        if request.principal is None:
            verdicts.append(Unknown(frozenset({"aws:PrincipalArn"})))
            continue
        mine = {request.principal}
        m = _ASSUMED.match(request.principal)
        if m:
            mine.add(f"arn:{m['p']}:iam::{m['a']}:role/{m['role']}")
        if value in mine:
            return True
    unknown = [v for v in verdicts if isinstance(v, Unknown)]
    return Unknown(frozenset().union(*(u.keys for u in unknown))) if unknown else False


def _principal_verdict(st: PolicyStatement, request: Request) -> Verdict:
    if st.principals is not None:
        return _names_caller(st.principals, request)
    if st.not_principals is not None:
        named = _names_caller(st.not_principals, request)
        return named if isinstance(named, Unknown) else not named
    return True


@dataclass
class _Matches:
    """The statements of one policy that match a request, sorted by effect and certainty."""

    allow: list[PolicyStatement] = field(default_factory=list)
    allow_maybe: list[tuple[PolicyStatement, Unknown]] = field(default_factory=list)
    deny: list[PolicyStatement] = field(default_factory=list)
    deny_maybe: list[tuple[PolicyStatement, Unknown]] = field(default_factory=list)


def _match(
    statements: Iterable[PolicyStatement], request: Request, *, principals: bool = False
) -> _Matches:
    out = _Matches()
    for st in statements:
        verdict = st.applies(request)
        if principals and verdict is not False:
            verdict = all_of([verdict, _principal_verdict(st, request)])
        if verdict is False:
            continue
        deny = st.effect == "Deny"
        if isinstance(verdict, Unknown):
            (out.deny_maybe if deny else out.allow_maybe).append((st, verdict))
        else:
            (out.deny if deny else out.allow).append(st)
    return out


@dataclass(frozen=True)
class _Step:
    """One requirement's verdict: met, failed with a decision, or pending on conditions."""

    failed: Decision | None = None
    pending: tuple[tuple[PolicyStatement, Unknown], ...] = ()


def _requires_allow(m: _Matches, failure: Decision) -> _Step:
    if m.allow:
        return _Step()
    if m.allow_maybe:
        return _Step(pending=tuple(m.allow_maybe))
    return _Step(failed=failure)


def _key_policy_step(rp: ResourcePolicy, request: Request) -> tuple[_Step, _Matches]:
    """A KMS key policy: ``(step, the statements that allow the caller directly)``. A
    statement allowing the account root delegates to IAM, so the identity policies then
    decide."""
    direct = _Matches()
    delegation: list[Verdict] = []
    for st in rp.policy.statements:
        verdict = st.applies(request) if st.effect == "Allow" else False
        if verdict is False:
            continue
        accounts = [a for a in map(_root_account, st.principals or ()) if a is not None]
        if any(_same_account(a, request) for a in accounts):
            delegation.append(verdict)
            if isinstance(verdict, Unknown):
                direct.allow_maybe.append((st, verdict))
            continue
        verdict = all_of([verdict, _principal_verdict(st, request)])
        if verdict is True:
            direct.allow.append(st)
        elif isinstance(verdict, Unknown):
            direct.allow_maybe.append((st, verdict))
    if direct.allow:
        return _Step(), direct
    if True in delegation:
        return _Step(), direct
    failure = Decision(
        Outcome.NOT_ALLOWED,
        f"key policy of {rp.label} does not allow {request.action} (no statement allows the "
        "caller, and none delegates it to IAM through the account root)",
        layer=Layer.RESOURCE,
        source=rp.label,
    )
    return _requires_allow(direct, failure), direct


def _applicable(policies: PolicySet, request: Request) -> list[ResourcePolicy]:
    return [rp for rp in policies.resource_policies if glob_match(rp.arn, request.resource)]


def evaluate_request(request: Request, policies: PolicySet) -> Decision:
    """Decide ``request`` against ``policies`` (the steps are in the module docstring).

    Example::

        evaluate_request(
            Request("kms:CreateGrant", key_arn, context={"kms:GrantIsForAWSResource": True}),
            PolicySet(identity=[policy(doc, "deploy.json")], boundary=policy(b, "b.json"),
                      scps=[policy(s, "scp.json")],
                      resource_policies=[ResourcePolicy(key_arn, policy(kp, "Key"), "Key")]),
        )

    returns a :class:`Decision` whose ``reason`` is one of "explicit Deny in statement Sid
    X of FILE", "denied by SCP FILE: ...", "key policy of LABEL does not allow ...", "no
    statement allows ...", "outside the permissions boundary FILE: ...", or "allowed by
    ..."; ``not evaluable`` names the condition keys it hangs on.
    """
    resource_policies = _applicable(policies, request)
    layered: list[tuple[Layer, _Matches]] = [
        (Layer.IDENTITY, _match((s for p in policies.identity for s in p.statements), request))
    ]
    if policies.boundary is not None:
        layered.append((Layer.BOUNDARY, _match(policies.boundary.statements, request)))
    scp_matches = [(p, _match(p.statements, request)) for p in policies.scps]
    layered += [(Layer.SCP, m) for _, m in scp_matches]
    resource_matches = [
        (rp, _match(rp.policy.statements, request, principals=True)) for rp in resource_policies
    ]
    layered += [(Layer.RESOURCE, m) for _, m in resource_matches]

    # 1. An explicit Deny anywhere.
    for layer, m in layered:
        if m.deny:
            st = m.deny[0]
            what = {Layer.SCP: " (SCP)", Layer.BOUNDARY: " (permissions boundary)"}.get(layer, "")
            return Decision(
                Outcome.DENIED,
                f"explicit Deny in {st.where}{what}",
                tuple(s.source for s in m.deny),
                layer=layer,
                source=st.policy,
            )
    pending = [p for _, m in layered for p in m.deny_maybe]

    identity = layered[0][1]
    # The resource and key policy statements that allow the caller itself: with one, the
    # identity policies need not (IAM user guide, "Policy evaluation logic",
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    direct = [m for rp, m in resource_matches if rp.kind == "resource"]
    steps: list[_Step] = []
    # 2. Each SCP must allow.
    for scp, m in scp_matches:
        steps.append(
            _requires_allow(
                m,
                Decision(
                    Outcome.NOT_ALLOWED,
                    f"denied by SCP {scp.source}: no statement allows {request.action} "
                    f"on {request.resource}",
                    layer=Layer.SCP,
                    source=scp.source,
                ),
            )
        )
    # 3. A key policy must allow (directly, or through IAM).
    for rp in resource_policies:
        if rp.kind == "key":
            step, allows_caller = _key_policy_step(rp, request)
            steps.append(step)
            direct.append(allows_caller)
    # 4. The identity policies must allow (a resource policy naming the caller also does).
    if not any(m.allow for m in direct):
        identity_step = _requires_allow(
            identity,
            Decision(
                Outcome.NOT_ALLOWED,
                f"no statement allows {request.action} on {request.resource} (implicit deny)",
                layer=Layer.IDENTITY,
            ),
        )
        maybe_direct = tuple(p for m in direct for p in m.allow_maybe)
        if identity_step.failed is not None and maybe_direct:
            # A resource policy may still allow the caller, on conditions not decided here.
            identity_step = _Step(pending=maybe_direct)
        steps.append(identity_step)
    # 5. The permissions boundary must allow.
    if policies.boundary is not None:
        steps.append(
            _requires_allow(
                layered[1][1],
                Decision(
                    Outcome.NOT_ALLOWED,
                    f"outside the permissions boundary {policies.boundary.source}: no "
                    f"statement allows {request.action} on {request.resource}",
                    layer=Layer.BOUNDARY,
                    source=policies.boundary.source,
                ),
            )
        )
    for step in steps:
        if step.failed is not None:
            return step.failed
    pending += [p for step in steps for p in step.pending]
    if pending:
        keys = sorted(frozenset().union(*(u.keys for _, u in pending)))
        sources = tuple(dict.fromkeys(st.source for st, _ in pending))
        return Decision(
            Outcome.NOT_EVALUABLE,
            f"depends on conditions that can't be decided offline: {', '.join(keys)} "
            f"(in {', '.join(sources)}); pass the context keys to decide",
            conditions_not_evaluated=sources,
            condition_keys=tuple(keys),
        )
    deciding = identity.allow or [s for _, m in resource_matches for s in m.allow]
    return Decision(
        Outcome.ALLOWED,
        f"allowed by {', '.join(s.source for s in deciding)}" if deciding else "allowed",
        tuple(s.source for s in deciding),
    )


def evaluate(policies: PolicyInput, action: str, resource: str = "*") -> Decision:
    """Decide whether identity ``policies`` allow ``action`` on ``resource``, with no
    context keys (so any condition is not evaluable); see :func:`evaluate_request`.

    ``policies`` is one document, a list of documents, or parsed statements."""
    return evaluate_request(Request(action, resource), PolicySet(identity=_as_policies(policies)))
