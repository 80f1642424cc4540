"""Decode a template file as cfn-lint does, importing cfn-lint only when needed.

The file is read as UTF-8 text first (:func:`vaultplan.template.text.read_text`: another
encoding is one line naming it), and both decoders read that text.

Importing ``cfnlint.decode`` imports all of cfn-lint (its package ``__init__`` pulls in the
linter, its rules and jsonschema): most of a second, more than deriving a policy takes.
For the common case this module decodes the way cfn-lint does: JSON with the standard
library, YAML with the same PyYAML C loader and the same short-form tag mapping
(``!Ref`` -> ``{"Ref": ...}``, ``!GetAtt a.b`` -> ``{"Fn::GetAtt": ["a", "b"]}``, any other
``!X`` -> ``{"Fn::X": ...}``). Anything unusual (duplicate keys, YAML anchors and aliases,
merge keys, a key that is a list, a parse error) goes to cfn-lint's decoder, so cfn-lint
still decides every hard case and writes every error message. A test checks that both
decoders agree on the whole shared corpus. What either decodes is then held to the nesting
limit (:mod:`vaultplan.template.nesting`) and its keys made strings, as CloudFormation's
JSON holds them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError, shown
from vaultplan.template.nesting import MAX_DEPTH, check_nesting, text_depth, too_deep
from vaultplan.template.text import read_text

#: libyaml's message past its own nesting limit (1,000 levels).
_NESTING_LIMIT = "exceeded maximum nesting depth"
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
            if key is None or not isinstance(key, Hashable) or key in out:
                raise _Fallback("a null, list, map or duplicate key")
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


def fast_decode(text: str, *, json_only: bool = False) -> Any:
    """Decode ``text`` like cfn-lint does, or raise :class:`_Fallback` for a hard case
    (``json_only``: and for YAML)."""
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
        if _NESTING_LIMIT in str(exc):
            raise RecursionError(str(exc)) from None
        raise _Fallback(str(exc)) from exc


def cfn_lint_decode(text: str, path: Path) -> Any:
    """Decode ``text`` (of ``path``) with cfn-lint's decoder; what it can't parse is an
    InputError."""
    import cfnlint.decode

    try:
        body, matches = cfnlint.decode.decode_str(text)
    except Exception as exc:  # the decoder raises on some binary or odd input
        raise InputError(f"{path}: cannot parse template: {exc}") from exc
    if matches:
        first = str(getattr(matches[0], "message", matches[0])).splitlines()[0]
        if _NESTING_LIMIT in first or "maximum recursion depth" in first:
            raise RecursionError(first)
        raise InputError(f"{path}: cannot parse template: {first}")
    return body


def _key_text(key: Any) -> str:
    """A YAML key as the string CloudFormation's JSON would hold: ``1`` -> ``"1"``,
    ``true`` -> ``"true"``, a date -> ``"2012-10-17"``."""
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, (date, datetime)):
        return key.isoformat()
    return str(key)


def _string_keys(body: Any, path: Path) -> None:
    """Make every map key a string, in place and without recursion (YAML allows ``1:``,
    ``true:`` or a date as a key; a template's keys are strings)."""
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if not all(isinstance(k, str) for k in node):
                items = list(node.items())
                node.clear()
                for key, value in items:
                    text = key if isinstance(key, str) else _key_text(key)
                    if text in node:
                        raise InputError(
                            f"{path}: cannot parse template: key {shown(text)} appears twice"
                        )
                    node[text] = value
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def _too_deep_to_decode(text: str, path: Path) -> InputError:
    if text.lstrip().startswith(("{", "[")):
        depth, where = text_depth(text)
        if depth > MAX_DEPTH:
            return too_deep(str(path), depth, where, None)
    return too_deep(str(path), None, "", None)


def decode(path: Path, *, lines: bool = False) -> Any:
    """The decoded body of a template file: the fast path, else cfn-lint's decoder.

    The file is read as UTF-8 text (:func:`~vaultplan.template.text.read_text`), and what
    is decoded nests at most :data:`~vaultplan.template.nesting.MAX_DEPTH` levels, with
    string keys only. ``lines``: YAML goes to cfn-lint's decoder, whose maps know their line
    numbers (the fast path's plain dicts don't), for findings that cite them; JSON still
    takes the fast path (:class:`vaultplan.template.lines.Lines` finds its lines in the text).
    """
    text = read_text(path, "template")
    try:
        try:
            body = fast_decode(text, json_only=lines)
        except _Fallback:
            body = cfn_lint_decode(text, path)
    except RecursionError:
        raise _too_deep_to_decode(text, path) from None
    check_nesting(body, str(path))
    _string_keys(body, path)
    return body
