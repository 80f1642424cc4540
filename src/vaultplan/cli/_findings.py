"""How findings are printed: one format option and one renderer for ``check`` and
``org validate``/``org effective`` (the formats and exit codes are the same everywhere)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from vaultplan.checks.runner import CheckReport

__all__ = ["FindingsFormat", "format_option", "print_findings"]


class FindingsFormat(StrEnum):
    text = "text"
    table = "table"
    json = "json"
    sarif = "sarif"


def format_option() -> Any:
    """The ``--format`` option of a command that prints findings."""
    return typer.Option(
        "--format",
        "-f",
        help="text: one line per finding, path:line:col: VP105 \\[error] message (editors "
        "and CI parse it); table: a table per file; json; sarif: for CI.",
    )


def print_findings(
    report: CheckReport, output_format: FindingsFormat, *, show_not_applicable: bool = False
) -> None:
    """Print ``report`` on stdout in ``output_format``."""
    from vaultplan.checks.formatters import render_json, render_sarif, render_table, render_text
    from vaultplan.cli._console import console

    if output_format is FindingsFormat.json:
        sys.stdout.write(render_json(report))
    elif output_format is FindingsFormat.sarif:
        sys.stdout.write(render_sarif(report))
    elif output_format is FindingsFormat.table:
        render_table(report, console, show_not_applicable=show_not_applicable)
    else:
        render_text(report, console, show_not_applicable=show_not_applicable)
