"""``vaultplan report``: one self-contained HTML page of a strategy for the people who
approve it: what it builds, where it copies, what it keeps and costs, what ``check`` finds,
and the permissions its deploy needs.

:func:`build_report` gathers the data from the library (:func:`~vaultplan.report.model.gather`)
and renders it (:func:`~vaultplan.report.page.render`); :func:`write_report` writes the page
whole or not at all.
"""

from __future__ import annotations

from vaultplan.report.glance import GlanceItem
from vaultplan.report.model import (
    DEFAULT_DAYS,
    ReportData,
    ReportRequest,
    SimulationInputs,
    gather,
)
from vaultplan.report.page import SECTIONS, out_problem, render, write_report

__all__ = [
    "DEFAULT_DAYS",
    "SECTIONS",
    "GlanceItem",
    "ReportData",
    "ReportRequest",
    "SimulationInputs",
    "build_report",
    "gather",
    "out_problem",
    "render",
    "write_report",
]


def build_report(request: ReportRequest) -> str:
    """The HTML page of the strategy ``request`` names (see :class:`ReportRequest`)."""
    return render(gather(request))
