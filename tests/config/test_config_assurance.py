"""``[restore_testing]`` and ``[audit]`` in vaultplan.toml: off by default, every key, bad input."""

from __future__ import annotations

import re

import pytest

from vaultplan.config import Config, default_config_text, parse_config, summarize
from vaultplan.errors import InputError
from vaultplan.spec import AuditOptions, RestoreTestingOptions

FULL = """
site_name = "my-site"
[restore_testing]
enabled = true
schedule = "cron(0 6 ? * MON *)"
schedule_timezone = "Europe/Paris"
start_window_hours = 8
selection_window_days = 7
validation_window_hours = 4
kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
name = "MySiteWeeklyTest"
[audit]
enabled = true
framework = true
report_bucket = "my-backup-reports"
report_key_prefix = "backup"
report_formats = ["CSV", "JSON"]
report_templates = ["BACKUP_JOB_REPORT", "RESOURCE_COMPLIANCE_REPORT"]
name = "MySiteControls"
"""


def test_both_are_off_by_default() -> None:
    config = parse_config("")
    assert (config.restore_testing, config.audit) == (None, None)
    assert config == Config()


def test_enabled_sections_with_no_other_key_use_the_option_defaults() -> None:
    config = parse_config(
        "[restore_testing]\nenabled = true\n[audit]\nenabled = true\nreport_bucket = 'r-1'\n"
    )
    assert config.restore_testing == RestoreTestingOptions()
    assert config.audit == AuditOptions(report_bucket="r-1")


def test_every_key_is_read() -> None:
    config = parse_config(FULL)
    assert config.restore_testing == RestoreTestingOptions(
        schedule="cron(0 6 ? * MON *)",
        schedule_timezone="Europe/Paris",
        start_window_hours=8,
        selection_window_days=7,
        validation_window_hours=4,
        kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        name="MySiteWeeklyTest",
    )
    assert config.audit == AuditOptions(
        framework=True,
        report_bucket="my-backup-reports",
        report_key_prefix="backup",
        report_formats=("CSV", "JSON"),
        report_templates=("BACKUP_JOB_REPORT", "RESOURCE_COMPLIANCE_REPORT"),
        name="MySiteControls",
    )


def test_a_disabled_section_is_still_checked_for_typos_but_builds_nothing() -> None:
    assert parse_config("[audit]\nenabled = false\nreport_bucket = 'Bad_Name'\n").audit is None
    with pytest.raises(InputError, match=r"audit\.report_buckett: unknown key"):
        parse_config("[audit]\nreport_buckett = 'r'\n")


def uncommented(text: str, section: str) -> str:
    """``text`` with ``section`` enabled and every commented ``# key = value`` line in it live."""
    lines = []
    inside = False
    for line in text.splitlines():
        if line.startswith("[") or re.match(rf"# \[(?!{section}\.)", line):
            inside = line == f"[{section}]"
        if inside:
            line = line.replace("enabled = false", "enabled = true")
            line = re.sub(r"^# (\w+ = .*)$", r"\1", line)
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_init_text_shows_every_key_and_each_reads_back_when_turned_on() -> None:
    text = default_config_text()
    keys = {
        "restore_testing": RestoreTestingOptions.__dataclass_fields__,
        "audit": AuditOptions.__dataclass_fields__,
    }
    for section, fields in keys.items():
        # The section ends at the next table, live or commented out (``# [org]``), but not at
        # a commented sub-table of its own (``# [restore_testing.validation]``).
        rest = text.split(f"[{section}]\n", 1)[1]
        body = re.split(rf"\n(?:\[|# \[(?!{section}\.))", rest, maxsplit=1)[0]
        shown = re.findall(r"^(?:# )?(\w+) = ", body, flags=re.MULTILINE)
        # The drill (field ``validation``) is turned on by ``validate``; its table follows.
        keys_of = ["validate" if name == "validation" else name for name in fields]
        assert shown == ["enabled", *keys_of], section
    on = parse_config(uncommented(uncommented(text, "restore_testing"), "audit"))
    assert on.restore_testing is not None and on.restore_testing.validation_window_hours == 24
    assert on.audit is not None and on.audit.report_bucket == "my-backup-reports"


BAD = [
    pytest.param(
        "[restore_testing]\nenabled = 'yes'\n",
        "restore_testing.enabled: got 'yes' (a string); expected true or false",
        id="enabled-type",
    ),
    pytest.param(
        "restore_testing = 3\n",
        "restore_testing: got 3 (an integer); expected a table: [restore_testing]",
        id="section-type",
    ),
    pytest.param(
        "[restore_testing]\nenabled = true\nstart_window_hours = '8'\n",
        "restore_testing.start_window_hours: got '8' (a string); expected a whole number",
        id="hours-as-string",
    ),
    pytest.param(
        "[restore_testing]\nenabled = true\nschedule = 'cron(0 8 1 * MON *)'\n",
        "restore_testing.schedule: got 'cron(0 8 1 * MON *)'",
        id="bad-schedule",
    ),
    pytest.param(
        "[restore_testing]\nenabled = true\nvalidation_window_hours = 169\n",
        "restore_testing.validation_window_hours: got 169; a validation window is a whole "
        "number from 0 to 168",
        id="validation-window",
    ),
    pytest.param(
        "[restore_testing]\nenabled = true\nname = 'weekly-test'\n",
        "restore_testing.name: got 'weekly-test'; a restore testing plan name is 1 to 50 "
        "letters, digits or '_'",
        id="restore-name",
    ),
    pytest.param(
        "[file_system]\ncreate = false\n[selection]\n"
        "arns = ['arn:aws:rds:us-east-1:123456789012:db:orders']\n"
        "[restore_testing]\nenabled = true\n",
        "restore_testing: got 0 EFS file systems; restore tests restore the strategy's EFS",
        id="restore-testing-without-efs",
    ),
    pytest.param(
        "[vault]\nbreak_glass_arns = ["
        + ", ".join(f"'arn:aws:iam::123456789012:role/B{i}'" for i in range(6))
        + "]\n[audit]\nenabled = true\n",
        "audit.framework: got true with 6 vault.break_glass_arns; the control "
        "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED exempts at most 5 principals",
        id="six-break-glass-arns",
    ),
    pytest.param(
        "[audit]\nenabled = true\nreport_formats = 'CSV'\n",
        "audit.report_formats: got 'CSV' (a string); expected an array of strings",
        id="formats-type",
    ),
    pytest.param(
        "[audit]\nenabled = true\nreport_bucket = 'ab'\n",
        "audit.report_bucket: got 'ab'; an S3 bucket name is 3 to 63 lowercase letters",
        id="bucket-name",
    ),
    pytest.param(
        "[audit]\nenabled = true\nframework = false\nreport_bucket = 'reports'\n",
        "audit.framework: got false with report_templates ['CONTROL_COMPLIANCE_REPORT']",
        id="compliance-report-without-framework",
    ),
    pytest.param(
        "[audit]\nenabled = true\nframework = false\n",
        "audit.framework: got false with no report_bucket",
        id="nothing-to-create",
    ),
    pytest.param(
        "[audit]\nenabled = true\nname = 'controls-1'\n",
        "audit.name: got 'controls-1'; a framework name is 1 to 256 characters",
        id="framework-name",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_assurance_config_raises_one_line_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text)
    assert caught.value.exit_code == 2
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith(message), caught.value.message


def test_summary_says_what_each_section_builds() -> None:
    assert summarize(parse_config("")).assurance == ()
    items = summarize(parse_config(FULL)).assurance
    assert [(i.element, i.name) for i in items] == [
        ("Restore test", "MySiteWeeklyTest"),
        ("Audit framework", "MySiteControls"),
        ("Report plan", "MySiteControlsReport_BackupJob"),
        ("Report plan", "MySiteControlsReport_ResourceCompliance"),
    ]
    assert items[0].details.startswith("cron(0 6 ? * MON *): at 06:00 Europe/Paris every Monday")
    assert "requiredFrequencyUnit=days, requiredFrequencyValue=1, requiredRetentionDays=35" in (
        items[1].details
    )
    assert items[2].details == "BACKUP_JOB_REPORT as CSV, JSON to s3://my-backup-reports/backup"
