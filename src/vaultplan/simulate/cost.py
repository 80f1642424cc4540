"""What simulated storage costs: each calendar month's GiB-days at a price table's prices per
GB-month, and the cross-Region transfer of a copy's jobs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from vaultplan.simulate.pricing import PriceTable, price_key
from vaultplan.simulate.result import DailyStorage, MonthCost, RecoveryPoint

__all__ = ["monthly_costs", "storage_costs", "with_transfer"]


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


def storage_costs(
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
    note += f" per GB-month ({tier.cited.citation()})" if tier.cited.date else ""
    return monthly_costs(storage, tier.warm, cold), True, note


def with_transfer(
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
        f"({price.cited.citation()})"
    )
