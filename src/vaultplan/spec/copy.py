"""Copy actions: a rule's copies to vaults in other Regions or accounts, as plain data.

No ``aws_cdk`` here: the config loader validates copy actions, and ``vaultplan synth`` prints
the access policy a cross-account destination vault needs, without starting jsii.

Sources:

- At most 5 copy actions per rule (aws-backup-limits, "Copy actions per backup rule";
  :data:`vaultplan.aws.plan_rules.COPY_ACTIONS_MAX`).
- The destination vault ARN is ``arn:<partition>:backup:<region>:<account>:backup-vault:<name>``
  (botocore's backup model, ``CopyAction.DestinationBackupVaultArn``: "For example,
  arn:aws:backup:us-east-1:123456789012:backup-vault:aBackupVault"); the vault name follows
  the vault name rule (API_CreateBackupVault).
- A copy's lifecycle follows the same rule as the rule's own (API_Lifecycle).
- Cross-account copies (create-cross-account-backup.html): both accounts belong to one AWS
  Organizations organization whose management account turned cross-account backup on; the
  destination vault's access policy allows ``backup:CopyIntoBackupVault`` from the source
  account; a customer managed key that encrypts the source must be shared with the
  destination account, and the destination vault re-encrypts the copy with its own key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from vaultplan.aws import names, plan_rules
from vaultplan.aws.arns import VAULT_ARN_RE
from vaultplan.aws.kms import CROSS_ACCOUNT_KEY_DOC, SOURCE_KEY_ACTIONS
from vaultplan.aws.plan_rules import COPY_ACTIONS_MAX

__all__ = [
    "AIR_GAPPED",
    "COPY_ACTIONS_MAX",
    "COPY_KEYS",
    "CROSS_ACCOUNT_KEY_DOC",
    "SOURCE_KEY_ACTIONS",
    "VAULT_ARN_RE",
    "CopyAction",
    "DestinationStack",
    "VaultArn",
    "copy_action_problems",
    "copy_actions_problems",
    "cross_account_destinations",
    "cross_account_notes",
    "describe_lifecycle",
    "destination_stacks",
    "destination_vault_policy",
    "parse_vault_arn",
]

COPY_KEYS = (
    "destination_vault_arn",
    "destination",
    "delete_after_days",
    "move_to_cold_storage_after_days",
    "archive",
)
"""The keys of one copy action (``[[rules.copy_actions]]``)."""

AIR_GAPPED = "air-gapped"
"""``destination`` value: the logically air-gapped vault the strategy creates (see
:mod:`vaultplan.spec.air_gapped`), instead of a ``destination_vault_arn``."""

CROSS_ACCOUNT_DOC = (
    "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html"
)


@dataclass(frozen=True, kw_only=True)
class CopyAction:
    """One copy of each recovery point of a rule, into another vault.

    The copy has its own lifecycle, counted from the creation of the source point; when both
    are set, ``delete_after_days`` is at least ``move_to_cold_storage_after_days + 90``.
    """

    destination_vault_arn: str = ""
    """``arn:<partition>:backup:<region>:<account>:backup-vault:<name>``, in another Region or
    account than the strategy's own vault. Empty with ``destination``."""
    destination: str | None = None
    """:data:`AIR_GAPPED` (``"air-gapped"``): copy into the logically air-gapped vault the
    strategy creates, instead of ``destination_vault_arn``."""
    delete_after_days: int | None = None
    """Days after creation when the copy is deleted. Default: kept until deleted by hand."""
    move_to_cold_storage_after_days: int | None = None
    """Days after creation when the copy moves to cold storage. Default: never."""
    archive: bool = False
    """Move the copy to the archive tier when it goes cold, where supported (EBS snapshots);
    needs ``move_to_cold_storage_after_days``. Default: off."""

    def describe(self) -> str:
        """The copy in words, e.g. ``copy to arn:...:backup-vault:dr (deleted after 35 days)``."""
        lifecycle = describe_lifecycle(self.move_to_cold_storage_after_days, self.delete_after_days)
        if self.to_air_gapped:
            return f"copy to the logically air-gapped vault ({lifecycle})"
        return f"copy to {self.destination_vault_arn} ({lifecycle})"

    @property
    def to_air_gapped(self) -> bool:
        """Whether the copy goes to the strategy's logically air-gapped vault."""
        return self.destination == AIR_GAPPED


def describe_lifecycle(cold_after_days: int | None, delete_after_days: int | None) -> str:
    """A lifecycle in words, e.g. ``cold after 30 days, deleted after 365 days``."""
    parts = []
    if cold_after_days is not None:
        parts.append(f"cold after {cold_after_days} days")
    if delete_after_days is not None:
        parts.append(f"deleted after {delete_after_days} days")
    else:
        parts.append("kept until deleted by hand")
    return ", ".join(parts)


@dataclass(frozen=True)
class VaultArn:
    """The parts of a backup vault ARN."""

    partition: str
    region: str
    account: str
    name: str


def parse_vault_arn(arn: str) -> VaultArn | None:
    """The parts of ``arn`` when it is a literal backup vault ARN, else None."""
    match = VAULT_ARN_RE.fullmatch(arn) if isinstance(arn, str) else None
    if match is None:
        return None
    return VaultArn(match["partition"], match["region"], match["account"], match["name"])


def copy_action_problems(
    action: CopyAction,
    field: str,
    *,
    home_vault: str | None = None,
    home_region: str | None = None,
    home_account: str | None = None,
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """Every problem of one copy action, each naming ``field.<key>``.

    ``home_*`` are the strategy's own vault name, Region and account when known (None when
    unknown, e.g. an environment-agnostic stack): a copy into the strategy's own vault, or
    into any vault in its own Region and account, is refused, since a copy action here exists
    to keep a point elsewhere. Keys in ``skip`` hold unresolved tokens and are not checked.
    """
    problems: list[str] = []
    arn_field = f"{field}.destination_vault_arn"
    if action.destination is not None and "destination" not in skip:
        if action.destination != AIR_GAPPED:
            problems.append(
                f"{field}.destination: got {action.destination!r}; the only destination by "
                f"name is {AIR_GAPPED!r} (the strategy's logically air-gapped vault): give "
                "destination_vault_arn for any other vault"
            )
        elif action.destination_vault_arn:
            problems.append(
                f"{arn_field}: got {action.destination_vault_arn!r} with destination = "
                f"{AIR_GAPPED!r}; give one of the two"
            )
        skip = skip | {"destination_vault_arn"}
    if "destination_vault_arn" not in skip:
        arn = action.destination_vault_arn
        parts = parse_vault_arn(arn)
        if parts is None:
            problems.append(
                f"{arn_field}: got {arn!r}; give a backup vault ARN "
                "'arn:<partition>:backup:<region>:<account>:backup-vault:<name>', e.g. "
                "'arn:aws:backup:us-west-2:123456789012:backup-vault:dr'"
            )
        else:
            problems += names.vault_name(parts.name, f"{arn_field} (vault name)")
            same_region = home_region is not None and parts.region == home_region
            same_account = home_account is not None and parts.account == home_account
            if same_region and same_account:
                own = home_vault is not None and parts.name == home_vault
                what = "the strategy's own vault" if own else "a vault in the stack's own"
                problems.append(
                    f"{arn_field}: got {arn!r}; that is {what}"
                    + ("" if own else " Region and account")
                    + f" ({home_region}, {home_account}); copy to a vault in another Region "
                    "or another account"
                )
    problems += plan_rules.lifecycle(
        None
        if "move_to_cold_storage_after_days" in skip
        else action.move_to_cold_storage_after_days,
        None if "delete_after_days" in skip else action.delete_after_days,
        field,
    )
    return problems


def copy_actions_problems(
    actions: Sequence[CopyAction],
    field: str,
    *,
    home_vault: str | None = None,
    home_region: str | None = None,
    home_account: str | None = None,
    is_token: Callable[[object], bool] | None = None,
) -> list[str]:
    """Every problem of a rule's copy actions (``field`` names the list, e.g.
    ``rules[0].copy_actions``): more than :data:`COPY_ACTIONS_MAX`, then each action's
    (:func:`copy_action_problems`); a key holding an unresolved token (``is_token``) is not
    checked."""
    problems: list[str] = []
    if len(actions) > COPY_ACTIONS_MAX:
        problems.append(
            f"{field}: got {len(actions)} copy actions; AWS Backup allows at most "
            f"{COPY_ACTIONS_MAX} per rule (AWS Backup quotas)"
        )
    for i, action in enumerate(actions):
        skip = frozenset(
            key for key in COPY_KEYS if is_token is not None and is_token(getattr(action, key))
        )
        problems += copy_action_problems(
            action,
            f"{field}[{i}]",
            home_vault=home_vault,
            home_region=home_region,
            home_account=home_account,
            skip=skip,
        )
    return problems


def cross_account_destinations(
    actions: Iterable[CopyAction], source_account: str | None
) -> list[tuple[str, VaultArn]]:
    """The destinations, once each, that are in another account than ``source_account``.

    With ``source_account`` None (an environment-agnostic stack), every destination with an
    account in its ARN counts: the stack may be deployed in any account.
    """
    seen: dict[str, VaultArn] = {}
    for action in actions:
        parts = parse_vault_arn(action.destination_vault_arn)
        if parts is None or (source_account is not None and parts.account == source_account):
            continue
        seen.setdefault(action.destination_vault_arn, parts)
    return list(seen.items())


SOURCE_ACCOUNT_PLACEHOLDER = "<source-account-id>"


@dataclass(frozen=True)
class DestinationStack:
    """The stack to deploy in one destination account and Region: its vaults, by name."""

    name: str
    """``<site>-destination-<account>`` (``-<region>`` added when the account has vaults in
    several Regions)."""
    partition: str
    account: str
    region: str
    vault_arns: tuple[str, ...]


def destination_stacks(
    site_name: str, actions: Iterable[CopyAction], source_account: str | None
) -> list[DestinationStack]:
    """One stack per destination account and Region of the cross-account copies, in order."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for arn, vault in cross_account_destinations(actions, source_account):
        groups.setdefault((vault.partition, vault.account, vault.region), []).append(arn)
    regions: dict[str, int] = {}
    for _, account, _ in groups:
        regions[account] = regions.get(account, 0) + 1
    base = re.sub(r"[^A-Za-z0-9-]", "-", site_name)
    if not base[:1].isalpha():
        base = f"site-{base}"
    return [
        DestinationStack(
            name=f"{base}-destination-{account}" + (f"-{region}" if regions[account] > 1 else ""),
            partition=partition,
            account=account,
            region=region,
            vault_arns=tuple(arns),
        )
        for (partition, account, region), arns in groups.items()
    ]


def destination_vault_policy(
    destination_vault_arn: str, source_account: str | None
) -> dict[str, Any]:
    """The access policy the destination vault needs to accept copies from ``source_account``.

    It allows ``backup:CopyIntoBackupVault`` to the source account's root principal (AWS
    Backup's cross-account guide; AWS re:Post "backup-resolve-access-denied-error" gives the
    same statement). Attach it to the destination vault in the destination account, e.g.
    ``aws backup put-backup-vault-access-policy --backup-vault-name <name> --policy file://p.json``.
    With ``source_account`` None the principal holds ``<source-account-id>``: replace it with
    the account the stack is deployed in.

    Also needed, outside this policy (see :func:`cross_account_notes`): both accounts in one
    AWS Organizations organization with cross-account backup turned on by the management
    account, and the source vault's customer managed key usable by the destination account.
    """
    parts = parse_vault_arn(destination_vault_arn)
    if parts is None:
        raise ValueError(
            f"destination_vault_arn: got {destination_vault_arn!r}; not a backup vault ARN"
        )
    account = source_account or SOURCE_ACCOUNT_PLACEHOLDER
    sid = "AllowCopyIntoVaultFrom" + ("SourceAccount" if source_account is None else account)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{parts.partition}:iam::{account}:root"},
                "Action": "backup:CopyIntoBackupVault",
                "Resource": "*",
            }
        ],
    }


_ORGANIZATIONS_NOTE = (
    "Both accounts must be in the same AWS Organizations organization, and its management "
    "account must turn cross-account backup on (AWS Backup console > Settings, or `aws backup "
    "update-global-settings --global-settings isCrossAccountBackupEnabled=true`)."
)


def cross_account_notes(kms_key: str, destination_account: str) -> tuple[str, ...]:
    """What a copy into ``destination_account`` needs besides the destination vault's policy.

    ``kms_key`` is the vault's key setting (``"create"``, ``"aws-managed"`` or a key ARN):
    a key the strategy creates already allows the destination account (see
    :data:`SOURCE_KEY_ACTIONS`); an existing one must be changed by hand.
    """
    actions = ", ".join(SOURCE_KEY_ACTIONS)
    if kms_key == "create":  # vault_options.KMS_CREATE (it imports this module, via rules)
        key = (
            f"The vault's key (created by this stack) already lets account "
            f"{destination_account} use it for the copies: its key policy allows {actions}."
        )
    elif kms_key == "aws-managed":  # vault_options.KMS_AWS_MANAGED
        key = (
            "The vault uses the AWS managed key aws/backup, which can't be shared: that works "
            "for resources fully managed by AWS Backup (EFS, for one) only."
        )
    else:
        key = (
            f"The key policy of the vault's key {kms_key} must allow account "
            f"{destination_account} (principal arn:aws:iam::{destination_account}:root): "
            f"{actions}."
        )
    return (
        _ORGANIZATIONS_NOTE,
        key,
        "Resources AWS Backup does not fully manage (EBS, EC2, RDS, Aurora...) keep their "
        "own encryption: their KMS key must be customer managed and allow account "
        f"{destination_account} the same actions.",
        f"Sources: {CROSS_ACCOUNT_DOC}, {CROSS_ACCOUNT_KEY_DOC}",
    )
