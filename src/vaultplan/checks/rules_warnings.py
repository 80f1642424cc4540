"""Warnings ``VP2xx``: what AWS accepts but leaves data less protected than it looks.

Coverage of resources (VP208), selection roles (VP209) and overlapping rules (VP207) live in
:mod:`vaultplan.checks.coverage` and :mod:`vaultplan.checks.overlap`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext, Rule
from vaultplan.checks.registry import check
from vaultplan.checks.rules_errors import _continuous, _rule_field
from vaultplan.template.resolve import Unresolved, arn_parts, cfn_str

Result = Iterator[Issue | NotApplicable]
_DEV = "https://docs.aws.amazon.com/aws-backup/latest/devguide/"


def _unset(key: str, variants: list[Any]) -> str:
    """``"X: not set"``, saying so when only one branch of an undecided Fn::If leaves it out."""
    if len(variants) > 1:
        return f"{key}: not set in one branch of an Fn::If whose condition is unknown offline"
    return f"{key}: not set"


@check(
    "VP201",
    Severity.WARNING,
    "Backup vault is not encrypted with a customer-managed KMS key",
    "Without `EncryptionKeyArn`, a vault encrypts with the AWS managed key `aws/backup`, "
    "whose policy you can't change or audit per vault, and which can't be shared across "
    "accounts for copies. Give the vault a customer-managed key.",
    _DEV + "encryption.html",
)
def vault_kms(ctx: CheckContext) -> Result:
    for vault in ctx.vaults:
        path = (*vault.path, "EncryptionKeyArn")
        variants = ctx.values(vault.props, "EncryptionKeyArn")
        unset = _unset("EncryptionKeyArn", variants)
        for key in variants:
            if key is None:
                yield Issue(
                    vault.logical_id,
                    path,
                    f"{unset}; the vault uses the AWS managed key aws/backup. "
                    "Set a customer-managed KMS key",
                )
            elif isinstance(key, str) and key.endswith("alias/aws/backup"):
                yield Issue(
                    vault.logical_id,
                    path,
                    f"EncryptionKeyArn: got {key!r}, the AWS managed key. Set a "
                    "customer-managed KMS key",
                )


@check(
    "VP202",
    Severity.WARNING,
    "Backup vault has no vault lock",
    "Without `LockConfiguration`, anyone with enough IAM permissions (or an attacker with "
    "them) can delete recovery points or change their lifecycle. A vault lock enforces "
    "retention; in compliance mode (`ChangeableForDays` set) not even the root user can "
    "remove it once the cooling-off period ends.",
    _DEV + "vault-lock.html",
)
def vault_lock_missing(ctx: CheckContext) -> Result:
    for vault in ctx.vaults:
        variants = ctx.values(vault.props, "LockConfiguration")
        unset = _unset("LockConfiguration", variants)
        for lock in variants:
            if lock is None:
                yield Issue(
                    vault.logical_id,
                    (*vault.path, "LockConfiguration"),
                    f"{unset}; recovery points in this vault can be deleted "
                    "before their retention ends. Add a vault lock",
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


@check(
    "VP203",
    Severity.WARNING,
    "No notification of failed or expired backup jobs",
    "A backup job that fails, or that doesn't start within its window (EXPIRED), leaves a "
    "gap nobody sees. Send `BACKUP_JOB_COMPLETED`, which AWS Backup sends for every end "
    "state with the state in the message attribute `State`, to an SNS topic with the "
    "vault's `Notifications` (filter a subscription on `State`), or watch `aws.backup` "
    "events with an EventBridge rule. `BACKUP_JOB_FAILED` and `BACKUP_JOB_EXPIRED` are "
    "deprecated: AWS Backup no longer sends them.",
    _DEV + "backup-notifications.html",
)
def failure_notifications(ctx: CheckContext) -> Result:
    if not ctx.vaults or _eventbridge_watches_backup(ctx):
        return
    for vault in ctx.vaults:
        path = (*vault.path, "Notifications")
        variants = ctx.values(vault.props, "Notifications")
        unset = _unset("Notifications", variants)
        for notif in variants:
            if notif is None:
                yield Issue(
                    vault.logical_id,
                    path,
                    f"{unset}; failed or expired backup jobs go unnoticed. Notify "
                    "BACKUP_JOB_COMPLETED (every end state) to an SNS topic",
                )
                continue
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


def _same_part(ctx: CheckContext, value: str, pseudo: str) -> bool | None:
    """Is this ARN part (region or account) the stack's own? None when unknown offline."""
    if value == f"${{{pseudo}}}":
        return True
    if "${" in value:
        return None
    known = ctx.r.overrides.get(pseudo)
    # A literal region or account in a template is a deliberate, fixed copy target: it is
    # elsewhere unless --parameters says the stack is deployed right there.
    return known is not None and value == known


def _same_place(ctx: CheckContext, arn: Any) -> bool | None:
    """Whether a copy destination is in the stack's own region and account (None: unknown)."""
    if isinstance(arn, Unresolved) and any(
        ctx.resource_type(ref) == "AWS::Backup::BackupVault" for ref in arn.refs
    ):
        return True  # a vault of this stack: same region, same account
    text = arn.text if isinstance(arn, Unresolved) else arn
    parts = arn_parts(text) if isinstance(text, str) else []
    if len(parts) < 6:
        return None
    region = _same_part(ctx, parts[3], "AWS::Region")
    account = _same_part(ctx, parts[4], "AWS::AccountId")
    if region is False or account is False:
        return False
    return None if region is None or account is None else True


@check(
    "VP204",
    Severity.WARNING,
    "No copy of recovery points to another region or account",
    "Recovery points in the same region and account as the data share their fate: a "
    "regional outage, or a compromised account, takes both. Add a `CopyActions` entry whose "
    "`DestinationBackupVaultArn` is in another region or account. When a plan has no copy "
    "at all, this is reported as info (a copy needs a destination vault that a single "
    "stack can't create); when copies stay in the same region and account, as a warning.",
    _DEV + "cross-region-backup.html",
)
def offsite_copy(ctx: CheckContext) -> Result:
    plans: dict[str, list[Rule]] = {}
    for rule in ctx.rules:
        plans.setdefault(rule.plan, []).append(rule)
    for plan, rules in plans.items():
        verdicts: list[bool | None] = []
        for rule in rules:
            for _, action in ctx.copy_actions(rule):
                if isinstance(action, Mapping):
                    for arn in ctx.values(action, "DestinationBackupVaultArn"):
                        verdicts.append(_same_place(ctx, arn))
                elif isinstance(action, Unresolved):
                    verdicts.append(None)
        path = ("Resources", plan, "Properties", "BackupPlan", "BackupPlanRule")
        if not verdicts:
            yield Issue(
                plan,
                path,
                "no rule copies recovery points to another region or account (CopyActions "
                "not set); a regional outage or a compromised account would take the backups "
                "with the data",
                severity=Severity.INFO,
            )
        elif False in verdicts:
            continue
        elif None in verdicts:
            yield NotApplicable(plan, path, "a copy destination is unknown offline")
        else:
            yield Issue(
                plan,
                path,
                "every CopyActions destination is a vault in this stack's own region and "
                "account; copy to another region or account",
            )


MIN_WARM_DAYS = 7


@check(
    "VP205",
    Severity.WARNING,
    "Recovery points stay warm less than 7 days",
    "Keep at least one recent recovery point in warm storage: without one, AWS Backup can't "
    "make an incremental EFS backup and makes (and bills) a full one instead. A rule whose "
    "points are deleted, or moved to cold storage, within 7 days risks that.",
    _DEV + "metering-and-billing.html",
)
def short_warm_retention(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        path = (*rule.path, "Lifecycle")
        for lc in ctx.values(rule.node, "Lifecycle"):
            if not isinstance(lc, Mapping):
                continue
            for cold in ctx.ints(lc, "MoveToColdStorageAfterDays"):
                for delete in ctx.ints(lc, "DeleteAfterDays"):
                    warm, key = (cold, "MoveToColdStorageAfterDays")
                    if cold is None:
                        warm, key = (delete, "DeleteAfterDays")
                    if isinstance(warm, Unresolved):
                        yield ctx.not_applicable(rule.plan, path, key, warm)
                    elif (
                        isinstance(warm, int)
                        and not isinstance(warm, bool)
                        and warm < MIN_WARM_DAYS
                    ):
                        yield Issue(
                            rule.plan,
                            (*path, key),
                            f"{_rule_field(rule, 'Lifecycle')}.{key}: got {warm}; points stay "
                            f"warm only {warm} day(s), under {MIN_WARM_DAYS}: without a recent "
                            "warm point, the next EFS backup is a full one",
                        )


def _zone(ctx: CheckContext, rule: Rule) -> str:
    zones = [z for z in ctx.values(rule.node, "ScheduleExpressionTimezone") if isinstance(z, str)]
    return zones[0] if len(zones) == 1 else "UTC"


@check(
    "VP206",
    Severity.WARNING,
    "Backup rule can never fire",
    "A valid cron expression that matches no date (`cron(0 8 30 2 ? *)`, the 30th of "
    "February), or only dates in the past, deploys fine and never takes a backup.",
    _DEV + "plan-options-and-configuration.html",
)
def never_fires(ctx: CheckContext) -> Result:
    from vaultplan.schedule import CronError, parse_cron

    now = datetime.now(UTC)
    for rule in ctx.rules:
        if _continuous(ctx, rule) is True:
            continue
        path = (*rule.path, "ScheduleExpression")
        for expr in ctx.values(rule.node, "ScheduleExpression"):
            if isinstance(expr, Unresolved):
                yield ctx.not_applicable(rule.plan, path, "ScheduleExpression", expr)
                continue
            if not isinstance(expr, str):
                continue
            try:
                cron = parse_cron(expr)
            except CronError:
                continue  # VP105 reports it
            try:
                upcoming = cron.next_fire(now, _zone(ctx, rule))
            except ValueError:
                upcoming = cron.next_fire(now)  # an invalid zone is VP109's
            if not cron.can_ever_fire():
                yield Issue(
                    rule.plan,
                    path,
                    f"{_rule_field(rule, 'ScheduleExpression')}: got {expr!r}; no calendar "
                    "date matches it, so this rule never takes a backup",
                )
            elif upcoming is None:
                yield Issue(
                    rule.plan,
                    path,
                    f"{_rule_field(rule, 'ScheduleExpression')}: got {expr!r}; its last date "
                    "is in the past, so this rule never takes a backup again",
                )
