"""``strategy_problems``: one check of a whole strategy, whether the config or the construct asks.

GIVEN the same broken strategy written as ``vaultplan.toml`` and as ``BackupStrategy`` props,
WHEN each is checked through its public entry (``parse_config``, the construct),
THEN both report the same problems in the same words, and nothing is built.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Environment, Stack

from vaultplan import BackupStrategy
from vaultplan.config import parse_config
from vaultplan.errors import InputError
from vaultplan.spec import BackupRules, RulePreset, SelectionOptions
from vaultplan.spec.assurance import RestoreTestingOptions
from vaultplan.spec.strategy import StrategySpec, strategy_problems
from vaultplan.spec.vault import NotificationOptions, VaultOptions

FS = "fs-0123456789abcdef0"
ONE_FS = f'[file_system]\nids = ["{FS}"]\n'
RDS = "arn:aws:rds:us-east-1:123456789012:db:orders"


def _rule(**extra: Any) -> RulePreset:
    return RulePreset(name="Daily", schedule="cron(0 8 * * ? *)", **extra)


def _rule_toml(extra: str = "") -> str:
    return f"[[rules]]\nname = 'Daily'\nschedule = 'cron(0 8 * * ? *)'\n{extra}"


# (config text, construct props, what both report first). The props name a file system by id,
# as ONE_FS does; "account"/"region" go to the stack's environment.
SAME = [
    pytest.param(
        f"site_name = '{'s' * 51}'\n" + ONE_FS,
        {"site_name": "s" * 51},
        f"site_name: got '{'s' * 51}'",
        id="site-name-too-long",
    ),
    pytest.param(
        f"site_name = '{'s' * 40}'\n" + ONE_FS,
        {"site_name": "s" * 40},
        "site_name (plan name): got ",
        id="derived-plan-name-too-long",
    ),
    pytest.param(
        ONE_FS + _rule_toml() + _rule_toml(),
        {"rules": [_rule(), _rule()]},
        "rules[1].name: got 'Daily'; rules[0] has the same name",
        id="duplicate-rule-names",
    ),
    pytest.param(
        ONE_FS + _rule_toml("move_to_cold_storage_after_days = 30\ndelete_after_days = 100\n"),
        {"rules": [_rule(move_to_cold_storage_after_days=30, delete_after_days=100)]},
        "rules[0]: got move_to_cold_storage_after_days=30, delete_after_days=100; ",
        id="cold-too-short",
    ),
    pytest.param(
        ONE_FS + _rule_toml("continuous_backup = true\ndelete_after_days = 7\n"),
        {"rules": [_rule(continuous_backup=True, delete_after_days=7)]},
        "rules[0].continuous_backup: got true",
        id="continuous-backup-with-efs",
    ),
    pytest.param(
        "account = '123'\n" + ONE_FS,
        {"account": "123"},
        "account: got '123'; an AWS account id is 12 digits",
        id="bad-account",
    ),
    pytest.param(
        "region = 'Mars'\n" + ONE_FS,
        {"region": "Mars"},
        "region: got 'Mars'; use an AWS Region code such as 'us-east-1'",
        id="bad-region",
    ),
    pytest.param(
        ONE_FS + "[selection]\nexclude_arns = ['*']\n",
        {"selection": SelectionOptions(exclude_arns=("*",))},
        "selection.exclude_arns[0]: got '*'; excluding every resource leaves nothing",
        id="exclude-everything",
    ),
    pytest.param(
        ONE_FS + "[vault]\nbreak_glass_arns = ['not-an-arn']\n",
        {"vault": VaultOptions(break_glass_arns=("not-an-arn",))},
        "vault.break_glass_arns[0]: got 'not-an-arn'",
        id="bad-break-glass-arn",
    ),
    pytest.param(
        ONE_FS + "[notifications]\nevents = []\n",
        {"notifications": NotificationOptions(events=())},
        "notifications.events: got []; give at least one event",
        id="no-notification-events",
    ),
    pytest.param(
        f"[file_system]\ncreate = false\n[selection]\narns = ['{RDS}']\n"
        "[restore_testing]\nenabled = true\n",
        {
            "file_systems": [],
            "selection": SelectionOptions(arns=(RDS,)),
            "restore_testing": RestoreTestingOptions(),
        },
        "restore_testing: got 0 EFS file systems",
        id="restore-testing-without-efs",
    ),
    pytest.param(
        "site_name = '-'\n" + ONE_FS + "[notifications]\nevents = []\n",
        {"site_name": "-", "notifications": NotificationOptions(events=())},
        "site_name: got '-'",
        id="two-problems",
    ),
]


def _construct_problems(props: dict[str, Any]) -> list[str]:
    env = {key: props.pop(key) for key in ("account", "region") if key in props}
    stack = Stack(App(), "Bad", env=Environment(**env) if env else None)
    kwargs: dict[str, Any] = {"site_name": "example", "file_systems": [FS], **props}
    with pytest.raises(ValueError) as caught:
        BackupStrategy(stack, "Backup", **kwargs)
    assert not any(c.node.id in {"Vault", "Plan"} for c in stack.node.find_all())
    return str(caught.value).split("\n")


@pytest.mark.parametrize(("toml", "props", "first"), SAME)
def test_config_and_construct_report_the_same_problems(
    toml: str, props: dict[str, Any], first: str
) -> None:
    problems = _construct_problems(dict(props))
    with pytest.raises(InputError) as caught:
        parse_config(toml)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    assert caught.value.message == problems[0] + more
    assert problems[0].startswith(first)


# Where the two sources name a field differently, each names its own.
OWN_WORDS = [
    pytest.param(
        "[file_system]\nids = ['fs-XYZ']\n",
        {"file_systems": ["fs-XYZ"]},
        "file_system.ids[0]: got 'fs-XYZ'; an EFS file system id is 'fs-' followed by",
        "file_systems[0]: got 'fs-XYZ'; an EFS file system id is 'fs-' followed by",
        id="bad-efs-id",
    ),
    pytest.param(
        "[file_system]\ncreate = false\n",
        {"file_systems": []},
        "file_system.create: got false with no file_system.ids; nothing to protect",
        "file_systems: got []; give at least one EFS file system",
        id="nothing-selected",
    ),
]


@pytest.mark.parametrize(("toml", "props", "config_says", "construct_says"), OWN_WORDS)
def test_file_systems_are_named_by_each_source_s_key(
    toml: str, props: dict[str, Any], config_says: str, construct_says: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(toml)
    assert caught.value.message.startswith(config_says)
    assert _construct_problems(dict(props))[0].startswith(construct_says)


def test_a_created_file_system_counts_for_the_selection_and_restore_testing() -> None:
    # The config's file_system.create and a construct's file system are both one EFS.
    spec = StrategySpec(
        site_name="example",
        rules=BackupRules.daily_monthly(),
        created_file_systems=1,
        restore_testing=RestoreTestingOptions(),
    )
    assert spec.file_system_count == 1
    assert spec.selected_resource_types() == {"EFS"}
    assert strategy_problems(spec) == []
    assert strategy_problems(
        StrategySpec(
            site_name="example",
            rules=BackupRules.daily_monthly(),
            restore_testing=RestoreTestingOptions(),
        )
    )[:2] == [
        "file_systems: got []; give at least one EFS file system (a construct, an id or an "
        "ARN), or select resources with selection.arns or selection.conditions",
        "restore_testing: got 0 EFS file systems; restore tests restore the strategy's EFS "
        "file systems (constructs, ids, or file-system ARNs in selection.arns): give one, or "
        "turn restore testing off",
    ]


def test_unresolved_values_are_skipped() -> None:
    token = "${Token[TOKEN.1]}"
    spec = StrategySpec(
        site_name=token, rules=(RulePreset(name=token, schedule=token),), file_systems=(token,)
    )
    assert strategy_problems(spec, unresolved=lambda value: "Token[" in str(value)) == []
    assert strategy_problems(spec)  # taken as plain text, every one of them is wrong
