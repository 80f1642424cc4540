"""Checks of backup vaults (``AWS::Backup::BackupVault``): name, lock, notifications, key.

Their limits live in :mod:`vaultplan.aws`, shared with the construct's and the
config's validation; these checks only find the values in a template and apply them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vaultplan.aws import names, notifications
from vaultplan.aws import vault_lock as lock_rules
from vaultplan.checks.finding import Issue, NotApplicable, Path
from vaultplan.checks.model import CheckContext, Result, Vault
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved, cfn_str


@check("VP101")
def vault_name(ctx: CheckContext) -> Result:
    for vault in ctx.vaults:
        yield from ctx.scalar(
            vault.logical_id,
            vault.path,
            vault.props,
            "BackupVaultName",
            names.vault_name,
            "BackupVaultName",
        )


@check("VP113")
def vault_lock(ctx: CheckContext) -> Result:
    for lock in ctx.locks:
        if isinstance(lock, NotApplicable):
            yield lock
            continue
        if lock.minimum is None:
            yield Issue(
                lock.vault,
                lock.path,
                "LockConfiguration.MinRetentionDays: not set; CloudFormation requires it "
                "for a vault lock",
            )
        for message in lock_rules.vault_lock(
            lock.changeable, lock.minimum, lock.maximum, "LockConfiguration"
        ):
            yield Issue(lock.vault, lock.path, message)


@check("VP114")
def notification_events(ctx: CheckContext) -> Result:
    for vault in ctx.vaults:
        path = (*vault.path, "Notifications", "BackupVaultEvents")
        for notif in ctx.values(vault.props, "Notifications"):
            if not isinstance(notif, Mapping):
                continue
            for events in ctx.values(notif, "BackupVaultEvents"):
                if isinstance(events, Unresolved):
                    yield ctx.not_applicable(vault.logical_id, path, "BackupVaultEvents", events)
                    continue
                if not isinstance(events, list):
                    continue
                names: list[str] = []
                for event in events:
                    for v in ctx.r.variants(event):
                        if isinstance(v, Unresolved):
                            yield ctx.not_applicable(vault.logical_id, path, "BackupVaultEvents", v)
                        elif v is not None:
                            names.append(str(cfn_str(v)))
                for message in notifications.notification_events(names, "BackupVaultEvents"):
                    yield Issue(vault.logical_id, path, message)


def _settings(ctx: CheckContext, key: str) -> Iterator[tuple[Vault, Path, Any]]:
    """``(vault, path, value)`` per variant of each vault's ``key`` (``None``: not set)."""
    for vault in ctx.vaults:
        for value in ctx.values(vault.props, key):
            yield vault, (*vault.path, key), value


def _unset(ctx: CheckContext, key: str, consequence: str) -> Result:
    """An issue per vault that leaves ``key`` out: ``"<key>: not set; <consequence>"``, saying
    so when only one branch of an undecided Fn::If leaves it out."""
    for vault in ctx.vaults:
        variants = ctx.values(vault.props, key)
        unset = f"{key}: not set"
        if len(variants) > 1:
            unset += " in one branch of an Fn::If whose condition is unknown offline"
        for value in variants:
            if value is None:
                yield Issue(vault.logical_id, (*vault.path, key), f"{unset}; {consequence}")


@check("VP201")
def vault_kms(ctx: CheckContext) -> Result:
    yield from _unset(
        ctx,
        "EncryptionKeyArn",
        "the vault uses the AWS managed key aws/backup. Set a customer-managed KMS key",
    )
    for vault, path, key in _settings(ctx, "EncryptionKeyArn"):
        if isinstance(key, str) and key.endswith("alias/aws/backup"):
            yield Issue(
                vault.logical_id,
                path,
                f"EncryptionKeyArn: got {key!r}, the AWS managed key. Set a "
                "customer-managed KMS key",
            )


@check("VP202")
def vault_lock_missing(ctx: CheckContext) -> Result:
    yield from _unset(
        ctx,
        "LockConfiguration",
        "recovery points in this vault can be deleted before their retention ends. "
        "Add a vault lock",
    )


#: The one vault event that reports failed and expired backup jobs: BACKUP_JOB_COMPLETED is sent
#: for every end state, with the state in the message attribute ``State``. BACKUP_JOB_FAILED and
#: BACKUP_JOB_EXPIRED are deprecated and never sent (API_PutBackupVaultNotifications;
#: ``vaultplan/aws/data/vault_events.json``).
_REPORTS_FAILURES = "BACKUP_JOB_COMPLETED"


def _eventbridge_watches_backup(ctx: CheckContext) -> bool:
    for _lid, res in ctx.resources("AWS::Events::Rule"):
        for source in ctx.values(res.get("Properties"), "EventPattern", "source"):
            if source == "aws.backup" or (isinstance(source, list) and "aws.backup" in source):
                return True
    return False


@check("VP203")
def failure_notifications(ctx: CheckContext) -> Result:
    if not ctx.vaults or _eventbridge_watches_backup(ctx):
        return
    yield from _unset(
        ctx,
        "Notifications",
        "failed or expired backup jobs go unnoticed. Notify BACKUP_JOB_COMPLETED (every end "
        "state) to an SNS topic",
    )
    for vault, path, notif in _settings(ctx, "Notifications"):
        if isinstance(notif, Unresolved):
            yield ctx.not_applicable(vault.logical_id, path, "Notifications", notif)
            continue
        if not isinstance(notif, Mapping):
            continue
        events: set[str] = set()
        unknown = False
        for event in ctx.r.items(notif.get("BackupVaultEvents")):
            if isinstance(event, Unresolved):
                unknown = True
            elif event is not None:
                events.add(str(cfn_str(event)))
        if _REPORTS_FAILURES in events:
            continue
        if unknown:
            yield NotApplicable(
                vault.logical_id, path, "some BackupVaultEvents are unknown offline"
            )
            continue
        stale = sorted(events & {"BACKUP_JOB_FAILED", "BACKUP_JOB_EXPIRED"})
        why = (
            f"; {' and '.join(stale)} {'is' if len(stale) == 1 else 'are'} deprecated and "
            "never sent"
            if stale
            else ""
        )
        yield Issue(
            vault.logical_id,
            (*path, "BackupVaultEvents"),
            f"BackupVaultEvents: got {sorted(events)!r}; no event reports failed or "
            f"expired backup jobs{why}. Add BACKUP_JOB_COMPLETED (every end state; "
            "filter on the message attribute State)",
        )
