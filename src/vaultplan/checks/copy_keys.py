"""VP210: a cross-account copy whose source vault key doesn't let the other account use it.

For resources fully managed by AWS Backup (EFS among them) the source key of a copy is the
vault's encryption key, and a customer managed one must allow the destination account's root
the KMS actions of :data:`~vaultplan.spec.copy.SOURCE_KEY_ACTIONS`; otherwise the copy
job fails with "Given key ID is not accessible" (AWS re:Post
knowledge-center/backup-cross-account-copy-error). This check reads the key policy when the
vault's key is a resource of the same template; an existing key's policy is unknown offline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from typing import Any

from vaultplan.aws.arns import ACCOUNT, ACCOUNT_RE
from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext, Rule
from vaultplan.checks.registry import check
from vaultplan.checks.rules_errors import _rule_field
from vaultplan.spec.copy import CROSS_ACCOUNT_DOC, SOURCE_KEY_ACTIONS
from vaultplan.template.resolve import Unresolved, arn_parts

Result = Iterator[Issue | NotApplicable]
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


@check(
    "VP210",
    Severity.WARNING,
    "Cross-account copy from a vault whose key the other account can't use",
    "For resources fully managed by AWS Backup (EFS, for one) a copy into another account "
    "reads the source point with the source vault's KMS key. A customer-managed key must name "
    "the destination account's root in its key policy with "
    + ", ".join(SOURCE_KEY_ACTIONS)
    + '; without them the copy job fails with "Given key ID is not accessible" (AWS re:Post '
    "knowledge-center/backup-cross-account-copy-error). Checked when the vault's key is in "
    "the same template.",
    CROSS_ACCOUNT_DOC,
)
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
    field = _rule_field(rule, f"CopyActions[{index}].DestinationBackupVaultArn")
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
