"""The ``vaultplan`` command line: a thin layer over the library.

Each sub-command lives in its own module and registers itself on :data:`app`.
Exit codes: 0 success; 1 findings of error severity (``check``) or a strict
failure; 2 bad input (one line on stderr, nothing written); 3 an internal error (a bug:
one line; ``vaultplan --debug`` prints its traceback). See :mod:`vaultplan.cli._boundary`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import typer
from typer.models import CommandFunctionType

from vaultplan import __version__
from vaultplan.cli._lean import LeanCommand, LeanGroup

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


class _App(typer.Typer):
    """Every command is a :class:`LeanCommand` unless it says otherwise."""

    def command(
        self, *args: Any, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        if kwargs.get("cls") is None:
            kwargs["cls"] = LeanCommand
        return super().command(*args, **kwargs)


app = _App(
    name="vaultplan",
    help=(
        "AWS Backup strategies with the AWS CDK, made safe and cheap to run, offline.\n\n"
        "Exit codes: 0 ok; 1 errors found (check) or --strict failure; 2 bad input; "
        "3 internal error (a bug; rerun with --debug for its traceback)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    cls=LeanGroup,  # its --help/--version skip pydantic: see vaultplan.cli._lean
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vaultplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        help="Print the traceback of an internal error (also VAULTPLAN_DEBUG=1).",
    ),
) -> None:
    """AWS Backup strategies with the AWS CDK, checked and costed offline."""
    from vaultplan.cli._boundary import set_command, set_debug

    set_debug(debug)
    set_command(ctx.invoked_subcommand)


def _register() -> None:
    # Sub-command modules register themselves on import (one line each).
    from vaultplan.cli import (  # noqa: F401
        check,
        explain,
        org,
        org_effective,
        policy,
        preflight,
        report,
        simulate,
        synth,
    )


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default: ``sys.argv[1:]``) in this process; the exit code.

    Nothing escapes: see :mod:`vaultplan.cli._boundary` for what each failure prints.
    """
    import logging

    from vaultplan.cli._boundary import run as run_command

    # cfn-lint logs some decoding failures itself; with no handler Python would print them
    # on stderr next to the one error line that reports the same failure.
    logging.getLogger("cfnlint").addHandler(logging.NullHandler())
    _register()
    return run_command(typer.main.get_command(app), argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: :func:`run`, then exit with its code."""
    sys.exit(run(argv))
