"""The report's charts as inline SVG, drawn here (no plotting library, nothing loaded).

Each chart scales to its container (a ``viewBox`` and no fixed width), carries a ``<title>``
and a ``<desc>`` that say in words what it shows, and is labelled by them
(``role="img"``, ``aria-labelledby``). Every text that reaches the markup is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Destination", "Series", "bar_chart", "stacked_area_chart", "topology_diagram"]

WIDTH = 720
HEIGHT = 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 32, 28, 44


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``value`` (1 when 0)."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value * 10:
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.2f}"


def _axes(out: list[str], top: float, labels: Sequence[tuple[float, str]], unit: str) -> None:
    """Y grid lines at 0, 1/4 ... 4/4 of ``top``, and the X labels at their positions."""
    plot_h = HEIGHT - _TOP - _BOTTOM
    for i in range(5):
        y = HEIGHT - _BOTTOM - plot_h * i / 4
        out.append(
            f'<line class="grid" x1="{_LEFT}" y1="{y:.1f}" x2="{WIDTH - _RIGHT}" y2="{y:.1f}"/>'
        )
        out.append(
            f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_fmt(top * i / 4))}</text>"
        )
    for x, label in labels:
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{HEIGHT - _BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    out.append(f'<text class="tick" x="{_LEFT - 6}" y="{_TOP - 14}">{escape(unit)}</text>')


@dataclass(frozen=True)
class Series:
    """One stacked band: its name, CSS class (its colour) and one value per step."""

    name: str
    css: str
    values: tuple[float, ...]


def stacked_area_chart(
    chart_id: str,
    title: str,
    desc: str,
    series: Sequence[Series],
    labels: Sequence[tuple[int, str]],
    unit: str,
) -> str:
    """Bands stacked from the bottom, one per :class:`Series` (all of the same length);
    ``labels`` are ``(step index, text)`` on the X axis."""
    steps = max((len(s.values) for s in series), default=0)
    totals = [sum(s.values[i] for s in series) for i in range(steps)]
    top = _nice_max(max(totals, default=0.0))
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM

    def x(i: float) -> float:
        return _LEFT + (plot_w * i / (steps - 1) if steps > 1 else 0)

    def y(v: float) -> float:
        return HEIGHT - _BOTTOM - plot_h * v / top

    out = _open(chart_id, title, desc, WIDTH, HEIGHT)
    _axes(out, top, [(x(i), text) for i, text in labels], unit)
    base = [0.0] * steps
    for s in series:
        upper = [b + v for b, v in zip(base, s.values, strict=True)]
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(upper))
        back = " ".join(f"{x(i):.1f},{y(base[i]):.1f}" for i in range(steps - 1, -1, -1))
        out.append(
            f'<polygon class="{escape(s.css)}" points="{line} {back}">'
            f"<title>{escape(s.name)}</title></polygon>"
        )
        base = upper
    out.append(_legend([(s.name, s.css) for s in series]))
    out.append("</svg>")
    return "\n".join(out)


def _legend(entries: Sequence[tuple[str, str]]) -> str:
    parts = ['<g class="legend">']
    x = _LEFT
    for name, css in entries:
        parts.append(
            f'<rect class="{escape(css)}" x="{x}" y="{HEIGHT - 18}" width="12" height="12"/>'
            f'<text class="tick" x="{x + 16}" y="{HEIGHT - 8}">{escape(name)}</text>'
        )
        x += 24 + 8 * len(name)
    parts.append("</g>")
    return "".join(parts)


def bar_chart(
    chart_id: str, title: str, desc: str, bars: Sequence[tuple[str, float]], unit: str
) -> str:
    """One bar per ``(label, value)``; every label shown when they fit, else every few."""
    top = _nice_max(max((v for _, v in bars), default=0.0))
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM
    slot = plot_w / max(len(bars), 1)
    every = max(1, -(-len(bars) * 60 // plot_w))
    labels = [(_LEFT + slot * (i + 0.5), t) for i, (t, _) in enumerate(bars) if i % every == 0]
    out = _open(chart_id, title, desc, WIDTH, HEIGHT)
    _axes(out, top, labels, unit)
    for i, (label, value) in enumerate(bars):
        h = plot_h * value / top
        out.append(
            f'<rect class="bar" x="{_LEFT + slot * i + slot * 0.15:.1f}" '
            f'y="{HEIGHT - _BOTTOM - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}">'
            f"<title>{escape(label)}: {escape(f'{value:,.2f}')} {escape(unit)}</title></rect>"
        )
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Destination:
    """A copy destination as the diagram shows it: a short name and lines of detail."""

    name: str
    lines: tuple[str, ...]


def _box(x: float, y: float, w: float, h: float, css: str, lines: Sequence[str]) -> str:
    parts = [f'<rect class="{css}" x="{x}" y="{y}" width="{w}" height="{h}" rx="6"/>']
    for i, text in enumerate(lines):
        css, limit = ("strong", 36) if i == 0 else ("tick", 44)
        parts.append(
            f'<text class="{css}" x="{x + 10}" y="{y + 20 + 16 * i}">'
            f"{escape(_cut(text, limit))}</text>"
        )
    return "".join(parts)


def _cut(text: str, limit: int) -> str:
    """The diagram's boxes are fixed; the full text is in the table beside it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def topology_diagram(
    chart_id: str,
    title: str,
    desc: str,
    source: Sequence[str],
    targets: Sequence[Destination],
    *,
    narrow: bool = False,
) -> str:
    """The source vault on the left and an arrow to each destination on the right; with
    ``narrow`` (a phone's width), the source on top and the destinations stacked below it,
    each reached from a line down the left side."""
    line_h, gap = 16, 14
    box_h = [30 + line_h * len(t.lines) for t in targets]
    src_h = 30 + line_h * (len(source) - 1)
    if narrow:
        width, src_x, src_y, src_w, right_x, right_w = 380, 10, 10.0, 360, 50, 320
        height = src_y + src_h + gap + sum(h + gap for h in box_h) + (0 if targets else 30)
    else:
        width, src_x, src_w, right_x, right_w = WIDTH, 10, 250, 400, 310
        height = max(sum(box_h) + gap * (len(box_h) + 1), src_h + 2 * gap)
        src_y = (height - src_h) / 2
    out = _open(chart_id, title, desc, width, int(height))
    out.append(
        f'<defs><marker id="{chart_id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path '
        'd="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>'
    )
    out.append(_box(src_x, src_y, src_w, src_h, "node source", source))
    y = src_y + src_h + gap if narrow else gap
    arrow = f'marker-end="url(#{chart_id}-arrow)"'
    for target, h in zip(targets, box_h, strict=True):
        mid = y + h / 2
        if narrow:  # down the left side, then right into the box
            out.append(
                f'<polyline class="link" fill="none" points="28,{src_y + src_h:.1f} '
                f'28,{mid:.1f} {right_x - 4},{mid:.1f}" {arrow}/>'
            )
        else:
            out.append(
                f'<line class="link" x1="{src_x + src_w}" y1="{src_y + src_h / 2:.1f}" '
                f'x2="{right_x - 4}" y2="{mid:.1f}" {arrow}/>'
            )
        out.append(_box(right_x, y, right_w, h, "node target", [target.name, *target.lines]))
        y += h + gap
    if not targets:
        at_y = height - 12 if narrow else height / 2
        out.append(f'<text class="tick" x="{right_x}" y="{at_y:.1f}">no copy destination</text>')
    out.append("</svg>")
    return "\n".join(out)
