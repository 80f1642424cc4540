"""Vault lock: its modes, the cooling-off period, and how it must agree with the rules.

Sources (pages under https://docs.aws.amazon.com/aws-backup/latest/devguide/):
``ChangeableForDays`` is at least 3 (a 72-hour cooling-off period), ``MinRetentionDays`` at
least 1, ``MaxRetentionDays`` at most 36,500 (API_PutBackupVaultLockConfiguration.html); a lock
with ``ChangeableForDays`` is a compliance lock, one without is a governance lock
(vault-lock.html).
"""

from __future__ import annotations

from collections.abc import Sequence

from vaultplan.aws.plan_rules import LIFECYCLE_MAX_DAYS

__all__ = ["VAULT_LOCK_MIN_CHANGEABLE_DAYS", "VAULT_LOCK_MODES", "vault_lock"]

VAULT_LOCK_MIN_CHANGEABLE_DAYS = 3
VAULT_LOCK_MODES = ("governance", "compliance", "none")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def vault_lock(
    changeable_for_days: int | None,
    min_retention_days: int | None,
    max_retention_days: int | None,
    field: str = "vault lock",
    *,
    mode: str | None = None,
    retentions: Sequence[tuple[str, int | None]] = (),
) -> list[str]:
    """ChangeableForDays >= 3; MinRetentionDays >= 1; MaxRetentionDays <= 36,500 and >= min.

    ``mode`` (``governance``, ``compliance`` or ``none``), when given, must agree with
    ``changeable_for_days``: a lock with ``ChangeableForDays`` *is* a compliance lock
    (vault-lock.html), so governance takes none and compliance needs one; mode ``none`` takes
    no setting at all. ``retentions`` lists ``(what, delete_after_days)`` for every rule that
    backs up into the vault (None: kept forever): a locked vault fails every backup job whose
    retention is outside [min, max], and a point kept forever breaks any maximum
    (API_PutBackupVaultLockConfiguration).
    """
    if mode is not None:
        problems = _lock_mode(
            mode, changeable_for_days, min_retention_days, max_retention_days, field
        )
        if problems or mode == "none":
            return problems
    problems = []
    if changeable_for_days is not None and (
        not _whole(changeable_for_days)
        or not VAULT_LOCK_MIN_CHANGEABLE_DAYS <= changeable_for_days <= LIFECYCLE_MAX_DAYS
    ):
        problems.append(
            f"{field}.changeable_for_days: got {changeable_for_days!r}; it must be 3 to 36500 "
            "(AWS Backup enforces a 72-hour cooling-off period)"
        )
    if min_retention_days is not None and (
        not _whole(min_retention_days) or min_retention_days < 1
    ):
        problems.append(
            f"{field}.min_retention_days: got {min_retention_days!r}; it must be at least 1"
        )
    if max_retention_days is not None and (
        not _whole(max_retention_days) or not 1 <= max_retention_days <= LIFECYCLE_MAX_DAYS
    ):
        problems.append(
            f"{field}.max_retention_days: got {max_retention_days!r}; it must be 1 to 36500"
        )
    if (
        not problems
        and min_retention_days is not None
        and max_retention_days is not None
        and max_retention_days < min_retention_days
    ):
        problems.append(
            f"{field}: got min_retention_days={min_retention_days}, "
            f"max_retention_days={max_retention_days}; max_retention_days must be at least "
            "min_retention_days"
        )
    if not problems:
        problems += _lock_vs_retentions(min_retention_days, max_retention_days, retentions, field)
    return problems


def _lock_mode(
    mode: str, changeable: int | None, minimum: int | None, maximum: int | None, field: str
) -> list[str]:
    if mode not in VAULT_LOCK_MODES:
        return [
            f"{field}.mode: got {mode!r}; use 'governance' (the default), 'compliance' or 'none'"
        ]
    if mode == "none":
        return [
            f"{field}.{key}: got {value!r}; mode is 'none' (no vault lock), so it would be "
            "ignored: remove it, or set mode = 'governance' or 'compliance'"
            for key, value in (
                ("changeable_for_days", changeable),
                ("min_retention_days", minimum),
                ("max_retention_days", maximum),
            )
            if value is not None
        ]
    if mode == "governance" and changeable is not None:
        return [
            f"{field}.changeable_for_days: got {changeable!r}; only a compliance lock has a "
            "cooling-off period (a lock with ChangeableForDays becomes immutable when it ends): "
            "set mode = 'compliance', or remove changeable_for_days for a governance lock"
        ]
    if mode == "compliance" and changeable is None:
        return [
            f"{field}.changeable_for_days: not set; a compliance lock needs it: the days (3 or "
            "more) during which the lock can still be changed or removed, after which nobody, "
            "not even the root user, can; or use mode = 'governance'"
        ]
    return []


def _lock_vs_retentions(
    minimum: int | None,
    maximum: int | None,
    retentions: Sequence[tuple[str, int | None]],
    field: str,
) -> list[str]:
    problems = []
    for what, days in retentions:
        if days is None:
            if maximum is not None:
                problems.append(
                    f"{field}.max_retention_days: got {maximum}; {what} keeps recovery points "
                    "forever (no delete_after_days), and a locked vault with a maximum fails "
                    "every such backup job: give that rule a delete_after_days of at most "
                    f"{maximum}, or remove max_retention_days"
                )
            continue
        if not _whole(days):
            continue
        if minimum is not None and days < minimum:
            problems.append(
                f"{field}.min_retention_days: got {minimum}; {what} keeps recovery points "
                f"{days} days, and a locked vault fails every backup job whose retention is "
                f"shorter than its minimum: set it to {days} or less"
            )
        if maximum is not None and days > maximum:
            problems.append(
                f"{field}.max_retention_days: got {maximum}; {what} keeps recovery points "
                f"{days} days, and a locked vault fails every backup job whose retention is "
                f"longer than its maximum: set it to {days} or more"
            )
    return problems
