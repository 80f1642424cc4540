"""The archive, index, scan and advanced-setting keys of ``[plan]`` and ``[[rules]]``: what a
good config gives, and one line naming the key for each bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import assert_broken_config_rejected
from vaultplan.config import parse_config
from vaultplan.errors import InputError
from vaultplan.spec.plan_options import MalwareScanning, PlanOptions

EBS = "arn:aws:ec2:eu-west-1:111111111111:volume/*"
EC2 = "arn:aws:ec2:eu-west-1:111111111111:instance/*"
S3 = "arn:aws:s3:::reports"
MONTHLY = (
    "[[rules]]\nname = 'Monthly'\nschedule = 'cron(0 8 1 * ? *)'\n"
    "move_to_cold_storage_after_days = 30\ndelete_after_days = 365\n"
)
DAILY = "[[rules]]\nname = 'Daily'\nschedule = 'cron(0 8 * * ? *)'\ndelete_after_days = 35\n"
DR = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"


def selecting(*arns: str) -> str:
    return "[selection]\narns = [" + ", ".join(f"'{a}'" for a in arns) + "]\n"


def test_rule_keys_reach_the_rules() -> None:
    config = parse_config(
        selecting(EBS)
        + "[plan.malware_scanning]\nresource_types = ['EBS']\n"
        + MONTHLY
        + "archive = true\nindex_resource_types = ['EBS']\nmalware_scan_mode = 'FULL_SCAN'\n"
        + f"[[rules.copy_actions]]\ndestination_vault_arn = '{DR}'\n"
        + "move_to_cold_storage_after_days = 30\ndelete_after_days = 365\narchive = true\n"
    )
    (rule,) = config.rules
    assert (rule.archive, rule.index_resource_types, rule.malware_scan_mode) == (
        True,
        ("EBS",),
        "FULL_SCAN",
    )
    assert rule.copy_actions[0].archive is True
    assert config.plan_options == PlanOptions(
        malware_scanning=MalwareScanning(resource_types=("EBS",))
    )


def test_plan_keys_apply_to_every_preset_rule_and_archive_to_the_cold_ones() -> None:
    config = parse_config(
        selecting(EBS) + "[plan]\narchive = true\nindex_resource_types = ['EBS']\n"
    )
    daily, monthly = config.rules
    assert (daily.archive, monthly.archive) == (False, True)
    assert daily.index_resource_types == monthly.index_resource_types == ("EBS",)


def test_advanced_settings_are_read() -> None:
    config = parse_config(
        selecting(EC2, S3)
        + "[plan]\nwindows_vss = 'enabled'\ns3_backup_acls = 'disabled'\n"
        + "s3_backup_object_tags = 'disabled'\n"
    )
    assert config.plan_options.advanced_backup_settings == [
        {"ResourceType": "EC2", "BackupOptions": {"WindowsVSS": "enabled"}},
        {
            "ResourceType": "S3",
            "BackupOptions": {"BackupACLs": "disabled", "BackupObjectTags": "disabled"},
        },
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            selecting(EBS) + DAILY + "archive = true\n",
            "rules[0].archive: got true with no move_to_cold_storage_after_days",
            id="archive-without-cold",
        ),
        pytest.param(
            MONTHLY + "archive = true\n",
            "rules[0].archive: got true, and the selection picks no EBS volume",
            id="archive-efs-only",
        ),
        pytest.param(
            selecting(EBS) + MONTHLY + "archive = 'yes'\n",
            "rules[0].archive: got 'yes'",
            id="archive-not-a-boolean",
        ),
        pytest.param(
            selecting(EBS)
            + DAILY
            + f"[[rules.copy_actions]]\ndestination_vault_arn = '{DR}'\narchive = true\n",
            "rules[0].copy_actions[0].archive: got true with no move_to_cold_storage_after_days",
            id="copy-archive-without-cold",
        ),
        pytest.param(
            "[plan]\npreset = 'daily-35'\narchive = true\n" + selecting(EBS),
            "plan.archive: got true, and no rule of the preset moves points to cold storage",
            id="plan-archive-no-cold-rule",
        ),
        pytest.param(
            "[plan]\narchive = true\n" + selecting(EBS) + MONTHLY,
            "plan.archive: got True and [[rules]] tables too",
            id="plan-rule-key-with-rules",
        ),
        pytest.param(
            selecting(EBS) + DAILY + "index_resource_types = ['EFS']\n",
            "rules[0].index_resource_types[0]: got 'EFS'; use one of 'EBS', 'S3'",
            id="index-efs",
        ),
        pytest.param(
            selecting(EBS, S3) + DAILY + "index_resource_types = ['EBS', 'S3']\n",
            "rules[0].index_resource_types: got ['EBS', 'S3']; AWS Backup indexes one",
            id="index-two-types",
        ),
        pytest.param(
            DAILY + "index_resource_types = ['S3']\n",
            "rules[0].index_resource_types: got 'S3', and the selection picks no S3 resource",
            id="index-type-not-selected",
        ),
        pytest.param(
            selecting(EBS) + DAILY + "malware_scan_mode = 'FULL_SCAN'\n",
            "rules[0].malware_scan_mode: got 'FULL_SCAN' with no [plan.malware_scanning]",
            id="scan-without-settings",
        ),
        pytest.param(
            selecting(EBS) + "[plan.malware_scanning]\n" + DAILY + "malware_scan_mode = 'QUICK'\n",
            "rules[0].malware_scan_mode: got 'QUICK'; use one of 'FULL_SCAN', 'INCREMENTAL_SCAN'",
            id="scan-mode-unknown",
        ),
        pytest.param(
            selecting(EBS) + "[plan.malware_scanning]\nresource_types = ['EFS']\n",
            "plan.malware_scanning.resource_types[0]: got 'EFS'",
            id="scan-type-efs",
        ),
        pytest.param(
            "[plan.malware_scanning]\nresource_types = ['S3']\n",
            "plan.malware_scanning.resource_types: got ['S3'], and the selection picks none",
            id="scan-type-not-selected",
        ),
        pytest.param(
            selecting(EBS) + "[plan.malware_scanning]\nscanner_role_arn = 'Scanner'\n",
            "plan.malware_scanning.scanner_role_arn: got 'Scanner'; use the ARN of an IAM role",
            id="scanner-role-not-an-arn",
        ),
        pytest.param(
            selecting(EBS) + "[plan.malware_scanning]\nscanner = 'GUARDDUTY'\n",
            "plan.malware_scanning.scanner",
            id="scanning-unknown-key",
        ),
        pytest.param(
            selecting(EC2) + "[plan]\nwindows_vss = 'on'\n",
            "plan.windows_vss: got 'on'; use 'enabled' or 'disabled'",
            id="vss-on",
        ),
        pytest.param(
            "[plan]\nwindows_vss = 'enabled'\n",
            "plan.windows_vss: got 'enabled', and the selection picks no EC2 resource",
            id="vss-without-ec2",
        ),
        pytest.param(
            selecting(EBS) + "[plan]\ns3_backup_acls = 'disabled'\n",
            "plan.s3_backup_acls: got 'disabled', and the selection picks no S3 resource",
            id="s3-acls-without-s3",
        ),
    ],
)
def test_bad_values_name_the_key(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_config(text)
    assert str(err.value).startswith(message), str(err.value)


def test_synth_refuses_a_bad_value_in_one_line(tmp_path: Path) -> None:
    assert_broken_config_rejected(
        tmp_path,
        "[plan]\nwindows_vss = 'enabled'\n",
        "plan.windows_vss: got 'enabled', and the selection picks no EC2 resource",
    )
