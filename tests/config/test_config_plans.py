"""``[[plans]]``: more backup plans beside the top-level one. What a good config gives, and one
line naming ``plans[i]...`` and the value for each bad one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import assert_broken_config_rejected
from vaultplan.config import parse_config
from vaultplan.config.loader import strategy_spec
from vaultplan.config.summary import summarize
from vaultplan.config.template import default_config_text
from vaultplan.errors import InputError
from vaultplan.spec.plan_options import MalwareScanning, PlanOptions
from vaultplan.spec.plans import PlanSpec
from vaultplan.spec.presets import BackupRules
from vaultplan.spec.rules import RulePreset
from vaultplan.spec.selection import SelectionOptions, TagCondition

RDS = "arn:aws:rds:eu-west-1:111111111111:db:shop"
EBS = "arn:aws:ec2:eu-west-1:111111111111:volume/*"
DATABASES = (
    f"[[plans]]\nname = 'Databases'\npreset = 'daily-35'\n[plans.selection]\narns = ['{RDS}']\n"
)
CONTINUOUS = (
    "[[rules]]\nname = 'Pitr'\nschedule = 'cron(0 5 * * ? *)'\ndelete_after_days = 35\n"
    "continuous_backup = true\n"
)
VOLUMES = (
    "[[plans]]\nname = 'Volumes'\n[plans.malware_scanning]\nresource_types = ['EBS']\n"
    "[[plans.rules]]\nname = 'Daily'\nschedule = 'cron(0 4 * * ? *)'\ndelete_after_days = 14\n"
    "malware_scan_mode = 'INCREMENTAL_SCAN'\n"
    f"[plans.selection]\narns = ['{EBS}']\n"
    "[plans.selection.conditions]\nstring_equals = { backup = 'true' }\n"
)


def test_plans_are_read_beside_the_top_level_plan() -> None:
    config = parse_config(DATABASES + VOLUMES)
    assert config.rules == BackupRules.daily_monthly()
    assert config.plans == (
        PlanSpec(
            name="Databases", rules=BackupRules.daily35(), selection=SelectionOptions(arns=(RDS,))
        ),
        PlanSpec(
            name="Volumes",
            rules=(
                RulePreset(
                    name="Daily",
                    schedule="cron(0 4 * * ? *)",
                    delete_after_days=14,
                    malware_scan_mode="INCREMENTAL_SCAN",
                ),
            ),
            selection=SelectionOptions(
                arns=(EBS,), conditions=(TagCondition("string_equals", "backup", "true"),)
            ),
            plan_options=PlanOptions(malware_scanning=MalwareScanning(resource_types=("EBS",))),
        ),
    )
    names = [plan.full_name(config.site_name) for plan in strategy_spec(config).plans]
    assert names == ["exampleEFSBackupPlan", "exampleDatabases", "exampleVolumes"]


def test_a_plan_s_preset_keys_apply_to_its_own_rules_only() -> None:
    config = parse_config(
        f"[[plans]]\nname = 'Volumes'\npreset = 'gfs'\narchive = true\n"
        "index_resource_types = ['EBS']\n[plans.gfs]\ndaily_days = 7\nweekly_weeks = 0\n"
        f"monthly_months = 0\nyearly_years = 1\n[plans.selection]\narns = ['{EBS}']\n"
    )
    assert all(not rule.archive and not rule.index_resource_types for rule in config.rules)
    (plan,) = config.plans
    assert [(r.name, r.archive, r.index_resource_types) for r in plan.rules] == [
        ("DailyBackup", False, ("EBS",)),
        ("YearlyBackup", True, ("EBS",)),
    ]


def test_the_summary_names_each_plan_its_rules_and_options() -> None:
    summary = summarize(parse_config(DATABASES + VOLUMES))
    assert [(p.name, p.preset, p.selection) for p in summary.plans] == [
        ("exampleDatabases", "daily-35", "exampleDatabases"),
        ("exampleVolumes", None, "exampleVolumes"),
    ]
    assert summary.plans[1].options == (
        "GuardDuty scans EBS recovery points with a new role (ScannerRole)",
    )
    assert summary.plans[1].rules[0].options == ("GuardDuty malware scan (INCREMENTAL_SCAN)",)
    assert summary.plans[1].resources == (
        "1 ARN(s) by selection.arns (EBS)",
        "only if tagged backup = true",
    )
    # The one role backs up and scans for every plan.
    assert "AWSBackupServiceRolePolicyForScans" in summary.role


def test_the_vault_lock_of_the_summary_spans_every_plan() -> None:
    summary = summarize(parse_config(DATABASES + VOLUMES))
    assert "governance lock, 14-365 days" in summary.vault_details


def test_a_deprecated_preset_in_a_plan_warns_naming_it() -> None:
    config = parse_config(DATABASES.replace("daily-35", "seed"))
    assert config.warnings == ("plans[0].preset: 'seed' is deprecated; use 'daily-monthly'",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "plans = 'x'\n",
            "plans: got 'x' (a string); expected an array of tables: [[plans]]",
            id="type",
        ),
        pytest.param(
            f"[[plans]]\npreset = 'daily-35'\n[plans.selection]\narns = ['{RDS}']\n",
            "plans[0].name: missing; every [[plans]] table needs a name",
            id="no name",
        ),
        pytest.param(
            DATABASES.replace("[plans.selection]", "nme = 'x'\n[plans.selection]"),
            "plans[0].nme: unknown key (value 'x'); did you mean 'name'?",
            id="unknown key",
        ),
        pytest.param(
            DATABASES.replace("daily-35", "hourly"),
            "plans[0].preset: got 'hourly'; use one of",
            id="preset",
        ),
        pytest.param(
            DATABASES + "[[plans.rules]]\nname = 'Daily'\nschedule = 'cron(0 4 * * ? *)'\n",
            "plans[0].preset: got 'daily-35' and [[plans.rules]] tables too",
            id="preset and rules",
        ),
        pytest.param(
            DATABASES + VOLUMES.replace("cron(0 4 * * ? *)", "cron(0 4 * * *)"),
            "plans[1].rules[0].schedule: got 'cron(0 4 * * *)'",
            id="rule schedule",
        ),
        pytest.param(
            DATABASES + VOLUMES.replace("delete_after_days = 14", "delete_after_days = '14'"),
            "plans[1].rules[0].delete_after_days: got '14' (a string)",
            id="rule type",
        ),
        pytest.param(
            DATABASES.replace(RDS, "arn:aws:rds:eu-west-1:1:db:shop"),
            "plans[0].selection.arns[0]: got 'arn:aws:rds:eu-west-1:1:db:shop'",
            id="selection ARN",
        ),
        pytest.param(
            DATABASES + "[plans.selection.conditions]\nstring_equals = { backup = 1 }\n",
            "plans[0].selection.conditions.string_equals.backup: got 1 (an integer)",
            id="selection condition type",
        ),
        pytest.param(
            "[[plans]]\nname = 'Databases'\npreset = 'daily-35'\n",
            "plans[0].selection: got nothing to select",
            id="selects nothing",
        ),
        pytest.param(
            DATABASES + DATABASES,
            "plans[1].name: got 'Databases', the name of plans[0]; plan names must be unique",
            id="duplicate name",
        ),
        pytest.param(
            DATABASES.replace("'Databases'", "'EFSBackupPlan'"),
            "plans[0].name: got 'EFSBackupPlan', the name of the strategy's first plan",
            id="the top-level plan's name",
        ),
        pytest.param(
            DATABASES.replace("'Databases'", "'Data bases'"),
            "plans[0].name: got 'exampleData bases'; use 1 to 50 letters",
            id="name pattern",
        ),
        pytest.param(
            DATABASES.replace("[plans.selection]", "windows_vss = 'enabled'\n[plans.selection]"),
            "plans[0].windows_vss: got 'enabled', and the selection picks no EC2 resource",
            id="windows_vss without EC2",
        ),
        pytest.param(
            VOLUMES.replace("resource_types = ['EBS']", "resource_types = ['EFS']"),
            "plans[0].malware_scanning.resource_types",
            id="scan types",
        ),
        pytest.param(
            DATABASES + "[plans.gfs]\ndaily_days = 'x'\n",
            "plans[0].gfs.daily_days: got 'x' (a string)",
            id="gfs type",
        ),
        pytest.param(
            DATABASES + "[[plans.copy_actions]]\ndestination_vault_arn = 'vault'\n",
            "plans[0].copy_actions[0].destination_vault_arn: got 'vault'",
            id="copy",
        ),
        pytest.param(
            f"[file_system]\ncreate = false\n[selection]\narns = ['{RDS}']\n{CONTINUOUS}"
            f"[[plans]]\nname = 'Databases'\n[plans.selection]\narns = ['{RDS}']\n"
            + CONTINUOUS.replace("[[rules]]", "[[plans.rules]]"),
            f"plans[0].rules[0].continuous_backup: got true, and '{RDS}' is in the selection "
            "of the top-level plan too, which has a continuous rule",
            id="one resource backed up continuously by two plans",
        ),
        pytest.param(
            "[file_system]\ncreate = false\n" + DATABASES,
            "file_system.create: got false with no file_system.ids, and [[plans]] tables; the "
            "top-level plan (<site_name>EFSBackupPlan: [plan], [[rules]], [selection]) is always "
            "deployed beside [[plans]]",
            id="top-level plan selects nothing",
        ),
    ],
)
def test_a_bad_plan_is_refused_in_one_line_naming_its_key(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_config(text)
    assert str(err.value).startswith(message), str(err.value)
    assert "\n" not in str(err.value)


def test_synth_refuses_a_bad_plan_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    assert_broken_config_rejected(
        tmp_path,
        DATABASES + VOLUMES.replace("cron(0 4 * * ? *)", "cron(0 4 * * *)"),
        "plans[1].rules[0].schedule: got 'cron(0 4 * * *)'",
    )


def test_the_init_file_s_plans_example_works_once_uncommented() -> None:
    text = default_config_text()
    start = text.index("# [[plans]]")
    end = text.index("\n\n", start)
    block = "\n".join(line.removeprefix("# ") for line in text[start:end].splitlines())
    config = parse_config(text[:start] + text[end:] + "\n" + block + "\n")
    (plan,) = config.plans
    assert (plan.name, plan.rules) == ("Databases", BackupRules.daily35())
    assert plan.selection.arns == ("arn:aws:rds:us-east-1:123456789012:db:shop",)


def test_two_plans_may_back_up_different_resources_continuously() -> None:
    other = "arn:aws:rds:eu-west-1:111111111111:db:ledger"
    config = parse_config(
        f"[file_system]\ncreate = false\n[selection]\narns = ['{RDS}']\n{CONTINUOUS}"
        f"[[plans]]\nname = 'Ledger'\n[plans.selection]\narns = ['{other}']\n"
        + CONTINUOUS.replace("[[rules]]", "[[plans.rules]]")
    )
    assert [
        rule.continuous_backup for plan in strategy_spec(config).plans for rule in plan.rules
    ] == [
        True,
        True,
    ]
