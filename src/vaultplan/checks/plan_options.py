"""Checks of a plan's options beyond schedule and lifecycle: the archive tier opt-in (VP117),
index actions and advanced backup settings (VP118), malware scanning (VP119), and settings for
a resource type the plan's selections never pick (VP213).

Their facts live in :mod:`vaultplan.aws.plan_options`, shared with the construct's and the
config's validation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vaultplan.aws import plan_options as aws_options
from vaultplan.aws.resource_types import resource_type_names, resource_types_of
from vaultplan.checks.finding import Issue
from vaultplan.checks.model import CheckContext, Result, Rule, props_path
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved, cfn_str

_ARCHIVE_KEY = "OptInToArchiveForSupportedResources"
_TEMPLATE_TYPES = {
    "AWS::EFS::FileSystem": "EFS",
    "AWS::EC2::Volume": "EBS",
    "AWS::EC2::Instance": "EC2",
    "AWS::S3::Bucket": "S3",
    "AWS::RDS::DBInstance": "RDS",
    "AWS::RDS::DBCluster": "Aurora",
    "AWS::DynamoDB::Table": "DynamoDB",
}
"""CloudFormation types a selection's ARN may reference, as AWS Backup names them."""


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _lifecycles(ctx: CheckContext, rule: Rule) -> Iterator[tuple[Any, tuple[Any, ...], str]]:
    """``(lifecycle, path, field)`` of the rule's own lifecycle and of each copy's."""
    for lc in ctx.values(rule.node, "Lifecycle"):
        yield lc, (*rule.path, "Lifecycle"), rule.field("Lifecycle")
    for i, action in ctx.copy_actions(rule):
        if i is None or not isinstance(action, Mapping):
            continue
        for lc in ctx.values(action, "Lifecycle"):
            yield (
                lc,
                (*rule.path, "CopyActions", i, "Lifecycle"),
                rule.field(f"CopyActions[{i}].Lifecycle"),
            )


@check("VP117")
def archive_opt_in(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        continuous = ctx.continuous(rule)
        for lc, path, field in _lifecycles(ctx, rule):
            if not isinstance(lc, Mapping):
                continue
            for opt_in in ctx.values(lc, _ARCHIVE_KEY):
                if isinstance(opt_in, Unresolved):
                    yield ctx.not_applicable(rule.plan, (*path, _ARCHIVE_KEY), field, opt_in)
                    continue
                if not _true(opt_in):
                    continue
                own = path[-2] != "CopyActions" and len(path) == len(rule.path) + 1
                for cold in ctx.values(lc, "MoveToColdStorageAfterDays"):
                    message = aws_options.archive(
                        True, cold, own and continuous is True, f"{field}.{_ARCHIVE_KEY}"
                    )
                    for text in message:
                        yield Issue(rule.plan, (*path, _ARCHIVE_KEY), text)


def _index_problems(ctx: CheckContext, rule: Rule) -> Iterator[tuple[tuple[Any, ...], str]]:
    for actions in ctx.values(rule.node, "IndexActions"):
        if not isinstance(actions, list):
            continue
        path = (*rule.path, "IndexActions")
        if len(actions) > 1:
            yield (
                path,
                (
                    f"{rule.field('IndexActions')}: got {len(actions)} index actions; AWS Backup "
                    "takes at most one per rule"
                ),
            )
        for i, action in enumerate(actions):
            if not isinstance(action, Mapping):
                continue
            for types in ctx.values(action, "ResourceTypes"):
                if isinstance(types, list) and not any(isinstance(t, Unresolved) for t in types):
                    field = rule.field(f"IndexActions[{i}].ResourceTypes")
                    for text in aws_options.index_types([cfn_str(t) for t in types], field):
                        yield (*path, i, "ResourceTypes"), text


def _advanced_problems(
    ctx: CheckContext, lid: str, plan: Mapping[str, Any]
) -> Iterator[tuple[tuple[Any, ...], str]]:
    for settings in ctx.values(plan, "AdvancedBackupSettings"):
        if not isinstance(settings, list):
            continue
        for i, item in enumerate(settings):
            if not isinstance(item, Mapping):
                continue
            path = props_path(lid, "BackupPlan", "AdvancedBackupSettings", i)
            field = f"AdvancedBackupSettings[{i}]"
            for rtype in ctx.values(item, "ResourceType"):
                for options in ctx.values(item, "BackupOptions"):
                    if isinstance(rtype, Unresolved) or not isinstance(options, Mapping):
                        continue
                    for key, value in options.items():
                        if isinstance(value, Unresolved):
                            continue
                        for text in aws_options.advanced_option(rtype, key, value, field):
                            yield path, text


def _plans(ctx: CheckContext) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for lid, res in ctx.resources("AWS::Backup::BackupPlan"):
        for plan in ctx.values(res.get("Properties"), "BackupPlan"):
            if isinstance(plan, Mapping):
                yield lid, plan


@check("VP118")
def index_and_advanced(ctx: CheckContext) -> Result:
    for rule in ctx.rules:
        for path, text in _index_problems(ctx, rule):
            yield Issue(rule.plan, path, text)
    for lid, plan in _plans(ctx):
        for path, text in _advanced_problems(ctx, lid, plan):
            yield Issue(lid, path, text)


def _scan_settings(ctx: CheckContext, plan: Mapping[str, Any]) -> set[str] | None:
    """The scanners the plan's ``ScanSettings`` configure (None: unknown offline)."""
    scanners: set[str] = set()
    for settings in ctx.values(plan, "ScanSettings"):
        if isinstance(settings, Unresolved):
            return None
        for item in settings if isinstance(settings, list) else []:
            for scanner in ctx.values(item, "MalwareScanner"):
                if isinstance(scanner, Unresolved):
                    return None
                if scanner is not None:
                    scanners.add(str(cfn_str(scanner)))
    return scanners


@check("VP119")
def scan_actions(ctx: CheckContext) -> Result:
    plans = dict(_plans(ctx))
    for rule in ctx.rules:
        plan = plans.get(rule.plan)
        scanners = None if plan is None else _scan_settings(ctx, plan)
        for actions in ctx.values(rule.node, "ScanActions"):
            for i, action in enumerate(actions if isinstance(actions, list) else []):
                for scanner in ctx.values(action, "MalwareScanner"):
                    if scanner is None or isinstance(scanner, Unresolved) or scanners is None:
                        continue
                    if str(cfn_str(scanner)) not in scanners:
                        yield Issue(
                            rule.plan,
                            (*rule.path, "ScanActions", i),
                            f"{rule.field(f'ScanActions[{i}].MalwareScanner')}: got "
                            f"{cfn_str(scanner)!r}, and the plan's ScanSettings configure no "
                            "such scanner; add a ScanSettings entry for it",
                        )
    for lid, plan in plans.items():
        for settings in ctx.values(plan, "ScanSettings"):
            for i, item in enumerate(settings if isinstance(settings, list) else []):
                for types in ctx.values(item, "ResourceTypes"):
                    if isinstance(types, list) and not any(
                        isinstance(t, Unresolved) for t in types
                    ):
                        field = f"ScanSettings[{i}].ResourceTypes"
                        for text in aws_options.scan_types([cfn_str(t) for t in types], field):
                            yield Issue(
                                lid,
                                props_path(lid, "BackupPlan", "ScanSettings", i, "ResourceTypes"),
                                text,
                            )


def _entry_types(ctx: CheckContext, entry: Any) -> set[str] | None:
    """AWS Backup's types one ``Resources`` entry may select (None: unknown offline)."""
    if isinstance(entry, Unresolved):
        types = set(resource_types_of(entry.text))
        for ref in entry.refs:
            kind = _TEMPLATE_TYPES.get(ctx.resource_type(ref) or "")
            if kind is not None:
                types.add(kind)
        return types or None
    if isinstance(entry, str):
        return set(resource_types_of(entry))
    return None


def _selected_types(ctx: CheckContext, plan: str) -> set[str] | None:
    """What the plan's selections may pick, as AWS Backup names types (None: unknown)."""
    types: set[str] = set()
    found = False
    for selection in ctx.selections:
        if ctx.plan_of(selection) != plan:
            continue
        found = True
        lists = ctx.values(selection.node, "Resources")
        for resources in lists:
            if resources is None:
                types.update(resource_type_names())  # by tags alone: every type
                continue
            if not isinstance(resources, list):
                return None
            for item in resources:
                for entry in ctx.r.variants(item):
                    entry_types = _entry_types(ctx, entry)
                    if entry_types is None:
                        return None
                    types |= entry_types
    return types if found else None


def _wanted(ctx: CheckContext, rule: Rule) -> Iterator[tuple[tuple[Any, ...], str, set[str]]]:
    """``(path, what, types)``: each rule setting that works on some resource types only."""
    for lc, path, field in _lifecycles(ctx, rule):
        if isinstance(lc, Mapping) and any(_true(v) for v in ctx.values(lc, _ARCHIVE_KEY)):
            yield (*path, _ARCHIVE_KEY), f"{field}.{_ARCHIVE_KEY}", set(aws_options.ARCHIVE_TYPES)
    for actions in ctx.values(rule.node, "IndexActions"):
        for i, action in enumerate(actions if isinstance(actions, list) else []):
            for types in ctx.values(action, "ResourceTypes"):
                if isinstance(types, list) and all(isinstance(t, str) for t in types):
                    yield (
                        (*rule.path, "IndexActions", i),
                        rule.field(f"IndexActions[{i}]"),
                        set(types),
                    )


def _plan_wanted(
    ctx: CheckContext, lid: str, plan: Mapping[str, Any]
) -> Iterator[tuple[tuple[Any, ...], str, set[str]]]:
    for key in ("AdvancedBackupSettings", "ScanSettings"):
        for settings in ctx.values(plan, key):
            for i, item in enumerate(settings if isinstance(settings, list) else []):
                names = ("ResourceType",) if key == "AdvancedBackupSettings" else ("ResourceTypes",)
                for value in ctx.values(item, *names):
                    found = value if isinstance(value, list) else [value]
                    if found and all(isinstance(t, str) for t in found):
                        yield (
                            props_path(lid, "BackupPlan", key, i),
                            f"{key}[{i}]",
                            set(found),
                        )


@check("VP213")
def setting_without_type(ctx: CheckContext) -> Result:
    plans = dict(_plans(ctx))
    selected: dict[str, set[str] | None] = {lid: _selected_types(ctx, lid) for lid in plans}
    wanted = [(rule.plan, *item) for rule in ctx.rules for item in _wanted(ctx, rule)]
    wanted += [(lid, *item) for lid, plan in plans.items() for item in _plan_wanted(ctx, lid, plan)]
    for plan, path, what, types in wanted:
        picked = selected.get(plan)
        if picked is None or types & picked:
            continue
        yield Issue(
            plan,
            path,
            f"{what}: acts on {', '.join(sorted(types))}, and the plan's selections pick "
            f"none of them ({', '.join(sorted(picked)) or 'nothing'}); AWS Backup ignores it",
        )
