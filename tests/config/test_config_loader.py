"""The vaultplan.toml loader: defaults, every key, and each kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultplan.config import (
    Config,
    FileSystemConfig,
    load_config,
    parse_config,
    stack_name_for,
    summarize,
)
from vaultplan.errors import InputError
from vaultplan.spec import BackupRules, RulePreset

FULL = """
site_name = "shop"
account = "123456789012"
region = "eu-west-3"
[file_system]
create = false
ids = ["fs-0123456789abcdef0", "fs-abcdef01"]
[[rules]]
name = "Nightly"
schedule = "cron(30 1 ? * MON-FRI *)"
delete_after_days = 14
start_window_minutes = 120
completion_window_minutes = 600
schedule_timezone = "Europe/Paris"
"""


def test_empty_file_gives_the_default_strategy() -> None:
    config = parse_config("")
    assert config == Config()
    assert config.site_name == "example"
    assert config.file_system == FileSystemConfig(create=True, ids=())
    assert config.rules == BackupRules.daily_monthly()
    assert (config.account, config.region) == (None, None)


def test_every_key_is_read() -> None:
    config = parse_config(FULL)
    assert config == Config(
        site_name="shop",
        account="123456789012",
        region="eu-west-3",
        file_system=FileSystemConfig(create=False, ids=("fs-0123456789abcdef0", "fs-abcdef01")),
        rules=(
            RulePreset(
                name="Nightly",
                schedule="cron(30 1 ? * MON-FRI *)",
                delete_after_days=14,
                start_window_minutes=120,
                completion_window_minutes=600,
                schedule_timezone="Europe/Paris",
            ),
        ),
    )
    assert config.stack_name == "shop-backup"


def test_ids_alone_mean_no_new_file_system() -> None:
    config = parse_config('[file_system]\nids = ["fs-0123456789abcdef0"]\n')
    assert config.file_system == FileSystemConfig(create=False, ids=("fs-0123456789abcdef0",))


def test_create_and_ids_together_protect_both() -> None:
    config = parse_config('[file_system]\ncreate = true\nids = ["fs-0123456789abcdef0"]\n')
    assert summarize(config).resources[1] == "fs-0123456789abcdef0 (existing)"


@pytest.mark.parametrize(
    ("site", "stack"),
    [("example", "example-backup"), ("my_site", "my-site-backup"), ("1st", "site-1st-backup")],
)
def test_stack_name_is_a_valid_cloudformation_name(site: str, stack: str) -> None:
    assert stack_name_for(site) == stack


BAD = [
    pytest.param(
        "site_nam = 'x'\n",
        "site_nam: unknown key (value 'x'); did you mean 'site_name'? allowed keys here: "
        "site_name, account, region, file_system",
        id="unknown-top-key",
    ),
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(0 8 * * ? *)'\n"
        "[[rules]]\nname='B'\nschedule='cron(0 9 * * ? *)'\ndelete_after_dayz=35\n",
        "rules[1].delete_after_dayz: unknown key (value 35); did you mean 'delete_after_days'?",
        id="unknown-rule-key",
    ),
    pytest.param(
        "[file_system]\ncreat = true\n",
        "file_system.creat: unknown key (value True); did you mean 'create'?",
        id="unknown-file-system-key",
    ),
    pytest.param(
        "site_name = 42\n",
        "site_name: got 42 (an integer); expected a string",
        id="site-name-type",
    ),
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(0 8 * * ? *)'\ndelete_after_days='35'\n",
        "rules[0].delete_after_days: got '35' (a string); expected a whole number, without quotes",
        id="days-as-string",
    ),
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(0 8 * * ? *)'\ndelete_after_days=true\n",
        "rules[0].delete_after_days: got True (a boolean); expected a whole number",
        id="days-as-bool",
    ),
    pytest.param(
        "[file_system]\ncreate = 'yes'\n",
        "file_system.create: got 'yes' (a string); expected true or false",
        id="create-type",
    ),
    pytest.param(
        "[file_system]\nids = 'fs-0123456789abcdef0'\n",
        "file_system.ids: got 'fs-0123456789abcdef0' (a string); expected an array of ids",
        id="ids-not-array",
    ),
    pytest.param(
        "[file_system]\nids = ['fs-nothex!']\n",
        "file_system.ids[0]: got 'fs-nothex!'; an EFS file system id is 'fs-' followed by",
        id="bad-efs-id",
    ),
    pytest.param(
        "[file_system]\ncreate = false\n",
        "file_system.create: got false with no file_system.ids; nothing to protect",
        id="nothing-to-protect",
    ),
    pytest.param("rules = 3\n", "rules: got 3 (an integer); expected an array", id="rules-type"),
    pytest.param("rules = []\n", "rules: got []; give at least one rule", id="no-rules"),
    pytest.param(
        "[[rules]]\nname='A'\n",
        "rules[0].schedule: missing; every [[rules]] table needs name and schedule",
        id="missing-schedule",
    ),
    # AWS Backup takes no rate() expression (a maintainer,
    # https://github.com/hashicorp/terraform-provider-aws/issues/8269)
    pytest.param(
        "[[rules]]\nname='A'\nschedule='rate(1 day)'\n",
        "rules[0].schedule: got 'rate(1 day)'",
        id="rate-schedule",
    ),
    # the most frequent schedule allowed is hourly
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html)
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(*/10 * * * ? *)'\n",
        "rules[0].schedule: got 'cron(*/10 * * * ? *)'; it fires every 10 minutes",
        id="too-frequent",
    ),
    # when both are set, delete >= cold + 90
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html)
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(0 8 * * ? *)'\n"
        "move_to_cold_storage_after_days=30\ndelete_after_days=60\n",
        "rules[0]: got move_to_cold_storage_after_days=30, delete_after_days=60; "
        "delete_after_days must be at least move_to_cold_storage_after_days + 90 = 120",
        id="cold-plus-90",
    ),
    # the maximum is 36,500 days
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html)
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(0 8 * * ? *)'\ndelete_after_days=40000\n",
        "rules[0].delete_after_days: got 40000; delete after must be 1 to 36500 days",
        id="lifecycle-too-long",
    ),
    # StartWindowMinutes, if set, is at least 60
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html)
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(0 8 * * ? *)'\nstart_window_minutes=59\n",
        "rules[0].start_window_minutes: got 59; a start window is a whole number of minutes "
        "from 60",
        id="start-window",
    ),
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(0 8 * * ? *)'\nschedule_timezone='CET+1'\n",
        "rules[0].schedule_timezone: got 'CET+1'; use an IANA time zone name",
        id="timezone",
    ),
    # rule and selection ^[a-zA-Z0-9\-_.]{1,50}$
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html,
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html)
    pytest.param(
        "[[rules]]\nname='A B'\nschedule='cron(0 8 * * ? *)'\n",
        "rules[0].name: got 'exampleA B'; use 1 to 50 letters, digits, '-', '_' or '.' "
        "(the rule name is site_name + name: 'exampleA B')",
        id="rule-name",
    ),
    pytest.param(
        "[[rules]]\nname=''\nschedule='cron(0 8 * * ? *)'\n",
        "rules[0].name: got ''; give the rule a name",
        id="empty-rule-name",
    ),
    # vault ^[a-zA-Z0-9\-_]{2,50}$
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html)
    pytest.param(
        "site_name = 'my site'\n",
        "site_name: got 'my site'; use 2 to 50 letters, digits, '-' or '_'",
        id="site-name",
    ),
    pytest.param(
        "account = '1234'\n",
        "account: got '1234'; an AWS account id is 12 digits",
        id="account",
    ),
    pytest.param(
        "account = 123456789012\n",
        "account: got 123456789012 (an integer); expected a string",
        id="account-as-integer",
    ),
    pytest.param(
        "region = 'useast1'\n",
        "region: got 'useast1'; use an AWS Region code such as 'us-east-1'",
        id="region",
    ),
    pytest.param(
        "site_name = \n",
        "config: not valid TOML: Invalid value (at line 1, column 13)",
        id="toml-syntax",
    ),
    pytest.param(
        "[[rules]]\nname='A'\nschedule='cron(0 8 * * ? *)'\n[[rules]]\nname='A'\n"
        "schedule='cron(0 9 * * ? *)'\n",
        "rules[1].name: got 'A'; rules[0] has the same name",
        id="duplicate-rule",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_config_raises_one_line_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text)
    assert caught.value.exit_code == 2
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith(message), caught.value.message


def test_several_problems_are_counted_on_one_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_config("account = '1'\nregion = 'x'\n")
    assert caught.value.message == ("account: got '1'; an AWS account id is 12 digits (and 1 more)")


def test_missing_file_names_the_option_and_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(InputError) as caught:
        load_config(missing)
    assert caught.value.message == (
        f"--config: got '{missing}'; no such file (run 'vaultplan init' to make one)"
    )


def test_folder_and_non_utf8_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a file"):
        load_config(tmp_path)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match="not UTF-8 text"):
        load_config(binary)


def test_without_a_path_reads_vaultplan_toml_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config() == Config()
    (tmp_path / "vaultplan.toml").write_text('site_name = "here"\n')
    config = load_config()
    assert config.site_name == "here"
    assert config.source == Path("vaultplan.toml")


def test_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[[rules]\n")
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert caught.value.message.startswith(f"{path}: not valid TOML: ")
