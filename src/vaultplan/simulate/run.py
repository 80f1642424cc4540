"""The simulation's entry point: a template in, one result per protected resource out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path

from vaultplan.errors import InputError
from vaultplan.progress import Progress
from vaultplan.simulate.cost import storage_costs, with_transfer
from vaultplan.simulate.engine import COLD_CAPABLE_TYPES, copy_points, schedule_points
from vaultplan.simulate.options import SimulationOptions
from vaultplan.simulate.plan import BackupPlanModel, PlanRule, ProtectedResource, load_plans
from vaultplan.simulate.pricing import PriceTable, load_prices
from vaultplan.simulate.result import CopySimulation, ResourceSimulation, RuleSummary, Simulation
from vaultplan.simulate.storage import simulate_storage

__all__ = [
    "MAX_BACKUPS",
    "MAX_DAYS",
    "MAX_SIZE_GIB",
    "simulate",
    "simulate_plan",
    "validate_options",
]

#: The longest period simulated: 100 years, AWS's longest lifecycle (36,500 days).
MAX_DAYS = 36_500
#: The most backups one run simulates: every rule's scheduled backups in the period (taken
#: or skipped), for each resource a plan protects, once more for each copy destination. Memory
#: and time grow with it (each is a record in the results and in ``--format json``'s
#: timeline): an hourly rule over 10 years is 87,600; over 100 years, 876,000 would take
#: gigabytes, so it is refused with the --days that fits.
MAX_BACKUPS = 200_000
#: The largest resource size simulated, 1 EiB: beyond any one resource AWS Backup protects
#: (an EBS volume holds at most 64 TiB, an Aurora cluster 128 TiB), and small enough that
#: every GiB-day and cost stays a finite number (``--size-gib 1e308`` would overflow to inf).
MAX_SIZE_GIB = 2**30
#: Who a plan with no resource in its selections is simulated for.
ANY_RESOURCE = ProtectedResource("(each selected resource)", "AWS::EFS::FileSystem", ())


def validate_options(options: SimulationOptions) -> None:
    """Raise :class:`InputError` for a bad period, size or change rate: what :func:`simulate`
    refuses before it reads the template."""
    start, days, size_gib = options.start, options.days, options.size_gib
    change = options.daily_change_percent
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InputError(f"--days: got {days!r}; expected a whole number of days, 1 to {MAX_DAYS}")
    if not 0 < size_gib <= MAX_SIZE_GIB:  # also refuses nan
        raise InputError(
            f"--size-gib: got {size_gib!r}; expected a size in GiB above 0 and at most "
            f"{MAX_SIZE_GIB:,} (1 EiB)"
        )
    if not 0 <= change <= 100:
        raise InputError(
            f"--daily-change-percent: got {change!r}; expected a percentage from 0 to 100"
        )
    if start < date(1970, 1, 1):
        raise InputError(
            f"--start: got {start.isoformat()}; AWS cron years start at 1970, so the period "
            "must start on 1970-01-01 or later"
        )
    last = date(2199, 12, 31)  # AWS cron's last year
    # Ordinals, not start + days: a start of 9999-12-31 would overflow date arithmetic.
    if start.toordinal() + days - 1 > last.toordinal():
        raise InputError(
            f"--days: got {days} from {start.isoformat()}; the period must end by "
            f"{last.isoformat()} (AWS cron years stop at 2199)"
        )


def _fires(rule: PlanRule, begin: datetime, end: datetime, cap: int) -> float:
    """How many times ``rule`` fires in ``[begin, end)``: counted up to ``cap``, past it
    estimated at the rate of the first ``cap`` fires (so an every-minute cron costs no more
    to count than an hourly one)."""
    fires = list(islice(rule.schedule.fires_between(begin, end, rule.timezone), cap + 1))
    if len(fires) <= cap:
        return len(fires)
    counted = max((fires[-1] - begin).total_seconds(), 60.0)
    return len(fires) * (end - begin).total_seconds() / counted


def _check_work(plans: Sequence[BackupPlanModel], begin: datetime, days: int) -> None:
    """Refuse a run past :data:`MAX_BACKUPS`, before any work, with the --days that fits."""
    end = begin + timedelta(days=days)
    total = 0.0
    for plan in plans:
        fires = sum(_fires(rule, begin, end, MAX_BACKUPS) for rule in plan.rules)
        total += fires * (1 + len(_destinations(plan))) * max(1, len(plan.resources))
        if total > MAX_BACKUPS:
            break
    if total <= MAX_BACKUPS:
        return
    # The share of the period that fits, rounded down: backups grow about linearly in days.
    fits = max(1, int(days * MAX_BACKUPS / total))
    raise InputError(
        f"--days: got {days}; this run would simulate about {round(total):,} backups (each "
        f"rule's scheduled backups, times each protected resource and copy destination), "
        f"more than the {MAX_BACKUPS:,} a simulation is bounded to; use --days {fits} or "
        "fewer, or --plan LOGICAL_ID for one plan at a time"
    )


def _begin(options: SimulationOptions) -> datetime:
    start = options.start
    return datetime(start.year, start.month, start.day, tzinfo=UTC)


def simulate_plan(
    plan: BackupPlanModel,
    options: SimulationOptions,
    prices: PriceTable,
    advance: Callable[[int], None] | None = None,
) -> list[ResourceSimulation]:
    """Simulate one plan for each resource it protects (``options.plan_id`` is not read;
    ``advance(n)``: ``n`` more days of one resource's chain, or of one of its copies, are
    done)."""
    days, model, region = options.days, options.storage_model, options.region
    begin = _begin(options)
    end = begin + timedelta(days=days)
    out: list[ResourceSimulation] = []
    for resource in plan.resources or (ANY_RESOURCE,):
        cold_capable = resource.type in COLD_CAPABLE_TYPES
        scheduled, skipped = schedule_points(plan.rules, begin, end, cold_capable=cold_capable)
        points, storage = simulate_storage(scheduled, begin, days, model, advance)
        months, priced, note = storage_costs(storage, region, resource.type, prices)
        copies = []
        for destination, copy_region in _destinations(plan):
            copied = copy_points(plan.rules, scheduled, destination, cold_capable=cold_capable)
            copy_recovery, copy_storage = simulate_storage(copied, begin, days, model, advance)
            priced_in = copy_region or region
            copy_months, copy_priced, copy_note = storage_costs(
                copy_storage, priced_in, resource.type, prices
            )
            if copy_region is None:
                copy_note = f"the destination's Region is unknown offline: {copy_note}"
            cross_region = copy_region is None or copy_region != region
            copy_months, transfer_note = with_transfer(
                copy_months, copy_recovery, cross_region=cross_region, prices=prices
            )
            copies.append(
                CopySimulation(
                    destination=destination,
                    region=priced_in,
                    region_known=copy_region is not None,
                    points=tuple(copy_recovery),
                    days=copy_storage,
                    months=tuple(copy_months),
                    priced=copy_priced and (not cross_region or prices.transfer is not None),
                    price_note=copy_note + transfer_note,
                    cross_region=cross_region,
                )
            )
        rules = tuple(
            RuleSummary(
                name=r.name,
                schedule=r.schedule.expression,
                timezone=r.timezone,
                start_window_minutes=r.start_window_minutes,
                cold_after_days=r.cold_after_days if cold_capable else None,
                delete_after_days=r.delete_after_days,
                taken=sum(p.rule == r.name for p in points),
                skipped=sum(s.rule == r.name for s in skipped),
            )
            for r in plan.rules
        )
        out.append(
            ResourceSimulation(
                stack=plan.template,
                plan=plan.logical_id,
                plan_name=plan.name,
                resource=resource.name,
                resource_type=resource.type,
                coverage_certain=resource.certain,
                rules=rules,
                points=tuple(points),
                skipped=tuple(skipped),
                days=storage,
                months=tuple(months),
                priced=priced,
                price_note=note,
                copies=tuple(copies),
            )
        )
    return out


def _destinations(plan: BackupPlanModel) -> list[tuple[str, str | None]]:
    """Each destination vault of the plan's copy actions, once, in rule order."""
    seen: dict[str, str | None] = {}
    for rule in plan.rules:
        for copy in rule.copies:
            seen.setdefault(copy.destination, copy.region)
    return list(seen.items())


def _days_done(
    plans: Sequence[BackupPlanModel], days: int, progress: Progress | None
) -> Callable[[int], None] | None:
    """``advance(n)`` for :func:`simulate_storage`, adding up to ``progress(done, total)``
    over every chain the run simulates (each resource's, and each of its copies')."""
    if progress is None:
        return None
    report = progress
    chains = sum(max(1, len(p.resources)) * (1 + len(_destinations(p))) for p in plans)
    total = days * chains
    done = [0]

    def advance(n: int) -> None:
        done[0] += n
        report(done[0], total)

    return advance


def simulate(
    template: Path, options: SimulationOptions, progress: Progress | None = None
) -> Simulation:
    """Simulate the backup plans of ``template`` over ``options.days`` days from
    ``options.start`` (00:00 UTC).

    Raises :class:`InputError` for bad input: a bad period or size, no backup plan, an
    unknown ``plan_id``, a bad prices file, or a rule value unknown offline. ``region`` is
    also the template's ``AWS::Region`` unless ``parameters`` sets it. ``progress(done,
    total)`` counts simulated days, of every resource's chain and of its copies.
    """
    validate_options(options)
    prices = load_prices(options.prices_file)
    plans = load_plans(template, options.plan_id, options.template_values)
    _check_work(plans, _begin(options), options.days)
    advance = _days_done(plans, options.days, progress)
    results: list[ResourceSimulation] = []
    notes: list[str] = []
    for plan in plans:
        if not plan.rules:
            notes.append(f"plan {plan.logical_id} has no rules: it takes no backup")
        if not plan.resources:
            notes.append(
                f"plan {plan.logical_id}: no selection names a resource found in the template; "
                f"simulated for one {ANY_RESOURCE.type} standing for each resource it selects"
            )
        for res in plan.resources:
            if not res.certain:
                notes.append(
                    f"plan {plan.logical_id}: whether {res.name} is selected depends on values "
                    "unknown offline; simulated as selected"
                )
        results.extend(simulate_plan(plan, options, prices, advance))
    return Simulation(
        template=str(template),
        options=options,
        prices_source=prices.origin,
        resources=tuple(results),
        notes=tuple(notes),
    )
