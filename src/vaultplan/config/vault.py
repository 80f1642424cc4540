"""The vault part of ``vaultplan.toml``: ``[vault]``, ``[vault.lock]`` and ``[notifications]``.

Types are checked here (a string where a number belongs is an error naming the key); AWS
Backup's constraints, and how the lock must agree with the rules, are checked by
:func:`~vaultplan.constructs.vault_options.vault_problems` and
:func:`~vaultplan.constructs.vault_options.notification_problems`, which the construct uses too.
"""

from __future__ import annotations

from typing import Any

from vaultplan.config.loader import _check_keys, _string, _type_error, _whole
from vaultplan.constructs.vault_options import (
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


def _table(value: object, path: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _type_error(path, value, f"a table: [{path}]")
    return value


def _bool(table: dict[str, Any], key: str, path: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise _type_error(path, value, "true or false")
    return value


def _strings(
    table: dict[str, Any], key: str, path: str, default: tuple[str, ...]
) -> tuple[str, ...]:
    value = table.get(key, list(default))
    if not isinstance(value, list):
        raise _type_error(path, value, "an array of strings")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise _type_error(f"{path}[{i}]", item, "a string")
    return tuple(value)


def parse_vault(value: object) -> VaultOptions:
    """The ``[vault]`` table (with ``[vault.lock]``); absent: the secure defaults."""
    table = _table(value, "vault")
    _check_keys(table, VAULT_KEYS, "vault.")
    lock = _table(table.get("lock"), "vault.lock")
    _check_keys(lock, LOCK_KEYS, "vault.lock.")
    kms_key = _string(table, "kms_key", "vault.kms_key")
    mode = _string(lock, "mode", "vault.lock.mode")
    return VaultOptions(
        kms_key=KMS_CREATE if kms_key is None else kms_key,
        access_policy=_bool(table, "access_policy", "vault.access_policy", True),
        break_glass_arns=_strings(table, "break_glass_arns", "vault.break_glass_arns", ()),
        lock=VaultLockOptions(
            mode="governance" if mode is None else mode,
            **{key: _whole(lock, key, f"vault.lock.{key}") for key in LOCK_KEYS[1:]},
        ),
    )


def parse_notifications(value: object) -> NotificationOptions:
    """The ``[notifications]`` table; absent: on, the default events, no e-mail."""
    table = _table(value, "notifications")
    _check_keys(table, NOTIFICATION_KEYS, "notifications.")
    return NotificationOptions(
        enabled=_bool(table, "enabled", "notifications.enabled", True),
        events=_strings(table, "events", "notifications.events", DEFAULT_NOTIFICATION_EVENTS),
        email=_string(table, "email", "notifications.email"),
    )
