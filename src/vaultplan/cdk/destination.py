"""The stacks to deploy in the accounts a strategy copies into: their vaults, ready for copies.

A cross-account copy needs a vault in the destination account whose access policy allows
``backup:CopyIntoBackupVault`` from the source account
(https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).
``vaultplan synth`` writes one such stack per destination account and Region
(:func:`~vaultplan.spec.copy.destination_stacks`) into the cloud assembly, next to the
strategy's own: ``<out>/<site>-destination-<account>.template.json``.

Each stack holds a customer-managed KMS key (``Key``, rotation on, retained) and, per vault,
a ``BackupVault`` (``Vault``, ``Vault2``..., retained) encrypted with it: the copy is
re-encrypted with the destination vault's key, and a customer-managed key lets the destination
account control and audit it. Like the strategy's own vault, each has a governance lock whose
min/max retention are the shortest and longest of the copies into it, and sends its events to
an encrypted topic (``Topic``, ``NotificationKey``). It uses the ``BootstraplessSynthesizer``
(no assets, no ``BootstrapVersion`` parameter), so it deploys with plain CloudFormation in an
account that was never bootstrapped for the CDK.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import (
    App,
    BootstraplessSynthesizer,
    CfnParameter,
    Duration,
    Environment,
    RemovalPolicy,
    Stack,
)
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from vaultplan.cdk.vault import notification_topic
from vaultplan.spec.copy import (
    CopyAction,
    DestinationStack,
    destination_stacks,
    destination_vault_policy,
    parse_vault_arn,
)
from vaultplan.spec.vault import DEFAULT_NOTIFICATION_EVENTS, NotificationOptions

__all__ = ["DestinationVaultStack", "add_destination_stacks"]


class DestinationVaultStack(Stack):
    """The vaults of one destination account and Region, each accepting copies from the source.

    With ``source_account`` None (an environment-agnostic source stack), the stack takes it
    as the parameter ``SourceAccountId`` (12 digits).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        destination: DestinationStack,
        source_account: str | None,
        site_name: str,
        copies: Iterable[CopyAction] = (),
    ) -> None:
        super().__init__(
            scope,
            id,
            stack_name=destination.name,
            env=Environment(account=destination.account, region=destination.region),
            synthesizer=BootstraplessSynthesizer(),
            description=(
                f"vaultplan: destination vaults in {destination.account} for the cross-account "
                f"copies of {site_name}"
            ),
        )
        account = source_account
        if account is None:
            account = CfnParameter(
                self,
                "SourceAccountId",
                type="String",
                allowed_pattern=r"^[0-9]{12}$",
                description="The account the vaultplan stack that copies here is deployed in",
            ).value_as_string
        self.key = kms.Key(
            self,
            "Key",
            alias=f"alias/{site_name}-backup-copies",
            description=f"Encrypts the copies of the {site_name} recovery points",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        topic, _ = notification_topic(self, NotificationOptions(), site_name) or (None, None)
        copies = list(copies)
        self.vaults: list[backup.BackupVault] = []
        for i, arn in enumerate(destination.vault_arns):
            lock = _lock([a.delete_after_days for a in copies if a.destination_vault_arn == arn])
            parts = parse_vault_arn(arn)
            assert parts is not None  # destination_stacks keeps literal vault ARNs only
            policy = destination_vault_policy(arn, account)
            if source_account is None:
                policy["Statement"][0]["Sid"] = "AllowCopyIntoVaultFromSourceAccount"
            self.vaults.append(
                backup.BackupVault(
                    self,
                    "Vault" if i == 0 else f"Vault{i + 1}",
                    backup_vault_name=parts.name,
                    encryption_key=self.key,
                    removal_policy=RemovalPolicy.RETAIN,
                    access_policy=iam.PolicyDocument.from_json(policy),
                    lock_configuration=lock,
                    notification_topic=topic,
                    notification_events=[
                        backup.BackupVaultEvents(event) for event in DEFAULT_NOTIFICATION_EVENTS
                    ],
                )
            )


def _lock(days: list[int | None]) -> backup.LockConfiguration:
    """A governance lock from the shortest to the longest retention of the copies (no maximum
    when one is kept forever, or all keep the same days: the L2 wants max > min)."""
    known = [d for d in days if isinstance(d, int)]
    low = min(known, default=1)
    high = max(known) if known and None not in days and max(known) > low else None
    return backup.LockConfiguration(
        min_retention=Duration.days(low),
        max_retention=None if high is None else Duration.days(high),
    )


def add_destination_stacks(
    app: App, site_name: str, actions: Iterable[CopyAction], source_account: str | None
) -> list[DestinationVaultStack]:
    """One :class:`DestinationVaultStack` per destination account and Region, added to ``app``."""
    actions = list(actions)
    return [
        DestinationVaultStack(
            app,
            destination.name,
            destination=destination,
            source_account=source_account,
            site_name=site_name,
            copies=actions,
        )
        for destination in destination_stacks(site_name, actions, source_account)
    ]
