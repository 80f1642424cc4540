"""The backup role the strategy creates: its permissions boundary, as plain data.

``[role] permissions_boundary`` in ``vaultplan.toml``, ``permissions_boundary=`` on
``BackupStrategy``. A permissions boundary is a managed policy, named by its ARN
``arn:<partition>:iam::<account|aws>:policy/<path><name>``
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html; ARN format:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
Policy names are 1-128 characters of ``[\\w+=,.@-]``, paths ``/`` or ``/.../`` (botocore's iam
model, ``policyNameType`` and ``policyPathType``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vaultplan.aws.arns import ACCOUNT, PARTITION

__all__ = ["MANAGED_POLICY_ARN_RE", "ROLE_KEYS", "role_problems"]

ROLE_KEYS = ("permissions_boundary",)

MANAGED_POLICY_ARN_RE = re.compile(
    rf"^arn:{PARTITION}:iam::(?:{ACCOUNT}|aws):policy/(?:[\x21-\x7e]*/)?[\w+=,.@-]{{1,128}}$"
)


def _never(value: object) -> bool:
    return False


def role_problems(
    permissions_boundary: str | None,
    *,
    role_given: bool = False,
    field: str = "role.permissions_boundary",
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """The boundary is an IAM managed policy ARN, and there is a created role to put it on."""
    if permissions_boundary is None:
        return []
    if role_given:
        return [
            f"{field}: got {permissions_boundary!r} with role= given; the boundary applies to "
            "the role the strategy creates: set it on your own role instead"
        ]
    if unresolved(permissions_boundary):
        return []
    if not MANAGED_POLICY_ARN_RE.fullmatch(permissions_boundary):
        return [
            f"{field}: got {permissions_boundary!r}; a permissions boundary is an IAM managed "
            "policy ARN, e.g. 'arn:aws:iam::123456789012:policy/BackupBoundary'"
        ]
    return []
