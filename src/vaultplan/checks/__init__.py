"""``vaultplan check``: what AWS Backup would reject (VP1xx) and what leaves data less
protected than it looks (VP2xx), found in any CloudFormation template, offline.

The checks are grouped by the AWS object they judge: :mod:`~vaultplan.checks.vault`,
:mod:`~vaultplan.checks.plan_rules`, :mod:`~vaultplan.checks.plan_options` (archive, index,
scan and advanced settings), :mod:`~vaultplan.checks.copies`, :mod:`~vaultplan.checks.air_gapped`,
:mod:`~vaultplan.checks.selection`, :mod:`~vaultplan.checks.coverage` (the resources the
selections protect), :mod:`~vaultplan.checks.overlap` (rules of one plan together) and
:mod:`~vaultplan.checks.regions` (resource types the stack's Region lacks),

:mod:`~vaultplan.checks.template` (the template's size: VP125, and VP301, information);
:mod:`~vaultplan.checks.org_policy` registers VP4xx, the checks of Organizations backup policies
(``vaultplan org validate``), which find nothing in a template;
vaultplan's own are VP001 (a check crashed) and VP002 (:mod:`~vaultplan.checks.suppressions`).
"""

from __future__ import annotations

# Importing a module of checks registers them (a duplicate id fails here, at import).
from vaultplan.checks import (  # noqa: F401
    air_gapped,
    copies,
    coverage,
    org_policy,
    overlap,
    plan_options,
    plan_rules,
    regions,
    selection,
    suppressions,
    template,
    vault,
)
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
