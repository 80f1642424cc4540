"""Reading an input file as text: UTF-8, with or without a byte order mark, and nothing else.

JSON must be UTF-8 when exchanged between systems (RFC 8259, section 8.1:
https://www.rfc-editor.org/rfc/rfc8259#section-8.1), TOML is UTF-8 (https://toml.io/en/v1.0.0)
and CloudFormation reads templates as UTF-8. A file in another encoding is refused with one
line naming the file and the encoding found, instead of a decoder's stray message.
"""

from __future__ import annotations

import codecs
from pathlib import Path, PurePosixPath, PureWindowsPath

from vaultplan.errors import InputError, shown

__all__ = ["decode_text", "inside", "read_text"]

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "UTF-16 BE"),
)


def _encoding_found(data: bytes) -> str | None:
    """What a file that isn't UTF-8 text is, or ``None`` if it is."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return f"{name}, by its byte order mark"
    head = data[:64]
    if b"\x00" in head:
        # ASCII text in UTF-16 or UTF-32 without a mark: every other (or 3 in 4) byte is NUL.
        even, odd = head[0::2], head[1::2]
        if head[1::4].count(0) == len(head[1::4]) and head[2::4].count(0) == len(head[2::4]):
            return f"UTF-32 {'LE' if head[0] else 'BE'} without a byte order mark"
        if odd.count(0) > len(odd) // 2:
            return "UTF-16 LE without a byte order mark"
        if even.count(0) > len(even) // 2:
            return "UTF-16 BE without a byte order mark"
        return f"a NUL byte at byte {data.index(0)}"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"byte 0x{data[err.start]:02x} at byte {err.start} is not UTF-8"
    return None


def decode_text(data: bytes, field: str, source: str) -> str:
    """``data`` (the bytes of ``source``, given by ``field``) as text; InputError otherwise."""
    found = _encoding_found(data)
    if found is not None:
        raise InputError(
            f"{field}: not UTF-8 text ({found}); save it as UTF-8; got {shown(source)}"
        )
    text = data.decode("utf-8")
    return text.removeprefix("\ufeff")


def read_text(path: Path, field: str = "file") -> str:
    """The text of ``path``, an input given by ``field`` (``--prices``, ``template``...).

    UTF-8 with or without a byte order mark; anything else, or a file that cannot be read,
    is an :class:`~vaultplan.errors.InputError` naming the file and what was found.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(
            f"{field}: cannot read it ({err.strerror or err}); got {shown(str(path))}"
        ) from None
    return decode_text(data, field, str(path))


def inside(root: Path, base: Path, name: str, where: str, *, outside: str, belongs: str) -> Path:
    """``base / name``, a path an input file names (a manifest's ``templateFile``, an
    ORG.toml's policy file), if it resolves inside ``root`` with symlinks followed.

    An absolute path, a path that leads out of ``root`` (``../``, a symlink out) and one that
    can't be followed (a symlink loop) are an :class:`~vaultplan.errors.InputError` naming
    ``where``: ``outside`` names ``root`` (``the cloud assembly``), ``belongs`` says where
    such files belong (``a manifest names files inside its assembly``)."""
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute():
        raise InputError(f"{where}: an absolute path; {belongs}; got {shown(name)}")
    target = base / name
    try:
        resolved = target.resolve()
        boundary = root.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a NUL byte
        raise InputError(f"{where}: cannot follow it ({exc}); got {shown(name)}") from None
    if not resolved.is_relative_to(boundary):
        raise InputError(
            f"{where}: resolves outside {outside} (symlinks followed); {belongs}; got {shown(name)}"
        )
    try:
        target.stat()
    except FileNotFoundError:
        pass  # the caller says what is missing
    except OSError as exc:  # a name too long for the file system, a file used as a folder
        raise InputError(
            f"{where}: cannot follow it ({exc.strerror or exc}); got {shown(name)}"
        ) from None
    return target
