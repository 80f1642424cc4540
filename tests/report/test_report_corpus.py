"""``vaultplan report`` over the shared corpora, in process (:func:`vaultplan.report.build_report`,
which the CLI runs): every template gets a page with its five sections, whether or not it
has a backup plan; a page's figures are those of ``simulate``'s JSON and ``check``'s counts;
and a file ``check`` declines (not a template) is the same one-line input error.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vaultplan.checks import CheckReport, check_paths
from vaultplan.checks.finding import Severity
from vaultplan.errors import InputError
from vaultplan.permissions import derive
from vaultplan.report import SECTIONS, ReportRequest, SimulationInputs, build_report
from vaultplan.simulate import SimulationOptions, simulate
from vaultplan.template import load

START = date(2026, 1, 1)
DAYS = 90
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
NO_PLAN = "no backup plan (no AWS::Backup::BackupPlan resource)"


def corpus_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml", ".yml")
    )


class _Page(HTMLParser):
    """A page's section headings, its ``data-figure`` values, and each section's text."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.figures: list[tuple[str, str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self._section: str | None = None
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self._section = found.get("id")
        elif tag == "h2":
            self._in_h2 = True
            self.headings.append("")
        if "data-figure" in found:
            self.figures.append((str(found["data-figure"]), str(found["data-value"]), found))

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.headings[-1] += data
        if self._section is not None:
            self.text.setdefault(self._section, []).append(data)

    def figure(self, name: str) -> str:
        (value,) = [v for n, v, _ in self.figures if n == name]
        return value

    def section(self, sid: str) -> str:
        return "".join(self.text.get(sid, []))


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _checked(path: Path) -> CheckReport | str:
    """``check``'s report on ``path``, or why it declines the file (not a template)."""
    try:
        report = check_paths([path], now=NOW)
    except InputError as exc:
        return exc.message
    if not report.analysed:
        return "; ".join(str(t.skipped) for t in report.templates)
    return report


def _outcome(path: Path) -> str:
    """Report on ``path`` and assert what the page holds; ``"page"``, ``"plan"`` (a page with
    simulated figures) or ``"declined"``."""
    checks = _checked(path)
    request = ReportRequest(SimulationInputs(START, DAYS), template=path, now=NOW)
    if isinstance(checks, str):
        with pytest.raises(InputError) as caught:
            build_report(request)
        message = caught.value.message
        assert "\n" not in message and str(path) in message, message
        assert checks in message, (checks, message)
        return "declined"
    page = _read(build_report(request))
    assert page.headings == [title for _, title in SECTIONS], path
    for severity in Severity:
        assert page.figure(f"findings-{severity.value}") == str(checks.count(severity)), path
    policy = derive(load([path]).templates)  # as vaultplan policy derives it
    assert page.figure("policy-actions") == str(len(policy.actions)), path
    assert page.figure("policy-statements") == str(len(policy.statements)), path
    options = SimulationOptions(start=START, days=DAYS)
    try:
        summary = simulate(path, options).summary_json()
    except InputError as exc:
        assert "has no AWS::Backup::BackupPlan resource" in exc.message, exc.message
        assert page.figure("plans") == "0"
        assert page.figure("copy-destinations") == "0"
        assert NO_PLAN in page.section("keeps") and "nothing to simulate" in page.section("keeps")
        assert "There are no copies" in page.section("topology")
        return "page"
    points = summary["recovery_points"]
    assert page.figure("warm-at-end") == str(points["warm"])
    assert page.figure("cold-at-end") == str(points["cold"])
    assert page.figure("backups-taken") == str(summary["backups_taken"])
    assert page.figure("backups-skipped") == str(summary["backups_skipped"])
    gap = summary["max_gap_hours"]
    assert page.figure("max-gap-hours") == ("null" if gap is None else str(gap))
    assert page.figure("total-cost-usd") == str(summary["total_cost_usd"])
    months = [(f["data-month"], v) for n, v, f in page.figures if n == "month-usd"]
    assert months == [(m["month"], str(m["usd"])) for m in summary["monthly_cost_usd"]]
    return "plan"


@pytest.mark.slow
def test_every_corpus_file_gets_a_page_or_check_s_one_line_reason(corpus_dir: Path) -> None:
    files = corpus_files(corpus_dir)
    assert len(files) == 311
    began = time.perf_counter()
    outcomes = Counter(_outcome(f) for f in files)
    seconds = time.perf_counter() - began
    # The corpus has no AWS Backup plan: 296 pages that say so, 15 files that aren't templates.
    assert outcomes == {"page": 296, "declined": 15}, outcomes
    print(f"report over {len(files)} corpus files: {dict(outcomes)} in {seconds:.1f} s")


#: Every 16th corpus file, a fast sample of the sweep above (20 files, 1 of them no template).
SAMPLE_STEP = 16


def test_a_sample_of_the_corpus_gets_pages_and_check_s_reasons(corpus_dir: Path) -> None:
    sample = corpus_files(corpus_dir)[::SAMPLE_STEP]
    assert Counter(_outcome(f) for f in sample) == {"page": 19, "declined": 1}


def test_every_backup_corpus_template_gets_a_page_with_simulate_s_figures(
    backup_corpus_dir: Path,
) -> None:
    outcomes = {f.name[:2]: _outcome(f) for f in corpus_files(backup_corpus_dir)}
    # 12_ has restore testing but no plan: a page that says there is nothing to simulate.
    assert outcomes == {
        "02": "plan",
        "03": "plan",
        "08": "plan",
        "12": "page",
        "18": "plan",
        "36": "plan",
    }
