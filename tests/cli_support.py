"""The console-entry runner and assertions shared by the CLI and compliance tests.

A module of its own, not a conftest (conftest names collide across folders): tests import it as
``cli_support``, which works because ``tests/conftest.py`` puts ``tests/`` on ``sys.path``
(pytest's default ``prepend`` import mode, for a test folder without ``__init__.py``).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Rich wraps to the terminal; a wide one keeps tables and error lines on one line each.
WIDE = {"COLUMNS": "200"}
# The same, without colour codes in the text the tests compare.
PLAIN = {**WIDE, "NO_COLOR": "1"}


def run_vaultplan(
    *args: str,
    prefix: Sequence[str] = (),
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    inherit: Collection[str] | None = None,
    module: str = "vaultplan",
) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE PREFIX ARGS`` on this checkout's code (the CLI as users run it).

    The child gets this process's environment (only the variables named in ``inherit``, when
    given), with this checkout's ``src`` first on ``PYTHONPATH``, then ``env`` on top.
    """
    parent = (
        os.environ if inherit is None else {k: os.environ[k] for k in inherit if k in os.environ}
    )
    environ = dict(parent)
    environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [environ.get("PYTHONPATH")])]
    )
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", module, *prefix, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=environ,
    )


def assert_broken_config_rejected(
    tmp_path: Path, text: str, message: str, *, name: str = "bad.toml"
) -> subprocess.CompletedProcess[str]:
    """``vaultplan synth`` on a config file holding ``text`` fails as a broken input must.

    Exit code 2, nothing on stdout, one stderr line starting ``error: MESSAGE``, and no output
    folder written. Returns the run for any further assertions.
    """
    (tmp_path / name).write_text(text)
    result = run_vaultplan("synth", "--config", name, "--out", "out", cwd=tmp_path, env=WIDE)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()
    return result


@dataclass(frozen=True)
class Outcome:
    """What one in-process run of the CLI gave."""

    code: int
    stdout: str
    stderr: str


def invoke(*args: str, env: Mapping[str, str] | None = None) -> Outcome:
    """``vaultplan ARGS`` in this process, through the console script's own entry point
    (``vaultplan.cli:main``): its exit code and what it wrote. Much faster than
    :func:`run_vaultplan`, for the fuzz suite and the error-boundary tests."""
    from vaultplan.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            else:  # pragma: no cover - main always exits
                code = 0
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Outcome(code, out.getvalue(), err.getvalue())


def one_error(result: Outcome, *, code: int = 2) -> str:
    """The single stderr line of a failed run (and nothing on stdout)."""
    assert result.code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def hourly_plan(**rule: Any) -> dict[str, Any]:
    """A template of one vault and a one-rule hourly plan (logical ids ``Vault``, ``Plan``);
    ``rule`` overrides or adds the rule's properties."""
    return {
        "Resources": {
            "Vault": {"Type": "AWS::Backup::BackupVault"},
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {
                    "BackupPlan": {
                        "BackupPlanName": "p",
                        "BackupPlanRule": [
                            {
                                "RuleName": "Hourly",
                                "TargetBackupVault": {"Ref": "Vault"},
                                "ScheduleExpression": "cron(0 * * * ? *)",
                                "StartWindowMinutes": 60,
                                **rule,
                            }
                        ],
                    }
                },
            },
        }
    }


def backup_role(managed_policy_arns: list[Any]) -> dict[str, Any]:
    """An ``AWS::IAM::Role`` that AWS Backup assumes, with ``managed_policy_arns``."""
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "backup.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            },
            "ManagedPolicyArns": managed_policy_arns,
        },
    }
