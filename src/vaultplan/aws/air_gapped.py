"""Logically air-gapped vaults (``AWS::Backup::LogicallyAirGappedBackupVault``): their bounds.

Sources:

- ``MinRetentionDays`` and ``MaxRetentionDays`` are required; "The minimum value accepted is
  7 days" (botocore's backup model, ``CreateLogicallyAirGappedBackupVaultInput``;
  https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateLogicallyAirGappedBackupVault.html).
  The maximum follows the vault lock's, at most 36,500 days
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html):
  "each vault is equipped with AWS Backup Vault Lock's compliance mode"
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html).
- A copy job into a locked vault fails when the copy's retention is outside [min, max]
  (API_PutBackupVaultLockConfiguration: "If the job's retention period is shorter than that
  minimum retention period, then the vault fails that backup or copy job").
"""

from __future__ import annotations

from vaultplan.aws.plan_rules import LIFECYCLE_MAX_DAYS

__all__ = ["AIR_GAPPED_MAX_RETENTION_DAYS", "AIR_GAPPED_MIN_RETENTION_DAYS", "retention_bounds"]

AIR_GAPPED_MIN_RETENTION_DAYS = 7
AIR_GAPPED_MAX_RETENTION_DAYS = LIFECYCLE_MAX_DAYS


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def retention_bounds(minimum: object, maximum: object, field: str) -> list[str]:
    """``MinRetentionDays`` 7 to 36,500, ``MaxRetentionDays`` at most 36,500 and >= min."""
    problems: list[str] = []
    low, high = AIR_GAPPED_MIN_RETENTION_DAYS, AIR_GAPPED_MAX_RETENTION_DAYS
    for key, value in (("min_retention_days", minimum), ("max_retention_days", maximum)):
        if not _whole(value) or not low <= value <= high:  # type: ignore[operator]
            problems.append(
                f"{field}.{key}: got {value!r}; a logically air-gapped vault's retention "
                f"bounds are whole numbers of days from {low} to {high}"
            )
    if not problems and maximum < minimum:  # type: ignore[operator]
        problems.append(
            f"{field}.max_retention_days: got {maximum}, less than min_retention_days "
            f"{minimum}; raise it"
        )
    return problems
