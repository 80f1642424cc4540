"""A strategy as an AWS Organizations backup policy: ``{"plans": {"<PlanName>": {...}}}``.

The syntax, from "Backup policy syntax and examples"
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html):

- every leaf value is wrapped in an operator; this module writes ``@@assign`` only (the
  policy sets values, it merges nothing); numbers are written as strings, as AWS's examples
  write them;
- a plan holds ``regions``, ``rules`` and ``selections`` (all required), and optionally
  ``advanced_backup_settings``, ``backup_plan_tags`` and ``scan_settings``;
- ``copy_actions`` is a map keyed by the destination vault ARN, each entry holding
  ``target_backup_vault_arn`` (without it AWS lowercases the key and the plan fails);
- ``recovery_point_tags`` and ``backup_plan_tags`` map an id to ``tag_key`` and ``tag_value``;
- a selection is either ``tags`` (``tag_key`` and an array ``tag_value``) or ``resources``
  (resource-type patterns such as ``arn:aws:elasticfilesystem:*:*:file-system/*``, or
  ``*``), never specific resources; ``conditions`` narrow either;
- ``iam_role_arn`` names the role in each account through ``$account``;
- keys are treated case-insensitively (effective policies show them lowercased), so the ids
  this module makes up are unique whatever their case.

A policy holds at most 10,000 characters (Organizations quotas,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html), so it
is written minified. A strategy whose plans together exceed that is split into one policy per
plan, the best practice the syntax page states ("one backup plan per policy"); a plan that alone
exceeds it is refused with its size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vaultplan.aws import organizations
from vaultplan.aws.arns import partition_of
from vaultplan.aws.backup_role import S3_TYPE
from vaultplan.aws.plan_options import MALWARE_SCANNERS
from vaultplan.aws.selection import RESOURCE_TAG_PREFIX
from vaultplan.errors import InputError
from vaultplan.org.options import OrgOptions
from vaultplan.spec.copy import CopyAction, parse_vault_arn
from vaultplan.spec.plan_options import PlanOptions
from vaultplan.spec.rules import RulePreset
from vaultplan.spec.selection import SelectionOptions, TagCondition
from vaultplan.spec.strategy import StrategySpec, derived_names
from vaultplan.spec.vault import KMS_AWS_MANAGED, KMS_CREATE

__all__ = [
    "BackupPolicy",
    "MemberNames",
    "PlanView",
    "backup_policies",
    "backup_policy",
    "check_organization",
    "member_names",
    "minified",
    "organization_problems",
    "split_policies",
    "strategy_plans",
]

_SCANNER = MALWARE_SCANNERS[0]
_TAG_EXAMPLE = 'selection.conditions.string_equals = { backup = "true" }'
# A resource-type pattern: every part between the service and the resource is * or empty,
# and the resource is *, <type>/* or <type>:* (arn:aws:ec2:*:*:volume/*, arn:aws:s3:::*).
_TYPE_PATTERN = re.compile(
    r"^arn:(?P<partition>[^:]+):[a-z0-9-]+:\*?:\*?:(?:[A-Za-z0-9-]+[/:])?\*$"
)


@dataclass(frozen=True, kw_only=True)
class PlanView:
    """One backup plan of a strategy, as the policy reads it."""

    name: str
    """The plan's name: its key under ``plans``."""
    rules: tuple[RulePreset, ...]
    selection: SelectionOptions
    plan_options: PlanOptions = field(default_factory=PlanOptions)
    selection_name: str
    """The name of the plan's selection (its key under ``tags`` or ``resources``)."""


def strategy_plans(spec: StrategySpec) -> tuple[PlanView, ...]:
    """The plans of ``spec`` (:attr:`StrategySpec.plans`, the top-level one first), each
    under its AWS name: the one read of them, so the policy follows the strategy."""
    site = spec.site_name
    return tuple(
        PlanView(
            name=plan.full_name(site),
            rules=plan.rules,
            selection=plan.selection,
            plan_options=plan.plan_options,
            selection_name=f"{site}{plan.selection_base}",
        )
        for plan in spec.plans
    )


@dataclass(frozen=True)
class MemberNames:
    """What each member account must hold, as the policy names it."""

    vault: str
    """The backup vault, in every Region of the policy (``target_backup_vault_name``)."""
    role: str
    """The role AWS Backup assumes (``iam_role_arn``)."""
    scanner_role: str | None
    """The role GuardDuty assumes to scan recovery points; None without malware scanning."""

    def role_arn(self, partition: str, name: str | None = None) -> str:
        """``arn:<partition>:iam::$account:role/<name>``: the role in each account."""
        return f"arn:{partition}:iam::{organizations.ACCOUNT_VARIABLE}:role/{name or self.role}"


def member_names(spec: StrategySpec) -> MemberNames:
    """The vault and roles the policy names, which the member-account stack creates: the
    site's vault, ``<site>-backup-role`` and ``<site>-backup-scanner``."""
    scanning = any(plan.plan_options.malware_scanning for plan in strategy_plans(spec))
    return MemberNames(
        vault=derived_names(spec.site_name)["vault"],
        role=f"{spec.site_name}-backup-role",
        scanner_role=f"{spec.site_name}-backup-scanner" if scanning else None,
    )


def _assign(value: object) -> dict[str, object]:
    return {"@@assign": value}


def _number(value: int) -> dict[str, object]:
    return _assign(str(value))


def _ids(names: Iterable[str]) -> list[str]:
    """Ids for ``names``, unique without regard to case (AWS lowercases policy keys)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        base = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "tag"
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}_{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def _tags(tags: Mapping[str, str]) -> dict[str, object]:
    """``{"<id>": {"tag_key": ..., "tag_value": ...}}``, as recovery_point_tags and
    backup_plan_tags take them."""
    return {
        tag_id: {"tag_key": _assign(key), "tag_value": _assign(value)}
        for tag_id, (key, value) in zip(_ids(tags), tags.items(), strict=True)
    }


def _lifecycle(cold: int | None, delete: int | None, archive: bool) -> dict[str, object]:
    out: dict[str, object] = {}
    if cold is not None:
        out["move_to_cold_storage_after_days"] = _number(cold)
    if delete is not None:
        out["delete_after_days"] = _number(delete)
    if archive:
        out["opt_in_to_archive_for_supported_resources"] = _assign(True)
    return out


def _copy_arn(action: CopyAction, home_account: str | None) -> str:
    """The destination ARN, with ``$account`` for a copy into the home account's own vault
    (each account then copies into its own vault there)."""
    arn = action.destination_vault_arn
    parts = parse_vault_arn(arn)
    if parts is not None and home_account is not None and parts.account == home_account:
        return (
            f"arn:{parts.partition}:backup:{parts.region}:{organizations.ACCOUNT_VARIABLE}:"
            f"backup-vault:{parts.name}"
        )
    return arn


def _rule(rule: RulePreset, vault: str, home_account: str | None) -> dict[str, object]:
    out: dict[str, object] = {
        "schedule_expression": _assign(rule.schedule),
        "target_backup_vault_name": _assign(vault),
    }
    if rule.start_window_minutes is not None:
        out["start_backup_window_minutes"] = _number(rule.start_window_minutes)
    if rule.completion_window_minutes is not None:
        out["complete_backup_window_minutes"] = _number(rule.completion_window_minutes)
    if rule.continuous_backup:
        out["enable_continuous_backup"] = _assign(True)
    lifecycle = _lifecycle(
        rule.move_to_cold_storage_after_days, rule.delete_after_days, rule.archive
    )
    if lifecycle:
        out["lifecycle"] = lifecycle
    copies: dict[str, object] = {}
    for action in rule.copy_actions:
        arn = _copy_arn(action, home_account)
        copy: dict[str, object] = {"target_backup_vault_arn": _assign(arn)}
        copy_lifecycle = _lifecycle(
            action.move_to_cold_storage_after_days, action.delete_after_days, action.archive
        )
        if copy_lifecycle:
            copy["lifecycle"] = copy_lifecycle
        copies[arn] = copy
    if copies:
        out["copy_actions"] = copies
    if rule.recovery_point_tags:
        out["recovery_point_tags"] = _tags(rule.recovery_point_tags)
    if rule.index_resource_types:
        out["index_actions"] = {"resource_types": _assign(list(rule.index_resource_types))}
    if rule.malware_scan_mode is not None:
        out["scan_actions"] = {_SCANNER: {"scan_mode": _assign(rule.malware_scan_mode)}}
    return out


def _conditions(conditions: Sequence[TagCondition]) -> dict[str, object]:
    """``{"string_equals": {"<id>": {"condition_key": ..., "condition_value": ...}}}``."""
    out: dict[str, dict[str, object]] = {}
    ids = _ids(f"{c.operator}_{c.key.removeprefix(RESOURCE_TAG_PREFIX)}" for c in conditions)
    for cond_id, cond in zip(ids, conditions, strict=True):
        out.setdefault(cond.operator, {})[cond_id] = {
            "condition_key": _assign(cond.condition_key),
            "condition_value": _assign(cond.value),
        }
    return dict(out)


def _selections(plan: PlanView, role_arn: str) -> dict[str, object]:
    """The plan's selection: ``tags`` when it is one tag's value alone, else ``resources``
    (the patterns, or ``*``) with every condition (AND'ed with them, as in a backup plan)."""
    options = plan.selection
    conditions = options.conditions
    if (
        not options.arns
        and not options.exclude_arns
        and len(conditions) == 1
        and conditions[0].operator == "string_equals"
    ):
        (only,) = conditions
        return {
            "tags": {
                plan.selection_name: {
                    "iam_role_arn": _assign(role_arn),
                    "tag_key": _assign(only.key.removeprefix(RESOURCE_TAG_PREFIX)),
                    "tag_value": _assign([only.value]),
                }
            }
        }
    body: dict[str, object] = {
        "iam_role_arn": _assign(role_arn),
        "resource_types": _assign(list(options.arns) or ["*"]),
    }
    if options.exclude_arns:
        body["not_resource_types"] = _assign(list(options.exclude_arns))
    if conditions:
        body["conditions"] = _conditions(conditions)
    return {"resources": {plan.selection_name: body}}


def _advanced(options: PlanOptions) -> dict[str, object]:
    out: dict[str, object] = {}
    if options.windows_vss is not None:
        out["ec2"] = {"windows_vss": _assign(options.windows_vss)}
    s3 = {
        key: _assign(value)
        for key, value in (
            ("backup_acls", options.s3_backup_acls),
            ("backup_object_tags", options.s3_backup_object_tags),
        )
        if value is not None
    }
    if s3:
        out[S3_TYPE.lower()] = s3
    return out


def _plan(
    plan: PlanView, spec: StrategySpec, org: OrgOptions, names: MemberNames
) -> dict[str, object]:
    partition = org.partition
    out: dict[str, object] = {
        "regions": _assign(list(org.regions)),
        "rules": {
            rule.full_name(spec.site_name): _rule(rule, names.vault, spec.account)
            for rule in plan.rules
        },
        "selections": _selections(plan, names.role_arn(partition)),
    }
    advanced = _advanced(plan.plan_options)
    if advanced:
        out["advanced_backup_settings"] = advanced
    if org.plan_tags:
        out["backup_plan_tags"] = _tags(org.plan_tags)
    scanning = plan.plan_options.malware_scanning
    if scanning is not None:
        out["scan_settings"] = {
            _SCANNER: {
                "resource_types": _assign(list(scanning.resource_types)),
                "scanner_role_arn": _assign(names.role_arn(partition, names.scanner_role)),
            }
        }
    return out


def _selection_problems(plan: PlanView, partition: str) -> list[str]:
    problems: list[str] = []
    for key, values, instead in (
        ("arns", plan.selection.arns, _TAG_EXAMPLE),
        (
            "exclude_arns",
            plan.selection.exclude_arns,
            'selection.conditions.string_not_equals = { backup = "false" }',
        ),
    ):
        for i, arn in enumerate(values):
            match = _TYPE_PATTERN.fullmatch(arn)
            if arn != "*" and match is None:
                problems.append(
                    f"selection.{key}[{i}]: got {arn!r}; a backup policy can't name specific "
                    "resources (each account has its own), only resource-type patterns such "
                    f"as 'arn:{partition}:elasticfilesystem:*:*:file-system/*' or '*': tag "
                    f"the resources and select them by tag instead, e.g. {instead}"
                )
            elif match is not None and match["partition"] != partition:
                problems.append(
                    f"selection.{key}[{i}]: got {arn!r}; org.regions are in the partition "
                    f"{partition!r}: write arn:{partition}:..."
                )
    return problems


def _rule_problems(plan: PlanView) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, rule in enumerate(plan.rules):
        other = seen.setdefault(rule.name.lower(), i)
        if other != i:
            problems.append(
                f"rules[{i}].name: got {rule.name!r}, and rules[{other}] is "
                f"{plan.rules[other].name!r}; a backup policy's keys are read without regard "
                "to case, so the two rules would be one: rename one"
            )
        if rule.schedule_timezone is not None:
            problems.append(
                f"rules[{i}].schedule_timezone: got {rule.schedule_timezone!r}; a backup "
                "policy's schedules are in UTC (it has no time-zone element): write the cron "
                "in UTC and remove schedule_timezone"
            )
        for j, action in enumerate(rule.copy_actions):
            if action.to_air_gapped:
                problems.append(
                    f"rules[{i}].copy_actions[{j}].destination: got {action.destination!r}; "
                    "the member-account stack makes no logically air-gapped vault: copy to a "
                    "vault by destination_vault_arn"
                )
    return problems


def organization_problems(spec: StrategySpec, org: OrgOptions) -> list[str]:
    """What of ``spec`` a backup policy (or its member-account stack) can't express, each
    one line naming the field and the value, and saying what to write instead."""
    problems: list[str] = []
    for i, fs in enumerate(spec.file_systems):
        problems.append(
            f"{spec.file_systems_key}[{i}]: got {fs!r}; a backup policy can't name a file "
            "system (each account has its own): tag the file systems and select them by tag, "
            f'e.g. selection.arns = ["arn:{org.partition}:elasticfilesystem:*:*:file-system/*"] '
            f"with {_TAG_EXAMPLE}"
        )
    if spec.created_file_systems:
        problems.append(
            "file_system.create: got true; a backup policy can't create a file system or name "
            "the one this stack would create: set file_system.create = false and select the "
            f"accounts' resources by tag, e.g. {_TAG_EXAMPLE}"
        )
    for plan in strategy_plans(spec):
        problems += _selection_problems(plan, org.partition)
        problems += _rule_problems(plan)
        scanning = plan.plan_options.malware_scanning
        if scanning is not None and scanning.scanner_role_arn is not None:
            problems.append(
                f"plan.malware_scanning.scanner_role_arn: got {scanning.scanner_role_arn!r}; a "
                "backup policy names the scanner role in each account ($account): remove it, "
                "and the member-account stack creates the role"
            )
    vault = spec.vault
    if vault.existing is not None:
        problems.append(
            f"vault.existing: got {vault.existing!r}; the member-account stack creates the "
            "vault the policy names in each account: remove vault.existing"
        )
    if vault.air_gapped is not None:
        problems.append(
            "vault.air_gapped: got a table; the member-account stack makes no logically "
            "air-gapped vault: remove [vault.air_gapped]"
        )
    if vault.kms_key not in (KMS_CREATE, KMS_AWS_MANAGED):
        problems.append(
            f"vault.kms_key: got {vault.kms_key!r}; a key ARN names one account's key, and "
            "each account's vault needs its own: use 'create' (a new key in each account) or "
            "'aws-managed'"
        )
    for i, region in enumerate(org.regions):
        if partition_of(region) is None:
            problems.append(f"org.regions[{i}]: got {region!r}; its partition is not known")
    return problems


def check_organization(
    spec: StrategySpec, org: OrgOptions | None, *, option: str = "org"
) -> OrgOptions:
    """``org`` when it is set and ``spec`` is a strategy a backup policy can express; else an
    :class:`~vaultplan.errors.InputError` naming the first problem (``option`` names where the
    missing ``[org]`` was asked for: ``org``, ``--org``)."""
    if org is None:
        raise InputError(
            f"{option}: no [org] section in the config; add one with the Regions of the "
            'policy and its targets, e.g. [org] regions = ["us-east-1"] target_ids = '
            '["ou-ab12-11111111"]'
        )
    problems = organization_problems(spec, org)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{problems[0]}{more}")
    return org


def minified(content: Mapping[str, Any]) -> str:
    """The policy text as it is saved: no whitespace (it counts toward the 10,000)."""
    return json.dumps(content, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class BackupPolicy:
    """One ``BACKUP_POLICY`` to create in the management account."""

    name: str
    """The policy's name (``AWS::Organizations::Policy`` ``Name``)."""
    description: str
    content: dict[str, Any]
    """``{"plans": {...}}``: the policy document, as a JSON object."""

    @property
    def text(self) -> str:
        """The minified document."""
        return minified(self.content)

    @property
    def size(self) -> int:
        """Its length in characters, as Organizations counts it."""
        return len(self.text)


def backup_policy(spec: StrategySpec, org: OrgOptions) -> dict[str, Any]:
    """``spec`` as one backup policy document, every plan in it, whatever its size.

    A strategy the policy can't express (see :func:`organization_problems`) raises an
    :class:`~vaultplan.errors.InputError` naming the first problem.
    """
    check_organization(spec, org)
    names = member_names(spec)
    return {"plans": {plan.name: _plan(plan, spec, org, names) for plan in strategy_plans(spec)}}


def split_policies(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``content`` when it fits in 10,000 characters, else one document per plan.

    A plan that alone exceeds the limit raises an :class:`~vaultplan.errors.InputError` with
    its size.
    """
    if len(minified(content)) <= organizations.POLICY_MAX_CHARS:
        return [dict(content)]
    parts = [{"plans": {name: plan}} for name, plan in content["plans"].items()]
    for part in parts:
        size = len(minified(part))
        if size > organizations.POLICY_MAX_CHARS:
            (name,) = part["plans"]
            raise InputError(
                f"policy: the plan {name} alone is {size:,} characters as a backup policy, "
                f"over AWS Organizations' limit of {organizations.POLICY_MAX_CHARS:,} per "
                "policy; use fewer rules, copy actions, tags or conditions"
            )
    return parts


def backup_policies(spec: StrategySpec, org: OrgOptions) -> tuple[BackupPolicy, ...]:
    """The policies to create: one, or one per plan when together they exceed 10,000
    characters (named ``<policy_name>-<PlanName>`` then)."""
    parts = split_policies(backup_policy(spec, org))
    base = org.policy_name or f"{spec.site_name}-backup-policy"
    out: list[BackupPolicy] = []
    for part in parts:
        plans = list(part["plans"])
        name = base if len(parts) == 1 else f"{base}-{plans[0]}"[: organizations.POLICY_NAME_MAX]
        description = (
            org.description
            or (
                f"vaultplan: AWS Backup plan{'s' if len(plans) > 1 else ''} {', '.join(plans)} of "
                f"{spec.site_name}"
            )[: organizations.DESCRIPTION_MAX]
        )
        out.append(BackupPolicy(name, description, part))
    return tuple(out)
