"""The AWS managed policies a backup service role needs, by the resource types it backs up.

- ``service-role/AWSBackupServiceRolePolicyForBackup`` and
  ``service-role/AWSBackupServiceRolePolicyForRestores``: the general two, for every type AWS
  Backup protects but S3.
- ``AWSBackupServiceRolePolicyForS3Backup`` and ``AWSBackupServiceRolePolicyForS3Restore`` (no
  ``service-role/`` path): S3 needs them besides the general two; without them S3 backup jobs
  fail. Sources: https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html,
  https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html and
  https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForS3Backup.html
  (ARN ``arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup``).
- AWS Backup for S3 also needs versioning on each bucket (s3-backups.html, "Prerequisites").
"""

from __future__ import annotations

from collections.abc import Collection

__all__ = [
    "GENERAL_POLICIES",
    "S3_POLICIES",
    "S3_TYPE",
    "policy_short_name",
    "role_policies",
]

GENERAL_POLICIES = (
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
)
"""The managed policies (names under ``arn:<partition>:iam::aws:policy/``) of every backup role."""

S3_POLICIES = (
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
)
"""The managed policies a backup role also needs when it backs up S3 buckets."""

S3_TYPE = "S3"
"""AWS Backup's name of the S3 resource type (GetSupportedResourceTypes)."""


def role_policies(resource_types: Collection[str]) -> tuple[str, ...]:
    """The managed policies a role backing up ``resource_types`` (``EFS``, ``S3``...) needs."""
    return GENERAL_POLICIES + (S3_POLICIES if S3_TYPE in resource_types else ())


def policy_short_name(name: str) -> str:
    """The name without its path: ``service-role/AWSBackupServiceRolePolicyForBackup`` ->
    ``AWSBackupServiceRolePolicyForBackup``."""
    return name.rsplit("/", 1)[-1]
