"""The CloudFormation resource provider schemas that cfn-lint bundles, per Region.

cfn-lint ships ``cfnlint/data/schemas/providers/<region>.json`` (an index from type name
to a hash) and ``cfnlint/data/schemas/resources/<hash>.json`` (one schema each). Only the
index of the Region asked for and the schemas of the types a template uses are read, and
cfn-lint itself is never imported here (importing it costs most of a second).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError

#: The handler operations CloudFormation calls during a deploy, in the order it calls them.
OPERATIONS = ("create", "read", "update", "delete")


@cache
def schemas_dir() -> Path:
    """The ``cfnlint/data/schemas`` folder of the installed cfn-lint (not imported)."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("cfn-lint: not installed; vaultplan needs cfn-lint's bundled schemas")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "schemas"


@cache
def regions() -> tuple[str, ...]:
    """Every Region cfn-lint has a schema index for."""
    return tuple(sorted(p.stem for p in (schemas_dir() / "providers").glob("*.json")))


@cache
def _index(region: str) -> Mapping[str, str]:
    # Only a name cfn-lint has an index for is made into a path: a value with a "/" or one
    # too long for a file name never reaches the file system.
    known = region in regions()
    path = schemas_dir() / "providers" / f"{region}.json"
    if not known or not path.is_file():
        shown = ", ".join(regions()[:6])
        raise InputError(
            f"--region: got {region!r}; cfn-lint 1.58.0 has schemas for {len(regions())} "
            f"Regions such as {shown} (see `vaultplan policy --help`)"
        )
    data: Mapping[str, str] = json.loads(path.read_text())
    return data


@dataclass(frozen=True)
class ResourceSchema:
    """The parts of one resource type's schema that deploy permissions depend on."""

    type_name: str
    handlers: Mapping[str, tuple[str, ...]]
    properties: Mapping[str, Any]
    primary_identifier: tuple[str, ...]
    read_only: frozenset[str]
    create_only: frozenset[str]
    definitions: Mapping[str, Any] = field(default_factory=dict)

    @property
    def has_handlers(self) -> bool:
        return any(self.handlers.get(op) for op in OPERATIONS)

    def permissions(self, operation: str) -> tuple[str, ...]:
        return self.handlers.get(operation, ())

    def property_schema(self, name: str) -> Mapping[str, Any] | None:
        """A property's schema, with a ``$ref`` to ``#/definitions/X`` followed."""
        prop = self.properties.get(name)
        for _ in range(5):
            if not isinstance(prop, Mapping):
                return None
            ref = prop.get("$ref")
            if not (isinstance(ref, str) and ref.startswith("#/definitions/")):
                return prop
            prop = self.definitions.get(ref.removeprefix("#/definitions/"))
        return None


def _props(pointers: Any) -> frozenset[str]:
    out = set()
    for ptr in pointers or ():
        if isinstance(ptr, str) and ptr.startswith("/properties/"):
            out.add(ptr.removeprefix("/properties/").split("/")[0])
    return frozenset(out)


@cache
def _load(path: Path) -> ResourceSchema:
    raw = json.loads(path.read_text())
    handlers = {
        op: tuple(str(a) for a in (h.get("permissions") or ()))
        for op, h in (raw.get("handlers") or {}).items()
        if isinstance(h, Mapping)
    }
    return ResourceSchema(
        type_name=raw.get("typeName", path.stem),
        handlers=handlers,
        properties=raw.get("properties") or {},
        primary_identifier=tuple(sorted(_props(raw.get("primaryIdentifier")))),
        read_only=_props(raw.get("readOnlyProperties")),
        create_only=_props(raw.get("createOnlyProperties")),
        definitions=raw.get("definitions") or {},
    )


def get_schema(type_name: str, region: str) -> ResourceSchema | None:
    """The schema of ``type_name`` in ``region``, or ``None`` if the Region has no such type."""
    digest = _index(region).get(type_name)
    if digest is None:
        return None
    return _load(schemas_dir() / "resources" / f"{digest}.json")


def known_in_any_region(type_name: str) -> bool:
    """Whether any Region's index names ``type_name`` (to tell a typo from a regional gap)."""
    return any(type_name in _index(r) for r in regions())


def schema_date() -> str:
    """The ``schema_date`` cfn-lint records for its bundled schemas."""
    data = json.loads((schemas_dir() / "version.json").read_text())
    return str(data.get("schema_date", "unknown"))
