"""The stacks of a CDK cloud assembly (``cdk.out``), read through its ``manifest.json``.

The manifest's shape is the CDK cloud assembly schema
(https://github.com/cdklabs/cloud-assembly-schema, lib/cloud-assembly/artifact-schema.ts):
``artifacts`` maps an artifact id to ``{"type": ..., "properties": {...}}``. A stack
(``aws:cloudformation:stack``) names its template by ``properties.templateFile``; a nested
assembly (``cdk:cloud-assembly``, one per CDK Stage) names its folder by
``properties.directoryName``, holding a manifest of its own. Other artifacts (the tree,
asset manifests) are not read.

Containment: every path a manifest names must resolve, symlinks followed, inside the
assembly folder that was given. An absolute path, a ``../`` that climbs out, or a symlink
that leads out is declined with one line naming the manifest field and its value; so is a
manifest of the wrong shape. Nested assemblies are read once each, at most
:data:`MAX_ASSEMBLY_DEPTH` deep (CDK nests one folder per Stage inside a Stage).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError, shown
from vaultplan.template.nesting import loads_json
from vaultplan.template.text import inside, read_text

__all__ = ["MANIFEST", "MAX_ASSEMBLY_DEPTH", "Stack", "assembly_stacks"]

MANIFEST = "manifest.json"
#: The most levels of nested assemblies (Stages within Stages) read below the top one.
MAX_ASSEMBLY_DEPTH = 8

#: A stack of the assembly: its name and the Region of its environment, if known.
Stack = tuple[str, str | None]

_STACK = "aws:cloudformation:stack"
_NESTED = "cdk:cloud-assembly"


class _Got:
    """A JSON value as an error line quotes it (``[]``, ``3``, ``null``)."""

    def __init__(self, value: Any) -> None:
        self.text = json.dumps(value, ensure_ascii=False, default=str)

    def __str__(self) -> str:
        return self.text


def _got(value: Any) -> str:
    return shown(value) if isinstance(value, str) else shown(_Got(value))


def _string(props: Mapping[str, Any], key: str, where: str) -> str:
    if key not in props:
        raise InputError(f"{where}: missing")
    value = props[key]
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}: expected a non-empty string; got {_got(value)}")
    return value


def _inside(root: Path, base: Path, name: str, where: str) -> Path:
    """``base / name``, if it resolves inside ``root``; else InputError naming ``where``."""
    return inside(
        root,
        base,
        name,
        where,
        outside="the cloud assembly",
        belongs="a manifest names files inside its assembly",
    )


def _stack_region(artifact: Mapping[str, Any]) -> str | None:
    """The Region of a stack artifact's ``environment`` (``aws://ACCOUNT/REGION``), if known."""
    env = artifact.get("environment")
    region = env.rsplit("/", 1)[-1] if isinstance(env, str) and env.startswith("aws://") else ""
    return None if region in ("", "unknown-region") else region


def _artifacts(manifest: Path, root: Path) -> Mapping[str, Any]:
    _inside(root, manifest.parent, manifest.name, str(manifest))
    text = read_text(manifest, str(manifest))
    try:
        data = loads_json(text, str(manifest))
    except ValueError as exc:
        raise InputError(f"{manifest}: not JSON ({exc})") from None
    if not isinstance(data, Mapping):
        raise InputError(f"{manifest}: expected an object; got {_got(data)}")
    artifacts = data.get("artifacts", {})
    if not isinstance(artifacts, Mapping):
        raise InputError(f"{manifest}: artifacts: expected an object; got {_got(artifacts)}")
    return artifacts


def _read(
    directory: Path, root: Path, depth: int, seen: set[Path], out: list[tuple[Path, Stack]]
) -> None:
    manifest = directory / MANIFEST
    if not manifest.is_file():
        raise InputError(f"{directory}: a nested cloud assembly without {MANIFEST}")
    for artifact_id, artifact in sorted(_artifacts(manifest, root).items()):
        where = f"{manifest}: artifacts.{artifact_id}"
        if not isinstance(artifact, Mapping):
            raise InputError(f"{where}: expected an object; got {_got(artifact)}")
        kind = artifact.get("type")
        if kind not in (_STACK, _NESTED):
            continue  # the tree, asset manifests: nothing to read
        props = artifact.get("properties")
        if props is None:
            raise InputError(f"{where}.properties: missing")
        if not isinstance(props, Mapping):
            raise InputError(f"{where}.properties: expected an object; got {_got(props)}")
        if kind == _STACK:
            field = f"{where}.properties.templateFile"
            name = _string(props, "templateFile", field)
            template = _inside(root, directory, name, field)
            if not template.is_file():
                raise InputError(f"{field}: no such file in the assembly; got {shown(name)}")
            stack = str(props.get("stackName") or artifact_id), _stack_region(artifact)
            out.append((template, stack))
            continue
        field = f"{where}.properties.directoryName"
        name = _string(props, "directoryName", field)
        nested = _inside(root, directory, name, field)
        if not nested.is_dir():
            raise InputError(f"{field}: no such folder in the assembly; got {shown(name)}")
        if nested.resolve() in seen:
            raise InputError(f"{field}: names an assembly already read; got {shown(name)}")
        if depth >= MAX_ASSEMBLY_DEPTH:
            raise InputError(
                f"{field}: nested assemblies deeper than {MAX_ASSEMBLY_DEPTH} levels; "
                f"vaultplan reads at most {MAX_ASSEMBLY_DEPTH}; got {shown(name)}"
            )
        seen.add(nested.resolve())
        _read(nested, root, depth + 1, seen, out)


def assembly_stacks(directory: Path) -> list[tuple[Path, Stack]]:
    """``(template file, (stack name, Region))`` of each stack of the cloud assembly ``directory``
    (nested assemblies included, in the manifest's order of artifact ids).

    A stack is named by its ``stackName``, else its artifact id; its Region is that of its
    ``environment``, None when environment-agnostic. A manifest of the wrong
    shape, or a path that leads outside ``directory``, is
    :class:`~vaultplan.errors.InputError`, one line naming the field."""
    root = directory.resolve()
    out: list[tuple[Path, Stack]] = []
    _read(directory, root, 0, {root}, out)
    return out
