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
