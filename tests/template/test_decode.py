"""The fast decoder agrees with cfn-lint's, and hands every hard case to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vaultplan.errors import InputError
from vaultplan.template import NotATemplate, load
from vaultplan.template.decode import _Fallback, fast_decode


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
    props = fast_decode(path)["Resources"]["R"]["Properties"]
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
        fast_decode(path)


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
                fast = fast_decode(f)
            except _Fallback:
                continue
            slow, matches = cfnlint.decode.decode(str(f))
            assert not matches, f
            assert _plain(fast) == _plain(slow), f
            compared += 1
    assert compared >= 300
