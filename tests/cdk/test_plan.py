"""The plan on the synthesized template: presets, copy actions, tags, windows, time zone.

GIVEN one stack with three strategies (the GFS preset, the daily-35 preset, and rules with
copy actions, recovery point tags, windows and a time zone), WHEN it is synthesized once,
THEN each plan holds what was asked. Then one error test per invalid combination, each
raising ValueError naming the field (the config key path) and the value.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk.assertions import Template

from vaultplan import BackupStrategy
from vaultplan.cdk import BackupRules, RulePreset
from vaultplan.spec.copy import CopyAction
from vaultplan.spec.presets import GfsOptions, preset_rules

FS = "fs-0123456789abcdef0"
DR = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"
OTHER_ACCOUNT = "arn:aws:backup:eu-west-1:222222222222:backup-vault:vault-b"
DAILY = "cron(0 8 * * ? *)"


def copies_rule() -> RulePreset:
    return RulePreset(
        name="Nightly",
        schedule="cron(30 1 ? * MON-FRI *)",
        delete_after_days=35,
        start_window_minutes=60,
        completion_window_minutes=240,
        schedule_timezone="Europe/Paris",
        recovery_point_tags={"team": "storage", "cost-centre": "42"},
        copy_actions=(
            CopyAction(
                destination_vault_arn=DR,
                move_to_cold_storage_after_days=30,
                delete_after_days=365,
            ),
            CopyAction(destination_vault_arn=OTHER_ACCOUNT, delete_after_days=35),
        ),
    )


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(App(), "Plans")
    BackupStrategy(
        stack,
        "Gfs",
        site_name="gfs",
        file_systems=[FS],
        rules=BackupRules.gfs(hour=2, weekday="sat", schedule_timezone="Asia/Tokyo"),
    )
    BackupStrategy(
        stack, "Daily35", site_name="d35", file_systems=[FS], rules=BackupRules.daily35()
    )
    BackupStrategy(
        stack,
        "Copies",
        site_name="cp",
        file_systems=[FS],
        rules=[
            copies_rule(),
            RulePreset(
                name="Other", schedule=DAILY, copy_actions=(CopyAction(destination_vault_arn=DR),)
            ),
        ],
    )
    return Template.from_stack(stack)


def rules_of(template: Template, plan_name: str) -> list[dict[str, Any]]:
    for plan in template.find_resources("AWS::Backup::BackupPlan").values():
        body = plan["Properties"]["BackupPlan"]
        if body["BackupPlanName"] == plan_name:
            rules: list[dict[str, Any]] = body["BackupPlanRule"]
            for rule in rules:
                rule.pop("TargetBackupVault")
            return rules
    raise AssertionError(f"no plan {plan_name}")


def test_gfs_preset_gives_daily_weekly_monthly_yearly_rules(template: Template) -> None:
    # Monthly and yearly points go cold after 30 days and are kept >= 30 + 90 days
    # (when both are set, delete >= cold + 90: AWS Backup API reference,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html).
    zone = {"ScheduleExpressionTimezone": "Asia/Tokyo"}
    assert rules_of(template, "gfsEFSBackupPlan") == [
        {
            "RuleName": "gfsDailyBackup",
            "ScheduleExpression": "cron(0 2 * * ? *)",
            "Lifecycle": {"DeleteAfterDays": 35},
            **zone,
        },
        {
            "RuleName": "gfsWeeklyBackup",
            "ScheduleExpression": "cron(0 2 ? * SAT *)",
            "Lifecycle": {"DeleteAfterDays": 13 * 7},
            **zone,
        },
        {
            "RuleName": "gfsMonthlyBackup",
            "ScheduleExpression": "cron(0 2 1 * ? *)",
            "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 12 * 31},
            **zone,
        },
        {
            "RuleName": "gfsYearlyBackup",
            "ScheduleExpression": "cron(0 2 1 1 ? *)",
            "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 7 * 366},
            **zone,
        },
    ]


def test_daily35_preset_is_one_daily_rule_kept_35_days(template: Template) -> None:
    assert rules_of(template, "d35EFSBackupPlan") == [
        {
            "RuleName": "d35DailyBackup",
            "ScheduleExpression": "cron(0 5 * * ? *)",
            "Lifecycle": {"DeleteAfterDays": 35},
        }
    ]


def test_copy_actions_each_have_their_own_lifecycle(template: Template) -> None:
    nightly, other = rules_of(template, "cpEFSBackupPlan")
    assert nightly["CopyActions"] == [
        {
            "DestinationBackupVaultArn": DR,
            "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 365},
        },
        {"DestinationBackupVaultArn": OTHER_ACCOUNT, "Lifecycle": {"DeleteAfterDays": 35}},
    ]
    assert other["CopyActions"] == [{"DestinationBackupVaultArn": DR}]


def test_recovery_point_tags_reach_the_rule(template: Template) -> None:
    nightly, other = rules_of(template, "cpEFSBackupPlan")
    assert nightly["RecoveryPointTags"] == {"team": "storage", "cost-centre": "42"}
    assert "RecoveryPointTags" not in other


def test_time_zone_and_windows_reach_the_rule(template: Template) -> None:
    nightly, _ = rules_of(template, "cpEFSBackupPlan")
    assert nightly["ScheduleExpression"] == "cron(30 1 ? * MON-FRI *)"
    assert nightly["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert nightly["StartWindowMinutes"] == 60
    assert nightly["CompletionWindowMinutes"] == 240


def test_no_continuous_backup_unless_asked(template: Template) -> None:
    for plan in ("gfsEFSBackupPlan", "d35EFSBackupPlan", "cpEFSBackupPlan"):
        assert all("EnableContinuousBackup" not in rule for rule in rules_of(template, plan))


def test_presets_are_named_data() -> None:
    assert preset_rules("daily-monthly") == BackupRules.daily_monthly()
    assert preset_rules("daily-35") == BackupRules.daily35()
    assert preset_rules("gfs") == BackupRules.gfs(GfsOptions())
    assert [r.name for r in BackupRules.gfs(yearly_years=0, weekly_weeks=0)] == [
        "DailyBackup",
        "MonthlyBackup",
    ]
    # monthly_cold_after_days = 0 keeps monthly points warm
    (monthly,) = BackupRules.gfs(
        daily_days=0, weekly_weeks=0, yearly_years=0, monthly_cold_after_days=0
    )
    assert monthly.move_to_cold_storage_after_days is None


def strategy(rules: list[RulePreset], *, env: bool = True) -> BackupStrategy:
    stack = Stack(
        App(), "Bad", env=Environment(account="111111111111", region="us-west-2") if env else None
    )
    return BackupStrategy(stack, "Backup", site_name="dr", file_systems=[FS], rules=rules)


def rule(**props: Any) -> RulePreset:
    return RulePreset(name="R", schedule=DAILY, **props)


def copy(arn: str = OTHER_ACCOUNT, **props: Any) -> CopyAction:
    return CopyAction(destination_vault_arn=arn, **props)


def bad_rule(case_id: str, message: str, **props: Any) -> Any:
    """A case of one rule, ``rule(**props)``."""
    return pytest.param([rule(**props)], message, id=case_id)


def bad_copy(case_id: str, message: str, *args: Any, **props: Any) -> Any:
    """A case of one rule with one copy action, ``copy(*args, **props)``."""
    return pytest.param([rule(copy_actions=(copy(*args, **props),))], message, id=case_id)


BAD_RULES = [
    # delete >= cold + 90, for copies too (CDK enforces it on copies): AWS Backup API reference,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html
    bad_copy(
        "copy-lifecycle-90",
        "rules[0].copy_actions[0]: got move_to_cold_storage_after_days=30, delete_after_days=100;"
        " delete_after_days must be at least move_to_cold_storage_after_days + 90 = 120",
        move_to_cold_storage_after_days=30,
        delete_after_days=100,
    ),
    bad_copy(
        "copy-lifecycle-max",
        "rules[0].copy_actions[0].delete_after_days: got 40000; delete after must be 1 to 36500",
        delete_after_days=40000,
    ),
    # 5 copy actions per rule (AWS Backup quotas,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-limits.html)
    bad_rule(
        "six-copy-actions",
        "rules[0].copy_actions: got 6 copy actions; AWS Backup allows at most 5 per rule",
        copy_actions=tuple(copy() for _ in range(6)),
    ),
    bad_copy(
        "copy-to-own-vault",
        "rules[0].copy_actions[0].destination_vault_arn: got "
        "'arn:aws:backup:us-west-2:111111111111:backup-vault:dr'; that is the strategy's own "
        "vault (us-west-2, 111111111111); copy to a vault in another Region or another account",
        "arn:aws:backup:us-west-2:111111111111:backup-vault:dr",
    ),
    bad_copy(
        "copy-to-own-region-and-account",
        "rules[0].copy_actions[0].destination_vault_arn: got "
        "'arn:aws:backup:us-west-2:111111111111:backup-vault:near'; that is a vault in the "
        "stack's own Region and account (us-west-2, 111111111111)",
        "arn:aws:backup:us-west-2:111111111111:backup-vault:near",
    ),
    bad_copy(
        "bad-vault-arn",
        "rules[0].copy_actions[0].destination_vault_arn: got 'arn:aws:s3:::my-bucket'; give a "
        "backup vault ARN 'arn:<partition>:backup:<region>:<account>:backup-vault:<name>'",
        "arn:aws:s3:::my-bucket",
    ),
    bad_copy(
        "vault-arn-short-account",
        "rules[0].copy_actions[0].destination_vault_arn: got "
        "'arn:aws:backup:us-west-2:1234:backup-vault:dr'; give a backup vault ARN",
        "arn:aws:backup:us-west-2:1234:backup-vault:dr",
    ),
    bad_copy(
        "vault-arn-bad-name",
        "rules[0].copy_actions[0].destination_vault_arn (vault name): got 'a.b'; use 2 to 50",
        "arn:aws:backup:us-west-2:222222222222:backup-vault:a.b",
    ),
    # point-in-time-recovery.html: continuous backup is for Aurora, RDS, S3, SAP HANA; not EFS
    bad_rule(
        "continuous-on-efs",
        "rules[0].continuous_backup: got true; continuous backup supports only Aurora, RDS, S3, "
        "SAP HANA on Amazon EC2, and this strategy selects EFS file systems",
        continuous_backup=True,
        delete_after_days=35,
    ),
    # Continuous backup: retention 1-35 days, no cold storage (AWS Backup developer guide,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html)
    bad_rule(
        "continuous-retention-36",
        "rules[0].delete_after_days: got 36; continuous backups are kept 1 to 35 days",
        continuous_backup=True,
        delete_after_days=36,
    ),
    bad_rule(
        "continuous-cold",
        "rules[0].move_to_cold_storage_after_days: got 1; continuous backups cannot move to "
        "cold storage",
        continuous_backup=True,
        move_to_cold_storage_after_days=1,
        delete_after_days=91,
    ),
    bad_rule(
        "tag-aws-prefix",
        "rules[0].recovery_point_tags.aws:backup: got key 'aws:backup'; the 'aws:' prefix is "
        "reserved for AWS",
        recovery_point_tags={"aws:backup": "x"},
    ),
    bad_rule(
        "tag-key-too-long",
        "rules[0].recovery_point_tags: got key 'kkkk",
        recovery_point_tags={"k" * 129: "v"},
    ),
    bad_rule(
        "tag-value-too-long",
        "rules[0].recovery_point_tags.k: got a value of 257 characters; a tag value is at most "
        "256 characters",
        recovery_point_tags={"k": "v" * 257},
    ),
    # aws-backup-limits "Tags added to a recovery point": 10
    bad_rule(
        "eleven-tags",
        "rules[0].recovery_point_tags: got 11 tags; AWS Backup adds at most 10 tags",
        recovery_point_tags={f"k{i}": "v" for i in range(11)},
    ),
    # aws-backup-limits "Backup plan rules in a plan": 10
    pytest.param(
        [RulePreset(name=f"R{i}", schedule=DAILY) for i in range(11)],
        "rules: got 11 rules; AWS Backup allows at most 10 rules in a plan",
        id="eleven-rules",
    ),
]


@pytest.mark.parametrize(("rules", "message"), BAD_RULES)
def test_bad_plan_raises_value_error_naming_field_and_value(
    rules: list[RulePreset], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        strategy(rules)
    assert message in str(caught.value)


def test_ten_rules_and_five_copies_are_accepted() -> None:
    rules = [RulePreset(name=f"R{i}", schedule=DAILY) for i in range(9)]
    rules.append(rule(copy_actions=tuple(copy() for _ in range(5))))
    assert len(strategy(rules).plan_rules) == 10


def test_copy_into_a_same_named_vault_is_fine_when_the_stack_has_no_environment() -> None:
    # Environment-agnostic: the stack's Region and account are unknown, so nothing is refused.
    own_looking = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"
    built = strategy([rule(copy_actions=(copy(own_looking),))], env=False)
    assert built.rules[0].copy_actions[0].destination_vault_arn == own_looking


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"hour": 24}, "plan.gfs.hour: got 24; give an hour of the day, 0 to 23", id="hour"
        ),
        pytest.param(
            {"weekday": "Sunday"}, "plan.gfs.weekday: got 'Sunday'; give one of SUN", id="weekday"
        ),
        pytest.param(
            {"daily_days": -1},
            "plan.gfs.daily_days: got -1; give a whole number of days, 0 (no such rule) to 36500",
            id="negative",
        ),
        pytest.param(
            {"yearly_years": 100},
            "plan.gfs.yearly_years: got 100; give a whole number of years, 0 (no such rule) to 99",
            id="too-many-years",
        ),
        pytest.param(
            {"monthly_months": 3},
            "plan.gfs.monthly_months: got 3 (93 days) with monthly_cold_after_days = 30; points "
            "must stay at least 90 days in cold storage, so keep them at least 120 days",
            id="monthly-cold-90",
        ),
        pytest.param(
            {"daily_days": 0, "weekly_weeks": 0, "monthly_months": 0, "yearly_years": 0},
            "plan.gfs: got daily_days, weekly_weeks, monthly_months and yearly_years all 0",
            id="no-rule",
        ),
        pytest.param(
            {"schedule_timezone": "Mars/Base"},
            "plan.gfs.schedule_timezone: got 'Mars/Base'",
            id="timezone",
        ),
    ],
)
def test_bad_gfs_parameters_raise_value_error(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        BackupRules.gfs(**params)
    assert str(caught.value).startswith(message)


def test_unknown_preset_and_gfs_parameters_with_another_preset() -> None:
    with pytest.raises(
        ValueError, match=r"^plan.preset: got 'weekly'; use one of 'daily-monthly', 'daily-35'"
    ):
        preset_rules("weekly")
    # The config's wording, for the library too: one function words both.
    with pytest.raises(
        ValueError,
        match=r"^plan.gfs: got GFS parameters with plan.preset = 'daily-monthly'; they apply "
        r'only to preset "gfs": set plan.preset = "gfs", or remove \[plan.gfs\]$',
    ):
        preset_rules("daily-monthly", GfsOptions())


def test_continuous_backup_reaches_the_rule_when_nothing_selected_is_efs() -> None:
    # point-in-time-recovery.html: RDS supports continuous backup, with retention 1-35 days
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html).
    from vaultplan.spec.selection import SelectionOptions

    stack = Stack(App(), "Pitr")
    BackupStrategy(
        stack,
        "Backup",
        site_name="db",
        file_systems=[],
        selection=SelectionOptions(arns=("arn:aws:rds:eu-west-1:111111111111:db:orders",)),
        rules=[rule(continuous_backup=True, delete_after_days=35)],
    )
    (only,) = rules_of(Template.from_stack(stack), "dbEFSBackupPlan")
    assert only["EnableContinuousBackup"] is True
    assert only["Lifecycle"] == {"DeleteAfterDays": 35}
