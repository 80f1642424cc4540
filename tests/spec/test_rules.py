"""Rule presets: the default rules as data, described in words (no CDK needed)."""

from __future__ import annotations

import sys

import pytest

from vaultplan.spec.presets import BackupRules
from vaultplan.spec.rules import RulePreset, rule_problems


def test_daily_monthly_is_daily_warm_then_monthly_cold() -> None:
    assert BackupRules.daily_monthly() == (
        RulePreset(name="DailyWarmBackup", schedule="cron(0 8 * * ? *)", delete_after_days=35),
        RulePreset(
            name="MonthlyColdBackup",
            schedule="cron(0 8 1 * ? *)",
            move_to_cold_storage_after_days=30,
            delete_after_days=365,
        ),
    )


def test_daily_monthly_rules_pass_every_constraint() -> None:
    for i, rule in enumerate(BackupRules.daily_monthly()):
        assert rule_problems(rule, "example", f"rules[{i}]") == []


@pytest.mark.parametrize(
    ("rule", "schedule", "lifecycle"),
    [
        (BackupRules.daily_warm(), "at 08:00 UTC every day", "deleted after 35 days"),
        (
            BackupRules.monthly_cold(),
            "at 08:00 UTC on day 1 of every month",
            "cold after 30 days, deleted after 365 days",
        ),
        (
            RulePreset(name="Kept", schedule="cron(0 8 * * ? *)", schedule_timezone="Asia/Tokyo"),
            "at 08:00 Asia/Tokyo every day",
            "kept until deleted by hand",
        ),
    ],
)
def test_rules_describe_schedule_and_lifecycle(
    rule: RulePreset, schedule: str, lifecycle: str
) -> None:
    assert rule.describe_schedule() == schedule
    assert rule.describe_lifecycle() == lifecycle


def test_full_name_adds_the_site_prefix() -> None:
    assert BackupRules.daily_warm().full_name("shop") == "shopDailyWarmBackup"


def test_rule_name_is_checked_after_the_prefix() -> None:
    rule = RulePreset(name="x" * 48, schedule="cron(0 8 * * ? *)")
    assert rule_problems(rule, None, "r") == []
    (problem,) = rule_problems(rule, "abc", "r")
    assert problem.startswith(f"r.name: got 'abc{'x' * 48}'; use 1 to 50 letters")


def test_presets_import_no_cdk() -> None:
    import subprocess

    code = (
        "import sys, vaultplan.spec.rules, vaultplan.config; "
        "print(any(m.startswith(('aws_cdk', 'jsii')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
