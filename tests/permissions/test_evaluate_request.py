"""evaluate_request(): boundary, SCPs, key policies and conditions, then hypothesis
properties checked against a slow reference evaluator written below."""

from __future__ import annotations

import fnmatch
import itertools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_docs import allow, deny, doc
from vaultplan.permissions.conditions import ContextValue
from vaultplan.permissions.evaluate import (
    Layer,
    Outcome,
    PolicySet,
    Request,
    ResourcePolicy,
    evaluate_request,
    load_policies,
    policy,
)

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/Deploy"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/Deploy/s"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/abc"
PASS = Request("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/X")


ALL = policy(doc(allow("*")), "admin.json")
ROOT_DELEGATION = {
    "Sid": "EnableIam",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "kms:*",
    "Resource": "*",
}


def to_role(action: str) -> dict[str, Any]:
    """A key policy statement that allows ROLE directly."""
    return {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": action, "Resource": "*"}


def key(*statements: dict[str, Any]) -> ResourcePolicy:
    return ResourcePolicy(KEY, policy(doc(*statements), "Key"), "Key")


@pytest.mark.parametrize(
    ("policies", "request_", "outcome", "reason"),
    [
        pytest.param(
            PolicySet([ALL], boundary=policy(doc(allow("s3:*")), "boundary.json")),
            PASS,
            Outcome.NOT_ALLOWED,
            "outside the permissions boundary boundary.json: no statement allows iam:PassRole",
            id="boundary-intersects",
        ),
        pytest.param(
            PolicySet([policy(doc(allow("s3:*")), "p.json")], boundary=ALL),
            PASS,
            Outcome.NOT_ALLOWED,
            "no statement allows iam:PassRole on arn:aws:iam::123456789012:role/X",
            id="boundary-grants-nothing",
        ),
        pytest.param(
            PolicySet(
                [ALL],
                scps=[policy(doc(allow("*")), "root.json"), policy(doc(allow("s3:*")), "ou.json")],
            ),
            PASS,
            Outcome.NOT_ALLOWED,
            "denied by SCP ou.json: no statement allows iam:PassRole",
            id="every-scp-must-allow",
        ),
        pytest.param(
            PolicySet(
                [ALL],
                scps=[
                    policy(doc(allow("*"), deny("iam:Pass*", Sid="NoPass")), "guard.json"),
                ],
            ),
            PASS,
            Outcome.DENIED,
            "explicit Deny in statement Sid NoPass of guard.json (SCP)",
            id="deny-in-scp",
        ),
        pytest.param(
            PolicySet([ALL], scps=[policy(doc(allow("*")), "scp.json")]),
            PASS,
            Outcome.ALLOWED,
            "allowed by admin.json#0",
            id="all-layers-allow",
        ),
        pytest.param(
            PolicySet(
                [policy(doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}), "n.json")]
            ),
            PASS,
            Outcome.NOT_ALLOWED,
            "no statement allows iam:PassRole",
            id="notaction",
        ),
        pytest.param(
            PolicySet(
                [
                    ALL,
                    policy(
                        doc(
                            {
                                "Effect": "Deny",
                                "Action": "iam:*",
                                "NotResource": f"arn:aws:iam::{ACCOUNT}:role/app-*",
                            }
                        ),
                        "fence.json",
                    ),
                ]
            ),
            PASS,
            Outcome.DENIED,
            "explicit Deny in statement 0 of fence.json",
            id="notresource-deny",
        ),
        pytest.param(
            PolicySet([ALL], resource_policies=[key(ROOT_DELEGATION)]),
            Request("kms:CreateGrant", KEY),
            Outcome.ALLOWED,
            "allowed by admin.json#0",
            id="key-policy-delegates-to-iam",
        ),
        pytest.param(
            PolicySet(
                [ALL],
                resource_policies=[
                    key({**ROOT_DELEGATION, "Action": ["kms:Describe*", "kms:Decrypt"]})
                ],
            ),
            Request("kms:CreateGrant", KEY),
            Outcome.NOT_ALLOWED,
            "key policy of Key does not allow kms:CreateGrant",
            id="key-policy-delegates-other-actions-only",
        ),
        pytest.param(
            PolicySet(
                [],
                resource_policies=[key(to_role("kms:CreateGrant"))],
            ),
            Request("kms:CreateGrant", KEY, principal=SESSION),
            Outcome.ALLOWED,
            "allowed by Key#0",
            id="key-policy-allows-the-role-directly",
        ),
        pytest.param(
            PolicySet(
                [ALL],
                resource_policies=[key(to_role("kms:*"))],
            ),
            Request("kms:CreateGrant", KEY),
            Outcome.NOT_EVALUABLE,
            "aws:PrincipalArn",
            id="key-policy-principal-unknown",
        ),
        pytest.param(
            PolicySet(
                [policy(doc(allow("kms:*")), "p.json")],
                resource_policies=[
                    key(ROOT_DELEGATION, {**ROOT_DELEGATION, "Effect": "Deny", "Sid": "NoGrant"})
                ],
            ),
            Request("kms:CreateGrant", KEY),
            Outcome.DENIED,
            "explicit Deny in statement Sid NoGrant of Key",
            id="key-policy-deny",
        ),
    ],
)
def test_named_cases(policies: PolicySet, request_: Request, outcome: Outcome, reason: str) -> None:
    decision = evaluate_request(request_, policies)
    assert decision.outcome is outcome, decision
    assert reason in decision.reason


def test_the_decision_names_the_layer_and_file() -> None:
    decision = evaluate_request(
        PASS, PolicySet([ALL], scps=[policy(doc(allow("s3:*")), "ou.json")])
    )
    assert (decision.layer, decision.source) == (Layer.SCP, "ou.json")


PASSED_TO = {"StringEquals": {"iam:PassedToService": "backup.amazonaws.com"}}


@pytest.mark.parametrize(
    ("condition", "context", "outcome"),
    [
        (PASSED_TO, {"iam:PassedToService": "backup.amazonaws.com"}, Outcome.ALLOWED),
        (PASSED_TO, {"IAM:passedtoservice": "backup.amazonaws.com"}, Outcome.ALLOWED),
        (PASSED_TO, {"iam:PassedToService": "lambda.amazonaws.com"}, Outcome.NOT_ALLOWED),
        (PASSED_TO, {}, Outcome.NOT_EVALUABLE),
        (PASSED_TO, {"iam:PassedToService": None}, Outcome.NOT_ALLOWED),
        (
            {"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
            {"iam:PassedToService": None},
            Outcome.ALLOWED,
        ),
        (
            {"StringEqualsIfExists": {"iam:PassedToService": "ec2.amazonaws.com"}},
            {"iam:PassedToService": None},
            Outcome.ALLOWED,
        ),
        (
            {"StringLike": {"aws:RequestTag/env": ["prod-*", "stage"]}},
            {"aws:RequestTag/env": "prod-eu"},
            Outcome.ALLOWED,
        ),
        (
            {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner"]}},
            {"aws:TagKeys": ["env"]},
            Outcome.ALLOWED,
        ),
        (
            {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner"]}},
            {"aws:TagKeys": ["env", "cost"]},
            Outcome.NOT_ALLOWED,
        ),
        (
            {"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}},
            {"aws:TagKeys": None},
            Outcome.NOT_ALLOWED,
        ),
        (
            {"StringEquals": {"aws:TagKeys": "env"}},
            {"aws:TagKeys": ["env"]},
            Outcome.NOT_EVALUABLE,
        ),
        ({"Null": {"aws:RequestTag/env": "false"}}, {"aws:RequestTag/env": "x"}, Outcome.ALLOWED),
        (
            {"Null": {"aws:RequestTag/env": "false"}},
            {"aws:RequestTag/env": None},
            Outcome.NOT_ALLOWED,
        ),
        ({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": True}, Outcome.ALLOWED),
        (
            {"ArnLike": {"aws:SourceArn": "arn:aws:backup:*:123456789012:*"}},
            {"aws:SourceArn": "arn:aws:backup:eu-west-1:123456789012:backup-vault:v"},
            Outcome.ALLOWED,
        ),
        (
            {"ArnLike": {"aws:SourceArn": "arn:aws:backup:*"}},
            {"aws:SourceArn": "arn:aws:backup:eu-west-1:123456789012:backup-vault:v"},
            Outcome.NOT_ALLOWED,  # each of the six parts is matched separately
        ),
        (
            {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
            {"aws:MultiFactorAuthAge": "10"},
            Outcome.NOT_EVALUABLE,
        ),
        (
            {"StringEquals": {"aws:PrincipalTag/team": "${aws:username}"}},
            {"aws:PrincipalTag/team": "x"},
            Outcome.NOT_EVALUABLE,
        ),
    ],
)
def test_conditions(
    condition: dict[str, Any], context: dict[str, ContextValue], outcome: Outcome
) -> None:
    policies = PolicySet([policy(doc(allow("iam:PassRole", Condition=condition)), "p.json")])
    decision = evaluate_request(Request(PASS.action, PASS.resource, context), policies)
    assert decision.outcome is outcome, decision
    if outcome is Outcome.NOT_EVALUABLE:
        assert decision.condition_keys
        assert all(k in decision.reason for k in decision.condition_keys)


def test_a_definite_denial_wins_over_an_undecidable_condition() -> None:
    maybe = policy(doc(allow("iam:PassRole", Condition=PASSED_TO)), "p.json")
    decision = evaluate_request(PASS, PolicySet([maybe], scps=[policy(doc(allow("s3:*")), "s")]))
    assert decision.outcome is Outcome.NOT_ALLOWED
    assert decision.layer is Layer.SCP


def test_organizations_describe_policy_output_is_read(tmp_path: Path) -> None:
    content = json.dumps(doc(allow("*"), deny("iam:*", Sid="NoIam")))
    path = tmp_path / "scp.json"
    path.write_text(json.dumps({"Policy": {"PolicySummary": {"Name": "x"}, "Content": content}}))
    (scp,) = load_policies([path], "--scp")
    decision = evaluate_request(PASS, PolicySet([ALL], scps=[scp]))
    assert decision.reason == "explicit Deny in statement Sid NoIam of scp.json (SCP)"


# -- the reference evaluator -------------------------------------------------------------
# A direct, deliberately naive transcription of
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
# and the condition operator pages, for complete contexts only.


def ref_glob(pattern: str, text: str, ignore_case: bool = False) -> bool:
    if ignore_case:
        pattern, text = pattern.lower(), text.lower()
    return fnmatch.fnmatchcase(text, pattern)  # the alphabet below has no [ or ]


def ref_condition(block: Mapping[str, Any], ctx: Mapping[str, Any]) -> bool:
    for op, entries in block.items():
        for k, values in entries.items():
            values = values if isinstance(values, list) else [values]
            qualifier = op.split(":")[0] if ":" in op else ""
            base = op.split(":")[-1]
            if_exists = base.endswith("IfExists")
            base = base.replace("IfExists", "")
            v = ctx[k]
            if base == "Null":
                ok = ("true" if v is None else "false") in values
            elif v is None:
                if if_exists or qualifier == "ForAllValues":
                    ok = True
                elif qualifier == "ForAnyValue":
                    ok = False
                else:
                    ok = "Not" in base
            else:
                negated = "Not" in base
                base = base.replace("Not", "")

                def one(val: str, base: str = base, values: list[Any] = values) -> bool:
                    if base == "StringEquals":
                        return val in values
                    if base == "StringLike":
                        return any(ref_glob(p, val) for p in values)
                    return val.lower() in [str(p).lower() for p in values]  # Bool

                items = v if isinstance(v, list) else [v]
                tests = [
                    one(str(i).lower() if isinstance(i, bool) else i) != negated for i in items
                ]
                ok = all(tests) if qualifier == "ForAllValues" else any(tests)
            if not ok:
                return False
    return True


def ref_applies(s: Mapping[str, Any], action: str, resource: str, ctx: Mapping[str, Any]) -> bool:
    def listed(key: str) -> list[str]:
        v = s[key]
        return v if isinstance(v, list) else [v]

    if "Action" in s:
        a_ok = any(ref_glob(p, action, True) for p in listed("Action"))
    else:
        a_ok = not any(ref_glob(p, action, True) for p in listed("NotAction"))
    if "Resource" in s:
        r_ok = any(ref_glob(p, resource) for p in listed("Resource"))
    else:
        r_ok = not any(ref_glob(p, resource) for p in listed("NotResource"))
    return a_ok and r_ok and ref_condition(s.get("Condition", {}), ctx)


def ref_names_caller(s: Mapping[str, Any]) -> bool:
    """The caller is the session SESSION of the role ROLE, in ACCOUNT."""
    p = s["Principal"]
    return p == "*" or p["AWS"] in ("*", SESSION, ROLE, f"arn:aws:iam::{ACCOUNT}:root")


def ref_evaluate(
    action: str,
    resource: str,
    ctx: Mapping[str, Any],
    identity: Sequence[Mapping[str, Any]],
    boundary: Mapping[str, Any] | None,
    scps: Sequence[Mapping[str, Any]],
    key_policy: Mapping[str, Any] | None,
) -> str:
    def allows(d: Mapping[str, Any]) -> bool:
        return any(
            s["Effect"] == "Allow" and ref_applies(s, action, resource, ctx) for s in d["Statement"]
        )

    every = [*identity, *scps] + ([boundary] if boundary else [])
    for d in every:
        for s in d["Statement"]:
            if s["Effect"] == "Deny" and ref_applies(s, action, resource, ctx):
                return "denied"
    direct = False
    if key_policy is not None:
        ks = key_policy["Statement"]
        for s in ks:
            deny = s["Effect"] == "Deny" and ref_applies(s, action, resource, ctx)
            if deny and ref_names_caller(s):
                return "denied"
        live = [s for s in ks if s["Effect"] == "Allow" and ref_applies(s, action, resource, ctx)]
        root = f"arn:aws:iam::{ACCOUNT}:root"
        delegated = any(s["Principal"] != "*" and s["Principal"]["AWS"] == root for s in live)
        direct = any(
            ref_names_caller(s) and not (s["Principal"] != "*" and s["Principal"]["AWS"] == root)
            for s in live
        )
        if not direct and not delegated:
            return "not allowed"
    for scp in scps:
        if not allows(scp):
            return "not allowed"
    if not direct and not any(allows(d) for d in identity):
        return "not allowed"
    if boundary is not None and not allows(boundary):
        return "not allowed"
    return "allowed"


# -- generators ---------------------------------------------------------------------------
ACTIONS = ["iam:PassRole", "iam:GetRole", "kms:CreateGrant", "kms:Decrypt", "s3:GetObject"]
RESOURCES = [
    f"arn:aws:iam::{ACCOUNT}:role/app-x",
    f"arn:aws:iam::{ACCOUNT}:role/other",
    KEY,
    "arn:aws:s3:::bucket/a?b",
]
KEYS: dict[str, list[Any]] = {
    "iam:PassedToService": ["backup.amazonaws.com", "lambda.amazonaws.com"],
    "aws:RequestTag/env": ["prod", "prod-eu", "dev"],
    "aws:SecureTransport": [True, False],
    "aws:TagKeys": [["env"], ["env", "owner"], ["cost"], []],
}
TAG_VALUES = ["env", "owner", "cost"]


def masked(text: str) -> st.SearchStrategy[str]:
    """``text`` with a run of characters turned into ``*``, or one into ``?``."""

    def cut(i: int, j: int, wildcard: str) -> str:
        i, j = sorted((i, j))
        if wildcard == "?":
            return text[:i] + "?" + text[i + 1 :] if i < len(text) else text
        return text[:i] + wildcard + text[j:]

    n = len(text)
    return st.builds(cut, st.integers(0, n), st.integers(0, n), st.sampled_from(["", "*", "?"]))


action_patterns = st.one_of(
    st.sampled_from(["*", "iam:*", "kms:*", "*:Get*"]), *(masked(a) for a in ACTIONS)
)
resource_patterns = st.one_of(st.just("*"), *(masked(r) for r in RESOURCES))
TRUE_FALSE = st.sampled_from(["true", "false"])


def condition_on(key: str, operators: list[str], values: st.SearchStrategy[Any]) -> Any:
    return st.one_of(
        st.builds(lambda op, v: {op: {key: v}}, st.sampled_from(operators), values),
        st.builds(lambda v: {"Null": {key: v}}, TRUE_FALSE),
    )


SET_OPERATORS = [
    "ForAnyValue:StringEquals",
    "ForAllValues:StringEquals",
    "ForAllValues:StringNotEquals",
    "ForAnyValue:StringLike",
]
STRING_OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIfExists",
    "StringNotEqualsIfExists",
]
conditions = st.one_of(
    condition_on(
        "aws:TagKeys",
        SET_OPERATORS,
        st.lists(st.sampled_from([*TAG_VALUES, "e*"]), min_size=1, max_size=2),
    ),
    condition_on("aws:SecureTransport", ["Bool", "BoolIfExists"], TRUE_FALSE),
    *(
        condition_on(
            key,
            STRING_OPERATORS,
            st.lists(
                st.sampled_from([*KEYS[key], "prod*", "*.amazonaws.com"]), min_size=1, max_size=2
            ),
        )
        for key in ("iam:PassedToService", "aws:RequestTag/env")
    ),
)
OTHER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/Other"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
PRINCIPALS = st.sampled_from(["*", {"AWS": "*"}, {"AWS": ROOT}, {"AWS": ROLE}, {"AWS": OTHER_ROLE}])


def statements(principal: bool) -> st.SearchStrategy[dict[str, Any]]:
    def build(
        effect: str, not_action: bool, acts: Any, not_res: bool, res: Any, cond: Any, who: Any
    ) -> dict[str, Any]:
        s: dict[str, Any] = {"Effect": effect}
        s["NotAction" if not_action and not principal else "Action"] = acts
        s["NotResource" if not_res else "Resource"] = res
        if cond is not None:
            s["Condition"] = cond
        if principal:
            s["Principal"] = who
        return s

    return st.builds(
        build,
        st.sampled_from(["Allow", "Allow", "Deny"]),
        st.booleans(),
        st.lists(action_patterns, min_size=1, max_size=2),
        st.sampled_from([False, False, False, True]),
        st.lists(resource_patterns, min_size=1, max_size=2),
        st.one_of(st.none(), st.none(), conditions),
        PRINCIPALS,
    )


def documents(principal: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    return st.lists(statements(principal), max_size=3).map(lambda sts: doc(*sts))


identity_docs = documents()
key_docs = documents(principal=True)
contexts = st.fixed_dictionaries({k: st.sampled_from([None, *v]) for k, v in KEYS.items()})
cases = st.fixed_dictionaries(
    {
        "action": st.sampled_from(ACTIONS),
        "resource": st.sampled_from(RESOURCES),
        "ctx": contexts,
        "identity": st.lists(identity_docs, min_size=1, max_size=2),
        "boundary": st.one_of(st.none(), identity_docs),
        "scps": st.lists(identity_docs, max_size=2),
        "key_policy": st.one_of(st.none(), key_docs),
    }
)


def implementation(case: Mapping[str, Any], ctx: Mapping[str, ContextValue]) -> Outcome:
    policies = PolicySet(
        [policy(d, f"id{i}") for i, d in enumerate(case["identity"])],
        boundary=policy(case["boundary"], "boundary") if case["boundary"] else None,
        scps=[policy(d, f"scp{i}") for i, d in enumerate(case["scps"])],
        resource_policies=(
            [ResourcePolicy("*", policy(case["key_policy"], "Key"), "Key")]
            if case["key_policy"]
            else []
        ),
    )
    request = Request(case["action"], case["resource"], ctx, principal=SESSION)
    return evaluate_request(request, policies).outcome


def reference(case: Mapping[str, Any], ctx: Mapping[str, Any]) -> str:
    return ref_evaluate(
        case["action"],
        case["resource"],
        ctx,
        case["identity"],
        case["boundary"],
        case["scps"],
        case["key_policy"],
    )


@settings(max_examples=300, deadline=None)
@given(case=cases)
def test_with_every_context_key_given_the_evaluator_agrees_with_the_reference(
    case: dict[str, Any],
) -> None:
    assert implementation(case, case["ctx"]).value == reference(case, case["ctx"])


@settings(max_examples=120, deadline=None)
@given(case=cases, hidden=st.sets(st.sampled_from(sorted(KEYS)), min_size=1))
def test_with_keys_left_out_a_decision_holds_for_every_value_they_could_take(
    case: dict[str, Any], hidden: set[str]
) -> None:
    given_ctx = {k: v for k, v in case["ctx"].items() if k not in hidden}
    outcome = implementation(case, given_ctx)
    worlds = [
        {**given_ctx, **dict(zip(sorted(hidden), values, strict=True))}
        for values in itertools.product(*([None, *KEYS[k]] for k in sorted(hidden)))
    ]
    answers = {reference(case, w) for w in worlds}
    if outcome is Outcome.ALLOWED:
        assert answers == {"allowed"}
    elif outcome is Outcome.DENIED:
        assert answers == {"denied"}
    elif outcome is Outcome.NOT_ALLOWED:
        assert "allowed" not in answers


def test_a_key_policy_that_may_allow_the_caller_itself_leaves_the_decision_open() -> None:
    # Found by the property above: no identity statement, and a key policy that allows
    # anyone while aws:TagKeys is absent. Without that key the call may be allowed (the key
    # policy alone suffices), so "not allowed" would be wrong: it is not evaluable.
    case: dict[str, Any] = {
        "action": "iam:PassRole",
        "resource": "arn:aws:iam::123456789012:role/app-x",
        "ctx": {},
        "identity": [doc()],
        "boundary": None,
        "scps": [],
        "key_policy": doc(
            {
                "Effect": "Allow",
                "Action": ["*"],
                "Resource": ["*"],
                "Condition": {"Null": {"aws:TagKeys": "true"}},
                "Principal": "*",
            }
        ),
    }
    assert implementation(case, {}) is Outcome.NOT_EVALUABLE
    assert reference(case, {"aws:TagKeys": None}) == "allowed"
    assert reference(case, {"aws:TagKeys": KEYS["aws:TagKeys"][0]}) != "allowed"
