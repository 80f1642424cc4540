"""``examples/all-features.toml`` turns every feature on, and it synthesizes through the CLI.

Issue 5, "Done when": a config that turns every feature on synthesizes. Every key that
``vaultplan init`` writes (commented out or not) is set in the example, and each feature shows
in the template ``vaultplan synth --config examples/all-features.toml`` writes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from compliance_support import ROOT, init_keys, run_vaultplan

from vaultplan.config.template import default_config_text

EXAMPLE = ROOT / "examples" / "all-features.toml"


def resources(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("all-features")
    result = run_vaultplan(
        "synth", "--config", str(EXAMPLE), "--out", "cdk.out", "--format", "json", cwd=work
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    loaded: dict[str, Any] = json.loads(
        (work / "cdk.out" / "allfeatures-backup.template.json").read_text()
    )
    return loaded


def test_the_example_sets_every_key_vaultplan_init_writes() -> None:
    missing = set(init_keys(default_config_text())) - set(init_keys(EXAMPLE.read_text()))
    assert sorted(missing) == []


def test_new_file_system_in_a_flow_logged_vpc(template: dict[str, Any]) -> None:
    (file_system,) = resources(template, "AWS::EFS::FileSystem")
    assert file_system["Properties"]["Encrypted"] is True
    (flow_log,) = resources(template, "AWS::EC2::FlowLog")
    assert flow_log["Properties"]["ResourceType"] == "VPC"
    assert flow_log["Properties"]["TrafficType"] == "ALL"
    (log_group,) = resources(template, "AWS::Logs::LogGroup")
    assert log_group["Properties"]["RetentionInDays"] == 365
    assert "KmsKeyId" in log_group["Properties"]


def test_existing_file_system_by_id_is_selected(template: dict[str, Any]) -> None:
    (selection,) = resources(template, "AWS::Backup::BackupSelection")
    listed = json.dumps(selection["Properties"]["BackupSelection"]["Resources"])
    assert "file-system/fs-0123456789abcdef0" in listed
    assert "FileSystem" in listed  # the new one, by GetAtt


def test_rules_with_windows_and_time_zone(template: dict[str, Any]) -> None:
    (plan,) = resources(template, "AWS::Backup::BackupPlan")
    rules = {r["RuleName"]: r for r in plan["Properties"]["BackupPlan"]["BackupPlanRule"]}
    hourly = rules["allfeaturesHourly"]
    assert hourly["ScheduleExpression"] == "cron(0 * * * ? *)"
    assert (hourly["StartWindowMinutes"], hourly["CompletionWindowMinutes"]) == (60, 120)
    monthly = rules["allfeaturesMonthlyCold"]
    assert monthly["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert monthly["Lifecycle"] == {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 365}
