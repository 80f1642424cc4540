"""The simulation's entry point: a template in, one result per protected resource out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import islice
from pathlib import Path

from vaultplan.errors import InputError
from vaultplan.progress import Progress
from vaultplan.simulate.engine import COLD_CAPABLE_TYPES, copy_points, schedule_points
from vaultplan.simulate.plan import BackupPlanModel, PlanRule, ProtectedResource, load_plans
from vaultplan.simulate.pricing import PriceTable, load_prices, price_key
from vaultplan.simulate.result import (
    CopySimulation,
    DailyStorage,
    MonthCost,
    RecoveryPoint,
    ResourceSimulation,
    RuleSummary,
    Simulation,
)
from vaultplan.simulate.storage import ColdCopy, StorageModel, simulate_storage

__all__ = ["MAX_BACKUPS", "MAX_DAYS", "MAX_SIZE_GIB", "monthly_costs", "simulate", "simulate_plan"]

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


def _month_length(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days


def monthly_costs(days: DailyStorage, warm: float, cold: float) -> list[MonthCost]:
    """Cost per calendar month: each tier's GiB-days over the month's length, times its
    price per GB-month; partial months at the ends hold only their simulated days."""
    out: list[MonthCost] = []
    i, total = 0, len(days)
    current = days.start
    while i < total:
        length = _month_length(current.year, current.month)
        n = min(length - current.day + 1, total - i)
        w = sum(days.warm_gib[i : i + n])
        c = sum(days.cold_gib[i : i + n])
        x = sum(days.early_deletion_gib_days[i : i + n])
        out.append(
            MonthCost(
                month=f"{current.year:04d}-{current.month:02d}",
                days=n,
                warm_gib_days=w,
                cold_gib_days=c,
                early_deletion_gib_days=x,
                warm_usd=w * warm / length,
                cold_usd=c * cold / length,
                early_deletion_usd=x * cold / length,
            )
        )
        i += n
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return out


def _validate(start: date, days: int, size_gib: float, change: float) -> None:
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


def simulate_plan(
    plan: BackupPlanModel,
    *,
    start: date,
    days: int,
    model: StorageModel,
    region: str,
    prices: PriceTable,
    advance: Callable[[int], None] | None = None,
) -> list[ResourceSimulation]:
    """Simulate one plan for each resource it protects (``advance(n)``: ``n`` more days of
    one resource's chain, or of one of its copies, are done)."""
    begin = datetime(start.year, start.month, start.day, tzinfo=UTC)
    end = begin + timedelta(days=days)
    out: list[ResourceSimulation] = []
    for resource in plan.resources or (ANY_RESOURCE,):
        cold_capable = resource.type in COLD_CAPABLE_TYPES
        scheduled, skipped = schedule_points(plan.rules, begin, end, cold_capable=cold_capable)
        points, storage = simulate_storage(scheduled, begin, days, model, advance)
        months, priced, note = _cost(storage, region, resource.type, prices)
        copies = []
        for destination, copy_region in _destinations(plan):
            copied = copy_points(plan.rules, scheduled, destination, cold_capable=cold_capable)
            copy_recovery, copy_storage = simulate_storage(copied, begin, days, model, advance)
            priced_in = copy_region or region
            copy_months, copy_priced, copy_note = _cost(
                copy_storage, priced_in, resource.type, prices
            )
            if copy_region is None:
                copy_note = f"the destination's Region is unknown offline: {copy_note}"
            cross_region = copy_region is None or copy_region != region
            copy_months, transfer_note = _with_transfer(
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


def _with_transfer(
    months: list[MonthCost],
    copies: list[RecoveryPoint],
    *,
    cross_region: bool,
    prices: PriceTable,
) -> tuple[list[MonthCost], str]:
    """A copy's months with the cross-Region transfer of its copy jobs, and a note.

    A copy job moves what the copy holds when created: the whole resource the first time,
    then the changes since the previous copy ("When you copy a backup to a new Region or
    account for the first time, AWS Backup copies the backup in full"; later copies are
    incremental), which is the copy chain's size at creation (README, "Storage model").
    Within one Region (a copy to another account there) nothing crosses Regions.
    """
    if not cross_region:
        return months, "; same Region as the source: no cross-Region transfer"
    gib: dict[str, float] = {}
    for point in copies:
        key = f"{point.created.year:04d}-{point.created.month:02d}"
        gib[key] = gib.get(key, 0.0) + point.size_gib
    price = prices.transfer
    out = [
        replace(
            m,
            transfer_gib=gib.get(m.month, 0.0),
            transfer_usd=None if price is None else gib.get(m.month, 0.0) * price.usd_per_gb,
        )
        for m in months
    ]
    total = sum(gib.values())
    if price is None:
        return out, (
            f"; cross-Region transfer: {total:,.1f} GiB copied, not priced (no "
            f"cross_region_transfer price in {prices.origin} prices)"
        )
    return out, (
        f"; cross-Region transfer: {total:,.1f} GiB copied at ${price.usd_per_gb} per GB "
        f"({price.source}{', ' + price.date if price.date else ''})"
    )


def _destinations(plan: BackupPlanModel) -> list[tuple[str, str | None]]:
    """Each destination vault of the plan's copy actions, once, in rule order."""
    seen: dict[str, str | None] = {}
    for rule in plan.rules:
        for copy in rule.copies:
            seen.setdefault(copy.destination, copy.region)
    return list(seen.items())


def _cost(
    storage: DailyStorage, region: str, resource_type: str, prices: PriceTable
) -> tuple[list[MonthCost], bool, str]:
    """Monthly costs of ``storage`` at ``region``'s prices, whether priced, and a note."""
    tier = prices.lookup(region, resource_type)
    if tier is None:
        note = (
            f"no {price_key(resource_type)} price for {region} in {prices.origin} prices; "
            "pass --prices FILE to cost it"
        )
        return monthly_costs(storage, 0.0, 0.0), False, note
    cold = tier.cold if tier.cold is not None else 0.0
    note = f"{region} {price_key(resource_type)}: warm ${tier.warm}, " + (
        f"cold ${tier.cold}" if tier.cold is not None else "no cold price"
    )
    note += f" per GB-month ({tier.source}, {tier.date})" if tier.date else ""
    return monthly_costs(storage, tier.warm, cold), True, note


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
    template: Path,
    *,
    start: date,
    days: int,
    plan_id: str | None = None,
    size_gib: float = 100.0,
    daily_change_percent: float = 1.0,
    region: str = "us-east-1",
    prices_file: Path | None = None,
    cold_copy: ColdCopy = "full",
    parameters: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Simulation:
    """Simulate the backup plans of ``template`` over ``days`` days from ``start`` (00:00 UTC).

    Raises :class:`InputError` for bad input: a bad period or size, no backup plan, an
    unknown ``plan_id``, a bad prices file, or a rule value unknown offline. ``region`` is
    also the template's ``AWS::Region`` unless ``parameters`` sets it. ``progress(done,
    total)`` counts simulated days, of every resource's chain and of its copies.
    """
    _validate(start, days, size_gib, daily_change_percent)
    prices = load_prices(prices_file)
    values = {"AWS::Region": region, **(parameters or {})}
    plans = load_plans(template, plan_id, values)
    _check_work(plans, datetime(start.year, start.month, start.day, tzinfo=UTC), days)
    model = StorageModel(size_gib, daily_change_percent, cold_copy)
    advance = _days_done(plans, days, progress)
    one_plan = partial(simulate_plan, start=start, days=days, model=model, advance=advance)
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
        results.extend(one_plan(plan, region=region, prices=prices))
    return Simulation(
        template=str(template),
        start=start,
        days=days,
        region=region,
        size_gib=size_gib,
        daily_change_percent=daily_change_percent,
        cold_copy=cold_copy,
        prices_source=prices.origin,
        resources=tuple(results),
        notes=tuple(notes),
    )
