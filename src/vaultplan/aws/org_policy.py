"""AWS Organizations backup policies: the element table, the inheritance operators, the limits
and the ids of an organization's nodes.

Sources:

- The elements, which of them are required, and where ``$account`` / ``$region`` may stand:
  "Backup policy syntax and examples",
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html
  (a plan holds ``regions``, ``rules`` and ``selections``; a rule ``schedule_expression`` and
  ``target_backup_vault_name``; ``copy_actions`` is a map keyed by the destination vault ARN,
  each entry with ``target_backup_vault_arn``; a selection holds ``tags`` or ``resources``;
  ``iam_role_arn`` takes ``$account``, which only elements holding an ARN take).
- The operators: "Inheritance operators",
  https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html
  (``@@assign`` on any setting; ``@@append`` and ``@@remove`` on multi-valued settings, JSON
  arrays, only; ``@@operators_allowed_for_child_policies`` is ``["@@all"]`` by default, a
  subset of the three value operators, or ``["@@none"]``).
- The limits: "Quotas for AWS Organizations",
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
  (10,000 characters per backup policy, 10 policies of a type attached to a root, OU or
  account, OUs nested five levels under the root).
- The ids: the Organizations API reference (``Root.Id`` ``^r-[0-9a-z]{4,32}$``,
  ``OrganizationalUnit.Id`` ``^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$``, ``Account.Id``
  ``^\\d{12}$``): https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html,
  https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html,
  https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html.

Where the syntax page documents an element's contents only loosely (``scan_settings``), the
element is *open*: its keys are not checked, only the operators on its values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

# One home for the limits and id patterns that org policy and org effective share.
from vaultplan.aws.organizations import (
    ACCOUNT_ID_RE,
    OU_ID_RE,
    POLICY_MAX_CHARS,
    ROOT_ID_RE,
)
from vaultplan.aws.organizations import SYNTAX_DOC as SYNTAX_URL

__all__ = [
    "ACCOUNT_ID_RE",
    "ALL",
    "APPEND",
    "ASSIGN",
    "CHILD_CONTROL",
    "CONDITIONS",
    "COPY_ACTION",
    "LIFECYCLE",
    "NONE",
    "OPERATORS_URL",
    "OU_DEPTH_MAX",
    "OU_ID_RE",
    "PLAN",
    "PLAN_ELEMENTS",
    "POLICIES_PER_NODE_MAX",
    "POLICY",
    "POLICY_MAX_CHARS",
    "QUOTAS_URL",
    "REMOVE",
    "RESOURCE_SELECTION",
    "ROOT_ID_RE",
    "RULE",
    "SELECTIONS",
    "SYNTAX_URL",
    "TAG_SELECTION",
    "VALUE_OPERATORS",
    "Element",
]

OPERATORS_URL = "https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html"
QUOTAS_URL = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html"

ASSIGN = "@@assign"
APPEND = "@@append"
REMOVE = "@@remove"
VALUE_OPERATORS = (ASSIGN, APPEND, REMOVE)
"""The value-setting operators, in the order one policy's operators on a value apply."""
CHILD_CONTROL = "@@operators_allowed_for_child_policies"
ALL = "@@all"
NONE = "@@none"

POLICIES_PER_NODE_MAX = 10
"""Backup policies attached to one root, OU or account."""
OU_DEPTH_MAX = 5
"""Levels of OUs under the root."""


Kind = Literal["map", "named", "value"]
ValueType = Literal["string", "array", "integer", "boolean"]


@dataclass(frozen=True)
class Element:
    """One element of the syntax.

    - ``map``: fixed keys (:attr:`children`, lowercase), some :attr:`required`;
    - ``named``: keys the author names (plans, rules, selections...), each entry an
      :attr:`item`; :attr:`keys` lists the only names allowed when AWS fixes them;
    - ``value``: a setting, wrapped in an operator in a policy, of :attr:`type`.
    """

    kind: Kind
    children: Mapping[str, Element] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    item: Element | None = None
    keys: tuple[str, ...] = ()
    type: ValueType = "string"
    choices: tuple[str, ...] = ()
    #: The variables (``$account``, ``$region``) the value, or a named entry's key, may hold.
    variables: frozenset[str] = frozenset()
    #: The value is a list of resource ARN patterns: wildcards only, no specific resource.
    arn_patterns: bool = False
    #: Keys not checked (contents documented loosely).
    open: bool = False


def _value(
    type: ValueType = "string",
    *,
    choices: tuple[str, ...] = (),
    variables: frozenset[str] = frozenset(),
    arn_patterns: bool = False,
) -> Element:
    return Element(
        "value", type=type, choices=choices, variables=variables, arn_patterns=arn_patterns
    )


def _map(children: Mapping[str, Element], required: tuple[str, ...] = ()) -> Element:
    return Element("map", children=children, required=required)


def _named(
    item: Element, *, keys: tuple[str, ...] = (), variables: frozenset[str] = frozenset()
) -> Element:
    return Element("named", item=item, keys=keys, variables=variables)


ACCOUNT = frozenset({"$account"})
ACCOUNT_REGION = frozenset({"$account", "$region"})
ENABLED = ("enabled", "disabled")
SCAN_MODES = ("FULL_SCAN", "INCREMENTAL_SCAN")
CONDITION_OPERATORS = ("string_equals", "string_not_equals", "string_like", "string_not_like")

LIFECYCLE = _map(
    {
        "move_to_cold_storage_after_days": _value("integer"),
        "delete_after_days": _value("integer"),
        "opt_in_to_archive_for_supported_resources": _value("boolean"),
    }
)
TAG = _map({"tag_key": _value(), "tag_value": _value()}, ("tag_key", "tag_value"))
COPY_ACTION = _map(
    {"target_backup_vault_arn": _value(variables=ACCOUNT), "lifecycle": LIFECYCLE},
    ("target_backup_vault_arn",),
)
RULE = _map(
    {
        "schedule_expression": _value(),
        "target_backup_vault_name": _value(),
        "target_logically_air_gapped_backup_vault_arn": _value(variables=ACCOUNT_REGION),
        "start_backup_window_minutes": _value("integer"),
        "complete_backup_window_minutes": _value("integer"),
        "enable_continuous_backup": _value("boolean"),
        "lifecycle": LIFECYCLE,
        "copy_actions": _named(COPY_ACTION, variables=ACCOUNT),
        "recovery_point_tags": _named(TAG),
        "index_actions": _map({"resource_types": _value("array")}),
        "scan_actions": _named(
            _map({"scan_mode": _value(choices=SCAN_MODES)}, ("scan_mode",)), keys=("guardduty",)
        ),
    },
    ("schedule_expression", "target_backup_vault_name"),
)
CONDITIONS = _map(
    {
        op: _named(_map({"condition_key": _value(), "condition_value": _value()}))
        for op in CONDITION_OPERATORS
    }
)
ROLE = _value(variables=ACCOUNT)
TAG_SELECTION = _map(
    {
        "iam_role_arn": ROLE,
        "tag_key": _value(),
        "tag_value": _value("array"),
        "conditions": CONDITIONS,
    },
    ("iam_role_arn", "tag_key", "tag_value"),
)
RESOURCE_SELECTION = _map(
    {
        "iam_role_arn": ROLE,
        "resource_types": _value("array", arn_patterns=True),
        "not_resource_types": _value("array", arn_patterns=True),
        "conditions": CONDITIONS,
    },
    ("iam_role_arn", "resource_types"),
)
SELECTIONS = _map({"tags": _named(TAG_SELECTION), "resources": _named(RESOURCE_SELECTION)})
#: ``windows_vss``; older pages of the syntax spell it ``WindowsVSS`` (keys are read
#: case-insensitively, so ``windowsvss``).
ADVANCED = _map(
    {
        "ec2": _map(
            {"windows_vss": _value(choices=ENABLED), "windowsvss": _value(choices=ENABLED)}
        ),
        "s3": _map(
            {
                "backup_acls": _value(choices=ENABLED),
                "backup_object_tags": _value(choices=ENABLED),
            }
        ),
    }
)
PLAN_ELEMENTS: Mapping[str, Element] = {
    "regions": _value("array"),
    "rules": _named(RULE),
    "selections": SELECTIONS,
    "advanced_backup_settings": ADVANCED,
    "backup_plan_tags": _named(TAG),
    "scan_settings": Element("map", open=True),
}
PLAN = _map(PLAN_ELEMENTS, ("regions", "rules", "selections"))
POLICY = _map({"plans": _named(PLAN)}, ("plans",))
"""The whole document: ``{"plans": {"<PlanName>": {...}}}``."""
