"""``vaultplan org``: one strategy across an AWS Organizations organization.

``vaultplan org policy`` writes the config's strategy as backup policies and the
management-account template that creates them (the library: :mod:`vaultplan.org`). The
member accounts' stack is ``vaultplan synth --org``. ``org validate`` and ``org effective``
register themselves on :data:`org_app` from :mod:`vaultplan.cli.org_effective`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vaultplan.cli import _App, app
from vaultplan.cli._console import console, err_console
from vaultplan.cli._lean import LeanGroup

__all__ = ["org_app"]

org_app = _App(
    name="org",
    help=(
        "One strategy across an AWS Organizations organization: write its backup policies, "
        "check hand-written ones, and compute each account's effective policy, offline.\n\n"
        "Exit codes: 0 ok; 1 errors found; 2 bad input (one line naming the key; nothing is "
        "written)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    cls=LeanGroup,
)
app.add_typer(org_app, name="org")

POLICY_HELP = (
    "Write the config's strategy as an AWS Organizations backup policy, offline.\n\n"
    "The config needs an \\[org] section (regions, and the target_ids to attach to) and a "
    "selection a policy can express: tag conditions or resource-type patterns. Without --out "
    "the minified policy is printed (one per line when split); with --out, OUT gets each "
    "policy as <name>.json and the management-account template "
    "(AWS::Organizations::Policy, Type BACKUP_POLICY) as <site>-backup-management.template.json. "
    "A policy holds at most 10,000 characters: over that, one policy per plan.\n\n"
    "Exit codes: 0 written; 2 bad input (one line naming the key; nothing is written)."
)


def _note(line: str) -> None:
    err_console.print(f"note: {line}", markup=False, emoji=False, highlight=False, soft_wrap=True)


@org_app.command("policy", help=POLICY_HELP)
def policy(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="The vaultplan.toml to read (with an \\[org] section). Default: ./vaultplan.toml.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder for the policy files and the management-account template. Default: "
            "print the policy.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the strategy as backup policies (see POLICY_HELP)."""
    from vaultplan.config import load_config
    from vaultplan.config.loader import strategy_spec
    from vaultplan.org.policy import backup_policies, check_organization

    loaded = load_config(config)
    spec = strategy_spec(loaded)
    org = check_organization(spec, loaded.org)
    policies = backup_policies(spec, org)
    if out is None:
        for one in policies:
            typer.echo(one.text)
    else:
        from vaultplan.org.management import write_org_policy

        files = write_org_policy(policies, org, out, stack_name=f"{loaded.stack_name}-management")
        for path in files.policies:
            console.print(
                f"Policy written to {path}", highlight=False, markup=False, soft_wrap=True
            )
        console.print(
            f"Management-account template written to {files.template}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    from vaultplan.org.management import policy_notes

    for line in policy_notes(spec, org, policies):
        _note(line)
