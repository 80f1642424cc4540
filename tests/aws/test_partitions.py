"""ARNs in the ``aws-eusc`` partition (the AWS European Sovereign Cloud) are accepted wherever
vaultplan checks a partition: the construct's options and ``vaultplan policy --partition``.

botocore lists ``aws-eusc`` among its partitions (botocore/data/partitions.json, Region
``eusc-de-east-1``).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from cli_support import PLAIN, run_vaultplan
from vaultplan import BackupStrategy
from vaultplan.spec import (
    CopyAction,
    RestoreTestingOptions,
    RulePreset,
    SelectionOptions,
    VaultOptions,
)

REGION = "eusc-de-east-1"
ACCOUNT = "123456789012"
EUSC = f"arn:aws-eusc:{{service}}:{REGION}:{ACCOUNT}:{{resource}}"
FILE_SYSTEM = EUSC.format(service="elasticfilesystem", resource="file-system/fs-0123456789abcdef0")
VOLUME = EUSC.format(service="ec2", resource="volume/vol-0123456789abcdef0")
KEY = EUSC.format(service="kms", resource="key/1234abcd-12ab-34cd-56ef-1234567890ab")
DESTINATION = f"arn:aws-eusc:backup:{REGION}:210987654321:backup-vault:dr"
BREAK_GLASS = f"arn:aws-eusc:iam::{ACCOUNT}:role/BreakGlass"
DEFAULT = Path(__file__).resolve().parents[1] / "permissions" / "fixtures" / "default_strategy.yaml"


def test_the_construct_takes_aws_eusc_arns_in_every_option() -> None:
    # GIVEN a strategy whose every ARN option is in the aws-eusc partition
    stack = Stack(App(), "Site")
    BackupStrategy(
        stack,
        "Backup",
        site_name="example",
        file_systems=[FILE_SYSTEM],
        rules=[
            RulePreset(
                name="Daily",
                schedule="cron(0 8 * * ? *)",
                delete_after_days=35,
                copy_actions=(CopyAction(destination_vault_arn=DESTINATION),),
            )
        ],
        selection=SelectionOptions(arns=(VOLUME,)),
        vault=VaultOptions(kms_key=KEY, break_glass_arns=(BREAK_GLASS,)),
        restore_testing=RestoreTestingOptions(kms_key_arn=KEY),
    )
    # WHEN it is synthesized, THEN no option was refused and each ARN is in the template
    text = json.dumps(Template.from_stack(stack).to_json())
    for arn in (FILE_SYSTEM, VOLUME, KEY, DESTINATION, BREAK_GLASS):
        assert arn in text, arn


run = partial(run_vaultplan, prefix=("policy",), env=PLAIN)


def test_policy_takes_the_aws_eusc_partition() -> None:
    result = run(str(DEFAULT), "--partition", "aws-eusc", "--region", REGION, "--account", ACCOUNT)
    assert result.returncode == 0, result.stderr
    vault = next(
        s for s in json.loads(result.stdout)["Statement"] if s["Sid"] == "BackupBackupVault"
    )
    assert vault["Resource"] == f"arn:aws-eusc:backup:{REGION}:{ACCOUNT}:backup-vault:Site"


def test_policy_refuses_an_unknown_partition_listing_botocores() -> None:
    result = run(str(DEFAULT), "--partition", "aws-foo")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: --partition: got 'aws-foo'; use one of aws, aws-cn, aws-us-gov, aws-iso, "
        "aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc"
    )
