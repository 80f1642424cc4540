"""checkov (CloudFormation framework) reports zero failed checks on the default template.

checkov pins versions that clash with ours, so it lives in its own virtualenv; ``make pytest``
(what CI runs) installs it and names it in ``VAULTPLAN_CHECKOV``. Without that variable the
tests skip (a developer's plain ``pytest``); with it, a checkov that is missing or broken fails
them, so CI never passes without having run checkov.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from vaultplan.cdk.suppressions import SUPPRESSIONS


@pytest.fixture(scope="module")
def checkov_executable() -> str:
    """``VAULTPLAN_CHECKOV``: skip when unset, fail when it names no executable."""
    executable = os.environ.get("VAULTPLAN_CHECKOV")
    if not executable:
        pytest.skip("VAULTPLAN_CHECKOV is not set (make pytest sets it)")
    if not (Path(executable).is_file() and os.access(executable, os.X_OK)):
        pytest.fail(f"VAULTPLAN_CHECKOV: got {executable!r}; no such executable file")
    return executable


@pytest.fixture(scope="module")
def checkov(checkov_executable: str, default_template_path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [
            checkov_executable,
            "--file",
            str(default_template_path),
            "--framework",
            "cloudformation",
            "--output",
            "json",
            # offline: no download of Prisma Cloud's guidelines (it only adds doc links)
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # checkov exits 1 when a check fails, 0 when none does; anything else is checkov broken.
    if result.returncode not in (0, 1):
        pytest.fail(f"checkov exited {result.returncode}: {result.stderr[-2000:]}")
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"checkov printed no JSON report: {result.stdout[-500:]} {result.stderr[-1500:]}"
        )
    return report


def test_checkov_scanned_every_resource(
    checkov: dict[str, Any], default_template_path: Path
) -> None:
    template = json.loads(default_template_path.read_text())
    summary = checkov["summary"]
    assert summary["parsing_errors"] == 0
    # checkov counts the resources it knows; AWS::CDK::Metadata is not one of them.
    known = [r for r in template["Resources"].values() if r["Type"] != "AWS::CDK::Metadata"]
    assert summary["resource_count"] == len(known)
    assert summary["passed"] > 0


def test_checkov_has_no_failed_check(checkov: dict[str, Any]) -> None:
    failed = [
        (c["check_id"], c["resource"], c["check_name"]) for c in checkov["results"]["failed_checks"]
    ]
    assert failed == []
    assert checkov["summary"]["failed"] == 0


def test_checkov_skips_only_the_listed_checks(checkov: dict[str, Any]) -> None:
    skipped = sorted(c["check_id"] for c in checkov["results"]["skipped_checks"])
    assert skipped == sorted(s.rule_id for s in SUPPRESSIONS if s.tool == "checkov")


@pytest.mark.parametrize(
    ("value", "outcome"),
    [
        pytest.param("/nonexistent/checkov", "1 error", id="broken"),
        pytest.param("", "1 skipped", id="unset"),
    ],
)
def test_a_broken_checkov_fails_the_tests_and_an_unset_one_skips_them(
    value: str, outcome: str
) -> None:
    # GIVEN VAULTPLAN_CHECKOV naming no checkov (CI's setting broken), or not set at all
    env = {k: v for k, v in os.environ.items() if k != "VAULTPLAN_CHECKOV"}
    if value:
        env["VAULTPLAN_CHECKOV"] = value
    # WHEN the checkov test runs
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"{__file__}::test_checkov_has_no_failed_check",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    # THEN it errors (in its fixture) naming the variable, or skips
    assert outcome in result.stdout.splitlines()[-1], result.stdout
    if value:
        assert result.returncode == 1
        assert f"VAULTPLAN_CHECKOV: got {value!r}; no such executable file" in result.stdout
    else:
        assert result.returncode == 0
