"""Deploy permissions: derive the least-privilege policy of a template, evaluate policies
offline, and explain which permission a failed deploy was missing."""

from __future__ import annotations

from vaultplan.permissions.derive import (
    ActionNote,
    DeployPolicy,
    ScopeStats,
    Unresolved,
    derive,
    unknown_actions,
)
from vaultplan.permissions.document import MANAGED_POLICY_LIMIT, Grant, Statement, policy_size

__all__ = [
    "MANAGED_POLICY_LIMIT",
    "ActionNote",
    "DeployPolicy",
    "Grant",
    "ScopeStats",
    "Statement",
    "Unresolved",
    "derive",
    "policy_size",
    "unknown_actions",
]
