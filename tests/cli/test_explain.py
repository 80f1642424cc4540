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


CALLER = "User: arn:aws:sts::123456789012:assumed-role/Deploy/s is not authorized to perform:"
DEFAULT_TEMPLATE = Path(__file__).resolve().parents[1] / "golden" / "default_template.json"


def policy_file(tmp_path: Path, actions: list[str], name: str = "current.json") -> str:
    path = tmp_path / name
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    return str(path)


def test_passrole_allowed_by_iam_star_is_not_called_missing(tmp_path: Path) -> None:
    message = f"{CALLER} iam:PassRole on resource: arn:aws:iam::123456789012:role/X"
    args = ["--resource-type", "AWS::Backup::BackupSelection", "--message", message]
    result = run(*args, "--policy", policy_file(tmp_path, ["iam:*", "backup:*"]))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2:6] == [
        "  iam:PassRole on arn:aws:iam::123456789012:role/X: allowed by your policy; look at:",
        "    - a permissions boundary on the caller (give it with --boundary FILE)",
        "    - the SCPs of the account's organization (give them with --scp FILE)",
        "    - a session policy passed when the role was assumed",
    ]
    assert "missing" not in result.stdout


def test_create_grant_allowed_by_kms_star_evaluates_the_templates_key_policy(
    tmp_path: Path,
) -> None:
    message = f"{CALLER} kms:CreateGrant on resource: arn:aws:kms:us-east-1:123456789012:key/k"
    args = ["--resource-type", "AWS::Backup::BackupVault", "--message", message]
    policy = policy_file(tmp_path, ["kms:*", "backup:*", "backup-storage:*"])
    result = run(*args, "--policy", policy, "--template", str(DEFAULT_TEMPLATE))
    assert result.returncode == 0, result.stderr
    assert (
        "kms:CreateGrant on arn:aws:kms:us-east-1:123456789012:key/k: allowed by your "
        "policy; look at:" in result.stdout
    )
    assert "the key policy of BackupStrategyKey72985BAE (evaluated from --template" in result.stdout
    assert "missing" not in result.stdout
    (item,) = json.loads(run(*args, "--policy", policy, "--format", "json").stdout)
    assert item["named_call"]["allowed_by_identity_policies"] is True
    assert item["look_at"][0].startswith("the key policy of arn:aws:kms:us-east-1:")
    assert "kms:CreateGrant" not in item["missing"]


def test_a_boundary_or_scp_that_denies_is_named(tmp_path: Path) -> None:
    message = f"{CALLER} iam:PassRole on resource: arn:aws:iam::123456789012:role/X"
    args = ["--resource-type", "AWS::Backup::BackupSelection", "--message", message]
    policy = policy_file(tmp_path, ["iam:*", "backup:*"])
    boundary = policy_file(tmp_path, ["backup:*"], "boundary.json")
    result = run(*args, "--policy", policy, "--boundary", boundary)
    assert (
        "  iam:PassRole on arn:aws:iam::123456789012:role/X: allowed by your policy, but outside "
        "the permissions boundary boundary.json: no statement allows iam:PassRole on "
        "arn:aws:iam::123456789012:role/X"
    ) in result.stdout.splitlines()
    scp = tmp_path / "scp.json"
    content = {
        "Statement": [
            {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*", "Sid": "NoPass"}
        ]
    }
    scp.write_text(json.dumps({"Policy": {"Content": json.dumps(content)}}))
    result = run(*args, "--policy", policy, "--scp", str(scp), "--format", "json")
    (item,) = json.loads(result.stdout)
    assert item["named_call"]["reason"] == "explicit Deny in statement Sid NoPass of scp.json (SCP)"


def test_an_encoded_message_gets_the_decode_command(tmp_path: Path) -> None:
    message = (
        "You are not authorized to perform this operation. Encoded authorization failure "
        "message: AbC-12_x"
    )
    result = run("--resource-type", "AWS::EC2::VPC", "--message", message)
    assert (
        "  decode it: aws sts decode-authorization-message --encoded-message AbC-12_x "
        "--query DecodedMessage --output text > decoded.json"
    ) in result.stdout.splitlines()


DECODED = {
    "allowed": False,
    "explicitDeny": True,
    "matchedStatements": {"items": [{"statementId": "DenyPassOutsideBackup", "effect": "DENY"}]},
    "failures": {"items": []},
    "context": {
        "principal": {"id": "AROA:s", "arn": "arn:aws:sts::123456789012:assumed-role/Deploy/s"},
        "action": "iam:PassRole",
        "resource": "arn:aws:iam::123456789012:role/X",
        "conditions": {
            "items": [
                {
                    "key": "iam:PassedToService",
                    "values": {"items": [{"value": "lambda.amazonaws.com"}]},
                }
            ]
        },
    },
}


def test_decoded_message_is_answered_exactly(tmp_path: Path) -> None:
    path = tmp_path / "decoded.json"
    path.write_text(json.dumps(DECODED))
    cond = {"StringNotEquals": {"iam:PassedToService": "backup.amazonaws.com"}}
    policy = tmp_path / "p.json"
    policy.write_text(
        json.dumps(
            {
                "Statement": [
                    {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
                    {
                        "Sid": "DenyPassOutsideBackup",
                        "Effect": "Deny",
                        "Action": "iam:PassRole",
                        "Resource": "*",
                        "Condition": cond,
                    },
                ]
            }
        )
    )
    result = run("--decoded", str(path), "--policy", str(policy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "explicit Deny in statement DenyPassOutsideBackup: iam:PassRole on "
        "arn:aws:iam::123456789012:role/X",
        "  matched statement: DenyPassOutsideBackup (DENY)",
        "  context: iam:PassedToService = lambda.amazonaws.com",
        "  the given policies: denied: explicit Deny in statement Sid DenyPassOutsideBackup "
        "of p.json",
    ]
    implicit = {**DECODED, "explicitDeny": False, "matchedStatements": {"items": []}}
    path.write_text(json.dumps({"DecodedMessage": json.dumps(implicit)}))
    (line,) = run("--decoded", str(path)).stdout.splitlines()[:1]
    assert (
        line
        == "no statement allows iam:PassRole on arn:aws:iam::123456789012:role/X (implicit deny)"
    )
    data = json.loads(run("--decoded", str(path), "--format", "json").stdout)
    assert (data["explicit_deny"], data["action"]) == (False, "iam:PassRole")


def test_decoded_file_without_context_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "decoded.json"
    path.write_text("{}")
    result = run("--decoded", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: --decoded: {path} has no context.action")
