"""``vaultplan check``: what AWS Backup would reject (VP1xx) and what leaves data less
protected than it looks (VP2xx), found in any CloudFormation template, offline."""

from __future__ import annotations

from vaultplan.checks.finding import Finding, NotApplicable, Severity
from vaultplan.checks.registry import Check, all_checks
from vaultplan.checks.runner import CheckReport, TemplateReport, check_paths, check_template

__all__ = [
    "Check",
    "CheckReport",
    "Finding",
    "NotApplicable",
    "Severity",
    "TemplateReport",
    "all_checks",
    "check_paths",
    "check_template",
]
