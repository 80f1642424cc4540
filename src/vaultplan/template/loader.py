"""Read templates: the one way ``check``, ``policy``, ``simulate`` and ``explain`` get them.

:func:`load` takes paths. A path is a template file, or a directory: a CDK cloud assembly
(``cdk.out``, read through its ``manifest.json`` by :mod:`vaultplan.template.assembly`, nested
assemblies of CDK Stages included) or any folder, whose ``.json``, ``.yaml``, ``.yml`` and
``.template`` files are read. Files are decoded by :mod:`vaultplan.template.decode` (the
standard library for JSON, cfn-lint's decoder for whatever the fast path declines).

Containment: nothing is read outside the paths given. A cloud assembly's manifest may name
only files inside the assembly (see :mod:`vaultplan.template.assembly`); a folder walk does
not follow symlinks to folders and declines a symlink to a file outside the folder. A
template's own references to local files (``AWS::Include`` locations, SAM ``CodeUri``) are
never followed.

One naming rule: a cdk.out stack is named by its stack name (``stackName`` in the
manifest, else its artifact id); a file by its name without the template suffix
(``my.stack.template.json`` -> ``my.stack``).

One place declines what is not a template, as data (:class:`NotATemplate`, with a
one-line reason), so a corpus run names each declined file and goes on:
- a file that parses but is not a CloudFormation template;
- inside a directory, a file that does not parse, or that isn't read (a symlink out, not a
  regular file, a folder that can't be listed).
A missing path, or a file named on its own that does not parse, is
:class:`~vaultplan.errors.InputError` (exit code 2).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from vaultplan.errors import InputError, shown
from vaultplan.progress import Progress
from vaultplan.template.assembly import MANIFEST, Stack, assembly_stacks
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

    def typed_resources(self) -> Mapping[str, Mapping[str, Any]]:
        """``{logical_id: resource}`` for entries that carry a string ``Type``.

        Computed once: checks look a resource's type up per reference, and a new dict over
        10,000 resources each time made ``check`` quadratic."""
        cached = self.__dict__.get("_typed")
        if cached is None:
            cached = MappingProxyType(
                {
                    k: v
                    for k, v in self.resources.items()
                    if isinstance(v, Mapping) and isinstance(v.get("Type"), str)
                }
            )
            self.__dict__["_typed"] = cached  # a frozen dataclass: its fields are not touched
        return cached

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


def _walk(folder: Path) -> list[tuple[Path, NotATemplate | None]]:
    """The template files of a plain folder, sorted, and what was skipped on the way.

    Symlinks to folders are not followed (a walk of ``/`` ends, and stays where it was
    sent); a symlink to a file outside ``folder``, an entry that isn't a regular file and a
    folder that can't be listed are declined, each with its reason."""
    root = folder.resolve()
    found: list[tuple[Path, NotATemplate | None]] = []

    def unreadable(err: OSError) -> None:
        if not isinstance(err, FileNotFoundError):  # gone since it was listed
            where = Path(err.filename) if err.filename else folder
            found.append((where, NotATemplate(where, f"cannot read this folder ({_why(err)})")))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames.sort()
        for name in filenames:
            if not name.endswith(_TEMPLATE_SUFFIXES):
                continue
            file = Path(dirpath) / name
            found.append((file, _skip(file, root)))
    return sorted(found, key=lambda item: item[0])


def _why(err: OSError) -> str:
    return err.strerror or type(err).__name__


def _skip(file: Path, root: Path) -> NotATemplate | None:
    """Why a file found in a folder walk is not read, or None."""
    try:
        if file.is_symlink() and not file.resolve().is_relative_to(root):
            return NotATemplate(file, f"a symlink to a file outside {root}; not read")
        mode = file.stat().st_mode
    except (OSError, RuntimeError) as err:  # RuntimeError: a symlink loop (Python < 3.13)
        reason = _why(err) if isinstance(err, OSError) else "a symlink loop"
        return NotATemplate(file, f"cannot read it ({reason})")
    if stat.S_ISDIR(mode):
        return NotATemplate(file, "a folder, not a file")
    if not stat.S_ISREG(mode):
        return NotATemplate(file, "not a regular file")
    return None


def _files(path: Path) -> Iterator[tuple[Path, Stack | None] | NotATemplate]:
    """``(file, cdk stack (name, Region) or None)`` for a file or directory argument, and
    the entries of a folder that are declined without being read."""
    if not path.exists():
        raise InputError(f"template: no such file or directory: {path}")
    if path.is_file():
        yield path, None
        return
    if (path / MANIFEST).is_file():
        stacks = assembly_stacks(path)
        if stacks:
            yield from stacks
            return
    found = _walk(path)
    if not found:
        raise InputError(f"template: {path} holds no .json, .yaml or .yml file")
    for file, declined in found:
        yield (file, None) if declined is None else declined


def _reason(message: str, file: Path) -> str:
    """An InputError's message about ``file``, as the reason it is declined in a folder run
    (the line names the file before the reason)."""
    for prefix in (f"{file}: ", "template: "):
        message = message.removeprefix(prefix)
    return message.removesuffix(f"; got {shown(str(file))}")


def _load_file(
    file: Path, stack: Stack | None, *, lenient: bool, lines: bool = False
) -> LoadedTemplate | NotATemplate:
    if not file.is_file():
        if lenient:  # found in a folder, and gone (or replaced) before it was read
            return NotATemplate(file, "no longer a file when it was read")
        raise InputError(f"template: no such file: {file}")
    try:
        body = decode(file, lines=lines)
    except InputError as exc:
        if not lenient:
            raise
        return NotATemplate(file, _reason(exc.message, file))
    declined = _decline(file, body)
    if declined is not None:
        return declined
    if stack is None:
        return LoadedTemplate(file, stack_name(file), body)
    return LoadedTemplate(file, stack[0], body, from_cdk=True, region=stack[1])


def load(
    paths: Sequence[Path], *, lines: bool = False, progress: Progress | None = None
) -> TemplateSet:
    """Load every template named by ``paths`` (files, folders or cdk.out directories).

    A file that does not parse is declined when it was found in a directory (one odd file
    does not stop a folder run) and is an InputError when named on its own. ``lines``:
    decode YAML with cfn-lint's decoder, whose maps carry the line numbers findings cite
    (slower: it imports cfn-lint); JSON takes the fast path either way
    (:class:`vaultplan.template.lines.Lines` finds its lines); else plain YAML does too.
    ``progress(done, total)`` is called after each file, once every file is found.
    """
    found = [(path, entry) for path in paths for entry in _files(path)]
    items: list[LoadedTemplate | NotATemplate] = []
    for path, entry in found:
        if isinstance(entry, NotATemplate):
            items.append(entry)
        else:
            file, stack = entry
            items.append(_load_file(file, stack, lenient=file != path, lines=lines))
        if progress is not None:
            progress(len(items), len(found))
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
