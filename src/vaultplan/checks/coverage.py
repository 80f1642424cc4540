"""Which resources the selections cover (VP208), and whether their roles may back up (VP209).

What a selection selects is matched by :mod:`vaultplan.template.selection`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext, Selection
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved, arn_parts
from vaultplan.template.selection import PROTECTABLE, SelectionMatcher, tri_or

Result = Iterator[Issue | NotApplicable]
_DEV = "https://docs.aws.amazon.com/aws-backup/latest/devguide/"


_SERVICE_ACTIONS: dict[str, tuple[str, ...]] = {}
for _p in PROTECTABLE.values():
    _SERVICE_ACTIONS[_p.service] = _SERVICE_ACTIONS.get(_p.service, ()) + _p.backup_actions


@check(
    "VP208",
    Severity.WARNING,
    "EFS, EBS, RDS or DynamoDB resource that no backup selection covers",
    "Every file system, volume, database and table in the template should be covered by a "
    "selection: by ARN (`Ref`, `Fn::GetAtt` or `Fn::Sub` of the resource, or a wildcard "
    "ARN), or by tags (`ListOfTags`, `Conditions`) that match the resource's tags. EFS "
    "automatic backups (`BackupPolicy: {Status: ENABLED}`) count as covered.",
    _DEV + "assigning-resources.html",
)
def uncovered_resources(ctx: CheckContext) -> Result:
    matcher = SelectionMatcher(ctx.template, ctx.r)
    for target in matcher.targets():
        if target.type == "AWS::RDS::DBInstance" and target.props.get("DBClusterIdentifier"):
            continue  # an Aurora instance: its cluster is what AWS Backup protects
        if target.covered_by_automatic_backup():
            continue
        verdict = tri_or([matcher.selects(s.logical_id, s.node, target) for s in ctx.selections])
        path = ("Resources", target.logical_id)
        if verdict is None:
            yield NotApplicable(
                target.logical_id,
                path,
                "whether a selection covers it depends on values unknown offline",
            )
        elif verdict is False:
            how = (
                f"none of the {len(ctx.selections)} backup selection(s) matches it by ARN or tags"
                if ctx.selections
                else "the template has no backup selection"
            )
            yield Issue(
                target.logical_id,
                path,
                f"{target.type} {target.logical_id} is not backed up: {how}. Add its ARN to a "
                "selection's Resources, or tag it to match one",
            )


MANAGED_BACKUP_POLICY = "AWSBackupServiceRolePolicyForBackup"


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
            kinds = [PROTECTABLE.get(ctx.resource_type(r) or "") for r in entry.refs]
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


@check(
    "VP209",
    Severity.WARNING,
    "Backup selection role lacks a backup policy",
    "The role in a selection's `IamRoleArn` is what AWS Backup uses to back up the "
    "resources. Without the managed policy `AWSBackupServiceRolePolicyForBackup` or "
    "statements allowing the backup actions of each selected service "
    "(`elasticfilesystem:Backup`, `ec2:CreateSnapshot`, `rds:CreateDBSnapshot`, "
    "`dynamodb:CreateBackup`...), or without trusting `backup.amazonaws.com` in its "
    "`AssumeRolePolicyDocument`, every backup job fails.",
    _DEV + "iam-service-roles.html",
)
def selection_role_policy(ctx: CheckContext) -> Result:
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
            if any(a.endswith("/" + MANAGED_BACKUP_POLICY) for a in managed):
                continue
            actions, unknown = _allowed_actions(ctx, _policy_documents(ctx, role, props))
            services = _selected_services(ctx, sel)
            wanted = sorted(services) if services is not None else sorted(_SERVICE_ACTIONS)
            granted = [
                s for s in wanted if any(_allows(actions, a) for a in _SERVICE_ACTIONS.get(s, ()))
            ]
            missing = [s for s in wanted if s not in granted and s in _SERVICE_ACTIONS]
            if services is None and granted:
                if len(missing) > 0:
                    yield NotApplicable(
                        sel.logical_id,
                        path,
                        f"role {role} may back up {', '.join(granted)} only; the selection may "
                        "select other resource types",
                    )
                continue
            if not missing:
                continue
            if unknown:
                yield NotApplicable(
                    sel.logical_id, path, f"role {role} has statements unknown offline"
                )
                continue
            need = ", ".join(a for s in missing for a in _SERVICE_ACTIONS[s][:1])
            yield Issue(
                sel.logical_id,
                path,
                f"IamRoleArn: role {role} has neither the managed policy "
                f"{MANAGED_BACKUP_POLICY} nor statements allowing {need}; its backup jobs "
                "would fail. Attach the managed policy",
            )
