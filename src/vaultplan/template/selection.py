"""What an AWS Backup selection selects, matched offline.

Selection semantics (AWS Backup ``BackupSelection`` and its assign-resources guide,
https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html):
``Resources`` ARNs are OR'ed; ``Conditions`` are AND'ed with them; ``ListOfTags`` entries are
OR'ed, and OR'ed with ``Resources``; ``NotResources`` excludes. No ARN and no tag selects
every supported resource. Matching is three-valued: True, False, or None when a value is
unknown offline. ``vaultplan check`` (coverage) and ``vaultplan simulate`` (what a plan
protects) both match through :class:`SelectionMatcher`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any

from vaultplan.aws.resource_types import PROTECTABLE, SELECTABLE, Protectable
from vaultplan.template.loader import LoadedTemplate
from vaultplan.template.resolve import Resolver, Unresolved, arn_parts, cfn_str

__all__ = ["PROTECTABLE", "Protectable", "SelectionMatcher", "Target", "Tri", "tri_and", "tri_or"]

#: A three-valued verdict: True, False, or None (unknown offline).
Tri = bool | None


def tri_or(values: list[Tri]) -> Tri:
    if True in values:
        return True
    return None if None in values else False


def tri_and(values: list[Tri]) -> Tri:
    if False in values:
        return False
    return None if None in values else True


class Target:
    """One protectable resource of the template, as a selection sees it: its name and its
    tags, resolved (a value unknown offline makes the matching answer None)."""

    def __init__(self, resolver: Resolver, logical_id: str, res: Mapping[str, Any]) -> None:
        self.logical_id = logical_id
        self.type = str(res["Type"])
        self.kind = SELECTABLE[self.type]
        props = res.get("Properties")
        self.props = props if isinstance(props, Mapping) else {}
        self.r = resolver
        names = (
            resolver.strings(self.props.get(self.kind.name_property))
            if self.kind.name_property
            else []
        )
        self.name = names[0] if len(names) == 1 and isinstance(names[0], str) else None
        #: The name property is set, to a value unknown offline.
        self.name_unknown = self.name is None and any(n is not None for n in names)
        self.tags: dict[str, list[str | Unresolved | None]] = {}
        self.tags_unknown = False
        for tag in resolver.items(self.props.get(self.kind.tags_property)):
            if not isinstance(tag, Mapping):
                self.tags_unknown = True
                continue
            keys = resolver.strings(tag.get("Key"))
            if len(keys) != 1 or not isinstance(keys[0], str):
                self.tags_unknown = True
                continue
            self.tags[keys[0]] = resolver.strings(tag.get("Value"))

    def arn_match(self, entry: Any) -> Tri:
        if isinstance(entry, Unresolved):
            if self.logical_id in entry.refs:
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
        overrides = self.r.overrides
        for value, pseudo, default in (
            (partition, "AWS::Partition", "aws"),
            (region, "AWS::Region", None),
            (account, "AWS::AccountId", None),
        ):
            if value == "*" or value == f"${{{pseudo}}}":
                verdicts.append(True)
            elif not self.kind.regional and pseudo != "AWS::Partition":
                verdicts.append(value == "")  # arn:aws:s3:::bucket has no Region or account
            elif "${" in value:
                verdicts.append(None)
            else:
                known = overrides.get(pseudo, default)
                verdicts.append(None if known is None else fnmatch.fnmatchcase(known, value))
        verdicts.append(self._resource_match(resource))
        return tri_and(verdicts)

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
        if self.name_unknown:
            return None
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
        statuses = self.r.lookup(self.props, "BackupPolicy", "Status")
        return statuses == ["ENABLED"]


class SelectionMatcher:
    """Matches the backup selections of one template against its protectable resources."""

    def __init__(self, template: LoadedTemplate, resolver: Resolver) -> None:
        self.template = template
        self.r = resolver

    def targets(self, kinds: Mapping[str, Protectable] = PROTECTABLE) -> list[Target]:
        """The template's resources of ``kinds`` (default: the protectable ones; S3 buckets
        are in :data:`~vaultplan.aws.resource_types.SELECTABLE`) that may be deployed."""
        return [
            Target(self.r, lid, res)
            for lid, res in self.template.typed_resources().items()
            if res.get("Type") in kinds and self.r.deployed(res) is not False
        ]

    def selects(self, logical_id: str, selection: Mapping[str, Any], target: Target) -> Tri:
        """Whether the selection ``logical_id`` (its ``BackupSelection`` property, one
        variant) selects ``target``: True, False, or None when unknown offline."""
        r = self.r
        resources = r.items(selection.get("Resources"))
        tags = r.items(selection.get("ListOfTags"))
        arn_part: Tri = tri_or([target.arn_match(e) for e in resources]) if resources else not tags
        tag_verdicts: list[Tri] = []
        for tag in tags:
            if not isinstance(tag, Mapping):
                tag_verdicts.append(None)
                continue
            keys = r.strings(tag.get("ConditionKey"))
            values = r.strings(tag.get("ConditionValue"))
            tag_verdicts.append(
                tri_or(
                    [
                        target.tag_match(k, "StringEquals", v) if isinstance(k, str) else None
                        for k in keys
                        for v in values
                    ]
                )
            )
        tag_part: Tri = tri_or(tag_verdicts) if tags else False
        cond_verdicts: list[Tri] = []
        for conds in r.lookup(selection, "Conditions"):
            if isinstance(conds, Unresolved):
                cond_verdicts.append(None)
            elif isinstance(conds, Mapping):
                for op, entries in conds.items():
                    for entry in r.items(entries):
                        if not isinstance(entry, Mapping):
                            cond_verdicts.append(None)
                            continue
                        for k in r.strings(entry.get("ConditionKey")):
                            for v in r.strings(entry.get("ConditionValue")):
                                cond_verdicts.append(
                                    target.tag_match(k, op, v) if isinstance(k, str) else None
                                )
        excluded = tri_or([target.arn_match(e) for e in r.items(selection.get("NotResources"))])
        verdict = tri_and(
            [
                tri_or([arn_part, tag_part]),
                tri_and(cond_verdicts),
                None if excluded is None else not excluded,
            ]
        )
        if verdict is True and r.deployed(self.template.typed_resources()[logical_id]) is None:
            return None  # the selection itself may not be created
        return verdict
