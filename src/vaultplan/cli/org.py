"""``vaultplan org``: one backup strategy across an AWS Organizations organization.

The sub-commands register themselves on :data:`org_app` (``org validate`` and ``org
effective`` in :mod:`vaultplan.cli.org_effective`).
"""

from __future__ import annotations

import typer

from vaultplan.cli import app
from vaultplan.cli._lean import LeanGroup

org_app = typer.Typer(
    name="org",
    help=(
        "AWS Organizations backup policies: check them, and compute each account's effective "
        "policy, offline.\n\n"
        "Exit codes: 0 ok; 1 errors found; 2 bad input."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    cls=LeanGroup,
)
app.add_typer(org_app, name="org")
