"""One backup plan of a strategy as plain data (:class:`PlanSpec`), and the checks of one plan.

A strategy has one or more plans, all backing up into its vault with its role: the first is
today's single plan (``[plan]``, ``[[rules]]`` and ``[selection]`` at the top of
``vaultplan.toml``; ``BackupStrategy(rules=..., selection=..., plan_options=...)``), named
``<site>EFSBackupPlan``; each ``[[plans]]`` table (``BackupStrategy(plans=[PlanSpec(...)])``)
adds one beside it, named ``<site><name>``, with its own rules, selection and plan-wide
settings. This is what the CDK L2 does with several ``BackupPlan`` constructs, each with its
``add_selection``.

A :class:`PlanSpec` holds everything its ``AWS::Backup::BackupPlan`` and selections need: its
name, its rules (with their copies, lifecycle, archive, index and scan settings), its
selection, and its plan-wide settings (advanced backup settings, malware scanning). The checks
of one plan are :func:`plan_problems`; :func:`~vaultplan.spec.strategy.strategy_problems` runs
them for every plan, and checks what spans plans (unique names). No ``aws_cdk`` here.

Plan names: ``BackupPlanName`` is 1-50 letters, digits or ``-_.`` (botocore's backup model,
``BackupPlanInput``; https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupPlanInput.html).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vaultplan.aws import arns, names
from vaultplan.aws.plan_rules import plan_rule_count
from vaultplan.aws.resource_types import has_wildcard
from vaultplan.spec.plan_options import PlanOptions, plan_options_problems
from vaultplan.spec.rules import RULE_KEYS, RulePreset, rule_problems
from vaultplan.spec.selection import (
    NOTHING_SELECTED,
    SelectionOptions,
    selected_resource_types,
    selection_names,
    selection_problems,
    split_resources,
)

__all__ = [
    "FIRST_PLAN_NAME",
    "FIRST_SELECTION_NAME",
    "PLAN_TABLE_KEYS",
    "PlanSpec",
    "plan_field",
    "plan_problems",
    "plans_problems",
]

FIRST_PLAN_NAME = "EFSBackupPlan"
"""The first plan's name after the site prefix: ``<site>EFSBackupPlan``."""
FIRST_SELECTION_NAME = "EFS"
"""The first plan's selection name after the site prefix: ``<site>EFS``, ``<site>EFS-2``..."""
PLAN_TABLE_KEYS = ("name", "rules", "selection")
"""The keys of a ``[[plans]]`` table besides those of ``[plan]``."""


def _never(value: object) -> bool:
    return False


def plan_field(index: int | None) -> str:
    """The config's prefix of a plan's keys: ``""`` for the first plan (``rules[0]``,
    ``selection.arns``), ``plans[1].`` for the second ``[[plans]]`` table."""
    return "" if index is None else f"plans[{index}]."


@dataclass(frozen=True, kw_only=True)
class PlanSpec:
    """One backup plan: its name, rules, selection and plan-wide settings.

    ``PlanSpec(name="Databases", rules=BackupRules.daily35(), selection=SelectionOptions(
    arns=("arn:aws:rds:eu-west-1:111111111111:db:shop",)))`` is a plan named
    ``<site>Databases`` whose selection ``<site>Databases`` picks that database.
    """

    name: str
    """The plan's name after the site prefix: its AWS name is ``<site_name><name>``."""
    rules: tuple[RulePreset, ...]
    """The plan's rules (1 to 10)."""
    selection: SelectionOptions = field(default_factory=SelectionOptions)
    """What the plan backs up besides :attr:`file_systems`: ARNs, exclusions, tag conditions."""
    plan_options: PlanOptions = field(default_factory=PlanOptions)
    """Plan-wide settings: advanced backup settings (Windows VSS, S3) and malware scanning."""
    file_systems: tuple[str, ...] = ()
    """EFS file systems the plan selects besides ``selection.arns``: ids, ARNs or ARN tokens
    (the strategy's ``file_systems``, for the first plan only)."""
    created_file_systems: int = 0
    """File systems the app creates that the plan selects, named by no id or ARN yet."""
    selection_name: str | None = None
    """The selection's name after the site prefix (split parts add ``-2``, ``-3``...).
    Default: :attr:`name`."""

    def __post_init__(self) -> None:
        # Accept any sequence from callers, as RulePreset does.
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "file_systems", tuple(self.file_systems))

    def full_name(self, site_name: str) -> str:
        """The plan's AWS name (``BackupPlanName``): the site prefix, then :attr:`name`."""
        return f"{site_name}{self.name}"

    @property
    def file_system_count(self) -> int:
        """How many EFS file systems the plan selects besides ``selection.arns``."""
        return self.created_file_systems + len(self.file_systems)

    @property
    def resource_count(self) -> int:
        """How many ARNs the plan's selections list (file systems first, then the ARNs)."""
        return self.file_system_count + len(self.selection.arns)

    @property
    def selection_base(self) -> str:
        """The selections' name after the site prefix: :attr:`selection_name`, else the plan's."""
        return self.name if self.selection_name is None else self.selection_name

    def selection_names(self, site_name: str, count: int) -> list[str]:
        """The names of the plan's ``count`` selections: ``<site><selection>``, then ``-2``..."""
        return selection_names(site_name, count, base=self.selection_base)

    def selection_count(self, unresolved: Callable[[object], bool] = _never) -> int:
        """How many selections the plan's ARNs are split into (see ``split_resources``)."""
        items = [*range(self.file_system_count), *self.selection.arns]
        return len(split_resources(items, _wildcard(unresolved)))

    def selected_resource_types(
        self, unresolved: Callable[[object], bool] = _never
    ) -> frozenset[str]:
        """AWS Backup's names of the resource types the plan's selections may pick."""
        return selected_resource_types(
            self.file_system_count, self.selection, unresolved=unresolved
        )


def _wildcard(unresolved: Callable[[object], bool]) -> Callable[[object], bool]:
    def wild(item: object) -> bool:
        return isinstance(item, str) and not unresolved(item) and has_wildcard(item)

    return wild


def plan_problems(
    plan: PlanSpec,
    site: str | None,
    *,
    index: int | None = None,
    file_systems_key: str = "file_systems",
    nothing: str = NOTHING_SELECTED,
    region: str | None = None,
    account: str | None = None,
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """Every AWS Backup constraint one plan breaks, each naming its config key and value.

    ``index`` is the plan's place in ``[[plans]]`` (None: the first, top-level plan), so keys
    read ``plans[1].rules[0].schedule``; ``site`` is None when it is an unresolved token.
    """
    prefix = plan_field(index)
    problems: list[str] = []
    if index is not None:
        problems += _name_problems(plan, site, prefix)
    selected = plan.selected_resource_types(unresolved)
    problems += _rules_problems(
        plan,
        site,
        prefix,
        unresolved,
        selects_efs="EFS" in selected,
        region=region,
        account=account,
    )
    problems += plan_options_problems(
        plan.plan_options,
        plan.rules,
        selected,
        field="plan" if index is None else f"plans[{index}]",
        rules_field=f"{prefix}rules",
        unresolved=unresolved,
    )
    for i, fs in enumerate(plan.file_systems):
        if not unresolved(fs):
            problems += arns.efs_reference(fs, f"{file_systems_key}[{i}]")
    # selection_problems names its keys selection.*: the plan's prefix goes in front.
    problems += [
        p if p == nothing else f"{prefix}{p}"
        for p in selection_problems(
            plan.selection,
            file_systems=plan.file_system_count,
            nothing=nothing,
            site_name=site if index is None else None,
            unresolved=unresolved,
        )
    ]
    return problems


def _name_problems(plan: PlanSpec, site: str | None, prefix: str) -> list[str]:
    """A ``[[plans]]`` plan's name, and its selections' names, as AWS accepts them."""
    if plan.name == "":
        return [f"{prefix}name: got ''; give the plan a name, e.g. 'Databases'"]
    if site is None:
        return names.plan_name(plan.name, f"{prefix}name")
    full = plan.full_name(site)
    problems = [
        f"{p} (the plan name is site_name + name: {full!r})"
        for p in names.plan_name(full, f"{prefix}name")
    ]
    if not problems:
        last = plan.selection_names(site, plan.selection_count())[-1]
        problems += [
            f"{p} (the selection name is site_name + name; shorten the name)"
            for p in names.selection_name(last, f"{prefix}name (selection name)")
        ]
    return problems


def _rules_problems(
    plan: PlanSpec,
    site: str | None,
    prefix: str,
    unresolved: Callable[[object], bool],
    *,
    selects_efs: bool,
    region: str | None,
    account: str | None,
) -> list[str]:
    """The rule count, each rule (see :func:`rule_problems`) and unique rule names."""
    problems = plan_rule_count(len(plan.rules), f"{prefix}rules")
    seen: dict[str, int] = {}
    for i, rule in enumerate(plan.rules):
        skip = frozenset(
            key
            for key in ("name", *RULE_KEYS)
            if getattr(rule, key) is not None and unresolved(getattr(rule, key))
        )
        problems += rule_problems(
            rule,
            site,
            f"{prefix}rules[{i}]",
            skip=skip,
            selects_efs=selects_efs,
            home_region=region,
            home_account=account,
            is_token=unresolved,
        )
        if "name" in skip:
            continue
        if rule.name in seen:
            problems.append(
                f"{prefix}rules[{i}].name: got {rule.name!r}; {prefix}rules[{seen[rule.name]}] "
                "has the same name, and rule names must be unique within a plan"
            )
        seen.setdefault(rule.name, i)
    return problems


def _continuous_problems(
    plans: Sequence[PlanSpec], unresolved: Callable[[object], bool]
) -> list[str]:
    """An exact ARN in the selections of two plans that both have a continuous rule.

    "If you include the same resource in more than one backup plan with a continuous backup
    rule, AWS Backup will only create a continuous backup for the first backup plan it
    evaluates" (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-overlapping.html):
    the other plan's rule silently gives snapshots instead. Patterns and tags can't be compared
    offline, so only ARNs listed in both are refused.
    """
    problems: list[str] = []
    seen: dict[str, str] = {}
    for index, plan in enumerate(plans):
        continuous = [i for i, rule in enumerate(plan.rules) if rule.continuous_backup]
        if not continuous:
            continue
        where = "the top-level plan" if index == 0 else f"plans[{index - 1}]"
        for arn in plan.selection.arns:
            if unresolved(arn) or has_wildcard(arn):
                continue
            if arn in seen and seen[arn] != where:
                problems.append(
                    f"{plan_field(None if index == 0 else index - 1)}rules[{continuous[0]}]."
                    f"continuous_backup: got true, and {arn!r} is in the selection of "
                    f"{seen[arn]} too, which has a continuous rule; AWS Backup keeps continuous "
                    "backup of a resource for one plan only and takes snapshots for the other: "
                    "keep one plan with a continuous rule for it"
                )
            seen.setdefault(arn, where)
    return problems


def plans_problems(
    plans: Sequence[PlanSpec],
    site: str | None,
    *,
    first: PlanSpec | None = None,
    region: str | None = None,
    account: str | None = None,
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """The problems of the plans after ``first`` (``[[plans]]``), their unique names, and a
    resource two plans back up continuously.

    Each plan must select something of its own: it has no file systems, so it needs
    ``selection.arns`` or ``selection.conditions``.
    """
    problems: list[str] = []
    if first is not None and plans:
        problems += _continuous_problems([first, *plans], unresolved)
    seen = {FIRST_PLAN_NAME: "the strategy's first plan (site_name + 'EFSBackupPlan')"}
    for k, plan in enumerate(plans):
        prefix = plan_field(k)
        if plan.name in seen and not unresolved(plan.name):
            problems.append(
                f"{prefix}name: got {plan.name!r}, the name of {seen[plan.name]}; plan names "
                "must be unique within the strategy: give each [[plans]] table its own name"
            )
        seen.setdefault(plan.name, f"plans[{k}]")
        problems += plan_problems(
            plan,
            site,
            index=k,
            nothing=(
                f"{prefix}selection: got nothing to select; a [[plans]] table has no file "
                "systems, so give its [plans.selection] arns or conditions"
            ),
            region=region,
            account=account,
            unresolved=unresolved,
        )
    return problems
