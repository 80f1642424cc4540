"""``[[plan.copy_actions]]``: copies of every preset rule, without writing the rules out.

GIVEN a preset and ``[[plan.copy_actions]]``, WHEN the config is read (and the strategy
synthesized), THEN every preset rule copies to each destination, keeping its own lifecycle
unless the copy sets one. Each invalid combination is its own error naming the key path.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from vaultplan import BackupStrategy
from vaultplan.config import default_config_text, parse_config
from vaultplan.errors import InputError
from vaultplan.spec import BackupRules
from vaultplan.spec.copy import CopyAction

DR = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"
BUNKER = "arn:aws:backup:eu-west-1:222222222222:backup-vault:bunker"
GFS = '[plan]\npreset = "gfs"\n'


def copies(*tables: str) -> str:
    return "".join(f"[[plan.copy_actions]]\n{table}\n" for table in tables)


def test_each_preset_rule_copies_with_its_own_lifecycle() -> None:
    config = parse_config(GFS + copies(f"destination_vault_arn = '{DR}'"))
    assert config.plan.copy_actions == (CopyAction(destination_vault_arn=DR),)
    lifecycles = {
        rule.name: [
            (c.destination_vault_arn, c.move_to_cold_storage_after_days, c.delete_after_days)
            for c in rule.copy_actions
        ]
        for rule in config.rules
    }
    # the GFS defaults: 35 days, 13 weeks, 12 x 31 days (cold after 30), 7 x 366 (cold after 30)
    assert lifecycles == {
        "DailyBackup": [(DR, None, 35)],
        "WeeklyBackup": [(DR, None, 91)],
        "MonthlyBackup": [(DR, 30, 372)],
        "YearlyBackup": [(DR, 30, 2562)],
    }


def test_a_copy_lifecycle_applies_to_every_rule_and_the_default_preset_takes_copies_too() -> None:
    config = parse_config(
        copies(
            f"destination_vault_arn = '{DR}'\ndelete_after_days = 400\n"
            "move_to_cold_storage_after_days = 7",
            f"destination_vault_arn = '{BUNKER}'",
        )
    )
    assert config.plan.preset == "daily-monthly"
    for rule in config.rules:
        first, second = rule.copy_actions
        assert (first.move_to_cold_storage_after_days, first.delete_after_days) == (7, 400)
        assert second.destination_vault_arn == BUNKER
        assert second.delete_after_days == rule.delete_after_days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            copies(f"destination_vault_arn = '{DR}'")
            + "[[rules]]\nname = 'R'\nschedule = 'cron(0 8 * * ? *)'\n",
            "plan.copy_actions: got 1 [[plan.copy_actions]] table(s) and [[rules]] tables too; "
            "they copy a preset's rules only: write them under each rule as "
            "[[rules.copy_actions]]",
            id="with-rules",
        ),
        pytest.param(
            GFS + copies("delete_after_days = 35"),
            "plan.copy_actions[0].destination_vault_arn: missing; every [[plan.copy_actions]] "
            "table needs the destination vault's ARN",
            id="no-destination",
        ),
        pytest.param(
            GFS + copies("destination_vault_arn = 'arn:aws:backup:us-west-2:1:backup-vault:x'"),
            "plan.copy_actions[0].destination_vault_arn: got "
            "'arn:aws:backup:us-west-2:1:backup-vault:x'; give a backup vault ARN",
            id="bad-arn",
        ),
        pytest.param(
            GFS
            + copies(
                f"destination_vault_arn = '{DR}'\nmove_to_cold_storage_after_days = 30\n"
                "delete_after_days = 100"
            ),
            "plan.copy_actions[0]",
            id="cold-plus-90",
        ),
        pytest.param(
            'account = "111111111111"\nregion = "us-west-2"\n'
            + GFS
            + copies(f"destination_vault_arn = '{DR}'"),
            f"plan.copy_actions[0].destination_vault_arn: got '{DR}'; that is a vault in the "
            "stack's own Region and account (us-west-2, 111111111111)",
            id="own-region-and-account",
        ),
        pytest.param(
            GFS + copies(*[f"destination_vault_arn = '{DR}'"] * 6),
            "plan.copy_actions: got 6 copy actions; AWS Backup allows at most 5 per rule",
            id="six",
        ),
        pytest.param(
            GFS + "[plan.copy_actions]\ndestination_vault_arn = 'x'\n",
            "plan.copy_actions: got {'destination_vault_arn': 'x'} (a table); expected an "
            "array of tables: [[plan.copy_actions]]",
            id="table-not-array",
        ),
        pytest.param(
            GFS + copies(f"destination_vault_arn = '{DR}'\ndelete_after = 3"),
            "plan.copy_actions[0].delete_after: unknown key (value 3); did you mean "
            "'delete_after_days'?",
            id="unknown-key",
        ),
    ],
)
def test_bad_plan_copy_actions_raise_one_line_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_construct_writes_each_rules_copy_into_the_template() -> None:
    stack = Stack(App(), "Copies")
    BackupStrategy(
        stack,
        "Strategy",
        site_name="copies",
        file_systems=["fs-0123456789abcdef0"],
        rules=BackupRules.with_copies(
            BackupRules.daily_monthly(), CopyAction(destination_vault_arn=BUNKER)
        ),
    )
    (plan,) = Template.from_stack(stack).find_resources("AWS::Backup::BackupPlan").values()
    rules: list[dict[str, Any]] = plan["Properties"]["BackupPlan"]["BackupPlanRule"]
    assert {r["RuleName"]: r["CopyActions"] for r in rules} == {
        "copiesDailyWarmBackup": [
            {"DestinationBackupVaultArn": BUNKER, "Lifecycle": {"DeleteAfterDays": 35}}
        ],
        "copiesMonthlyColdBackup": [
            {
                "DestinationBackupVaultArn": BUNKER,
                "Lifecycle": {"DeleteAfterDays": 365, "MoveToColdStorageAfterDays": 30},
            }
        ],
    }


def test_uncommenting_the_init_files_plan_copy_gives_a_working_config() -> None:
    # init's file: drop the [[rules]] tables, pick the GFS preset, uncomment the copy
    head = default_config_text().split("\n[[rules]]", 1)[0]
    text = re.sub(r'^# (preset = )"daily-monthly"', r'\1"gfs"', head, flags=re.M)
    text = re.sub(r"^# (\[\[plan\.copy_actions\]\]|destination_vault_arn)", r"\1", text, flags=re.M)
    config = parse_config(text)
    dr = "arn:aws:backup:us-west-2:123456789012:backup-vault:example-dr"
    assert config.plan.copy_actions == (CopyAction(destination_vault_arn=dr),)
    assert config.rules == BackupRules.with_copies(BackupRules.gfs(), *config.plan.copy_actions)
    assert [len(rule.copy_actions) for rule in config.rules] == [1, 1, 1, 1]
