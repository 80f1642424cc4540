"""Which resources the selections cover (VP208), and whether their roles may back up (VP209).

Selection semantics (AWS Backup ``BackupSelection`` and its assign-resources guide):
``Resources`` ARNs are OR'ed; ``Conditions`` are AND'ed with them; ``ListOfTags`` entries are
OR'ed, and OR'ed with ``Resources``; ``NotResources`` excludes. No ARN and no tag selects
every supported resource. Matching is three-valued: True, False, or None when a value is
unknown offline.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from vaultplan.aws.resource_types import PROTECTABLE
from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext, Selection
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved, arn_parts, cfn_str

Result = Iterator[Issue | NotApplicable]
Tri = bool | None
_DEV = "https://docs.aws.amazon.com/aws-backup/latest/devguide/"


_SERVICE_ACTIONS: dict[str, tuple[str, ...]] = {}
for _p in PROTECTABLE.values():
    _SERVICE_ACTIONS[_p.service] = _SERVICE_ACTIONS.get(_p.service, ()) + _p.backup_actions


def _or(values: list[Tri]) -> Tri:
    if True in values:
        return True
    return None if None in values else False


def _and(values: list[Tri]) -> Tri:
    if False in values:
        return False
    return None if None in values else True


class _Target:
    """One protectable resource of the template, as a selection sees it."""

    def __init__(self, ctx: CheckContext, lid: str, res: Mapping[str, Any]) -> None:
        self.lid = lid
        self.type = str(res["Type"])
        self.kind = PROTECTABLE[self.type]
        props = res.get("Properties")
        self.props = props if isinstance(props, Mapping) else {}
        self.ctx = ctx
        names = (
            ctx.r.strings(self.props.get(self.kind.name_property))
            if self.kind.name_property
            else []
        )
        self.name = names[0] if len(names) == 1 and isinstance(names[0], str) else None
        self.tags: dict[str, list[str | Unresolved | None]] = {}
        self.tags_unknown = False
        for tag in ctx.r.items(self.props.get(self.kind.tags_property)):
            if not isinstance(tag, Mapping):
                self.tags_unknown = True
                continue
            keys = ctx.r.strings(tag.get("Key"))
            if len(keys) != 1 or not isinstance(keys[0], str):
                self.tags_unknown = True
                continue
            self.tags[keys[0]] = ctx.r.strings(tag.get("Value"))

    def arn_match(self, entry: Any) -> Tri:
        if isinstance(entry, Unresolved):
            if self.lid in entry.refs:
                return True
            if entry.refs:
                return False  # the ARN of another resource of this template
            pattern = entry.text
        elif isinstance(entry, str):
            pattern = entry
        else:
            return None
        if pattern == "*":
            return True
        parts = arn_parts(pattern)
        if len(parts) != 6 or parts[0] != "arn":
            return None if "${" in pattern else False
        _arn, partition, service, region, account, resource = parts
        if "${" in service:
            return None
        if not fnmatch.fnmatchcase(self.kind.service, service):
            return False
        verdicts: list[Tri] = []
        overrides = self.ctx.r.overrides
        for value, pseudo, default in (
            (partition, "AWS::Partition", "aws"),
            (region, "AWS::Region", None),
            (account, "AWS::AccountId", None),
        ):
            if value == "*" or value == f"${{{pseudo}}}":
                verdicts.append(True)
            elif "${" in value:
                verdicts.append(None)
            else:
                known = overrides.get(pseudo, default)
                verdicts.append(None if known is None else fnmatch.fnmatchcase(known, value))
        verdicts.append(self._resource_match(resource))
        return _and(verdicts)

    def _resource_match(self, pattern: str) -> Tri:
        if pattern == "*":
            return True
        prefix = self.kind.resource_prefix
        if "${" in pattern:
            return None
        if not pattern.startswith(prefix):
            return fnmatch.fnmatchcase(prefix + "x", pattern)
        ident = pattern[len(prefix) :]
        if ident == "*":
            return True
        if self.name is not None:
            return fnmatch.fnmatchcase(self.name, ident)
        # The physical id is generated at deploy: a literal id names some other resource.
        return None if "*" in ident or "?" in ident else False

    def tag_match(self, key: str, op: str, wanted: Any) -> Tri:
        """Does this resource's tag ``key`` satisfy ``op`` (StringEquals, StringLike, ...)?"""
        if key.startswith("aws:ResourceTag/"):
            key = key[len("aws:ResourceTag/") :]
        if isinstance(wanted, Unresolved) or wanted is None:
            return None
        wanted = str(cfn_str(wanted))
        negate = op.lower().startswith("stringnot")
        like = op.lower().endswith("like")
        if key not in self.tags:
            return None if self.tags_unknown else negate
        results: list[Tri] = []
        for value in self.tags[key]:
            if not isinstance(value, str):
                results.append(None)
            else:
                hit = fnmatch.fnmatchcase(value, wanted) if like else value == wanted
                results.append(hit != negate)
        if len(set(results)) == 1:
            return results[0]
        return None

    def covered_by_automatic_backup(self) -> bool:
        if self.type != "AWS::EFS::FileSystem":
            return False
        statuses = self.ctx.values(self.props, "BackupPolicy", "Status")
        return statuses == ["ENABLED"]


def _selects(ctx: CheckContext, sel: Selection, target: _Target) -> Tri:
    resources = ctx.r.items(sel.node.get("Resources"))
    tags = ctx.r.items(sel.node.get("ListOfTags"))
    arn_part: Tri = _or([target.arn_match(e) for e in resources]) if resources else not tags
    tag_verdicts: list[Tri] = []
    for tag in tags:
        if not isinstance(tag, Mapping):
            tag_verdicts.append(None)
            continue
        keys = ctx.r.strings(tag.get("ConditionKey"))
        values = ctx.r.strings(tag.get("ConditionValue"))
        tag_verdicts.append(
            _or(
                [
                    target.tag_match(k, "StringEquals", v) if isinstance(k, str) else None
                    for k in keys
                    for v in values
                ]
            )
        )
    tag_part: Tri = _or(tag_verdicts) if tags else False
    cond_verdicts: list[Tri] = []
    for conds in ctx.values(sel.node, "Conditions"):
        if isinstance(conds, Unresolved):
            cond_verdicts.append(None)
        elif isinstance(conds, Mapping):
            for op, entries in conds.items():
                for entry in ctx.r.items(entries):
                    if not isinstance(entry, Mapping):
                        cond_verdicts.append(None)
                        continue
                    for k in ctx.r.strings(entry.get("ConditionKey")):
                        for v in ctx.r.strings(entry.get("ConditionValue")):
                            cond_verdicts.append(
                                target.tag_match(k, op, v) if isinstance(k, str) else None
                            )
    excluded = _or([target.arn_match(e) for e in ctx.r.items(sel.node.get("NotResources"))])
    verdict = _and(
        [_or([arn_part, tag_part]), _and(cond_verdicts), None if excluded is None else not excluded]
    )
    if verdict is True and ctx.r.deployed(ctx.template.typed_resources()[sel.logical_id]) is None:
        return None  # the selection itself may not be created
    return verdict


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
    targets = [_Target(ctx, lid, res) for lid, res in ctx.resources(*PROTECTABLE)]
    for target in targets:
        if target.type == "AWS::RDS::DBInstance" and target.props.get("DBClusterIdentifier"):
            continue  # an Aurora instance: its cluster is what AWS Backup protects
        if target.covered_by_automatic_backup():
            continue
        verdict = _or([_selects(ctx, sel, target) for sel in ctx.selections])
        path = ("Resources", target.lid)
        if verdict is None:
            yield NotApplicable(
                target.lid, path, "whether a selection covers it depends on values unknown offline"
            )
        elif verdict is False:
            how = (
                f"none of the {len(ctx.selections)} backup selection(s) matches it by ARN or tags"
                if ctx.selections
                else "the template has no backup selection"
            )
            yield Issue(
                target.lid,
                path,
                f"{target.type} {target.lid} is not backed up: {how}. Add its ARN to a "
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
