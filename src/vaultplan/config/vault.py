"""The vault part of ``vaultplan.toml``: ``[vault]``, ``[vault.lock]`` and ``[notifications]``.

Types are checked here (a string where a number belongs is an error naming the key); AWS
Backup's constraints, and how the lock must agree with the rules, are checked by
:func:`~vaultplan.spec.vault.vault_problems` and
:func:`~vaultplan.spec.vault.notification_problems`, which the construct uses too.
"""

from __future__ import annotations

from vaultplan.config import fields
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

__all__ = ["parse_notifications", "parse_vault"]


def parse_vault(value: object) -> VaultOptions:
    """The ``[vault]`` table (with ``[vault.lock]``); absent: the secure defaults."""
    table = fields.section(value, "vault", VAULT_KEYS) or {}
    lock = fields.section(table.get("lock"), "vault.lock", LOCK_KEYS) or {}
    kms_key = fields.string(table, "kms_key", "vault.kms_key")
    mode = fields.string(lock, "mode", "vault.lock.mode")
    return VaultOptions(
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
