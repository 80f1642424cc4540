"""KMS keys: the ARNs that name them, and the actions a cross-account copy needs on its key.

Sources:

- A KMS key ARN is ``arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}``, an alias ARN
  ``arn:${Partition}:kms:${Region}:${Account}:alias/${Alias}``
  (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html);
  a key id is a UUID, or ``mrk-`` and 32 hex digits for a multi-Region key
  (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-id).
- The source key of a cross-account copy: AWS re:Post, "backup-cross-account-copy-error"
  (:data:`CROSS_ACCOUNT_KEY_DOC`).
"""

from __future__ import annotations

import re

from vaultplan.aws._match import pattern_problems
from vaultplan.aws.arns import ACCOUNT, PARTITION, REGION

__all__ = [
    "CROSS_ACCOUNT_KEY_DOC",
    "KMS_KEY_ID_ARN_RE",
    "KMS_KEY_OR_ALIAS_ARN_RE",
    "SOURCE_KEY_ACTIONS",
    "kms_key_arn",
]

KMS_KEY_ID_ARN_RE = re.compile(
    rf"^arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/"
    r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
"""The ARN of one KMS key by its key id (``key/<uuid>`` or ``key/mrk-<32 hex>``), not an alias:
what a vault's ``EncryptionKeyArn`` takes."""
KMS_KEY_OR_ALIAS_ARN_RE = re.compile(
    rf"^arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:(key|alias)/[A-Za-z0-9/_-]+$"
)
"""The ARN of a KMS key or of an alias (``key/...`` or ``alias/...``): what a restore's
``kmsKeyId`` metadata takes."""

CROSS_ACCOUNT_KEY_DOC = "https://repost.aws/knowledge-center/backup-cross-account-copy-error"

SOURCE_KEY_ACTIONS = (
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ListGrants",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RevokeGrant",
)
"""What the destination account needs on the source key of a cross-account copy.

AWS re:Post "backup-cross-account-copy-error" ("Given key ID is not accessible"): the source
key's policy must name the destination account's root with these actions. For resources fully
managed by AWS Backup (EFS among them) the source key is the vault's key; for the others it
is the resource's own key, which must then be customer managed. (The article spells
``ListGrant``; the IAM action is ``kms:ListGrants``.)"""


_KEY_ARN_FORM = (
    "use the ARN of a KMS key, e.g. "
    "'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'"
)


def kms_key_arn(value: str, field: str = "kms key") -> list[str]:
    """The ARN of a KMS key (not an alias): a vault's ``EncryptionKeyArn`` takes a key ARN."""
    return pattern_problems(value, field, KMS_KEY_ID_ARN_RE, _KEY_ARN_FORM)
