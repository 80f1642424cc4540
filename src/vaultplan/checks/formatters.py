"""Render a :class:`~vaultplan.checks.runner.CheckReport`: text (rich), JSON, SARIF 2.1.0.

Formatters only format; they never decide what is a finding.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from vaultplan import __version__
from vaultplan.checks.finding import Finding, NotApplicable, Severity
from vaultplan.checks.registry import all_checks
from vaultplan.checks.runner import CheckReport

__all__ = ["render_json", "render_sarif", "render_text", "to_dict"]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
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
    return json.dumps(to_dict(report), indent=2) + "\n"


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
    return json.dumps(sarif, indent=2) + "\n"


def render_text(
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
    if len(analysed) > MAX_CLEAN_LINES and clean:
        parts.insert(1, f"{clean} without findings")
    if s["skipped"]:
        parts.append(f"{s['skipped']} file(s) skipped")
    console.print(Text(", ".join(parts)), highlight=False)
