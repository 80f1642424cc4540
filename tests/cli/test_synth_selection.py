"""``vaultplan synth`` with a ``[selection]`` table, through the real console entry.

One synth for the module: a new EFS, 1,201 ARNs of other types (split into 3 selections), tag
conditions and an exclusion; then `vaultplan check` reads the result. Broken selections fail
before jsii starts, with one line and nothing written.

Facts: 500 ARNs per selection, or 30 with wildcards; Conditions AND, ListOfTags OR
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html); 30 tags in
one selection (https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-limits.html).
"""

from __future__ import annotations

import json
import subprocess
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from test_synth import lint

from cli_support import WIDE, assert_broken_config_rejected, run_vaultplan

run = partial(run_vaultplan, env=WIDE)  # the console entry, on a wide terminal
RDS = "arn:aws:rds:eu-west-3:123456789012:db:shop"
EXCLUDED = "arn:aws:ec2:eu-west-3:123456789012:volume/vol-0123456789abcdef0"
VOLUMES = [f"arn:aws:ec2:eu-west-3:123456789012:volume/vol-{i + 1:017x}" for i in range(1200)]
CONFIG = f"""
site_name = "shop"
[selection]
arns = [{", ".join(f'"{a}"' for a in [RDS, *VOLUMES])}]
exclude_arns = ["{EXCLUDED}"]
[selection.conditions]
string_equals = {{ backup = "true" }}
string_not_like = {{ env = ["dev*", "test*"] }}
"""


@pytest.fixture(scope="module")
def synthesized(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str], dict[str, Any]]:
    work = tmp_path_factory.mktemp("selection")
    (work / "shop.toml").write_text(CONFIG)
    result = run("synth", "--config", "shop.toml", "--format", "json", cwd=work)
    assert result.returncode == 0, result.stderr
    template = json.loads((work / "cdk.out" / "shop-backup.template.json").read_text())
    return work, result, template


def bodies(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        res["Properties"]["BackupSelection"]["SelectionName"]: res["Properties"]["BackupSelection"]
        for res in template["Resources"].values()
        if res["Type"] == "AWS::Backup::BackupSelection"
    }


def test_1201_arns_and_the_new_efs_split_into_3_selections(
    synthesized: tuple[Path, subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    _, result, template = synthesized
    parts = bodies(template)
    assert sorted(parts) == ["shopEFS", "shopEFS-2", "shopEFS-3"]
    assert [len(parts[n]["Resources"]) for n in ("shopEFS", "shopEFS-2", "shopEFS-3")] == [
        500,
        500,
        202,
    ]
    assert parts["shopEFS"]["Resources"][1] == RDS
    assert parts["shopEFS-3"]["Resources"][-1] == VOLUMES[-1]
    summary = json.loads(result.stdout)
    assert summary["selection"] == "shopEFS, shopEFS-2, shopEFS-3"


def test_every_part_carries_and_conditions_and_not_resources(
    synthesized: tuple[Path, subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    for body in bodies(synthesized[2]).values():
        assert body["Conditions"] == {
            "StringEquals": [{"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "true"}],
            "StringNotLike": [
                {"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "dev*"},
                {"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "test*"},
            ],
        }
        assert body["NotResources"] == [EXCLUDED]
        assert "ListOfTags" not in body


def test_the_new_file_system_gets_the_string_equals_tags_so_it_stays_selected(
    synthesized: tuple[Path, subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    (fs,) = [r for r in synthesized[2]["Resources"].values() if r["Type"] == "AWS::EFS::FileSystem"]
    assert {"Key": "backup", "Value": "true"} in fs["Properties"]["FileSystemTags"]


def test_check_sees_the_file_system_covered_and_lint_is_clean(
    synthesized: tuple[Path, subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    work = synthesized[0]
    result = run("check", "cdk.out", "--format", "json", cwd=work)
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["id"] in {"VP208", "VP110", "VP115"}] == []
    assert result.returncode == 0, result.stdout
    assert lint(work / "cdk.out" / "shop-backup.template.json", "eu-west-3") == []


WILD = ", ".join(f"'arn:aws:s3:::bucket-{i}-*'" for i in range(31))
BROKEN = [
    pytest.param(
        "[selection]\narns = ['arn:aws:ec2:us-east-1:123456789012:vol-1']\n",
        "selection.arns[0]: got 'arn:aws:ec2:us-east-1:123456789012:vol-1'; not a resource type "
        "AWS Backup protects; for ec2 it protects",
        id="bad-arn",
    ),
    pytest.param(
        "[selection]\narns = ['arn:aws:lambda:us-east-1:123456789012:function:f']\n",
        "selection.arns[0]: got 'arn:aws:lambda:us-east-1:123456789012:function:f'; AWS Backup "
        "protects no resource of service 'lambda'",
        id="unsupported-type",
    ),
    pytest.param(
        f"[selection]\narns = [{WILD}]\n",
        "selection.arns: got 31 ARNs with a wildcard; a selection takes at most 30",
        id="31-wildcards",
    ),
    pytest.param(
        f"[selection]\nexclude_arns = [{WILD}]\n",
        "selection.exclude_arns: got 31 ARNs, 31 with a wildcard; at most 30",
        id="31-excluded",
    ),
    pytest.param(
        "[selection.conditions]\nstring_not_equals = { "
        + ", ".join(f"k{i} = 'v'" for i in range(31))
        + " }\n",
        "selection.conditions: got 31 tag conditions; a selection takes at most 30",
        id="31-conditions",
    ),
    pytest.param(
        "[selection.conditions]\nstring_equals = { backup = '' }\n",
        "selection.conditions.string_equals.backup: got ''; give a non-empty tag value",
        id="empty-condition-value",
    ),
    pytest.param(
        "[selection.conditions]\nstring_like = { 'aws:createdBy' = 'x*' }\n",
        "selection.conditions.string_like: got tag key 'aws:createdBy'; keys starting with "
        "'aws:' are reserved",
        id="reserved-tag-key",
    ),
    pytest.param(
        "[selection]\nexclude_arns = ['arn:aws:s3:::*-tmp']\n",
        "selection.exclude_arns[0]: got 'arn:aws:s3:::*-tmp'; a '*' may only end the ARN",
        id="wildcard-not-at-end",
    ),
    pytest.param(
        "[selection]\narn = []\n",
        "selection.arn: unknown key (value []); did you mean 'arns'?",
        id="unknown-key",
    ),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_broken_selection_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    assert_broken_config_rejected(tmp_path, text, message)
