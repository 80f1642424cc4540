"""The CLI's one error boundary: whatever a command raises ends as one stderr line.

- bad input (:class:`~vaultplan.errors.VaultplanError`, a click usage error: an unknown
  option, a bad or missing value) is ``error: <input>: <what>; got <value>``, exit 2;
- a bug that escapes everything is ``internal error in <command>: <exception>; rerun with
  --debug for the traceback``, exit 3 (``vaultplan --debug`` or ``VAULTPLAN_DEBUG=1`` prints
  the traceback instead);
- notes a command makes on the way (``assumed:``, ``ignored:``, ``skipped:``) are held by
  :func:`note` and printed only when the command ends without an error, so that exit 2 is
  one line and nothing else.

Every line goes through :func:`vaultplan.errors.error_line`, which escapes control characters
and shortens long values.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from typer._click.core import Command
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperGroup
from typer.exceptions import Abort

from vaultplan.errors import VaultplanError, error_line, escape_controls, shown

__all__ = ["INTERNAL_EXIT", "note", "run", "set_command", "set_debug", "usage_message"]

#: The exit code of a bug (not of bad input, which is 2).
INTERNAL_EXIT = 3


@dataclass
class _State:
    debug: bool = False
    command: str = "vaultplan"
    notes: list[str] = field(default_factory=list)


_state = _State()


def note(line: str) -> None:
    """Hold one stderr note (``assumed: ...``) until the command has succeeded."""
    _state.notes.append(escape_controls(line))


def set_debug(value: bool) -> None:
    """``vaultplan --debug``: tracebacks for internal errors."""
    _state.debug = _state.debug or value


def set_command(name: str | None) -> None:
    """The sub-command being run, named by an internal error."""
    if name:
        _state.command = name


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _hint(exc: UsageError) -> str | None:
    """The option (its long name) or argument (its metavar) a usage error is about."""
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, str):
        return hint
    if isinstance(hint, Sequence) and hint:
        return str(hint[0])
    param = getattr(exc, "param", None)
    if param is None:
        return getattr(exc, "option_name", None)
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")] or list(param.opts)
    if getattr(param, "param_type_name", "") == "argument" or not opts:
        metavar = getattr(param, "metavar", None)
        return str(metavar or (param.name or "ARGUMENT").upper())
    return str(opts[0])


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) < 2 else text


def _command_path(exc: UsageError) -> str:
    ctx = exc.ctx
    return ctx.command_path if ctx is not None else "vaultplan"


def usage_message(exc: UsageError) -> str:
    """A click usage error as ``<option>: <what>; got <value>`` (no ``error:`` prefix)."""
    path = _command_path(exc)
    helper = f"see '{path} --help'"
    if isinstance(exc, NoSuchOption):
        options = sorted(exc.possibilities or ())
        guess = f"did you mean {' or '.join(options)}?" if options else helper
        return f"{exc.option_name}: no such option of {path}; {guess}"
    if isinstance(exc, MissingParameter):
        return f"{_hint(exc)}: required, not given; {helper}"
    if isinstance(exc, BadOptionUsage) and "requires an argument" in exc.message:
        return f"{exc.option_name}: requires a value; {helper}"
    if isinstance(exc, BadParameter | BadOptionUsage):
        return f"{_hint(exc)}: {_sentence(exc.message)}"
    ctx = exc.ctx
    if ctx is not None and isinstance(ctx.command, TyperGroup) and "No such command" in exc.message:
        names = ", ".join(sorted(ctx.command.list_commands(ctx)))
        got = exc.message.split("'", 1)[1].rsplit("'", 1)[0] if "'" in exc.message else ""
        return f"COMMAND: no such command of {path}; use one of {names}; got {shown(got)}"
    extra = exc.message.removeprefix("Got unexpected extra argument")
    if extra != exc.message:
        got = extra.removeprefix("(s)").strip().removeprefix("(").removesuffix(")")
        return f"{path}: unexpected extra argument(s); {helper}; got {shown(got)}"
    return f"{path}: {_sentence(exc.message)}"


def _internal(exc: BaseException) -> int:
    if _state.debug or os.environ.get("VAULTPLAN_DEBUG", "") not in ("", "0"):
        traceback.print_exception(exc, file=sys.stderr)
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    line = error_line(
        f"in {_state.command}: {what}; rerun with --debug for the traceback"
    ).removeprefix("error: ")
    _say(f"internal error {line}")
    return INTERNAL_EXIT


def _hoist_debug(args: list[str]) -> list[str]:
    """``--debug`` is the root's option; the hint says "rerun with --debug", so it is taken
    wherever it is put before ``--`` (``vaultplan policy t.json --debug``)."""
    end = args.index("--") if "--" in args else len(args)
    if "--debug" not in args[:end]:
        return args
    _state.debug = True
    return [a for a in args[:end] if a != "--debug"] + args[end:]


def run(command: Command, argv: Sequence[str] | None) -> int:
    """Run the click ``command`` on ``argv`` (default ``sys.argv[1:]``); its exit code."""
    _state.debug = False
    _state.command = "vaultplan"
    _state.notes.clear()
    args = _hoist_debug(list(sys.argv[1:] if argv is None else argv))
    try:
        result: Any = command.main(args=args, prog_name="vaultplan", standalone_mode=False)
        code = result if isinstance(result, int) and not isinstance(result, bool) else 0
    except NoArgsIsHelpError:
        return 2  # typer has printed the help on stdout: no arguments is a request to learn
    except UsageError as exc:
        _say(error_line(usage_message(exc)))
        return 2
    except VaultplanError as exc:
        if exc.exit_code in (0, 1):
            _flush()
        _say(error_line(exc))
        return exc.exit_code
    except Abort:
        _say("error: aborted")
        return 1
    except SystemExit as exc:  # typer's own exits (a broken pipe: 1)
        return exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _internal(exc)
    if code in (0, 1):
        _flush()
    return code


def _flush() -> None:
    for line in _state.notes:
        _say(line)
    _state.notes.clear()
