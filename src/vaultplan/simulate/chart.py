"""``--chart``: storage by tier over time, the points alive, and when each rule took (or
lost) a backup, as a PNG. matplotlib (Agg) is imported here only, when a chart is asked for."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError
from vaultplan.simulate.result import ResourceSimulation, Simulation

__all__ = ["write_chart"]

WARM = "#e8833a"
COLD = "#3a78b5"
SKIPPED = "#c0392b"
RULE_COLOURS = ("#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#455a64")


def _num(moments: list[datetime]) -> Any:
    """Matplotlib's date numbers (its typed API takes floats, not datetimes)."""
    from matplotlib.dates import date2num

    return date2num(moments)  # type: ignore[no-untyped-call]


def _panel(fig: object, axes: tuple[object, object, object], res: ResourceSimulation) -> None:
    from matplotlib.axes import Axes
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    store, count, rules = axes
    assert isinstance(store, Axes) and isinstance(count, Axes) and isinstance(rules, Axes)
    rows = list(res.days.rows())
    days = _num([datetime.combine(d.day, time()) for d in rows])
    warm = list(res.days.warm_gib)
    cold = list(res.days.cold_gib)
    store.stackplot(
        days, cold, warm, labels=("cold", "warm"), colors=(COLD, WARM), step="post", alpha=0.85
    )
    store.set_ylabel("GiB billed a day")
    store.set_ylim(bottom=0)
    total = f"${res.total_usd:,.2f}" if res.priced else "not priced"
    store.set_title(
        f"{res.plan_name}: {res.resource} ({res.resource_type}) - storage by tier, total {total}",
        loc="left",
        fontsize=11,
    )
    handles, labels = store.get_legend_handles_labels()
    store.legend(handles[::-1], labels[::-1], loc="upper left", frameon=False)
    store.grid(axis="y", alpha=0.3)

    count.step(days, list(res.days.warm_points), where="post", color=WARM, label="warm")
    count.step(days, list(res.days.cold_points), where="post", color=COLD, label="cold")
    count.set_ylabel("points")
    count.set_ylim(bottom=0)
    count.legend(loc="lower right", frameon=False, ncol=2)
    count.grid(axis="y", alpha=0.3)
    gap = res.max_gap_hours
    count.set_title(
        f"recovery points at the end: {res.warm_at_end} warm, {res.cold_at_end} cold; "
        f"largest gap {'n/a' if gap is None else f'{gap:g} h'}",
        loc="left",
        fontsize=9,
    )

    names = [r.name for r in res.rules]
    for row, name in enumerate(names):
        colour = RULE_COLOURS[row % len(RULE_COLOURS)]
        taken = _num([p.created for p in res.points if p.rule == name])
        lost = _num([s.scheduled for s in res.skipped if s.rule == name])
        rules.plot(taken, [row] * len(taken), "|", color=colour, markersize=9)
        if len(lost):
            rules.plot(lost, [row] * len(lost), "x", color=SKIPPED, markersize=5)
    rules.set_yticks(range(len(names)), [f"{n}" for n in names], fontsize=8)
    rules.set_ylim(-0.6, len(names) - 0.4)
    rules.set_title(
        "backups taken (|) and not taken because a longer-retention rule's window overlaps (x)",
        loc="left",
        fontsize=9,
    )
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    rules.xaxis.set_major_locator(locator)
    rules.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    rules.set_xlim(days[0], days[-1])
    rules.grid(axis="x", alpha=0.3)


def write_chart(sim: Simulation, path: Path) -> None:
    """Write one figure with a block of three panels per simulated resource."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = sim.resources[:4]
    fig = plt.figure(figsize=(12, 6.5 * len(shown)), layout="constrained")
    subfigs = fig.subfigures(len(shown), 1, squeeze=False)[:, 0]
    for sub, res in zip(subfigs, shown, strict=True):
        axes = sub.subplots(3, 1, sharex=True, height_ratios=(3, 1.4, 0.5 + 0.35 * len(res.rules)))
        _panel(sub, (axes[0], axes[1], axes[2]), res)
    fig.suptitle(
        f"vaultplan simulate: {sim.days} days from {sim.start.isoformat()}, "
        f"{sim.size_gib:g} GiB, {sim.daily_change_percent:g}%/day changed, {sim.region}, "
        f"cold points billed as {'full copies' if sim.cold_copy == 'full' else 'increments'}",
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
