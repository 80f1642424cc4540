"""Splitting into managed policies keeps every grant and respects the size limit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultplan.permissions.document import Grant, build_statements, policy_size, split_documents

services = st.sampled_from(["backup", "kms", "iam", "s3", "elasticfilesystem"])
names = st.text(alphabet="ABCDEFGHIJKLMNOPabcdefgh", min_size=3, max_size=30)
grants = st.builds(
    lambda svc, name, res: Grant(f"{svc}:{name}", res, label="x" if res != "*" else ""),
    services,
    names,
    st.one_of(st.just("*"), names.map(lambda n: f"arn:aws:s3:::{n}")),
)


def _pairs(doc: dict[str, object]) -> set[tuple[str, str]]:
    out = set()
    for s in doc["Statement"]:  # type: ignore[attr-defined]
        acts = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        res = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        out |= {(a, r) for a in acts for r in res}
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(grants, min_size=1, max_size=120), st.integers(600, 6144))
def test_split_keeps_every_pair_under_the_limit(items: list[Grant], limit: int) -> None:
    statements = build_statements(items)
    docs = split_documents(statements, limit)
    assert all(policy_size(d) <= limit for d in docs)
    whole: set[tuple[str, str]] = set()
    for d in docs:
        whole |= _pairs(d)
    expected = {(g.action, g.resource) for g in items}
    # actions granted on "*" keep only "*"
    starred = {g.action for g in items if g.resource == "*"}
    expected = {(a, r) for a, r in expected if a not in starred} | {(a, "*") for a in starred}
    assert whole == expected
    sids = [s["Sid"] for d in docs for s in d["Statement"]]  # type: ignore[index]
    assert len(sids) == len(set(sids))
