"""``vaultplan check`` on S3 buckets a selection selects (VP211, VP209's S3 part) and on
resource types the stack's Region lacks (VP212): exact findings and exit codes, text and JSON.

AWS facts: AWS Backup for S3 needs versioning on the bucket and the role's
AWSBackupServiceRolePolicyForS3Backup (AWS Backup developer guide, "Amazon S3 backups");
which Regions lack which types is cfn-lint's per-Region schemas.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from cli_support import PLAIN, backup_role, run_vaultplan

run = partial(
    run_vaultplan,
    prefix=("check",),
    env={**PLAIN, "PATH": "/usr/bin:/bin"},
    inherit=("PYTHONPATH", "HOME", "VIRTUAL_ENV"),
)

GENERAL = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
S3_BACKUP = "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup"


def template(
    bucket: dict[str, Any] | None,
    resources: list[Any],
    policies: list[str],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A plan and one selection of ``resources`` whose role has ``policies``, bucket
    ``Bucket`` with properties ``bucket`` (None: no bucket), and ``extra`` resources."""
    body: dict[str, Any] = {
        "Resources": {
            "Role": backup_role(policies),
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {
                    "BackupPlan": {
                        "BackupPlanName": "p",
                        "BackupPlanRule": [
                            {
                                "RuleName": "Daily",
                                "TargetBackupVault": "v",
                                "ScheduleExpression": "cron(0 8 * * ? *)",
                            }
                        ],
                    }
                },
            },
            "Selection": {
                "Type": "AWS::Backup::BackupSelection",
                "Properties": {
                    "BackupPlanId": {"Ref": "Plan"},
                    "BackupSelection": {
                        "SelectionName": "s",
                        "IamRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                        "Resources": resources,
                    },
                },
            },
            **(extra or {}),
        }
    }
    if bucket is not None:
        body["Resources"]["Bucket"] = {"Type": "AWS::S3::Bucket", "Properties": bucket}
    return body


BY_ARN = [{"Fn::GetAtt": ["Bucket", "Arn"]}]
VERSIONED = {"VersioningConfiguration": {"Status": "Enabled"}}
FRAMEWORK = {
    "Framework": {"Type": "AWS::Backup::Framework", "Properties": {"FrameworkControls": []}}
}
# (case, template, --parameters, expected (id, severity, resource, message start) of VP209/211/212)
CASES: list[tuple[str, dict[str, Any], list[str], list[tuple[str, str, str, str]]]] = [
    ("versioned-bucket-and-s3-policy", template(VERSIONED, BY_ARN, [GENERAL, S3_BACKUP]), [], []),
    ("bucket-nobody-selects", template({}, ["arn:aws:ec2:*:*:volume/*"], [GENERAL]), [], []),
    (
        "unversioned-bucket-by-getatt",
        template({}, BY_ARN, [GENERAL, S3_BACKUP]),
        [],
        [
            (
                "VP211",
                "warning",
                "Bucket",
                "S3 bucket Bucket is selected by Selection but has no versioning "
                "(VersioningConfiguration: not set); AWS Backup backs up only versioned buckets",
            )
        ],
    ),
    (
        "suspended-bucket-by-name-pattern",
        template(
            {"BucketName": "site-data", "VersioningConfiguration": {"Status": "Suspended"}},
            ["arn:aws:s3:::site-*"],
            [GENERAL, S3_BACKUP],
        ),
        [],
        [
            (
                "VP211",
                "warning",
                "Bucket",
                "S3 bucket Bucket is selected by Selection but has no versioning "
                "(VersioningConfiguration: Status Suspended)",
            )
        ],
    ),
    (
        "bucket-named-otherwise",
        template({"BucketName": "logs"}, ["arn:aws:s3:::site-*"], [GENERAL, S3_BACKUP]),
        [],
        [],
    ),
    (
        "versioned-bucket-role-without-s3-policy",
        template(VERSIONED, BY_ARN, [GENERAL]),
        [],
        [
            (
                "VP209",
                "warning",
                "Selection",
                "IamRoleArn: the selection selects bucket(s) Bucket, but role Role has neither the "
                "managed policy AWSBackupServiceRolePolicyForS3Backup nor statements allowing "
                "s3:GetObjectVersion",
            )
        ],
    ),
    (
        "framework-in-us-east-1",
        template(None, BY_ARN, [GENERAL], FRAMEWORK),
        ["AWS::Region=us-east-1"],
        [],
    ),
    (
        "framework-environment-agnostic",
        template(None, BY_ARN, [GENERAL], FRAMEWORK),
        [],
        [
            (
                "VP212",
                "warning",
                "Framework",
                "AWS::Backup::Framework (Framework) doesn't exist in 9 Region(s): ap-east-2,",
            )
        ],
    ),
    (
        "framework-in-cn-north-1",
        template(None, BY_ARN, [GENERAL], FRAMEWORK),
        ["AWS::Region=cn-north-1"],
        [
            (
                "VP212",
                "error",
                "Framework",
                "AWS::Backup::Framework (Framework) doesn't exist in cn-north-1; the stack would "
                "fail to create there",
            )
        ],
    ),
]
CHECKED = {"VP209", "VP211", "VP212"}


@pytest.mark.parametrize(
    ("body", "parameters", "expected"),
    [pytest.param(b, p, e, id=name) for name, b, p, e in CASES],
)
def test_named_case_json(
    tmp_path: Path, body: dict[str, Any], parameters: list[str], expected: list[tuple[str, ...]]
) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(body))
    args = ["--parameters", *parameters] if parameters else []
    result = run(str(path), "--format", "json", *args)
    errors = any(severity == "error" for _i, severity, _r, _m in expected)
    assert result.returncode == (1 if errors else 0), result.stderr
    found = [f for f in json.loads(result.stdout)["findings"] if f["id"] in CHECKED]
    assert len(found) == len(expected), found
    for f, (check_id, severity, resource, message) in zip(found, expected, strict=True):
        assert (f["id"], f["severity"], f["resource"]) == (check_id, severity, resource)
        assert f["message"].startswith(message), f["message"]
        assert f["source_url"].startswith("https://docs.aws.amazon.com/aws-backup/")


def test_unversioned_bucket_in_the_text_table(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template({}, BY_ARN, [GENERAL, S3_BACKUP])))
    result = run(str(path), "--ignore-checks", "VP204", "--format", "table")
    assert result.returncode == 0
    assert "│ warning  │ VP211 │ Bucket   │" in result.stdout
    assert "1 template(s) checked, 0 error(s), 1 warning(s), 0 info" in result.stdout


def test_a_region_cfn_lint_does_not_know_is_not_judged(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template(None, BY_ARN, [GENERAL], FRAMEWORK)))
    result = run(str(path), "--format", "json", "--parameters", "AWS::Region=xx-nowhere-1")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["id"] == "VP212"] == []
    assert [n["reason"] for n in data["not_applicable"] if n["id"] == "VP212"] == [
        "Region 'xx-nowhere-1' is not one of the Regions cfn-lint's schemas know"
    ]


def cdk_out(tmp_path: Path, environment: str) -> Path:
    out = tmp_path / "cdk.out"
    out.mkdir()
    body = template(None, BY_ARN, [GENERAL], FRAMEWORK)
    (out / "Site.template.json").write_text(json.dumps(body))
    stack = {
        "type": "aws:cloudformation:stack",
        "environment": environment,
        "properties": {"templateFile": "Site.template.json", "stackName": "Site"},
    }
    manifest = {"version": "36.0.0", "artifacts": {"Site": stack}}
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


@pytest.mark.parametrize(
    ("environment", "code", "severity", "message"),
    [
        pytest.param(
            "aws://123456789012/cn-north-1",
            1,
            "error",
            "AWS::Backup::Framework (Framework) doesn't exist in cn-north-1;",
            id="stack-in-cn-north-1",
        ),
        pytest.param(
            "aws://unknown-account/unknown-region",
            0,
            "warning",
            "AWS::Backup::Framework (Framework) doesn't exist in 9 Region(s)",
            id="environment-agnostic-stack",
        ),
    ],
)
def test_cdk_out_stack_region_comes_from_its_manifest(
    tmp_path: Path, environment: str, code: int, severity: str, message: str
) -> None:
    result = run(str(cdk_out(tmp_path, environment)), "--format", "json")
    assert result.returncode == code, result.stderr
    found = [f for f in json.loads(result.stdout)["findings"] if f["id"] == "VP212"]
    assert [f["severity"] for f in found] == [severity]
    assert found[0]["message"].startswith(message)


def test_parameters_region_overrides_the_manifest(tmp_path: Path) -> None:
    out = cdk_out(tmp_path, "aws://123456789012/cn-north-1")
    result = run(str(out), "--format", "json", "--parameters", "AWS::Region=eu-west-1")
    assert result.returncode == 0
    assert [f for f in json.loads(result.stdout)["findings"] if f["id"] == "VP212"] == []
