"""The fast decoder agrees with cfn-lint's, and hands every hard case to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli_support import PLAIN, invoke, one_error
from vaultplan.errors import InputError
from vaultplan.template import NotATemplate, load
from vaultplan.template.decode import _Fallback, fast_decode
from vaultplan.template.text import read_text


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def test_short_form_tags_map_like_cfn_lint(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n"
        "      TopicName: !Sub '${AWS::StackName}-t'\n"
        "      DisplayName: !GetAtt Other.Name\n"
        "      Tags: !If [Cond, !Ref AWS::NoValue, [{Key: k, Value: !Join ['', [a, b]]}]]\n"
    )
    props = fast_decode(path.read_text())["Resources"]["R"]["Properties"]
    assert props["TopicName"] == {"Fn::Sub": "${AWS::StackName}-t"}
    assert props["DisplayName"] == {"Fn::GetAtt": ["Other", "Name"]}
    assert props["Tags"] == {
        "Fn::If": [
            "Cond",
            {"Ref": "AWS::NoValue"},
            [{"Key": "k", "Value": {"Fn::Join": ["", ["a", "b"]]}}],
        ]
    }


@pytest.mark.parametrize(
    "text",
    [
        '{"Resources": {"A": {"Type": "X"}, "A": {"Type": "Y"}}}',
        "Resources:\n  A: {Type: X}\n  A: {Type: Y}\n",
        "Base: &b {Type: X}\nResources:\n  A: *b\n",
    ],
    ids=["json-duplicate", "yaml-duplicate", "yaml-alias"],
)
def test_hard_cases_fall_back_to_cfn_lint(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(_Fallback):
        fast_decode(path.read_text())


def test_fallback_keeps_cfn_lint_errors(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("Resources:\n  A: {Type: X}\n  A: {Type: Y}\n")
    with pytest.raises(InputError, match="cannot parse template: Duplicate found 'A'"):
        load([path])


def test_not_a_template_is_named(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text('{"key": 1}')
    (item,) = load([path]).items
    assert isinstance(item, NotATemplate)
    assert item.reason == "not a CloudFormation template (no Resources section)"


@pytest.mark.slow
def test_fast_path_agrees_with_cfn_lint_on_the_corpora(
    corpus_dir: Path, backup_corpus_dir: Path
) -> None:
    import cfnlint.decode

    compared = 0
    for root in (corpus_dir, backup_corpus_dir):
        for f in sorted(p for p in root.rglob("*") if p.is_file()):
            try:
                fast = fast_decode(read_text(f))
            except (_Fallback, InputError):  # InputError: not UTF-8 text
                continue
            slow, matches = cfnlint.decode.decode(str(f))
            assert not matches, f
            assert _plain(fast) == _plain(slow), f
            compared += 1
    assert compared >= 300


# -- issue 11 "Hostile input": encodings (defect 8) and odd YAML keys (defect 10) -----------


@pytest.mark.parametrize("command", ["check", "policy"])
@pytest.mark.parametrize(
    ("data", "found"),
    [
        pytest.param('{"Resources": {}}'.encode("utf-16"), "UTF-16 LE, by its byte order mark"),
        pytest.param(b'{"Resources": {"\xe9": 1}}', "byte 0xe9 at byte 16 is not UTF-8"),
    ],
    ids=["utf16", "latin1"],
)
def test_defect_8_a_template_not_in_utf8_is_one_line_naming_the_encoding(
    tmp_path: Path, command: str, data: bytes, found: str
) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(data)
    line = one_error(invoke(command, str(path), env=PLAIN))
    assert line == (
        f"error: template: not UTF-8 text ({found}); save it as UTF-8; got {str(path)!r}"
    )
    assert "{filename}" not in line


def test_defect_8_in_a_folder_a_template_not_in_utf8_is_skipped_by_name(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
    (tmp_path / "b.json").write_bytes("{}".encode("utf-16"))
    result = invoke("policy", str(tmp_path), env=PLAIN)
    assert result.code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"skipped: {tmp_path}/b.json: not UTF-8 text (UTF-16 LE, by its byte order mark); "
        "save it as UTF-8"
    ]


@pytest.mark.parametrize("lines", [False, True], ids=["fast", "cfn-lint"])
def test_defect_8_a_template_with_a_utf8_byte_order_mark_is_read(
    tmp_path: Path, lines: bool
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", encoding="utf-8-sig")
    (template,) = load([path], lines=lines).templates
    assert list(template.resources) == ["Q"]


@pytest.mark.parametrize("command", ["check", "policy", "simulate"])
def test_defect_10_a_yaml_key_that_is_a_list_is_one_line(tmp_path: Path, command: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("Resources:\n  ? [a, b]\n  : Type: AWS::S3::Bucket\n")
    extra = ["--start", "2026-01-01", "--days", "1"] if command == "simulate" else []
    line = one_error(invoke(command, str(path), *extra, env=PLAIN))
    assert (
        line == f"""error: {path}: cannot parse template: Unhashable type "['a', 'b']" (line 2)"""
    )


@pytest.mark.parametrize("lines", [False, True], ids=["fast", "cfn-lint"])
def test_defect_10_yaml_keys_that_are_numbers_or_dates_become_strings(
    tmp_path: Path, lines: bool
) -> None:
    # CloudFormation's JSON form holds them as strings: an account id as a Mappings key.
    path = tmp_path / "t.yaml"
    path.write_text(
        "Mappings:\n  Accounts:\n    123456789012: {Env: prod}\n    2024-01-01: {Env: x}\n"
        "    true: {Env: y}\n"
        "Resources:\n  1:\n    Type: AWS::SQS::Queue\n"
    )
    (template,) = load([path], lines=lines).templates
    assert list(template.resources) == ["1"]
    assert list(template.body["Mappings"]["Accounts"]) == ["123456789012", "2024-01-01", "true"]


def test_defect_10_a_template_with_number_keys_derives_a_policy(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  1:\n    Type: AWS::Backup::BackupVault\n"
        "    Properties: {BackupVaultName: v}\n  V:\n    Type: AWS::SQS::Queue\n"
    )
    result = invoke("policy", str(path), env=PLAIN)
    assert result.code == 0, result.stderr


def test_defect_10_a_yaml_key_made_a_string_twice_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("Resources:\n  1: {Type: AWS::SQS::Queue}\n  '1': {Type: AWS::SNS::Topic}\n")
    line = one_error(invoke("check", str(path), env=PLAIN))
    assert line == f"error: {path}: cannot parse template: key '1' appears twice"
