"""The ``[selection]`` table: every key, its defaults, and each kind of bad input.

Limits encoded here: 500 ARNs, or 30 with wildcards, for Resources and NotResources
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html); 30 tags in
one selection (https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-limits.html).
"""

from __future__ import annotations

import pytest

from vaultplan.config import Config, FileSystemConfig, parse_config, summarize
from vaultplan.errors import InputError
from vaultplan.spec import SelectionOptions, TagCondition

RDS = "arn:aws:rds:eu-west-3:123456789012:db:shop"
EBS_ALL = "arn:aws:ec2:*:*:volume/*"
VOLUME = "arn:aws:ec2:eu-west-3:123456789012:volume/vol-0123456789abcdef0"
EFS_ARN = "arn:aws:elasticfilesystem:eu-west-3:123456789012:file-system/fs-0123456789abcdef0"

FULL = f"""
[file_system]
ids = ["{EFS_ARN}"]
[selection]
arns = ["{RDS}", "{EBS_ALL}"]
exclude_arns = ["{VOLUME}"]
[selection.conditions]
string_equals = {{ backup = "true" }}
string_like = {{ team = "data-*" }}
string_not_equals = {{ env = "scratch" }}
string_not_like = {{ env = ["dev*", "test*"] }}
"""


def test_no_selection_table_is_the_default() -> None:
    assert parse_config("").selection == SelectionOptions()
    assert Config().selection.is_empty


def test_every_selection_key_is_read() -> None:
    config = parse_config(FULL)
    assert config.file_system == FileSystemConfig(create=False, ids=(EFS_ARN,))
    assert config.selection == SelectionOptions(
        arns=(RDS, EBS_ALL),
        exclude_arns=(VOLUME,),
        conditions=(
            TagCondition.equals("backup", "true"),
            TagCondition.like("team", "data-*"),
            TagCondition.not_equals("env", "scratch"),
            TagCondition.not_like("env", "dev*"),
            TagCondition.not_like("env", "test*"),
        ),
    )


def test_summary_says_what_the_selection_adds() -> None:
    summary = summarize(parse_config(FULL))
    assert summary.resources == (
        f"{EFS_ARN} (existing)",
        "2 ARN(s) by selection.arns (EBS, RDS)",
        "only if tagged backup = true AND team like data-* AND env != scratch AND env not like "
        "dev* AND env not like test*",
        "except 1 excluded ARN(s)",
    )
    assert summary.selection == "exampleEFS"


def test_a_config_without_efs_may_select_by_arn_or_by_tags_alone() -> None:
    by_arn = parse_config(f'[file_system]\ncreate = false\n[selection]\narns = ["{RDS}"]\n')
    assert by_arn.selection.arns == (RDS,)
    by_tags = parse_config(
        '[file_system]\ncreate = false\n[selection.conditions]\nstring_equals = { a = "b" }\n'
    )
    assert summarize(by_tags).resources == (
        "every resource type AWS Backup protects (Resources *)",
        "only if tagged a = b",
    )


def test_split_selections_are_named_in_the_summary() -> None:
    arns = ", ".join(
        f'"arn:aws:ec2:us-east-1:123456789012:volume/vol-{i:017x}"' for i in range(1200)
    )
    summary = summarize(parse_config(f"[selection]\narns = [{arns}]\n"))
    assert summary.selection == "exampleEFS, exampleEFS-2, exampleEFS-3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "[selection]\narn = []\n",
            "selection.arn: unknown key (value []); did you mean 'arns'?",
            id="unknown-key",
        ),
        pytest.param(
            "[selection.conditions]\nstring_equal = {}\n",
            "selection.conditions.string_equal: unknown key (value {}); did you mean "
            "'string_equals'?",
            id="unknown-operator",
        ),
        pytest.param(
            "selection = 3\n", "selection: got 3 (an integer); expected a table", id="not-a-table"
        ),
        pytest.param(
            "[selection]\narns = 'arn:aws:s3:::b'\n",
            "selection.arns: got 'arn:aws:s3:::b' (a string); expected an array of ARNs",
            id="arns-not-array",
        ),
        pytest.param(
            "[selection]\nexclude_arns = [1]\n",
            "selection.exclude_arns[0]: got 1 (an integer); expected an ARN string",
            id="excluded-not-string",
        ),
        pytest.param(
            "[selection.conditions]\nstring_equals = { backup = true }\n",
            "selection.conditions.string_equals.backup: got True (a boolean); expected a string "
            '(quote it: "true")',
            id="condition-value-bool",
        ),
        pytest.param(
            "[selection.conditions]\nstring_like = { team = [] }\n",
            "selection.conditions.string_like.team: got [] (an array); expected a string",
            id="condition-value-empty-array",
        ),
        pytest.param(
            "[selection.conditions]\nstring_equals = 'backup'\n",
            "selection.conditions.string_equals: got 'backup' (a string); expected a table",
            id="operator-not-a-table",
        ),
        pytest.param(
            "[selection]\narns = ['arn:aws:sns:us-east-1:123456789012:topic']\n",
            "selection.arns[0]: got 'arn:aws:sns:us-east-1:123456789012:topic'; AWS Backup "
            "protects no resource of service 'sns'",
            id="unsupported-service",
        ),
        pytest.param(
            "[selection.conditions]\nstring_equals = { backup = '' }\n",
            "selection.conditions.string_equals.backup: got ''; give a non-empty tag value",
            id="empty-condition-value",
        ),
        pytest.param(
            "[file_system]\nids = ['arn:aws:elasticfilesystem:us-east-1:123456789012:"
            "file-system/fs-XYZ']\n",
            "file_system.ids[0]: got 'arn:aws:elasticfilesystem:us-east-1:123456789012:"
            "file-system/fs-XYZ'; an EFS file system ARN is",
            id="bad-efs-arn",
        ),
        pytest.param(
            "[file_system]\ncreate = false\n[selection]\nexclude_arns = ['" + VOLUME + "']\n",
            "file_system.create: got false with no file_system.ids; nothing to protect",
            id="exclusions-alone",
        ),
    ],
)
def test_bad_selection_raises_one_line_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


PITR = "[[rules]]\nname = 'Pitr'\nschedule = 'cron(0 5 * * ? *)'\ndelete_after_days = 7\n"


def test_continuous_backup_is_refused_when_selection_arns_name_efs() -> None:
    text = f"[file_system]\ncreate = false\n[selection]\narns = ['{EFS_ARN}']\n"
    with pytest.raises(InputError, match=r"^rules\[0\]\.continuous_backup: got true"):
        parse_config(text + PITR + "continuous_backup = true\n")


def test_continuous_backup_is_allowed_over_rds_arns_only() -> None:
    text = f"[file_system]\ncreate = false\n[selection]\narns = ['{RDS}']\n"
    config = parse_config(text + PITR + "continuous_backup = true\n")
    assert config.rules[0].continuous_backup is True
