"""Load templates with cfn-lint's decoder (JSON and YAML, short-form tags included).

A path is a template file, or a directory: a CDK cloud assembly (``cdk.out``, read
through its ``manifest.json``) or any folder, whose ``*.template.json`` files are read.

Two outcomes for a file that cannot be analysed, both carrying a one-line reason:
- :class:`NotATemplate` (a data value, not an exception) when a file parses but is not
  a CloudFormation template, so a corpus run can decline it by name and go on;
- :class:`~vaultplan.errors.InputError` (exit code 2) for a missing path or a file
  that does not parse.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError

_TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")


@dataclass(frozen=True)
class LoadedTemplate:
    """A decoded template. ``name`` is the stack name for cdk.out stacks, else the file stem."""

    path: Path
    name: str
    body: Mapping[str, Any]
    from_cdk: bool = False
    #: Parameters CDK passes at deploy (e.g. BootstrapVersion); informational.
    metadata: Mapping[str, Any] = field(default_factory=dict)

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
    """A file that parses but that is not a CloudFormation template, with the reason."""

    path: Path
    reason: str


def _decode(path: Path) -> Any:
    import cfnlint.decode

    try:
        body, matches = cfnlint.decode.decode(str(path))
    except Exception as exc:  # the decoder raises on some binary or odd input
        raise InputError(f"{path}: cannot parse template: {exc}") from exc
    if matches:
        first = str(getattr(matches[0], "message", matches[0])).splitlines()[0]
        raise InputError(f"{path}: cannot parse template: {first}")
    return body


def classify(path: Path, body: Any) -> str | None:
    """Return why ``body`` is not a CloudFormation template, or ``None`` if it is one."""
    if not isinstance(body, Mapping):
        return f"not a CloudFormation template (top level is {type(body).__name__}, not a map)"
    resources = body.get("Resources")
    if resources is None:
        return "not a CloudFormation template (no Resources section)"
    if not isinstance(resources, Mapping):
        return "not a CloudFormation template (Resources is not a map)"
    return None


def load_template(path: Path, name: str | None = None) -> LoadedTemplate | NotATemplate:
    """Decode one template file."""
    if not path.exists():
        raise InputError(f"template: no such file or directory: {path}")
    if path.is_dir():
        raise InputError(f"template: {path} is a directory; pass it to load_templates")
    body = _decode(path)
    reason = classify(path, body)
    if reason is not None:
        return NotATemplate(path, reason)
    stem = path.name
    for suffix in (".template.json", ".json", ".yaml", ".yml", ".template"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return LoadedTemplate(path=path, name=name or stem, body=body)


def _cdk_out_stacks(directory: Path) -> Iterator[tuple[Path, str]]:
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{manifest_path}: cannot read cloud assembly manifest: {exc}") from exc
    artifacts = manifest.get("artifacts") or {}
    for artifact_id, artifact in sorted(artifacts.items()):
        kind = artifact.get("type")
        props = artifact.get("properties") or {}
        if kind == "aws:cloudformation:stack":
            template_file = props.get("templateFile")
            if template_file:
                yield directory / template_file, props.get("stackName") or artifact_id
        elif kind == "cdk:cloud-assembly":  # nested assembly (CDK Stages)
            sub = props.get("directoryName")
            if sub:
                yield from _cdk_out_stacks(directory / sub)


def iter_template_files(path: Path) -> Iterator[tuple[Path, str | None, bool]]:
    """Yield ``(file, stack_name_or_None, from_cdk)`` for a file or directory argument."""
    if not path.exists():
        raise InputError(f"template: no such file or directory: {path}")
    if path.is_file():
        yield path, None, False
        return
    if (path / "manifest.json").is_file():
        found = False
        for file, stack in _cdk_out_stacks(path):
            found = True
            yield file, stack, True
        if found:
            return
    files = sorted(
        p for p in path.rglob("*") if p.is_file() and p.name.endswith(_TEMPLATE_SUFFIXES)
    )
    if not files:
        raise InputError(f"template: {path} holds no .json, .yaml or .yml file")
    for file in files:
        yield file, None, False


def load_templates(paths: list[Path]) -> list[LoadedTemplate | NotATemplate]:
    """Load every template named by ``paths`` (files or directories), in a stable order."""
    out: list[LoadedTemplate | NotATemplate] = []
    for path in paths:
        for file, stack, from_cdk in iter_template_files(path):
            loaded = load_template(file, stack)
            if isinstance(loaded, LoadedTemplate) and from_cdk:
                loaded = LoadedTemplate(loaded.path, loaded.name, loaded.body, from_cdk=True)
            out.append(loaded)
    return out
