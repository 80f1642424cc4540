"""The strategy-wide AWS Backup checks, shared by the construct and the config loader.

Pure functions over plain values (no CDK): the construct passes ``Token.is_unresolved`` as
``unresolved`` so values that are still tokens are skipped; the config loader passes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from vaultplan.aws.names import plan_name, selection_name, vault_name
from vaultplan.aws.plan_rules import plan_rule_count
from vaultplan.spec.rules import RULE_KEYS, RulePreset, rule_problems

__all__ = ["derived_names", "strategy_problems"]


def _never(value: object) -> bool:
    return False


def derived_names(site_name: str) -> dict[str, str]:
    """The AWS names that derive from ``site_name``: vault, plan and selection."""
    return {
        "vault": site_name,
        "plan": f"{site_name}EFSBackupPlan",
        "selection": f"{site_name}EFS",
    }


def strategy_problems(
    site_name: str,
    rules: Sequence[RulePreset],
    *,
    unresolved: Callable[[object], bool] = _never,
    selects_efs: bool = True,
    region: str | None = None,
    account: str | None = None,
) -> list[str]:
    """Problems with the names derived from ``site_name`` and with every rule.

    Each problem names its field (``site_name``, ``rules[1].schedule``...) and the value got.
    ``selects_efs``: the selection has EFS file systems (continuous backup is refused then).
    ``region``/``account``: the stack's, when known (copies into them are refused).
    """
    site = None if unresolved(site_name) else site_name
    problems: list[str] = []
    if site is not None:
        problems += vault_name(site, "site_name")
        if not problems:
            names = derived_names(site)
            for what, check in (
                ("plan", plan_name),
                ("selection", selection_name),
            ):
                problems += [
                    f"{p} (the {what} name is site_name + a suffix; shorten site_name)"
                    for p in check(names[what], f"site_name ({what} name)")
                ]
    problems += plan_rule_count(len(rules), "rules")
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules):
        skip = frozenset(
            key
            for key in ("name", *RULE_KEYS)
            if getattr(rule, key) is not None and unresolved(getattr(rule, key))
        )
        problems += rule_problems(
            rule,
            site,
            f"rules[{i}]",
            skip=skip,
            selects_efs=selects_efs,
            home_region=None if region is None or unresolved(region) else region,
            home_account=None if account is None or unresolved(account) else account,
            is_token=unresolved,
        )
        if "name" in skip:
            continue
        if rule.name in seen:
            problems.append(
                f"rules[{i}].name: got {rule.name!r}; rules[{seen[rule.name]}] has the same "
                "name, and rule names must be unique within a plan"
            )
        seen.setdefault(rule.name, i)
    return problems
