"""The root command: version, help and usage errors, through the console script."""

from __future__ import annotations

import itertools

import pytest

from cli_support import run_vaultplan as run
from vaultplan import __version__


def test_version_prints_package_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"vaultplan {__version__}"


def test_unknown_command_is_a_usage_error_with_exit_2() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert result.stderr == (
        "error: COMMAND: no such command of vaultplan; use one of check, explain, init, org, "
        "policy, preflight, report, simulate, synth; got 'no-such-command'\n"
    )
    assert "Traceback" not in result.stderr


def _description(help_text: str) -> list[str]:
    """The lines of a ``--help`` page between the usage line and the first option box."""
    lines = help_text.split("╭", 1)[0].splitlines()
    start = next(i for i, line in enumerate(lines) if "Usage:" in line) + 1
    return [line.rstrip() for line in lines[start:]]


@pytest.mark.parametrize("command", ["synth", "init", "check", "simulate", "policy", "explain"])
def test_help_reflows_to_an_80_column_terminal(command: str) -> None:
    # Hand-wrapped help text breaks twice on a narrow terminal: once where rich wraps it and
    # again at the author's newline, leaving short ragged lines mid-paragraph, and an example
    # command that spills its tail onto an unindented line.
    result = run(command, "--help", env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    lines = _description(result.stdout)
    assert lines, result.stdout
    for line, after in itertools.pairwise(lines):
        assert len(line) <= 80, line
        if not line.strip() or not after.strip():
            continue
        example = line.startswith("   ")
        if example:
            assert after.startswith("   "), f"example spills onto an unindented line: {after!r}"
        else:
            assert len(line) >= 55, f"ragged line in the middle of a paragraph: {line!r}"
