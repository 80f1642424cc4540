"""The strategy's vault, with its KMS key, access policy, lock and notification topic.

Built by :class:`~vaultplan.cdk.BackupStrategy` from :class:`VaultOptions` and
:class:`NotificationOptions` (plain data, checked in :mod:`vaultplan.spec.vault`).
Every child is created on the strategy itself, so construct ids stay short and stable:
``Key`` (and its ``Alias``), ``NotificationKey``, ``Topic`` and ``Vault``.

What the secure defaults mean, and cost, once deployed:

- **Access policy.** An explicit Deny in a resource policy wins over every Allow, for every
  principal of the account, root included. Denying ``backup:PutBackupVaultAccessPolicy``
  means CloudFormation itself cannot *change* the policy later (its update handler calls
  that action) unless it runs as a break-glass ARN (with the CDK, the bootstrap's
  ``cdk-hnb659fds-cfn-exec-role-<account>-<region>``). Removing the policy still works:
  ``backup:DeleteBackupVaultAccessPolicy`` is not denied, so deploy ``access_policy = false``
  first, then the new policy. Whether the handler re-applies an unchanged policy when other
  vault properties change is not documented; if it does, those updates need the break-glass
  role too. Lifecycle expiry keeps working: "vault access policies only
  control user access to AWS Backup APIs" (create-a-vault-access-policy.html), and AWS
  Backup deletes expired points itself.
- **Vault lock.** A locked vault fails every backup or copy job whose retention is outside
  [min, max] (API_PutBackupVaultLockConfiguration), so min/max default to the rules'
  shortest and longest retention. Governance mode can be removed by whoever holds
  ``backup:DeleteBackupVaultLockConfiguration``; compliance mode cannot be removed by anyone
  once ``changeable_for_days`` have passed, and the stack can then never change it.
- **Notifications.** AWS Backup publishes to the topic as ``backup.amazonaws.com``, and only
  for this account: the topic policy's Allow carries ``aws:SourceAccount`` (the confused-deputy
  guard, https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html).
  The topic is encrypted with its own key, whose policy lets that service use it
  (``kms:GenerateDataKey*``, ``kms:Decrypt``), and denies publishing without TLS.
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from vaultplan.spec.air_gapped import ResolvedAirGapped
from vaultplan.spec.copy import SOURCE_KEY_ACTIONS, parse_vault_arn
from vaultplan.spec.vault import (
    KMS_AWS_MANAGED,
    KMS_CREATE,
    PROTECTED_ACTIONS,
    NotificationOptions,
    ResolvedLock,
    VaultOptions,
    email_filter_states,
)

__all__ = [
    "BACKUP_SERVICE",
    "access_policy",
    "air_gapped_vault",
    "existing_vault",
    "notification_topic",
    "share_key_with_accounts",
    "vault_key",
    "vault_resource",
]


BACKUP_SERVICE = "backup.amazonaws.com"
"""The service principal AWS Backup acts as."""


def vault_key(scope: Construct, options: VaultOptions, site_name: str) -> kms.IKey | None:
    """The vault's key: new (``Key``, rotation on, RETAIN), imported by ARN, or None (AWS's)."""
    if options.kms_key == KMS_AWS_MANAGED:
        return None
    if options.kms_key != KMS_CREATE:
        return kms.Key.from_key_arn(scope, "Key", options.kms_key)
    return _rotated_key(
        scope,
        "Key",
        f"alias/{site_name}-backup",
        f"Encrypts the recovery points of the {site_name} AWS Backup vault",
    )


def share_key_with_accounts(key: kms.Key, accounts: list[str]) -> None:
    """Let each account use ``key`` as the source key of cross-account copies.

    One key policy statement per destination account, naming its root (which then delegates
    to its own roles) with :data:`~vaultplan.spec.copy.SOURCE_KEY_ACTIONS`: without it a
    cross-account copy of a point encrypted with this key fails with "Given key ID is not
    accessible" (AWS re:Post backup-cross-account-copy-error).
    """
    for account in accounts:
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"AllowCrossAccountCopiesTo{account}",
                principals=[iam.AccountPrincipal(account)],
                actions=list(SOURCE_KEY_ACTIONS),
                resources=["*"],
            )
        )


def _rotated_key(scope: Construct, id: str, alias: str, description: str) -> kms.Key:
    """A customer-managed key with yearly rotation, retained when the stack is deleted."""
    return kms.Key(
        scope,
        id,
        alias=alias,
        description=description,
        enable_key_rotation=True,
        removal_policy=RemovalPolicy.RETAIN,
    )


def access_policy(break_glass_arns: tuple[str, ...]) -> iam.PolicyDocument:
    """Deny :data:`PROTECTED_ACTIONS` to every principal whose ARN is not a break-glass ARN."""
    conditions = (
        {"ArnNotLike": {"aws:PrincipalArn": list(break_glass_arns)}} if break_glass_arns else None
    )
    return iam.PolicyDocument(
        statements=[
            iam.PolicyStatement(
                sid="DenyRecoveryPointDeletionAndPolicyChanges",
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=list(PROTECTED_ACTIONS),
                resources=["*"],
                conditions=conditions,
            )
        ]
    )


def notification_topic(
    scope: Construct, options: NotificationOptions, site_name: str
) -> tuple[sns.Topic, kms.Key] | None:
    """The encrypted topic (``Topic``) and its key (``NotificationKey``); None when disabled.

    ``backup.amazonaws.com`` may publish to the topic only on behalf of this stack's account
    (``aws:SourceAccount``: AWS Backup recommends it against the confused deputy,
    https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html),
    and, the topic being encrypted, use this key (``kms:Decrypt``, ``kms:GenerateDataKey*``): what
    SNS needs from a publisher to an encrypted topic
    (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html). aws-cdk-lib's
    ``BackupVault`` would grant the publish without the condition, so the vault is given the
    topic through its ``Notifications`` property instead (:func:`vault_resource`).
    """
    if not options.enabled:
        return None
    key = _rotated_key(
        scope,
        "NotificationKey",
        f"alias/{site_name}-backup-notifications",
        f"Encrypts the {site_name} AWS Backup notification topic",
    )
    topic = sns.Topic(
        scope,
        "Topic",
        display_name=f"AWS Backup {site_name}",
        master_key=key,
        enforce_ssl=True,
    )
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowAwsBackupPublishForThisAccount",
            principals=[iam.ServicePrincipal(BACKUP_SERVICE)],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
        )
    )
    key.grant(iam.ServicePrincipal(BACKUP_SERVICE), "kms:Decrypt", "kms:GenerateDataKey*")
    if options.email is not None:
        topic.add_subscription(
            subscriptions.EmailSubscription(
                options.email,
                filter_policy={
                    "State": sns.SubscriptionFilter.string_filter(
                        allowlist=list(email_filter_states())
                    )
                },
            )
        )
    return topic, key


def vault_resource(
    scope: Construct,
    *,
    name: str,
    options: VaultOptions,
    key: kms.IKey | None,
    lock: ResolvedLock | None,
    topic: sns.ITopic | None,
    events: tuple[str, ...],
) -> backup.BackupVault:
    """The ``Vault`` (RETAIN unless ``removal_policy = "destroy"``) with its key, access
    policy, lock and notifications.

    The notifications are written through the L1 (``Notifications``): given the topic, the L2
    would add its own unconditioned publish grant (see :func:`notification_topic`), and its
    ``BackupVaultEvents`` enum lags botocore's (no CONTINUOUS_BACKUP_INTERRUPTED and later).
    """
    vault = backup.BackupVault(
        scope,
        "Vault",
        backup_vault_name=name,
        removal_policy=_removal_policy(options.removal_policy),
        encryption_key=key,
        access_policy=access_policy(options.break_glass_arns) if options.access_policy else None,
        lock_configuration=None
        if lock is None
        else backup.LockConfiguration(
            min_retention=Duration.days(lock.min_retention_days),
            max_retention=None
            if lock.max_retention_days is None
            else Duration.days(lock.max_retention_days),
            changeable_for=None
            if lock.changeable_for_days is None
            else Duration.days(lock.changeable_for_days),
        ),
    )
    if topic is not None:
        cfn = vault.node.default_child
        assert isinstance(cfn, backup.CfnBackupVault)
        cfn.add_property_override(
            "Notifications",
            {"BackupVaultEvents": list(events), "SNSTopicArn": topic.topic_arn},
        )
    return vault


def _removal_policy(value: str) -> RemovalPolicy:
    return RemovalPolicy.DESTROY if value == "destroy" else RemovalPolicy.RETAIN


def existing_vault(scope: Construct, existing: str) -> backup.IBackupVault:
    """The existing vault ``Vault``, by ARN (``from_backup_vault_arn``) or by name."""
    if parse_vault_arn(existing) is not None:
        return backup.BackupVault.from_backup_vault_arn(scope, "Vault", existing)
    return backup.BackupVault.from_backup_vault_name(scope, "Vault", existing)


def air_gapped_vault(
    scope: Construct, resolved: ResolvedAirGapped, removal_policy: str
) -> backup.CfnLogicallyAirGappedBackupVault:
    """The logically air-gapped vault ``AirGappedVault`` (L1: aws-cdk-lib has no L2 for it).

    No ``EncryptionKeyArn``: AWS Backup encrypts it with an AWS owned key, and locks it in
    compliance mode with these bounds itself (logicallyairgappedvault.html).
    """
    vault = backup.CfnLogicallyAirGappedBackupVault(
        scope,
        "AirGappedVault",
        backup_vault_name=resolved.name,
        min_retention_days=resolved.min_retention_days,
        max_retention_days=resolved.max_retention_days,
    )
    vault.apply_removal_policy(_removal_policy(removal_policy))
    return vault
