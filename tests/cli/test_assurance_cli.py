"""Restore testing and audit through the CLI: synth, then check and policy on that template.

One synth with both sections on (module fixture); broken configs fail before jsii starts.
"""

from __future__ import annotations

import json
import subprocess
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from cli_support import WIDE, assert_broken_config_rejected, run_vaultplan

ON = """
site_name = "my-site"
region = "us-east-1"
[restore_testing]
enabled = true
validation_window_hours = 4
[audit]
enabled = true
report_bucket = "my-backup-reports"
report_templates = ["BACKUP_JOB_REPORT", "RESTORE_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT"]
"""
run = partial(run_vaultplan, env=WIDE)  # the console entry, on a wide terminal
NEW_TYPES = (
    "AWS::Backup::RestoreTestingPlan",
    "AWS::Backup::RestoreTestingSelection",
    "AWS::Backup::Framework",
    "AWS::Backup::ReportPlan",
)


@pytest.fixture(scope="module")
def synth_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    work = tmp_path_factory.mktemp("assurance")
    (work / "on.toml").write_text(ON)
    result = run("synth", "--config", "on.toml", "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out", result


@pytest.fixture(scope="module")
def synthesized(synth_run: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    return synth_run[0]


def test_synth_table_lists_the_restore_test_framework_and_report_plans(
    synth_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in synth_run[1].stdout.splitlines()
        if line.startswith("│")
    ]
    named = [(row[0], row[1]) for row in rows if row[0]]
    assert ("Restore test", "my_siteRestoreTest") in named
    assert ("Audit framework", "my_siteBackupControls") in named
    assert [name for element, name in named if element == "Report plan"] == [
        "my_siteReport_BackupJob",
        "my_siteReport_RestoreJob",
        "my_siteReport_ControlCompliance",
    ]


@pytest.fixture(scope="module")
def template(synthesized: Path) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((synthesized / "my-site-backup.template.json").read_text())
    return body


def test_synth_with_both_on_writes_every_assurance_resource(template: dict[str, Any]) -> None:
    types = [r["Type"] for r in template["Resources"].values()]
    assert [types.count(t) for t in NEW_TYPES] == [1, 1, 1, 3]


def test_check_reads_the_template_without_error_findings(synthesized: Path) -> None:
    result = run("check", str(synthesized), "--format", "json", cwd=synthesized.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 0
    assert report["summary"]["templates"] == 1
    about_assurance = [
        f
        for f in report["findings"]
        if any(w in f["resource"] for w in ("RestoreTesting", "Framework", "ReportPlan"))
    ]
    assert about_assurance == []


def test_policy_resolves_the_new_types_from_their_schemas(synthesized: Path) -> None:
    result = run(
        "policy",
        str(synthesized),
        "--region",
        "us-east-1",
        "--account",
        "123456789012",
        "--strict",
        cwd=synthesized.parent,
    )
    assert result.returncode == 0, result.stderr
    assert "unresolved:" not in result.stderr
    actions = {
        action
        for statement in json.loads(result.stdout)["Statement"]
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    }
    # Handler permissions in cfn-lint's schemas for the four types (create and delete).
    for action in (
        "backup:CreateRestoreTestingPlan",
        "backup:DeleteRestoreTestingPlan",
        "backup:CreateRestoreTestingSelection",
        "backup:DeleteRestoreTestingSelection",
        "backup:CreateFramework",
        "backup:DeleteFramework",
        "backup:CreateReportPlan",
        "backup:DeleteReportPlan",
        "iam:PassRole",
    ):
        assert action in actions, action


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "[restore_testing]\nenabled = true\nschedule = 'rate(7 days)'\n",
            "restore_testing.schedule: got 'rate(7 days)'",
            id="restore-schedule",
        ),
        pytest.param(
            "[restore_testing]\nenabled = true\nstart_window_hours = 0\n",
            "restore_testing.start_window_hours: got 0; a start window in hours is a whole "
            "number from 1 to 168",
            id="start-window",
        ),
        pytest.param(
            "[restore_testing]\nenabled = true\nvalidation_window_hours = 500\n",
            "restore_testing.validation_window_hours: got 500",
            id="validation-window",
        ),
        pytest.param(
            "[restore_testing]\nenabled = true\nname = 'my-test'\n",
            "restore_testing.name: got 'my-test'",
            id="restore-name",
        ),
        pytest.param(
            "[audit]\nenabled = true\nframework = false\nreport_bucket = 'reports'\n",
            "audit.framework: got false with report_templates ['CONTROL_COMPLIANCE_REPORT']",
            id="report-without-framework",
        ),
        pytest.param(
            "[audit]\nenabled = true\nframework = false\n",
            "audit.framework: got false with no report_bucket",
            id="report-without-bucket",
        ),
        pytest.param(
            "[audit]\nenabled = true\nreport_bucket = 'Reports_Bucket'\n",
            "audit.report_bucket: got 'Reports_Bucket'",
            id="bucket-name",
        ),
        pytest.param(
            "[audit]\nenabled = true\nname = '_controls'\n",
            "audit.name: got '_controls'",
            id="framework-name",
        ),
    ],
)
def test_broken_assurance_config_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    assert_broken_config_rejected(tmp_path, text, message)
