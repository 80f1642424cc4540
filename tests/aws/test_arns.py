"""Partitions, Regions, accounts and resource ids (:mod:`vaultplan.aws.arns`).

The partition list is botocore's (botocore/data/partitions.json), and every Region botocore
lists matches the one Region pattern.
"""

from __future__ import annotations

import json
from pathlib import Path

import botocore
import pytest

from vaultplan.aws import arns, kms
from vaultplan.aws.resource_types import arn_problems


def botocore_partitions() -> dict[str, list[str]]:
    path = Path(botocore.__file__).parent / "data" / "partitions.json"
    data = json.loads(path.read_text())
    return {p["id"]: list(p["regions"]) for p in data["partitions"]}


def test_partitions_are_botocores() -> None:
    assert set(arns.PARTITIONS) == set(botocore_partitions())


def test_every_botocore_region_matches_the_region_pattern() -> None:
    regions = [
        region
        for listed in botocore_partitions().values()
        for region in listed
        if not region.endswith("-global")  # "aws-global" and the like name no Region
    ]
    assert "eusc-de-east-1" in regions
    assert [r for r in regions if not arns.REGION_RE.fullmatch(r)] == []


@pytest.mark.parametrize("partition", arns.PARTITIONS)
def test_partition_pattern_takes_each_partition_whole(partition: str) -> None:
    assert arns.PARTITION_RE.fullmatch(partition)
    assert not arns.PARTITION_RE.fullmatch(partition + "x")


@pytest.mark.parametrize("bad", ["", "aws-foo", "AWS", "aws-", "aws-iso-z", "aws\n"])
def test_partition_pattern_refuses_others(bad: str) -> None:
    assert not arns.PARTITION_RE.fullmatch(bad)


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("cn-north-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
        ("eu-isoe-west-1", "aws-iso-e"),
        ("us-isof-south-1", "aws-iso-f"),
        ("eusc-de-east-1", "aws-eusc"),
    ],
)
def test_each_partition_is_accepted_by_every_arn_check(region: str, partition: str) -> None:
    account = "123456789012"
    fs = f"arn:{partition}:elasticfilesystem:{region}:{account}:file-system/fs-0123456789abcdef0"
    key = f"arn:{partition}:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    vault = f"arn:{partition}:backup:{region}:{account}:backup-vault:dr"
    assert arns.efs_reference(fs) == []
    assert arn_problems(fs, "arns[0]") == []
    assert arn_problems(f"arn:{partition}:ec2:{region}:{account}:volume/*", "arns[0]") == []
    assert kms.kms_key_arn(key) == []
    assert kms.KMS_KEY_OR_ALIAS_ARN_RE.fullmatch(key)
    assert arns.principal_arn(f"arn:{partition}:iam::{account}:role/BreakGlass") == []
    match = arns.VAULT_ARN_RE.fullmatch(vault)
    assert match is not None
    assert (match["partition"], match["region"], match["account"], match["name"]) == (
        partition,
        region,
        account,
        "dr",
    )


def test_an_unknown_partition_is_refused_with_the_same_message_everywhere() -> None:
    fs = "arn:aws-foo:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"
    assert arn_problems(fs, "arns[0]") == [
        f"arns[0]: got {fs!r}; unknown partition: use aws, aws-cn or aws-us-gov"
    ]
    assert arns.efs_arn(fs) != []
    assert (
        arns.VAULT_ARN_RE.fullmatch("arn:aws-foo:backup:us-east-1:123456789012:backup-vault:dr")
        is None
    )


@pytest.mark.parametrize(
    "account", ["12345678901", "1234567890123", "12345678901a", "١٢٣٤٥٦٧٨٩٠١٢"]
)
def test_account_pattern_is_twelve_ascii_digits(account: str) -> None:
    assert not arns.ACCOUNT_RE.fullmatch(account)
    assert not arns.ACCOUNT_RE.fullmatch(account + "\n")


EFS_IDS: dict[str, tuple[str, list[str]]] = {
    "efs: 17 hex digits": ("fs-0123456789abcdef0", []),
    "efs: 8 hex digits (old form)": ("fs-12345678", []),
    "efs: upper case": (
        "fs-0123456789ABCDEF0",
        [
            "file system id: got 'fs-0123456789ABCDEF0'; an EFS file system id is 'fs-' followed "
            "by 8 to 40 lowercase hex digits, e.g. 'fs-0123456789abcdef0'"
        ],
    ),
    "efs: an ARN": (
        "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-12345678",
        [
            "file system id: got "
            "'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-12345678'; an EFS "
            "file system id is 'fs-' followed by 8 to 40 lowercase hex digits, e.g. "
            "'fs-0123456789abcdef0'"
        ],
    ),
    "efs: not hex": (
        "fs-xyz12345",
        [
            "file system id: got 'fs-xyz12345'; an EFS file system id is 'fs-' followed by 8 to "
            "40 lowercase hex digits, e.g. 'fs-0123456789abcdef0'"
        ],
    ),
}


@pytest.mark.parametrize(("value", "expected"), EFS_IDS.values(), ids=EFS_IDS.keys())
def test_efs_id(value: str, expected: list[str]) -> None:
    assert arns.efs_id(value) == expected
