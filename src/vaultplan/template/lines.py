"""Line numbers of a template's nodes, for findings that cite them.

A finding names a node by its path from the top of the template (``("Resources", "Plan",
"Properties", "BackupPlan", "BackupPlanRule", 0)``); :class:`Lines` gives the 1-based line
(and, by :meth:`Lines.position`, the column) of the deepest node on that path that has a
place in the file:

- a map entry is placed at its key;
- a list item at its first character when it is a map, a list or a string (a number,
  ``true``, ``false`` or ``null`` in a list has no place: the line stays its parent's).

That is how cfn-lint's decoder marks its nodes (its maps' keys and its strings, maps and
lists carry a ``start_mark``). A template cfn-lint decoded (YAML, or a hard JSON case) is
read by those marks. A JSON template the standard library decoded is scanned here instead,
once, on the first line asked for, so a template with no finding pays nothing. The scan is
a loop over tokens with an explicit stack, so no nesting is too deep for it.

cfn-lint reads a JSON file with its YAML loader (JSON is YAML 1.1 flow syntax), from a file
opened as text (``\r\n`` and ``\r`` read as ``\n``:
https://docs.python.org/3/library/functions.html#open), so lines are counted as YAML counts
them: ``\n``, NEL, LS and PS each end a line (https://yaml.org/spec/1.1/, 5.4 "Line Break
Characters"), and a number YAML 1.1 does not read as a number (``1e5``: its float needs a
dot and a signed exponent, https://yaml.org/type/float.html) is a string there, so placed.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["Lines"]

#: One JSON token: a string, a punctuation mark, or a bare scalar (number, true, false, null).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)
_BREAK = re.compile("[\n\x85\u2028\u2029]")
#: A JSON number YAML 1.1 reads as a number: no exponent, or a dot and a signed exponent.
_YAML_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]*([eE][-+][0-9]+)?)?")
_UNPLACED = frozenset(("true", "false", "null"))

#: A scanned node: a map ``{key: (offset of key, node)}``, a list ``[(offset or None,
#: node)]``, or None for a scalar. Offsets index the text.
_Node = dict[str, tuple[int, Any]] | list[tuple[int | None, Any]] | None


def _key(token: str) -> str:
    return json.loads(token) if "\\" in token else token[1:-1]


def _scan(text: str) -> _Node:
    """The offsets of ``text``'s nodes, or None if it isn't JSON after all."""
    top: list[tuple[int | None, Any]] = []
    stack: list[Any] = [top]
    keys: list[tuple[str, int] | None] = [None]
    want_key = False
    try:
        for match in _TOKEN.finditer(text):
            token, start = match.group(), match.start()
            first = token[0]
            if first in ",:":
                want_key = first == "," and isinstance(stack[-1], dict)
                continue
            if first in "}]":
                stack.pop()
                keys.pop()
                want_key = False
                continue
            if want_key:
                keys[-1] = (_key(token), start)
                want_key = False
                continue
            node: Any = {} if first == "{" else [] if first == "[" else None
            placed = first in '{["' or (
                token not in _UNPLACED and _YAML_NUMBER.fullmatch(token) is None
            )
            parent = stack[-1]
            if isinstance(parent, dict):
                key, key_start = keys[-1]  # type: ignore[misc]
                parent[key] = (key_start, node)
            else:
                parent.append((start if placed else None, node))
            if node is not None:
                stack.append(node)
                keys.append(None)
                want_key = isinstance(node, dict)
    except (IndexError, TypeError, ValueError):  # not the JSON that was decoded
        return None
    return top[0][1] if top else None


def _leads(node: Any, key: str | int) -> bool:
    """Whether the path step ``key`` goes into ``node``: a key of a map, an index of a list."""
    if isinstance(node, Mapping):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)


def _marked_position(body: Any, path: Sequence[str | int]) -> tuple[int, int] | None:
    """The place by cfn-lint's marks (0-based ``start_mark.line`` and ``.column``): a map
    entry's on its key, a list item's on the item."""
    place: tuple[int, int] | None = None
    node = body
    for key in path:
        if not _leads(node, key):
            break
        if isinstance(node, Mapping):
            placed = next(k for k in node if k == key)
            node = node[key]
        else:
            node = placed = node[key]
        mark = getattr(placed, "start_mark", None)
        if mark is not None:
            place = (int(mark.line) + 1, int(mark.column) + 1)
    return place


class Lines:
    """``lines(path)``: the 1-based line of the deepest placed node on ``path`` in the
    template decoded from ``file`` as ``body``; None when nothing on it is placed, or the
    template has no line numbers (YAML the fast path decoded)."""

    def __init__(self, file: Path, body: Any) -> None:
        self._file = file
        self._body = body
        self._marked = hasattr(body, "start_mark")  # cfn-lint's dict_node
        self._scanned = False
        self._tree: _Node = None
        self._breaks: list[int] = []

    def _load(self) -> None:
        self._scanned = True
        try:
            text = self._file.read_text(encoding="utf-8").removeprefix("\ufeff")
        except (OSError, UnicodeDecodeError):
            return
        if text.lstrip().startswith("{"):
            self._tree = _scan(text)
            self._breaks = [m.end() for m in _BREAK.finditer(text)]

    def __call__(self, path: Sequence[str | int]) -> int | None:
        place = self.position(path)
        return None if place is None else place[0]

    def position(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """``(line, column)`` of that node, both 1-based (the column counts characters)."""
        if self._marked:
            return _marked_position(self._body, path)
        if not self._scanned:
            self._load()
        offset: int | None = None
        node: Any = self._tree
        for key in path:
            if not _leads(node, key):
                break
            start, node = node[key]
            if start is not None:
                offset = start
        if offset is None:
            return None
        index = bisect_right(self._breaks, offset)
        line_start = self._breaks[index - 1] if index else 0
        return index + 1, offset - line_start + 1
