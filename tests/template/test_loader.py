"""Template loading: files, cdk.out directories, and files that are not templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vaultplan.errors import InputError
from vaultplan.template import LoadedTemplate, NotATemplate, load_templates


def test_yaml_short_form_tags_decode(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  Vault:\n    Type: AWS::Backup::BackupVault\n"
        "    Properties:\n      BackupVaultName: !Sub '${AWS::StackName}-vault'\n"
    )
    [loaded] = load_templates([path])
    assert isinstance(loaded, LoadedTemplate)
    assert loaded.name == "t"
    props = loaded.typed_resources()["Vault"]["Properties"]
    assert props["BackupVaultName"] == {"Fn::Sub": "${AWS::StackName}-vault"}


def test_a_parsed_file_without_resources_is_declined_by_name(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"key": "value"}))
    [loaded] = load_templates([path])
    assert isinstance(loaded, NotATemplate)
    assert loaded.reason == "not a CloudFormation template (no Resources section)"


def test_unparseable_file_is_input_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("Resources: [\n")
    with pytest.raises(InputError, match=r"broken\.yaml: cannot parse template"):
        load_templates([path])


def test_missing_path_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        load_templates([tmp_path / "nope.json"])


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
    [loaded] = load_templates([tmp_path])
    assert isinstance(loaded, LoadedTemplate)
    assert loaded.name == "prod-stack"
    assert loaded.from_cdk is True


@pytest.mark.slow
def test_corpus_decodes_296_templates_and_declines_the_rest(corpus_dir: Path) -> None:
    # shared/corpus/README.md: 296 templates, 15 files that are not (one of which fails to parse).
    templates = declined = unparsable = 0
    for path in sorted(p for p in corpus_dir.rglob("*") if p.suffix in {".json", ".yaml", ".yml"}):
        try:
            [loaded] = load_templates([path])
        except InputError:
            unparsable += 1
            continue
        if isinstance(loaded, LoadedTemplate):
            templates += 1
        else:
            declined += 1
    assert (templates, declined + unparsable) == (296, 15)
