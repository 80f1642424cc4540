"""The ``vaultplan.toml`` model: frozen dataclasses whose defaults are the default strategy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from vaultplan.org.options import OrgOptions
from vaultplan.spec.assurance import AuditOptions, RestoreTestingOptions
from vaultplan.spec.copy import CopyAction
from vaultplan.spec.plan_options import PlanOptions
from vaultplan.spec.plans import PlanSpec
from vaultplan.spec.presets import DEFAULT_PRESET, BackupRules, GfsOptions
from vaultplan.spec.rules import RulePreset
from vaultplan.spec.selection import SelectionOptions
from vaultplan.spec.strategy import derived_names
from vaultplan.spec.vault import NotificationOptions, VaultOptions

__all__ = ["DEFAULT_SITE_NAME", "Config", "FileSystemConfig", "PlanConfig", "stack_name_for"]

DEFAULT_SITE_NAME = "example"


@dataclass(frozen=True, kw_only=True)
class FileSystemConfig:
    """The ``[file_system]`` table: which EFS file systems the selection protects."""

    create: bool = True
    """Create a new encrypted EFS in a new VPC (isolated subnets, no NAT gateway)."""
    ids: tuple[str, ...] = ()
    """Ids (``fs-...``) or ARNs of existing file systems to protect."""


@dataclass(frozen=True, kw_only=True)
class PlanConfig:
    """The ``[plan]`` table: which preset gave the rules (None: the ``[[rules]]`` tables)."""

    preset: str | None = DEFAULT_PRESET
    """``daily-monthly``, ``daily-35`` or ``gfs``; None when ``[[rules]]`` tables give the rules.
    A deprecated name (``seed``) is stored as its replacement, with a :attr:`warnings` line."""
    gfs: GfsOptions | None = None
    """The ``[plan.gfs]`` parameters, when given."""
    copy_actions: tuple[CopyAction, ...] = ()
    """``[[plan.copy_actions]]``: copies added to every preset rule (already in the rules)."""
    warnings: tuple[str, ...] = ()
    """Deprecations in ``[plan]``, one line each naming the key (``plan.preset: 'seed' is
    deprecated; use 'daily-monthly'``)."""


def stack_name_for(site_name: str) -> str:
    """The CloudFormation stack name for a site: ``<site>-backup``.

    Stack names allow only letters, digits and '-', and start with a letter, so '_' becomes
    '-' and a leading digit or '-' gets the prefix ``site-``.
    """
    name = re.sub(r"[^A-Za-z0-9-]", "-", site_name)
    if not name[:1].isalpha():
        name = f"site-{name}"
    return f"{name}-backup"


@dataclass(frozen=True, kw_only=True)
class Config:
    """A whole ``vaultplan.toml``. ``Config()`` is the default strategy: a new EFS file system,
    preset ``daily-monthly``, and the secure vault and notification defaults."""

    site_name: str = DEFAULT_SITE_NAME
    """Prefix of every AWS Backup name; the vault's own name."""
    account: str | None = None
    """The AWS account id (12 digits); None for an environment-agnostic stack."""
    region: str | None = None
    """The AWS Region, e.g. ``us-east-1``; None for an environment-agnostic stack."""
    file_system: FileSystemConfig = field(default_factory=FileSystemConfig)
    rules: tuple[RulePreset, ...] = field(default_factory=BackupRules.daily_monthly)
    vault: VaultOptions = field(default_factory=VaultOptions)
    """``[vault]`` and ``[vault.lock]``: key, access policy, lock (secure defaults)."""
    notifications: NotificationOptions = field(default_factory=NotificationOptions)
    """``[notifications]``: the vault's SNS topic and e-mail subscription."""
    plan: PlanConfig = field(default_factory=PlanConfig, compare=False)
    """Where the rules came from (``[plan]``); ``rules`` holds the resolved rules, so two
    configs with the same rules are equal whether a preset or ``[[rules]]`` gave them."""
    selection: SelectionOptions = field(default_factory=SelectionOptions)
    """The ``[selection]`` table: more ARNs, excluded ARNs and tag conditions."""
    restore_testing: RestoreTestingOptions | None = None
    """``[restore_testing]``: None when off (the default)."""
    audit: AuditOptions | None = None
    """``[audit]``: None when off (the default)."""
    plan_options: PlanOptions = field(default_factory=PlanOptions)
    """``[plan]``'s plan-wide settings: advanced backup settings and malware scanning."""
    permissions_boundary: str | None = None
    """``[role] permissions_boundary``: the managed policy bounding every created role."""
    plans: tuple[PlanSpec, ...] = ()
    """``[[plans]]``: the plans beside the top-level one, each with its rules and selection."""
    plan_sources: tuple[PlanConfig, ...] = field(default=(), compare=False)
    """Where each of :attr:`plans`' rules came from (its preset), in the same order."""
    org: OrgOptions | None = None
    """``[org]``: the Regions and targets of the organization's backup policy; None when
    absent (one account)."""
    source: Path | None = field(default=None, compare=False)
    """The file this config was read from; None for the built-in defaults."""

    @property
    def stack_name(self) -> str:
        """The CloudFormation stack name, ``<site>-backup`` (see :func:`stack_name_for`)."""
        return stack_name_for(self.site_name)

    @property
    def all_rules(self) -> tuple[RulePreset, ...]:
        """The rules of every plan: :attr:`rules`, then each of :attr:`plans`'."""
        return self.rules + tuple(rule for plan in self.plans for rule in plan.rules)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the config still accepts but will not for long, one line each naming the key."""
        return self.plan.warnings + tuple(w for p in self.plan_sources for w in p.warnings)

    @property
    def names(self) -> dict[str, str]:
        """The AWS names derived from ``site_name``: vault, plan and selection."""
        return derived_names(self.site_name)
