"""The CLI's error boundary (issue 11, "Hostile input"): every failure is one stderr line.

Bad input is ``error: <input>: <what>; got <value>`` and exit 2; a bug is ``internal error in
<command>: ...`` and exit 3. Each regression test is named after the defect it pins.
Most run in-process through ``vaultplan.cli:main`` (:func:`cli_support.invoke`), the entry point
of the console script; the ones about the process itself run it (:func:`run_vaultplan`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import PLAIN, invoke, one_error, run_vaultplan
from vaultplan.errors import LINE_LIMIT, VALUE_LIMIT, error_line, shown

TESTS = Path(__file__).resolve().parent.parent
SEED = TESTS / "simulate" / "fixtures" / "seed.json"
DEFAULT = TESTS / "permissions" / "fixtures" / "default_strategy.yaml"


# -- the line itself ------------------------------------------------------------------------


def test_error_line_escapes_control_characters() -> None:
    line = error_line("--region: unknown; got 'a\nb\tc\x1b[31m\u2028d\u202e'")
    assert line == "error: --region: unknown; got 'a\\nb\\tc\\x1b[31m\\u2028d\\u202e'"


def test_error_line_shortens_a_long_value_and_a_long_line() -> None:
    line = error_line(f"--plan: no such plan; got {'x' * 5000}")
    assert "…" in line and len(line) < 200
    words = " ".join(f"word{i}" for i in range(1000))
    assert len(error_line(words)) <= LINE_LIMIT


def test_shown_quotes_strings_and_cuts_them() -> None:
    assert shown("a\nb") == "'a\\nb'"  # repr escapes the newline; nothing raw is left
    assert len(shown("y" * 1000)) == VALUE_LIMIT


# -- usage errors: one line, not typer's box (issue 11, defect 11: 147 cases) ----------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        pytest.param(
            ["policy", str(DEFAULT), "--format", "xml"],
            "error: --format: use one of json, table; got 'xml'",
            id="policy-format",
        ),
        pytest.param(
            ["check", str(DEFAULT), "-f", "xml"],
            "error: --format: use one of text, table, json, sarif; got 'xml'",
            id="check-format",
        ),
        pytest.param(
            ["explain", "--message", "m", "--format", "yaml"],
            "error: --format: use one of text, json; got 'yaml'",
            id="explain-format",
        ),
        pytest.param(
            ["policy", str(DEFAULT), "--for", "root"],
            "error: --for: use one of exec-role, user; got 'root'",
            id="policy-for",
        ),
        pytest.param(
            ["simulate", str(SEED), "--start", "2026-01-01", "--days", "abc"],
            "error: --days: expected an integer; got 'abc'",
            id="days-not-integer",
        ),
        pytest.param(
            ["simulate", str(SEED), "--start", "2026-01-01", "--days", "1", "--size-gib", "big"],
            "error: --size-gib: expected a number; got 'big'",
            id="size-not-number",
        ),
        pytest.param(
            ["simulate", str(SEED), "--days", "1"],
            "error: --start: required, not given; see 'vaultplan simulate --help'",
            id="missing-option",
        ),
        pytest.param(
            ["policy"],
            "error: TEMPLATE: required, not given; see 'vaultplan policy --help'",
            id="missing-argument",
        ),
        pytest.param(
            ["simulate", str(SEED), "--start", "2026-01-01", "--dayz", "1"],
            "error: --dayz: no such option of vaultplan simulate; did you mean --days?",
            id="unknown-option",
        ),
        pytest.param(
            ["simulate", str(SEED), "--start", "2026-01-01", "--days"],
            "error: --days: requires a value; see 'vaultplan --help'",
            id="option-without-value",
        ),
        pytest.param(
            ["simulate", str(SEED), "extra", "--start", "2026-01-01", "--days", "1"],
            "error: vaultplan simulate: unexpected extra argument(s); "
            "see 'vaultplan simulate --help'; got 'extra'",
            id="extra-argument",
        ),
    ],
)
def test_usage_error_is_one_line_naming_the_option_and_the_allowed_values(
    args: list[str], line: str
) -> None:
    assert one_error(invoke(*args)) == line


def test_help_still_teaches() -> None:
    result = run_vaultplan("policy", "--help", env=PLAIN)
    assert result.returncode == 0
    assert "Usage: vaultplan policy" in result.stdout
    assert "--format" in result.stdout and "╭" in result.stdout  # rich help boxes


def test_no_arguments_prints_the_help() -> None:
    result = invoke()
    assert result.code == 2
    assert "Usage: vaultplan" in result.stdout
    assert result.stderr == ""


# -- internal errors: one line, exit 3, the traceback on request -----------------------------


def _bug(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("division by zero")


SIMULATE = ["simulate", str(SEED), "--start", "2026-01-01", "--days", "1"]


def test_a_bug_is_an_internal_error_not_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultplan.simulate.run.simulate", _bug)
    line = one_error(invoke(*SIMULATE), code=3)
    assert line == (
        "internal error in simulate: ZeroDivisionError: division by zero; "
        "rerun with --debug for the traceback"
    )


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(["--debug", *SIMULATE], {}, id="root-option"),
        pytest.param([*SIMULATE, "--debug"], {}, id="after-the-command"),
        pytest.param(SIMULATE, {"VAULTPLAN_DEBUG": "1"}, id="environment"),
    ],
)
def test_debug_prints_the_traceback(
    monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str]
) -> None:
    monkeypatch.setattr("vaultplan.simulate.run.simulate", _bug)
    result = invoke(*args, env=env)
    assert result.code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("internal error in simulate: ")


# -- policy's notes wait for success (issue 11, defect 11) ----------------------------------


def test_policy_notes_are_not_printed_before_an_error(tmp_path: Path) -> None:
    # This template gives `ignored:` and `assumed:` notes; --split at a file is bad input.
    template = tmp_path / "t.yaml"
    template.write_text(
        "Parameters:\n  VaultName:\n    Type: String\n    Default: shop\n"
        "Resources:\n  V:\n    Type: AWS::Backup::BackupVault\n"
        "    Properties:\n      BackupVaultName: !Ref VaultName\n"
    )
    ok = invoke("policy", str(template))
    assert ok.code == 0, ok.stderr
    assert {line.split(":")[0] for line in ok.stderr.splitlines()} >= {"assumed", "ignored"}
    (tmp_path / "file").write_text("keep")
    line = one_error(invoke("policy", str(template), "--split", str(tmp_path / "file")))
    assert line.startswith("error: --split: ")
    assert (tmp_path / "file").read_text() == "keep"


# -- defect 3: a long --parameters value ----------------------------------------------------


def test_defect_3_long_parameter_value_is_a_value_not_a_path() -> None:
    long = "x" * 5000
    result = invoke("policy", str(DEFAULT), "-p", "Other=1", f"VaultName={long}")
    # VaultName is not a parameter of the template: one line, the value cut short.
    line = one_error(result)
    assert line.startswith("error: --parameters: ") and len(line) < 400
    assert "File name too long" not in line


# -- defect 8: encodings --------------------------------------------------------------------

UTF16 = "\ufeff{}".encode("utf-16-le")


@pytest.mark.parametrize(
    ("data", "found"),
    [
        pytest.param("{}".encode("utf-16"), "UTF-16 LE, by its byte order mark", id="utf16-bom"),
        pytest.param("{}".encode("utf-16-be"), "UTF-16 BE without a byte order mark", id="u16be"),
        pytest.param("{}".encode("utf-32"), "UTF-32 LE, by its byte order mark", id="utf32-bom"),
        pytest.param(b'{"a": "\xe9"}', "byte 0xe9 at byte 7 is not UTF-8", id="latin-1"),
    ],
)
@pytest.mark.parametrize(
    "option",
    ["--prices", "--policy", "--events", "--config"],
)
def test_defect_8_a_file_not_in_utf8_is_one_line_naming_the_encoding(
    tmp_path: Path, option: str, data: bytes, found: str
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(data)
    command = {
        "--prices": [*SIMULATE, "--prices", str(path)],
        "--policy": ["explain", "--resource-type", "AWS::Backup::BackupVault", "--message", "m"],
        "--events": ["explain", "--events", str(path)],
        "--config": ["synth", "--config", str(path), "--out", str(tmp_path / "out")],
    }[option]
    if option == "--policy":
        command += ["--policy", str(path)]
    line = one_error(invoke(*command))
    assert line == (
        f"error: {option}: not UTF-8 text ({found}); save it as UTF-8; got {shown(str(path))}"
    )
    assert not (tmp_path / "out").exists()


def test_defect_8_utf8_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    prices = tmp_path / "p.json"
    body = {"regions": {"us-east-1": {"efs": {"warm": 1, "cold": 0}}}}
    prices.write_text(json.dumps(body), encoding="utf-8-sig")
    result = invoke(*SIMULATE, "--prices", str(prices), "--format", "json")
    assert result.code == 0, result.stderr
    config = tmp_path / "vaultplan.toml"
    config.write_text('site_name = "bom"\n', encoding="utf-8-sig")
    from vaultplan.config import load_config

    assert load_config(config).site_name == "bom"


def test_defect_8_no_stray_decoder_line_for_a_template(tmp_path: Path) -> None:
    template = tmp_path / "t.json"
    template.write_bytes(UTF16)
    result = invoke("policy", str(template))
    assert "Cannot read file contents: t.json" not in result.stderr
    one_error(result)


# -- defect 9: init on a path the system refuses --------------------------------------------


def test_defect_9_init_on_a_self_symlink(tmp_path: Path) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    line = one_error(invoke("init", str(loop)))
    assert line == f"error: PATH: a symbolic link to itself or to nothing; got {shown(str(loop))}"


def test_defect_9_init_on_a_name_longer_than_255(tmp_path: Path) -> None:
    path = tmp_path / ("a" * 300)
    line = one_error(invoke("init", str(path)))
    assert line.startswith("error: PATH: cannot write it (File name too long); got ")
    assert list(tmp_path.iterdir()) == []


# -- defect 10: simulate --chart with an unknown extension ----------------------------------


def test_defect_10_chart_with_an_unknown_extension_is_refused_before_simulating(
    tmp_path: Path,
) -> None:
    chart = tmp_path / "c.xyz"
    line = one_error(invoke(*SIMULATE, "--chart", str(chart)))
    assert line.startswith("error: --chart: unknown image format .xyz; use one of .png, .svg")
    assert not chart.exists()


# -- defect 11: a newline inside a value ----------------------------------------------------


def test_defect_11_newline_in_explain_resource_type_stays_on_one_line() -> None:
    line = one_error(invoke("explain", "--resource-type", "AWS::X\nfake: line", "--message", "m"))
    assert line.startswith("error: --resource-type: ")
    assert "AWS::X\\nfake: line" in line


def test_defect_11_newline_in_a_prices_region_key_stays_on_one_line(tmp_path: Path) -> None:
    prices = tmp_path / "p.json"
    prices.write_text(json.dumps({"regions": {"us-\neast-1\x1b[2J": {"efs": 3}}}))
    line = one_error(invoke(*SIMULATE, "--prices", str(prices)))
    assert line.startswith("error: --prices: ")
    assert "us-\\neast-1\\x1b[2J" in line


# -- found by the fuzz suite ----------------------------------------------------------------


@pytest.mark.parametrize("region", ["x" * 300, "../providers/us-east-1"])
def test_region_is_never_made_into_a_path(region: str) -> None:
    # A long --region raised "File name too long" (an internal error); a relative one read
    # another file of cfn-lint's as the Region's index.
    args = ["--resource-type", "AWS::Backup::BackupVault", "--message", "m", "--region", region]
    line = one_error(invoke("explain", *args))
    assert line.startswith("error: --region: got ")


@pytest.mark.parametrize("command", ["check", "policy"])
def test_template_argument_too_long_for_a_file_name(command: str) -> None:
    line = one_error(invoke(command, str(DEFAULT), "-p", "VaultName=", "0" * 300))
    assert line.startswith("error: TEMPLATE: cannot read it (File name too long); got '000")


@pytest.mark.parametrize("option", ["--policy", "--boundary", "--scp"])
def test_fuzz_preflight_policy_with_an_integer_too_long_for_int(
    tmp_path: Path, option: str
) -> None:
    # A 5,000-digit integer in a policy file was int()'s ValueError, an internal error; and a
    # bad --boundary or --scp file was named --policy in the line.
    good = tmp_path / "good.json"
    good.write_text('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    bad = tmp_path / "bad.json"
    bad.write_text('{"Statement": ' + "9" * 5000 + "}")
    extra = [] if option == "--policy" else ["--policy", str(good)]
    line = one_error(invoke("preflight", str(DEFAULT), *extra, option, str(bad)))
    assert line.startswith(
        f"error: {option}: holds an integer of more than 4,300 digits; vaultplan reads at most"
    )
