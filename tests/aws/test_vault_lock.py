"""Vault lock rules (:mod:`vaultplan.aws.vault_lock`): named cases, exact messages.

Source: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
"""

from __future__ import annotations

import pytest

from vaultplan.aws.vault_lock import vault_lock

LOCKS: dict[str, tuple[int | None, int | None, int | None, list[str]]] = {
    "governance mode: nothing set": (None, None, None, []),
    "compliance: 3 days cooling-off": (3, 7, 365, []),
    "max equals min": (None, 30, 30, []),
    "max 36500": (None, 1, 36500, []),
    "changeable 2 days": (
        2,
        None,
        None,
        [
            "vault lock.changeable_for_days: got 2; it must be 3 to 36500 (AWS Backup enforces "
            "a 72-hour cooling-off period)"
        ],
    ),
    "min 0": (None, 0, None, ["vault lock.min_retention_days: got 0; it must be at least 1"]),
    "max over 36500": (
        None,
        None,
        36501,
        ["vault lock.max_retention_days: got 36501; it must be 1 to 36500"],
    ),
    "max below min": (
        None,
        30,
        7,
        [
            "vault lock: got min_retention_days=30, max_retention_days=7; max_retention_days "
            "must be at least min_retention_days"
        ],
    ),
}


@pytest.mark.parametrize(
    ("changeable", "low", "high", "expected"), LOCKS.values(), ids=LOCKS.keys()
)
def test_vault_lock(
    changeable: int | None, low: int | None, high: int | None, expected: list[str]
) -> None:
    assert vault_lock(changeable, low, high) == expected
