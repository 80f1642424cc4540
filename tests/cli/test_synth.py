"""``vaultplan synth`` and ``vaultplan init`` through the real console entry.

Two synths per module (the defaults as a table, a custom config as JSON); every broken config
fails before jsii starts, so those runs are quick.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cli_support import ROOT, WIDE, assert_broken_config_rejected, run_vaultplan

GOLDEN = ROOT / "tests" / "golden" / "default_template.json"
SEED_RESOURCES = {
    "AWS::Backup::BackupVault": 1,
    "AWS::Backup::BackupPlan": 1,
    "AWS::Backup::BackupSelection": 1,
    "AWS::EFS::FileSystem": 1,
    "AWS::EC2::VPC": 1,
}
# The console entry on this checkout, with a wide terminal.
run = partial(run_vaultplan, env=WIDE)


def table_rows(stdout: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in stdout.splitlines()
        if line.startswith("│")
    ]


def golden_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "golden_default_template", ROOT / "scripts" / "golden_default_template.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def default_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    work = tmp_path_factory.mktemp("default")
    return work, run("synth", cwd=work)


@pytest.fixture(scope="module")
def default_template(default_run: tuple[Path, subprocess.CompletedProcess[str]]) -> dict[str, Any]:
    work, result = default_run
    assert result.returncode == 0, result.stderr
    template: dict[str, Any] = json.loads(
        (work / "cdk.out" / "example-backup.template.json").read_text()
    )
    return template


def test_default_synth_prints_the_summary_table(
    default_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, result = default_run
    assert result.returncode == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert (
        lines[0].rstrip() == "Stack example-backup, environment-agnostic (any account and Region)"
    )
    assert [c.strip() for c in lines[2].split("┃")[1:-1]] == ["Element", "Name", "Details"]
    assert table_rows(result.stdout) == [
        [
            "Vault",
            "example",
            "retained; key alias/example-backup (new, rotating, retained); recovery point "
            "deletion denied to all; governance lock, 35-365 days",
        ],
        [
            "Plan",
            "exampleEFSBackupPlan",
            "2 rule(s) from preset daily-monthly, backups go to the vault",
        ],
        [
            "Rule",
            "exampleDailyWarmBackup",
            "cron(0 8 * * ? *): at 08:00 UTC every day; deleted after 35 days",
        ],
        [
            "Rule",
            "exampleMonthlyColdBackup",
            "cron(0 8 1 * ? *): at 08:00 UTC on day 1 of every month; "
            "cold after 30 days, deleted after 365 days",
        ],
        [
            "Selection",
            "exampleEFS",
            "a new encrypted EFS file system (FileSystem) in a new VPC (Vpc)",
        ],
        [
            "Role",
            "(generated)",
            "assumed by backup.amazonaws.com; AWS managed policies "
            "AWSBackupServiceRolePolicyForBackup, AWSBackupServiceRolePolicyForRestores",
        ],
        [
            "Notifications",
            "(generated)",
            "BACKUP_JOB_COMPLETED, COPY_JOB_FAILED, RESTORE_JOB_COMPLETED to an encrypted SNS "
            "topic (Topic)",
        ],
    ]
    assert lines[-1] == "Template written to cdk.out/example-backup.template.json"


def test_default_synth_writes_a_cloud_assembly(
    default_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    work, _ = default_run
    out = work / "cdk.out"
    manifest = json.loads((out / "manifest.json").read_text())
    stack = manifest["artifacts"]["example-backup"]
    assert stack["type"] == "aws:cloudformation:stack"
    assert stack["environment"] == "aws://unknown-account/unknown-region"
    assert stack["properties"]["templateFile"] == "example-backup.template.json"


def test_default_template_holds_every_seed_element(default_template: dict[str, Any]) -> None:
    types = [r["Type"] for r in default_template["Resources"].values()]
    for resource_type, count in SEED_RESOURCES.items():
        assert types.count(resource_type) == count, resource_type
    by_type = {r["Type"]: r for r in default_template["Resources"].values()}
    # One role for AWS Backup, one for the VPC flow log (tests/compliance/ has the rest).
    trusted = sorted(
        statement["Principal"]["Service"]
        for r in default_template["Resources"].values()
        if r["Type"] == "AWS::IAM::Role"
        for statement in r["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    )
    assert trusted == ["backup.amazonaws.com", "vpc-flow-logs.amazonaws.com"]
    assert by_type["AWS::EFS::FileSystem"]["Properties"]["Encrypted"] is True
    assert "AWS::EC2::NatGateway" not in types
    assert "AWS::EC2::InternetGateway" not in types
    assert by_type["AWS::Backup::BackupVault"]["DeletionPolicy"] == "Retain"


def test_default_template_has_no_cfn_lint_error_or_warning(
    default_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    work, _ = default_run
    path = work / "cdk.out" / "example-backup.template.json"
    assert lint(path, "us-east-1") == []


def test_default_template_matches_the_golden_copy(default_template: dict[str, Any]) -> None:
    # Regenerate with `make golden` (scripts/golden_default_template.py) and review the diff.
    assert golden_module().render(default_template) == GOLDEN.read_text()


def test_custom_config_as_json(tmp_path: Path) -> None:
    (tmp_path / "shop.toml").write_text(
        'site_name = "shop"\naccount = "123456789012"\nregion = "eu-west-3"\n'
        '[file_system]\ncreate = true\nids = ["fs-0123456789abcdef0"]\n'
        "[[rules]]\nname = 'Nightly'\nschedule = 'cron(30 1 ? * MON-FRI *)'\n"
        "delete_after_days = 14\nschedule_timezone = 'Europe/Paris'\nstart_window_minutes = 60\n"
    )
    (tmp_path / "assembly").mkdir()
    (tmp_path / "assembly" / "keep.txt").write_text("not ours")
    (tmp_path / "assembly" / "manifest.json").write_text("stale")
    result = run(
        "synth", "--config", "shop.toml", "--out", "assembly", "--format", "json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "stack": "shop-backup",
        "environment": "account 123456789012, Region eu-west-3",
        "vault": "shop",
        "vault_removal_policy": "retain",
        "plan": "shopEFSBackupPlan",
        "rules": [
            {
                "name": "shopNightly",
                "schedule": "cron(30 1 ? * MON-FRI *)",
                "schedule_in_words": parse_words("cron(30 1 ? * MON-FRI *)", "Europe/Paris"),
                "timezone": "Europe/Paris",
                "move_to_cold_storage_after_days": None,
                "delete_after_days": 14,
                "lifecycle": "deleted after 14 days",
                "start_window_minutes": 60,
                "completion_window_minutes": None,
                "continuous_backup": False,
                "recovery_point_tags": {},
                "copy_actions": [],
                "options": [],
            }
        ],
        "plan_options": [],
        "plans": [],
        "preset": None,
        "cross_account_copies": [],
        "assurance": [],
        # one rule, one retention: a lock minimum, no maximum (aws-cdk-lib wants max > min)
        "vault_details": [
            "retained",
            "key alias/shop-backup (new, rotating, retained)",
            "recovery point deletion denied to all",
            "governance lock, 14+ days",
        ],
        "notifications": "BACKUP_JOB_COMPLETED, COPY_JOB_FAILED, RESTORE_JOB_COMPLETED to an "
        "encrypted SNS topic (Topic)",
        "notes": [],
        "selection": "shopEFS",
        "resources": [
            "a new encrypted EFS file system (FileSystem) in a new VPC (Vpc)",
            "fs-0123456789abcdef0 (existing)",
        ],
        "role": (
            "assumed by backup.amazonaws.com; AWS managed policies "
            "AWSBackupServiceRolePolicyForBackup, AWSBackupServiceRolePolicyForRestores"
        ),
        "template": "assembly/shop-backup.template.json",
        "outdir": "assembly",
        "destination_templates": [],
    }
    # Files of the assembly are replaced; other files in --out are left alone.
    assert (tmp_path / "assembly" / "keep.txt").read_text() == "not ours"
    assert (
        "shop-backup"
        in json.loads((tmp_path / "assembly" / "manifest.json").read_text())["artifacts"]
    )
    template_path = tmp_path / "assembly" / "shop-backup.template.json"
    template = json.loads(template_path.read_text())
    (fs_id,) = [k for k, r in template["Resources"].items() if r["Type"] == "AWS::EFS::FileSystem"]
    (selection,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::Backup::BackupSelection"
    ]
    # account and region are set, so the imported ARN is concrete; the feature flag
    # @aws-cdk/core:enablePartitionLiterals writes the Region's partition as a literal too.
    assert selection["Properties"]["BackupSelection"]["Resources"] == [
        {"Fn::GetAtt": [fs_id, "Arn"]},
        "arn:aws:elasticfilesystem:eu-west-3:123456789012:file-system/fs-0123456789abcdef0",
    ]
    # No context lookup even with an account and Region: zones come from Fn::GetAZs.
    manifest = json.loads((tmp_path / "assembly" / "manifest.json").read_text())
    assert "missing" not in manifest
    subnets = [r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::Subnet"]
    assert [s["Properties"]["AvailabilityZone"] for s in subnets] == [
        {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        {"Fn::Select": [1, {"Fn::GetAZs": ""}]},
    ]
    assert lint(template_path, "eu-west-3") == []


def lint(path: Path, region: str) -> list[str]:
    from cfnlint.api import ManualArgs, lint_file

    return [str(m) for m in lint_file(path, ManualArgs(regions=[region]))]


def parse_words(expression: str, tz: str) -> str:
    from vaultplan.schedule import parse_cron

    return parse_cron(expression).describe(tz)


RULE = "[[rules]]\nname = 'Daily'\nschedule = 'cron(0 8 * * ? *)'\n"
BROKEN = [
    pytest.param("site_nme = 'x'\n", "site_nme: unknown key (value 'x')", id="unknown-key"),
    pytest.param(
        RULE + "delete_after_dayz = 35\n",
        "rules[0].delete_after_dayz: unknown key (value 35); did you mean 'delete_after_days'?",
        id="unknown-rule-key",
    ),
    pytest.param(
        "site_name = ['a']\n", "site_name: got ['a'] (an array); expected a string", id="wrong-type"
    ),
    pytest.param(
        "site_name = 'bad name'\n", "site_name: got 'bad name'; use 2 to 50", id="invalid-site"
    ),
    pytest.param(
        "[[rules]]\nname = 'D'\nschedule = 'cron(0 8 * * * *)'\n",
        "rules[0].schedule: got 'cron(0 8 * * * *)'",
        id="cron-both-days",
    ),
    pytest.param(
        RULE + "move_to_cold_storage_after_days = 30\ndelete_after_days = 35\n",
        "rules[0]: got move_to_cold_storage_after_days=30, delete_after_days=35; ",
        id="lifecycle-90",
    ),
    pytest.param(
        RULE + "start_window_minutes = 10\n",
        "rules[0].start_window_minutes: got 10; ",
        id="start-window",
    ),
    pytest.param(
        RULE + "schedule_timezone = 'Paris'\n",
        "rules[0].schedule_timezone: got 'Paris'; use an IANA time zone name",
        id="timezone",
    ),
    pytest.param(
        "[file_system]\nids = ['fs-123']\n",
        "file_system.ids[0]: got 'fs-123'; an EFS file system id is",
        id="efs-id",
    ),
    pytest.param("[rules\n", "broken.toml: not valid TOML: ", id="toml-syntax"),
    pytest.param(
        "region = 'mars-1'\n",
        "region: got 'mars-1'; use an AWS Region code such as 'us-east-1'",
        id="region",
    ),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_broken_config_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    result = assert_broken_config_rejected(tmp_path, text, message, name="broken.toml")
    assert "Traceback" not in result.stderr


def test_missing_config_file_exits_2(tmp_path: Path) -> None:
    result = run("synth", "--config", "nope.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "error: --config: got 'nope.toml'; no such file (run 'vaultplan init' to make one)\n"
    )
    assert not (tmp_path / "cdk.out").exists()


def test_out_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("keep me")
    result = run("synth", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "error: --out: got 'out'; it is a file, give a folder (default: cdk.out)\n"
    )
    assert (tmp_path / "out").read_text() == "keep me"


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run("synth", "--format", "yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "error: --format: use one of text, json; got 'yaml'\n"


def test_init_writes_the_commented_defaults_and_refuses_to_overwrite(tmp_path: Path) -> None:
    from vaultplan.config import default_config_text

    first = run("init", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "Wrote vaultplan.toml; edit it, then run: vaultplan synth\n"
    assert (tmp_path / "vaultplan.toml").read_text() == default_config_text()
    again = run("init", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr == (
        "error: PATH: got 'vaultplan.toml'; the file exists, pass --force to overwrite it\n"
    )
    forced = run("init", "--force", "custom.toml", cwd=tmp_path)
    assert forced.returncode == 0
    assert (tmp_path / "custom.toml").exists()


@pytest.mark.slow
def test_cdk_json_app_builds_the_same_template(
    tmp_path: Path, default_template: dict[str, Any]
) -> None:
    cdk_json = json.loads((ROOT / "cdk.json").read_text())
    assert cdk_json["app"] == ".venv/bin/python -m vaultplan.cdk.app"
    # What the CDK CLI does with that command: run it with CDK_OUTDIR set and cdk.json's
    # context (the feature flags) in CDK_CONTEXT_JSON.
    cdk_out = str(tmp_path / "cdk.out")
    env = {**WIDE, "CDK_OUTDIR": cdk_out, "CDK_CONTEXT_JSON": json.dumps(cdk_json["context"])}
    result = run(cwd=tmp_path, env=env, module="vaultplan.cdk.app")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    template = json.loads((tmp_path / "cdk.out" / "example-backup.template.json").read_text())
    assert template == default_template


def test_cdk_json_sets_the_feature_flags_cdk_init_writes() -> None:
    """cdk.json's context, the flags ``vaultplan synth`` builds its App with, and the installed
    aws-cdk-lib's recommended-feature-flags.json (what ``cdk init`` writes) are one set."""
    from vaultplan.cdk.app import feature_flags

    spec = importlib.util.spec_from_file_location(
        "cdk_feature_flags", ROOT / "scripts" / "cdk_feature_flags.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    version, recommended = script.recommended_flags()
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    assert context == feature_flags() == recommended, (
        f"run scripts/cdk_feature_flags.py (aws-cdk-lib {version}), then make golden"
    )
    assert feature_flags()["@aws-cdk/aws-efs:denyAnonymousAccess"] is True


def test_cdk_app_entry_reports_a_broken_config_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("site_name = 'x'\n")
    env = {**WIDE, "VAULTPLAN_CONFIG": "bad.toml", "CDK_OUTDIR": str(tmp_path / "cdk.out")}
    result = run(cwd=tmp_path, env=env, module="vaultplan.cdk.app")
    assert result.returncode == 2
    assert result.stderr == ("error: site_name: got 'x'; use 2 to 50 letters, digits, '-' or '_'\n")
    assert not (tmp_path / "cdk.out").exists()
