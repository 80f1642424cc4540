"""The vault's key, access policy, lock and notifications, on the synthesized template.

GIVEN the default strategy (and one with every vault option turned on), WHEN it is
synthesized, THEN the template holds a retained customer-managed key with rotation, a retained
vault denying recovery point deletion to all but the break-glass ARNs, a governance lock whose
min/max are the rules' retentions, and an encrypted, TLS-only topic fed with events AWS Backup
still sends. Each invalid combination raises ValueError naming the option and the value.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Match, Template

from vaultplan import BackupStrategy
from vaultplan.cdk import BackupRules, RulePreset
from vaultplan.checks import check_paths
from vaultplan.spec.vault import (
    PROTECTED_ACTIONS,
    NotificationOptions,
    VaultLockOptions,
    VaultOptions,
)

FS = "fs-0123456789abcdef0"
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
BREAK_GLASS = (
    "arn:aws:iam::123456789012:role/BreakGlass",
    "arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-*",
)


def synth(**props: Any) -> tuple[BackupStrategy, Template]:
    stack = Stack(App(), "Site")
    strategy = BackupStrategy(stack, "Backup", site_name="example", file_systems=[FS], **props)
    return strategy, Template.from_stack(stack)


@pytest.fixture(scope="module")
def default() -> tuple[BackupStrategy, Template]:
    return synth()


@pytest.fixture(scope="module")
def template(default: tuple[BackupStrategy, Template]) -> Template:
    return default[1]


@pytest.fixture(scope="module")
def everything() -> tuple[BackupStrategy, Template]:
    """Every option on: existing key, break-glass ARNs, compliance lock, e-mail."""
    return synth(
        vault=VaultOptions(
            kms_key=KEY_ARN,
            break_glass_arns=BREAK_GLASS,
            lock=VaultLockOptions(
                mode="compliance",
                changeable_for_days=3,
                min_retention_days=7,
                max_retention_days=400,
            ),
        ),
        notifications=NotificationOptions(
            events=("BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "CONTINUOUS_BACKUP_INTERRUPTED"),
            email="backup-alerts@example.com",
        ),
    )


def vault(template: Template) -> dict[str, Any]:
    (only,) = template.find_resources("AWS::Backup::BackupVault").values()
    return only


def key_id(template: Template, alias: str) -> str:
    (found,) = [
        a["Properties"]["TargetKeyId"]["Fn::GetAtt"][0]
        for a in template.find_resources("AWS::KMS::Alias").values()
        if a["Properties"]["AliasName"] == alias
    ]
    return str(found)


# -- key -----------------------------------------------------------------------------------


def test_vault_key_is_customer_managed_rotated_retained_and_aliased(template: Template) -> None:
    key = key_id(template, "alias/example-backup")
    resource = template.find_resources("AWS::KMS::Key")[key]
    assert resource["Properties"]["EnableKeyRotation"] is True
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"
    assert vault(template)["Properties"]["EncryptionKeyArn"] == {"Fn::GetAtt": [key, "Arn"]}


def test_vault_is_retained(template: Template) -> None:
    assert vault(template)["DeletionPolicy"] == vault(template)["UpdateReplacePolicy"] == "Retain"


def test_existing_key_arn_is_used_as_is(everything: tuple[BackupStrategy, Template]) -> None:
    strategy, template = everything
    assert vault(template)["Properties"]["EncryptionKeyArn"] == KEY_ARN
    assert strategy.key is not None and strategy.key.key_arn == KEY_ARN
    # only the notification topic's key is created
    assert [
        a["Properties"]["AliasName"] for a in template.find_resources("AWS::KMS::Alias").values()
    ] == ["alias/example-backup-notifications"]


def test_aws_managed_key_only_when_asked() -> None:
    strategy, template = synth(
        vault=VaultOptions(kms_key="aws-managed"), notifications=NotificationOptions(enabled=False)
    )
    assert "EncryptionKeyArn" not in vault(template)["Properties"]
    assert strategy.key is None
    template.resource_count_is("AWS::KMS::Key", 0)


# -- access policy ---------------------------------------------------------------------------


def test_access_policy_denies_deletion_to_everyone_by_default(template: Template) -> None:
    # AWS Config rule backup-recovery-point-manual-deletion-disabled: a Deny of these three
    # actions with a wildcard Principal and Resource.
    assert vault(template)["Properties"]["AccessPolicy"]["Statement"] == [
        {
            "Sid": "DenyRecoveryPointDeletionAndPolicyChanges",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": list(PROTECTED_ACTIONS),
            "Resource": "*",
        }
    ]
    assert set(PROTECTED_ACTIONS) == {
        "backup:DeleteRecoveryPoint",
        "backup:UpdateRecoveryPointLifecycle",
        "backup:PutBackupVaultAccessPolicy",
    }


def test_break_glass_arns_are_exempt(everything: tuple[BackupStrategy, Template]) -> None:
    (statement,) = vault(everything[1])["Properties"]["AccessPolicy"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": list(BREAK_GLASS)}}


def test_access_policy_can_be_turned_off() -> None:
    _, template = synth(vault=VaultOptions(access_policy=False))
    assert "AccessPolicy" not in vault(template)["Properties"]


# -- lock ------------------------------------------------------------------------------------


def test_default_lock_is_governance_with_min_max_from_the_rules(
    default: tuple[BackupStrategy, Template],
) -> None:
    strategy, template = default
    # the seed's rules keep points 35 and 365 days; no ChangeableForDays = governance mode
    assert vault(template)["Properties"]["LockConfiguration"] == {
        "MinRetentionDays": 35,
        "MaxRetentionDays": 365,
    }
    assert strategy.lock is not None and strategy.lock.changeable_for_days is None


def test_compliance_lock_with_explicit_retention(
    everything: tuple[BackupStrategy, Template],
) -> None:
    assert vault(everything[1])["Properties"]["LockConfiguration"] == {
        "ChangeableForDays": 3,
        "MinRetentionDays": 7,
        "MaxRetentionDays": 400,
    }


def test_rule_kept_forever_means_no_derived_maximum() -> None:
    rules = [BackupRules.daily_warm(), RulePreset(name="Forever", schedule="cron(0 8 1 1 ? *)")]
    _, template = synth(rules=rules)
    assert vault(template)["Properties"]["LockConfiguration"] == {"MinRetentionDays": 35}


def test_lock_mode_none_leaves_the_vault_unlocked() -> None:
    strategy, template = synth(vault=VaultOptions(lock=VaultLockOptions(mode="none")))
    assert "LockConfiguration" not in vault(template)["Properties"]
    assert strategy.lock is None


# -- notifications ---------------------------------------------------------------------------


def test_default_events_are_supported_ones(template: Template) -> None:
    # failed/expired/aborted backup jobs come as BACKUP_JOB_COMPLETED (backup-notifications.html)
    assert vault(template)["Properties"]["Notifications"]["BackupVaultEvents"] == [
        "BACKUP_JOB_COMPLETED",
        "COPY_JOB_FAILED",
        "RESTORE_JOB_COMPLETED",
    ]


def test_topic_is_encrypted_with_its_own_rotated_key(
    default: tuple[BackupStrategy, Template],
) -> None:
    strategy, template = default
    key = key_id(template, "alias/example-backup-notifications")
    ((topic_id, topic),) = template.find_resources("AWS::SNS::Topic").items()
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    assert template.find_resources("AWS::KMS::Key")[key]["Properties"]["EnableKeyRotation"]
    assert vault(template)["Properties"]["Notifications"]["SNSTopicArn"] == {"Ref": topic_id}
    assert strategy.topic is not None and strategy.notification_key is not None


def test_backup_service_may_publish_for_this_account_only_and_use_the_topic_key(
    template: Template,
) -> None:
    key = key_id(template, "alias/example-backup-notifications")
    statements = template.find_resources("AWS::KMS::Key")[key]["Properties"]["KeyPolicy"][
        "Statement"
    ]
    assert {
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Effect": "Allow",
        "Principal": {"Service": "backup.amazonaws.com"},
        "Resource": "*",
    } in statements
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Sid": "AllowAwsBackupPublishForThisAccount",
                            "Action": "sns:Publish",
                            "Effect": "Allow",
                            "Principal": {"Service": "backup.amazonaws.com"},
                            "Resource": Match.any_value(),
                            # the confused-deputy guard (cross-service-confused-deputy-prevention)
                            "Condition": {
                                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
                            },
                        }
                    ]
                )
            }
        },
    )


def test_topic_denies_publishing_without_tls(template: Template) -> None:
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Action": "sns:Publish",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_no_email_subscription_by_default(template: Template) -> None:
    template.resource_count_is("AWS::SNS::Subscription", 0)


def test_email_subscription_gets_only_failed_expired_aborted_and_partial_jobs(
    everything: tuple[BackupStrategy, Template],
) -> None:
    # backup-notifications.html, "Examples of events": the job state is the attribute State.
    everything[1].has_resource_properties(
        "AWS::SNS::Subscription",
        {
            "Protocol": "email",
            "Endpoint": "backup-alerts@example.com",
            "FilterPolicy": {"State": ["FAILED", "EXPIRED", "ABORTED", "PARTIAL"]},
        },
    )


def test_events_the_cdk_enum_lacks_reach_the_vault(
    everything: tuple[BackupStrategy, Template],
) -> None:
    assert vault(everything[1])["Properties"]["Notifications"]["BackupVaultEvents"] == [
        "BACKUP_JOB_COMPLETED",
        "COPY_JOB_FAILED",
        "CONTINUOUS_BACKUP_INTERRUPTED",
    ]


def test_notifications_can_be_turned_off() -> None:
    strategy, template = synth(notifications=NotificationOptions(enabled=False))
    assert "Notifications" not in vault(template)["Properties"]
    template.resource_count_is("AWS::SNS::Topic", 0)
    assert strategy.topic is None


def test_children_ids(default: tuple[BackupStrategy, Template]) -> None:
    ids = [child.node.id for child in default[0].node.children]
    assert ids == ["Key", "NotificationKey", "Topic", "Vault", "Plan", "Role", "Selection"]


# -- vaultplan check on the default ----------------------------------------------------------


def test_check_sees_the_key_the_lock_and_the_notifications(
    template: Template, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import json

    path = Path(tmp_path_factory.mktemp("vault")) / "Site.template.json"
    path.write_text(json.dumps(template.to_json()))
    report = check_paths([path], now=datetime(2026, 1, 1, tzinfo=UTC))
    ids = {f.check_id for f in report.findings}
    assert not ids & {"VP113", "VP114", "VP116", "VP201", "VP202", "VP203"}, [
        (f.check_id, f.message) for f in report.findings
    ]


# -- invalid combinations --------------------------------------------------------------------

SEED = BackupRules.daily_monthly()  # 35 and 365 days


def bad_vault(case_id: str, message: str, **options: Any) -> Any:
    """A case that changes only ``vault``, to ``VaultOptions(**options)``."""
    return pytest.param({"vault": VaultOptions(**options)}, message, id=case_id)


def bad_lock(case_id: str, message: str, **options: Any) -> Any:
    """A case that changes only the vault's lock, to ``VaultLockOptions(**options)``."""
    return pytest.param(
        {"vault": VaultOptions(lock=VaultLockOptions(**options))}, message, id=case_id
    )


def bad_notifications(case_id: str, message: str, **options: Any) -> Any:
    """A case that changes only ``notifications``, to ``NotificationOptions(**options)``."""
    return pytest.param({"notifications": NotificationOptions(**options)}, message, id=case_id)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        bad_vault(
            "kms-key-not-an-arn",
            "vault.kms_key: got 'alias/my-key'; use the ARN of a KMS key",
            kms_key="alias/my-key",
        ),
        bad_vault(
            "kms-alias-arn",
            "vault.kms_key: got 'arn:aws:kms:eu-west-1:123456789012:alias/1234abcd",
            kms_key=KEY_ARN.replace(":key/", ":alias/"),
        ),
        bad_vault(
            "break-glass-group",
            "vault.break_glass_arns[0]: got 'arn:aws:iam::123456789012:group/Admins'; use the "
            "ARN of an IAM role, user or account root",
            break_glass_arns=("arn:aws:iam::123456789012:group/Admins",),
        ),
        bad_vault(
            "break-glass-not-an-arn",
            "vault.break_glass_arns[0]: got 'BreakGlass'",
            break_glass_arns=("BreakGlass",),
        ),
        pytest.param(
            {
                "vault": VaultOptions(
                    access_policy=False,
                    break_glass_arns=("arn:aws:iam::123456789012:role/BreakGlass",),
                )
            },
            "vault.break_glass_arns: got ['arn:aws:iam::123456789012:role/BreakGlass'] with "
            "access_policy = false",
            id="break-glass-without-policy",
        ),
        bad_lock(
            "lock-mode-unknown",
            "vault.lock.mode: got 'strict'; use 'governance' (the default), 'compliance' or 'none'",
            mode="strict",
        ),
        # ChangeableForDays is at least 3 (AWS Backup API reference):
        # https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
        bad_lock(
            "compliance-without-changeable",
            "vault.lock.changeable_for_days: not set; a compliance lock needs it",
            mode="compliance",
        ),
        bad_lock(
            "compliance-changeable-under-3",
            "vault.lock.changeable_for_days: got 2; it must be 3 to 36500",
            mode="compliance",
            changeable_for_days=2,
        ),
        bad_lock(
            "changeable-in-governance",
            "vault.lock.changeable_for_days: got 3; only a compliance lock has a cooling-off",
            changeable_for_days=3,
        ),
        bad_lock(
            "retention-without-lock",
            "vault.lock.min_retention_days: got 7; mode is 'none' (no vault lock)",
            mode="none",
            min_retention_days=7,
        ),
        # API_PutBackupVaultLockConfiguration: jobs with a retention outside [min, max] fail
        bad_lock(
            "min-longer-than-a-rule",
            "vault.lock.min_retention_days: got 36; rules[0] (DailyWarmBackup) keeps recovery "
            "points 35 days",
            min_retention_days=36,
        ),
        bad_lock(
            "max-shorter-than-a-rule",
            "vault.lock.max_retention_days: got 364; rules[1] (MonthlyColdBackup) keeps "
            "recovery points 365 days",
            max_retention_days=364,
        ),
        pytest.param(
            {
                "rules": [*SEED, RulePreset(name="Yearly", schedule="cron(0 8 1 1 ? *)")],
                "vault": VaultOptions(lock=VaultLockOptions(max_retention_days=400)),
            },
            "vault.lock.max_retention_days: got 400; rules[2] (Yearly) keeps recovery points "
            "forever",
            id="max-with-a-rule-kept-forever",
        ),
        bad_lock(
            "min-zero",
            "vault.lock.min_retention_days: got 0; it must be at least 1",
            min_retention_days=0,
        ),
        bad_lock(
            "max-below-min",
            "vault.lock: got min_retention_days=30, max_retention_days=20",
            min_retention_days=30,
            max_retention_days=20,
        ),
        bad_notifications(
            "deprecated-event",
            "notifications.events[0]: got 'BACKUP_JOB_FAILED'; AWS Backup no longer sends this "
            "deprecated event (API_PutBackupVaultNotifications): use BACKUP_JOB_COMPLETED",
            events=("BACKUP_JOB_FAILED",),
        ),
        bad_notifications(
            "unknown-event",
            "notifications.events[0]: got 'JOB_FAILED'; AWS Backup vault events are",
            events=("JOB_FAILED",),
        ),
        bad_notifications(
            "no-events", "notifications.events: got []; give at least one event", events=()
        ),
        bad_notifications(
            "event-twice",
            "notifications.events[2]: got 'COPY_JOB_FAILED' twice",
            events=("COPY_JOB_FAILED", "BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED"),
        ),
        bad_notifications(
            "bad-email",
            "notifications.email: got 'ops at example.com'; use an e-mail address",
            email="ops at example.com",
        ),
        bad_notifications(
            "email-while-disabled",
            "notifications.email: got 'ops@example.com' with enabled = false",
            enabled=False,
            email="ops@example.com",
        ),
    ],
)
def test_invalid_combination_raises_naming_the_option(props: dict[str, Any], message: str) -> None:
    stack = Stack(App(), "Bad")
    with pytest.raises(ValueError) as caught:
        BackupStrategy(stack, "Backup", site_name="example", file_systems=[FS], **props)
    assert message in str(caught.value)
    assert not stack.node.try_find_child("Backup") or not any(
        c.node.id in {"Vault", "Key", "Topic"} for c in stack.node.find_all()
    )


def test_one_retention_gives_a_minimum_only() -> None:
    # aws-cdk-lib's BackupVault wants MaxRetentionDays > MinRetentionDays
    _, template = synth(rules=[BackupRules.daily_warm()])
    assert vault(template)["Properties"]["LockConfiguration"] == {"MinRetentionDays": 35}


def test_explicit_max_equal_to_min_is_refused() -> None:
    lock = VaultLockOptions(min_retention_days=35, max_retention_days=35)
    with pytest.raises(ValueError, match=r"vault.lock.max_retention_days: got 35, the same as"):
        BackupStrategy(
            Stack(App(), "Eq"),
            "Backup",
            site_name="example",
            file_systems=[FS],
            rules=[BackupRules.daily_warm()],
            vault=VaultOptions(lock=lock),
        )


def test_continuous_backup_retention_counts_for_the_lock_too() -> None:
    # Continuous backups are kept 1-35 days
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html);
    # a lock minimum above their retention fails those jobs like any other.
    from vaultplan.spec.vault import resolve_lock, vault_problems

    pitr = RulePreset(
        name="PointInTime",
        schedule="cron(0 * * * ? *)",
        delete_after_days=14,
        continuous_backup=True,
    )
    rules = [*SEED, pitr]
    assert vault_problems(VaultOptions(lock=VaultLockOptions(min_retention_days=20)), rules) == [
        "vault.lock.min_retention_days: got 20; rules[2] (PointInTime, continuous backup) keeps "
        "recovery points 14 days, and a locked vault fails every backup job whose retention is "
        "shorter than its minimum: set it to 14 or less"
    ]
    lock = resolve_lock(VaultLockOptions(), rules)
    assert lock is not None and (lock.min_retention_days, lock.max_retention_days) == (14, 365)


def test_audit_framework_gets_the_default_lock_and_the_break_glass_arns() -> None:
    from vaultplan.spec.assurance import AuditOptions

    _, template = synth(
        audit=AuditOptions(),
        vault=VaultOptions(break_glass_arns=("arn:aws:iam::123456789012:role/BreakGlass",)),
    )
    (framework,) = template.find_resources("AWS::Backup::Framework").values()
    controls = {
        c["ControlName"]: {
            p["ParameterName"]: p["ParameterValue"] for p in c.get("ControlInputParameters", [])
        }
        for c in framework["Properties"]["FrameworkControls"]
    }
    assert controls["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"] == {
        "minRetentionDays": "35",
        "maxRetentionDays": "365",
    }
    assert controls["BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED"] == {
        "principalArnList": "arn:aws:iam::123456789012:role/BreakGlass"
    }


def test_audit_framework_has_no_lock_control_without_a_lock() -> None:
    from vaultplan.spec.assurance import AuditOptions

    _, template = synth(
        audit=AuditOptions(), vault=VaultOptions(lock=VaultLockOptions(mode="none"))
    )
    (framework,) = template.find_resources("AWS::Backup::Framework").values()
    names = {c["ControlName"] for c in framework["Properties"]["FrameworkControls"]}
    assert "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK" not in names


def test_existing_key_in_another_region_than_the_stack_is_refused() -> None:
    from aws_cdk import Environment

    stack = Stack(App(), "Paris", env=Environment(account="123456789012", region="eu-west-3"))
    with pytest.raises(ValueError, match=r"vault\.kms_key: got a key in eu-west-1, and the stack"):
        BackupStrategy(
            stack,
            "Backup",
            site_name="example",
            file_systems=[FS],
            vault=VaultOptions(kms_key=KEY_ARN),
        )


def test_the_only_publish_grant_is_the_one_with_the_source_account(template: Template) -> None:
    # GIVEN the default strategy  WHEN its topic policy is read
    (policy,) = template.find_resources("AWS::SNS::TopicPolicy").values()
    allows = [
        s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"
    ]
    # THEN no statement lets AWS Backup publish on behalf of any other account
    assert [s["Condition"] for s in allows] == [
        {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    ]
