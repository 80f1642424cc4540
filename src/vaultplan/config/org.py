"""The ``[org]`` table of ``vaultplan.toml``: the strategy as an AWS Organizations backup
policy (``vaultplan org policy``) and the member-account stack (``vaultplan synth --org``)."""

from __future__ import annotations

from vaultplan.config.fields import section, string, strings, table, type_error
from vaultplan.errors import InputError
from vaultplan.org.options import ORG_KEYS, OrgOptions, org_options_problems

__all__ = ["ORG_TEXT", "parse_org"]

ORG_TEXT = """
# Across an AWS Organizations organization (vaultplan org policy, vaultplan synth --org).
# Leave the table out for a single account. The policy's plans need a selection a policy can
# express: tag conditions or resource-type patterns (set file_system.create = false).
# [org]
# Regions the policy's plans run in; deploy the member-account stack in each.
# regions = ["us-east-1"]
# The root (r-...), OUs (ou-...-...) and accounts (12 digits) the policy is attached to.
# target_ids = ["ou-ab12-11111111"]
# policy_name = "example-backup-policy"
# description = "AWS Backup plan exampleEFSBackupPlan for every account of the OU"
# Tags put on each backup plan the policy creates.
# plan_tags = { team = "storage" }
"""
"""The commented ``[org]`` section of ``vaultplan init``'s file."""


def parse_org(value: object) -> OrgOptions | None:
    """``[org]`` as :class:`OrgOptions`; None when absent. The first problem raises."""
    data = section(value, "org", ORG_KEYS)
    if data is None:
        return None
    regions = strings(
        data, "regions", "org.regions", expected='an array of Regions, e.g. ["us-east-1"]'
    )
    if regions is None:
        raise InputError(
            "org.regions: required, not given; list the Regions the plans run in, e.g. "
            'regions = ["us-east-1"]'
        )
    tags = table(data.get("plan_tags", {}), "org.plan_tags", 'a table, e.g. { team = "storage" }')
    for key, tag in tags.items():
        if not isinstance(tag, str):
            raise type_error(f"org.plan_tags.{key}", tag, "a string")
    options = OrgOptions(
        regions=regions,
        target_ids=strings(
            data,
            "target_ids",
            "org.target_ids",
            expected='an array of ids, e.g. ["ou-ab12-11111111"]',
        )
        or (),
        policy_name=string(data, "policy_name", "org.policy_name"),
        description=string(data, "description", "org.description"),
        plan_tags=tags,
    )
    problems = org_options_problems(options)
    if problems:
        raise InputError(problems[0])
    return options
