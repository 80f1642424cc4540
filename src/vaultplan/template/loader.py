"""Read templates: the one way ``check``, ``policy``, ``simulate`` and ``explain`` get them.

:func:`load` takes paths. A path is a template file, or a directory: a CDK cloud assembly
(``cdk.out``, read through its ``manifest.json``, nested assemblies of CDK Stages included)
or any folder, whose ``.json``, ``.yaml``, ``.yml`` and ``.template`` files are read.
Files are decoded by :mod:`vaultplan.template.decode` (the standard library for JSON,
cfn-lint's decoder for whatever the fast path declines).

One naming rule: a cdk.out stack is named by its stack name (``stackName`` in the
manifest, else its artifact id); a file by its name without the template suffix
(``my.stack.template.json`` -> ``my.stack``).

One place declines what is not a template, as data (:class:`NotATemplate`, with a
one-line reason), so a corpus run names each declined file and goes on:
- a file that parses but is not a CloudFormation template;
- inside a directory, a file that does not parse.
A missing path, or a file named on its own that does not parse, is
:class:`~vaultplan.errors.InputError` (exit code 2).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError
from vaultplan.template.decode import decode

__all__ = ["LoadedTemplate", "NotATemplate", "TemplateSet", "load", "load_template", "stack_name"]

_TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")
#: Stripped from a file name to name its stack, longest first.
_NAME_SUFFIXES = (".template.json", ".template.yaml", ".template.yml", *_TEMPLATE_SUFFIXES)


@dataclass(frozen=True)
class LoadedTemplate:
    """A decoded template; ``name`` is its stack name (see :func:`stack_name`)."""

    path: Path
    name: str
    body: Mapping[str, Any]
    from_cdk: bool = False
    #: Parameters CDK passes at deploy (e.g. BootstrapVersion); informational.
    metadata: Mapping[str, Any] = field(default_factory=dict)
    #: The Region of a cdk.out stack's manifest ``environment`` (``aws://ACCOUNT/REGION``);
    #: None for a file, or an environment-agnostic stack (``unknown-region``).
    region: str | None = None

    @property
    def resources(self) -> Mapping[str, Any]:
        """Every entry of Resources, typed or not (``Fn::ForEach::*`` and Rain modules have
        no ``Type``: see :meth:`typed_resources` and :meth:`untyped_resources`)."""
        res = self.body.get("Resources")
        return res if isinstance(res, Mapping) else {}

    def typed_resources(self) -> dict[str, Mapping[str, Any]]:
        """``{logical_id: resource}`` for entries that carry a string ``Type``."""
        return {
            k: v
            for k, v in self.resources.items()
            if isinstance(v, Mapping) and isinstance(v.get("Type"), str)
        }

    def untyped_resources(self) -> list[str]:
        """Logical ids of entries with no ``Type`` (``Fn::ForEach`` loops, Rain modules)."""
        return [
            k
            for k, v in self.resources.items()
            if not (isinstance(v, Mapping) and isinstance(v.get("Type"), str))
        ]


@dataclass(frozen=True)
class NotATemplate:
    """A file declined by :func:`load`, with a one-line reason: it parses but is not a
    CloudFormation template, or (found in a directory) it does not parse."""

    path: Path
    reason: str


@dataclass(frozen=True)
class TemplateSet:
    """What :func:`load` read, in the order of the paths and files: templates and declined
    files (one :class:`NotATemplate` each, with its reason)."""

    items: tuple[LoadedTemplate | NotATemplate, ...]

    @property
    def templates(self) -> tuple[LoadedTemplate, ...]:
        return tuple(i for i in self.items if isinstance(i, LoadedTemplate))

    @property
    def declined(self) -> tuple[NotATemplate, ...]:
        return tuple(i for i in self.items if isinstance(i, NotATemplate))


def stack_name(path: Path) -> str:
    """A template file's stack name: its file name without the template suffix."""
    name = path.name
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _decline(path: Path, body: Any) -> NotATemplate | None:
    """A :class:`NotATemplate` when ``body`` is not a CloudFormation template, else None."""
    reason = None
    if not isinstance(body, Mapping):
        reason = f"top level is {type(body).__name__}, not a map"
    elif body.get("Resources") is None:
        reason = "no Resources section"
    elif not isinstance(body.get("Resources"), Mapping):
        reason = "Resources is not a map"
    return (
        None if reason is None else NotATemplate(path, f"not a CloudFormation template ({reason})")
    )


def _stack_region(artifact: Mapping[str, Any]) -> str | None:
    """The Region of a stack artifact's ``environment`` (``aws://ACCOUNT/REGION``), if known."""
    env = artifact.get("environment")
    region = env.rsplit("/", 1)[-1] if isinstance(env, str) and env.startswith("aws://") else ""
    return None if region in ("", "unknown-region") else region


def _cdk_out_stacks(directory: Path) -> Iterator[tuple[Path, tuple[str, str | None]]]:
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{manifest_path}: cannot read cloud assembly manifest: {exc}") from exc
    artifacts = manifest.get("artifacts") if isinstance(manifest, Mapping) else None
    if not isinstance(artifacts, Mapping):
        return
    for artifact_id, artifact in sorted(artifacts.items()):
        if not isinstance(artifact, Mapping):
            continue
        kind = artifact.get("type")
        props = artifact.get("properties")
        props = props if isinstance(props, Mapping) else {}
        if kind == "aws:cloudformation:stack":
            template_file = props.get("templateFile")
            if isinstance(template_file, str) and template_file:
                stack = str(props.get("stackName") or artifact_id), _stack_region(artifact)
                yield directory / template_file, stack
        elif kind == "cdk:cloud-assembly":  # nested assembly (CDK Stages)
            sub = props.get("directoryName")
            if isinstance(sub, str) and sub:
                yield from _cdk_out_stacks(directory / sub)


def _files(path: Path) -> Iterator[tuple[Path, tuple[str, str | None] | None]]:
    """``(file, cdk stack (name, Region) or None)`` for a file or directory argument."""
    if not path.exists():
        raise InputError(f"template: no such file or directory: {path}")
    if path.is_file():
        yield path, None
        return
    if (path / "manifest.json").is_file():
        stacks = list(_cdk_out_stacks(path))
        if stacks:
            yield from stacks
            return
    files = sorted(
        p for p in path.rglob("*") if p.is_file() and p.name.endswith(_TEMPLATE_SUFFIXES)
    )
    if not files:
        raise InputError(f"template: {path} holds no .json, .yaml or .yml file")
    for file in files:
        yield file, None


def _load_file(
    file: Path, stack: tuple[str, str | None] | None, *, lenient: bool, lines: bool = False
) -> LoadedTemplate | NotATemplate:
    if not file.is_file():
        raise InputError(f"template: no such file: {file}")
    try:
        body = decode(file, lines=lines)
    except InputError as exc:
        if not lenient:
            raise
        return NotATemplate(file, exc.message.removeprefix(f"{file}: "))
    declined = _decline(file, body)
    if declined is not None:
        return declined
    if stack is None:
        return LoadedTemplate(file, stack_name(file), body)
    return LoadedTemplate(file, stack[0], body, from_cdk=True, region=stack[1])


def load(paths: Sequence[Path], *, lines: bool = False) -> TemplateSet:
    """Load every template named by ``paths`` (files, folders or cdk.out directories).

    A file that does not parse is declined when it was found in a directory (one odd file
    does not stop a folder run) and is an InputError when named on its own. ``lines``:
    decode YAML with cfn-lint's decoder, whose maps carry the line numbers findings cite
    (slower: it imports cfn-lint); JSON takes the fast path either way
    (:class:`vaultplan.template.lines.Lines` finds its lines); else plain YAML does too.
    """
    items: list[LoadedTemplate | NotATemplate] = []
    for path in paths:
        for file, stack in _files(path):
            items.append(_load_file(file, stack, lenient=file != path, lines=lines))
    return TemplateSet(tuple(items))


def load_template(
    path: Path, name: str | None = None, *, lines: bool = False
) -> LoadedTemplate | NotATemplate:
    """Load one template file (``name``: its stack name, default by :func:`stack_name`)."""
    if path.is_dir():
        raise InputError(f"template: {path} is a directory; give one template file")
    if not path.exists():
        raise InputError(f"template: no such file or directory: {path}")
    item = _load_file(path, None, lenient=False, lines=lines)
    if name is not None and isinstance(item, LoadedTemplate):
        return LoadedTemplate(item.path, name, item.body)
    return item
