"""``vaultplan simulate``: parse options, run :func:`vaultplan.simulate.simulate`, format."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vaultplan.cli import app
from vaultplan.cli._console import SIMULATE_DELAY, console, progress_bar
from vaultplan.cli._lean import LeanCommand
from vaultplan.cli._params import (
    DailyChangeOption,
    SizeGibOption,
    parameters_option,
    parse_parameters,
)
from vaultplan.errors import InputError, shown

if TYPE_CHECKING:
    from rich.console import Console

    from vaultplan.simulate.result import ResourceSimulation, Simulation

SIMULATE_HELP = "\n\n".join(
    [
        "Project what a backup plan keeps and costs: the recovery points it creates, which "
        "tier each is in, the largest gap between points (the achieved RPO), the storage "
        "in each tier per day and the cost per calendar month, offline.",
        "TEMPLATE is a JSON or YAML template or a cdk.out directory with an "
        "AWS::Backup::BackupPlan. Each resource its BackupSelections protect is simulated. "
        "Schedules are AWS cron, in the rule's ScheduleExpressionTimezone (DST included). "
        "Rules whose start windows overlap: only the one with the longer retention takes the "
        "backup, as AWS Backup does. Points move to cold at creation + "
        "MoveToColdStorageAfterDays and are deleted at creation + DeleteAfterDays; a cold "
        "point deleted before 90 days is charged for the rest.",
        "Storage (the EFS model, see the README): the first backup is full (--size-gib); each "
        "later one holds the data changed since the previous point (--daily-change-percent "
        "per day); cold points are billed as full copies (--cold-copy). Prices: bundled "
        "(us-east-1, us-west-1) or --prices FILE.",
        "Limits: --days 1 to 36,500, ending by 2199-12-31 (AWS cron's last year); --size-gib "
        "above 0, at most 1,073,741,824 (1 EiB); numbers finite; the template's lifecycle "
        "days 1 to 36,500 and start windows 60 to 52,560,000 minutes (AWS's bounds). A run "
        "simulates at most 200,000 backups (each rule's scheduled backups, times each "
        "protected resource and copy destination): an hourly rule fits 8,333 days; past "
        "that, use a shorter --days (the error gives the figure) or --plan.",
        "Exit codes: 0 ok; 2 bad input (a bad date or number, no backup plan, an unknown "
        "--plan, a bad prices file, a rule value unknown offline).",
        "Example: [bold]vaultplan simulate template.json --start 2026-01-01 --days 400 "
        "--chart plan.png[/bold]",
    ]
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("x")
    except ValueError:
        raise InputError(
            f"--start: got {text!r}; expected a date as YYYY-MM-DD, e.g. 2026-01-01"
        ) from None


def _check_chart(chart: Path) -> None:
    from vaultplan.simulate.chart import chart_problem

    problem = chart_problem(chart)
    if problem is not None:
        raise InputError(f"{problem}; got {shown(str(chart))}")
    try:
        folder = chart.parent.is_dir()
    except OSError:  # a name too long, a loop
        folder = False
    if not folder:
        raise InputError(f"--chart: got {shown(str(chart))}; its folder does not exist")


def _gib(value: float) -> str:
    return f"{value:,.1f}"


def _render_resource(out: Console, res: ResourceSimulation) -> None:
    from rich.table import Table

    gap = res.max_gap_hours
    out.print(
        f"\n[bold]{res.resource}[/bold] ({res.resource_type}) by plan {res.plan} ({res.plan_name})",
        highlight=False,
    )
    for r in res.rules:
        window = r.start_window_minutes
        window_text = f"{window // 60} h" if window % 60 == 0 else f"{window} min"
        out.print(
            f"  rule {r.name}: {r.schedule} {r.timezone}, start window {window_text}, "
            f"{r.describe_lifecycle()}: {r.taken} backup(s) taken, {r.skipped} skipped",
            markup=False,
            highlight=False,
        )
    pairs: dict[tuple[str, str], list[datetime]] = {}
    for skip in res.skipped:
        pairs.setdefault((skip.rule, skip.superseded_by), []).append(skip.scheduled)
    for (loser, winner), times in pairs.items():
        out.print(
            f"  {len(times)} scheduled backup(s) of {loser} not taken (first "
            f"{times[0]:%Y-%m-%d %H:%M} UTC): their start windows overlap those of {winner}, "
            "which keeps its points longer, so AWS Backup takes only that one",
            markup=False,
            highlight=False,
        )
    months = Table(title="By month", title_justify="left")
    for col in ("month", "backups", "warm GiB (avg)", "cold GiB (avg)", "USD"):
        months.add_column(col, justify="left" if col == "month" else "right")
    created: dict[str, int] = {}
    for p in res.points:
        key = f"{p.created:%Y-%m}"
        created[key] = created.get(key, 0) + 1
    for m in res.months:
        months.add_row(
            m.month,
            str(created.get(m.month, 0)),
            _gib(m.warm_gib_days / m.days),
            _gib(m.cold_gib_days / m.days),
            f"{m.usd:,.2f}" if res.priced else "-",
        )
    out.print(months)
    gap_text = "n/a (fewer than 2 points)" if gap is None else f"{gap:g} h"
    total = f"${res.total_usd:,.2f}" if res.priced else "not priced"
    out.print(
        f"At the end: [bold]{res.warm_at_end}[/bold] warm and [bold]{res.cold_at_end}[/bold] "
        f"cold recovery points. Largest gap between points: [bold]{gap_text}[/bold]. "
        f"Total: [bold]{total}[/bold].",
        highlight=False,
    )
    out.print(f"Prices: {res.price_note}", markup=False, highlight=False, soft_wrap=True)
    for copy in res.copies:
        transfer = copy.transfer_usd
        if copy.priced:
            cost = f"${copy.total_usd:,.2f}" + (
                f", of which ${transfer:,.2f} cross-Region transfer" if transfer else ""
            )
            cost += " (included in the total)"
        elif transfer:
            cost = f"not priced (only its cross-Region transfer is: ${transfer:,.2f})"
        else:
            cost = "not priced"
        out.print(
            f"  copies to {copy.destination} ({copy.region}): {len(copy.points)} taken; at the "
            f"end {copy.warm_at_end} warm and {copy.cold_at_end} cold; {cost}. "
            f"Prices: {copy.price_note}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def render_text(sim: Simulation, out: Console) -> None:
    asked = sim.options
    end = asked.start.toordinal() + asked.days - 1
    out.print(
        f"Simulated {sim.template} from {asked.start.isoformat()} for {asked.days} day(s) "
        f"(to {date.fromordinal(end).isoformat()}, UTC): {asked.size_gib:g} GiB, "
        f"{asked.daily_change_percent:g}% changed a day, cold points billed as "
        f"{'full copies' if asked.cold_copy == 'full' else 'their increment'}.",
        markup=False,
        highlight=False,
    )
    for note in sim.notes:
        out.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
    for res in sim.resources:
        _render_resource(out, res)


@app.command(help=SIMULATE_HELP, no_args_is_help=True, cls=LeanCommand)
def simulate(
    template: Annotated[
        Path, typer.Argument(help="Template file (JSON or YAML) or cdk.out directory.")
    ],
    start: Annotated[
        str, typer.Option("--start", metavar="YYYY-MM-DD", help="First day (00:00 UTC).")
    ],
    days: Annotated[int, typer.Option("--days", help="Number of days to simulate.")],
    plan: Annotated[
        str | None,
        typer.Option("--plan", metavar="LOGICAL_ID", help="Only this plan. Default: every plan."),
    ] = None,
    size_gib: SizeGibOption = 100.0,
    daily_change_percent: DailyChangeOption = 1.0,
    region: Annotated[
        str,
        typer.Option(
            "--region",
            help="Region of the stack: its prices apply, and it is AWS::Region in the template.",
        ),
    ] = "us-east-1",
    prices: Annotated[
        Path | None,
        typer.Option("--prices", metavar="FILE", help="Prices JSON replacing the bundled one."),
    ] = None,
    cold_copy: Annotated[
        str,
        typer.Option(
            "--cold-copy",
            metavar="full|increment",
            help="How a cold point is billed: full (a full copy) or increment (what it held).",
        ),
    ] = "full",
    parameters: Annotated[
        list[str] | None,
        parameters_option(
            "A template parameter value (repeat the option for several).", metavar="KEY=VALUE"
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="text|json", help="text (tables for people) or json."
        ),
    ] = "text",
    chart: Annotated[
        Path | None,
        typer.Option("--chart", metavar="FILE.png", help="Also draw storage over time (PNG)."),
    ] = None,
) -> None:
    from vaultplan.simulate.options import SimulationOptions
    from vaultplan.simulate.run import simulate as run

    if output_format not in ("text", "json"):
        raise InputError(f"--format: got {output_format!r}; use text or json")
    if cold_copy not in ("full", "increment"):
        raise InputError(f"--cold-copy: got {cold_copy!r}; use full or increment")
    if chart is not None:
        _check_chart(chart)
        from vaultplan.simulate.chart import require_matplotlib

        require_matplotlib()
    options = SimulationOptions(
        start=_date(start),
        days=days,
        plan_id=plan,
        size_gib=size_gib,
        daily_change_percent=daily_change_percent,
        region=region,
        prices_file=prices,
        cold_copy="full" if cold_copy == "full" else "increment",
        parameters=parse_parameters(parameters or [], example="Site=example"),
    )
    with progress_bar("simulate", delay=SIMULATE_DELAY) as bar:
        sim = run(template, options, progress=bar)
    if chart is not None:
        from vaultplan.simulate.chart import write_chart

        write_chart(sim, chart)
    if output_format == "json":
        # Indented for a terminal; one line otherwise (the C encoder: 10 years in milliseconds).
        indent = 2 if sys.stdout.isatty() else None
        sys.stdout.write(json.dumps(sim.to_json(), indent=indent, allow_nan=False) + "\n")
    else:
        render_text(sim, console)
