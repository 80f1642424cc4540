"""``vaultplan report`` opened in headless Chromium: the page of the default strategy and of
examples/all-features.toml shows every section with the figures that ``vaultplan simulate
--format json``, ``vaultplan check --format json`` and ``vaultplan policy`` give for the same
templates, logs no console error, filters findings by severity (and shows them all without
JavaScript), is not blank and overflows no viewport at 1280x800 and 390x844, and loads
nothing from the network.

The pages are built by the library (:func:`vaultplan.report.build_report`, which the CLI
runs), and ``check``'s JSON by :func:`vaultplan.checks.check_paths` and the formatter behind
``check --format json``, both with the same ``now``: VP207 names the day its look-ahead
starts, so a page and a check run on either side of midnight (UTC) would otherwise differ.
``vaultplan report`` itself writes each page once more, compared on what no day changes.

Set ``VAULTPLAN_REPORT_SHOTS=DIR`` to keep the screenshots there.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from report_support import chromium, page_urls, png_colours, set_viewport

from cli_support import ROOT, run_vaultplan

pytestmark = [pytest.mark.browser, pytest.mark.slow]

START = "2026-01-01"
DAYS = "365"
#: Where the checks that look ahead start, in the page and in check's JSON alike.
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
SECTIONS = ["At a glance", "Copy topology", "What it keeps", "Findings", "Deploy permissions"]
VIEWPORTS = [(1280, 800), (390, 844)]


@dataclass(frozen=True)
class Case:
    name: str
    page: Path
    synth: dict[str, Any]
    simulate: dict[str, Any]
    check: dict[str, Any]
    policy: dict[str, Any]


def _json(*args: str, cwd: Path, codes: tuple[int, ...] = (0,)) -> dict[str, Any]:
    result = run_vaultplan(*args, cwd=cwd)
    assert result.returncode in codes, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _case(name: str, config: Path | None, folder: Path) -> Case:
    """The report of ``config`` (None: the defaults), and the same strategy through the
    other commands: ``synth`` to a cdk.out, then ``simulate``, ``check`` and ``policy`` on it."""
    from vaultplan.checks import check_paths
    from vaultplan.checks.formatters import render_json
    from vaultplan.report import ReportRequest, SimulationInputs, build_report, write_report

    folder.mkdir()
    given = ["--config", str(config)] if config is not None else []
    page = folder / f"{name}.html"
    inputs = SimulationInputs(date.fromisoformat(START), int(DAYS))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)  # the defaults are those of a folder without a vaultplan.toml
        write_report(build_report(ReportRequest(inputs, config, now=NOW)), page)
    synth = _json("synth", *given, "--out", "cdk.out", "--format", "json", cwd=folder)
    sim = _json("simulate", "cdk.out", "--start", START, "--days", DAYS, "-f", "json", cwd=folder)
    check = json.loads(render_json(check_paths([folder / "cdk.out"], now=NOW)))
    policy = _json("policy", "cdk.out", cwd=folder)
    return Case(name, page, synth, sim, check, policy)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    base = tmp_path_factory.mktemp("report")
    return {
        "default": _case("default", None, base / "default"),
        "all-features": _case("all-features", ROOT / "examples" / "all-features.toml", base / "af"),
    }


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


@pytest.fixture(params=["default", "all-features"])
def case(request: pytest.FixtureRequest, cases: dict[str, Case]) -> Case:
    return cases[str(request.param)]


def test_vaultplan_report_writes_the_same_page_but_for_the_day(case: Case, tmp_path: Path) -> None:
    """The page as the user gets it from ``vaultplan report`` (its checks look ahead from
    now) is the library's page, but for the days it names and VP207's message, whose
    coinciding start times are those of the days ahead of now."""
    given = ["--config", str(ROOT / "examples" / "all-features.toml")]
    args = given if case.name == "all-features" else []
    result = run_vaultplan("report", *args, "--start", START, "--out", "cli.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    cli = (tmp_path / "cli.html").read_text(encoding="utf-8")
    assert result.stdout == f"Report written to cli.html ({len(cli.encode()):,} bytes)\n"

    def today_aside(page: str) -> str:
        page = re.sub(r'(data-check="VP207">).*?(</li>)', r"\1\2", page)
        return re.sub(r"\b\d{4}-\d{2}-\d{2}\b", "DAY", page)

    assert today_aside(cli) == today_aside(case.page.read_text(encoding="utf-8"))


def _open(browser: Any, case: Case, width: int = 1280, height: int = 800) -> None:
    set_viewport(browser, width, height)
    browser.get(case.page.as_uri())
    browser.get_log("browser")  # earlier pages' messages are not this page's


def _figure(browser: Any, name: str, **attrs: str) -> Any:
    query = f'[data-figure="{name}"]' + "".join(f'[data-{k}="{v}"]' for k, v in attrs.items())
    elements = browser.find_elements("css selector", query)
    assert len(elements) == 1, query
    return json.loads(elements[0].get_attribute("data-value"))


def _section_text(browser: Any, section: str) -> str:
    text: str = browser.find_element("id", section).text
    return text


def test_every_section_is_there_in_order_with_a_heading(browser: Any, case: Case) -> None:
    _open(browser, case)
    headings = [h.text for h in browser.find_elements("css selector", "main section > h2")]
    assert headings == SECTIONS
    assert browser.find_element("tag name", "h1").text.startswith("Backup strategy ")


def test_what_it_keeps_has_the_figures_of_simulate(browser: Any, case: Case) -> None:
    _open(browser, case)
    summary = case.simulate["summary"]
    assert _figure(browser, "warm-at-end") == summary["recovery_points"]["warm"]
    assert _figure(browser, "cold-at-end") == summary["recovery_points"]["cold"]
    assert _figure(browser, "backups-taken") == summary["backups_taken"]
    assert _figure(browser, "backups-skipped") == summary["backups_skipped"]
    assert _figure(browser, "max-gap-hours") == summary["max_gap_hours"]
    assert _figure(browser, "total-cost-usd") == summary["total_cost_usd"]
    months = summary["monthly_cost_usd"]
    assert len(browser.find_elements("css selector", '[data-figure="month-usd"]')) == len(months)
    for month in months:
        assert _figure(browser, "month-usd", month=month["month"]) == month["usd"]
    text = _section_text(browser, "keeps")
    assert f"${summary['total_cost_usd']:,.2f}" in text
    assert f"{summary['max_gap_hours']:g} h" in text
    for res in case.simulate["resources"]:
        total = res["summary"]["total_cost_usd"]
        assert _figure(browser, "resource-total", resource=res["resource"]) == total
    charts = browser.find_elements("css selector", "#keeps svg[role=img]")
    assert len(charts) == 2  # points by tier, monthly bill
    for chart in charts:
        assert chart.find_element("css selector", "title").get_attribute("textContent")
        assert chart.find_element("css selector", "desc").get_attribute("textContent")


def test_the_largest_gap_per_rule_is_the_timeline_s(browser: Any, case: Case) -> None:
    from datetime import datetime

    _open(browser, case)
    created: dict[tuple[str, str], list[datetime]] = {}
    for point in case.simulate["timeline"]:
        stamp = datetime.fromisoformat(point["created"].replace("Z", "+00:00"))
        created.setdefault((point["resource"], point["rule"]), []).append(stamp)
    assert created
    for (resource, rule), stamps in created.items():
        gaps = [(b - a).total_seconds() / 3600 for a, b in itertools.pairwise(stamps)]
        expected = max(gaps) if gaps else None
        assert _figure(browser, "rule-gap", resource=resource, rule=rule) == expected


def test_at_a_glance_lists_each_rule_with_its_schedule_in_words(browser: Any, case: Case) -> None:
    _open(browser, case)
    text = _section_text(browser, "glance")
    assert case.synth["rules"]
    for rule in case.synth["rules"]:
        assert rule["name"] in text
        assert rule["schedule_in_words"] in text
    assert case.synth["vault"] in text
    for element in ("Vault", "Selection", "Notifications"):
        assert element in text
    for item in case.synth["assurance"]:  # restore testing and audit
        assert item["name"] in text


def test_the_copy_topology_shows_each_destination(browser: Any, case: Case) -> None:
    _open(browser, case)
    destinations = {
        copy["destination"] for res in case.simulate["resources"] for copy in res["copies"]
    }
    rows = browser.find_elements("css selector", "#topology tbody tr")
    assert len(rows) == len(destinations)
    text = _section_text(browser, "topology")
    for destination in destinations:
        if destination.startswith("arn:"):
            assert destination in text
            assert destination.split(":")[3] in text  # its Region
            assert destination.split(":")[4] in text  # its account
    diagram = browser.find_element("css selector", "#topology svg[role=img]")
    desc = diagram.find_element("css selector", "desc").get_attribute("textContent")
    assert f"copies to {len(destinations)} destination(s)" in desc or not destinations


def test_findings_are_those_of_check_each_with_its_source(browser: Any, case: Case) -> None:
    _open(browser, case)
    items = browser.find_elements("css selector", "#finding-list .finding")
    expected = sorted((f["id"], f["severity"]) for f in case.check["findings"])
    seen = sorted((i.get_attribute("data-check"), i.get_attribute("data-severity")) for i in items)
    assert seen == expected
    for severity, key in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
        assert _figure(browser, f"findings-{severity}") == case.check["summary"][key]
    for item, finding in zip(items, case.check["findings"], strict=True):
        assert finding["message"] in item.text
        link = item.find_element("css selector", "a")
        assert link.get_attribute("href") == finding["source_url"]


def test_the_severity_filter_hides_and_shows_findings(browser: Any, cases: dict[str, Case]) -> None:
    case = cases["all-features"]
    _open(browser, case)
    items = browser.find_elements("css selector", "#finding-list .finding")
    info = [i for i in items if i.get_attribute("data-severity") == "info"]
    assert info, "all-features has info findings (VP207, VP301)"
    assert all(i.is_displayed() for i in items)
    box = browser.find_element("css selector", '#severity-filter input[value="info"]')
    assert box.is_displayed()
    box.click()
    assert not any(i.is_displayed() for i in info)
    shown = len(items) - len(info)
    status = browser.find_element("id", "filter-status").text
    assert status == f"Showing {shown} of {len(items)} finding(s)."
    box.click()
    assert all(i.is_displayed() for i in items)


def test_without_javascript_every_finding_shows_and_no_filter(
    browser: Any, cases: dict[str, Case]
) -> None:
    case = cases["all-features"]
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        _open(browser, case)
        items = browser.find_elements("css selector", "#finding-list .finding")
        assert items and all(i.is_displayed() for i in items)
        assert not browser.find_element("id", "severity-filter").is_displayed()
        headings = [h.text for h in browser.find_elements("css selector", "main section > h2")]
        assert headings == SECTIONS
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_print_shows_every_finding_and_no_controls(browser: Any, cases: dict[str, Case]) -> None:
    _open(browser, cases["all-features"])
    browser.find_element("css selector", '#severity-filter input[value="info"]').click()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        items = browser.find_elements("css selector", "#finding-list .finding")
        assert items and all(i.is_displayed() for i in items)  # even those filtered out
        assert not browser.find_element("id", "severity-filter").is_displayed()
        assert not browser.find_element("tag name", "nav").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def test_deploy_permissions_are_the_policy_s(browser: Any, case: Case) -> None:
    _open(browser, case)
    statements = case.policy["Statement"]
    actions = {a for st in statements for a in _listed(st["Action"])}
    assert _figure(browser, "policy-statements") == len(statements)
    assert _figure(browser, "policy-actions") == len(actions)
    cells = browser.execute_script(
        "return [...document.querySelectorAll('#permissions tbody tr')]"
        ".map(row => [...row.cells].map(cell => cell.innerText))"
    )
    listed = {row[0] for row in cells}
    assert listed == actions
    operations = {row[2] for row in cells}
    words = {word for cell in operations for word in cell.split(", ")}
    assert words <= {"create", "read", "update", "delete", "-"}
    assert "create" in words


def test_permission_groups_start_open_fold_and_print_open(
    browser: Any, cases: dict[str, Case]
) -> None:
    _open(browser, cases["all-features"])
    groups = browser.find_elements("css selector", "#permissions details.grant-group")
    assert len(groups) > 1
    assert all(g.get_attribute("open") is not None for g in groups)  # open in the markup
    rows = browser.find_elements("css selector", "#permissions details tbody tr")
    assert rows and all(r.is_displayed() for r in rows)
    for group in groups:  # its summary counts the actions its table lists
        listed = {c.text for c in group.find_elements("css selector", "tbody td:first-child")}
        summary = group.find_element("tag name", "summary").text
        assert summary.endswith(f"({len(listed)} action{'s' if len(listed) != 1 else ''})")
    first = groups[0]
    first.find_element("tag name", "summary").click()  # the reader folds one group
    assert first.get_attribute("open") is None
    assert not first.find_element("css selector", "tbody tr").is_displayed()
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert first.get_attribute("open") is not None  # printing opens it
    browser.execute_script("window.dispatchEvent(new Event('afterprint'))")
    assert first.get_attribute("open") is None  # and folds it back after


def test_no_console_error(browser: Any, case: Case) -> None:
    set_viewport(browser, 1280, 800)
    browser.get_log("browser")
    browser.get(case.page.as_uri())
    browser.find_element("css selector", '#severity-filter input[value="error"]').click()
    problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_screenshot_is_not_blank_and_nothing_overflows(
    browser: Any, case: Case, width: int, height: int
) -> None:
    _open(browser, case, width, height)
    inner = browser.execute_script("return window.innerWidth")
    assert inner == width
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= inner
    wide = browser.execute_script(
        "return [...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll'))"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert wide == []
    diagrams = browser.find_elements("css selector", "#topology svg[role=img]")
    assert [d.is_displayed() for d in diagrams].count(True) == 1  # wide, or a phone's
    png = browser.get_screenshot_as_png()
    assert png_colours(png) > 50
    keep = os.environ.get("VAULTPLAN_REPORT_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / f"{case.name}-{width}x{height}.png").write_bytes(png)


def test_the_page_loads_nothing_from_the_network(browser: Any, case: Case) -> None:
    html = case.page.read_text(encoding="utf-8")
    for tag, attribute, value in page_urls(html):
        if value.startswith(("http://", "https://", "//")):
            assert (tag, attribute) == ("a", "href"), (tag, attribute, value)
        else:
            assert value.startswith("#"), (tag, attribute, value)
    assert "<link" not in html and "@import" not in html
    assert re.findall(r"url\((?!#)", html) == []  # only the diagram's own marker, url(#arrow)
    _open(browser, case)
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert loaded == []
