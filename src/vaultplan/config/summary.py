"""What a config builds, as data: the summary ``vaultplan synth`` prints (table or JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from vaultplan.aws.backup_role import policy_short_name, role_policies
from vaultplan.aws.plan_options import SCAN_ROLE_POLICY
from vaultplan.config.assurance import AssuranceItem
from vaultplan.config.loader import strategy_spec
from vaultplan.config.model import Config, PlanConfig
from vaultplan.config.notes import synth_notes
from vaultplan.spec.copy import (
    cross_account_notes,
    destination_stacks,
    destination_vault_policy,
)
from vaultplan.spec.drill import RestoreValidationOptions
from vaultplan.spec.plan_options import PlanOptions
from vaultplan.spec.plans import PlanSpec
from vaultplan.spec.rules import RulePreset
from vaultplan.spec.selection import CONDITION_OPERATORS, SelectionOptions, selected_resource_types
from vaultplan.spec.vault import describe_notifications, describe_vault

__all__ = ["CrossAccountCopy", "PlanSummary", "RuleSummary", "StrategySummary", "summarize"]

NEW_FILE_SYSTEM = "a new encrypted EFS file system (FileSystem) in a new VPC (Vpc)"


def role_text(resource_types: frozenset[str], *, scans: bool = False) -> str:
    """The created role in words: its trust and the managed policies the selections need
    (``scans``: a plan scans for malware, so AWS Backup's scan policy too)."""
    policies = [*role_policies(resource_types), *([SCAN_ROLE_POLICY] if scans else [])]
    names = ", ".join(policy_short_name(p) for p in policies)
    return f"assumed by backup.amazonaws.com; AWS managed policies {names}"


def rule_options_text(rule: RulePreset) -> tuple[str, ...]:
    """A rule's archive, index and scan settings in words (empty: none set)."""
    words: list[str] = []
    if rule.archive:
        words.append("EBS snapshots move to the archive tier when they go cold")
    if rule.index_resource_types:
        words.append(f"indexed for backup search ({', '.join(rule.index_resource_types)})")
    if rule.malware_scan_mode is not None:
        words.append(f"GuardDuty malware scan ({rule.malware_scan_mode})")
    return tuple(words)


def plan_options_text(options: PlanOptions) -> tuple[str, ...]:
    """A plan's advanced backup settings and malware scanning in words (empty: none set)."""
    words = [
        f"{what} {value}"
        for what, value in (
            ("Windows VSS backups of EC2 instances", options.windows_vss),
            ("S3 object ACLs in backups", options.s3_backup_acls),
            ("S3 object tags in backups", options.s3_backup_object_tags),
        )
        if value is not None
    ]
    scanning = options.malware_scanning
    if scanning is not None:
        role = scanning.scanner_role_arn or "a new role (ScannerRole)"
        words.append(
            f"GuardDuty scans {', '.join(scanning.resource_types)} recovery points with {role}"
        )
    return tuple(words)


def drill_text(validation: RestoreValidationOptions) -> str:
    """What the restore drill checks in each restored file system, in words."""
    checks = [f"at least {validation.min_file_count} file(s)"]
    if validation.min_total_bytes:
        checks.append(f"at least {validation.min_total_bytes:,} bytes")
    if validation.expect_paths:
        checks.append(f"paths {', '.join(validation.expect_paths)}")
    if validation.checksum_manifest is not None:
        checks.append(f"the checksums of {validation.checksum_manifest}")
    where = validation.vpc_id or "the new file system's VPC"
    return (
        "after each restore test, a Lambda function in "
        f"{where} mounts the restored file system and checks {', '.join(checks)}, then "
        "reports SUCCESSFUL or FAILED on the restore job (PutRestoreValidationResult)"
    )


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
    options: tuple[str, ...] = ()
    """The rule's archive, index and scan settings in words."""

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
            options=rule_options_text(rule),
        )


@dataclass(frozen=True, kw_only=True)
class PlanSummary:
    """One backup plan: its name, rules, selection and plan-wide settings."""

    name: str
    preset: str | None
    """The preset its rules come from; None when rule tables give them."""
    rules: tuple[RuleSummary, ...]
    selection: str
    """Its selections' names, comma-separated."""
    resources: tuple[str, ...]
    """What its selections pick, in words."""
    options: tuple[str, ...] = ()
    """Its advanced backup settings and malware scanning, in words."""


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


_FIRST_PLAN_KEYS = (
    ("plan", "name"),
    ("preset", "preset"),
    ("rules", "rules"),
    ("selection", "selection"),
    ("resources", "resources"),
    ("plan_options", "options"),
)
"""The first plan's fields in :class:`StrategySummary` (its JSON keeps them at the top) and
the :class:`PlanSummary` field each one is."""


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
    plan_options: tuple[str, ...] = ()
    """The first plan's advanced backup settings and malware scanning, in words."""
    plans: tuple[PlanSummary, ...] = ()
    """The plans beside the first (the fields above), one per ``[[plans]]`` table."""

    @property
    def first_plan(self) -> PlanSummary:
        """The first plan (:attr:`plan`, :attr:`rules`, :attr:`selection`...) as a plan."""
        return PlanSummary(**{field: getattr(self, key) for key, field in _FIRST_PLAN_KEYS})

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


def _plan_summary(
    plan: PlanSpec, site_name: str, source: PlanConfig, file_systems: tuple[str, ...] = ()
) -> PlanSummary:
    """``plan`` in words; ``file_systems`` are the lines for the EFS file systems it selects."""
    return PlanSummary(
        name=plan.full_name(site_name),
        preset=source.preset,
        rules=tuple(RuleSummary.of(rule, site_name) for rule in plan.rules),
        selection=", ".join(plan.selection_names(site_name, plan.selection_count())),
        resources=file_systems + _selection_lines(plan.selection, plan.file_system_count),
        options=plan_options_text(plan.plan_options),
    )


def summarize(config: Config) -> StrategySummary:
    """The summary of what ``config`` builds; needs no CDK."""
    if config.account is None and config.region is None:
        environment = "environment-agnostic (any account and Region)"
    else:
        environment = f"account {config.account or 'any'}, Region {config.region or 'any'}"
    file_systems = ((NEW_FILE_SYSTEM,) if config.file_system.create else ()) + tuple(
        f"{fs_id} (existing)" for fs_id in config.file_system.ids
    )
    spec = strategy_spec(config)
    first, *more = spec.plans
    top = _plan_summary(first, config.site_name, config.plan, file_systems)
    plans = tuple(
        _plan_summary(plan, config.site_name, source)
        for plan, source in zip(more, config.plan_sources, strict=True)
    )
    scans = any(plan.plan_options.malware_scanning is not None for plan in spec.plans)
    from vaultplan.config.assurance import assurance_summary

    assurance = assurance_summary(config)
    rt = config.restore_testing
    if rt is not None and rt.validation is not None:
        assurance += (
            AssuranceItem(
                element="Restore drill", name="(generated)", details=drill_text(rt.validation)
            ),
        )
    return StrategySummary(
        assurance=assurance,
        stack=config.stack_name,
        environment=environment,
        vault=config.vault.existing or config.names["vault"],
        vault_removal_policy=config.vault.removal_policy,
        vault_details=describe_vault(config.vault, config.all_rules, config.site_name),
        notifications=describe_notifications(config.notifications),
        **{key: getattr(top, field) for key, field in _FIRST_PLAN_KEYS},
        plans=plans,
        role=role_text(spec.selected_resource_types(), scans=scans)
        + (
            ""
            if config.permissions_boundary is None
            else f"; permissions boundary {config.permissions_boundary} (on every role the "
            "stack creates)"
        ),
        notes=synth_notes(config),
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
                (action for rule in config.all_rules for action in rule.copy_actions),
                config.account,
            )
            for arn in stack.vault_arns
        ),
    )
