"""The root command: version, help and usage errors, through the console script."""

from __future__ import annotations

import subprocess
import sys

from vaultplan import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vaultplan", *args], capture_output=True, text=True, check=False
    )


def test_version_prints_package_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"vaultplan {__version__}"


def test_unknown_command_is_a_usage_error_with_exit_2() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert "No such command 'no-such-command'" in result.stderr
    assert "Traceback" not in result.stderr
