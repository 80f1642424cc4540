"""``vaultplan report``: parse options, run :func:`vaultplan.report.build_report`, write."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from vaultplan.cli import app
from vaultplan.cli._console import console, help_text
from vaultplan.cli._params import ConfigOption, DailyChangeOption, SizeGibOption
from vaultplan.errors import InputError

HELP = """Write one self-contained HTML page of a backup strategy, for the people who approve it.

The page holds: at a glance (the vault with its key, lock and access policy; each plan and
rule with its schedule in words; the selection; notifications; restore testing; audit);
the copy topology (a diagram of the source vault and each copy destination, with its
Region, account and lifecycle); what it keeps (recovery points by tier over time, the
largest gap per rule, the monthly bill: the figures of `vaultplan simulate` with its
defaults); the findings of `vaultplan check`, filterable by severity, each with its source;
and the deploy permissions of `vaultplan policy`, grouped by resource with why each action
is there, and with --policy the `vaultplan preflight` result for those policies.

The strategy is the config's (--config, else ./vaultplan.toml, else the defaults), built as
`vaultplan synth` builds it, or that of TEMPLATE (a JSON or YAML template or a cdk.out
directory). The page loads nothing from the network, works without JavaScript, prints,
and fits a phone.

Examples:

  vaultplan report --config vaultplan.toml --out report.html

  vaultplan report cdk.out --policy deployer.json --start 2026-01-01 --out report.html

Exit codes: 0 written; 2 bad input (one line; nothing is written).
"""


@app.command("report", help=help_text(HELP))
def report(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE.html", help="The page.")],
    template: Annotated[
        Path | None,
        typer.Argument(
            metavar="[TEMPLATE]",
            help="Template file (JSON or YAML) or cdk.out directory, instead of a config.",
            show_default=False,
        ),
    ] = None,
    config: ConfigOption = None,
    policy: Annotated[
        list[Path] | None,
        typer.Option("--policy", metavar="FILE", help="Identity policy to preflight (repeatable)."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", metavar="YYYY-MM-DD", help="First simulated day. Default: today (UTC)."
        ),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Number of days to simulate.")] = 365,
    size_gib: SizeGibOption = 100.0,
    daily_change_percent: DailyChangeOption = 1.0,
    region: Annotated[
        str, typer.Option("--region", help="Region whose prices the simulation uses.")
    ] = "us-east-1",
) -> None:
    from vaultplan.cli.simulate import _date
    from vaultplan.report import (
        ReportRequest,
        SimulationInputs,
        build_report,
        out_problem,
        write_report,
    )

    if template is not None and config is not None:
        raise InputError(
            f"--config: got '{config}' and TEMPLATE '{template}'; give one of them, not both"
        )
    problem = out_problem(out)
    if problem is not None:
        raise InputError(problem)
    first = _date(start) if start is not None else datetime.now(UTC).date()
    inputs = SimulationInputs(first, days, size_gib, daily_change_percent, region)
    page = build_report(ReportRequest(inputs, config, template, tuple(policy or ())))
    write_report(page, out)
    size = len(page.encode("utf-8"))
    console.print(f"Report written to {out} ({size:,} bytes)", highlight=False, markup=False)
