"""Template loading: JSON, YAML, cdk.out (nested assemblies too), declined files, and the one
stack-naming rule every command shares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import run_vaultplan
from vaultplan.errors import InputError
from vaultplan.template import LoadedTemplate, NotATemplate, load


def test_yaml_short_form_tags_decode(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  Vault:\n    Type: AWS::Backup::BackupVault\n"
        "    Properties:\n      BackupVaultName: !Sub '${AWS::StackName}-vault'\n"
    )
    [loaded] = load([path]).items
    assert isinstance(loaded, LoadedTemplate)
    assert loaded.name == "t"
    props = loaded.typed_resources()["Vault"]["Properties"]
    assert props["BackupVaultName"] == {"Fn::Sub": "${AWS::StackName}-vault"}


def test_a_parsed_file_without_resources_is_declined_by_name(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"key": "value"}))
    [loaded] = load([path]).items
    assert isinstance(loaded, NotATemplate)
    assert loaded.reason == "not a CloudFormation template (no Resources section)"


def test_unparseable_file_is_input_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("Resources: [\n")
    with pytest.raises(InputError, match=r"broken\.yaml: cannot parse template"):
        load([path])


def test_missing_path_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        load([tmp_path / "nope.json"])


def test_cdk_out_directory_reads_stacks_through_manifest(tmp_path: Path) -> None:
    body = {"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}
    (tmp_path / "MyStack.template.json").write_text(json.dumps(body))
    (tmp_path / "unrelated.json").write_text("{}")
    manifest = {
        "version": "48.0.0",
        "artifacts": {
            "MyStack": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "MyStack.template.json", "stackName": "prod-stack"},
            },
            "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
        },
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    [loaded] = load([tmp_path]).items
    assert isinstance(loaded, LoadedTemplate)
    assert loaded.name == "prod-stack"
    assert loaded.from_cdk is True


@pytest.mark.slow
def test_corpus_decodes_296_templates_and_declines_the_rest(corpus_dir: Path) -> None:
    # shared/corpus/README.md: 296 templates, 15 files that are not (one of which fails to parse).
    templates = declined = unparsable = 0
    for path in sorted(p for p in corpus_dir.rglob("*") if p.suffix in {".json", ".yaml", ".yml"}):
        try:
            [loaded] = load([path]).items
        except InputError:
            unparsable += 1
            continue
        if isinstance(loaded, LoadedTemplate):
            templates += 1
        else:
            declined += 1
    assert (templates, declined + unparsable) == (296, 15)


def _assembly(
    directory: Path, stacks: dict[str, str], nested: dict[str, str] | None = None
) -> None:
    """A cloud assembly: ``{artifact id: stack name}`` stacks, and nested assemblies."""
    directory.mkdir(parents=True, exist_ok=True)
    artifacts: dict[str, object] = {}
    for artifact_id, stack in stacks.items():
        body = {"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}
        (directory / f"{artifact_id}.template.json").write_text(json.dumps(body))
        artifacts[artifact_id] = {
            "type": "aws:cloudformation:stack",
            "properties": {"templateFile": f"{artifact_id}.template.json", "stackName": stack},
        }
    for artifact_id, sub in (nested or {}).items():
        artifacts[artifact_id] = {
            "type": "cdk:cloud-assembly",
            "properties": {"directoryId": sub, "directoryName": sub},
        }
    (directory / "manifest.json").write_text(
        json.dumps({"version": "48.0.0", "artifacts": artifacts})
    )


def test_json_takes_the_fast_path_without_importing_cfn_lint(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
    code = (
        "import sys; from pathlib import Path; from vaultplan.template import load; "
        f"(t,) = load([Path({str(path)!r})]).templates; "
        "print(t.name, 'cfnlint' in sys.modules)"
    )
    import subprocess
    import sys

    from cli_support import ROOT

    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    assert out.stdout.split() == ["t", "False"]


def test_nested_assembly_stacks_are_read_by_their_stack_names(tmp_path: Path) -> None:
    _assembly(tmp_path, {"Top": "top"}, nested={"assembly-Prod": "assembly-Prod"})
    _assembly(tmp_path / "assembly-Prod", {"ProdApp1234": "Prod-App"})
    loaded = load([tmp_path])
    assert [(t.name, t.from_cdk) for t in loaded.templates] == [("top", True), ("Prod-App", True)]
    assert loaded.declined == ()


def test_a_folder_declines_each_non_template_by_name_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"Resources": {}}))
    (tmp_path / "event.json").write_text(json.dumps({"key": 1}))
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    (tmp_path / "broken.yaml").write_text("Resources: [\n")
    loaded = load([tmp_path])
    assert [t.name for t in loaded.templates] == ["a"]
    reasons = {d.path.name: d.reason for d in loaded.declined}
    assert reasons["event.json"] == "not a CloudFormation template (no Resources section)"
    assert reasons["list.yaml"] == "not a CloudFormation template (top level is list, not a map)"
    assert reasons["broken.yaml"].startswith("cannot parse template: ")
    assert [i.path.name for i in loaded.items] == [
        "a.json",
        "broken.yaml",
        "event.json",
        "list.yaml",
    ]


PLAN = {
    "Resources": {
        "Plan": {
            "Type": "AWS::Backup::BackupPlan",
            "Properties": {
                "BackupPlan": {
                    "BackupPlanName": "p",
                    "BackupPlanRule": [
                        {
                            "RuleName": "daily",
                            "TargetBackupVault": "v",
                            "ScheduleExpression": "cron(0 5 * * ? *)",
                            "Lifecycle": {"DeleteAfterDays": 7},
                        }
                    ],
                }
            },
        },
        "Disk": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 10, "AvailabilityZone": "a"}},
        "Selection": {
            "Type": "AWS::Backup::BackupSelection",
            "Properties": {
                "BackupPlanId": {"Ref": "Plan"},
                "BackupSelection": {
                    "SelectionName": "s",
                    "IamRoleArn": "arn:aws:iam::123456789012:role/r",
                    "Resources": [{"Fn::Sub": "arn:aws:ec2:*:*:volume/${Disk}"}],
                },
            },
        },
    }
}


def test_regression_simulate_names_my_stack_template_json_my_stack(tmp_path: Path) -> None:
    # simulate once named this file "my" (split(".")[0]) while check and policy said "my.stack".
    path = tmp_path / "my.stack.template.json"
    path.write_text(json.dumps(PLAN))
    result = run_vaultplan(
        "simulate", str(path), "--start", "2026-01-01", "--days", "3", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    (resource,) = json.loads(result.stdout)["resources"]
    assert resource["stack"] == "my.stack"
