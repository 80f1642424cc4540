"""A config whose selection can select S3: synth's summary names the S3 policies and a note.

The role ``vaultplan synth`` creates gets AWSBackupServiceRolePolicyForS3Backup and
AWSBackupServiceRolePolicyForS3Restore (s3-backups.html); the buckets need versioning, which the
template can't turn on for buckets it doesn't own, so a note says it.
"""

from __future__ import annotations

import pytest

from vaultplan.config import parse_config, summarize

S3_ROLE = (
    "assumed by backup.amazonaws.com; AWS managed policies AWSBackupServiceRolePolicyForBackup, "
    "AWSBackupServiceRolePolicyForRestores, AWSBackupServiceRolePolicyForS3Backup, "
    "AWSBackupServiceRolePolicyForS3Restore"
)


@pytest.mark.parametrize(
    "selection",
    [
        pytest.param('arns = ["arn:aws:s3:::shop-uploads"]', id="bucket"),
        pytest.param('arns = ["arn:aws:s3:::shop-*"]', id="pattern"),
        pytest.param('arns = ["*"]', id="star"),
    ],
)
def test_a_selection_of_s3_names_the_s3_policies_and_notes_versioning(selection: str) -> None:
    config = parse_config(f"[file_system]\ncreate = false\n[selection]\n{selection}\n")
    summary = summarize(config)
    assert summary.role == S3_ROLE
    assert [n for n in summary.notes if "versioning" in n] == [
        "selection: it can select S3 buckets; AWS Backup backs up only buckets with versioning "
        "enabled (s3-backups.html), so turn versioning on for each of them (the role has the "
        "AWSBackupServiceRolePolicyForS3Backup and AWSBackupServiceRolePolicyForS3Restore "
        "policies)"
    ]


def test_conditions_alone_select_s3_too() -> None:
    config = parse_config(
        "[file_system]\ncreate = false\n"
        '[selection.conditions]\nstring_equals = { backup = "true" }\n'
    )
    assert summarize(config).role == S3_ROLE


def test_the_default_config_selects_no_s3() -> None:
    summary = summarize(parse_config(""))
    assert "S3" not in summary.role
    assert not [n for n in summary.notes if "versioning" in n]


def test_a_further_plan_that_selects_s3_gets_the_note_too() -> None:
    # The top-level plan backs up the new file system; a [[plans]] table selects a bucket.
    config = parse_config(
        '[[plans]]\nname = "Uploads"\n[plans.selection]\narns = ["arn:aws:s3:::shop-uploads"]\n'
    )
    summary = summarize(config)
    assert summary.role == S3_ROLE
    assert len([n for n in summary.notes if "versioning" in n]) == 1
