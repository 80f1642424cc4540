"""Checks of backup selections (``AWS::Backup::BackupSelection``): name, how many ARNs and
tag conditions they hold, and whether their IAM role may back up what they select (VP209).

Which resources the selections cover is :mod:`vaultplan.checks.coverage` (VP208).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any, NamedTuple

from vaultplan.aws import names
from vaultplan.aws.backup_role import S3_POLICIES
from vaultplan.aws.resource_types import PROTECTABLE, S3_BUCKET, SELECTABLE
from vaultplan.aws.selection import MAX_ARNS, MAX_TAG_CONDITIONS, MAX_WILDCARD_ARNS
from vaultplan.checks.coverage import selected_buckets
from vaultplan.checks.finding import Issue, NotApplicable, Path
from vaultplan.checks.model import CheckContext, Result, Selection
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved, arn_parts


@check("VP104")
def selection_name(ctx: CheckContext) -> Result:
    for sel in ctx.selections:
        yield from ctx.scalar(
            sel.logical_id, sel.path, sel.node, "SelectionName", names.selection_name
        )


@check("VP110")
def selection_arn_count(ctx: CheckContext) -> Result:
    for sel in ctx.selections:
        for key in ("Resources", "NotResources"):
            path = (*sel.path, key)
            for arns in ctx.values(sel.node, key):
                if isinstance(arns, Unresolved):
                    yield ctx.not_applicable(sel.logical_id, path, key, arns)
                    continue
                if not isinstance(arns, list):
                    continue
                items = [ctx.r.variants(a) for a in arns]
                items = [vs for vs in items if vs != [None]]
                count = len(items)
                wild = sum(any(isinstance(v, str) and "*" in v for v in vs) for vs in items)
                unknown = sum(
                    any(isinstance(v, Unresolved) for v in vs) and "*" not in str(vs)
                    for vs in items
                )
                if count > MAX_ARNS:
                    yield Issue(
                        sel.logical_id,
                        path,
                        f"{key}: got {count} ARNs; a selection takes at most {MAX_ARNS}",
                    )
                elif count > MAX_WILDCARD_ARNS and wild:
                    yield Issue(
                        sel.logical_id,
                        path,
                        f"{key}: got {count} ARNs, {wild} with a wildcard; a selection with "
                        f"wildcards takes at most {MAX_WILDCARD_ARNS} ARNs",
                    )
                elif count > MAX_WILDCARD_ARNS and unknown:
                    yield NotApplicable(
                        sel.logical_id,
                        path,
                        f"{key}: {count} ARNs, {unknown} unknown offline; allowed only if none "
                        "has a wildcard",
                    )


@check("VP115")
def selection_tags(ctx: CheckContext) -> Result:
    for sel in ctx.selections:
        count = len(ctx.r.items(sel.node.get("ListOfTags")))
        for conds in ctx.values(sel.node, "Conditions"):
            if isinstance(conds, Mapping):
                for op in conds:
                    count += len(ctx.r.items(conds[op]))
        if count > MAX_TAG_CONDITIONS:
            yield Issue(
                sel.logical_id,
                sel.path,
                f"ListOfTags + Conditions: got {count} tag conditions; a selection takes at "
                f"most {MAX_TAG_CONDITIONS}",
            )


MANAGED_BACKUP_POLICY = "AWSBackupServiceRolePolicyForBackup"
S3_BACKUP_POLICY, S3_RESTORE_POLICY = S3_POLICIES
#: Per service, the actions any one of which lets a role back up its resources.
SERVICE_ACTIONS: dict[str, tuple[str, ...]] = {}
for _p in PROTECTABLE.values():
    SERVICE_ACTIONS[_p.service] = SERVICE_ACTIONS.get(_p.service, ()) + _p.backup_actions


def _policy_documents(ctx: CheckContext, role: str, props: Mapping[str, Any]) -> list[Any]:
    docs: list[Any] = [
        doc
        for policy in ctx.r.items(props.get("Policies"))
        if isinstance(policy, Mapping)
        for doc in ctx.values(policy, "PolicyDocument")
    ]
    attached = {
        ref
        for arn in ctx.r.items(props.get("ManagedPolicyArns"))
        if isinstance(arn, Unresolved)
        for ref in arn.refs
    }
    for lid, res in ctx.resources(
        "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"
    ):
        rprops = res.get("Properties")
        if not isinstance(rprops, Mapping):
            continue
        roles = ctx.r.items(rprops.get("Roles")) + ctx.r.strings(rprops.get("RoleName"))
        if lid in attached or any(isinstance(r, Unresolved) and role in r.refs for r in roles):
            docs.extend(ctx.values(rprops, "PolicyDocument"))
    return docs


def _allow_statements(ctx: CheckContext, docs: list[Any]) -> tuple[list[Mapping[str, Any]], bool]:
    """The Allow statements of policy documents, and whether any document is unknown."""
    statements: list[Mapping[str, Any]] = []
    unknown = False
    for doc in docs:
        if not isinstance(doc, Mapping):
            unknown = True
            continue
        for stmt in ctx.r.items(doc.get("Statement")):
            if isinstance(stmt, Mapping) and "Allow" in ctx.r.strings(stmt.get("Effect")):
                statements.append(stmt)
    return statements, unknown


def _allowed_actions(ctx: CheckContext, docs: list[Any]) -> tuple[list[str], bool]:
    """Actions allowed by the documents' Allow statements, and whether any is unknown."""
    statements, unknown = _allow_statements(ctx, docs)
    actions: list[str] = []
    for stmt in statements:
        for action in ctx.r.items(stmt.get("Action"), scalar_is_list=True):
            if isinstance(action, str):
                actions.append(action)
            else:
                unknown = True
    return actions, unknown


def _allows(actions: list[str], needed: str) -> bool:
    return any(fnmatch.fnmatch(needed.lower(), a.lower()) for a in actions)


BACKUP_SERVICE = "backup.amazonaws.com"


def _trusts_backup(ctx: CheckContext, props: Mapping[str, Any]) -> bool | None:
    """Whether the role's trust policy lets AWS Backup assume it (None: unknown offline)."""
    statements, unknown = _allow_statements(ctx, ctx.values(props, "AssumeRolePolicyDocument"))
    for stmt in statements:
        for principal in ctx.r.variants(stmt.get("Principal")):
            if principal == "*":
                return True
            if not isinstance(principal, Mapping):
                unknown = True
                continue
            services = ctx.r.items(principal.get("Service"), scalar_is_list=True)
            if BACKUP_SERVICE in services:
                return True
            unknown = unknown or any(isinstance(v, Unresolved) for v in services)
    return None if unknown else False


def _selected_services(ctx: CheckContext, sel: Selection) -> set[str] | None:
    """Services whose resources the selection names, or None if it may select any."""
    services: set[str] = set()
    for entry in ctx.r.items(sel.node.get("Resources")):
        if isinstance(entry, Unresolved) and entry.refs:
            kinds = [SELECTABLE.get(ctx.resource_type(r) or "") for r in entry.refs]
            if all(k is None for k in kinds):
                return None
            services |= {k.service for k in kinds if k is not None}
            continue
        text = entry.text if isinstance(entry, Unresolved) else str(entry)
        parts = arn_parts(text)
        if len(parts) < 6 or "*" in parts[2] or "${" in parts[2]:
            return None
        services.add(parts[2])
    if not services or ctx.r.items(sel.node.get("ListOfTags")):
        return None
    return services


@check("VP209")
def selection_role_policy(ctx: CheckContext) -> Result:
    buckets = selected_buckets(ctx)
    for sel in ctx.selections:
        path = (*sel.path, "IamRoleArn")
        for arn in ctx.values(sel.node, "IamRoleArn"):
            role = None
            if isinstance(arn, Unresolved):
                role = next((r for r in arn.refs if ctx.resource_type(r) == "AWS::IAM::Role"), None)
            if role is None:
                yield NotApplicable(
                    sel.logical_id, path, f"IamRoleArn {str(arn)!r} is not a role of this template"
                )
                continue
            props = ctx.template.typed_resources()[role].get("Properties")
            props = props if isinstance(props, Mapping) else {}
            trusted = _trusts_backup(ctx, props)
            if trusted is False:
                yield Issue(
                    sel.logical_id,
                    path,
                    f"IamRoleArn: role {role} does not trust {BACKUP_SERVICE} in its "
                    "AssumeRolePolicyDocument, so AWS Backup can't assume it; its backup jobs "
                    "would fail",
                )
                continue
            managed = [str(a) for a in ctx.r.items(props.get("ManagedPolicyArns"))]
            actions, unknown = _allowed_actions(ctx, _policy_documents(ctx, role, props))
            grants = _Grants(sel, path, role, managed, actions, unknown)
            yield from _general_policy(ctx, grants)
            s3 = [b.logical_id for b, sels, sure in buckets if sure and sel.logical_id in sels]
            if s3 or S3_BUCKET.service in (_selected_services(ctx, sel) or ()):
                yield from _s3_policy(grants, s3)


def _has_managed(managed: list[str], name: str) -> bool:
    return any(a.endswith("/" + name) for a in managed)


class _Grants(NamedTuple):
    """What a selection's role ``role`` is granted: its managed policy ARNs and the actions its
    statements allow (``unknown``: some statement is unknown offline)."""

    sel: Selection
    path: Path
    role: str
    managed: list[str]
    actions: list[str]
    unknown: bool


def _general_policy(ctx: CheckContext, grants: _Grants) -> Result:
    sel, path, role, managed, actions, unknown = grants
    if _has_managed(managed, MANAGED_BACKUP_POLICY):
        return
    services = _selected_services(ctx, sel)
    wanted = sorted(services) if services is not None else sorted(SERVICE_ACTIONS)
    granted = [s for s in wanted if any(_allows(actions, a) for a in SERVICE_ACTIONS.get(s, ()))]
    missing = [s for s in wanted if s not in granted and s in SERVICE_ACTIONS]
    if services is None and granted:
        if len(missing) > 0:
            yield NotApplicable(
                sel.logical_id,
                path,
                f"role {role} may back up {', '.join(granted)} only; the selection may "
                "select other resource types",
            )
        return
    if not missing:
        return
    if unknown:
        yield NotApplicable(sel.logical_id, path, f"role {role} has statements unknown offline")
        return
    need = ", ".join(a for s in missing for a in SERVICE_ACTIONS[s][:1])
    yield Issue(
        sel.logical_id,
        path,
        f"IamRoleArn: role {role} has neither the managed policy "
        f"{MANAGED_BACKUP_POLICY} nor statements allowing {need}; its backup jobs "
        "would fail. Attach the managed policy",
    )


def _s3_policy(grants: _Grants, buckets: list[str]) -> Result:
    """The S3 part: AWS Backup needs the S3 managed policy besides the general one
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html)."""
    sel, path, role, managed, actions, unknown = grants
    if _has_managed(managed, S3_BACKUP_POLICY):
        return
    if any(_allows(actions, a) for a in S3_BUCKET.backup_actions):
        return
    if unknown:
        yield NotApplicable(sel.logical_id, path, f"role {role} has statements unknown offline")
        return
    what = f"bucket(s) {', '.join(buckets)}" if buckets else "S3 buckets"
    yield Issue(
        sel.logical_id,
        path,
        f"IamRoleArn: the selection selects {what}, but role {role} has neither the managed "
        f"policy {S3_BACKUP_POLICY} nor statements allowing "
        f"{', '.join(S3_BUCKET.backup_actions)}; its S3 backup jobs would fail. Attach "
        f"{S3_BACKUP_POLICY} (and {S3_RESTORE_POLICY} to restore)",
    )
