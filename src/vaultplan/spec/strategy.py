"""The whole strategy as plain data (:class:`StrategySpec`), and the one function that checks it.

The config loader and ``BackupStrategy`` both build a :class:`StrategySpec` and call
:func:`strategy_problems`, so every rule that spans several parts of a strategy (the names
derived from ``site_name``, the rules, the file systems, the selection, the vault, the
notifications, restore testing and audit) is written once, with one count of the file systems.

Pure functions over plain values (no CDK): the construct passes an ``unresolved`` predicate
(``Token.is_unresolved``) so values that are still tokens are skipped; the config passes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from vaultplan.aws import arns
from vaultplan.aws.names import plan_name, selection_name, vault_name
from vaultplan.spec.air_gapped import air_gapped_problems
from vaultplan.spec.assurance import (
    AuditOptions,
    RestoreTestingOptions,
    assurance_problems,
    efs_arns,
)
from vaultplan.spec.plan_options import PlanOptions
from vaultplan.spec.plans import (
    FIRST_PLAN_NAME,
    FIRST_SELECTION_NAME,
    PlanSpec,
    plan_problems,
    plans_problems,
)
from vaultplan.spec.role import role_problems
from vaultplan.spec.rules import RulePreset
from vaultplan.spec.selection import (
    NOTHING_SELECTED,
    SelectionOptions,
    created_file_system_problems,
)
from vaultplan.spec.vault import (
    NotificationOptions,
    VaultOptions,
    notification_problems,
    vault_problems,
)

__all__ = ["SHARED_PROPS", "StrategySpec", "derived_names", "strategy_problems"]

SHARED_PROPS = (
    "site_name",
    "rules",
    "vault",
    "notifications",
    "selection",
    "restore_testing",
    "audit",
    "plan_options",
    "permissions_boundary",
)
"""The fields :class:`StrategySpec`, ``BackupStrategy``'s props and the config's
:class:`~vaultplan.config.model.Config` name alike, each holding the same value."""


def _never(value: object) -> bool:
    return False


def derived_names(site_name: str) -> dict[str, str]:
    """The AWS names that derive from ``site_name``: vault, plan and selection."""
    return {
        "vault": site_name,
        "plan": f"{site_name}{FIRST_PLAN_NAME}",
        "selection": f"{site_name}{FIRST_SELECTION_NAME}",
    }


@dataclass(frozen=True, kw_only=True)
class StrategySpec:
    """A backup strategy as plain values: what :func:`strategy_problems` checks.

    The config loader builds one from ``vaultplan.toml``, ``BackupStrategy`` from its props.
    """

    site_name: str
    """Prefix of every AWS Backup name; the vault's own name."""
    rules: tuple[RulePreset, ...]
    """The first plan's rules (``[[rules]]`` or ``[plan] preset``)."""
    file_systems: tuple[str, ...] = ()
    """Existing EFS file systems, as given: ids (``fs-...``), ARNs, or the ARN token of a
    file system construct (skipped as unresolved)."""
    created_file_systems: int = 0
    """File systems the app creates, named by no id or ARN yet (the config's
    ``file_system.create``)."""
    file_systems_key: str = "file_systems"
    """The key that names :attr:`file_systems` in problems: ``file_systems`` (the construct's
    prop) or ``file_system.ids`` (the config's)."""
    nothing_selected: str = NOTHING_SELECTED
    """The problem reported when the strategy selects nothing, in its source's words."""
    vault: VaultOptions = field(default_factory=VaultOptions)
    notifications: NotificationOptions = field(default_factory=NotificationOptions)
    selection: SelectionOptions = field(default_factory=SelectionOptions)
    restore_testing: RestoreTestingOptions | None = None
    """None: no restore testing."""
    drill_vpc: bool = False
    """The strategy has a VPC for the restore drill (the new file system's, or the construct's
    ``drill_vpc``); without one the drill's network must be given by id."""
    audit: AuditOptions | None = None
    """None: no audit framework."""
    plan_options: PlanOptions = field(default_factory=PlanOptions)
    """The first plan's settings: malware scanning and advanced backup settings."""
    extra_plans: tuple[PlanSpec, ...] = ()
    """The plans after the first (``[[plans]]``; the construct's ``plans``), each with its own
    rules, selection and settings, backing up into the same vault with the same role."""
    permissions_boundary: str | None = None
    """ARN of the managed policy that bounds the created role's permissions (``[role]``)."""
    role_given: bool = False
    """The construct was given its own role (``role=``): nothing to put a boundary on."""
    region: str | None = None
    """The stack's Region, when known (None: environment-agnostic)."""
    account: str | None = None
    """The stack's account id, when known (None: environment-agnostic)."""

    @property
    def plans(self) -> tuple[PlanSpec, ...]:
        """Every plan of the strategy, never empty: the first (``<site>EFSBackupPlan``, from
        :attr:`rules`, :attr:`selection`, :attr:`plan_options` and the file systems), then
        :attr:`extra_plans`."""
        first = PlanSpec(
            name=FIRST_PLAN_NAME,
            rules=self.rules,
            selection=self.selection,
            plan_options=self.plan_options,
            file_systems=self.file_systems,
            created_file_systems=self.created_file_systems,
            selection_name=FIRST_SELECTION_NAME,
        )
        return (first, *self.extra_plans)

    @property
    def all_rules(self) -> tuple[RulePreset, ...]:
        """The rules of every plan, in order: all of them back up into the one vault, so its
        lock, the air-gapped vault and the copy destinations derive from them all."""
        return tuple(rule for plan in self.plans for rule in plan.rules)

    @property
    def file_system_count(self) -> int:
        """How many EFS file systems the strategy selects besides ``selection.arns`` (its first
        plan selects them)."""
        return self.plans[0].file_system_count

    @property
    def deletion_principals(self) -> tuple[str, ...]:
        """Who may delete recovery points: the break-glass ARNs, when the access policy is on."""
        return tuple(self.vault.break_glass_arns) if self.vault.access_policy else ()

    @property
    def backup_resource_types(self) -> frozenset[str]:
        """The ``AWS::Backup::*`` CloudFormation types the strategy deploys."""
        types = {"AWS::Backup::BackupVault", "AWS::Backup::BackupPlan"}
        types.add("AWS::Backup::BackupSelection")
        if self.restore_testing is not None:
            types |= {"AWS::Backup::RestoreTestingPlan", "AWS::Backup::RestoreTestingSelection"}
        if self.audit is not None:
            if self.audit.framework:
                types.add("AWS::Backup::Framework")
            if self.audit.report_bucket is not None and self.audit.report_templates:
                types.add("AWS::Backup::ReportPlan")
        return frozenset(types)

    def selected_resource_types(
        self, unresolved: Callable[[object], bool] = _never
    ) -> frozenset[str]:
        """AWS Backup's names of the resource types the selections of every plan may pick
        (``EFS``, ``RDS``...): what the one backup role must be able to back up.

        See :func:`~vaultplan.spec.selection.selected_resource_types`.
        """
        return frozenset().union(*(plan.selected_resource_types(unresolved) for plan in self.plans))


def strategy_problems(
    spec: StrategySpec, *, unresolved: Callable[[object], bool] = _never
) -> list[str]:
    """Every AWS Backup constraint ``spec`` breaks, each naming its field and the value got.

    Fields are named as the config names them (``site_name``, ``rules[1].schedule``,
    ``selection.arns[0]``...); values for which ``unresolved`` is true are not checked.
    """

    def known(value: str | None) -> str | None:
        return None if value is None or unresolved(value) else value

    region, account, site = known(spec.region), known(spec.account), known(spec.site_name)
    problems: list[str] = []
    if account is not None and not arns.ACCOUNT_RE.fullmatch(account):
        problems.append(f"account: got {account!r}; an AWS account id is 12 digits")
    if region is not None and not arns.REGION_RE.fullmatch(region):
        problems.append(f"region: got {region!r}; use an AWS Region code such as 'us-east-1'")
    problems += _name_problems(site)
    problems += plan_problems(
        spec.plans[0],
        site,
        file_systems_key=spec.file_systems_key,
        nothing=spec.nothing_selected,
        region=region,
        account=account,
        unresolved=unresolved,
    )
    if spec.created_file_systems:
        problems += created_file_system_problems(
            spec.selection, what="the new file system (file_system.create)"
        )
    rules = spec.all_rules
    problems += vault_problems(spec.vault, rules, region=region, unresolved=unresolved)
    if spec.vault.existing is None:
        problems += notification_problems(spec.notifications)
    else:
        problems += _existing_vault_notification_problems(spec)
    problems += air_gapped_problems(spec.vault.air_gapped, rules, site, home_vault=site)
    problems += role_problems(
        spec.permissions_boundary, role_given=spec.role_given, unresolved=unresolved
    )
    problems += assurance_problems(
        spec.restore_testing,
        spec.audit,
        site,
        spec.rules,
        file_system_count=spec.file_system_count + len(efs_arns(spec.selection.arns)),
        drill_vpc=spec.drill_vpc,
        deletion_principals=spec.deletion_principals,
        unresolved=unresolved,
    )
    problems += plans_problems(
        spec.extra_plans,
        site,
        first=spec.plans[0],
        region=region,
        account=account,
        unresolved=unresolved,
    )
    return problems


def _existing_vault_notification_problems(spec: StrategySpec) -> list[str]:
    """With an existing vault, the stack sets no notifications: refuse any it was asked for."""
    if spec.notifications in (NotificationOptions(), NotificationOptions(enabled=False)):
        return []
    return [
        f"notifications: got settings with vault.existing = {spec.vault.existing!r}; the "
        "existing vault keeps its own notifications (this stack can't set them): remove "
        "[notifications]"
    ]


def _name_problems(site: str | None) -> list[str]:
    """The vault, plan and selection names derived from ``site`` (None: a token)."""
    if site is None:
        return []
    problems = vault_name(site, "site_name")
    if problems:
        return problems
    names = derived_names(site)
    for what, check in (
        ("plan", plan_name),
        ("selection", selection_name),
    ):
        problems += [
            f"{p} (the {what} name is site_name + a suffix; shorten site_name)"
            for p in check(names[what], f"site_name ({what} name)")
        ]
    return problems
