"""``[plan]`` and the new ``[[rules]]`` keys of vaultplan.toml: presets, GFS parameters, copy
actions, recovery point tags and continuous backup; each bad combination gives one line."""

from __future__ import annotations

import re

import pytest

from vaultplan.config import Config, default_config_text, parse_config, summarize
from vaultplan.config.model import PlanConfig
from vaultplan.errors import InputError
from vaultplan.spec import BackupRules, RulePreset
from vaultplan.spec.copy import CopyAction, destination_vault_policy
from vaultplan.spec.presets import GfsOptions

RULE = "[[rules]]\nname = 'Daily'\nschedule = 'cron(0 8 * * ? *)'\ndelete_after_days = 35\n"
OTHER_ACCOUNT = "arn:aws:backup:eu-west-1:222222222222:backup-vault:bunker"
DR = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"
HOME = "account = '111111111111'\nregion = 'eu-west-1'\n"


def test_no_plan_table_is_the_daily_monthly_preset() -> None:
    config = parse_config("")
    assert config.plan == PlanConfig(preset="daily-monthly", gfs=None)
    assert config.rules == BackupRules.daily_monthly()


@pytest.mark.parametrize(
    ("preset", "rules"),
    [
        ("daily-monthly", BackupRules.daily_monthly()),
        ("daily-35", BackupRules.daily35()),
        ("gfs", BackupRules.gfs()),
    ],
)
def test_each_preset_gives_its_rules(preset: str, rules: tuple[RulePreset, ...]) -> None:
    config = parse_config(f"[plan]\npreset = '{preset}'\n")
    assert config.rules == rules
    assert config.plan.preset == preset
    assert summarize(config).preset == preset


def test_gfs_parameters_are_read() -> None:
    config = parse_config(
        "[plan]\npreset = 'gfs'\n[plan.gfs]\ndaily_days = 14\nweekly_weeks = 0\n"
        "monthly_months = 6\nyearly_years = 2\nmonthly_cold_after_days = 0\n"
        "yearly_cold_after_days = 60\nhour = 23\nweekday = 'FRI'\n"
        "schedule_timezone = 'America/New_York'\n"
    )
    gfs = GfsOptions(
        daily_days=14,
        weekly_weeks=0,
        monthly_months=6,
        yearly_years=2,
        monthly_cold_after_days=0,
        yearly_cold_after_days=60,
        hour=23,
        weekday="FRI",
        schedule_timezone="America/New_York",
    )
    assert config.plan == PlanConfig(preset="gfs", gfs=gfs)
    assert [(r.name, r.schedule, r.delete_after_days) for r in config.rules] == [
        ("DailyBackup", "cron(0 23 * * ? *)", 14),
        ("MonthlyBackup", "cron(0 23 1 * ? *)", 186),
        ("YearlyBackup", "cron(0 23 1 1 ? *)", 732),
    ]
    assert config.rules[2].move_to_cold_storage_after_days == 60
    assert {r.schedule_timezone for r in config.rules} == {"America/New_York"}


def test_rules_with_copies_tags_and_continuous_flag_are_read() -> None:
    config = parse_config(
        HOME
        + RULE
        + "recovery_point_tags = { team = 'ops', 'cost centre' = '42' }\n"
        + "continuous_backup = false\n"
        + f"[[rules.copy_actions]]\ndestination_vault_arn = '{DR}'\n"
        + "move_to_cold_storage_after_days = 30\ndelete_after_days = 120\n"
        + f"[[rules.copy_actions]]\ndestination_vault_arn = '{OTHER_ACCOUNT}'\n"
    )
    (rule,) = config.rules
    assert rule.recovery_point_tags == {"team": "ops", "cost centre": "42"}
    assert rule.continuous_backup is False
    assert rule.copy_actions == (
        CopyAction(
            destination_vault_arn=DR, move_to_cold_storage_after_days=30, delete_after_days=120
        ),
        CopyAction(destination_vault_arn=OTHER_ACCOUNT),
    )
    assert config.plan.preset is None


def test_cross_account_copies_get_the_destination_vault_policy() -> None:
    config = parse_config(
        HOME
        + RULE
        + f"[[rules.copy_actions]]\ndestination_vault_arn = '{DR}'\n"
        + f"[[rules.copy_actions]]\ndestination_vault_arn = '{OTHER_ACCOUNT}'\n"
    )
    (copy,) = summarize(config).cross_account_copies  # DR is in the same account
    assert copy.destination_vault_arn == OTHER_ACCOUNT
    assert copy.destination_account == "222222222222"
    # create-cross-account-backup.html: the destination vault's access policy allows
    # backup:CopyIntoBackupVault from the source account.
    assert copy.access_policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowCopyIntoVaultFrom111111111111",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                "Action": "backup:CopyIntoBackupVault",
                "Resource": "*",
            }
        ],
    }
    assert any("AWS Organizations" in note for note in copy.notes)
    assert any("key policy" in note for note in copy.notes)


def test_environment_agnostic_stack_prints_a_policy_for_any_explicit_account() -> None:
    config = parse_config(RULE + f"[[rules.copy_actions]]\ndestination_vault_arn = '{DR}'\n")
    (copy,) = summarize(config).cross_account_copies
    assert copy.source_account is None
    assert copy.access_policy["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::<source-account-id>:root"
    }
    gov = destination_vault_policy(
        "arn:aws-us-gov:backup:us-gov-west-1:222222222222:backup-vault:v", "111111111111"
    )
    assert gov["Statement"][0]["Principal"] == {"AWS": "arn:aws-us-gov:iam::111111111111:root"}


def test_no_copy_means_no_policy() -> None:
    assert summarize(Config()).cross_account_copies == ()


def copy_table(arn: str = OTHER_ACCOUNT, extra: str = "") -> str:
    return f"[[rules.copy_actions]]\ndestination_vault_arn = '{arn}'\n{extra}"


BAD = [
    pytest.param(
        "[plan]\npreset = 'weekly'\n",
        "plan.preset: got 'weekly'; use one of 'daily-monthly', 'daily-35', 'gfs'",
        id="unknown-preset",
    ),
    pytest.param(
        "[plan]\npreset = 'gfs'\n" + RULE,
        "plan.preset: got 'gfs' and [[rules]] tables too; [[rules]] replace the preset",
        id="preset-and-rules",
    ),
    pytest.param(
        "[plan.gfs]\nhour = 3\n",
        "plan.gfs: got GFS parameters with plan.preset = 'daily-monthly'; they apply only to "
        'preset "gfs"',
        id="gfs-without-gfs-preset",
    ),
    pytest.param(
        "[plan]\npreset = 'gfs'\n[plan.gfs]\nhour = 24\n",
        "plan.gfs.hour: got 24; give an hour of the day, 0 to 23",
        id="gfs-hour",
    ),
    pytest.param(
        "[plan]\npreset = 'gfs'\n[plan.gfs]\nhour = '8'\n",
        "plan.gfs.hour: got '8' (a string); expected a whole number, without quotes",
        id="gfs-hour-type",
    ),
    pytest.param(
        "[plan]\npreset = 'gfs'\n[plan.gfs]\nyearly_years = 1\nyearly_cold_after_days = 300\n",
        "plan.gfs.yearly_years: got 1 (366 days) with yearly_cold_after_days = 300; points must "
        "stay at least 90 days in cold storage, so keep them at least 390 days",
        id="gfs-cold-90",
    ),
    pytest.param(
        "[plan]\npreset = 'gfs'\n[plan.gfs]\nweekly = 3\n",
        "plan.gfs.weekly: unknown key (value 3); did you mean",
        id="gfs-unknown-key",
    ),
    pytest.param("[plan]\npreset = 3\n", "plan.preset: got 3 (an integer)", id="preset-type"),
    pytest.param("plan = 3\n", "plan: got 3 (an integer); expected a table", id="plan-type"),
    pytest.param(
        RULE + copy_table(extra="move_to_cold_storage_after_days = 30\ndelete_after_days = 100\n"),
        "rules[0].copy_actions[0]: got move_to_cold_storage_after_days=30, "
        "delete_after_days=100; delete_after_days must be at least "
        "move_to_cold_storage_after_days + 90 = 120",
        id="copy-lifecycle-90",
    ),
    pytest.param(
        RULE + copy_table() * 6,
        "rules[0].copy_actions: got 6 copy actions; AWS Backup allows at most 5 per rule",
        id="six-copies",
    ),
    pytest.param(
        HOME + RULE + copy_table("arn:aws:backup:eu-west-1:111111111111:backup-vault:example"),
        "rules[0].copy_actions[0].destination_vault_arn: got "
        "'arn:aws:backup:eu-west-1:111111111111:backup-vault:example'; that is the strategy's "
        "own vault",
        id="copy-to-own-vault",
    ),
    pytest.param(
        RULE + copy_table("arn:aws:backup:eu-west-1:111111111111:vault/x"),
        "rules[0].copy_actions[0].destination_vault_arn: got "
        "'arn:aws:backup:eu-west-1:111111111111:vault/x'; give a backup vault ARN",
        id="bad-vault-arn",
    ),
    pytest.param(
        RULE + "[[rules.copy_actions]]\ndelete_after_days = 10\n",
        "rules[0].copy_actions[0].destination_vault_arn: missing",
        id="copy-without-arn",
    ),
    pytest.param(
        RULE + copy_table(extra="delete_after = 10\n"),
        "rules[0].copy_actions[0].delete_after: unknown key (value 10); did you mean "
        "'delete_after_days'?",
        id="copy-unknown-key",
    ),
    pytest.param(
        RULE + "copy_actions = 'arn'\n",
        "rules[0].copy_actions: got 'arn' (a string); expected an array of tables",
        id="copy-actions-type",
    ),
    pytest.param(
        RULE + "continuous_backup = true\n",
        "rules[0].continuous_backup: got true; continuous backup supports only Aurora, RDS, "
        "S3, SAP HANA on Amazon EC2, and this strategy selects EFS file systems",
        id="continuous-on-efs",
    ),
    pytest.param(
        RULE + "continuous_backup = 'yes'\n",
        "rules[0].continuous_backup: got 'yes' (a string); expected true or false",
        id="continuous-type",
    ),
    pytest.param(
        RULE + "recovery_point_tags = { 'aws:owner' = 'me' }\n",
        "rules[0].recovery_point_tags.aws:owner: got key 'aws:owner'; the 'aws:' prefix is "
        "reserved",
        id="tag-aws-prefix",
    ),
    pytest.param(
        RULE + "recovery_point_tags = { team = 3 }\n",
        "rules[0].recovery_point_tags.team: got 3 (an integer); expected a string tag value",
        id="tag-value-type",
    ),
    pytest.param(
        RULE + "recovery_point_tags = 'team'\n",
        "rules[0].recovery_point_tags: got 'team' (a string); expected a table",
        id="tags-type",
    ),
    pytest.param(
        "".join(f"[[rules]]\nname = 'R{i}'\nschedule = 'cron(0 8 * * ? *)'\n" for i in range(11)),
        "rules: got 11 rules; AWS Backup allows at most 10 rules in a plan",
        id="eleven-rules",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_plan_config_raises_one_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text)
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith(message), caught.value.message


def test_init_text_shows_every_plan_key_and_the_commented_copy_action() -> None:
    text = default_config_text()
    assert '\n# preset = "daily-monthly"' in text
    assert "\n# [plan.gfs]\n" in text
    for key in GfsOptions.__dataclass_fields__:
        assert re.search(rf"^# {key} = ", text, re.M), key
    for line in (
        '# recovery_point_tags = { team = "storage" }',
        "# continuous_backup = false",
        "# [[rules.copy_actions]]",
        '# destination_vault_arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:example-dr"',
        "# delete_after_days = 365",
        "# move_to_cold_storage_after_days = 30",
    ):
        assert f"\n{line}\n" in text, line


def test_uncommenting_init_examples_gives_working_configs() -> None:
    text = default_config_text()
    # The copy action, under the first rule:
    before_rules, rules = text.split("\n[[rules]]", 1)
    with_copy = (
        before_rules
        + "\n[[rules]]"
        + re.sub(
            r"^# (\[\[rules\.copy_actions\]\]|destination_vault_arn|delete_after_days = 365"
            r"|move_to_cold)",
            r"\1",
            rules,
            flags=re.M,
        )
    )
    config = parse_config(with_copy)
    assert config.rules[0].copy_actions == (
        CopyAction(
            destination_vault_arn="arn:aws:backup:us-west-2:123456789012:backup-vault:example-dr",
            delete_after_days=365,
            move_to_cold_storage_after_days=30,
        ),
    )
    assert config.rules[1].copy_actions == ()
    # The GFS preset: drop the [[rules]] tables, uncomment preset and [plan.gfs].
    head = text.split("\n[[rules]]", 1)[0]
    gfs = re.sub(r'^# (preset = )"daily-monthly"', r'\1"gfs"', head, flags=re.M)
    gfs = re.sub(r"^# (\[plan\.gfs\]|\w+ = \S+[ \t]+#)", r"\1", gfs, flags=re.M)
    config = parse_config(gfs)
    assert config.plan.preset == "gfs"
    assert config.rules == BackupRules.gfs(schedule_timezone="Europe/Paris")


def test_continuous_backup_is_accepted_for_a_selection_without_efs() -> None:
    config = parse_config(
        "[file_system]\ncreate = false\n"
        "[selection]\narns = ['arn:aws:rds:eu-west-1:111111111111:db:orders']\n"
        + RULE
        + "continuous_backup = true\n"
    )
    assert config.rules[0].continuous_backup is True
