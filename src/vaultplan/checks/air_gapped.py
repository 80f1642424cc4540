"""Checks of logically air-gapped vaults and of what the strategy's vault options guard:
air-gapped retention bounds (VP120) and the copies into such a vault (VP121), a backup role's
permissions boundary (VP122), and a compliance-locked vault deleted with its stack (VP216).

Their limits live in :mod:`vaultplan.aws` (``air_gapped``, ``arns``), shared with the
construct's and the config's validation.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from vaultplan.aws import air_gapped, arns
from vaultplan.checks.finding import Issue
from vaultplan.checks.model import CheckContext, Lock, Result, props_path
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved, cfn_str

AIR_GAPPED_VAULT = "AWS::Backup::LogicallyAirGappedBackupVault"
_BOUNDS = ("MinRetentionDays", "MaxRetentionDays")


def _bounds(ctx: CheckContext) -> dict[str, list[tuple[int, int]]]:
    """Each air-gapped vault's known (min, max) pairs, by logical id."""
    out: dict[str, list[tuple[int, int]]] = {}
    for lid, res in ctx.resources(AIR_GAPPED_VAULT):
        props = res.get("Properties")
        for low, high in itertools.product(*(ctx.ints(props, key) for key in _BOUNDS)):
            if isinstance(low, int) and isinstance(high, int):
                out.setdefault(lid, []).append((low, high))
    return out


@check("VP120")
def air_gapped_bounds(ctx: CheckContext) -> Result:
    for lid, res in ctx.resources(AIR_GAPPED_VAULT):
        props = res.get("Properties")
        path = props_path(lid)
        for low, high in itertools.product(*(ctx.ints(props, key) for key in _BOUNDS)):
            unknown = next((v for v in (low, high) if isinstance(v, Unresolved)), None)
            if unknown is not None:
                yield ctx.not_applicable(lid, path, "retention bounds", unknown)
                continue
            for message in air_gapped.retention_bounds(low, high, "Properties"):
                message = message.replace("min_retention_days", "MinRetentionDays")
                yield Issue(lid, path, message.replace("max_retention_days", "MaxRetentionDays"))


@check("VP121")
def air_gapped_copies(ctx: CheckContext) -> Result:
    bounds = _bounds(ctx)
    for rule in ctx.rules:
        for i, action in ctx.copy_actions(rule):
            if i is None or not isinstance(action, Mapping):
                continue
            target = next(
                (
                    ref
                    for value in ctx.values(action, "DestinationBackupVaultArn")
                    if isinstance(value, Unresolved)
                    for ref in value.refs
                    if ref in bounds
                ),
                None,
            )
            if target is None:
                continue
            path = (*rule.path, "CopyActions", i, "Lifecycle", "DeleteAfterDays")
            field = rule.field(f"CopyActions[{i}].Lifecycle.DeleteAfterDays")
            for days in ctx.ints(action, "Lifecycle", "DeleteAfterDays"):
                if isinstance(days, Unresolved):
                    yield ctx.not_applicable(rule.plan, path, field, days)
                    continue
                for low, high in bounds[target]:
                    if days is None or not isinstance(days, int) or not low <= days <= high:
                        got = "not set (kept forever)" if days is None else f"got {days}"
                        yield Issue(
                            rule.plan,
                            path,
                            f"{field}: {got}; the copy goes to the logically air-gapped vault "
                            f"{target}, which keeps points {low} to {high} days, so AWS Backup "
                            "fails the copy job: keep the copy within its bounds",
                        )


@check("VP122")
def permissions_boundary(ctx: CheckContext) -> Result:
    for lid, res in ctx.resources("AWS::IAM::Role"):
        props = res.get("Properties")
        path = props_path(lid, "PermissionsBoundary")
        for value in ctx.values(props, "PermissionsBoundary"):
            if value is None or isinstance(value, Unresolved):
                continue  # a reference to a ManagedPolicy, or unknown offline
            for message in arns.managed_policy_arn(str(cfn_str(value)), "PermissionsBoundary"):
                yield Issue(lid, path, message)


@check("VP216")
def compliance_vault_deleted(ctx: CheckContext) -> Result:
    for lock in ctx.locks:
        if not isinstance(lock, Lock) or lock.changeable is None:
            continue
        res = ctx.template.typed_resources().get(lock.vault, {})
        policy = res.get("DeletionPolicy", "Delete")
        if policy in ("Retain", "RetainExceptOnCreate", "Snapshot"):
            continue
        yield Issue(
            lock.vault,
            ("Resources", lock.vault, "DeletionPolicy"),
            f"DeletionPolicy: {'not set' if 'DeletionPolicy' not in res else repr(policy)}; the "
            "vault has a compliance lock (ChangeableForDays), so it can't be deleted: set "
            "DeletionPolicy: Retain",
        )
