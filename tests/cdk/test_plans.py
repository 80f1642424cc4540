"""Several backup plans in one strategy (``BackupStrategy(plans=[PlanSpec(...)])``).

GIVEN a strategy with two more plans beside the first, and the same strategy without them,
WHEN each is synthesized once, THEN every plan is an ``AWS::Backup::BackupPlan`` with its own
rules and selection, all into the one vault with the one role, and the first plan's resources
keep their logical ids and properties; then each broken plan raises ValueError naming
``plans[i]...`` and the value.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk.assertions import Template

from vaultplan.cdk import BackupRules, BackupStrategy, PlanSpec, RulePreset, SelectionOptions
from vaultplan.spec.plan_options import MalwareScanning, PlanOptions
from vaultplan.spec.selection import TagCondition
from vaultplan.spec.vault import VaultLockOptions, VaultOptions

FS = "fs-0123456789abcdef0"
BOUNDARY = "arn:aws:iam::111111111111:policy/Boundary"
RDS = "arn:aws:rds:eu-west-1:111111111111:db:shop"
EBS = "arn:aws:ec2:eu-west-1:111111111111:volume/*"
YEARLY = RulePreset(name="Yearly", schedule="cron(0 3 1 1 ? *)", delete_after_days=2555)
SCAN = PlanOptions(malware_scanning=MalwareScanning(resource_types=("EBS",)))
SCANNED_RULE = RulePreset(
    name="Daily",
    schedule="cron(0 4 * * ? *)",
    delete_after_days=14,
    malware_scan_mode="INCREMENTAL_SCAN",
)


def more_plans() -> list[PlanSpec]:
    return [
        PlanSpec(
            name="Databases", rules=BackupRules.daily35(), selection=SelectionOptions(arns=(RDS,))
        ),
        PlanSpec(
            name="Volumes",
            rules=[SCANNED_RULE, YEARLY],
            selection=SelectionOptions(
                arns=(EBS,), conditions=(TagCondition("string_equals", "backup", "true"),)
            ),
            plan_options=SCAN,
        ),
    ]


def synthesize(**props: Any) -> tuple[Template, BackupStrategy]:
    app = App()
    stack = Stack(app, "S", env=Environment(account="111111111111", region="eu-west-1"))
    made = BackupStrategy(
        stack,
        "Backup",
        site_name="shop",
        file_systems=[FS],
        vault=VaultOptions(lock=VaultLockOptions(mode="governance")),
        permissions_boundary=BOUNDARY,
        **props,
    )
    return Template.from_stack(stack), made


@pytest.fixture(scope="module")
def several() -> tuple[Template, BackupStrategy]:
    return synthesize(plans=more_plans())


@pytest.fixture(scope="module")
def single() -> tuple[Template, BackupStrategy]:
    return synthesize()


def by_type(template: Template, cfn_type: str) -> dict[str, Any]:
    found: dict[str, Any] = template.find_resources(cfn_type)
    return found


def test_each_plan_has_its_name_rules_and_selection(
    several: tuple[Template, BackupStrategy],
) -> None:
    template, made = several
    plans = {
        body["Properties"]["BackupPlan"]["BackupPlanName"]: body["Properties"]["BackupPlan"]
        for body in by_type(template, "AWS::Backup::BackupPlan").values()
    }
    assert sorted(plans) == ["shopDatabases", "shopEFSBackupPlan", "shopVolumes"]
    assert [r["RuleName"] for r in plans["shopDatabases"]["BackupPlanRule"]] == ["shopDailyBackup"]
    assert [r["RuleName"] for r in plans["shopVolumes"]["BackupPlanRule"]] == [
        "shopDaily",
        "shopYearly",
    ]
    selections = {
        body["Properties"]["BackupSelection"]["SelectionName"]: body["Properties"]
        for body in by_type(template, "AWS::Backup::BackupSelection").values()
    }
    assert sorted(selections) == ["shopDatabases", "shopEFS", "shopVolumes"]
    assert selections["shopDatabases"]["BackupSelection"]["Resources"] == [RDS]
    volumes = selections["shopVolumes"]["BackupSelection"]
    assert volumes["Resources"] == [EBS]
    assert volumes["Conditions"] == {
        "StringEquals": [{"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "true"}]
    }
    stack = Stack.of(made)
    for plan, selection in zip(made.backup_plans, made.plan_selections, strict=True):
        plan_id = stack.get_logical_id(plan.node.default_child)  # type: ignore[arg-type]
        assert [
            selections[s.node.default_child.backup_selection.selection_name][  # type: ignore[union-attr]
                "BackupPlanId"
            ]
            for s in selection
        ] == [{"Fn::GetAtt": [plan_id, "BackupPlanId"]}]


def test_every_plan_uses_the_one_vault_and_the_one_role(
    several: tuple[Template, BackupStrategy],
) -> None:
    template, made = several
    stack = Stack.of(made)
    vault_id = stack.get_logical_id(made.vault.node.default_child)  # type: ignore[arg-type]
    role_id = stack.get_logical_id(made.role.node.default_child)  # type: ignore[arg-type]
    targets = {
        rule["TargetBackupVault"]["Fn::GetAtt"][0]
        for body in by_type(template, "AWS::Backup::BackupPlan").values()
        for rule in body["Properties"]["BackupPlan"]["BackupPlanRule"]
    }
    assert targets == {vault_id}
    roles = {
        body["Properties"]["BackupSelection"]["IamRoleArn"]["Fn::GetAtt"][0]
        for body in by_type(template, "AWS::Backup::BackupSelection").values()
    }
    assert roles == {role_id}
    assert len(by_type(template, "AWS::Backup::BackupVault")) == 1


def test_the_role_can_back_up_and_scan_what_any_plan_selects(
    several: tuple[Template, BackupStrategy],
) -> None:
    template, made = several
    stack = Stack.of(made)
    role = template.to_json()["Resources"][stack.get_logical_id(made.role.node.default_child)]  # type: ignore[arg-type]
    assert "AWSBackupServiceRolePolicyForScans" in str(role["Properties"]["ManagedPolicyArns"])
    assert role["Properties"]["Description"] == (
        "AWS Backup runs the jobs of the 3 shop plans with this role"
    )
    # Only the third plan scans, with the one scanner role the strategy creates.
    (scanner_id,) = [
        lid for lid in by_type(template, "AWS::IAM::Role") if lid.startswith("BackupScannerRole")
    ]
    settings = [
        body["Properties"]["BackupPlan"].get("ScanSettings")
        for body in by_type(template, "AWS::Backup::BackupPlan").values()
    ]
    assert [s[0]["ScannerRoleArn"] for s in settings if s] == [{"Fn::GetAtt": [scanner_id, "Arn"]}]


def test_every_role_the_strategy_creates_has_the_permissions_boundary(
    several: tuple[Template, BackupStrategy],
) -> None:
    roles = by_type(several[0], "AWS::IAM::Role")
    assert sorted(re.sub(r"[0-9A-F]{8}$", "", lid) for lid in roles) == [
        "BackupRole",
        "BackupScannerRole",
    ]
    assert {r["Properties"].get("PermissionsBoundary") for r in roles.values()} == {BOUNDARY}


def test_the_vault_lock_spans_the_rules_of_every_plan(
    several: tuple[Template, BackupStrategy], single: tuple[Template, BackupStrategy]
) -> None:
    def lock(template: Template) -> dict[str, Any]:
        (vault,) = by_type(template, "AWS::Backup::BackupVault").values()
        found: dict[str, Any] = vault["Properties"]["LockConfiguration"]
        return found

    assert lock(single[0]) == {"MinRetentionDays": 35, "MaxRetentionDays": 365}
    # The extra plans keep points 14 days (Volumes' Daily) and 2555 days (Yearly).
    assert lock(several[0]) == {"MinRetentionDays": 14, "MaxRetentionDays": 2555}


def test_the_first_plan_keeps_its_logical_ids_and_properties(
    several: tuple[Template, BackupStrategy], single: tuple[Template, BackupStrategy]
) -> None:
    before = single[0].to_json()["Resources"]
    after = several[0].to_json()["Resources"]
    assert set(before) <= set(after)
    changed = sorted(lid for lid in before if before[lid] != after[lid])
    # The vault lock spans the new rules, and the role's description counts the plans.
    assert [re.sub(r"[0-9A-F]{8}$", "", lid) for lid in changed] == ["BackupRole", "BackupVault"]
    new = sorted(re.sub(r"[0-9A-F]{8}$", "", lid) for lid in set(after) - set(before))
    assert new == [
        "BackupPlansDatabasesPlan",
        "BackupPlansDatabasesSelection",
        "BackupPlansVolumesPlan",
        "BackupPlansVolumesSelection",
        "BackupScannerRole",
    ]


LONG = "x" * 46


def rds(n: int) -> str:
    return f"arn:aws:rds:eu-west-1:111111111111:db:shop{n}"


def db(**changes: Any) -> PlanSpec:
    """A valid extra plan, with ``changes``."""
    props: dict[str, Any] = {
        "name": "Db",
        "rules": BackupRules.daily35(),
        "selection": SelectionOptions(arns=(RDS,)),
    }
    return PlanSpec(**{**props, **changes})


@pytest.mark.parametrize(
    ("plans", "message"),
    [
        pytest.param(
            [db(name="EFSBackupPlan")],
            "plans[0].name: got 'EFSBackupPlan', the name of the strategy's first plan",
            id="first plan's name",
        ),
        pytest.param(
            [db(), db()],
            "plans[1].name: got 'Db', the name of plans[0]; plan names must be unique",
            id="duplicate",
        ),
        pytest.param(
            [db(name="Data bases")],
            "plans[0].name: got 'shopData bases'; use 1 to 50 letters, digits, '-', '_' or '.'",
            id="pattern",
        ),
        pytest.param(
            [db(name=LONG + "x")],
            f"plans[0].name: got 'shop{LONG}x'",
            id="too long with the site prefix",
        ),
        pytest.param(
            [db(name=LONG, selection=SelectionOptions(arns=tuple(rds(n) for n in range(501))))],
            f"plans[0].name (selection name): got 'shop{LONG}-2'",
            id="the split selection's name too",
        ),
        pytest.param(
            [db(selection=SelectionOptions())],
            "plans[0].selection: got nothing to select; a [[plans]] table has no file systems",
            id="selects nothing",
        ),
        pytest.param(
            [db(rules=[RulePreset(name="Daily", schedule="cron(0 5 * * *)")])],
            "plans[0].rules[0].schedule: got 'cron(0 5 * * *)'",
            id="rule schedule",
        ),
        pytest.param(
            [db(rules=[])],
            "plans[0].rules: got []; give at least one rule",
            id="no rules",
        ),
        pytest.param(
            [db(selection=SelectionOptions(arns=("arn:aws:rds:eu-west-1:1:db:x",)))],
            "plans[0].selection.arns[0]: got 'arn:aws:rds:eu-west-1:1:db:x'",
            id="selection ARN",
        ),
        pytest.param(
            [db(rules=[SCANNED_RULE], selection=SelectionOptions(arns=(EBS,)))],
            "plans[0].rules[0].malware_scan_mode: got 'INCREMENTAL_SCAN' with no "
            "[plans[0].malware_scanning]",
            id="scan without the plan's settings",
        ),
        pytest.param(
            [db(plan_options=PlanOptions(windows_vss="enabled"))],
            "plans[0].windows_vss: got 'enabled', and the selection picks no EC2 resource",
            id="option for a type the plan doesn't select",
        ),
    ],
)
def test_a_broken_plan_is_refused_naming_its_field_and_value(
    plans: list[PlanSpec], message: str
) -> None:
    stack = Stack(App(), "S", env=Environment(account="111111111111", region="eu-west-1"))
    with pytest.raises(ValueError) as err:
        BackupStrategy(stack, "Backup", site_name="shop", file_systems=[FS], plans=plans)
    assert message in str(err.value)
