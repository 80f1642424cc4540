"""Checks of a plan rule's copy actions (``CopyActions``): their lifecycle, whether any
copy leaves the stack's region and account (VP204), and whether a cross-account copy can
use the source vault's key (VP210).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from vaultplan.aws import plan_rules
from vaultplan.aws.arns import ACCOUNT, ACCOUNT_RE
from vaultplan.aws.kms import SOURCE_KEY_ACTIONS
from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext, Result, Rule
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved, arn_parts


@check("VP112")
def copy_lifecycle(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        for i, action in ctx.copy_actions(rule):
            if i is not None and isinstance(action, Mapping):
                yield from ctx.lifecycle(
                    rule.plan,
                    (*rule.path, "CopyActions", i),
                    action,
                    rule.field(f"CopyActions[{i}].Lifecycle"),
                    plan_rules.lifecycle,
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


@check("VP204")
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


# VP210: a cross-account copy whose source vault key doesn't let the other account use it.
#
# For resources fully managed by AWS Backup (EFS among them) the source key of a copy is the
# vault's encryption key, and a customer managed one must allow the destination account's root
# the KMS actions of :data:`~vaultplan.spec.copy.SOURCE_KEY_ACTIONS`; otherwise the copy
# job fails with "Given key ID is not accessible" (AWS re:Post
# knowledge-center/backup-cross-account-copy-error). This check reads the key policy when the
# vault's key is a resource of the same template; an existing key's policy is unknown offline.
KMS_KEY = "AWS::KMS::Key"
_ROOT = re.compile(rf"^arn:[^:]+:iam::(?P<account>{ACCOUNT}):root$")
_PARTITION = re.compile(r"\$\{AWS::Partition\}")


def _destination_accounts(ctx: CheckContext, rule: Rule) -> list[tuple[int, str]]:
    """``(copy index, account)`` of the rule's copies into another account, when literal."""
    own = ctx.r.overrides.get("AWS::AccountId")
    out: list[tuple[int, str]] = []
    for i, action in ctx.copy_actions(rule):
        if i is None or not isinstance(action, Mapping):
            continue
        for arn in ctx.values(action, "DestinationBackupVaultArn"):
            parts = arn_parts(arn) if isinstance(arn, str) else []
            if len(parts) >= 6 and ACCOUNT_RE.fullmatch(parts[4]) and parts[4] != own:
                out.append((i, parts[4]))
    return out


_UNKNOWN = "?"
_OWN_ROOT = re.compile(r"^arn:[^:]+:iam::\$\{AWS::AccountId\}:root$")


def _principal_accounts(ctx: CheckContext, statement: Mapping[str, Any]) -> set[str]:
    """Accounts a statement's ``Principal`` names: ids, ``*`` for everyone, ``?`` for one
    unknown offline. The stack's own account (``${AWS::AccountId}``) is never a copy's
    destination, so it is left out."""
    accounts: set[str] = set()
    for principal in ctx.values(statement, "Principal"):
        if principal == "*":
            accounts.add("*")
        elif isinstance(principal, Unresolved):
            accounts.add(_UNKNOWN)
        elif isinstance(principal, Mapping):
            for value in ctx.r.items(principal.get("AWS"), scalar_is_list=True):
                accounts |= _account_of(value)
    return accounts


def _account_of(value: Any) -> set[str]:
    text = value.text if isinstance(value, Unresolved) else value
    if not isinstance(text, str):
        return set()
    text = _PARTITION.sub("aws", text)
    root = _ROOT.fullmatch(text)
    if root:
        return {root["account"]}
    if text == "*" or ACCOUNT_RE.fullmatch(text):
        return {text}
    if _OWN_ROOT.fullmatch(text) or not isinstance(value, Unresolved):
        return set()  # the own account, or a user or role ARN: not the account's root
    return {_UNKNOWN}


def _allowed_actions(ctx: CheckContext, policy: Any, account: str) -> tuple[set[str], bool]:
    """Which :data:`SOURCE_KEY_ACTIONS` the key policy allows ``account``, and whether some
    statement may allow it but can't be read offline."""
    allowed: set[str] = set()
    unknown = False
    for statements in ctx.values(policy, "Statement"):
        items = ctx.r.items(statements) if isinstance(statements, list) else [statements]
        for statement in items:
            if isinstance(statement, Unresolved):
                unknown = True
                continue
            if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
                continue
            accounts = _principal_accounts(ctx, statement)
            if account not in accounts and "*" not in accounts:
                unknown = unknown or _UNKNOWN in accounts
                continue
            for action in ctx.r.items(statement.get("Action"), scalar_is_list=True):
                if isinstance(action, str):
                    allowed.update(
                        a for a in SOURCE_KEY_ACTIONS if fnmatchcase(a.lower(), action.lower())
                    )
                elif isinstance(action, Unresolved):
                    unknown = True
    return allowed, unknown


def _template_key(ctx: CheckContext, vault_props: Any) -> list[str | Unresolved | None]:
    """Per variant of the vault's ``EncryptionKeyArn``: the template key's logical id, the
    value itself when it isn't one (an existing key, unknown offline), or None (aws/backup)."""
    out: list[str | Unresolved | None] = []
    for value in ctx.values(vault_props, "EncryptionKeyArn"):
        if isinstance(value, Unresolved):
            keys = [ref for ref in value.refs if ctx.resource_type(ref) == KMS_KEY]
            out.append(keys[0] if keys else value)
        elif isinstance(value, str):
            out.append(Unresolved(text=value, reason="an existing key, its policy is not here"))
        else:
            out.append(None)
    return out


@check("VP210")
def cross_account_copy_key(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        destinations = _destination_accounts(ctx, rule)
        if not destinations:
            continue
        for vault_id in ctx.vault_key(rule):
            vault = next((v for v in ctx.vaults if v.logical_id == vault_id), None)
            if vault is None:
                continue  # a vault outside this template
            for key in _template_key(ctx, vault.props):
                if key is None:
                    continue  # aws/backup: VP201 speaks of it
                for i, account in destinations:
                    yield from _verdict(ctx, rule, i, account, vault.logical_id, key)


def _verdict(
    ctx: CheckContext, rule: Rule, index: int, account: str, vault: str, key: str | Unresolved
) -> Result:
    path = (*rule.path, "CopyActions", index, "DestinationBackupVaultArn")
    field = rule.field(f"CopyActions[{index}].DestinationBackupVaultArn")
    if isinstance(key, Unresolved):
        yield NotApplicable(
            rule.plan,
            path,
            f"{field}: the key policy of vault {vault}'s key {key.text!r} is unknown offline",
        )
        return
    resource = ctx.template.typed_resources().get(key, {})
    props = resource.get("Properties") if isinstance(resource, Mapping) else None
    policies = ctx.values(props, "KeyPolicy")
    for policy in policies:
        allowed, unknown = (
            _allowed_actions(ctx, policy, account) if policy is not None else (set(), False)
        )
        missing = [a for a in SOURCE_KEY_ACTIONS if a not in allowed]
        if missing and unknown:
            yield NotApplicable(
                rule.plan,
                path,
                f"{field}: part of the key policy of {key} is unknown offline, so whether it "
                f"lets account {account} use the key can't be decided",
            )
        elif missing:
            yield Issue(
                rule.plan,
                path,
                f"{field}: copies to account {account}, but the key policy of {key} (vault "
                f"{vault}'s key) doesn't allow arn:aws:iam::{account}:root "
                f'{", ".join(missing)}; the copy job would fail with "Given key ID is not '
                'accessible". Add a key policy statement allowing them',
            )
