"""Which resources the selections cover (VP208); whether their roles may back up what they
select (VP209) is :mod:`vaultplan.checks.selection`.

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
