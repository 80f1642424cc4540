"""``vaultplan check``'s default output: one line per finding, colour only for a terminal
without ``NO_COLOR``, and a progress bar on stderr only when stderr is a terminal."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from cli_support import ROOT, run_vaultplan
from vaultplan.checks import check_paths
from vaultplan.cli._console import progress_bar
from vaultplan.simulate import SimulationOptions, simulate

# cfn-lint-shaped: ``path:line:col: VP105 [error] message``.
FINDING = re.compile(
    r"^(?P<path>\S.*?):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): (?P<id>VP\d{3}) "
    r"\[(?P<severity>error|warning|info)\] (?P<message>\S.*)$"
)
ANSI = re.compile(r"\x1b\[")
DEFAULT = ROOT / "tests" / "golden" / "default_template.json"


@pytest.fixture(scope="module")
def default_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default strategy's template, as ``vaultplan synth`` writes it with no config."""
    work = tmp_path_factory.mktemp("synth")
    result = run_vaultplan("synth", "--out", str(work / "cdk.out"), cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "cdk.out" / "example-backup.template.json"


def on_a_terminal(
    args: list[str], *, stdout: bool, stderr: bool, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """``vaultplan ARGS`` with stdout and/or stderr on a pseudo-terminal (what a user sees)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update({"PYTHONPATH": str(ROOT / "src"), "COLUMNS": "80", "TERM": "xterm"})
    environ.update(env or {})
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vaultplan", *args],
        stdout=slave if stdout else subprocess.PIPE,
        stderr=slave if stderr else subprocess.PIPE,
        env=environ,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    piped_out = proc.stdout.read() if proc.stdout else b""
    piped_err = proc.stderr.read() if proc.stderr else b""
    code = proc.wait(timeout=120)
    tty = seen.decode().replace("\r\n", "\n")
    return code, tty if stdout else piped_out.decode(), tty if stderr else piped_err.decode()


def test_at_80_columns_each_finding_of_the_default_template_is_one_line(
    default_template: Path,
) -> None:
    result = run_vaultplan("check", str(default_template), env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    *lines, summary = result.stdout.splitlines()
    findings = json.loads(run_vaultplan("check", str(default_template), "--format", "json").stdout)[
        "findings"
    ]
    assert len(findings) >= 2
    assert len(lines) == len(findings)
    for line, finding in zip(lines, findings, strict=True):
        match = FINDING.match(line)
        assert match, line
        assert match["path"] == str(default_template)
        assert (match["id"], match["severity"]) == (finding["id"], finding["severity"])
        assert int(match["line"]) == finding["line"]
        assert match["message"] == finding["message"]
        assert len(line) > 80  # longer than the terminal, and still not wrapped
    assert summary.startswith("1 template(s) checked, 0 error(s), 0 warning(s), 2 info")


def test_the_column_is_where_the_finding_is(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  V:\n    Type: AWS::Backup::BackupVault\n"
        "    Properties:\n      BackupVaultName: 'a b'\n"
    )
    ignore = ("--ignore-checks", "VP201,VP202,VP203,VP216")
    first = run_vaultplan("check", str(path), *ignore).stdout.splitlines()[0]
    assert first.startswith(f"{path}:5:7: VP101 [error] "), first
    # JSON, read by the standard library: the column is counted in the text.
    path = tmp_path / "t.json"
    path.write_text(
        '{"Resources": {"V": {"Type": "AWS::Backup::BackupVault",\n'
        '  "Properties": {\n      "BackupVaultName": "a b"}}}}\n'
    )
    first = run_vaultplan("check", str(path), *ignore).stdout.splitlines()[0]
    assert first.startswith(f"{path}:3:7: VP101 [error] "), first


def test_a_message_with_a_line_break_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    name = "a\\nb"  # a vault name holding a line break: VP101 quotes it
    path.write_text(
        '{"Resources": {"V": {"Type": "AWS::Backup::BackupVault", '
        f'"Properties": {{"BackupVaultName": "{name}"}}}}}}}}'
    )
    out = run_vaultplan("check", str(path)).stdout.splitlines()
    assert all(FINDING.match(line) for line in out[:-1]), out
    assert any(" VP101 [error] " in line for line in out)


def test_table_format_keeps_the_table() -> None:
    result = run_vaultplan("check", str(DEFAULT), "--format", "table", env={"COLUMNS": "80"})
    assert result.returncode == 0
    assert "┃ Severity ┃ Check ┃" in result.stdout


def test_a_terminal_gets_colour_and_no_color_takes_it_away() -> None:
    args = ["check", str(DEFAULT)]
    _, coloured, _ = on_a_terminal(args, stdout=True, stderr=False)
    assert ANSI.search(coloured), coloured
    code, plain, _ = on_a_terminal(args, stdout=True, stderr=False, env={"NO_COLOR": "1"})
    assert code == 0
    assert not ANSI.search(plain), plain
    assert all(FINDING.match(line) for line in plain.splitlines()[:-1])


def test_a_pipe_gets_no_escape_codes() -> None:
    result = run_vaultplan("check", str(DEFAULT), env={"COLUMNS": "80"})
    assert result.stdout and not ANSI.search(result.stdout)
    assert not ANSI.search(run_vaultplan("check", str(DEFAULT), "-f", "table").stdout)


def folder_of_templates(tmp_path: Path, count: int = 3) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    for i in range(count):
        (folder / f"t{i}.json").write_bytes(DEFAULT.read_bytes())
    return folder


@pytest.mark.parametrize("command", ["check", "policy"])
def test_a_folder_run_draws_a_progress_bar_only_on_a_terminal(tmp_path: Path, command: str) -> None:
    folder = folder_of_templates(tmp_path)
    piped = run_vaultplan(command, str(folder))
    assert piped.returncode == 0, piped.stderr
    assert "━" not in piped.stderr and not ANSI.search(piped.stderr)
    code, out, err = on_a_terminal([command, str(folder)], stdout=False, stderr=True)
    assert code == 0, err
    assert f"{command} " in err and "━" in err and "100%" in err
    assert out == piped.stdout  # stdout is the same with or without the bar
    if piped.stderr:  # the notes policy prints come after the bar, which cleared its line
        assert err.endswith(piped.stderr.splitlines()[-1] + "\n")


def test_one_template_draws_no_bar_even_on_a_terminal() -> None:
    code, _, err = on_a_terminal(["check", str(DEFAULT)], stdout=False, stderr=True)
    assert code == 0
    assert "━" not in err


def test_check_paths_reports_loading_then_checking_each_file(tmp_path: Path) -> None:
    folder = folder_of_templates(tmp_path)
    calls: list[tuple[int, int]] = []
    report = check_paths([folder], progress=lambda done, total: calls.append((done, total)))
    assert len(report.analysed) == 3
    assert calls == [(i, 6) for i in range(1, 7)]


def test_the_bar_draws_on_a_forced_terminal_and_not_on_a_file() -> None:
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True, width=80)
    with progress_bar("simulate", target=terminal) as bar:
        assert bar is not None
        simulate(DEFAULT, SimulationOptions(start=date(2026, 1, 1), days=3650), progress=bar)
    assert "simulate" in buffer.getvalue() and "━" in buffer.getvalue()
    with progress_bar("simulate", target=Console(file=io.StringIO())) as none:
        assert none is None


def test_a_simulation_reports_every_day_of_every_chain() -> None:
    calls: list[tuple[int, int]] = []
    options = SimulationOptions(start=date(2026, 1, 1), days=365)
    simulate(DEFAULT, options, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (365, 365)  # one resource, no copy: one chain
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_the_bar_waits_for_its_delay() -> None:
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True)
    with progress_bar("simulate", delay=60, target=terminal) as bar:
        assert bar is not None
        bar(1, 2)
    assert buffer.getvalue() == ""
