"""``vaultplan check`` through the console entry point: exact output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from cli_support import PLAIN, run_vaultplan

GOOD = """\
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: "kms:*"
            Resource: "*"
          - {Effect: Allow, Principal: {AWS: "111122223333"}, Action: "kms:*", Resource: "*"}
  Topic:
    Type: AWS::SNS::Topic
  Vault:
    Type: AWS::Backup::BackupVault
    DeletionPolicy: Retain  # a compliance lock: the vault can't be deleted (VP216)
    Properties:
      BackupVaultName: site
      EncryptionKeyArn: !GetAtt Key.Arn
      LockConfiguration: {ChangeableForDays: 3, MinRetentionDays: 7}
      Notifications:
        BackupVaultEvents: [BACKUP_JOB_COMPLETED]
        SNSTopicArn: !Ref Topic
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: site-plan
        BackupPlanRule:
          - RuleName: Daily
            ScheduleExpression: cron(0 8 * * ? *)
            TargetBackupVault: !Ref Vault
            Lifecycle:
              MoveToColdStorageAfterDays: !Ref ColdDays
              DeleteAfterDays: !Ref DeleteDays
            CopyActions:
              - DestinationBackupVaultArn: arn:aws:backup:us-west-2:111122223333:backup-vault:dr
Parameters:
  ColdDays: {Type: Number, Default: 30}
  DeleteDays: {Type: Number, Default: 120}
"""


# ``vaultplan check ARGS`` in a bare environment: only these variables of ours, and a plain PATH.
run = partial(
    run_vaultplan,
    prefix=("check",),
    env={**PLAIN, "PATH": "/usr/bin:/bin"},
    inherit=("PYTHONPATH", "HOME", "VIRTUAL_ENV"),
)


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    return path


def test_clean_template_exits_0_and_says_so(good: Path) -> None:
    result = run(str(good))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "1 template(s) checked, 0 error(s), 0 warning(s), 0 info, 0 not applicable (unknown "
        "offline; --show-not-applicable lists them)",
    ]
    table = run(str(good), "--format", "table")
    assert table.stdout.splitlines()[0] == f"{good}: no findings"
    assert result.stderr == ""


def test_error_finding_exits_1_with_its_line(backup_corpus_dir: Path) -> None:
    (bad,) = backup_corpus_dir.glob("03_*")
    result = run(str(bad))
    assert result.returncode == 1
    assert f"{bad}:15:13: VP106 [error] BackupPlanRule[0].Lifecycle: got" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(
        "1 template(s) checked, 1 error(s), 0 warning(s)"
    )


def test_error_finding_exits_1_with_a_table(backup_corpus_dir: Path) -> None:
    (bad,) = backup_corpus_dir.glob("03_*")
    result = run(str(bad), "--format", "table")
    assert result.returncode == 1
    assert (
        "│ error    │ VP106 │ BackupPlan │   15 │ BackupPlanRule[0].Lifecycle: got" in result.stdout
    )
    assert result.stdout.splitlines()[-1].startswith(
        "1 template(s) checked, 1 error(s), 0 warning(s)"
    )


def test_parameters_override_defaults_and_a_pair_after_the_flag(good: Path) -> None:
    result = run(str(good), "--parameters", "ColdDays=30", "DeleteDays=100", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [f["id"] for f in data["findings"]] == ["VP106"]
    assert "delete_after_days=100" in data["findings"][0]["message"]
    assert run(str(good), "-p", "DeleteDays=120").returncode == 0


def test_json_contract(backup_corpus_dir: Path) -> None:
    (bad,) = backup_corpus_dir.glob("03_*")
    data = json.loads(run(str(bad), "--format", "json").stdout)
    assert data["summary"] == {
        "templates": 1,
        "skipped": 0,
        "errors": 1,
        "warnings": 0,
        "info": 1,
        "not_applicable": 0,
    }
    first = data["findings"][0]
    assert set(first) == {
        "id",
        "severity",
        "template",
        "resource",
        "path",
        "line",
        "message",
        "source_url",
    }
    assert first["path"] == "Resources/BackupPlan/Properties/BackupPlan/BackupPlanRule/0/Lifecycle"
    assert (
        first["source_url"]
        == "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html"
    )


def test_sarif_output(backup_corpus_dir: Path) -> None:
    (bad,) = backup_corpus_dir.glob("03_*")
    result = run(str(bad), "--format", "sarif")
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run0 = sarif["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    error = next(r for r in run0["results"] if r["level"] == "error")
    assert error["ruleId"] == "VP106"
    assert rules[error["ruleIndex"]]["id"] == "VP106"
    assert error["locations"][0]["physicalLocation"]["region"] == {"startLine": 15}
    assert error["locations"][0]["logicalLocations"][0]["name"] == "BackupPlan"


def test_a_file_that_is_not_a_template_alone_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "buildspec.yml"
    path.write_text("version: 0.2\nphases: {}\n")
    result = run(str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: template: no CloudFormation template to check ({path}: not a CloudFormation "
        "template (no Resources section))\n"
    )


def test_a_file_that_is_not_a_template_among_others_is_skipped(tmp_path: Path, good: Path) -> None:
    other = tmp_path / "event.json"
    other.write_text('{"key": "value"}')
    result = run(str(good), str(other))
    assert result.returncode == 0
    assert result.stderr == (
        f"skipped {other}: not a CloudFormation template (no Resources section)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["missing.yaml"],
            "error: template: no such file or directory: missing.yaml",
            id="missing-file",
        ),
        pytest.param(
            ["{good}", "--format", "xml"],
            "error: --format: use one of text, table, json, sarif; got 'xml'",
            id="bad-format",
        ),
        pytest.param(
            ["{good}", "-p", "novalue"],
            "error: --parameters: got 'novalue'; write KEY=VALUE, e.g. RetentionDays=35",
            id="bad-parameter",
        ),
        pytest.param(
            ["{good}", "-p", "Nope=1"],
            "error: --parameters: got Nope='1'; no template has a parameter 'Nope'",
            id="unknown-parameter",
        ),
    ],
)
def test_bad_input_exits_2(good: Path, args: list[str], message: str) -> None:
    result = run(*[a.format(good=good) for a in args])
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_help_documents_exit_codes() -> None:
    result = run("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "Exit codes: 0 no error finding" in text
    assert "1 at least one error finding; 2 bad input" in text


def test_check_does_not_import_aws_cdk(good: Path) -> None:
    code = (
        "import sys\n"
        "from vaultplan.cli import app, _register\n"
        "_register()\n"
        f"try:\n    app(['check', {str(good)!r}], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print('aws_cdk' in sys.modules, 'jsii' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_cdk_out_directory_is_read_through_its_manifest(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "Site.template.json").write_text(
        json.dumps(
            {
                "Resources": {
                    "V": {
                        "Type": "AWS::Backup::BackupVault",
                        "Properties": {"BackupVaultName": "a b"},
                    }
                }
            }
        )
    )
    (out / "manifest.json").write_text(
        json.dumps(
            {
                "version": "36.0.0",
                "artifacts": {
                    "Site": {
                        "type": "aws:cloudformation:stack",
                        "properties": {"templateFile": "Site.template.json", "stackName": "Site"},
                    }
                },
            }
        )
    )
    result = run(str(out), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["templates"][0]["name"] == "Site"
    assert [f["id"] for f in data["findings"] if f["severity"] == "error"] == ["VP101"]


def test_folder_run_skips_a_file_that_does_not_parse(tmp_path: Path, good: Path) -> None:
    (tmp_path / "broken.yaml").write_text("a: [\n")
    result = run(str(tmp_path))
    assert result.returncode == 0
    assert result.stderr.startswith(f"skipped {tmp_path / 'broken.yaml'}: cannot parse template: ")
    assert len(result.stderr.splitlines()) == 1


def test_show_not_applicable_lists_what_was_left_undecided(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Parameters:\n  Name: {Type: String}\n"
        "Resources:\n  V:\n    Type: AWS::Backup::BackupVault\n"
        "    Properties: {BackupVaultName: !Ref Name}\n"
    )
    hidden = run(str(path))
    assert "parameter Name has no default" not in hidden.stdout
    shown = run(str(path), "--show-not-applicable")
    assert shown.returncode == 0
    assert (
        f"{path}:1:1: VP101 [n/a] BackupVaultName is '${{Name}}', unknown offline "
        "(parameter Name has no default; pass --parameters Name=VALUE)" in shown.stdout.splitlines()
    )
    table = run(str(path), "--show-not-applicable", "--format", "table")
    assert (
        "│ n/a      │ VP101 │ V        │      │ BackupVaultName is '${Name}', unknown offline "
        "(parameter Name has no default; pass --parameters Name=VALUE)" in table.stdout
    )
    assert run(str(path), "-p", "Name=x y").returncode == 1


def test_a_template_path_is_shown_as_written_not_as_rich_markup(tmp_path: Path) -> None:
    folder = tmp_path / "[red]x"
    folder.mkdir()
    path = folder / "a:smile:.json"
    path.write_text('{"Resources": {"V": {"Type": "AWS::Backup::BackupVault"}}}')
    result = run(str(path), "--format", "table")
    assert result.stdout.splitlines()[0].rstrip() == str(path)
    assert run(str(path)).stdout.startswith(f"{path}:1:")
