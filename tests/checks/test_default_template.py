"""``vaultplan check`` passes the default strategy's template with no error.

``tests/golden/default_template.json`` is what ``vaultplan synth`` writes for the default
config (its own test keeps it so); checking it here keeps ``check`` and the construct in
agreement on every AWS Backup constraint.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from vaultplan.checks import Severity, check_paths

DEFAULT = Path(__file__).resolve().parents[1] / "golden" / "default_template.json"


def test_default_template_has_no_error_or_warning_and_the_seed_overlap_is_info() -> None:
    report = check_paths([DEFAULT], now=datetime(2026, 1, 1, tzinfo=UTC))
    assert report.exit_code == 0
    # issue 5: the default draws no error and no warning; only infos (VP204, VP207) remain.
    assert [
        (f.check_id, f.message) for f in report.findings if f.severity is not Severity.INFO
    ] == []
    assert sorted(f.check_id for f in report.findings) == ["VP204", "VP207"]
    # Overlapping rules: on the 1st the monthly rule (longer retention) wins
    # (AWS Backup developer guide):
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html
    (overlap,) = [f for f in report.findings if f.check_id == "VP207"]
    assert overlap.severity is Severity.INFO
    assert "DailyWarmBackup' backups (kept 35 days) will not exist" in overlap.message
    # VP204 is info while no copy is configured (issue 5's exception).
    assert all(f.severity is Severity.INFO for f in report.findings if f.check_id == "VP204")
    assert report.not_applicable == []


def test_default_vault_draws_no_kms_lock_or_notification_warning() -> None:
    # issue 5: a customer-managed key (VP201), a governance lock (VP202) and
    # BACKUP_JOB_COMPLETED notifications (VP203) are the defaults.
    report = check_paths([DEFAULT], now=datetime(2026, 1, 1, tzinfo=UTC))
    ids = {f.check_id for f in report.findings}
    assert not ids & {"VP201", "VP202", "VP203", "VP113", "VP114", "VP116"}
