"""The logically air-gapped vault the strategy creates as a copy destination, as plain data.

``[vault.air_gapped]`` in ``vaultplan.toml``, ``VaultOptions(air_gapped=AirGappedVaultOptions())``
in Python, or a copy action with ``destination = "air-gapped"`` creates one
``AWS::Backup::LogicallyAirGappedBackupVault`` (AWS Backup locks it in compliance mode itself:
https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html). Its
retention bounds default to the shortest and longest retention of the copies into it; every
copy into it must keep its points within them, or AWS Backup fails the copy job
(API_PutBackupVaultLockConfiguration). Bounds: :mod:`vaultplan.aws.air_gapped`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vaultplan.aws import names
from vaultplan.aws.air_gapped import (
    AIR_GAPPED_MAX_RETENTION_DAYS,
    AIR_GAPPED_MIN_RETENTION_DAYS,
    retention_bounds,
)
from vaultplan.spec.copy import AIR_GAPPED, CopyAction
from vaultplan.spec.rules import RulePreset

__all__ = [
    "AIR_GAPPED",
    "AIR_GAPPED_KEYS",
    "AirGappedVaultOptions",
    "ResolvedAirGapped",
    "air_gapped_copies",
    "air_gapped_problems",
    "resolve_air_gapped",
]

AIR_GAPPED_KEYS = ("name", "min_retention_days", "max_retention_days")


@dataclass(frozen=True, kw_only=True)
class AirGappedVaultOptions:
    """A logically air-gapped vault (``[vault.air_gapped]``), encrypted with an AWS owned key."""

    name: str | None = None
    """The vault's name. Default: ``<site>-air-gapped``."""
    min_retention_days: int | None = None
    """Shortest retention a point may have in it, 7 or more. Default: the shortest
    ``delete_after_days`` of the copies into it (7 at least)."""
    max_retention_days: int | None = None
    """Longest retention, at most 36,500. Default: the longest of the copies into it."""


@dataclass(frozen=True)
class ResolvedAirGapped:
    """The air-gapped vault as deployed: its name and bounds filled in."""

    name: str
    min_retention_days: int
    max_retention_days: int


def air_gapped_copies(rules: Sequence[RulePreset]) -> list[tuple[str, CopyAction]]:
    """``(field, action)`` for every copy action into the air-gapped vault."""
    return [
        (f"rules[{i}].copy_actions[{j}]", action)
        for i, rule in enumerate(rules)
        for j, action in enumerate(rule.copy_actions)
        if action.to_air_gapped
    ]


def _days(rules: Sequence[RulePreset]) -> list[int]:
    return [
        a.delete_after_days
        for _, a in air_gapped_copies(rules)
        if isinstance(a.delete_after_days, int) and not isinstance(a.delete_after_days, bool)
    ]


def resolve_air_gapped(
    options: AirGappedVaultOptions | None, rules: Sequence[RulePreset], site_name: str
) -> ResolvedAirGapped | None:
    """The vault to create, or None when neither ``options`` nor a copy action asks for one.

    Unset bounds derive from the copies into it (the minimum is at least 7 days); with no copy
    to derive from, 7 and 36,500.
    """
    if options is None and not air_gapped_copies(rules):
        return None
    options = options or AirGappedVaultOptions()
    days = _days(rules)
    low = options.min_retention_days
    if low is None:
        low = max(AIR_GAPPED_MIN_RETENTION_DAYS, min(days, default=AIR_GAPPED_MIN_RETENTION_DAYS))
    high = options.max_retention_days
    if high is None:
        high = max(days, default=AIR_GAPPED_MAX_RETENTION_DAYS)
        high = max(high, low)
    return ResolvedAirGapped(options.name or f"{site_name}-air-gapped", low, high)


def air_gapped_problems(
    options: AirGappedVaultOptions | None,
    rules: Sequence[RulePreset],
    site_name: str | None,
    *,
    home_vault: str | None = None,
    field: str = "vault.air_gapped",
) -> list[str]:
    """The vault's name and bounds, and every copy into it against them."""
    if options is None and not air_gapped_copies(rules):
        return []
    options = options or AirGappedVaultOptions()
    problems: list[str] = []
    if options.name is not None:
        problems += names.vault_name(options.name, f"{field}.name")
        if options.name == home_vault:
            problems.append(
                f"{field}.name: got {options.name!r}, the strategy's own vault's name; vault "
                "names are unique in a Region and account: pick another"
            )
    elif site_name is not None:
        problems += [
            f"{p} (the air-gapped vault is site_name + '-air-gapped'; shorten site_name or "
            "give vault.air_gapped.name)"
            for p in names.vault_name(f"{site_name}-air-gapped", f"{field}.name (derived)")
        ]
    resolved = resolve_air_gapped(options, rules, site_name or "site")
    assert resolved is not None
    bad = retention_bounds(resolved.min_retention_days, resolved.max_retention_days, field)
    if bad:
        return problems + bad
    low, high = resolved.min_retention_days, resolved.max_retention_days
    for path, action in air_gapped_copies(rules):
        days = action.delete_after_days
        if days is None:
            problems.append(
                f"{path}.delete_after_days: missing for a copy into the logically air-gapped "
                f"vault; it keeps points {low} to {high} days (its retention bounds), and a "
                "copy kept forever is refused: set delete_after_days"
            )
        elif isinstance(days, int) and not low <= days <= high:
            problems.append(
                f"{path}.delete_after_days: got {days}; the logically air-gapped vault keeps "
                f"points {low} to {high} days (its retention bounds), and AWS Backup fails a "
                "copy job outside them: keep the copy within, or change "
                f"{field}.min_retention_days / max_retention_days"
            )
    return problems
