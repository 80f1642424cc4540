"""A JSON template's lines, found in its text, are the lines cfn-lint's marks give.

``check`` decodes JSON with the standard library (no cfn-lint import) and
:class:`~vaultplan.template.lines.Lines` scans the text for the line a finding cites; these
tests hold that scan to cfn-lint's decoder, node by node: on generated documents, on the
shared corpora, and through ``vaultplan check``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cfnlint.decode
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultplan.checks import check_paths
from vaultplan.template.decode import _Fallback, fast_decode
from vaultplan.template.lines import Lines


def node_paths(body: Any) -> Iterator[tuple[str | int, ...]]:
    """Every node's path, and a step past the end of each container."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), body)]
    while stack:
        path, node = stack.pop()
        yield path
        if isinstance(node, dict):
            stack += [((*path, str(k)), v) for k, v in node.items()]
            yield (*path, "NoSuchKey")
        elif isinstance(node, list):
            stack += [((*path, i), v) for i, v in enumerate(node)]
            yield (*path, len(node))


def mismatches(file: Path) -> list[tuple[tuple[str | int, ...], int | None, int | None]]:
    """Paths where the scan of ``file`` and cfn-lint's marks give different lines."""
    marked, matches = cfnlint.decode.decode(str(file))
    assert not matches, matches
    scanned = Lines(file, fast_decode(file, json_only=True))
    by_marks = Lines(file, marked)
    return [(p, scanned(p), by_marks(p)) for p in node_paths(marked) if scanned(p) != by_marks(p)]


# Text YAML reads as JSON does: YAML's printable characters (https://yaml.org/spec/1.1/,
# 5.1 "Character Set") but its line breaks NEL, LS and PS, which it folds.
TEXT = st.text(
    st.characters(
        max_codepoint=0xFFFF,
        exclude_categories=("Cs", "Cc"),
        include_characters="\t\n\r",
        exclude_characters="\x85\u2028\u2029\ufffe\uffff",
    ),
    max_size=8,
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=80, deadline=None)
@given(
    body=st.dictionaries(TEXT, VALUES, min_size=1, max_size=4),
    indent=st.sampled_from([None, 0, 1, 2, 4]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    ascii_only=st.booleans(),
)
def test_lines_agree_with_cfn_lint_on_generated_json(
    tmp_path_factory: pytest.TempPathFactory,
    body: dict[str, Any],
    indent: int | None,
    newline: str,
    ascii_only: bool,
) -> None:
    file = tmp_path_factory.mktemp("lines") / "t.json"
    text = json.dumps(body, indent=indent, ensure_ascii=ascii_only).replace("\n", newline)
    file.write_bytes(text.encode("utf-8"))
    assert mismatches(file) == []


@pytest.mark.slow
def test_lines_agree_with_cfn_lint_on_the_corpora(
    corpus_dir: Path, backup_corpus_dir: Path
) -> None:
    compared = 0
    for root in (corpus_dir, backup_corpus_dir):
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            try:
                fast_decode(file, json_only=True)
            except _Fallback:
                continue
            assert mismatches(file) == [], file
            compared += 1
    assert compared >= 150


def test_nesting_deeper_than_the_recursion_limit_is_scanned(tmp_path: Path) -> None:
    depth = 50_000
    file = tmp_path / "deep.json"
    file.write_text('{"a":\n' + "[\n" * depth + "]" * depth + "}")
    assert Lines(file, {})(("a", *[0] * depth)) == depth + 1


def test_check_cites_the_line_in_a_json_template_with_windows_line_ends(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {
                    "BackupPlan": {
                        "BackupPlanName": "p",
                        "BackupPlanRule": [
                            {
                                "RuleName": "r",
                                "TargetBackupVault": "v",
                                "Lifecycle": {
                                    "MoveToColdStorageAfterDays": 30,
                                    "DeleteAfterDays": 40,
                                },
                            }
                        ],
                    }
                },
            }
        }
    }
    file = tmp_path / "t.json"
    lines = json.dumps(template, indent=1).splitlines()
    file.write_bytes("\r\n".join(lines).encode())
    (finding,) = [f for f in check_paths([file]).findings if f.check_id == "VP106"]
    assert finding.path[-1] == "Lifecycle"
    assert finding.line == 1 + next(i for i, line in enumerate(lines) if '"Lifecycle"' in line)


@pytest.mark.parametrize(
    "text",
    [
        *(f'{{"A": "x{c}y",\n "B": ["z", {{"C": 1}}]}}' for c in "\x85\u2028\u2029"),
        '{"A": [\n1e5,\n1.5E10,\n1.5e+10,\n2,\n-0.5,\ntrue,\nnull,\n"s"]}',
    ],
    ids=["NEL", "LS", "PS", "numbers"],
)
def test_yaml_line_breaks_and_numbers_are_placed_as_cfn_lint_places_them(
    tmp_path: Path, text: str
) -> None:
    file = tmp_path / "t.json"
    file.write_text(text, encoding="utf-8")
    assert mismatches(file) == []
