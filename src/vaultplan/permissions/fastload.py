"""Fast template loading for ``vaultplan policy``: cfn-lint's decoding, without its import.

Importing ``cfnlint.decode`` imports all of cfn-lint (its package ``__init__`` pulls in the
linter, its rules and jsonschema): most of a second, more than deriving a policy takes.
For the common case this module decodes the way cfn-lint does, with the same PyYAML
C loader, the same short-form tag mapping (``!Ref`` → ``{"Ref": ...}``, ``!GetAtt a.b`` →
``{"Fn::GetAtt": ["a", "b"]}``, any other ``!X`` → ``{"Fn::X": ...}``), and JSON read as
JSON. Anything unusual (duplicate keys, YAML anchors and aliases, merge keys, a parse
error, odd bytes) is handed to :func:`vaultplan.template.load_template`, so cfn-lint's
decoder still decides every hard case and writes every error message. A test checks that
both decoders agree on the whole shared corpus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError
from vaultplan.template import LoadedTemplate, NotATemplate, iter_template_files, load_template
from vaultplan.template.loader import classify

_ALIAS_OR_MERGE = re.compile(r"(^|[\s\[{,:-])[&*][A-Za-z0-9_]|<<\s*:", re.MULTILINE)


class _Fallback(Exception):
    """The fast path declines this file; cfn-lint's decoder will read it."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Fallback(f"duplicate key {key!r}")
        out[key] = value
    return out


_LOADER: Any = None


def _yaml_loader() -> Any:
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        pass

    def construct_map(loader: Any, node: Any) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key is None or key in out:
                raise _Fallback("null or duplicate key")
            out[key] = loader.construct_object(value_node, deep=True)
        return out

    def construct_tag(loader: Any, suffix: str, node: Any) -> dict[str, Any]:
        name = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
        if name == "Fn::GetAtt" and isinstance(node, yaml.ScalarNode):
            return {name: str(node.value).split(".", 1)}
        if isinstance(node, yaml.ScalarNode):
            return {name: loader.construct_scalar(node)}
        if isinstance(node, yaml.SequenceNode):
            return {name: loader.construct_sequence(node, deep=True)}
        if isinstance(node, yaml.MappingNode):
            return {name: construct_map(loader, node)}
        raise _Fallback(f"bad tag !{suffix}")

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    Loader.add_multi_constructor("!", construct_tag)
    _LOADER = Loader
    return Loader


def fast_decode(path: Path) -> Any:
    """Decode ``path`` like cfn-lint does, or raise :class:`_Fallback`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Fallback(str(exc)) from exc
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text, object_pairs_hook=_pairs)
        except ValueError as exc:
            raise _Fallback(str(exc)) from exc
    if _ALIAS_OR_MERGE.search(text) or "\t" in text:
        raise _Fallback("YAML anchors, aliases, merge keys or tabs")
    import yaml

    try:
        # a SafeLoader subclass: only plain data and the CloudFormation tags are built
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise _Fallback(str(exc)) from exc


def _stack_name(path: Path) -> str:
    name = path.name
    for suffix in (".template.json", ".json", ".yaml", ".yml", ".template"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def load_fast(paths: list[Path], *, lenient: bool = False) -> list[LoadedTemplate | NotATemplate]:
    """Like :func:`vaultplan.template.load_templates`, decoding on the fast path first.

    ``lenient``: a file that does not parse becomes a :class:`NotATemplate` carrying the
    parse error, instead of raising (for folders, where one odd file should not stop a run).
    """
    out: list[LoadedTemplate | NotATemplate] = []
    for path in paths:
        for file, stack, from_cdk in iter_template_files(path):
            try:
                item = _load_one(file, stack)
            except InputError as exc:
                if not lenient:
                    raise
                item = NotATemplate(file, exc.message.removeprefix(f"{file}: "))
            if isinstance(item, LoadedTemplate) and from_cdk:
                item = LoadedTemplate(item.path, item.name, item.body, from_cdk=True)
            out.append(item)
    return out


def _load_one(file: Path, stack: str | None) -> LoadedTemplate | NotATemplate:
    try:
        body = fast_decode(file)
    except _Fallback:
        return load_template(file, stack)
    reason = classify(file, body)
    if reason is not None:
        return NotATemplate(file, reason)
    return LoadedTemplate(file, stack or _stack_name(file), body)
