"""Partitions, Regions, accounts, and the ARNs and ids that name one resource.

Every check of a partition, a Region or an account id in vaultplan uses the patterns here, so
an ARN one command accepts is accepted by all of them.

Sources:

- The partitions are the ids in botocore's partition data,
  https://github.com/boto/botocore/blob/develop/botocore/data/partitions.json (a test compares
  :data:`PARTITIONS` with the installed botocore's copy).
- An ARN is ``arn:partition:service:region:account-id:resource``
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
- An EFS file system id is ``fs-`` and 8 to 40 lowercase hex digits, and its ARN
  ``arn:${Partition}:elasticfilesystem:${Region}:${Account}:file-system/${FileSystemId}``
  (https://docs.aws.amazon.com/efs/latest/ug/API_FileSystemDescription.html,
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticfilesystem.html).
- A backup vault ARN is ``arn:<partition>:backup:<region>:<account>:backup-vault:<name>``
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CopyAction.html).
- IAM principal ARNs, as ``aws:PrincipalArn`` compares them
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from vaultplan.aws._match import pattern_problems

__all__ = [
    "ACCOUNT",
    "ACCOUNT_RE",
    "EFS_ARN_RE",
    "EFS_ID_RE",
    "MANAGED_POLICY_ARN_RE",
    "PARTITION",
    "PARTITIONS",
    "PARTITION_RE",
    "PRINCIPAL_ARN_RE",
    "REGION",
    "REGION_RE",
    "ROLE_ARN_RE",
    "VAULT_ARN_RE",
    "efs_arn",
    "efs_id",
    "efs_reference",
    "fill_arn_format",
    "managed_policy_arn",
    "partition_of",
    "principal_arn",
    "role_arn",
]

PARTITIONS = (
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
)
"""The AWS partitions, as botocore's ``partitions.json`` names them."""

PARTITION = "(?:" + "|".join(re.escape(p) for p in sorted(PARTITIONS, key=len, reverse=True)) + ")"
"""The pattern text of one partition, to build ARN patterns with."""
REGION = r"[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}"
"""The pattern text of a Region code (``us-east-1``, ``us-gov-west-1``, ``eusc-de-east-1``)."""
ACCOUNT = r"[0-9]{12}"
"""The pattern text of an AWS account id: 12 digits."""

# Each partition's Regions, as botocore's partitions.json ``regionRegex`` gives them (most
# specific first: us-gov-, us-iso- and us-isob- Regions also start with "us-").
_PARTITION_OF_REGION = (
    ("aws-us-gov", re.compile(r"^us-gov-\w+-\d+$")),
    ("aws-iso", re.compile(r"^us-iso-\w+-\d+$")),
    ("aws-iso-b", re.compile(r"^us-isob-\w+-\d+$")),
    ("aws-iso-e", re.compile(r"^eu-isoe-\w+-\d+$")),
    ("aws-iso-f", re.compile(r"^us-isof-\w+-\d+$")),
    ("aws-cn", re.compile(r"^cn-\w+-\d+$")),
    ("aws-eusc", re.compile(r"^eusc-de-\w+-\d+$")),
    ("aws", re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$")),
)


def partition_of(region: str) -> str | None:
    """The partition of ``region`` (``aws``, ``aws-cn``, ``aws-us-gov``...); None if unknown."""
    for partition, pattern in _PARTITION_OF_REGION:
        if pattern.fullmatch(region):
            return partition
    return None


PARTITION_RE = re.compile(rf"^{PARTITION}$")
"""One of :data:`PARTITIONS`."""
REGION_RE = re.compile(rf"^{REGION}$")
"""The shape of an AWS Region code (``us-east-1``, ``us-gov-west-1``, ``ap-southeast-5``)."""
ACCOUNT_RE = re.compile(rf"^{ACCOUNT}$")
"""An AWS account id: 12 digits."""

EFS_ID_RE = re.compile(r"^fs-[0-9a-f]{8,40}$")
EFS_ARN_RE = re.compile(
    rf"^arn:{PARTITION}:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-[0-9a-f]{{8,40}}$"
)
VAULT_ARN_RE = re.compile(
    rf"^arn:(?P<partition>{PARTITION}):backup:(?P<region>{REGION}):(?P<account>{ACCOUNT}):"
    r"backup-vault:(?P<name>[^:/]+)$"
)
"""A backup vault ARN; the groups ``partition``, ``region``, ``account`` and ``name``."""
PRINCIPAL_ARN_RE = re.compile(
    rf"^arn:{PARTITION}:iam::({ACCOUNT}|\*):(root|(user|role)/[\w+=,.@*/-]+)$"
)
"""An IAM user, role or account root, as ``aws:PrincipalArn`` names them; ``*`` may stand for
any run of characters (the access policy compares with ``ArnNotLike``)."""

MANAGED_POLICY_ARN_RE = re.compile(
    rf"^arn:{PARTITION}:iam::(?:{ACCOUNT}|aws):policy/(?:[\x21-\x7e]*/)?[\w+=,.@-]{{1,128}}$"
)
r"""An IAM managed policy ARN, ``arn:<partition>:iam::<account|aws>:policy/<path><name>``: the
only kind of policy a permissions boundary can be
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html); names are
1-128 of ``[\w+=,.@-]`` (botocore's iam model, ``policyNameType``)."""


def managed_policy_arn(value: str, field: str = "policy ARN") -> list[str]:
    """An IAM managed policy ARN (:data:`MANAGED_POLICY_ARN_RE`)."""
    if isinstance(value, str) and MANAGED_POLICY_ARN_RE.fullmatch(value):
        return []
    return [
        f"{field}: got {value!r}; a permissions boundary is an IAM managed policy ARN, e.g. "
        "'arn:aws:iam::123456789012:policy/BackupBoundary'"
    ]


_EFS_ID_FORM = (
    "an EFS file system id is 'fs-' followed by 8 to 40 lowercase hex digits, "
    "e.g. 'fs-0123456789abcdef0'"
)
_EFS_ARN_FORM = (
    "an EFS file system ARN is arn:<partition>:elasticfilesystem:<region>:<12-digit account>:"
    "file-system/fs-<hex>, e.g. arn:aws:elasticfilesystem:us-east-1:123456789012:"
    "file-system/fs-0123456789abcdef0 (patterns go in selection.arns)"
)


def efs_id(value: str, field: str = "file system id") -> list[str]:
    """``fs-`` followed by 8 to 40 lowercase hexadecimal digits."""
    return pattern_problems(value, field, EFS_ID_RE, _EFS_ID_FORM)


def efs_arn(value: str, field: str = "file system ARN") -> list[str]:
    """``arn:<partition>:elasticfilesystem:<region>:<account>:file-system/fs-...``, no wildcard."""
    return pattern_problems(value, field, EFS_ARN_RE, _EFS_ARN_FORM)


def efs_reference(value: str, field: str = "file system") -> list[str]:
    """An EFS file system id (:func:`efs_id`) or ARN (:func:`efs_arn`)."""
    if isinstance(value, str) and value.startswith("arn:"):
        return efs_arn(value, field)
    return efs_id(value, field)


def principal_arn(value: str, field: str = "principal") -> list[str]:
    """The ARN of an IAM role, user or account root (``*`` allowed in the account or name)."""
    if isinstance(value, str) and PRINCIPAL_ARN_RE.fullmatch(value):
        return []
    hint = ""
    if isinstance(value, str) and ":group/" in value:
        hint = " (a group is not a principal: name its users or a role)"
    elif isinstance(value, str) and ":assumed-role/" in value:
        hint = " (name the role, arn:aws:iam::ACCOUNT:role/NAME, not a session)"
    return [
        f"{field}: got {value!r}; use the ARN of an IAM role, user or account root, e.g. "
        f"'arn:aws:iam::123456789012:role/BreakGlass'{hint}"
    ]


ROLE_ARN_RE = re.compile(rf"^arn:{PARTITION}:iam::{ACCOUNT}:role/[\w+=,.@/-]{{1,512}}$")
"""An IAM role ARN, ``arn:aws:iam::123456789012:role/Name`` (a path may precede the name)."""
_ROLE_EXAMPLE = "'arn:aws:iam::123456789012:role/BackupScanner'"


def role_arn(value: object, field: str = "role ARN") -> list[str]:
    """The literal ARN of an IAM role (reference-arns.html)."""
    return pattern_problems(
        value, field, ROLE_ARN_RE, "use the ARN of an IAM role, e.g. " + _ROLE_EXAMPLE
    )


ARN_VARIABLE = re.compile(r"\$\{([^}]+)\}")
"""A ``${Variable}`` of an ARN format, as the Service Authorization Reference writes them."""


def fill_arn_format(fmt: str, place: Mapping[str, str], other: Callable[[str], str]) -> str:
    """An ARN format (``arn:${Partition}:backup:${Region}:${Account}:backup-vault:${Name}``)
    with each ``${Variable}`` replaced: by ``place[Variable]`` when given, else by
    ``other(Variable)``."""

    def value(m: re.Match[str]) -> str:
        var = m.group(1)
        return place[var] if var in place else other(var)

    return ARN_VARIABLE.sub(value, fmt)
