"""The offline IAM evaluator: named cases, then hypothesis properties."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_docs import allow, deny, doc
from vaultplan.errors import InputError
from vaultplan.permissions import Outcome, evaluate
from vaultplan.permissions.evaluate import load_policy_files
from vaultplan.permissions.globs import glob_match

VAULT = "arn:aws:backup:us-east-1:123456789012:backup-vault:Site"


@pytest.mark.parametrize(
    ("policy", "action", "resource", "outcome"),
    [
        pytest.param(
            doc(allow("backup:*")),
            "backup:CreateBackupVault",
            VAULT,
            Outcome.ALLOWED,
            id="service-wildcard",
        ),
        # backup:* does not match backup-storage:*
        # (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html,
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
        pytest.param(
            doc(allow("backup:*")),
            "backup-storage:MountCapsule",
            "*",
            Outcome.NOT_ALLOWED,
            id="backup-star-misses-backup-storage",
        ),
        pytest.param(
            doc(allow("BACKUP:createbackupvault")),
            "backup:CreateBackupVault",
            VAULT,
            Outcome.ALLOWED,
            id="actions-case-insensitive",
        ),
        pytest.param(
            doc(allow("backup:Create?ackupVault")),
            "backup:CreateBackupVault",
            VAULT,
            Outcome.ALLOWED,
            id="question-mark",
        ),
        pytest.param(
            doc(allow("backup:*", VAULT.lower())),
            "backup:CreateBackupVault",
            VAULT,
            Outcome.NOT_ALLOWED,
            id="resources-case-sensitive",
        ),
        pytest.param(
            doc(allow("backup:*", "arn:aws:backup:*:*:backup-vault:*")),
            "backup:CreateBackupVault",
            VAULT,
            Outcome.ALLOWED,
            id="resource-wildcards",
        ),
        pytest.param(
            doc(allow("*"), deny("backup:Delete*")),
            "backup:DeleteBackupVault",
            VAULT,
            Outcome.DENIED,
            id="explicit-deny-wins",
        ),
        pytest.param(
            doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
            "iam:PassRole",
            "*",
            Outcome.NOT_ALLOWED,
            id="notaction-excludes",
        ),
        pytest.param(
            doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
            "kms:Decrypt",
            "*",
            Outcome.ALLOWED,
            id="notaction-includes",
        ),
        pytest.param(
            doc({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret*"}),
            "s3:GetObject",
            "arn:aws:s3:::secret/x",
            Outcome.NOT_ALLOWED,
            id="notresource-excludes",
        ),
        pytest.param(
            doc(
                allow(
                    ["kms:Decrypt", "kms:Encrypt"],
                    ["arn:aws:kms:*:*:key/a", "arn:aws:kms:*:*:key/b"],
                )
            ),
            "kms:Encrypt",
            "arn:aws:kms:us-east-1:1:key/b",
            Outcome.ALLOWED,
            id="lists",
        ),
        pytest.param(doc(), "s3:GetObject", "*", Outcome.NOT_ALLOWED, id="empty"),
    ],
)
def test_named_cases(policy: dict[str, Any], action: str, resource: str, outcome: Outcome) -> None:
    assert evaluate(policy, action, resource).outcome is outcome


def test_conditions_without_context_are_not_evaluable_never_guessed() -> None:
    cond = {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    decision = evaluate(
        doc(allow("backup:*", Condition=cond, Sid="OnlyEu")), "backup:ListTags", VAULT
    )
    assert decision.outcome is Outcome.NOT_EVALUABLE
    assert decision.conditions_not_evaluated == ("policy#OnlyEu",)
    assert decision.condition_keys == ("aws:RequestedRegion",)
    assert "aws:RequestedRegion" in decision.reason
    firm = evaluate(
        doc(allow("backup:*"), allow("backup:*", Condition=cond)), "backup:ListTags", VAULT
    )
    assert firm.conditions_not_evaluated == ()


def test_star_in_the_resource_asked_about_is_literal() -> None:
    narrow = doc(allow("kms:Decrypt", "arn:aws:kms:us-east-1:*:key/*"))
    assert evaluate(narrow, "kms:Decrypt", "arn:aws:kms:us-east-1:1:key/*").allowed
    assert not evaluate(narrow, "kms:Decrypt", "arn:aws:kms:*:1:key/*").allowed


def test_cli_output_shapes_are_accepted(tmp_path: Path) -> None:
    version = {"PolicyVersion": {"Document": doc(allow("backup:*")), "VersionId": "v1"}}
    path = tmp_path / "p.json"
    path.write_text(json.dumps([version, doc(deny("backup:DeleteBackupVault"))]))
    statements = load_policy_files([path])
    assert evaluate(statements, "backup:ListTags", VAULT).allowed
    assert evaluate(statements, "backup:DeleteBackupVault", VAULT).outcome is Outcome.DENIED


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (
            {"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]},
            "Effect: got 'Maybe'",
        ),
        ({"Version": "2012-10-17"}, "no Statement"),
        ({"Statement": [{"Effect": "Allow", "Action": 3, "Resource": "*"}]}, "Action: got 3"),
    ],
)
def test_malformed_policies_are_input_errors(policy: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        evaluate(policy, "s3:GetObject", "*")


# -- properties -----------------------------------------------------------------------
names = st.text(alphabet="abcdefgABCXYZ019-", min_size=1, max_size=12)
actions = st.builds(lambda s, a: f"{s}:{a}", names, names)


def _pattern_of(text: str, draw_mask: list[int]) -> str:
    out = []
    for ch, m in zip(text, draw_mask, strict=False):
        out.append("*" if m == 1 else "?" if m == 2 else ch)
    return "".join(out) + text[len(draw_mask) :]


@given(action=actions, mask=st.lists(st.integers(0, 2), max_size=30))
def test_a_pattern_made_from_an_action_matches_it_in_any_case(action: str, mask: list[int]) -> None:
    pattern = _pattern_of(action, mask)
    assert glob_match(pattern, action, ignore_case=True)
    assert evaluate(doc(allow(pattern.swapcase())), action, "*").allowed


@given(text=names, other=names)
def test_star_matches_everything_and_literals_only_themselves(text: str, other: str) -> None:
    assert glob_match("*", text)
    assert glob_match(text, other) == (text == other)


@given(action=actions, resource=names, pattern=st.sampled_from(["*", "?*", "*:*"]))
def test_explicit_deny_always_wins(action: str, resource: str, pattern: str) -> None:
    policy = doc(allow("*"), allow(action, resource), deny(pattern, "*"))
    if glob_match(pattern, action, ignore_case=True):
        assert evaluate(policy, action, resource).outcome is Outcome.DENIED
    else:
        assert evaluate(policy, action, resource).allowed


@given(action=actions, excluded=st.lists(actions, max_size=4))
def test_notaction_allows_exactly_what_it_does_not_list(action: str, excluded: list[str]) -> None:
    policy = doc({"Effect": "Allow", "NotAction": excluded or ["none:None"], "Resource": "*"})
    listed = any(a.lower() == action.lower() for a in excluded)
    assert evaluate(policy, action, "*").allowed is not listed


@given(action=actions, resource=names)
def test_no_allow_means_not_allowed(action: str, resource: str) -> None:
    assert evaluate(doc(deny("nothing:Here")), action, resource).outcome is Outcome.NOT_ALLOWED
