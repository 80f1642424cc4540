"""AWS Organizations backup policies: their limits, the ids they attach to, and their names.

Each function returns the problems it finds (empty when valid), each reading
``<field>: got <value!r>; <what is allowed>``, like :mod:`vaultplan.aws.plan_rules`.

Sources:

- A backup policy is ``{"plans": {"<PlanName>": {...}}}``, every value wrapped in an operator
  such as ``@@assign``; ``$account`` stands for each account in the elements that hold an ARN
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html).
- A backup policy holds at most 10,000 characters; whitespace counts when a policy is saved
  through the API or an SDK, so a policy is written minified
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
- Policy targets: a root id is ``r-`` and 4 to 32 lowercase letters or digits; an OU id is
  ``ou-``, 4 to 32 lowercase letters or digits (its root's), ``-`` and 8 to 32 more; an account
  id is 12 digits. A policy name is 1 to 128 characters, a description at most 512
  (https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html,
  https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html).
- CloudFormation's ``AWS::Organizations::Policy`` takes ``Type: BACKUP_POLICY``; ``Content``
  given as a JSON object (not a string) keeps drift detection working; no CloudFormation
  resource enables the policy type in the root, which takes ``aws organizations
  enable-policy-type``
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-organizations-policy.html,
  https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnablePolicyType.html).
- Member accounts need the vault (in every listed Region) and the role before the policy
  applies; AWS recommends StackSets for them. Service-managed StackSets never deploy to the
  management account, yet backup policies apply to it
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html,
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html).
"""

from __future__ import annotations

import re

from vaultplan.aws._match import pattern_problems

__all__ = [
    "ACCOUNT_ID_RE",
    "ACCOUNT_VARIABLE",
    "BACKUP_POLICY_TYPE",
    "DESCRIPTION_MAX",
    "ENABLE_POLICY_TYPE_COMMAND",
    "OU_ID_RE",
    "POLICY_MAX_CHARS",
    "POLICY_NAME_MAX",
    "ROOT_ID_RE",
    "SYNTAX_DOC",
    "TARGET_ID_RE",
    "description",
    "policy_name",
    "target_id",
]

POLICY_MAX_CHARS = 10_000
"""The most characters a backup policy holds ("Maximum size of a policy document")."""
POLICY_NAME_MAX = 128
"""The longest policy name (``CreatePolicy``'s ``Name``)."""
DESCRIPTION_MAX = 512
"""The longest policy description (``CreatePolicy``'s ``Description``)."""
BACKUP_POLICY_TYPE = "BACKUP_POLICY"
"""The policy type of a backup policy (``AWS::Organizations::Policy`` ``Type``)."""
ACCOUNT_VARIABLE = "$account"
"""Stands for the account a backup policy applies to, in the elements that hold an ARN."""
ENABLE_POLICY_TYPE_COMMAND = (
    "aws organizations enable-policy-type --root-id r-... --policy-type BACKUP_POLICY"
)
"""The one step no CloudFormation resource takes: enabling backup policies in the root."""
SYNTAX_DOC = (
    "https://docs.aws.amazon.com/organizations/latest/userguide/"
    "orgs_manage_policies_backup_syntax.html"
)

_ROOT = r"r-[0-9a-z]{4,32}"
_OU = r"ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}"
_ACCOUNT = r"[0-9]{12}"
ROOT_ID_RE = re.compile(rf"^{_ROOT}$")
"""A root id (``r-...``)."""
OU_ID_RE = re.compile(rf"^{_OU}$")
"""An organizational unit id (``ou-<root part>-<8 to 32 more>``)."""
ACCOUNT_ID_RE = re.compile(rf"^{_ACCOUNT}$")
"""A 12-digit account id."""
TARGET_ID_RE = re.compile(rf"^(?:{_ROOT}|{_ACCOUNT}|{_OU})$")
"""A root (``r-...``), an OU (``ou-...-...``) or a 12-digit account id."""


def target_id(value: object, field: str = "target id") -> list[str]:
    """The id of a root, an OU or an account (:data:`TARGET_ID_RE`)."""
    return pattern_problems(
        value,
        field,
        TARGET_ID_RE,
        "attach a policy to a root ('r-' and 4-32 lowercase letters or digits), an OU "
        "('ou-<root part>-<8-32 lowercase letters or digits>') or an account (12 digits), "
        "e.g. 'ou-ab12-11111111'",
    )


def policy_name(value: object, field: str = "policy name") -> list[str]:
    """1 to 128 characters."""
    if isinstance(value, str) and 1 <= len(value) <= POLICY_NAME_MAX:
        return []
    return [f"{field}: got {value!r}; a policy name is 1 to {POLICY_NAME_MAX} characters"]


def description(value: object, field: str = "description") -> list[str]:
    """At most 512 characters."""
    if isinstance(value, str) and len(value) <= DESCRIPTION_MAX:
        return []
    return [f"{field}: got {value!r}; a policy description is at most {DESCRIPTION_MAX} characters"]
