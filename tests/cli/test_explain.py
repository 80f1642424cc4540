"""``vaultplan explain`` through the console entry: the seed's case and bad input."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from cli_support import PLAIN, run_vaultplan

SEED_MESSAGE = (
    "Insufficient privileges to perform this action. (Service: AWSBackup; Status Code: 403; "
    "Error Code: AccessDeniedException; Request ID: 1a2b)"
)
SEED_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["backup:*", "kms:*", "iam:*", "elasticfilesystem:*"],
            "Resource": "*",
        }
    ],
}


run = partial(run_vaultplan, prefix=("explain",), env=PLAIN)  # ``vaultplan explain ARGS``


def seed_args(tmp_path: Path) -> list[str]:
    policy = tmp_path / "current.json"
    policy.write_text(json.dumps(SEED_POLICY))
    return [
        "--resource-type",
        "AWS::Backup::BackupVault",
        "--message",
        SEED_MESSAGE,
        "--policy",
        str(policy),
    ]


def test_seed_case_answers_exactly_mount_capsule_in_text(tmp_path: Path) -> None:
    result = run(*seed_args(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "AWS::Backup::BackupVault",
        f"  message: {SEED_MESSAGE}",
        "  missing (not allowed by the given policies):",
        "    backup-storage:MountCapsule  create  *  [not allowed: no statement allows "
        "backup-storage:MountCapsule on * (implicit deny)]",
    ]


def test_seed_case_in_json(tmp_path: Path) -> None:
    result = run(*seed_args(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["missing"] == ["backup-storage:MountCapsule"]
    assert item["judged_against_policies"] is True


def test_message_without_type_is_exit_2() -> None:
    result = run("--message", SEED_MESSAGE)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: --resource-type: required with --message (e.g. AWS::Backup::BackupVault)"
    )


def test_unreadable_policy_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    args = ["--resource-type", "AWS::Backup::BackupVault", "--message", "x", "--policy", str(bad)]
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: --policy: {bad} is not JSON")
    assert result.stdout == ""


def test_events_file_through_the_cli(tmp_path: Path) -> None:
    events = tmp_path / "events.json"
    events.write_text(
        json.dumps(
            {
                "StackEvents": [
                    {
                        "StackName": "site",
                        "LogicalResourceId": "Vault",
                        "ResourceType": "AWS::Backup::BackupVault",
                        "ResourceStatus": "CREATE_FAILED",
                        "ResourceStatusReason": SEED_MESSAGE,
                    }
                ]
            }
        )
    )
    args = seed_args(tmp_path)
    result = run("--events", str(events), *args[4:], "--format", "json")
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert (item["logical_id"], item["status"]) == ("Vault", "CREATE_FAILED")
    assert item["operations"] == ["create", "read"]
    assert item["missing"] == ["backup-storage:MountCapsule"]


def test_events_without_failures_is_exit_2(tmp_path: Path) -> None:
    events = tmp_path / "events.json"
    events.write_text('{"StackEvents": []}')
    result = run("--events", str(events))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: --events: {events} holds no *_FAILED event other than cancellations"
    )
