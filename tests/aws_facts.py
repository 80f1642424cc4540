"""AWS facts asserted in several test folders (import ``aws_facts``: tests/ is on sys.path)."""

from __future__ import annotations

# The AWS Backup developer guide's create-a-vault page lists seven permissions, in this order:
# https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html
VAULT_CREATION = (
    "backup:CreateBackupVault",
    "backup-storage:MountCapsule",
    "kms:CreateGrant",
    "kms:GenerateDataKey",
    "kms:Decrypt",
    "kms:RetireGrant",
    "kms:DescribeKey",
)
