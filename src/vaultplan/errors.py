"""Errors that stop a command. Findings are data; these are for fatal input only."""

from __future__ import annotations


class VaultplanError(Exception):
    """Fatal, user-facing error: one line, no traceback, a meaningful exit code.

    The message names the field (or file) and the value received, and says what is
    allowed. The CLI prints it on stderr and exits with ``exit_code``.
    """

    exit_code: int = 2

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self.args[0])


class InputError(VaultplanError):
    """Bad input: a broken config, an invalid value, a malformed template. Exit code 2."""


#: A value quoted in an error line is cut to this many characters (an ellipsis marks the cut).
VALUE_LIMIT = 120
#: A whole error line is cut to this many characters, keeping its head and its tail.
LINE_LIMIT = 600

# Characters that would break the line or steer a terminal: C0 and C1 controls, DEL, line and
# paragraph separators, lone surrogates (undecodable file names) and the bidirectional
# overrides (https://www.unicode.org/reports/tr9/#Explicit_Directional_Embeddings).
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return (
        code < 0x20
        or 0x7F <= code < 0xA0
        or code in (0x2028, 0x2029)
        or 0xD800 <= code < 0xE000
        or ch in _BIDI
    )


def escape_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``)."""
    if text.isprintable() and not any(ch in _BIDI for ch in text):
        return text
    return "".join(_escape_char(ch) if _unsafe(ch) else ch for ch in text)


def _cut(text: str, limit: int, tail: int) -> str:
    if len(text) <= limit:
        return text
    head = limit - tail - 1
    return f"{text[:head]}…{text[-tail:]}" if tail else f"{text[:head]}…"


def shown(value: object, limit: int = VALUE_LIMIT) -> str:
    """A value as an error line quotes it: ``repr`` of a string (so it is visibly quoted),
    ``str`` of anything else, control characters escaped, cut to ``limit`` characters."""
    text = repr(value) if isinstance(value, str) else str(value)
    return _cut(escape_controls(text), limit, 0)


def error_line(error: VaultplanError | str) -> str:
    """The one stderr line of a fatal error: ``error: <input>: <what>; got <value>``.

    Whatever the message holds, the result is one line: control characters are escaped, a
    run of more than :data:`VALUE_LIMIT` characters without a space (a pasted value, a long
    path) is cut in its middle, and the whole line is kept under :data:`LINE_LIMIT`.
    """
    message = error.message if isinstance(error, VaultplanError) else error
    words = escape_controls(message).split(" ")
    text = " ".join(_cut(word, VALUE_LIMIT, 20) for word in words)
    return _cut(f"error: {text}", LINE_LIMIT, 120)
