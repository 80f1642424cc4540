"""What a config builds, as data: the summary ``vaultplan synth`` prints (table or JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from vaultplan.aws.backup_role import policy_short_name, role_policies
from vaultplan.config.assurance import AssuranceItem
from vaultplan.config.model import Config
from vaultplan.config.notes import synth_notes
from vaultplan.spec.copy import (
    cross_account_notes,
    destination_stacks,
    destination_vault_policy,
)
from vaultplan.spec.rules import RulePreset
from vaultplan.spec.selection import (
    CONDITION_OPERATORS,
    SelectionOptions,
    selected_resource_types,
    selection_names,
    split_resources,
)
from vaultplan.spec.vault import describe_notifications, describe_vault

__all__ = ["CrossAccountCopy", "RuleSummary", "StrategySummary", "summarize"]

NEW_FILE_SYSTEM = "a new encrypted EFS file system (FileSystem) in a new VPC (Vpc)"


def role_text(resource_types: frozenset[str]) -> str:
    """The created role in words: its trust and the managed policies the selection needs."""
    names = ", ".join(policy_short_name(p) for p in role_policies(resource_types))
    return f"assumed by backup.amazonaws.com; AWS managed policies {names}"


@dataclass(frozen=True, kw_only=True)
class RuleSummary:
    """One rule of the plan, with its schedule in words and its lifecycle."""

    name: str
    schedule: str
    schedule_in_words: str
    timezone: str
    move_to_cold_storage_after_days: int | None
    delete_after_days: int | None
    lifecycle: str
    start_window_minutes: int | None
    completion_window_minutes: int | None
    continuous_backup: bool
    recovery_point_tags: dict[str, str]
    copy_actions: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, rule: RulePreset, site_name: str) -> RuleSummary:
        return cls(
            name=rule.full_name(site_name),
            schedule=rule.schedule,
            schedule_in_words=rule.describe_schedule(),
            timezone=rule.schedule_timezone or "UTC",
            move_to_cold_storage_after_days=rule.move_to_cold_storage_after_days,
            delete_after_days=rule.delete_after_days,
            lifecycle=rule.describe_lifecycle(),
            start_window_minutes=rule.start_window_minutes,
            completion_window_minutes=rule.completion_window_minutes,
            continuous_backup=rule.continuous_backup,
            recovery_point_tags=dict(rule.recovery_point_tags),
            copy_actions=tuple(
                {**asdict(action), "in_words": action.describe()} for action in rule.copy_actions
            ),
        )


@dataclass(frozen=True, kw_only=True)
class CrossAccountCopy:
    """A copy destination in another account, and the access policy its vault needs."""

    destination_vault_arn: str
    destination_account: str
    source_account: str | None
    """The stack's account; None for an environment-agnostic stack (the policy then holds a
    placeholder to replace)."""
    access_policy: dict[str, Any]
    notes: tuple[str, ...]
    """What else the copy needs: the organization setting and the KMS keys."""
    destination_stack: str = ""
    """The stack ``vaultplan synth`` writes for the destination account
    (``<out>/<name>.template.json``), holding this vault with that policy."""


@dataclass(frozen=True, kw_only=True)
class StrategySummary:
    """The stack, vault, plan, rules, selection and role a config builds."""

    stack: str
    environment: str
    vault: str
    vault_removal_policy: str
    plan: str
    rules: tuple[RuleSummary, ...]
    selection: str
    resources: tuple[str, ...]
    role: str
    preset: str | None = None
    """The ``[plan] preset`` the rules come from; None when ``[[rules]]`` give them."""
    cross_account_copies: tuple[CrossAccountCopy, ...] = ()
    assurance: tuple[AssuranceItem, ...] = ()
    """Restore testing plan, framework and report plans (``[restore_testing]``, ``[audit]``)."""
    vault_details: tuple[str, ...] = ()
    """The vault's key, access policy and lock in words (``[vault]``)."""
    notifications: str = ""
    """The vault's notifications in words (``[notifications]``)."""
    notes: tuple[str, ...] = ()
    """What the template needs that synth can't give it, one line each (e.g. the Regions
    where a resource type of the stack doesn't exist)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``--format json``)."""
        return asdict(self)


_OPERATOR_WORDS = {
    "string_equals": "=",
    "string_like": "like",
    "string_not_equals": "!=",
    "string_not_like": "not like",
}


def _selection_lines(options: SelectionOptions, file_systems: int) -> tuple[str, ...]:
    """The ``[selection]`` table in words: ARNs (count and types), exclusions, conditions."""
    lines: list[str] = []
    if options.arns:
        types = ", ".join(sorted(selected_resource_types(0, options)))
        lines.append(f"{len(options.arns)} ARN(s) by selection.arns ({types})")
    elif not file_systems and options.conditions:
        lines.append("every resource type AWS Backup protects (Resources *)")
    if options.conditions:
        tags = " AND ".join(
            f"{c.key} {_OPERATOR_WORDS[c.operator]} {c.value}"
            for op in CONDITION_OPERATORS
            for c in options.conditions
            if c.operator == op
        )
        lines.append(f"only if tagged {tags}")
    if options.exclude_arns:
        lines.append(f"except {len(options.exclude_arns)} excluded ARN(s)")
    return tuple(lines)


def summarize(config: Config) -> StrategySummary:
    """The summary of what ``config`` builds; needs no CDK."""
    if config.account is None and config.region is None:
        environment = "environment-agnostic (any account and Region)"
    else:
        environment = f"account {config.account or 'any'}, Region {config.region or 'any'}"
    resources = ((NEW_FILE_SYSTEM,) if config.file_system.create else ()) + tuple(
        f"{fs_id} (existing)" for fs_id in config.file_system.ids
    )
    file_systems = int(config.file_system.create) + len(config.file_system.ids)
    resources += _selection_lines(config.selection, file_systems)
    parts = len(
        split_resources([*range(file_systems), *config.selection.arns], lambda a: "*" in str(a))
    )
    names = config.names
    from vaultplan.config.assurance import assurance_summary

    return StrategySummary(
        assurance=assurance_summary(config),
        stack=config.stack_name,
        environment=environment,
        vault=config.vault.existing or names["vault"],
        vault_removal_policy=config.vault.removal_policy,
        vault_details=describe_vault(config.vault, config.rules, config.site_name),
        notifications=describe_notifications(config.notifications),
        plan=names["plan"],
        rules=tuple(RuleSummary.of(rule, config.site_name) for rule in config.rules),
        selection=", ".join(selection_names(config.site_name, parts)),
        resources=resources,
        role=role_text(selected_resource_types(file_systems, config.selection))
        + (
            ""
            if config.permissions_boundary is None
            else f"; permissions boundary {config.permissions_boundary}"
        ),
        notes=synth_notes(config),
        preset=config.plan.preset,
        cross_account_copies=tuple(
            CrossAccountCopy(
                destination_vault_arn=arn,
                destination_account=stack.account,
                source_account=config.account,
                access_policy=destination_vault_policy(arn, config.account),
                notes=cross_account_notes(
                    config.vault.kms_key
                    if config.vault.existing is None
                    else f"of the existing vault {config.vault.existing}",
                    stack.account,
                ),
                destination_stack=stack.name,
            )
            for stack in destination_stacks(
                config.site_name,
                (action for rule in config.rules for action in rule.copy_actions),
                config.account,
            )
            for arn in stack.vault_arns
        ),
    )
