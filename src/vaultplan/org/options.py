"""The ``[org]`` options: where a strategy applies across an AWS Organizations organization.

Plain data, checked by :func:`org_options_problems` (the config loader's ``[org]`` reader
calls it); what an organization's backup policy can't express of the strategy itself is
:func:`vaultplan.org.policy.organization_problems`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from vaultplan.aws import arns, organizations, tags
from vaultplan.aws.regions import known_regions

__all__ = ["ORG_KEYS", "PLAN_TAGS_MAX", "OrgOptions", "org_options_problems"]

ORG_KEYS = ("regions", "target_ids", "policy_name", "description", "plan_tags")
"""The keys of ``[org]``."""

PLAN_TAGS_MAX = 50
"""The most tags an AWS resource, a backup plan among them, takes
(https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions)."""


@dataclass(frozen=True, kw_only=True)
class OrgOptions:
    """Where the backup policy applies, and how it is named."""

    regions: tuple[str, ...]
    """The Regions the policy's plans run in (``regions``); the member-account stack must be
    deployed in each."""
    target_ids: tuple[str, ...] = ()
    """The root (``r-...``), OUs (``ou-...``) and accounts the policy is attached to. Default:
    none (the policy is created, attached to nothing)."""
    policy_name: str | None = None
    """The policy's name. Default: ``<site>-backup-policy``."""
    description: str | None = None
    """The policy's description. Default: one naming the site and its plan."""
    plan_tags: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Tags put on each backup plan the policy creates (``backup_plan_tags``). Default: none."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "regions", tuple(self.regions))
        object.__setattr__(self, "target_ids", tuple(self.target_ids))
        object.__setattr__(self, "plan_tags", dict(self.plan_tags))

    @property
    def partition(self) -> str:
        """The partition of the Regions (``aws`` when it can't be told)."""
        found = {p for p in (arns.partition_of(r) for r in self.regions) if p is not None}
        return found.pop() if len(found) == 1 else "aws"

    @property
    def home_region(self) -> str:
        """The first Region: the one whose member-account stack creates the IAM roles (IAM is
        global to an account, so one stack instance per account may create a named role)."""
        return self.regions[0]


def _region_problems(regions: tuple[str, ...]) -> list[str]:
    if not regions:
        return [
            "org.regions: got []; a backup policy's plans need at least one Region, e.g. "
            'regions = ["us-east-1"]'
        ]
    known = known_regions()
    problems: list[str] = []
    seen: set[str] = set()
    for i, region in enumerate(regions):
        where = f"org.regions[{i}]"
        if region not in known:
            close = difflib.get_close_matches(region, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                f"{where}: got {region!r}; {hint}use an AWS Region code such as 'us-east-1'"
            )
        elif region in seen:
            problems.append(f"{where}: got {region!r} twice; list each Region once")
        seen.add(region)
    partitions = sorted({p for p in (arns.partition_of(r) for r in regions) if p is not None})
    if not problems and len(partitions) > 1:
        problems.append(
            f"org.regions: got {list(regions)!r}, Regions of the partitions "
            f"{', '.join(partitions)}; an organization lives in one partition, so list Regions "
            "of one"
        )
    return problems


def _tag_problems(plan_tags: Mapping[str, str]) -> list[str]:
    problems: list[str] = []
    if len(plan_tags) > PLAN_TAGS_MAX:
        problems.append(
            f"org.plan_tags: got {len(plan_tags)} tags; a backup plan takes at most {PLAN_TAGS_MAX}"
        )
    for key, value in plan_tags.items():
        if not 1 <= len(key) <= tags.TAG_KEY_MAX or key.lower().startswith(
            tags.RESERVED_TAG_PREFIX
        ):
            problems.append(
                f"org.plan_tags: got key {key!r}; a tag key is 1 to 128 characters, not "
                "starting with 'aws:'"
            )
        elif not isinstance(value, str) or len(value) > tags.TAG_VALUE_MAX:
            problems.append(
                f"org.plan_tags.{key}: got {value!r}; a tag value is a string of at most 256 "
                "characters"
            )
    return problems


def org_options_problems(options: OrgOptions) -> list[str]:
    """Every problem of ``options``, each naming ``org.<field>`` and the value."""
    problems = _region_problems(options.regions)
    seen: set[str] = set()
    for i, target in enumerate(options.target_ids):
        problems += organizations.target_id(target, f"org.target_ids[{i}]")
        if target in seen:
            problems.append(f"org.target_ids[{i}]: got {target!r} twice; list each target once")
        seen.add(target)
    if options.policy_name is not None:
        problems += organizations.policy_name(options.policy_name, "org.policy_name")
    if options.description is not None:
        problems += organizations.description(options.description, "org.description")
    problems += _tag_problems(options.plan_tags)
    return problems
