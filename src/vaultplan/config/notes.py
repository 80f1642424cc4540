"""The notes ``vaultplan synth`` prints under its summary: what the stack needs that the
template can't give it.

- A selection that can select S3 buckets: AWS Backup for S3 needs versioning on each bucket
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html), which a backup
  strategy can't turn on for buckets it doesn't own.
"""

from __future__ import annotations

from vaultplan.aws.backup_role import S3_TYPE
from vaultplan.config.model import Config
from vaultplan.spec.selection import selected_resource_types

__all__ = ["synth_notes"]

S3_VERSIONING = (
    "selection: it can select S3 buckets; AWS Backup backs up only buckets with versioning "
    "enabled (s3-backups.html), so turn versioning on for each of them (the role has the "
    "AWSBackupServiceRolePolicyForS3Backup and AWSBackupServiceRolePolicyForS3Restore policies)"
)


def synth_notes(config: Config) -> tuple[str, ...]:
    """The notes for ``config``, one line each, in a stable order."""
    notes: list[str] = []
    file_systems = int(config.file_system.create) + len(config.file_system.ids)
    if S3_TYPE in selected_resource_types(file_systems, config.selection):
        notes.append(S3_VERSIONING)
    return tuple(notes)
