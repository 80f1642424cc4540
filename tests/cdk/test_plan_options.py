"""Archive tier, index and scan actions, scan settings and advanced backup settings on the
synthesized template.

GIVEN a stack with one strategy using every option (and one with an existing scanner role),
WHEN it is synthesized once, THEN the plan, the scanner role and the backup role hold what was
asked; then each invalid combination raises ValueError naming the field and the value.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk.assertions import Template

from vaultplan import BackupStrategy
from vaultplan.cdk import RulePreset
from vaultplan.spec.copy import CopyAction
from vaultplan.spec.plan_options import MalwareScanning, PlanOptions
from vaultplan.spec.selection import SelectionOptions

DR = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"
EBS = "arn:aws:ec2:eu-west-1:111111111111:volume/*"
EC2 = "arn:aws:ec2:eu-west-1:111111111111:instance/*"
S3 = "arn:aws:s3:::reports"
ARCHIVE = "OptInToArchiveForSupportedResources"
SCANNER = "arn:aws:iam::111111111111:role/Scanner"


def rules() -> tuple[RulePreset, ...]:
    return (
        RulePreset(
            name="Daily",
            schedule="cron(0 8 * * ? *)",
            delete_after_days=35,
            index_resource_types=("EBS",),
            malware_scan_mode="INCREMENTAL_SCAN",
        ),
        RulePreset(
            name="Monthly",
            schedule="cron(0 8 1 * ? *)",
            move_to_cold_storage_after_days=30,
            delete_after_days=365,
            archive=True,
            copy_actions=(
                CopyAction(
                    destination_vault_arn=DR,
                    move_to_cold_storage_after_days=30,
                    delete_after_days=365,
                    archive=True,
                ),
            ),
        ),
    )


OPTIONS = PlanOptions(
    windows_vss="enabled",
    s3_backup_object_tags="disabled",
    malware_scanning=MalwareScanning(resource_types=("EBS", "EC2")),
)


def strategy(stack: Stack, id: str, **props: Any) -> BackupStrategy:
    props.setdefault("selection", SelectionOptions(arns=(EBS, EC2, S3)))
    return BackupStrategy(stack, id, site_name=id.lower(), **props)


@pytest.fixture(scope="module")
def synthesized() -> tuple[Template, BackupStrategy]:
    app = App()
    stack = Stack(app, "S", env=Environment(account="111111111111", region="eu-west-1"))
    made = strategy(stack, "All", rules=rules(), plan_options=OPTIONS)
    strategy(
        stack,
        "Imported",
        rules=rules()[:1],
        plan_options=PlanOptions(malware_scanning=MalwareScanning(scanner_role_arn=SCANNER)),
    )
    return Template.from_stack(stack), made


def plan_of(template: Template, name: str) -> dict[str, Any]:
    plans = template.find_resources(
        "AWS::Backup::BackupPlan",
        {"Properties": {"BackupPlan": {"BackupPlanName": f"{name}EFSBackupPlan"}}},
    )
    (plan,) = plans.values()
    body: dict[str, Any] = plan["Properties"]["BackupPlan"]
    return body


def test_rules_carry_index_scan_and_archive(synthesized: tuple[Template, BackupStrategy]) -> None:
    daily, monthly = plan_of(synthesized[0], "all")["BackupPlanRule"]
    assert daily["IndexActions"] == [{"ResourceTypes": ["EBS"]}]
    assert daily["ScanActions"] == [{"MalwareScanner": "GUARDDUTY", "ScanMode": "INCREMENTAL_SCAN"}]
    assert ARCHIVE not in daily["Lifecycle"]
    assert monthly["Lifecycle"] == {
        "MoveToColdStorageAfterDays": 30,
        "DeleteAfterDays": 365,
        ARCHIVE: True,
    }
    assert monthly["CopyActions"][0]["Lifecycle"][ARCHIVE] is True
    assert "ScanActions" not in monthly and "IndexActions" not in monthly


def test_plan_carries_advanced_settings_and_scan_settings(
    synthesized: tuple[Template, BackupStrategy],
) -> None:
    template, made = synthesized
    plan = plan_of(template, "all")
    assert plan["AdvancedBackupSettings"] == [
        {"ResourceType": "EC2", "BackupOptions": {"WindowsVSS": "enabled"}},
        {"ResourceType": "S3", "BackupOptions": {"BackupObjectTags": "disabled"}},
    ]
    (setting,) = plan["ScanSettings"]
    assert setting["MalwareScanner"] == "GUARDDUTY"
    assert setting["ResourceTypes"] == ["EBS", "EC2"]
    role_id = Stack.of(made).get_logical_id(made.scanner_role.node.default_child)  # type: ignore[union-attr, arg-type]
    assert setting["ScannerRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}


def test_created_scanner_role_is_guardduty_s_with_the_managed_policy(
    synthesized: tuple[Template, BackupStrategy],
) -> None:
    template, made = synthesized
    role_id = Stack.of(made).get_logical_id(made.scanner_role.node.default_child)  # type: ignore[union-attr, arg-type]
    role = template.to_json()["Resources"][role_id]["Properties"]
    statement = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": "malware-protection.guardduty.amazonaws.com"}
    assert "AWSBackupGuardDutyRolePolicyForScans" in str(role["ManagedPolicyArns"])


def test_backup_role_gets_the_scan_policy_only_with_scanning(
    synthesized: tuple[Template, BackupStrategy],
) -> None:
    template, made = synthesized
    resources = template.to_json()["Resources"]
    role_id = Stack.of(made).get_logical_id(made.role.node.default_child)  # type: ignore[arg-type]
    assert "AWSBackupServiceRolePolicyForScans" in str(resources[role_id]["Properties"])


def test_existing_scanner_role_is_used_as_given(
    synthesized: tuple[Template, BackupStrategy],
) -> None:
    template, _ = synthesized
    plan = plan_of(template, "imported")
    assert plan["ScanSettings"][0]["ScannerRoleArn"] == SCANNER
    assert "AdvancedBackupSettings" not in plan
    roles = template.find_resources(
        "AWS::IAM::Role",
        {
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        {"Principal": {"Service": "malware-protection.guardduty.amazonaws.com"}}
                    ]
                }
            }
        },
    )
    assert len(roles) == 1  # only the "All" strategy's


def test_no_options_means_no_new_properties() -> None:
    stack = Stack(App(), "S")
    made = strategy(stack, "Plain", rules=(RulePreset(name="D", schedule="cron(0 8 * * ? *)"),))
    plan = plan_of(Template.from_stack(stack), "plain")
    assert made.scanner_role is None
    assert "ForScans" not in str(Template.from_stack(stack).find_resources("AWS::IAM::Role"))
    assert not {"AdvancedBackupSettings", "ScanSettings"} & set(plan)
    assert not {"IndexActions", "ScanActions"} & set(plan["BackupPlanRule"][0])


@pytest.mark.parametrize(
    ("props", "message"),
    [
        pytest.param(
            {"rules": (RulePreset(name="D", schedule="cron(0 8 * * ? *)", archive=True),)},
            "rules[0].archive: got true with no move_to_cold_storage_after_days",
            id="archive-without-cold",
        ),
        pytest.param(
            {
                "rules": (
                    RulePreset(
                        name="D", schedule="cron(0 8 * * ? *)", index_resource_types=("EBS",)
                    ),
                ),
                "selection": SelectionOptions(arns=(S3,)),
            },
            "rules[0].index_resource_types: got 'EBS', and the selection picks no EBS resource",
            id="index-type-not-selected",
        ),
        pytest.param(
            {
                "rules": (
                    RulePreset(
                        name="D", schedule="cron(0 8 * * ? *)", malware_scan_mode="FULL_SCAN"
                    ),
                )
            },
            "rules[0].malware_scan_mode: got 'FULL_SCAN' with no [plan.malware_scanning]",
            id="scan-without-settings",
        ),
        pytest.param(
            {
                "plan_options": PlanOptions(windows_vss="enabled"),
                "selection": SelectionOptions(arns=(EBS,)),
            },
            "plan.windows_vss: got 'enabled', and the selection picks no EC2 resource",
            id="vss-without-ec2",
        ),
    ],
)
def test_invalid_options_raise_naming_the_field(props: dict[str, Any], message: str) -> None:
    props.setdefault("rules", rules())
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        strategy(Stack(App(), "S"), "Bad", **props)
