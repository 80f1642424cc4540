"""What a report shows, gathered from the library: nothing here computes a figure anew.

The strategy comes from a config (synthesized by :func:`vaultplan.cdk.app.synth`, as
``vaultplan synth`` does) or from a template (:func:`vaultplan.template.load`). Then:

- the plans, rules and copy destinations: :func:`vaultplan.simulate.load_plans`;
- what it keeps and costs: :func:`vaultplan.simulate.simulate`, with the defaults of
  ``vaultplan simulate`` (100 GiB, 1 % changed a day, us-east-1 prices, cold points billed as
  full copies); a template with no backup plan has nothing to simulate, and its page says so
  (its findings and deploy permissions are still there);
- the findings: :func:`vaultplan.checks.check_paths`, as ``vaultplan check`` runs them;
- the deploy policy and why each action is in it: :func:`vaultplan.permissions.derive`, as
  ``vaultplan policy`` derives it; with policy files, :func:`vaultplan.permissions.preflight
  .preflight` as ``vaultplan preflight`` evaluates them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultplan.report.glance import GlanceItem, config_glance, template_glance

if TYPE_CHECKING:
    from vaultplan.checks.runner import CheckReport
    from vaultplan.permissions.derive import DeployPolicy
    from vaultplan.permissions.evaluate import PolicyStatement
    from vaultplan.permissions.preflight import PreflightResult
    from vaultplan.simulate.plan import BackupPlanModel
    from vaultplan.simulate.result import Simulation

__all__ = ["DEFAULT_DAYS", "ReportData", "ReportRequest", "SimulationInputs", "gather"]

#: How long the report simulates unless told: a year, long enough for a monthly point to
#: reach the cold tier and for a daily point's whole life.
DEFAULT_DAYS = 365


@dataclass(frozen=True)
class SimulationInputs:
    """The ``vaultplan simulate`` options the report's figures come from."""

    start: date
    days: int = DEFAULT_DAYS
    size_gib: float = 100.0
    daily_change_percent: float = 1.0
    region: str = "us-east-1"


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows."""

    title: str
    source: str
    """What the report is of, as the user named it (the config, or the template)."""
    templates: tuple[str, ...]
    """The templates' file names (a config's cdk.out is a temporary folder)."""
    glance: tuple[GlanceItem, ...]
    plans: tuple[BackupPlanModel, ...]
    """The templates' backup plans; none: a template without one (nothing to simulate)."""
    simulation: Simulation | None
    """What the plans keep and cost; None when there is no plan."""
    checks: CheckReport
    policy: DeployPolicy
    preflight: PreflightResult | None = None
    policy_files: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    region: str | None = None
    """The stack's Region when the template says (a cdk.out stack's environment)."""


@dataclass(frozen=True)
class ReportRequest:
    """What to report on: a config (``config``; neither it nor ``template``: the defaults, or
    ./vaultplan.toml) or a template or cdk.out (``template``), the policy files to preflight,
    and the simulation's inputs."""

    inputs: SimulationInputs
    config: Path | None = None
    template: Path | None = None
    policy_files: Sequence[Path] = ()
    now: datetime | None = None
    """When the checks that look ahead start from, as :func:`vaultplan.checks.check_paths`
    takes it (VP207 names that day); None: now, as ``vaultplan check`` does."""


def gather(request: ReportRequest) -> ReportData:
    """The report's data for ``request``.

    Bad input (a broken config, a missing template, a bad policy file, a bad simulation
    period) is an :class:`~vaultplan.errors.InputError` before anything is written.
    """
    from vaultplan.permissions.evaluate import load_policy_files

    config, template, policy_files = request.config, request.template, request.policy_files
    inputs = request.inputs

    # Policy files are read first: a bad one stops the report before the (slow) synth.
    statements = load_policy_files(policy_files) if policy_files else None
    if config is not None or template is None:
        from vaultplan.cdk.app import synth
        from vaultplan.config import load_config, summarize

        loaded = load_config(config)
        summary = summarize(loaded)
        with tempfile.TemporaryDirectory(prefix="vaultplan-report-") as tmp:
            result = synth(loaded, Path(tmp) / "cdk.out")
            data = _gather(result.outdir, statements, inputs, request.now)
        return _with(
            data,
            title=f"Backup strategy {summary.stack}",
            source=str(config) if config is not None else "the default strategy",
            glance=config_glance(summary),
            policy_files=tuple(str(p) for p in policy_files),
            notes=tuple(loaded.warnings) + summary.notes,
        )
    data = _gather(template, statements, inputs, request.now)
    return _with(
        data,
        title=f"Backup strategy in {template.name}",
        source=str(template),
        policy_files=tuple(str(p) for p in policy_files),
    )


def _with(data: ReportData, **changes: Any) -> ReportData:
    return replace(data, **changes)


def _gather(
    path: Path,
    statements: list[PolicyStatement] | None,
    inputs: SimulationInputs,
    now: datetime | None,
) -> ReportData:
    from vaultplan.checks import check_paths
    from vaultplan.errors import InputError
    from vaultplan.permissions import derive
    from vaultplan.permissions.preflight import PolicySet, preflight
    from vaultplan.simulate import SimulationOptions, simulate, validate_options
    from vaultplan.simulate.plan import plans_of
    from vaultplan.template import load

    # SimulationInputs' fields are SimulationOptions' of the same names.
    options = SimulationOptions(**asdict(inputs))
    # The same options are refused for every template, whether or not it has a plan.
    validate_options(options)
    checks = check_paths([path], now=now)
    if not checks.analysed:
        reasons = "; ".join(f"{t.path}: {t.skipped}" for t in checks.templates)
        raise InputError(f"template: no CloudFormation template in {path} ({reasons})")
    templates = load([path]).templates
    plans = [p for t in templates for p in plans_of(t, options.template_values)]
    simulation = simulate(path, options) if plans else None
    policy = derive(templates)
    checked = None
    if statements is not None:
        checked = preflight(templates, PolicySet(identity=statements))
    return ReportData(
        title="",
        source=str(path),
        templates=tuple(t.path.name for t in templates),
        glance=tuple(item for t in templates for item in template_glance(t)),
        plans=tuple(plans),
        simulation=simulation,
        checks=checks,
        policy=policy,
        preflight=checked,
        region=next((t.region for t in templates if t.region), None),
    )
