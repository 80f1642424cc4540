"""Issue 13's vault, role and audit features, on the synthesized template.

GIVEN a strategy with an existing vault, a removal policy, a logically air-gapped vault, a
permissions boundary, or restore testing and audit on, WHEN it is synthesized, THEN the template
holds what AWS needs (and nothing that can't apply); each invalid combination raises ValueError
naming the option and the value. The destination stacks of cross-account copies are built by
the library API (``add_destination_stacks``) and hold the vault with its access policy.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from vaultplan import BackupStrategy
from vaultplan.cdk import AirGappedVaultOptions, CopyAction, RulePreset
from vaultplan.cdk.destination import add_destination_stacks
from vaultplan.spec.assurance import AuditOptions, RestoreTestingOptions
from vaultplan.spec.vault import NotificationOptions, VaultLockOptions, VaultOptions

FS = "fs-0123456789abcdef0"
BOUNDARY = "arn:aws:iam::123456789012:policy/BackupBoundary"
BUNKER = "arn:aws:backup:eu-west-1:222222222222:backup-vault:bunker"


def daily(*copies: CopyAction) -> RulePreset:
    return RulePreset(
        name="Daily",
        schedule="cron(0 5 * * ? *)",
        delete_after_days=35,
        start_window_minutes=60,
        completion_window_minutes=120,
        copy_actions=copies,
    )


def synth(**props: Any) -> tuple[BackupStrategy, Template]:
    stack = Stack(App(), "Site", env=Environment(account="123456789012", region="eu-west-1"))
    props.setdefault("rules", [daily()])
    strategy = BackupStrategy(stack, "Backup", site_name="site", file_systems=[FS], **props)
    return strategy, Template.from_stack(stack)


def only(template: Template, resource_type: str) -> dict[str, Any]:
    (found,) = template.find_resources(resource_type).values()
    return found


def plan_rule(template: Template) -> dict[str, Any]:
    rule: dict[str, Any] = only(template, "AWS::Backup::BackupPlan")["Properties"]["BackupPlan"][
        "BackupPlanRule"
    ][0]
    return rule


# -- existing vault ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("existing", "name"),
    [
        ("central-backups", "central-backups"),
        ("arn:aws:backup:eu-west-1:123456789012:backup-vault:central", "central"),
    ],
    ids=["by-name", "by-arn"],
)
def test_existing_vault_is_the_plans_target_and_nothing_is_created(
    existing: str, name: str
) -> None:
    strategy, template = synth(vault=VaultOptions(existing=existing))
    assert plan_rule(template)["TargetBackupVault"] == name
    for absent in ("AWS::Backup::BackupVault", "AWS::KMS::Key", "AWS::SNS::Topic"):
        assert template.find_resources(absent) == {}
    assert strategy.key is None and strategy.topic is None and strategy.lock is None


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"vault": VaultOptions(existing="central", kms_key="aws-managed")},
            "vault.kms_key: got 'aws-managed' with vault.existing = 'central'",
        ),
        (
            {"vault": VaultOptions(existing="central", lock=VaultLockOptions(mode="none"))},
            "vault.lock: got a [vault.lock] table with vault.existing = 'central'",
        ),
        (
            {"vault": VaultOptions(existing="central", removal_policy="destroy")},
            "vault.removal_policy: got 'destroy' with vault.existing = 'central'",
        ),
        (
            {
                "vault": VaultOptions(existing="central"),
                "notifications": NotificationOptions(email="ops@example.com"),
            },
            "notifications: got settings with vault.existing = 'central'",
        ),
        (
            {
                "vault": VaultOptions(
                    existing="arn:aws:backup:us-east-1:123456789012:backup-vault:c"
                )
            },
            "vault.existing: got a vault in us-east-1, and the stack is in eu-west-1",
        ),
        ({"vault": VaultOptions(existing="a b")}, "vault.existing: got 'a b'"),
    ],
    ids=["key", "lock", "removal-policy", "notifications", "other-region", "bad-name"],
)
def test_existing_vault_refuses_what_configures_a_new_one(
    props: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("[", r"\[").replace(".", r"\.")):
        synth(**props)


# -- removal policy -------------------------------------------------------------------------
def test_destroy_deletes_the_vault_and_keeps_the_key() -> None:
    _, template = synth(vault=VaultOptions(removal_policy="destroy"))
    vault = only(template, "AWS::Backup::BackupVault")
    assert vault["DeletionPolicy"] == vault["UpdateReplacePolicy"] == "Delete"
    key_id = vault["Properties"]["EncryptionKeyArn"]["Fn::GetAtt"][0]
    key = template.to_json()["Resources"][key_id]
    assert key["DeletionPolicy"] == key["UpdateReplacePolicy"] == "Retain"


def test_retain_is_the_default() -> None:
    _, template = synth()
    assert only(template, "AWS::Backup::BackupVault")["DeletionPolicy"] == "Retain"


def test_destroy_is_refused_under_a_compliance_lock() -> None:
    lock = VaultLockOptions(mode="compliance", changeable_for_days=3)
    with pytest.raises(ValueError, match=r"^vault.removal_policy: got 'destroy' with lock.mode"):
        synth(vault=VaultOptions(removal_policy="destroy", lock=lock))


# -- logically air-gapped vault -------------------------------------------------------------
def test_air_gapped_copy_destination_with_bounds_from_the_copies() -> None:
    rules = [
        daily(CopyAction(destination="air-gapped", delete_after_days=35)),
        RulePreset(
            name="Monthly",
            schedule="cron(0 5 1 * ? *)",
            delete_after_days=365,
            copy_actions=(CopyAction(destination="air-gapped", delete_after_days=365),),
        ),
    ]
    strategy, template = synth(rules=rules)
    (lid,) = template.find_resources("AWS::Backup::LogicallyAirGappedBackupVault")
    vault = template.to_json()["Resources"][lid]
    assert vault["Properties"] == {
        "BackupVaultName": "site-air-gapped",
        "MinRetentionDays": 35,
        "MaxRetentionDays": 365,
    }
    assert vault["DeletionPolicy"] == "Retain"
    assert plan_rule(template)["CopyActions"] == [
        {
            "DestinationBackupVaultArn": {"Fn::GetAtt": [lid, "BackupVaultArn"]},
            "Lifecycle": {"DeleteAfterDays": 35},
        }
    ]
    assert strategy.air_gapped_vault is not None


def test_air_gapped_vault_from_options_alone() -> None:
    options = AirGappedVaultOptions(name="bunker", min_retention_days=7, max_retention_days=90)
    _, template = synth(vault=VaultOptions(air_gapped=options))
    props = only(template, "AWS::Backup::LogicallyAirGappedBackupVault")["Properties"]
    assert props == {"BackupVaultName": "bunker", "MinRetentionDays": 7, "MaxRetentionDays": 90}


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"rules": [daily(CopyAction(destination="air-gapped", delete_after_days=3))]},
            # below the derived minimum, 7 days: the copy is named
            "rules[0].copy_actions[0].delete_after_days: got 3; the logically air-gapped",
        ),
        (
            {
                "rules": [daily(CopyAction(destination="air-gapped", delete_after_days=400))],
                "vault": VaultOptions(
                    air_gapped=AirGappedVaultOptions(min_retention_days=7, max_retention_days=90)
                ),
            },
            "rules[0].copy_actions[0].delete_after_days: got 400; the logically air-gapped vault "
            "keeps points 7 to 90 days",
        ),
        (
            {"rules": [daily(CopyAction(destination="air-gapped"))]},
            "rules[0].copy_actions[0].delete_after_days: missing for a copy into the logically",
        ),
        (
            {"rules": [daily(CopyAction(destination="bunker", delete_after_days=35))]},
            "rules[0].copy_actions[0].destination: got 'bunker'",
        ),
        (
            {"vault": VaultOptions(air_gapped=AirGappedVaultOptions(min_retention_days=3))},
            "vault.air_gapped.min_retention_days: got 3",
        ),
        (
            {"vault": VaultOptions(air_gapped=AirGappedVaultOptions(name="site"))},
            "vault.air_gapped.name: got 'site', the strategy's own vault's name",
        ),
    ],
    ids=["copy-below-7", "copy-above-max", "copy-forever", "unknown-destination", "min", "name"],
)
def test_air_gapped_bad_values(props: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        synth(**props)
    assert str(raised.value).splitlines()[0].startswith(message), str(raised.value)


# -- permissions boundary -------------------------------------------------------------------
def test_permissions_boundary_on_the_created_role() -> None:
    _, template = synth(permissions_boundary=BOUNDARY)
    assert only(template, "AWS::IAM::Role")["Properties"]["PermissionsBoundary"] == BOUNDARY


@pytest.mark.parametrize(
    "arn",
    ["arn:aws:iam::123456789012:role/Boundary", "BackupBoundary", "arn:aws:iam::1:policy/x"],
)
def test_permissions_boundary_must_be_a_managed_policy_arn(arn: str) -> None:
    with pytest.raises(ValueError, match=f"^role.permissions_boundary: got '{arn}'; a perm"):
        synth(permissions_boundary=arn)


def test_permissions_boundary_is_refused_with_your_own_role() -> None:
    stack = Stack(App(), "Own")
    role = iam.Role.from_role_arn(stack, "Mine", "arn:aws:iam::123456789012:role/mine")
    with pytest.raises(ValueError, match=r"^role.permissions_boundary: got .* with role= given"):
        BackupStrategy(
            stack,
            "Backup",
            site_name="site",
            file_systems=[FS],
            role=role,
            permissions_boundary=BOUNDARY,
        )


# -- audit controls -------------------------------------------------------------------------
def controls(template: Template) -> dict[str, dict[str, str]]:
    framework = only(template, "AWS::Backup::Framework")["Properties"]
    return {
        c["ControlName"]: {
            p["ParameterName"]: p["ParameterValue"] for p in c.get("ControlInputParameters", [])
        }
        for c in framework["FrameworkControls"]
    }


def test_new_controls_take_their_parameters_from_the_plan() -> None:
    _, template = synth(
        rules=[daily(CopyAction(destination="air-gapped", delete_after_days=35))],
        audit=AuditOptions(restore_time_target_minutes=240),
        restore_testing=RestoreTestingOptions(),
    )
    found = controls(template)
    # Daily, 60-minute start window: a point is at most 25 hours old.
    assert found["BACKUP_LAST_RECOVERY_POINT_CREATED"] == {
        "recoveryPointAgeUnit": "hours",
        "recoveryPointAgeValue": "25",
    }
    assert found["RESTORE_TIME_FOR_RESOURCES_MEET_TARGET"] == {"maxRestoreTime": "240"}
    # The copy follows the backup's completion (120 minutes): 27 hours.
    assert found["RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT"] == {
        "recoveryPointAgeUnit": "hours",
        "recoveryPointAgeValue": "27",
    }


def test_restore_time_and_air_gapped_controls_only_when_they_apply() -> None:
    _, template = synth(audit=AuditOptions())
    found = controls(template)
    assert "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET" not in found
    assert "RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT" not in found
    assert "BACKUP_LAST_RECOVERY_POINT_CREATED" in found


def test_restore_time_target_without_restore_testing_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^audit.restore_time_target_minutes: got 60 with"):
        synth(audit=AuditOptions(restore_time_target_minutes=60))


# -- destination stacks ---------------------------------------------------------------------
def destination(source_account: str | None) -> dict[str, Any]:
    app = App()
    (stack,) = add_destination_stacks(
        app,
        "site",
        [CopyAction(destination_vault_arn=BUNKER, delete_after_days=97)],
        source_account,
    )
    assert stack.stack_name == "site-destination-222222222222"
    assert (stack.account, stack.region) == ("222222222222", "eu-west-1")
    return Template.from_stack(stack).to_json()


def test_destination_stack_holds_the_vault_with_its_access_policy_and_key() -> None:
    template = destination("123456789012")
    (vault,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::Backup::BackupVault"
    ]
    props = vault["Properties"]
    assert props["BackupVaultName"] == "bunker"
    assert props["AccessPolicy"]["Statement"] == [
        {
            "Sid": "AllowCopyIntoVaultFrom123456789012",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "backup:CopyIntoBackupVault",
            "Resource": "*",
        }
    ]
    assert props["LockConfiguration"] == {"MinRetentionDays": 97}
    assert "Fn::GetAtt" in props["EncryptionKeyArn"]
    assert vault["DeletionPolicy"] == "Retain"
    assert "BootstrapVersion" not in template.get("Parameters", {})


def test_destination_stack_of_an_environment_agnostic_source_takes_its_account() -> None:
    template = destination(None)
    assert template["Parameters"]["SourceAccountId"]["AllowedPattern"] == "^[0-9]{12}$"
    (vault,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::Backup::BackupVault"
    ]
    principal = vault["Properties"]["AccessPolicy"]["Statement"][0]["Principal"]["AWS"]
    assert {"Ref": "SourceAccountId"} in principal["Fn::Join"][1]
