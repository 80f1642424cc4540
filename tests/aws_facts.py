"""AWS facts asserted in several test folders (import ``aws_facts``: tests/ is on sys.path)."""

from __future__ import annotations

# /work/shared/AWS-FACTS.md, "Vault creation": the create-a-vault page lists seven permissions,
# in this order.
VAULT_CREATION = (
    "backup:CreateBackupVault",
    "backup-storage:MountCapsule",
    "kms:CreateGrant",
    "kms:GenerateDataKey",
    "kms:Decrypt",
    "kms:RetireGrant",
    "kms:DescribeKey",
)
