"""The vault part of ``vaultplan.toml``: ``[vault]``, ``[vault.lock]`` and ``[notifications]``.

Types are checked here (a string where a number belongs is an error naming the key); AWS
Backup's constraints, and how the lock must agree with the rules, are checked by
:func:`~vaultplan.spec.vault.vault_problems` and
:func:`~vaultplan.spec.vault.notification_problems`, which the construct uses too.
"""

from __future__ import annotations

from vaultplan.config import fields
from vaultplan.spec.air_gapped import AIR_GAPPED_KEYS, AirGappedVaultOptions
from vaultplan.spec.role import ROLE_KEYS
from vaultplan.spec.vault import (
    DEFAULT_NOTIFICATION_EVENTS,
    KMS_CREATE,
    LOCK_KEYS,
    NOTIFICATION_KEYS,
    VAULT_KEYS,
    NotificationOptions,
    VaultLockOptions,
    VaultOptions,
)

__all__ = ["parse_notifications", "parse_role", "parse_vault"]


def parse_vault(value: object) -> VaultOptions:
    """The ``[vault]`` table (with ``[vault.lock]``); absent: the secure defaults."""
    table = fields.section(value, "vault", VAULT_KEYS) or {}
    lock = fields.section(table.get("lock"), "vault.lock", LOCK_KEYS) or {}
    kms_key = fields.string(table, "kms_key", "vault.kms_key")
    mode = fields.string(lock, "mode", "vault.lock.mode")
    removal = fields.string(table, "removal_policy", "vault.removal_policy")
    return VaultOptions(
        existing=fields.string(table, "existing", "vault.existing"),
        removal_policy="retain" if removal is None else removal,
        air_gapped=_air_gapped(table.get("air_gapped")),
        kms_key=KMS_CREATE if kms_key is None else kms_key,
        access_policy=fields.boolean(table, "access_policy", "vault.access_policy", True),
        break_glass_arns=fields.strings(table, "break_glass_arns", "vault.break_glass_arns") or (),
        lock=VaultLockOptions(
            mode="governance" if mode is None else mode,
            **{key: fields.whole(lock, key, f"vault.lock.{key}") for key in LOCK_KEYS[1:]},
        ),
    )


def parse_notifications(value: object) -> NotificationOptions:
    """The ``[notifications]`` table; absent: on, the default events, no e-mail."""
    table = fields.section(value, "notifications", NOTIFICATION_KEYS) or {}
    events = fields.strings(table, "events", "notifications.events")
    return NotificationOptions(
        enabled=fields.boolean(table, "enabled", "notifications.enabled", True),
        events=DEFAULT_NOTIFICATION_EVENTS if events is None else events,
        email=fields.string(table, "email", "notifications.email"),
    )


def _air_gapped(value: object) -> AirGappedVaultOptions | None:
    """The ``[vault.air_gapped]`` table; absent: None (unless a copy action asks for one)."""
    table = fields.section(value, "vault.air_gapped", AIR_GAPPED_KEYS)
    if table is None:
        return None
    return AirGappedVaultOptions(
        name=fields.string(table, "name", "vault.air_gapped.name"),
        **{
            key: fields.whole(table, key, f"vault.air_gapped.{key}")
            for key in ("min_retention_days", "max_retention_days")
        },
    )


def parse_role(value: object) -> str | None:
    """The ``[role]`` table: the created role's permissions boundary ARN (None: none)."""
    table = fields.section(value, "role", ROLE_KEYS) or {}
    return fields.string(table, "permissions_boundary", "role.permissions_boundary")
