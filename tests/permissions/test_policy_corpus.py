"""Every corpus file runs: a policy, or a one-line named reason; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultplan.errors import InputError
from vaultplan.permissions import derive, unknown_actions
from vaultplan.template import LoadedTemplate, load_template

ACCOUNT = "123456789012"


def corpus_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml", ".yml")
    )


@pytest.mark.slow
def test_whole_corpus_gives_a_policy_or_a_named_reason(corpus_dir: Path) -> None:
    files = corpus_files(corpus_dir)
    assert len(files) == 311
    policies = declined = 0
    scoped = scopable = 0
    for f in files:
        try:
            loaded = load_template(f)
        except InputError as exc:
            assert "\n" not in exc.message and exc.message.startswith(str(f))
            declined += 1
            continue
        if not isinstance(loaded, LoadedTemplate):
            assert loaded.reason.startswith("not a CloudFormation template")
            declined += 1
            continue
        policy = derive(
            loaded, region="us-east-1", account=ACCOUNT, partition="aws", stack_name="corpus"
        )
        assert unknown_actions(policy.actions) == [], f
        for item in policy.unresolved:
            assert "\n" not in item.line()
        stats = policy.scope_stats()
        scoped += stats.scoped
        scopable += stats.scopable
        policies += 1
    assert (policies, declined) == (296, 15)
    # Done-when: at least 90% of scopable actions sit in statements narrower than "*".
    assert scoped / scopable >= 0.9


@pytest.mark.slow
def test_every_known_handler_permission_is_in_the_policy(corpus_dir: Path) -> None:
    """Done-when: the policy allows every c/r/u/d permission IAM knows in each schema."""
    from vaultplan.permissions.iam import check_action
    from vaultplan.permissions.schemas import OPERATIONS, get_schema

    for f in corpus_files(corpus_dir):
        try:
            loaded = load_template(f)
        except InputError:
            continue
        if not isinstance(loaded, LoadedTemplate):
            continue
        policy = derive(loaded)
        have = {a.lower() for a in policy.actions}
        for res in loaded.typed_resources().values():
            schema = get_schema(str(res["Type"]), "us-east-1")
            if schema is None:
                continue
            for op in OPERATIONS:
                for raw in schema.permissions(op):
                    action = check_action(raw).action
                    if action is not None:
                        assert action.lower() in have, (f, res["Type"], action)
