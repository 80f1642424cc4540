"""explain(): the failing handler's permissions, judged against the principal's policies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aws_facts import VAULT_CREATION
from vaultplan.errors import InputError
from vaultplan.permissions import Failure, explain, read_events
from vaultplan.permissions.evaluate import parse_policy
from vaultplan.permissions.explain import parse_message
from vaultplan.permissions.scoping import ArnContext
from vaultplan.template import LoadedTemplate, load_template

SEED_MESSAGE = (
    "Insufficient privileges to perform this action. (Service: AWSBackup; Status Code: 403; "
    "Error Code: AccessDeniedException; Request ID: 1a2b)"
)
SEED_POLICY = parse_policy(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["backup:*", "kms:*", "iam:*", "elasticfilesystem:*"],
                "Resource": "*",
            }
        ],
    }
)
DEFAULT = Path(__file__).resolve().parent / "fixtures" / "default_strategy.yaml"


def test_seed_case_answers_exactly_mount_capsule() -> None:
    (result,) = explain([Failure("AWS::Backup::BackupVault", SEED_MESSAGE)], policies=SEED_POLICY)
    assert [n.action for n in result.answer()] == ["backup-storage:MountCapsule"]


def test_without_policies_every_handler_permission_is_listed_by_operation() -> None:
    (result,) = explain([Failure("AWS::Backup::BackupVault", SEED_MESSAGE)])
    ops = {n.operation for n in result.needed}
    assert ops == {"create", "read", "update", "delete"}
    assert "backup-storage:Mount" not in {n.action for n in result.needed}
    assert {"backup:CreateBackupVault", "backup-storage:MountCapsule"} <= {
        n.action for n in result.answer()
    }


def test_named_action_comes_first_then_other_missing_ones_of_the_handler() -> None:
    message = (
        "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: "
        "kms:CreateGrant on resource: arn:aws:kms:us-east-1:123456789012:key/abc because no "
        "identity-based policy allows the kms:CreateGrant action"
    )
    policy = parse_policy(
        {"Statement": [{"Effect": "Allow", "Action": "backup:*", "Resource": "*"}]}
    )
    (result,) = explain(
        [Failure("AWS::Backup::BackupVault", message, "Vault", "CREATE_FAILED")], policies=policy
    )
    answer = result.answer()
    assert answer[0].action == "kms:CreateGrant"
    assert answer[0].resources == ("arn:aws:kms:us-east-1:123456789012:key/abc",)
    # Then the rest of the vault-creation permissions, in order; backup:* allows CreateBackupVault.
    assert [n.action for n in answer[1:]] == [
        a for a in VAULT_CREATION if a not in {"kms:CreateGrant", "backup:CreateBackupVault"}
    ]
    assert result.operations == ("create", "read")


@pytest.mark.parametrize(
    ("message", "action", "resource"),
    [
        (
            "API: ec2:RunInstances You are not authorized to perform this operation.",
            "ec2:RunInstances",
            None,
        ),
        (
            "... is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/r",
            "iam:PassRole",
            "arn:aws:iam::1:role/r",
        ),
        (SEED_MESSAGE, None, None),
    ],
)
def test_parse_message(message: str, action: str | None, resource: str | None) -> None:
    assert parse_message(message) == (action, resource)


def test_template_scopes_the_arns_that_are_judged() -> None:
    loaded = load_template(DEFAULT)
    assert isinstance(loaded, LoadedTemplate)
    narrow = parse_policy(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "backup:*",
                    "Resource": "arn:aws:backup:*:*:backup-vault:Site",
                },
                {"Effect": "Allow", "Action": ["kms:*", "backup-storage:*"], "Resource": "*"},
            ]
        }
    )
    (result,) = explain(
        [Failure("AWS::Backup::BackupVault", SEED_MESSAGE)],
        policies=narrow,
        template=loaded,
        where=ArnContext(partition="aws"),
    )
    assert result.failure.logical_id == "Vault"
    assert result.answer() == []


def test_events_file_reads_every_failed_event(tmp_path: Path) -> None:
    events = {
        "StackEvents": [
            {
                "StackName": "site",
                "LogicalResourceId": "site",
                "ResourceType": "AWS::CloudFormation::Stack",
                "ResourceStatus": "ROLLBACK_COMPLETE",
            },
            {
                "StackName": "site",
                "LogicalResourceId": "Plan",
                "ResourceType": "AWS::Backup::BackupPlan",
                "ResourceStatus": "CREATE_FAILED",
                "ResourceStatusReason": "Resource creation cancelled",
            },
            {
                "StackName": "site",
                "LogicalResourceId": "Vault",
                "ResourceType": "AWS::Backup::BackupVault",
                "ResourceStatus": "CREATE_FAILED",
                "ResourceStatusReason": SEED_MESSAGE,
            },
            {
                "StackName": "site",
                "LogicalResourceId": "Vault",
                "ResourceType": "AWS::Backup::BackupVault",
                "ResourceStatus": "CREATE_IN_PROGRESS",
            },
        ]
    }
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events))
    failures = read_events(path)
    assert failures == [Failure("AWS::Backup::BackupVault", SEED_MESSAGE, "Vault", "CREATE_FAILED")]
    (result,) = explain(failures, policies=SEED_POLICY)
    assert [n.action for n in result.answer()] == ["backup-storage:MountCapsule"]


def test_unknown_type_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--resource-type: got 'AWS::Nope::Nope'"):
        explain([Failure("AWS::Nope::Nope", "x")])


def test_an_unknown_action_in_the_message_is_noted_not_answered() -> None:
    message = "User: u is not authorized to perform: backup-storage:Mount on resource: *"
    (result,) = explain([Failure("AWS::Backup::BackupVault", message)], policies=SEED_POLICY)
    assert result.named_action is None
    assert [n.action for n in result.answer()] == ["backup-storage:MountCapsule"]
    assert result.note == (
        "the message names 'backup-storage:Mount', an action IAM's reference data does not know"
    )
