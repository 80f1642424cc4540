"""``vaultplan policy`` through the console entry: stdout, stderr and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from aws_facts import VAULT_CREATION
from cli_support import PLAIN, run_vaultplan

DEFAULT = (
    Path(__file__).resolve().parent.parent / "permissions" / "fixtures" / "default_strategy.yaml"
)


run = partial(run_vaultplan, prefix=("policy",), env=PLAIN)  # ``vaultplan policy ARGS``


def test_stdout_is_one_policy_document_and_stderr_lists_dropped_actions() -> None:
    result = run(str(DEFAULT), "--region", "us-east-1", "--account", "123456789012")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["Version"] == "2012-10-17"
    vault = next(s for s in doc["Statement"] if s["Sid"] == "BackupBackupVault")
    assert vault["Resource"] == "arn:*:backup:us-east-1:123456789012:backup-vault:Site"
    assert result.stderr.splitlines() == [
        "ignored: AWS::Backup::BackupVault: dropped backup-storage:Mount: IAM knows no "
        "action 'Mount' in service 'backup-storage'"
    ]


def test_policy_does_not_import_the_cdk() -> None:
    code = (
        "import sys; from vaultplan.cli import main; sys.argv=['vaultplan','policy',"
        f"{str(DEFAULT)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'aws_cdk' not in sys.modules and 'jsii' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_unresolved_types_go_to_stderr_and_strict_exits_1(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  Build:\n    Type: AWS::CodeBuild::Project\n")
    lenient = run(str(template))
    assert lenient.returncode == 0
    assert json.loads(lenient.stdout)["Statement"] == []
    line = (
        "unresolved: t: Build (AWS::CodeBuild::Project): "
        "resource type has no handler permissions in the schema"
    )
    assert lenient.stderr.strip() == line
    strict = run(str(template), "--strict")
    assert strict.returncode == 1
    assert strict.stderr.strip() == line


def test_split_writes_managed_policies_under_the_limit(tmp_path: Path) -> None:
    out = tmp_path / "policies"
    result = run(str(DEFAULT), "--for", "user", "--split", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.iterdir())
    assert [f.name for f in files] == ["default_strategy-policy-1.json"]
    assert result.stdout.strip() == str(files[0])
    for f in files:
        doc = json.loads(f.read_text())
        assert len(json.dumps(doc, separators=(",", ":"))) <= 6144


def test_table_format_lists_sids() -> None:
    result = run(str(DEFAULT), "--format", "table")
    assert result.returncode == 0
    assert "BackupBackupVault" in result.stdout
    assert "backup-storage:MountCapsule" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "abc"], "error: --account: got 'abc'; an AWS account id is 12 digits"),
        (["--region", "xx-1"], "error: --region: got 'xx-1';"),
    ],
)
def test_bad_option_values_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = run(str(DEFAULT), *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_not_a_template_exits_2_naming_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text('{"key1": "value1"}')
    result = run(str(path))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"error: {path}: not a CloudFormation template (no Resources section)"
    )


def test_folders_skip_non_templates_with_a_named_reason(tmp_path: Path) -> None:
    (tmp_path / "event.json").write_text('{"key": 1}')
    (tmp_path / "broken.yaml").write_text("Resources: [\n")
    (tmp_path / "queue.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    result = run(str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "sqs:CreateQueue" in result.stdout
    lines = result.stderr.splitlines()
    assert (
        f"skipped: {tmp_path / 'event.json'}: not a CloudFormation template (no Resources section)"
        in lines
    )
    assert any(
        line.startswith(f"skipped: {tmp_path / 'broken.yaml'}: cannot parse template")
        for line in lines
    )


def test_a_folder_without_templates_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "event.json").write_text('{"key": 1}')
    result = run(str(tmp_path))
    assert result.returncode == 2
    assert (
        result.stderr.splitlines()[-1]
        == f"error: template: no CloudFormation template in {tmp_path}"
    )
    assert result.stdout == ""


@pytest.mark.slow
def test_policy_of_a_fresh_synth_for_a_deploying_user(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    synth = run_vaultplan("synth", "--out", str(out))
    assert synth.returncode == 0, synth.stderr
    result = run(str(out), "--for", "user", "--region", "eu-west-1", "--account", "123456789012")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    actions = {
        a
        for s in doc["Statement"]
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    }
    assert set(VAULT_CREATION) <= actions
    # CloudFormation resolves the SSM-typed BootstrapVersion with ssm:GetParameters.
    ssm = next(s for s in doc["Statement"] if "ssm:GetParameters" in s["Action"])
    assert "ssm:GetParameter" in ssm["Action"]
    assert ssm["Resource"] == (
        "arn:*:ssm:eu-west-1:123456789012:parameter/cdk-bootstrap/hnb659fds/version"
    )
    stack = next(s for s in doc["Statement"] if "cloudformation:CreateStack" in s["Action"])
    assert "arn:*:cloudformation:eu-west-1:123456789012:stack/example-backup/*" in stack["Resource"]


@pytest.mark.slow
def test_whole_corpus_folder_in_one_run(corpus_dir: Path) -> None:
    result = run(str(corpus_dir), "--region", "us-east-1", "--account", "123456789012")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    json.loads(result.stdout)
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == 15
    kinds = ("ignored: ", "unresolved: ", "skipped: ", "note: ", "assumed: ")
    assert all(line.startswith(kinds) for line in result.stderr.splitlines())


def test_parameters_option_scopes_refs_and_defaults_are_reported_on_stderr(
    tmp_path: Path,
) -> None:
    template = tmp_path / "vault.yaml"
    template.write_text(
        "Parameters:\n"
        "  VaultName: {Type: String, Default: shop}\n"
        "Resources:\n"
        "  Vault:\n"
        "    Type: AWS::Backup::BackupVault\n"
        "    Properties: {BackupVaultName: !Ref VaultName}\n"
    )
    defaulted = run(str(template), "--partition", "aws")
    assert defaulted.returncode == 0, defaulted.stderr
    vault = next(s for s in json.loads(defaulted.stdout)["Statement"] if "Vault" in s["Sid"])
    assert vault["Resource"] == "arn:aws:backup:*:*:backup-vault:shop"
    assert (
        "assumed: vault: parameter VaultName = 'shop' (its Default); deploying another "
        "value? pass --parameters VaultName=VALUE"
    ) in defaulted.stderr.splitlines()

    given = run(str(template), "--partition", "aws", "--parameters", "VaultName=prod")
    assert given.returncode == 0, given.stderr
    vault = next(s for s in json.loads(given.stdout)["Statement"] if "Vault" in s["Sid"])
    assert vault["Resource"] == "arn:aws:backup:*:*:backup-vault:prod"
    assert "assumed:" not in given.stderr

    bad = run(str(template), "--parameters", "VaultName")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "error: --parameters: got 'VaultName'; write KEY=VALUE, e.g. RetentionDays=35"
    )
    assert bad.stdout == ""
