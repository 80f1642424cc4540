"""The report as one self-contained HTML page, and writing it whole or not at all.

The page loads nothing: its CSS and its one small script are inline, its charts are inline
SVG (:mod:`vaultplan.report.svg`), and a Content-Security-Policy forbids every other load.
It works without JavaScript (the severity filter only hides what the reader unticks; the
permissions' groups start open and print open), has a real heading per section, a text
alternative for each chart, print CSS, and fits a 390-pixel phone (long ARNs wrap, wide
tables scroll inside their own box). Every value is escaped.

Figures carry their exact value in ``data-value`` (as ``simulate --format json`` and
``check --format json`` give it), so a script or a test can read them back.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultplan.report import svg
from vaultplan.simulate.result import lifecycle_words

if TYPE_CHECKING:
    from vaultplan.checks.finding import Finding
    from vaultplan.report.model import ReportData
    from vaultplan.simulate.plan import BackupPlanModel
    from vaultplan.simulate.result import Simulation

__all__ = ["SECTIONS", "out_problem", "render", "write_report"]

#: The sections, in order: ``(id, heading)``.
SECTIONS = (
    ("glance", "At a glance"),
    ("topology", "Copy topology"),
    ("keeps", "What it keeps"),
    ("findings", "Findings"),
    ("permissions", "Deploy permissions"),
)

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

_CSS = """
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--panel:#f6f8fa;
--warm:#d9822b;--cold:#2f6fbf;--bar:#3d8b5a;--error:#b42318;--warning:#9a6700;--info:#0969da}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;margin:.2em 0}
h2{font-size:1.3rem;margin-top:2em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05rem;margin-top:1.4em}
p,li,td,dd,dt,figcaption,h1,h3{overflow-wrap:anywhere}
/* A name or ARN in a table widens its column (the table scrolls in its box) rather than
breaking after every letter; prose beside it wraps to what is left. */
code{overflow-wrap:break-word}
figure{margin:1em 0}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--panel);
padding:0 .2em;border-radius:3px}
nav ul{display:flex;flex-wrap:wrap;gap:.4em 1em;padding:0;list-style:none}
.scroll{overflow-x:auto;max-width:100%;margin:.6em 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.35em .5em;text-align:left;vertical-align:top}
th{background:var(--panel);white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
dl.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.6em;
margin:.8em 0}
dl.figures div{background:var(--panel);border:1px solid var(--line);border-radius:6px;
padding:.5em .7em}
dl.figures dt{font-size:.85rem;color:var(--muted)}
dl.figures dd{margin:0;font-size:1.25rem;font-weight:600}
svg.chart{width:100%;height:auto;display:block;max-width:100%}
.narrow-only{display:none}
@media (max-width:600px){.wide-only{display:none}.narrow-only{display:block}
code{overflow-wrap:anywhere}}
svg .grid{stroke:var(--line);stroke-width:1}
svg .tick{font-size:12px;fill:var(--muted)}
svg .strong{font-size:13px;font-weight:600;fill:var(--fg)}
svg .warm{fill:var(--warm)}
svg .cold{fill:var(--cold)}
svg .bar{fill:var(--bar)}
svg .node{stroke:var(--muted);stroke-width:1}
svg .source{fill:#fff4e5}
svg .target{fill:#eaf2fb}
svg .link{stroke:var(--muted);stroke-width:1.5}
svg .arrowhead{fill:var(--muted)}
.findings{list-style:none;padding:0}
.finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:4px;
padding:.5em .7em;margin:.5em 0}
.finding[data-severity=error]{border-left-color:var(--error)}
.finding[data-severity=warning]{border-left-color:var(--warning)}
.sev{font-weight:700;text-transform:uppercase;font-size:.8rem}
.sev-error{color:var(--error)}.sev-warning{color:var(--warning)}.sev-info{color:var(--info)}
.muted{color:var(--muted)}
fieldset{border:1px solid var(--line);border-radius:6px}
fieldset label{margin-right:1em;white-space:nowrap}
.ok{color:var(--bar);font-weight:600}.bad{color:var(--error);font-weight:600}
details.grant-group{border-top:1px solid var(--line);margin:.4em 0}
details.grant-group>summary{cursor:pointer;padding:.2em 0}
details.grant-group>summary h3{display:inline;margin:0;font-size:1rem}
.grant-group .muted{font-weight:400;font-size:.9em}
@media print{
nav,#severity-filter{display:none}
.finding[hidden]{display:block}
.scroll{overflow:visible}
h2{break-after:avoid}
table,svg,.finding{break-inside:avoid}
a{color:inherit}
a[href^="http"]::after{content:" (" attr(href) ")";font-size:.8em}
main{max-width:none;padding:0}
}
"""

# The filter enhances a list that is complete without it: the controls are `hidden` in the
# markup and shown by this script, which only sets `hidden` on findings whose box is unticked.
# The permissions' groups are <details open>: folding one is the reader's choice, and printing
# opens what they folded (then folds it back).
_SCRIPT = """
(function () {
  var form = document.getElementById('severity-filter');
  if (!form) { return; }
  var items = document.querySelectorAll('#finding-list .finding');
  var status = document.getElementById('filter-status');
  function apply() {
    var shown = 0;
    items.forEach(function (item) {
      var box = form.querySelector('input[value="' + item.dataset.severity + '"]');
      var visible = !box || box.checked;
      item.hidden = !visible;
      if (visible) { shown += 1; }
    });
    status.textContent = 'Showing ' + shown + ' of ' + items.length + ' finding(s).';
  }
  form.addEventListener('change', apply);
  form.hidden = false;
  apply();
})();
(function () {
  var folded = [];
  window.addEventListener('beforeprint', function () {
    folded = [...document.querySelectorAll('details:not([open])')];
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    folded.forEach(function (d) { d.open = false; });
    folded = [];
  });
})();
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """A table in its scroll box; cells are HTML already escaped by the caller."""
    cells = "".join(
        f'<th scope="col"{" class=num" if i in numeric else ""}>{_e(h)}</th>'
        for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    table = f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>'


def _figure(name: str, label: str, value: Any, text: str) -> str:
    shown = "null" if value is None else value
    return (
        f'<div><dt>{_e(label)}</dt><dd data-figure="{_e(name)}" data-value="{_e(shown)}">'
        f"{_e(text)}</dd></div>"
    )


def _usd(value: float) -> str:
    return f"${value:,.2f}"


def _hours(value: float | None) -> str:
    return "n/a (fewer than 2 points)" if value is None else f"{value:g} h"


def _no_plan(data: ReportData, first: bool = True) -> str:
    """What a page without a backup plan says, in each section that needs one (``first``:
    opening a sentence)."""
    which = "template has" if len(data.templates) == 1 else "templates have"
    return f"{'T' if first else 't'}he {which} no backup plan (no AWS::Backup::BackupPlan resource)"


# -- At a glance ----------------------------------------------------------------------------
def _glance(data: ReportData) -> str:
    rows = [
        (
            _e(item.element),
            f"<code>{_e(item.name)}</code>",
            "<br>".join(_e(d) for d in item.details),
        )
        for item in data.glance
    ]
    parts = [
        _table(("Element", "Name", "Details"), rows) if rows else "<p>No AWS Backup resource.</p>"
    ]
    parts.append("<h3>Plans and rules</h3>")
    rule_rows = []
    for plan in data.plans:
        for rule in plan.rules:
            rule_rows.append(
                (
                    f"<code>{_e(plan.name)}</code>",
                    f"<code>{_e(rule.name)}</code>",
                    f"<code>{_e(rule.schedule.expression)}</code>",
                    _e(rule.schedule.describe(rule.timezone)),
                    _e(lifecycle_words(rule.cold_after_days, rule.delete_after_days)),
                    _e(f"{rule.start_window_minutes} min"),
                    _e(len(rule.copies)),
                )
            )
    if rule_rows:
        head = ("Plan", "Rule", "Schedule", "In words", "Lifecycle", "Start window", "Copies")
        parts.append(_table(head, rule_rows, numeric=(6,)))
    elif not data.plans:
        parts.append(f"<p>{_e(_no_plan(data))}.</p>")
    else:
        parts.append("<p>No backup plan rule.</p>")
    protected = sorted({(r.name, r.type) for p in data.plans for r in p.resources})
    if protected:
        parts.append("<h3>What the selections protect</h3>")
        parts.append(
            _table(("Resource", "Type"), [(f"<code>{_e(n)}</code>", _e(t)) for n, t in protected])
        )
    return "".join(parts)


# -- Copy topology --------------------------------------------------------------------------
def _destinations(
    plans: Sequence[BackupPlanModel], data_region: str | None
) -> list[tuple[str, str, str, list[str]]]:
    """``(destination, Region, account, ["rule: lifecycle", ...])`` per destination vault."""
    from vaultplan.spec.copy import describe_lifecycle
    from vaultplan.template.resolve import arn_parts

    found: dict[str, tuple[str, str, list[str]]] = {}
    for plan in plans:
        for rule in plan.rules:
            for copy in rule.copies:
                parts = arn_parts(copy.destination)
                region = copy.region or "unknown offline"
                if len(parts) >= 6 and parts[0] == "arn":
                    account = parts[4] if "${" not in parts[4] else "this stack's account"
                else:  # a vault of the template: ${Vault.BackupVaultArn}
                    account = "this stack's account"
                    region = data_region or "this stack's Region"
                entry = found.setdefault(copy.destination, (region, account, []))
                lifecycle = describe_lifecycle(copy.cold_after_days, copy.delete_after_days)
                entry[2].append(f"{rule.name}: {lifecycle}")
    return [(d, r, a, lines) for d, (r, a, lines) in found.items()]


def _vault_name(destination: str) -> str:
    """``allfeatures-dr`` of its ARN; ``vault AirGappedVault of this stack`` of a reference."""
    if destination.startswith("${") and "." in destination:
        return f"vault {destination[2:].split('.', 1)[0]} of this stack"
    tail = destination.rsplit(":", 1)[-1]
    return tail or destination


def _topology(data: ReportData) -> str:
    if not data.plans:
        return (
            '<p data-figure="copy-destinations" data-value="0">There are no copies: '
            f"{_e(_no_plan(data, first=False))}, so nothing is copied to another vault.</p>"
        )
    dests = _destinations(data.plans, data.region)
    vaults = [i.name for i in data.glance if i.element in ("Vault",)] or ["the plan's vault"]
    source = [f"Source vault {vaults[0]}", f"Region {data.region or 'of the stack'}"]
    source += [f"plan {p.name}" for p in data.plans]
    targets = [
        svg.Destination(_vault_name(d), (f"Region {r}", f"account {a}", *lines))
        for d, r, a, lines in dests
    ]
    words = "; ".join(f"{_vault_name(d)} in {r}, account {a}" for d, r, a, _ in dests)
    desc = (
        f"The source vault {vaults[0]} copies to {len(dests)} destination(s): {words}."
        if dests
        else f"The source vault {vaults[0]} copies nowhere: no rule has a copy action."
    )
    wide = svg.topology_diagram("topology-wide", "Copy topology", desc, source, targets)
    narrow = svg.topology_diagram(
        "topology-narrow", "Copy topology", desc, source, targets, narrow=True
    )
    chart = f'<div class="wide-only">{wide}</div><div class="narrow-only">{narrow}</div>'

    rows = [
        (
            f"<code>{_e(d)}</code>",
            _e(r),
            _e(a),
            "<br>".join(_e(line) for line in lines),
        )
        for d, r, a, lines in dests
    ]
    table = (
        _table(("Destination vault", "Region", "Account", "Lifecycle of the copies"), rows)
        if rows
        else "<p>No rule copies its recovery points to another vault.</p>"
    )
    return f'<figure class="diagram">{chart}<figcaption>{_e(desc)}</figcaption></figure>{table}'


# -- What it keeps --------------------------------------------------------------------------
_MAX_STEPS = 730


def _day(sim: Simulation, i: int) -> date:
    return date.fromordinal(sim.options.start.toordinal() + i)


def _points_chart(sim: Simulation) -> str:
    days = sim.options.days
    step = max(1, -(-days // _MAX_STEPS))
    index = list(range(0, days, step))
    if index[-1] != days - 1:
        index.append(days - 1)
    warm = tuple(float(sum(r.days.warm_points[i] for r in sim.resources)) for i in index)
    cold = tuple(float(sum(r.days.cold_points[i] for r in sim.resources)) for i in index)
    months = [n for n, i in enumerate(index) if _day(sim, i).day == 1 or n == 0]
    every = max(1, -(-len(months) // 8))
    labels = [(n, _day(sim, index[n]).strftime("%Y-%m")) for n in months[::every]]
    end_warm = sum(r.warm_at_end for r in sim.resources)
    end_cold = sum(r.cold_at_end for r in sim.resources)
    desc = (
        "Recovery points held in the source vaults each day from "
        f"{sim.options.start.isoformat()} for {days} days, warm stacked under cold; at the end "
        f"{end_warm} warm and {end_cold} cold."
    )
    return svg.stacked_area_chart(
        "points-chart",
        "Recovery points by tier over time",
        desc,
        [svg.Series("warm", "warm", warm), svg.Series("cold", "cold", cold)],
        labels,
        "points",
    )


def _keeps(data: ReportData) -> str:
    from vaultplan.simulate.result import max_gap_hours

    sim = data.simulation
    if sim is None:
        return (
            f'<p data-figure="plans" data-value="0">{_e(_no_plan(data))}: there is nothing to '
            "simulate, so no recovery point, gap or bill to show.</p>"
        )
    opts = sim.options
    summary = sim.summary_json()
    points = summary["recovery_points"]
    parts = [
        "<p>",
        _e(
            f"Simulated from {opts.start.isoformat()} for {opts.days} day(s), as vaultplan "
            f"simulate does: {opts.size_gib:g} GiB per resource, "
            f"{opts.daily_change_percent:g}% changed a day, prices of {opts.region}, cold points "
            f"billed as {'full copies' if opts.cold_copy == 'full' else 'their increment'}."
        ),
        "</p>",
        '<dl class="figures">',
        _figure("warm-at-end", "Warm points at the end", points["warm"], f"{points['warm']:,}"),
        _figure("cold-at-end", "Cold points at the end", points["cold"], f"{points['cold']:,}"),
        _figure(
            "backups-taken",
            "Backups taken",
            summary["backups_taken"],
            f"{summary['backups_taken']:,}",
        ),
        _figure(
            "backups-skipped",
            "Backups not taken (overlap)",
            summary["backups_skipped"],
            f"{summary['backups_skipped']:,}",
        ),
        _figure(
            "max-gap-hours",
            "Largest gap (achieved RPO)",
            summary["max_gap_hours"],
            _hours(summary["max_gap_hours"]),
        ),
        _figure(
            "total-cost-usd",
            f"Bill over {sim.options.days} days",
            summary["total_cost_usd"],
            _usd(summary["total_cost_usd"]),
        ),
        "</dl>",
    ]
    for note in sim.notes:
        parts.append(f'<p class="muted">Note: {_e(note)}</p>')
    if sim.resources:
        parts.append(f"<figure>{_points_chart(sim)}</figure>")
    rows = []
    for res in sim.resources:
        by_rule = {r.name: [p for p in res.points if p.rule == r.name] for r in res.rules}
        for rule in res.rules:
            gap = max_gap_hours(by_rule[rule.name])
            rows.append(
                (
                    f"<code>{_e(res.resource)}</code>",
                    f"<code>{_e(rule.name)}</code>",
                    _e(rule.taken),
                    _e(rule.skipped),
                    f'<span data-figure="rule-gap" data-resource="{_e(res.resource)}" '
                    f'data-rule="{_e(rule.name)}" data-value="{_e("null" if gap is None else gap)}"'
                    f">{_e(_hours(gap))}</span>",
                )
            )
    parts.append("<h3>Largest gap per rule</h3>")
    parts.append(
        _table(("Resource", "Rule", "Taken", "Not taken", "Largest gap"), rows, numeric=(2, 3, 4))
    )
    res_rows = [
        (
            f"<code>{_e(r.resource)}</code>",
            _e(r.resource_type),
            _e(r.warm_at_end),
            _e(r.cold_at_end),
            _e(_hours(r.max_gap_hours)),
            _e(len(r.copies)),
            f'<span data-figure="resource-total" data-resource="{_e(r.resource)}" '
            f'data-value="{_e(r.summary_json()["total_cost_usd"])}">'
            f"{_e(_usd(r.summary_json()['total_cost_usd']))}</span>",
        )
        for r in sim.resources
    ]
    parts.append("<h3>Per resource</h3>")
    parts.append(
        _table(
            ("Resource", "Type", "Warm", "Cold", "Largest gap", "Copy destinations", "Bill"),
            res_rows,
            numeric=(2, 3, 4, 5, 6),
        )
    )
    months = [(m["month"], m["usd"]) for m in summary["monthly_cost_usd"]]
    parts.append("<h3>Monthly bill</h3>")
    if months:
        desc = (
            f"Cost per calendar month of every vault (source and copies), from {months[0][0]} "
            f"to {months[-1][0]}; highest {_usd(max(v for _, v in months))}, total "
            f"{_usd(summary['total_cost_usd'])}."
        )
        chart = svg.bar_chart("bill-chart", "Monthly bill (USD)", desc, months, "USD")
        parts.append(f"<figure>{chart}</figure>")
    rows_m = [
        (
            _e(month),
            f'<span data-figure="month-usd" data-month="{_e(month)}" data-value="{_e(usd)}">'
            f"{_e(_usd(usd))}</span>",
        )
        for month, usd in months
    ]
    parts.append(_table(("Month", "USD"), rows_m, numeric=(1,)))
    return "".join(parts)


# -- Findings -------------------------------------------------------------------------------
def _location(f: Finding) -> str:
    where = Path(f.template).name + (f":{f.line}" if f.line is not None else "")
    path = f" <code>{_e(f.path_text)}</code>" if f.path_text else ""
    return f"<code>{_e(where)}</code>{path}"


def _finding(f: Finding, suppressed: bool = False) -> str:
    sev = f.severity.value
    resource = f" on <code>{_e(f.resource)}</code>" if f.resource else ""
    reason = f'<br><span class="muted">Suppressed: {_e(f.suppression)}</span>' if suppressed else ""
    return (
        f'<li class="finding" data-severity="{_e(sev)}" data-check="{_e(f.check_id)}">'
        f'<span class="sev sev-{_e(sev)}">{_e(sev)}</span> <strong>{_e(f.check_id)}</strong>'
        f"{resource}: {_e(f.message)}<br>"
        f'<span class="muted">at {_location(f)}; source: '
        f'<a href="{_e(f.source_url)}">{_e(f.source_url)}</a></span>{reason}</li>'
    )


def _findings(data: ReportData) -> str:
    from vaultplan.checks.finding import Severity

    report = data.checks
    counts = {s: report.count(s) for s in Severity}
    figures = [
        _figure(f"findings-{s.value}", f"{s.value.capitalize()} findings", n, f"{n:,}")
        for s, n in counts.items()
    ]
    parts = [
        f'<dl class="figures">{"".join(figures)}</dl>',
        '<form id="severity-filter" hidden><fieldset><legend>Show findings of severity</legend>',
        *(
            f'<label><input type="checkbox" name="severity" value="{s.value}" checked> '
            f"{s.value} ({counts[s]})</label>"
            for s in Severity
        ),
        '</fieldset><p id="filter-status" role="status" aria-live="polite"></p></form>',
    ]
    if report.findings:
        items = "".join(_finding(f) for f in report.findings)
        parts.append(f'<ul class="findings" id="finding-list">{items}</ul>')
    else:
        parts.append('<ul class="findings" id="finding-list"></ul><p class="ok">No finding.</p>')
    if report.suppressed:
        parts.append("<h3>Suppressed in the template</h3>")
        parts.append(
            '<ul class="findings">'
            + "".join(_finding(f, suppressed=True) for f in report.suppressed)
            + "</ul>"
        )
    if report.not_applicable:
        rows = [
            (
                _e(n.check_id),
                f"<code>{_e(Path(n.template).name)}</code> <code>{_e(n.path_text)}</code>",
                _e(n.reason),
            )
            for n in report.not_applicable
        ]
        parts.append("<h3>Not decided offline</h3>")
        parts.append(_table(("Check", "Where", "Why"), rows))
    checked = ", ".join(t.name for t in report.analysed)
    parts.append(f'<p class="muted">Checked: {_e(checked)}.</p>')
    return "".join(parts)


# -- Deploy permissions ---------------------------------------------------------------------
def _permissions(data: ReportData) -> str:
    policy = data.policy
    groups: dict[str, dict[tuple[str, str], list[str]]] = {}
    for grant in policy.grants:
        resource, _, operation = grant.origin.partition(" ")
        entry = groups.setdefault(resource or "(the deploy)", {})
        ops = entry.setdefault((grant.action, grant.resource), [])
        if operation and operation not in ops:
            ops.append(operation)
    stats = policy.scope_stats()
    statements = len(policy.statements)
    parts = [
        '<dl class="figures">',
        _figure("policy-statements", "Statements", statements, f"{statements:,}"),
        _figure("policy-actions", "Actions", len(policy.actions), f"{len(policy.actions):,}"),
        _figure(
            "policy-scoped",
            "Scopable actions scoped to ARNs",
            stats.scoped,
            f"{stats.scoped} of {stats.scopable}",
        ),
        "</dl>",
        "<p>The least-privilege policy that deploys the templates and rolls them back, as "
        "<code>vaultplan policy</code> derives it, grouped by the resource that needs each "
        "action, with the operations (create, read, update, delete) it is needed for. Each "
        "resource's actions can be folded away; they are all open to begin with, and in print."
        "</p>",
    ]
    for resource, actions in sorted(groups.items()):
        rows = [
            (f"<code>{_e(a)}</code>", f"<code>{_e(r)}</code>", _e(", ".join(ops) or "-"))
            for (a, r), ops in sorted(actions.items())
        ]
        names = len({a for a, _ in actions})  # an action on several ARNs is one action
        count = f"{names} action{'s' if names != 1 else ''}"
        parts.append(
            f'<details class="grant-group" open><summary><h3><code>{_e(resource)}</code>'
            f' <span class="muted">({count})</span></h3></summary>'
            f"{_table(('Action', 'On', 'Why (operation)'), rows)}</details>"
        )
    for item in policy.unresolved:
        parts.append(f'<p class="muted">Unresolved: {_e(item.line())}</p>')
    for note in policy.dropped:
        parts.append(f'<p class="muted">Ignored: {_e(note.line())}</p>')
    parts.append(_preflight(data))
    return "".join(parts)


def _preflight(data: ReportData) -> str:
    result = data.preflight
    if result is None:
        return (
            "<h3>Preflight</h3><p>No policy given: run <code>vaultplan report --policy "
            "FILE</code> to see which calls of the deploy a policy would deny.</p>"
        )
    files = ", ".join(data.policy_files)
    verdict = (
        '<span class="bad">denies some calls</span>'
        if result.denied
        else '<span class="ok">allows every call</span>'
    )
    parts = [
        f"<h3>Preflight of {_e(files)}</h3>",
        f'<p data-figure="preflight-summary" data-value="{_e(len(result.denied))}">The policy '
        f"{verdict}: {_e(result.summary())}.</p>",
    ]
    rows = [
        (
            f"<code>{_e(v.call.logical_id)}</code>",
            _e(v.call.operation),
            f"<code>{_e(v.call.action)}</code>",
            f"<code>{_e(v.call.resource)}</code>",
            _e(v.reason),
        )
        for v in result.denied
    ]
    if rows:
        parts.append(_table(("Resource", "Operation", "Action", "On", "Why denied"), rows))
    return "".join(parts)


def render(data: ReportData) -> str:
    """The whole page."""
    bodies = {
        "glance": _glance,
        "topology": _topology,
        "keeps": _keeps,
        "findings": _findings,
        "permissions": _permissions,
    }
    nav = "".join(f'<li><a href="#{sid}">{_e(title)}</a></li>' for sid, title in SECTIONS)
    notes = "".join(f'<p class="muted">Note: {_e(n)}</p>' for n in data.notes)
    sections = "".join(
        f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{_e(title)}</h2>'
        f"{bodies[sid](data)}</section>"
        for sid, title in SECTIONS
    )
    templates = ", ".join(data.templates)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(data.title)}</title><style>{_CSS}</style></head>"
        f"<body><main><header><h1>{_e(data.title)}</h1>"
        f"<p>Report of {_e(data.source)} (templates: {_e(templates)}), made offline by "
        "vaultplan.</p>"
        f'{notes}<nav aria-label="Sections"><ul>{nav}</ul></nav></header>'
        f"{sections}</main><script>{_SCRIPT}</script></body></html>\n"
    )


def out_problem(out: Path) -> str | None:
    """Why ``out`` can't take the page (a folder, or in a folder that does not exist)."""
    from vaultplan.errors import shown

    try:
        if out.is_dir():
            return f"--out: got {shown(str(out))}; it is a folder, give a file name"
        if not out.parent.is_dir():
            return f"--out: got {shown(str(out))}; its folder does not exist"
    except OSError as exc:  # a name too long, a loop
        return f"--out: cannot use it ({exc.strerror or exc}); got {shown(str(out))}"
    return None


def _file_mode() -> int:
    """The mode ``open()`` would give a new file: 0666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_report(page: str, out: Path) -> Path:
    """Write ``page`` to ``out`` whole: a temporary file in the same folder, then renamed
    over ``out``, so a failure leaves nothing half-written. A bad ``out``
    (:func:`out_problem`) or a failed write is an :class:`~vaultplan.errors.InputError`.
    """
    from vaultplan.errors import InputError, shown

    problem = out_problem(out)
    if problem is not None:
        raise InputError(problem)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(tmp, _file_mode())  # mkstemp's 0600 would keep the page from its readers
        os.replace(tmp, out)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise InputError(
            f"--out: cannot write it ({exc.strerror or exc}); got {shown(str(out))}"
        ) from None
    return out
