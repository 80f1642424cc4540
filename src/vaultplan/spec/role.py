"""The backup role the strategy creates: its permissions boundary, as plain data.

``[role] permissions_boundary`` in ``vaultplan.toml``, ``permissions_boundary=`` on
``BackupStrategy``. A permissions boundary is a managed policy, named by its ARN
``arn:<partition>:iam::<account|aws>:policy/<path><name>``
(:func:`vaultplan.aws.arns.managed_policy_arn`).
"""

from __future__ import annotations

from collections.abc import Callable

from vaultplan.aws.arns import managed_policy_arn

__all__ = ["ROLE_KEYS", "role_problems"]

ROLE_KEYS = ("permissions_boundary",)


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
    return managed_policy_arn(permissions_boundary, field)
