"""``--chart``: storage by tier over time, the points alive, when each rule took (or lost)
a backup, and the bill per month, as a PNG. matplotlib (Agg) is imported here only, when a
chart is asked for; it is the extra ``vaultplan[chart]``, so :func:`require_matplotlib` says so
when it is missing."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError
from vaultplan.simulate.result import ResourceSimulation, Simulation

__all__ = ["CHART_FORMATS", "chart_problem", "require_matplotlib", "write_chart"]

#: File extensions the chart can be written as: the formats of matplotlib's Agg canvas
#: (https://matplotlib.org/stable/api/backend_agg_api.html), less pgf (it needs LaTeX) and
#: the raw pixel dumps. A name without an extension is written as PNG, matplotlib's default.
CHART_FORMATS = ("png", "svg", "svgz", "pdf", "ps", "eps", "jpg", "jpeg", "tif", "tiff", "webp")

WARM = "#e8833a"
COLD = "#3a78b5"
EARLY = "#8e44ad"
SKIPPED = "#c0392b"
RULE_COLOURS = ("#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#455a64")
#: At most this many resources are drawn (one block of panels each).
MAX_RESOURCES = 4


def chart_problem(path: Path) -> str | None:
    """Why ``--chart path`` cannot be written (checked before simulating), or ``None``."""
    suffix = path.suffix.lower().removeprefix(".")
    if suffix and suffix not in CHART_FORMATS:
        return f"--chart: unknown image format .{suffix}; use one of .{', .'.join(CHART_FORMATS)}"
    return None


def require_matplotlib() -> None:
    """Raise an :class:`InputError` naming the extra when matplotlib cannot be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InputError("--chart needs matplotlib; install vaultplan[chart]") from None


def _num(moments: list[datetime]) -> Any:
    """Matplotlib's date numbers (its typed API takes floats, not datetimes)."""
    from matplotlib.dates import date2num

    return date2num(moments)  # type: ignore[no-untyped-call]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def _panels(axes: Any, res: ResourceSimulation) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    store, count, rules, bill = axes
    n = len(res.days)
    # One more edge than days, so the last day is drawn as a whole step.
    edges = _num([_midnight(res.days.day(i)) for i in range(n + 1)])

    def stepped(values: tuple[float, ...] | tuple[int, ...]) -> list[float]:
        return [*values, values[-1]]

    store.stackplot(
        edges,
        stepped(res.days.cold_gib),
        stepped(res.days.warm_gib),
        labels=("cold", "warm"),
        colors=(COLD, WARM),
        step="post",
        alpha=0.85,
    )
    store.set_ylabel("GiB billed a day")
    store.set_ylim(bottom=0)
    store.set_title(
        f"{res.plan_name}: {res.resource} ({res.resource_type}), storage by tier (each day's peak)",
        loc="left",
        fontsize=11,
    )
    handles, labels = store.get_legend_handles_labels()
    store.legend(handles[::-1], labels[::-1], loc="upper left", frameon=False)
    store.grid(axis="y", alpha=0.3)

    count.step(edges, stepped(res.days.warm_points), where="post", color=WARM, label="warm")
    count.step(edges, stepped(res.days.cold_points), where="post", color=COLD, label="cold")
    count.set_ylabel("points")
    count.set_ylim(bottom=0)
    count.legend(loc="lower right", frameon=False, ncol=2)
    count.grid(axis="y", alpha=0.3)
    gap = res.max_gap_hours
    count.set_title(
        f"recovery points alive: {res.warm_at_end} warm and {res.cold_at_end} cold at the end; "
        f"largest gap between points {'n/a' if gap is None else f'{gap:g} h'}",
        loc="left",
        fontsize=9,
    )

    names = [r.name for r in res.rules]
    for row, name in enumerate(names):
        colour = RULE_COLOURS[row % len(RULE_COLOURS)]
        taken = [p.created for p in res.points if p.rule == name]
        lost = [s.scheduled for s in res.skipped if s.rule == name]
        if taken:
            rules.plot(_num(taken), [row] * len(taken), "|", color=colour, markersize=9)
        if lost:
            rules.plot(_num(lost), [row] * len(lost), "x", color=SKIPPED, markersize=5)
    rules.set_yticks(range(len(names)), names, fontsize=8)
    rules.set_ylim(-0.6, len(names) - 0.4)
    rules.set_title(
        "backups taken (|), and not taken (x) because a longer-retention rule's window overlaps",
        loc="left",
        fontsize=9,
    )
    rules.grid(axis="x", alpha=0.3)

    months = res.months
    lefts = _num([_midnight(date(int(m.month[:4]), int(m.month[5:]), 1)) for m in months])
    lefts[0] = edges[0]
    rights = [*lefts[1:], edges[-1]]
    widths = [(r - left) * 0.9 for left, r in zip(lefts, rights, strict=True)]
    bottom = [0.0] * len(months)
    for label, colour, values in (
        ("cold", COLD, [m.cold_usd for m in months]),
        ("warm", WARM, [m.warm_usd for m in months]),
        ("cold deleted early", EARLY, [m.early_deletion_usd for m in months]),
    ):
        if any(values):
            bill.bar(lefts, values, widths, bottom=bottom, align="edge", color=colour, label=label)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    total = f"${res.total_usd:,.2f}" if res.priced else "not priced"
    bill.set_title(
        f"cost per calendar month (USD); total {total}; {res.price_note.split(' (')[0]}",
        loc="left",
        fontsize=9,
    )
    bill.set_ylabel("USD")
    bill.grid(axis="y", alpha=0.3)
    handles, labels = bill.get_legend_handles_labels()
    if handles:
        bill.legend(handles[::-1], labels[::-1], loc="upper left", frameon=False, fontsize=8)

    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    bill.xaxis.set_major_locator(locator)
    bill.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    bill.set_xlim(edges[0], edges[-1])


def write_chart(sim: Simulation, path: Path) -> None:
    """Write one figure with a block of four panels per simulated resource (at most four)."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = sim.resources[:MAX_RESOURCES]
    fig = plt.figure(figsize=(12, 9 * len(shown)), layout="constrained")
    subfigs = fig.subfigures(len(shown), 1, squeeze=False)[:, 0]
    for sub, res in zip(subfigs, shown, strict=True):
        axes = sub.subplots(
            4, 1, sharex=True, height_ratios=(3, 1.3, 0.5 + 0.35 * len(res.rules), 1.6)
        )
        _panels(axes, res)
    more = len(sim.resources) - len(shown)
    asked = sim.options
    fig.suptitle(
        f"vaultplan simulate: {asked.days} days from {asked.start.isoformat()}, "
        f"{asked.size_gib:g} GiB, {asked.daily_change_percent:g}%/day changed, {asked.region}, "
        f"cold points billed as {'full copies' if asked.cold_copy == 'full' else 'increments'}"
        + (f" ({more} more resource(s) in the JSON output)" if more else ""),
        fontsize=10,
        x=0.01,
        horizontalalignment="left",
    )
    try:
        fig.savefig(path, dpi=110)
    except OSError as exc:
        raise InputError(f"--chart: cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        plt.close(fig)
