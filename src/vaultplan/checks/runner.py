"""Run every check on templates; collect findings as data.

A check that raises is reported as error finding ``VP001`` on that template, naming the
check and the exception in one line, never as a traceback; the other checks still run.
Findings that a suppression in the template's ``Metadata`` covers are reported apart, with
its reason (:mod:`vaultplan.checks.suppressions`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vaultplan.checks.finding import Finding, NotApplicable, Severity
from vaultplan.checks.model import CheckContext
from vaultplan.checks.registry import CRASH, Check, all_checks, parse_check_ids
from vaultplan.checks.suppressions import apply as apply_suppressions
from vaultplan.checks.suppressions import read as read_suppressions
from vaultplan.errors import InputError
from vaultplan.progress import Progress, stage
from vaultplan.template.lines import Lines
from vaultplan.template.loader import LoadedTemplate, NotATemplate, load
from vaultplan.template.resolve import PSEUDO_PARAMETERS

__all__ = ["CheckReport", "TemplateReport", "check_paths", "check_template"]


@dataclass(frozen=True)
class TemplateReport:
    """The outcome for one file: findings, or the reason it is not a template."""

    path: str
    name: str
    findings: tuple[Finding, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    skipped: str | None = None  # why the file is not analysed (not a template)
    #: Findings a suppression in the template's Metadata covers, each with its reason.
    suppressed: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    templates: tuple[TemplateReport, ...] = field(default_factory=tuple)

    @property
    def findings(self) -> list[Finding]:
        return [f for t in self.templates for f in t.findings]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for t in self.templates for f in t.suppressed]

    @property
    def not_applicable(self) -> list[NotApplicable]:
        return [n for t in self.templates for n in t.not_applicable]

    @property
    def analysed(self) -> list[TemplateReport]:
        return [t for t in self.templates if t.skipped is None]

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0 no error; 1 any error finding; 2 nothing analysable (no file is a template)."""
        if not self.analysed:
            return 2
        return 1 if self.count(Severity.ERROR) else 0


def _run_one(
    chk: Check, ctx: CheckContext, file: str, lines: Lines
) -> tuple[list[Finding], list[NotApplicable]]:
    findings: list[Finding] = []
    skipped: list[NotApplicable] = []
    try:
        for result in chk.run(ctx):
            if isinstance(result, NotApplicable):
                skipped.append(
                    NotApplicable(result.resource, result.path, result.reason, chk.id, file)
                )
            else:
                place = lines.position(result.path)  # only asked for findings: see Lines
                line, column = (None, None) if place is None else place
                findings.append(
                    Finding(
                        check_id=chk.id,
                        severity=result.severity or chk.severity,
                        template=file,
                        resource=result.resource,
                        path=result.path,
                        message=result.message,
                        source_url=chk.source_url,
                        line=line,
                        column=column,
                    )
                )
    except Exception as exc:  # a crashing check becomes a finding, never a traceback
        text = str(exc).strip().splitlines()
        findings.append(
            Finding(
                check_id=CRASH.id,
                severity=CRASH.severity,
                template=file,
                resource=None,
                path=(),
                message=f"check {chk.id} crashed: {type(exc).__name__}"
                + (f": {text[0]}" if text else ""),
                source_url=CRASH.source_url,
            )
        )
    return findings, skipped


def _dedupe(items: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def check_template(
    template: LoadedTemplate,
    parameters: Mapping[str, str] | None = None,
    now: datetime | None = None,
    checks: Sequence[Check] | None = None,
) -> TemplateReport:
    """Run ``checks`` (default: all) on one loaded template, and apply its suppressions."""
    ctx = CheckContext(template, parameters, now)
    file = str(template.path)
    lines = Lines(template.path, template.body)
    findings: list[Finding] = []
    skipped: list[NotApplicable] = []
    for chk in checks if checks is not None else all_checks():
        f, s = _run_one(chk, ctx, file, lines)
        findings += f
        skipped += s
    findings = sorted(_dedupe(findings), key=Finding.sort_key)
    findings, suppressed = apply_suppressions(findings, read_suppressions(template.body))
    return TemplateReport(
        file,
        template.name,
        tuple(findings),
        tuple(_dedupe(skipped)),
        suppressed=tuple(suppressed),
    )


def check_paths(
    paths: Sequence[Path],
    parameters: Mapping[str, str] | None = None,
    now: datetime | None = None,
    ignore_checks: Collection[str] = (),
    progress: Progress | None = None,
) -> CheckReport:
    """Load ``paths`` (files or cdk.out directories) and check every template.

    ``ignore_checks``: ids of checks not to run (``"VP204"``, or ``"VP204,VP207"``); an id
    that is no check's is :class:`~vaultplan.errors.InputError`. ``progress(done, total)``
    is called as each file is loaded, then as each is checked (``total``: twice the files).

    Raises :class:`~vaultplan.errors.InputError` for a missing or unparsable file.
    """
    loaded_all = load(paths, lines=True, progress=stage(progress, 0, 2)).items
    templates = [t for t in loaded_all if isinstance(t, LoadedTemplate)]
    if parameters and templates:
        _validate_parameters(templates, parameters)
    ignored = parse_check_ids(ignore_checks)
    checks = [c for c in all_checks() if c.id not in ignored]
    checked = stage(progress, 1, 2)
    reports: list[TemplateReport] = []
    for loaded in loaded_all:
        if isinstance(loaded, NotATemplate):
            reports.append(
                TemplateReport(str(loaded.path), loaded.path.name, skipped=loaded.reason)
            )
        else:
            reports.append(check_template(loaded, parameters, now, checks))
        if checked is not None:
            checked(len(reports), len(loaded_all))
    return CheckReport(tuple(reports))


def _validate_parameters(templates: list[LoadedTemplate], parameters: Mapping[str, str]) -> None:
    known: set[str] = set(PSEUDO_PARAMETERS)
    for t in templates:
        params = t.body.get("Parameters")
        if isinstance(params, Mapping):
            known |= {str(k) for k in params}
    for key, value in parameters.items():
        if key not in known:
            names = sorted(known - PSEUDO_PARAMETERS)
            raise InputError(
                f"--parameters: got {key}={value!r}; no template has a parameter {key!r} "
                f"(parameters: {', '.join(names) or 'none'}; or a pseudo parameter such as "
                "AWS::Region)"
            )
