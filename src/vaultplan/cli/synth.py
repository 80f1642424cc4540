"""``vaultplan synth`` and ``vaultplan init``: the ready app, driven by ``vaultplan.toml``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from vaultplan.cli import app
from vaultplan.cli._console import console, err_console
from vaultplan.cli._params import ConfigOption

if TYPE_CHECKING:  # imported by the commands: every other command starts without them
    from vaultplan.config import Config, StrategySummary
    from vaultplan.config.summary import CrossAccountCopy, PlanSummary


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _plan_rows(table: Table, plan: PlanSummary, rule_tables: str) -> None:
    """The plan's row, one row per rule, and its selection's."""
    source = f"preset {plan.preset}" if plan.preset else rule_tables
    details = "; ".join(
        (f"{len(plan.rules)} rule(s) from {source}, backups go to the vault", *plan.options)
    )
    table.add_row("Plan", plan.name, Text(details))
    for rule in plan.rules:
        details = f"{rule.schedule}: {rule.schedule_in_words}; {rule.lifecycle}"
        if rule.start_window_minutes is not None:
            details += f"; start within {rule.start_window_minutes} min"
        if rule.completion_window_minutes is not None:
            details += f"; complete within {rule.completion_window_minutes} min"
        if rule.recovery_point_tags:
            tags = ", ".join(f"{k}={v}" for k, v in rule.recovery_point_tags.items())
            details += f"; tags {tags}"
        for action in rule.copy_actions:
            details += f"; {action['in_words']}"
        for option in rule.options:
            details += f"; {option}"
        table.add_row("Rule", rule.name, Text(details))  # Text: no markup, no :emoji:
    table.add_row("Selection", plan.selection, Text("; ".join(plan.resources)))


def _table(summary: StrategySummary) -> Table:
    table = Table(title=f"Stack {summary.stack}, {summary.environment}", title_justify="left")
    table.add_column("Element", style="bold")
    table.add_column("Name")
    table.add_column("Details")
    table.add_row("Vault", summary.vault, Text("; ".join(summary.vault_details)))
    _plan_rows(table, summary.first_plan, "[[rules]]")
    for plan in summary.plans:
        _plan_rows(table, plan, "[[plans.rules]]")
    table.add_row("Role", "(generated)", summary.role)
    table.add_row("Notifications", "(generated)", Text(summary.notifications))
    for item in summary.assurance:
        table.add_row(item.element, item.name, Text(item.details))
    return table


SYNTH_HELP = (
    "Write the CloudFormation template of the backup strategy, with no AWS account.\n\n"
    "Reads the config and checks every AWS Backup constraint, then writes a cloud assembly to "
    "OUT (the template is OUT/<site>-backup.template.json) and prints the vault, the plan, each "
    "rule with its schedule in words and its lifecycle, and the selection. For each copy "
    "action into another account, it prints the access policy the destination vault needs "
    "(JSON: cross_account_copies), writes a stack for that account holding the vault with "
    "that policy (OUT/<site>-destination-<account>.template.json), and a note for what the "
    "stack needs that the template can't give (JSON: notes).\n\n"
    "A template over CloudFormation's 1 MB limit (1,048,576 bytes) is refused: select "
    "thousands of file systems by tag, not by id.\n\n"
    "With --org, the template is instead the member-account stack of the config's \\[org] "
    "backup policy (OUT/<site>-backup-member.template.json, StackSet-ready): the vault and "
    "roles the policy names, no plan (the policy makes it; see vaultplan org policy).\n\n"
    "Exit codes: 0 written; 2 bad input (one line naming the key; nothing is written)."
)


@app.command(help=SYNTH_HELP)
def synth(
    config: ConfigOption = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder of the cloud assembly (as `cdk synth` writes)."),
    ] = Path("cdk.out"),
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="Summary as a table (text) or JSON for scripts."),
    ] = OutputFormat.text,
    org: Annotated[
        bool,
        typer.Option(
            "--org",
            help="Write the member-account stack of the config's \\[org] backup policy instead.",
        ),
    ] = False,
) -> None:
    """Write the CloudFormation template of the backup strategy (see SYNTH_HELP)."""
    from vaultplan.config import load_config, summarize

    loaded = load_config(config)
    for warning in loaded.warnings:
        err_console.print(
            f"warning: {warning}", markup=False, emoji=False, highlight=False, soft_wrap=True
        )
    if org:
        _synth_member(loaded, out, output_format)
        return
    summary = summarize(loaded)
    # Imported here so config errors come back before jsii starts.
    from vaultplan.cdk.app import synth as synthesize

    result = synthesize(loaded, out)
    if output_format is OutputFormat.json:
        data = summary.to_dict() | {
            "template": str(result.template),
            "outdir": str(out),
            "destination_templates": [str(p) for p in result.destination_templates],
        }
        typer.echo(json.dumps(data, indent=2, allow_nan=False))
        return
    console.print(_table(summary))
    for copy in summary.cross_account_copies:
        _print_cross_account(copy)
    for note in summary.notes:
        console.print(f"note: {note}", highlight=False, markup=False, emoji=False, soft_wrap=True)
    console.print(f"Template written to {result.template}", highlight=False)
    for path in result.destination_templates:
        name = path.name.split(".")[0]
        console.print(
            f"Destination stack written to {path}: deploy it in its account first, e.g. "
            f"aws cloudformation deploy --template-file {path} --stack-name {name}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


def _synth_member(loaded: Config, out: Path, output_format: OutputFormat) -> None:
    """``synth --org``: the member-account stack, and what it can't do itself (notes)."""
    from vaultplan.config.loader import strategy_spec
    from vaultplan.org.management import member_notes
    from vaultplan.org.policy import check_organization

    spec = strategy_spec(loaded)
    org = check_organization(spec, loaded.org, option="--org")  # before jsii starts
    from vaultplan.cdk.app import synth as synthesize

    result = synthesize(loaded, out, org=True)
    notes = member_notes(spec, org)
    if output_format is OutputFormat.json:
        data = {"stack": result.stack_name, "template": str(result.template), "outdir": str(out)}
        typer.echo(json.dumps(data | {"notes": notes}, indent=2, allow_nan=False))
        return
    for note in notes:
        console.print(f"note: {note}", highlight=False, markup=False, emoji=False, soft_wrap=True)
    console.print(
        f"Member-account template written to {result.template}", highlight=False, soft_wrap=True
    )


def _print_cross_account(copy: CrossAccountCopy) -> None:
    """The access policy a cross-account destination vault needs, and what else it takes."""
    console.print(
        f"\nCross-account copy to {copy.destination_vault_arn}: in account "
        f"{copy.destination_account}, give that vault this access policy:",
        highlight=False,
        markup=False,
        emoji=False,
    )
    policy = json.dumps(copy.access_policy, indent=2, allow_nan=False)
    console.print(policy, highlight=False, markup=False, emoji=False, soft_wrap=True)
    for note in copy.notes:
        console.print(f"- {note}", highlight=False, markup=False, emoji=False)


@app.command()
def init(
    path: Annotated[
        Path,
        typer.Argument(help="Where to write the config (a file, or a folder for vaultplan.toml)."),
    ] = Path("vaultplan.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented vaultplan.toml holding the defaults (preset daily-monthly)."""
    from vaultplan.config import write_default_config

    written = write_default_config(path, force=force)
    console.print(f"Wrote {written}; edit it, then run: vaultplan synth", highlight=False)
