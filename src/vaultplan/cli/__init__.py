"""The ``vaultplan`` command line: a thin layer over the library.

Each sub-command lives in its own module and registers itself on :data:`app`.
Exit codes: 0 success; 1 findings of error severity (``check``) or a strict
failure; 2 bad input (one line on stderr, nothing written).
"""

from __future__ import annotations

import os
import sys

import typer

from vaultplan import __version__
from vaultplan.cli._console import err_console
from vaultplan.cli._lean import LeanGroup
from vaultplan.errors import VaultplanError

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

app = typer.Typer(
    name="vaultplan",
    help=(
        "AWS Backup strategies with the AWS CDK, made safe and cheap to run, offline.\n\n"
        "Exit codes: 0 ok; 1 errors found (check) or --strict failure; 2 bad input."
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
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """AWS Backup strategies with the AWS CDK, checked and costed offline."""


def _register() -> None:
    # Sub-command modules register themselves on import (one line each).
    from vaultplan.cli import check, explain, policy, preflight, simulate, synth  # noqa: F401


def main() -> None:
    """Console-script entry point: maps fatal errors to one line on stderr and their exit code."""
    _register()
    try:
        app()
    except VaultplanError as exc:
        err_console.print(
            f"error: {exc.message}", markup=False, emoji=False, highlight=False, soft_wrap=True
        )
        sys.exit(exc.exit_code)
