"""VP4xx: the checks of AWS Organizations backup policies (``vaultplan org validate`` and
``vaultplan org effective``).

They judge a backup policy document, not a CloudFormation template:
:func:`vaultplan.org.validate.policy_findings` finds them. They are registered here, with
their metadata in ``metadata.toml``, so that the catalogue, SARIF output and
``--ignore-checks`` know them; run on a template, each finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from vaultplan.checks.finding import Issue, NotApplicable
from vaultplan.checks.model import CheckContext
from vaultplan.checks.registry import check

__all__ = ["POLICY_CHECKS"]

#: Each VP4xx id and its name (SARIF's rule name).
POLICY_CHECKS = {
    "VP401": "policy_plan_name_level",
    "VP402": "policy_unknown_key",
    "VP403": "policy_value_without_operator",
    "VP404": "policy_append_remove_on_single_value",
    "VP405": "policy_value_kind",
    "VP406": "policy_required_element",
    "VP407": "policy_selection_tags_or_resources",
    "VP408": "policy_copy_action_target",
    "VP409": "policy_variables",
    "VP410": "policy_specific_resource",
    "VP411": "policy_schedule",
    "VP412": "policy_windows",
    "VP413": "policy_lifecycle",
    "VP414": "policy_quotas",
    "VP415": "policy_size",
    "VP416": "policy_member_stack",
}


for _id, _name in POLICY_CHECKS.items():

    def _nothing(ctx: CheckContext) -> Iterable[Issue | NotApplicable]:
        return ()

    _nothing.__name__ = _nothing.__qualname__ = _name
    check(_id)(_nothing)
