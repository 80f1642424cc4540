"""What a simulation returns: frozen records, and their JSON form (the ``--format json``
contract: ``summary.recovery_points.warm|cold``, ``summary.max_gap_hours``,
``summary.monthly_cost_usd`` and ``timeline``)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from vaultplan.simulate.options import SimulationOptions

__all__ = [
    "CopySimulation",
    "DailyStorage",
    "DayStorage",
    "MonthCost",
    "RecoveryPoint",
    "ResourceSimulation",
    "RuleSummary",
    "Simulation",
    "max_gap_hours",
]


def _iso(moment: datetime | None) -> str | None:
    """``2026-01-01T08:00:00Z`` (the instants are UTC, whole seconds)."""
    return None if moment is None else moment.isoformat()[:19] + "Z"


def _usd(value: float) -> float:
    return round(value, 4)


class RecoveryPoint(NamedTuple):
    """A point a rule created: its lifecycle instants (``None``: never), the size it held
    when created (GiB), whether it was a full copy, and its tier at the end of the period
    (``warm``, ``cold`` or ``deleted``). A named tuple: there may be tens of thousands."""

    rule: str
    created: datetime
    cold_at: datetime | None
    delete_at: datetime | None
    size_gib: float
    full: bool
    tier_at_end: str

    def to_json(self, resource: str | None = None) -> dict[str, Any]:
        """The point as JSON; with ``resource``, that comes first (the top-level timeline)."""
        head = {} if resource is None else {"resource": resource}
        return {
            **head,
            "rule": self.rule,
            "created": _iso(self.created),
            "cold_at": _iso(self.cold_at),
            "delete_at": _iso(self.delete_at),
            "size_gib": round(self.size_gib, 6),
            "full": self.full,
            "tier_at_end": self.tier_at_end,
        }


class DayStorage(NamedTuple):
    """One UTC day of :class:`DailyStorage`."""

    day: date
    warm_gib: float
    cold_gib: float
    early_deletion_gib_days: float
    warm_points: int
    cold_points: int


@dataclass(frozen=True)
class DailyStorage:
    """Storage per UTC day from ``start``, one column per measure: the GiB billed in each
    tier (the most held that day), the cold early-deletion charge booked that day
    (GiB-days), and the points in each tier at the day's end."""

    start: date
    warm_gib: tuple[float, ...]
    cold_gib: tuple[float, ...]
    early_deletion_gib_days: tuple[float, ...]
    warm_points: tuple[int, ...]
    cold_points: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.warm_gib)

    def day(self, i: int) -> date:
        return date.fromordinal(self.start.toordinal() + i)

    def rows(self) -> Iterator[DayStorage]:
        for i, row in enumerate(
            zip(
                self.warm_gib,
                self.cold_gib,
                self.early_deletion_gib_days,
                self.warm_points,
                self.cold_points,
                strict=True,
            )
        ):
            yield DayStorage(self.day(i), *row)

    def to_json(self) -> dict[str, Any]:
        """Columns; day ``i`` of each list is ``start`` + ``i`` days."""
        return {
            "start": self.start.isoformat(),
            "warm_gib": [round(v, 6) for v in self.warm_gib],
            "cold_gib": [round(v, 6) for v in self.cold_gib],
            "early_deletion_gib_days": [round(v, 6) for v in self.early_deletion_gib_days],
            "warm_points": list(self.warm_points),
            "cold_points": list(self.cold_points),
        }


@dataclass(frozen=True)
class MonthCost:
    """A calendar month (``YYYY-MM``) of the period: GiB-days per tier, and the cost."""

    month: str
    days: int
    warm_gib_days: float
    cold_gib_days: float
    early_deletion_gib_days: float
    warm_usd: float
    cold_usd: float
    early_deletion_usd: float
    transfer_gib: float | None = None
    """A copy's months only: GiB its copy jobs moved to another Region that month."""
    transfer_usd: float | None = None
    """A copy's months only: what that transfer costs (None when not priced)."""

    @property
    def usd(self) -> float:
        return self.warm_usd + self.cold_usd + self.early_deletion_usd + (self.transfer_usd or 0.0)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "month": self.month,
            "usd": _usd(self.usd),
            "days": self.days,
            "warm_gib_days": round(self.warm_gib_days, 6),
            "cold_gib_days": round(self.cold_gib_days, 6),
            "early_deletion_gib_days": round(self.early_deletion_gib_days, 6),
            "warm_usd": _usd(self.warm_usd),
            "cold_usd": _usd(self.cold_usd),
            "early_deletion_usd": _usd(self.early_deletion_usd),
        }
        if self.transfer_gib is not None:
            out["transfer_gib"] = round(self.transfer_gib, 6)
            out["transfer_usd"] = None if self.transfer_usd is None else _usd(self.transfer_usd)
        return out


def max_gap_hours(points: Sequence[RecoveryPoint]) -> float | None:
    """The largest gap between consecutive points' creation, in hours; None under two."""
    if len(points) < 2:
        return None
    return max(b.created - a.created for a, b in itertools.pairwise(points)).total_seconds() / 3600


def lifecycle_words(cold_after_days: int | None, delete_after_days: int | None) -> str:
    """A rule's lifecycle in words: ``cold after 30 d, deleted after 365 d``, or ``... kept
    forever``."""
    cold = f"cold after {cold_after_days} d, " if cold_after_days is not None else ""
    keep = "kept forever" if delete_after_days is None else f"deleted after {delete_after_days} d"
    return cold + keep


@dataclass(frozen=True)
class RuleSummary:
    """A rule as simulated: its schedule and lifecycle, backups taken and dropped."""

    name: str
    schedule: str
    timezone: str
    start_window_minutes: int
    cold_after_days: int | None
    delete_after_days: int | None
    taken: int
    skipped: int

    def describe_lifecycle(self) -> str:
        """``cold after 30 d, deleted after 365 d``, or ``... kept forever``."""
        return lifecycle_words(self.cold_after_days, self.delete_after_days)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "schedule": self.schedule,
            "timezone": self.timezone,
            "start_window_minutes": self.start_window_minutes,
            "move_to_cold_after_days": self.cold_after_days,
            "delete_after_days": self.delete_after_days,
            "backups_taken": self.taken,
            "backups_skipped": self.skipped,
        }


def _merge_months(*groups: Sequence[MonthCost]) -> list[tuple[str, float]]:
    """USD per month over several month lists (a resource's own, and each copy's)."""
    months: dict[str, float] = {}
    for group in groups:
        for m in group:
            months[m.month] = months.get(m.month, 0.0) + m.usd
    return list(months.items())


@dataclass(frozen=True)
class _SimulatedPoints:
    """Recovery points over the period, with the storage they take and what it costs: a
    resource's own (:class:`ResourceSimulation`) or one copy destination's
    (:class:`CopySimulation`)."""

    points: tuple[RecoveryPoint, ...]
    days: DailyStorage
    months: tuple[MonthCost, ...]
    priced: bool
    price_note: str

    @property
    def warm_at_end(self) -> int:
        return sum(p.tier_at_end == "warm" for p in self.points)

    @property
    def cold_at_end(self) -> int:
        return sum(p.tier_at_end == "cold" for p in self.points)


@dataclass(frozen=True)
class CopySimulation(_SimulatedPoints):
    """The copies one destination vault receives of one resource's recovery points."""

    destination: str
    """The destination vault's ARN, as far as it resolves offline."""
    region: str
    """The Region whose prices were used: the ARN's, else the simulated Region."""
    region_known: bool
    cross_region: bool = True
    """Whether the copy jobs move data to another Region (assumed when its Region is unknown),
    so cross-Region transfer is billed."""

    @property
    def total_usd(self) -> float:
        """Storage at the destination, and the cross-Region transfer when priced."""
        return sum(m.usd for m in self.months)

    @property
    def transfer_gib(self) -> float:
        """GiB the copy jobs moved to another Region over the period (0 within one Region)."""
        return sum(m.transfer_gib or 0.0 for m in self.months)

    @property
    def transfer_usd(self) -> float | None:
        """What that transfer costs; None when the price table gives no transfer price."""
        if not self.cross_region:
            return 0.0
        costs = [m.transfer_usd for m in self.months]
        return None if None in costs else sum(c or 0.0 for c in costs)

    def to_json(self) -> dict[str, Any]:
        transfer = self.transfer_usd
        return {
            "destination": self.destination,
            "region": self.region,
            "region_known": self.region_known,
            "price_note": self.price_note,
            "summary": {
                "recovery_points": {"warm": self.warm_at_end, "cold": self.cold_at_end},
                "copies_taken": len(self.points),
                "monthly_cost_usd": [{"month": m.month, "usd": _usd(m.usd)} for m in self.months],
                "total_cost_usd": _usd(self.total_usd),
                "priced": self.priced,
                "cross_region_transfer": {
                    "cross_region": self.cross_region,
                    "gib": round(self.transfer_gib, 6),
                    "usd": None if transfer is None else _usd(transfer),
                },
            },
            "storage": self.days.to_json(),
            "monthly": [m.to_json() for m in self.months],
        }


@dataclass(frozen=True)
class ResourceSimulation(_SimulatedPoints):
    """One protected resource under one plan, over the period."""

    plan: str
    plan_name: str
    resource: str
    resource_type: str
    coverage_certain: bool
    rules: tuple[RuleSummary, ...]
    skipped: tuple[Any, ...]  # SkippedBackup records
    copies: tuple[CopySimulation, ...] = ()
    """One entry per destination vault of the plan's copy actions."""
    stack: str = ""
    """The stack (template) the plan is in: a cdk.out's stack name, else the file's."""

    @property
    def max_gap_hours(self) -> float | None:
        """The largest gap between consecutive points (the achieved RPO); None under two."""
        return max_gap_hours(self.points)

    @property
    def monthly_usd(self) -> list[tuple[str, float]]:
        """USD per month: the source vault's storage plus every copy's."""
        return _merge_months(self.months, *(c.months for c in self.copies))

    @property
    def total_usd(self) -> float:
        """The whole bill: the source vault's storage and every copy's."""
        return sum(usd for _, usd in self.monthly_usd)

    def summary_json(self) -> dict[str, Any]:
        return {
            "recovery_points": {"warm": self.warm_at_end, "cold": self.cold_at_end},
            "backups_taken": len(self.points),
            "backups_skipped": len(self.skipped),
            "max_gap_hours": self.max_gap_hours,
            "monthly_cost_usd": [{"month": k, "usd": _usd(v)} for k, v in self.monthly_usd],
            "total_cost_usd": _usd(self.total_usd),
            "priced": self.priced and all(c.priced for c in self.copies),
        }

    def to_json(self) -> dict[str, Any]:
        """The resource's results; its points are in the top-level ``timeline``."""
        return {
            "stack": self.stack,
            "plan": self.plan,
            "plan_name": self.plan_name,
            "resource": self.resource,
            "resource_type": self.resource_type,
            "coverage_certain": self.coverage_certain,
            "price_note": self.price_note,
            "rules": [r.to_json() for r in self.rules],
            "summary": self.summary_json(),
            "skipped": [
                {
                    "rule": s.rule,
                    "scheduled": _iso(s.scheduled),
                    "superseded_by": s.superseded_by,
                    "superseded_at": _iso(s.superseded_at),
                }
                for s in self.skipped
            ],
            "storage": self.days.to_json(),
            "monthly": [m.to_json() for m in self.months],
            "copies": [c.to_json() for c in self.copies],
        }


@dataclass(frozen=True)
class Simulation:
    """A whole run: the inputs and assumptions, and one result per protected resource."""

    template: str
    options: SimulationOptions
    prices_source: str
    resources: tuple[ResourceSimulation, ...]
    notes: tuple[str, ...] = ()

    def summary_json(self) -> dict[str, Any]:
        """Totals over every resource: points summed, the worst gap, costs per month summed."""
        months: dict[str, float] = {}
        for res in self.resources:
            for month, usd in res.monthly_usd:
                months[month] = months.get(month, 0.0) + usd
        gaps = [g for g in (r.max_gap_hours for r in self.resources) if g is not None]
        return {
            "recovery_points": {
                "warm": sum(r.warm_at_end for r in self.resources),
                "cold": sum(r.cold_at_end for r in self.resources),
            },
            "backups_taken": sum(len(r.points) for r in self.resources),
            "backups_skipped": sum(len(r.skipped) for r in self.resources),
            "max_gap_hours": max(gaps) if gaps else None,
            "monthly_cost_usd": [{"month": k, "usd": _usd(v)} for k, v in months.items()],
            "total_cost_usd": _usd(sum(months.values())),
        }

    def to_json(self) -> dict[str, Any]:
        timeline = [p.to_json(r.resource) for r in self.resources for p in r.points]
        if len(self.resources) > 1:  # one resource's points are already in time order
            timeline.sort(key=lambda p: (str(p["created"]), str(p["resource"])))
        asked = self.options
        return {
            "template": self.template,
            "start": asked.start.isoformat(),
            "days": asked.days,
            "assumptions": {
                "region": asked.region,
                "size_gib": asked.size_gib,
                "daily_change_percent": asked.daily_change_percent,
                "cold_copy": asked.cold_copy,
                "prices": self.prices_source,
            },
            "notes": list(self.notes),
            "summary": self.summary_json(),
            "timeline": timeline,
            "resources": [r.to_json() for r in self.resources],
        }
