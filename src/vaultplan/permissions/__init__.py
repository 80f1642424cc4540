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
from vaultplan.permissions.evaluate import Decision, Outcome, evaluate, load_policy_files
from vaultplan.permissions.explain import Explanation, Failure, Needed, explain, read_events

__all__ = [
    "MANAGED_POLICY_LIMIT",
    "ActionNote",
    "Decision",
    "DeployPolicy",
    "Explanation",
    "Failure",
    "Grant",
    "Needed",
    "Outcome",
    "ScopeStats",
    "Statement",
    "Unresolved",
    "derive",
    "evaluate",
    "explain",
    "load_policy_files",
    "policy_size",
    "read_events",
    "unknown_actions",
]
