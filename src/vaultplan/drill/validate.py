"""Check a restored file tree: expected paths, file count, total size, a checksum manifest.

Plain Python over a directory: the drill's checker Lambda runs :func:`validate_tree` on the
restored file system's mount, and the tests run it on temporary directories. Nothing here
imports AWS code, and nothing raises on bad data: every problem the tree has becomes a line of
the :class:`Report`.

Where the data is: AWS Backup restores an EFS recovery point into a recovery directory
``aws-backup-restore_<datetime>`` off the root of the file system, even a new one ("AWS Backup
restores your file system to a recovery directory off of the root directory",
https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-efs.html), so
:func:`data_root` descends into that directory when it is the only entry of the root.

The tree is walked without following symbolic links (a link loop can't trap the walk); a link
is neither a file nor counted. A checksum manifest holds ``sha256sum`` lines,
``<64 hex digits>  <path>`` (or ``<hex> *<path>``), paths relative to the data root, and is
itself read from the restored tree: it was written in the source file system, so it came back
with the restore.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = [
    "MESSAGE_LIMIT",
    "RESTORE_DIR_PREFIX",
    "Expectations",
    "Report",
    "data_root",
    "relative_path_problem",
    "validate_tree",
]

RESTORE_DIR_PREFIX = "aws-backup-restore_"
"""The name AWS Backup gives the recovery directory of an EFS restore (``_<datetime>`` follows)."""
MESSAGE_LIMIT = 1000
"""At most this many characters of problems go into the validation message."""
_CHUNK = 1 << 20
_MANIFEST_LINE = re.compile(r"(?P<digest>[0-9a-fA-F]{64}) [ *](?P<path>.+)")


@dataclass(frozen=True, kw_only=True)
class Expectations:
    """What a restored tree must hold (each check is off at its default)."""

    expect_paths: tuple[str, ...] = ()
    """Paths relative to the data root that must exist (a file, a directory or a link)."""
    min_file_count: int = 0
    """At least this many regular files in the tree."""
    min_total_bytes: int = 0
    """At least this many bytes in the regular files of the tree."""
    checksum_manifest: str | None = None
    """Path, relative to the data root, of a ``sha256sum`` manifest whose files must match."""

    def to_json(self) -> dict[str, Any]:
        """The checker's ``EXPECTATIONS`` (JSON in its environment), as :meth:`from_json` reads."""
        return {
            "expect_paths": list(self.expect_paths),
            "min_file_count": self.min_file_count,
            "min_total_bytes": self.min_total_bytes,
            "checksum_manifest": self.checksum_manifest,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Expectations:
        """The expectations :meth:`to_json` wrote (a key left out: that check is off)."""
        return cls(
            expect_paths=tuple(raw.get("expect_paths", ())),
            min_file_count=int(raw.get("min_file_count", 0)),
            min_total_bytes=int(raw.get("min_total_bytes", 0)),
            checksum_manifest=raw.get("checksum_manifest"),
        )


@dataclass(frozen=True)
class Report:
    """What :func:`validate_tree` found: counts, and every problem (none: the tree is good)."""

    root: str
    file_count: int = 0
    total_bytes: int = 0
    checked_files: int = 0
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when the tree meets every expectation."""
        return not self.problems

    @property
    def status(self) -> str:
        """``SUCCESSFUL`` or ``FAILED``, as ``PutRestoreValidationResult`` takes it."""
        return "SUCCESSFUL" if self.ok else "FAILED"

    def message(self) -> str:
        """One line for the restore job: the counts, then the problems (cut to the limit)."""
        head = f"{self.file_count} files, {self.total_bytes} bytes under {self.root}" + (
            f", {self.checked_files} checksums matched" if self.checked_files else ""
        )
        if self.ok:
            return f"ok: {head}"
        text = f"{len(self.problems)} problem(s): " + "; ".join(self.problems) + f" ({head})"
        return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."


def relative_path_problem(path: str) -> str | None:
    """Why ``path`` can't name something inside the tree (None: it can).

    A path is relative to the data root (a leading ``/`` is read as the data root) and may not
    climb out of it with ``..``.
    """
    if not isinstance(path, str) or not path.strip("/"):
        return "give a path inside the restored tree, e.g. 'data/index.db'"
    if ".." in PurePosixPath(path).parts:
        return "'..' would leave the restored tree"
    if "\x00" in path:
        return "a path can't hold a NUL character"
    return None


def data_root(mount: Path) -> Path:
    """The restored data under ``mount``: its only ``aws-backup-restore_*`` directory, or itself."""
    try:
        entries = list(os.scandir(mount))
    except OSError:
        return mount
    only = entries[0] if len(entries) == 1 else None
    if (
        only is not None
        and only.name.startswith(RESTORE_DIR_PREFIX)
        and only.is_dir(follow_symlinks=False)
    ):
        return Path(only.path)
    return mount


def _inside(root: Path, path: str) -> Path:
    return root.joinpath(*PurePosixPath(path.lstrip("/")).parts)


def _walk(root: Path, problems: list[str]) -> tuple[int, int]:
    files = size = 0

    def unreadable(err: OSError) -> None:
        problems.append(f"can't read directory {err.filename}: {err.strerror}")

    for folder, _dirs, names in os.walk(root, onerror=unreadable, followlinks=False):
        for name in names:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError as err:
                problems.append(f"can't stat {path}: {err.strerror}")
                continue
            if stat.S_ISREG(info.st_mode):
                files += 1
                size += info.st_size
    return files, size


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(root: Path, manifest: str, problems: list[str]) -> int:
    """Check each line of the manifest; the number of files that matched."""
    why = relative_path_problem(manifest)
    if why is not None:
        problems.append(f"checksum_manifest {manifest!r}: {why}")
        return 0
    try:
        text = _inside(root, manifest).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        problems.append(f"can't read checksum manifest {manifest}: {_reason(err)}")
        return 0
    matched = 0
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        problems.append(f"checksum manifest {manifest} lists no file")
    for number, line in lines:
        found = _MANIFEST_LINE.fullmatch(line.rstrip("\r"))
        if found is None:
            problems.append(f"{manifest} line {number}: not '<sha256>  <path>'")
            continue
        path, want = found["path"], found["digest"].lower()
        why = relative_path_problem(path)
        if why is not None:
            problems.append(f"{manifest} line {number}: {path!r}: {why}")
            continue
        try:
            got = _sha256(_inside(root, path))
        except OSError as err:
            problems.append(f"can't read {path}: {_reason(err)}")
            continue
        if got != want:
            problems.append(f"{path}: sha256 {got[:12]}..., manifest says {want[:12]}...")
        else:
            matched += 1
    return matched


def _reason(err: Exception) -> str:
    if isinstance(err, OSError):
        return err.strerror or type(err).__name__
    return "not UTF-8 text"


def validate_tree(mount: Path, expectations: Expectations) -> Report:
    """Check the restored tree under ``mount`` (see :func:`data_root`) against ``expectations``."""
    if not mount.is_dir():
        return Report(root=str(mount), problems=(f"{mount} is not a directory",))
    root = data_root(mount)
    problems: list[str] = []
    for path in expectations.expect_paths:
        why = relative_path_problem(path)
        if why is not None:
            problems.append(f"expect_paths {path!r}: {why}")
        elif not os.path.lexists(_inside(root, path)):
            problems.append(f"missing {path}")
    files, size = _walk(root, problems)
    if files < expectations.min_file_count:
        problems.append(f"{files} files, expected at least {expectations.min_file_count}")
    if size < expectations.min_total_bytes:
        problems.append(f"{size} bytes, expected at least {expectations.min_total_bytes}")
    matched = 0
    if expectations.checksum_manifest is not None:
        matched = _manifest(root, expectations.checksum_manifest, problems)
    return Report(
        root=str(root),
        file_count=files,
        total_bytes=size,
        checked_files=matched,
        problems=tuple(problems),
    )
