"""``vaultplan check`` and ``vaultplan simulate`` on a template with several backup plans.

GIVEN a stack whose ``BackupStrategy`` has a second plan (``plans=[PlanSpec(...)]``) selecting
one of the stack's two DynamoDB tables, with a rule at the same hour as the first plan's,
WHEN the template is checked and simulated, THEN AWS Backup's overlap rule is applied within
each plan only (it takes one backup per plan: the developer guide's "Creating a backup plan"
speaks of the rules of one plan), coverage counts every plan's selections, and each plan
simulates its own resources with its own rules.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk.assertions import Template

from cli_support import invoke
from vaultplan.cdk import BackupRules, BackupStrategy, PlanSpec, RulePreset, SelectionOptions
from vaultplan.checks import check_paths

FS = "fs-0123456789abcdef0"
# At 05:00 UTC every day, as the first plan's preset daily35 rule: no overlap within a plan.
TABLE_RULE = RulePreset(name="TableDaily", schedule="cron(0 5 * * ? *)", delete_after_days=7)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    stack = Stack(App(), "S", env=Environment(account="111111111111", region="eu-west-1"))
    key = dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)
    selected = dynamodb.Table(stack, "Orders", partition_key=key)
    dynamodb.Table(stack, "Scratch", partition_key=key)
    BackupStrategy(
        stack,
        "Backup",
        site_name="shop",
        file_systems=[FS],
        rules=BackupRules.daily35(),
        plans=[
            PlanSpec(
                name="Tables",
                rules=[TABLE_RULE],
                selection=SelectionOptions(arns=(selected.table_arn,)),
            )
        ],
    )
    path = tmp_path_factory.mktemp("plans") / "template.json"
    path.write_text(json.dumps(Template.from_stack(stack).to_json()))
    return path


def test_rules_of_different_plans_never_overlap_and_coverage_spans_the_plans(
    template: Path,
) -> None:
    report = check_paths([template], now=datetime(2027, 1, 1, tzinfo=UTC))
    by_check: dict[str, list[str]] = {}
    for finding in report.findings:
        by_check.setdefault(finding.check_id, []).append(finding.message)
    assert "VP207" not in by_check
    (uncovered,) = by_check["VP208"]
    assert uncovered.startswith("AWS::DynamoDB::Table Scratch")
    assert "none of the 2 backup selection(s) matches it" in uncovered


def test_each_plan_simulates_its_own_resources_with_its_own_rules(template: Path) -> None:
    outcome = invoke(
        "simulate", str(template), "--start", "2027-01-01", "--days", "10", "--format", "json"
    )
    assert outcome.code == 0, outcome.stderr
    data: dict[str, Any] = json.loads(outcome.stdout)
    simulated = sorted(
        (r["plan_name"], r["resource_type"], tuple(x["name"] for x in r["rules"]))
        for r in data["resources"]
    )
    assert simulated == [
        ("shopEFSBackupPlan", "AWS::EFS::FileSystem", ("shopDailyBackup",)),
        ("shopTables", "AWS::DynamoDB::Table", ("shopTableDaily",)),
    ]
    (table,) = [r for r in data["resources"] if r["plan_name"] == "shopTables"]
    assert table["resource"].startswith("Orders")
    # Both rules fire at 05:00 every day, each in its own plan: no backup is skipped.
    assert data["summary"]["backups_skipped"] == 0
    assert data["summary"]["backups_taken"] == 20
