"""Render a :class:`~vaultplan.checks.runner.CheckReport`: text lines, a rich table, JSON,
SARIF 2.1.0.

Formatters only format; they never decide what is a finding.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from vaultplan import __version__
from vaultplan.checks.finding import Finding, NotApplicable, Severity
from vaultplan.checks.registry import all_checks
from vaultplan.checks.runner import CheckReport

__all__ = [
    "render_json",
    "render_sarif",
    "render_table",
    "render_text",
    "text_lines",
    "to_dict",
]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
#: Colour only, so that NO_COLOR (which rich applies by dropping colours) leaves no escapes.
_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
#: Above this many templates, clean ones are only counted in the summary.
MAX_CLEAN_LINES = 10
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _summary(report: CheckReport) -> dict[str, int]:
    return {
        "templates": len(report.analysed),
        "skipped": len(report.templates) - len(report.analysed),
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "info": report.count(Severity.INFO),
        "not_applicable": len(report.not_applicable),
    }


def _rel(path: str, base: Path | None) -> str:
    if base is None:
        return path
    try:
        return Path(path).relative_to(base).as_posix()
    except ValueError:
        return path


def _finding_dict(f: Finding, base: Path | None = None) -> dict[str, Any]:
    return {
        "id": f.check_id,
        "severity": f.severity.value,
        "template": _rel(f.template, base),
        "resource": f.resource,
        "path": f.path_text,
        "line": f.line,
        "message": f.message,
        "source_url": f.source_url,
    }


def _suppressed_dict(f: Finding, base: Path | None = None) -> dict[str, Any]:
    return {**_finding_dict(f, base), "reason": f.suppression}


def _na_dict(n: NotApplicable, base: Path | None = None) -> dict[str, Any]:
    return {
        "id": n.check_id,
        "template": _rel(n.template, base),
        "resource": n.resource,
        "path": n.path_text,
        "reason": n.reason,
    }


def to_dict(report: CheckReport, relative_to: Path | None = None) -> dict[str, Any]:
    """The JSON contract: ``summary``, ``templates``, ``findings``, ``not_applicable``, and
    ``suppressed`` (findings a suppression in the template's Metadata covers, each with its
    ``reason``; not counted in ``summary``'s errors, warnings and info).

    ``relative_to`` writes template paths relative to that folder (golden files)."""
    return {
        "tool": {"name": "vaultplan", "version": __version__},
        "summary": _summary(report),
        "templates": [
            {
                "path": _rel(t.path, relative_to),
                "name": t.name,
                "analysed": t.skipped is None,
                "reason": t.skipped,
                "errors": sum(f.severity is Severity.ERROR for f in t.findings),
                "warnings": sum(f.severity is Severity.WARNING for f in t.findings),
                "info": sum(f.severity is Severity.INFO for f in t.findings),
                "suppressed": len(t.suppressed),
            }
            for t in report.templates
        ],
        "findings": [_finding_dict(f, relative_to) for f in report.findings],
        "not_applicable": [_na_dict(n, relative_to) for n in report.not_applicable],
        "suppressed": [_suppressed_dict(f, relative_to) for f in report.suppressed],
    }


def render_json(report: CheckReport) -> str:
    return json.dumps(to_dict(report), indent=2, allow_nan=False) + "\n"


def _level(severity: Severity) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}[severity]


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def render_sarif(report: CheckReport) -> str:
    """SARIF 2.1.0: one run, every check as a rule, findings as results (not-applicable
    outcomes as results of kind ``notApplicable``; suppressed findings with ``suppressions``
    of kind ``inSource``, whose ``justification`` is the written reason)."""
    checks = all_checks()
    index = {c.id: i for i, c in enumerate(checks)}
    rules = [
        {
            "id": c.id,
            "name": c.func.__name__.strip("_"),
            "shortDescription": {"text": c.shortdesc},
            "fullDescription": {"text": c.explanation},
            "helpUri": c.source_url,
            "defaultConfiguration": {"level": _level(c.severity)},
        }
        for c in checks
    ]
    results: list[dict[str, Any]] = []
    for f in [*report.findings, *report.suppressed]:
        location: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": {"uri": _uri(f.template)}},
            "logicalLocations": [{"fullyQualifiedName": f.path_text, "name": f.resource or ""}],
        }
        if f.line is not None:
            location["physicalLocation"]["region"] = {"startLine": f.line}
        result: dict[str, Any] = {
            "ruleId": f.check_id,
            "ruleIndex": index[f.check_id],
            "level": _level(f.severity),
            "message": {"text": f.message},
            "locations": [location],
        }
        if f.suppression is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": f.suppression}]
        results.append(result)
    for n in report.not_applicable:
        results.append(
            {
                "ruleId": n.check_id,
                "ruleIndex": index[n.check_id],
                "kind": "notApplicable",
                "level": "none",
                "message": {"text": n.reason},
                "locations": [
                    {
                        "physicalLocation": {"artifactLocation": {"uri": _uri(n.template)}},
                        "logicalLocations": [
                            {"fullyQualifiedName": n.path_text, "name": n.resource or ""}
                        ],
                    }
                ],
            }
        )
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vaultplan",
                        "version": __version__,
                        "informationUri": "https://docs.aws.amazon.com/aws-backup/latest/devguide/",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, allow_nan=False) + "\n"


_BREAKS = re.compile(r"(\r*\n)+")


def _line(
    template: str, line: int | None, column: int | None, check_id: str, label: Text, message: str
) -> Text:
    # A finding with no place in the file is at 1:1, as cfn-lint places a template-level match.
    place = f"{template}:{line or 1}:{column or 1}: "
    return Text.assemble(place, check_id, " [", label, "] ", _BREAKS.sub(" ", message))


def text_lines(report: CheckReport, *, show_not_applicable: bool = False) -> list[Text]:
    """One line per finding, ``path:line:col: VP105 [error] message``, then the summary.

    The shape compilers print and editors and CI annotations parse (``%f:%l:%c: %m``), like
    cfn-lint's ``parseable`` format; a message's line breaks become spaces, so a finding is
    always one line. ``--show-not-applicable`` adds ``[n/a]`` lines (at 1:1: what could not
    be decided is not placed).
    """
    out: list[Text] = []
    for t in report.analysed:
        for f in t.findings:
            label = Text(f.severity.value, style=_COLOUR[f.severity])
            out.append(_line(t.path, f.line, f.column, f.check_id, label, f.message))
        if show_not_applicable:
            for n in t.not_applicable:
                out.append(_line(t.path, None, None, n.check_id, Text("n/a"), n.reason))
    out.append(Text(_summary_line(report, show_not_applicable, clean_counted=True)))
    return out


def render_text(
    report: CheckReport, console: Console, *, show_not_applicable: bool = False
) -> None:
    """:func:`text_lines` on ``console``, never wrapped (a finding stays one line)."""
    for line in text_lines(report, show_not_applicable=show_not_applicable):
        console.print(line, soft_wrap=True, highlight=False)


def _summary_line(report: CheckReport, show_not_applicable: bool, *, clean_counted: bool) -> str:
    """``N template(s) checked, ...``; ``clean_counted``: name the templates without findings
    when there are several (the table lists them instead, up to MAX_CLEAN_LINES)."""
    analysed = report.analysed
    s = _summary(report)
    parts = [
        f"{s['templates']} template(s) checked",
        f"{s['errors']} error(s)",
        f"{s['warnings']} warning(s)",
        f"{s['info']} info",
        f"{s['not_applicable']} not applicable (unknown offline"
        + ("" if show_not_applicable else "; --show-not-applicable lists them")
        + ")",
    ]
    if report.suppressed:
        parts.insert(4, f"{len(report.suppressed)} suppressed (reasons: --format json)")
    clean = sum(not t.findings for t in analysed)
    limit = 1 if clean_counted else MAX_CLEAN_LINES
    if len(analysed) > limit and clean:
        parts.insert(1, f"{clean} without findings")
    if s["skipped"]:
        parts.append(f"{s['skipped']} file(s) skipped")
    return ", ".join(parts)


def render_table(
    report: CheckReport, console: Console, *, show_not_applicable: bool = False
) -> None:
    """A table of findings per template, then a one-line summary."""
    analysed = report.analysed
    for t in analysed:
        if not t.findings and not (show_not_applicable and t.not_applicable):
            if len(analysed) <= MAX_CLEAN_LINES:
                console.print(Text.assemble((t.path, "bold"), ": no findings"))
            continue
        # Text, never str: a path or id is not rich markup (``[x]``, ``:emoji:``)
        table = Table(
            title=Text(t.path, style="table.title"),
            title_justify="left",
            show_lines=False,
            expand=False,
        )
        table.add_column(Text("Severity"), no_wrap=True)
        table.add_column(Text("Check"), no_wrap=True)
        table.add_column(Text("Resource"), overflow="fold")
        table.add_column(Text("Line"), justify="right", no_wrap=True)
        table.add_column(Text("Message"), overflow="fold", ratio=1)
        for f in t.findings:
            table.add_row(
                Text(f.severity.value, style=_STYLE[f.severity]),
                Text(f.check_id),
                Text(f.resource or ""),
                Text("" if f.line is None else str(f.line)),
                Text(f.message),
            )
        if show_not_applicable:
            for n in t.not_applicable:
                table.add_row(
                    Text("n/a", style="dim"),
                    Text(n.check_id),
                    Text(n.resource or ""),
                    Text(""),
                    Text(n.reason, style="dim"),
                )
        console.print(table)
    console.print(Text(_summary_line(report, show_not_applicable, clean_counted=False)))
