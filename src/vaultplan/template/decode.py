"""Decode a template file as cfn-lint does, importing cfn-lint only when needed.

Importing ``cfnlint.decode`` imports all of cfn-lint (its package ``__init__`` pulls in the
linter, its rules and jsonschema): most of a second, more than deriving a policy takes.
For the common case this module decodes the way cfn-lint does: JSON with the standard
library, YAML with the same PyYAML C loader and the same short-form tag mapping
(``!Ref`` -> ``{"Ref": ...}``, ``!GetAtt a.b`` -> ``{"Fn::GetAtt": ["a", "b"]}``, any other
``!X`` -> ``{"Fn::X": ...}``). Anything unusual (duplicate keys, YAML anchors and aliases,
merge keys, a parse error, odd bytes) goes to cfn-lint's decoder, so cfn-lint still decides
every hard case and writes every error message. A test checks that both decoders agree on
the whole shared corpus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError

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


def fast_decode(path: Path, *, json_only: bool = False) -> Any:
    """Decode ``path`` like cfn-lint does, or raise :class:`_Fallback` for a hard case
    (``json_only``: and for YAML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Fallback(str(exc)) from exc
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text, object_pairs_hook=_pairs)
        except ValueError as exc:
            raise _Fallback(str(exc)) from exc
    if json_only:
        raise _Fallback("YAML: only cfn-lint's decoder marks its lines")
    if _ALIAS_OR_MERGE.search(text) or "\t" in text:
        raise _Fallback("YAML anchors, aliases, merge keys or tabs")
    import yaml

    try:
        # a SafeLoader subclass: only plain data and the CloudFormation tags are built
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise _Fallback(str(exc)) from exc


def cfn_lint_decode(path: Path) -> Any:
    """Decode ``path`` with cfn-lint's decoder; a file it can't parse is an InputError."""
    import cfnlint.decode

    try:
        body, matches = cfnlint.decode.decode(str(path))
    except Exception as exc:  # the decoder raises on some binary or odd input
        raise InputError(f"{path}: cannot parse template: {exc}") from exc
    if matches:
        first = str(getattr(matches[0], "message", matches[0])).splitlines()[0]
        raise InputError(f"{path}: cannot parse template: {first}")
    return body


def decode(path: Path, *, lines: bool = False) -> Any:
    """The decoded body of a template file: the fast path, else cfn-lint's decoder.

    ``lines``: YAML goes to cfn-lint's decoder, whose maps know their line numbers (the
    fast path's plain dicts don't), for findings that cite them; JSON still takes the fast
    path (:class:`vaultplan.template.lines.Lines` finds its lines in the text).
    """
    try:
        return fast_decode(path, json_only=lines)
    except _Fallback:
        return cfn_lint_decode(path)
