"""The vault's and the notifications' options as plain data, and their checks.

What the ``[vault]``, ``[vault.lock]`` and ``[notifications]`` tables of ``vaultplan.toml`` hold,
and what :class:`~vaultplan.cdk.BackupStrategy` takes as ``vault=`` and
``notifications=``. This module imports no ``aws_cdk``: the config loader and ``vaultplan init``
use it without starting jsii. The checks return ``"<field>: got <value>; <what to do>"``
strings, with the config key path as field (``vault.lock.min_retention_days``), so the construct
and the config loader say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vaultplan.aws import arns, kms, names, vault_lock
from vaultplan.aws import notifications as vault_events
from vaultplan.spec.air_gapped import AirGappedVaultOptions, resolve_air_gapped
from vaultplan.spec.copy import parse_vault_arn
from vaultplan.spec.rules import RulePreset

__all__ = [
    "DEFAULT_NOTIFICATION_EVENTS",
    "KMS_AWS_MANAGED",
    "KMS_CREATE",
    "LOCK_KEYS",
    "NOTIFICATION_KEYS",
    "PROTECTED_ACTIONS",
    "REMOVAL_POLICIES",
    "VAULT_KEYS",
    "NotificationOptions",
    "ResolvedLock",
    "VaultLockOptions",
    "VaultOptions",
    "describe_notifications",
    "describe_vault",
    "email_filter_states",
    "existing_vault_notes",
    "notification_problems",
    "resolve_lock",
    "vault_problems",
]

KMS_CREATE = "create"
"""``kms_key`` value: a new customer-managed KMS key with yearly rotation, retained."""
KMS_AWS_MANAGED = "aws-managed"
"""``kms_key`` value: the AWS managed key ``aws/backup`` (``vaultplan check`` warns, VP201)."""

PROTECTED_ACTIONS = (
    "backup:DeleteRecoveryPoint",
    "backup:UpdateRecoveryPointLifecycle",
    "backup:PutBackupVaultAccessPolicy",
)
"""What the vault access policy denies to every principal but the break-glass ARNs: the three
actions AWS Config's backup-recovery-point-manual-deletion-disabled rule looks for."""

DEFAULT_NOTIFICATION_EVENTS = ("BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED")
"""Failed, expired and aborted backup jobs (BACKUP_JOB_COMPLETED reports every end state; the
deprecated BACKUP_JOB_FAILED and BACKUP_JOB_EXPIRED are never sent), failed copy jobs, and
completed restore jobs."""

REMOVAL_POLICIES = ("retain", "destroy")
"""``removal_policy`` values: what CloudFormation does with the vault when the stack is deleted
or the vault replaced (``DeletionPolicy``/``UpdateReplacePolicy`` ``Retain`` or ``Delete``)."""

VAULT_KEYS = (
    "existing",
    "kms_key",
    "access_policy",
    "break_glass_arns",
    "removal_policy",
    "lock",
    "air_gapped",
)
LOCK_KEYS = ("mode", "changeable_for_days", "min_retention_days", "max_retention_days")
NOTIFICATION_KEYS = ("enabled", "events", "email")


@dataclass(frozen=True, kw_only=True)
class VaultLockOptions:
    """The vault lock (``[vault.lock]``). Default: governance mode, min/max from the rules."""

    mode: str = "governance"
    """``governance`` (users with enough IAM permissions can still remove the lock),
    ``compliance`` (immutable once ``changeable_for_days`` have passed) or ``none``."""
    changeable_for_days: int | None = None
    """Compliance mode only: days (3 or more) the lock can still be changed or removed."""
    min_retention_days: int | None = None
    """Shortest retention a recovery point may have. Default: the shortest rule retention."""
    max_retention_days: int | None = None
    """Longest retention a recovery point may have. Default: the longest rule retention, or
    no maximum when a rule keeps points forever."""


@dataclass(frozen=True, kw_only=True)
class VaultOptions:
    """The vault's encryption, access policy and lock (``[vault]``). Default: all on."""

    kms_key: str = KMS_CREATE
    """``create`` (a new customer-managed key with rotation, retained, alias
    ``alias/<site>-backup``), ``aws-managed`` (the AWS managed key ``aws/backup``), or the ARN
    of an existing KMS key."""
    access_policy: bool = True
    """Deny :data:`PROTECTED_ACTIONS` on the vault to every principal but ``break_glass_arns``."""
    break_glass_arns: tuple[str, ...] = ()
    """IAM role, user or root ARNs exempt from the access policy's deny (``*`` allowed)."""
    lock: VaultLockOptions = field(default_factory=VaultLockOptions)
    existing: str | None = None
    """The name or ARN of an existing vault (in the stack's account and Region) to back up
    into, instead of a new one. Then the key, access policy, lock, removal policy and
    notifications are the existing vault's own, and setting them is refused."""
    removal_policy: str = "retain"
    """``retain`` (the vault stays when the stack is deleted) or ``destroy`` (CloudFormation
    deletes it, which AWS Backup allows only once it holds no recovery point; refused under a
    compliance lock). The created KMS key is retained either way: deleting it would make any
    point it still encrypts, here or in a copy, unreadable."""
    air_gapped: AirGappedVaultOptions | None = None
    """A logically air-gapped vault to create as a copy destination (also created when a copy
    action has ``destination = "air-gapped"``). Default: none."""


@dataclass(frozen=True, kw_only=True)
class NotificationOptions:
    """The vault's SNS notifications (``[notifications]``). Default: on, no e-mail."""

    enabled: bool = True
    """Send vault events to a new SNS topic encrypted with its own customer-managed key."""
    events: tuple[str, ...] = DEFAULT_NOTIFICATION_EVENTS
    """Vault events to send; only events AWS Backup still sends are accepted."""
    email: str | None = None
    """Subscribe this address, filtered to failed, expired, aborted and partial jobs."""


@dataclass(frozen=True)
class ResolvedLock:
    """The lock the vault gets: the options with min/max filled in from the rules."""

    changeable_for_days: int | None
    min_retention_days: int
    max_retention_days: int | None


def _rule_retentions(rules: Sequence[RulePreset]) -> list[tuple[str, int | None]]:
    """``(what, delete_after_days)`` for every rule; ``what`` says which rule, for messages."""
    out: list[tuple[str, int | None]] = []
    for i, rule in enumerate(rules):
        kind = ", continuous backup" if rule.continuous_backup else ""
        out.append((f"rules[{i}] ({rule.name}{kind})", rule.delete_after_days))
    return out


def resolve_lock(lock: VaultLockOptions, rules: Sequence[RulePreset]) -> ResolvedLock | None:
    """The lock for ``rules`` (None for mode ``none``); unset min/max derive from the rules.

    Derived minimum: the shortest ``delete_after_days`` (1 when every rule keeps points
    forever). Derived maximum: the longest, unless a rule keeps points forever or every rule
    keeps the same number of days (then none: aws-cdk-lib's ``BackupVault`` wants a maximum
    strictly greater than the minimum).
    Retentions that are unresolved tokens are not numbers and are left out.
    """
    if lock.mode == "none":
        return None
    days = [d for _, d in _rule_retentions(rules) if isinstance(d, int)]
    forever = any(d is None for _, d in _rule_retentions(rules))
    minimum = lock.min_retention_days
    if minimum is None:
        minimum = min(days, default=1)
    maximum = lock.max_retention_days
    if maximum is None and days and not forever and max(days) > minimum:
        maximum = max(days)
    return ResolvedLock(lock.changeable_for_days, minimum, maximum)


def _never(value: object) -> bool:
    return False


def vault_problems(
    vault: VaultOptions,
    rules: Sequence[RulePreset],
    field: str = "vault",
    *,
    region: str | None = None,
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """Every problem with ``vault`` and its lock against ``rules``, each naming its key.

    ``region``, when known, is the stack's: a vault's key must be in the vault's Region.
    """
    if vault.existing is not None:
        return _existing_vault_problems(vault, field, region=region, unresolved=unresolved)
    problems: list[str] = []
    if vault.removal_policy not in REMOVAL_POLICIES:
        problems.append(
            f"{field}.removal_policy: got {vault.removal_policy!r}; use 'retain' or 'destroy'"
        )
    elif vault.removal_policy == "destroy" and vault.lock.mode == "compliance":
        problems.append(
            f"{field}.removal_policy: got 'destroy' with lock.mode = 'compliance'; a vault "
            "under a compliance lock can't be deleted once its cooling-off period has passed, "
            "so the stack's deletion would fail: use 'retain', or a governance lock"
        )
    key = vault.kms_key
    if not unresolved(key) and key not in (KMS_CREATE, KMS_AWS_MANAGED):
        bad = kms.kms_key_arn(key, f"{field}.kms_key")
        problems += [
            f"{p} (or 'create' for a new customer-managed key, 'aws-managed' for aws/backup)"
            for p in bad
        ]
        key_region = key.split(":")[3] if not bad else None
        if region is not None and key_region is not None and key_region != region:
            problems.append(
                f"{field}.kms_key: got a key in {key_region}, and the stack is in {region}; "
                "a vault is encrypted with a KMS key of its own Region: use a key (or a "
                "multi-Region replica) in " + region
            )
    for i, arn in enumerate(vault.break_glass_arns):
        if not unresolved(arn):
            problems += arns.principal_arn(arn, f"{field}.break_glass_arns[{i}]")
    if vault.break_glass_arns and not vault.access_policy:
        problems.append(
            f"{field}.break_glass_arns: got {list(vault.break_glass_arns)!r} with "
            "access_policy = false; there is no deny to exempt them from: remove them, or set "
            "access_policy = true"
        )
    lock = vault.lock
    if (
        lock.mode != "none"
        and isinstance(lock.min_retention_days, int)
        and lock.min_retention_days == lock.max_retention_days
    ):
        problems.append(
            f"{field}.lock.max_retention_days: got {lock.max_retention_days}, the same as "
            "min_retention_days; aws-cdk-lib's BackupVault wants the maximum greater than the "
            "minimum: raise it, or remove it for no maximum"
        )
    retentions = [(w, d) for w, d in _rule_retentions(rules) if d is None or not unresolved(d)]
    problems += vault_lock.vault_lock(
        lock.changeable_for_days,
        lock.min_retention_days,
        lock.max_retention_days,
        f"{field}.lock",
        mode=lock.mode,
        retentions=retentions,
    )
    return problems


_NEW_VAULT_ONLY = ("kms_key", "access_policy", "break_glass_arns", "removal_policy", "lock")


def _existing_vault_problems(
    vault: VaultOptions,
    field: str,
    *,
    region: str | None,
    unresolved: Callable[[object], bool],
) -> list[str]:
    """``existing`` is a vault name or a vault ARN in ``region``; options of a new vault are
    refused, one line each (they would be silently ignored)."""
    defaults = VaultOptions()
    problems = [
        f"{field}.{key}: got {_shown(getattr(vault, key))} with {field}.existing = "
        f"{vault.existing!r}; it configures a new vault, and the existing vault keeps its own: "
        "remove it, or remove existing"
        for key in _NEW_VAULT_ONLY
        if getattr(vault, key) != getattr(defaults, key)
    ]
    existing = vault.existing
    if existing is None or unresolved(existing):
        return problems
    if existing.startswith("arn:"):
        parts = parse_vault_arn(existing)
        if parts is None:
            problems.append(
                f"{field}.existing: got {existing!r}; give a vault name or a backup vault ARN "
                "'arn:<partition>:backup:<region>:<account>:backup-vault:<name>'"
            )
        elif region is not None and parts.region != region:
            problems.append(
                f"{field}.existing: got a vault in {parts.region}, and the stack is in "
                f"{region}; a backup plan's target vault is in the plan's own Region"
            )
    else:
        problems += names.vault_name(existing, f"{field}.existing")
    return problems


def _shown(value: object) -> str:
    if isinstance(value, VaultLockOptions):
        return "a [vault.lock] table"
    if isinstance(value, tuple):
        return repr(list(value))
    return repr(value)


def existing_vault_notes(existing: str) -> tuple[str, ...]:
    """What an existing vault must have, for ``vaultplan synth``'s notes."""
    return (
        f"existing vault {existing} (not created, not changed by this stack)",
        "it must be in the stack's account and Region",
        "its key, access policy, lock and notifications are its own: this stack sets none; "
        "give it a customer-managed key, an access policy denying recovery point deletion, "
        "and a vault lock yourself",
    )


def notification_problems(
    notifications: NotificationOptions, field: str = "notifications"
) -> list[str]:
    """Every problem with ``notifications``, each naming its key."""
    if not notifications.enabled:
        return [
            f"{field}.{key}: got {value!r} with enabled = false, so it would be ignored: "
            "remove it, or set enabled = true"
            for key, value, default in (
                ("events", list(notifications.events), list(DEFAULT_NOTIFICATION_EVENTS)),
                ("email", notifications.email, None),
            )
            if value != default
        ]
    problems = vault_events.notification_events(notifications.events, f"{field}.events")
    problems += [
        f"{field}.events[{i}]: got {event!r} twice; list each event once"
        for i, event in enumerate(notifications.events)
        if event in notifications.events[:i]
    ]
    if notifications.email is not None:
        problems += vault_events.email(notifications.email, f"{field}.email")
    return problems


def email_filter_states() -> tuple[str, ...]:
    """The job ``State`` values the e-mail subscription lets through (bundled data, cited)."""
    return vault_events.notification_problem_states()


def describe_vault(
    vault: VaultOptions, rules: Sequence[RulePreset], site_name: str
) -> tuple[str, ...]:
    """The vault's protections in words, for ``vaultplan synth``'s summary."""
    air = resolve_air_gapped(vault.air_gapped, rules, site_name)
    extra = (
        ()
        if air is None
        else (
            f"copies go to the new logically air-gapped vault {air.name} (AirGappedVault, "
            f"{air.min_retention_days}-{air.max_retention_days} days)",
        )
    )
    return _describe_vault(vault, rules, site_name) + extra


def _describe_vault(
    vault: VaultOptions, rules: Sequence[RulePreset], site_name: str
) -> tuple[str, ...]:
    if vault.existing is not None:
        return existing_vault_notes(vault.existing)
    if vault.kms_key == KMS_CREATE:
        key = f"key alias/{site_name}-backup (new, rotating, retained)"
    elif vault.kms_key == KMS_AWS_MANAGED:
        key = "AWS managed key aws/backup"
    else:
        key = f"key {vault.kms_key}"
    if not vault.access_policy:
        policy = "no access policy"
    else:
        exempt = len(vault.break_glass_arns)
        policy = "recovery point deletion denied to all" + (
            f" but {exempt} break-glass ARN(s)" if exempt else ""
        )
    lock = resolve_lock(vault.lock, rules)
    if lock is None:
        locked = "no vault lock"
    else:
        span = f"{lock.min_retention_days}+ days"
        if lock.max_retention_days is not None:
            span = f"{lock.min_retention_days}-{lock.max_retention_days} days"
        locked = (
            f"{vault.lock.mode} lock, {span}"
            if lock.changeable_for_days is None
            else f"compliance lock ({lock.changeable_for_days} days to change), {span}"
        )
    kept = "retained" if vault.removal_policy == "retain" else "deleted with the stack (if empty)"
    return (kept, key, policy, locked)


def describe_notifications(notifications: NotificationOptions) -> str:
    """The notifications in words, for ``vaultplan synth``'s summary."""
    if not notifications.enabled:
        return "off"
    text = f"{', '.join(notifications.events)} to an encrypted SNS topic (Topic)"
    if notifications.email is not None:
        states = "/".join(email_filter_states())
        text += f"; e-mail to {notifications.email} for {states} jobs"
    return text
