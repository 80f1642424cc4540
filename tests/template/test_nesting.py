"""One nesting limit (issue 11 "Hostile input", defect 4): a template or a JSON side file
nested past 100 levels is one line, never a RecursionError, whichever command reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli_support import PLAIN, invoke, one_error
from vaultplan.template.nesting import MAX_DEPTH, nesting

TESTS = Path(__file__).resolve().parent.parent
SEED = TESTS / "simulate" / "fixtures" / "seed.json"


def _selects(depth: int) -> dict[str, Any]:
    """A vault whose name is ``depth`` nested ``Fn::Select`` (3 levels each: map, list, list)."""
    value: Any = "x"
    for _ in range(depth):
        value = {"Fn::Select": [0, [value]]}
    return {
        "Resources": {
            "V": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": value}}
        }
    }


def _selects_text(depth: int) -> str:
    """The JSON text of :func:`_selects` (too deep for ``json.dumps`` past 300 or so)."""
    head, tail = json.dumps(_selects(0), separators=(",", ":")).split('"x"')
    return head + '{"Fn::Select":[0,[' * depth + '"x"' + "]]}" * depth + tail


def _deep_list(depth: int) -> str:
    return "[" * depth + '"x"' + "]" * depth


WHERE = "Resources.V.Properties.BackupVaultName.Fn::Select[1]…"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["check"], id="check"),
        pytest.param(["policy"], id="policy"),
        pytest.param(["simulate", "--start", "2026-01-01", "--days", "1"], id="simulate"),
        pytest.param(["preflight", "--policy", "admin.json"], id="preflight"),
    ],
)
@pytest.mark.parametrize("depth", [40, 1000], ids=["decodable", "past-the-decoder"])
def test_defect_4_a_deeply_nested_template_is_one_line(
    tmp_path: Path, args: list[str], depth: int
) -> None:
    path = tmp_path / "t.json"
    path.write_text(_selects_text(depth))
    admin = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    (tmp_path / "admin.json").write_text(json.dumps(admin))
    args = [a.replace("admin.json", str(tmp_path / "admin.json")) for a in args]
    levels = 3 * depth + 4
    line = one_error(invoke(args[0], str(path), *args[1:], env=PLAIN))
    # decodable: the path to the deepest point; past what the decoder reads: where in the
    # text the nesting passes 100 levels
    where = WHERE if depth == 40 else "line 1, column 662"
    assert line == (
        f"error: {path}: nested {levels:,} levels deep at {where}; vaultplan reads at most 100"
    )


def test_defect_4_yaml_too_deep_to_decode_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    lines = ["Resources:", "  V:", "    Type: AWS::Backup::BackupVault", "    Properties:"]
    lines.append("      BackupVaultName:")
    lines += ["        " + "  " * i + "-" for i in range(1200)]
    path.write_text("\n".join(lines) + "\n")
    for command in ("check", "policy"):
        line = one_error(invoke(command, str(path), env=PLAIN))
        assert line.startswith(f"error: {path}: nested ")
        assert line.endswith("vaultplan reads at most 100")


def test_defect_4_a_template_at_the_limit_is_read(tmp_path: Path) -> None:
    # 4 levels to the property, 3 per Fn::Select: 32 of them nest 100 levels, 33 nest 103.
    path = tmp_path / "t.json"
    path.write_text(json.dumps(_selects(32)))
    assert nesting(json.loads(path.read_text()))[0] == MAX_DEPTH
    result = invoke("policy", str(path), env=PLAIN)
    assert result.code == 0, result.stderr


@pytest.mark.parametrize("depth", [101, 3000])
@pytest.mark.parametrize(
    ("option", "command"),
    [
        ("--prices", ["simulate", str(SEED), "--start", "2026-01-01", "--days", "1"]),
        ("--events", ["explain"]),
        (
            "--policy",
            ["explain", "--resource-type", "AWS::Backup::BackupVault", "--message", "m"],
        ),
        ("--decoded", ["explain"]),
    ],
)
def test_defect_4_a_deeply_nested_side_file_is_one_line(
    tmp_path: Path, option: str, command: list[str], depth: int
) -> None:
    path = tmp_path / "side.json"
    path.write_text('{"regions": ' + _deep_list(depth - 1) + "}")
    line = one_error(invoke(*command, option, str(path), env=PLAIN))
    where = "regions[0][0][0][0][0]…" if depth == 101 else "line 1, column 112"
    assert line == (
        f"error: {option}: nested {depth:,} levels deep at {where}; vaultplan reads at most 100; "
        f"got {str(path)!r}"
    )


@pytest.mark.parametrize("depth", [101, 3000])
def test_defect_4_a_deeply_nested_config_is_one_line(tmp_path: Path, depth: int) -> None:
    config = tmp_path / "vaultplan.toml"
    config.write_text("site_name = " + "[" * depth + "]" * depth + "\n")
    line = one_error(invoke("synth", "--config", str(config), "--out", str(tmp_path / "out")))
    # the top-level table is level 1
    where = "site_name[0][0][0][0][0]…"
    deep = "too deep to decode" if depth == 3000 else f"{depth + 1:,} levels deep at {where}"
    assert line == f"error: {config}: nested {deep}; vaultplan reads at most 100"
    assert not (tmp_path / "out").exists()


def test_the_nesting_walk_is_iterative() -> None:
    value: Any = 1
    for _ in range(100_000):
        value = {"k": [value]}
    depth, path = nesting(value)
    assert depth == 200_000
    assert path[:3] == ("k", 0, "k") and len(path) == 199_999
