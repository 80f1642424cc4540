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
from vaultplan.permissions.evaluate import (
    Decision,
    Layer,
    Outcome,
    Policy,
    PolicySet,
    Request,
    ResourcePolicy,
    evaluate,
    evaluate_request,
    load_policies,
    load_policy_files,
    policy,
)
from vaultplan.permissions.explain import (
    DecodedAuthorization,
    Explanation,
    Failure,
    Needed,
    explain,
    explain_decoded,
    read_decoded,
    read_events,
)

__all__ = [
    "MANAGED_POLICY_LIMIT",
    "ActionNote",
    "Decision",
    "DecodedAuthorization",
    "DeployPolicy",
    "Explanation",
    "Failure",
    "Grant",
    "Layer",
    "Needed",
    "Outcome",
    "Policy",
    "PolicySet",
    "Request",
    "ResourcePolicy",
    "ScopeStats",
    "Statement",
    "Unresolved",
    "derive",
    "evaluate",
    "evaluate_request",
    "explain",
    "explain_decoded",
    "load_policies",
    "load_policy_files",
    "policy",
    "policy_size",
    "read_decoded",
    "read_events",
    "unknown_actions",
]
