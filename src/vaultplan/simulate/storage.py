"""The storage a resource's recovery points take, by tier, day by day (the EFS model).

The model (README, "Storage model"; https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html
and https://docs.aws.amazon.com/aws-backup/latest/devguide/metering-and-billing.html):

- a point created when no point of the resource is in warm storage is full: ``S`` GiB;
- any other new point holds the data changed since the newest warm point:
  ``S * C / 100`` per day elapsed (fractions of a day count), at most ``S``;
- the warm points form a chain; when one leaves it (moved to cold, or deleted), the data it
  held that later points still need passes to the next point of the chain: the next point's
  size grows by it, at most ``S``. So the oldest warm point always holds a full copy, and
  changes are taken to touch different data (an upper bound). When the newest warm point
  leaves, its changes go with it;
- a point in cold storage is billed as a full copy, ``S`` GiB (``cold_copy="full"``, the
  default, as no source says otherwise), or as the data it held when it moved
  (``cold_copy="increment"``);
- a point deleted less than 90 days after it moved to cold is charged for the remaining days
  ("a pro-rated charge equal to the storage charge for the remaining days", AWS Backup
  pricing), on the day it is deleted;
- EFS backups are billed per GB-day, "for the whole day" (AWS Backup pricing): each UTC day
  is billed at the most each tier held at any time that day.

Events at one instant apply in this order: new points, moves to cold, deletions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from vaultplan.aws.plan_rules import COLD_MINIMUM_DAYS
from vaultplan.simulate.engine import ScheduledPoint
from vaultplan.simulate.result import DailyStorage, RecoveryPoint

__all__ = ["COLD_MINIMUM_DAYS", "ColdCopy", "StorageModel", "simulate_storage"]

ColdCopy = Literal["full", "increment"]
_DAY = 86400.0
_CREATE, _COLD, _DELETE = 0, 1, 2


@dataclass(frozen=True)
class StorageModel:
    """The resource's size ``size_gib`` (S), its daily change ``daily_change_percent`` (C),
    and how a cold point is billed."""

    size_gib: float
    daily_change_percent: float
    cold_copy: ColdCopy = "full"


class _Chain:
    """The warm points, oldest first, as a linked list with each point's held size.

    Instants are whole seconds from the period's start."""

    def __init__(self, model: StorageModel) -> None:
        self.size = model.size_gib
        self.rate = model.size_gib * model.daily_change_percent / 100.0 / _DAY  # GiB a second
        self.held: dict[int, float] = {}
        self.prev: dict[int, int | None] = {}
        self.next: dict[int, int | None] = {}
        self.tail: int | None = None
        self.tail_created = 0
        self.total = 0.0

    def add(self, i: int, created: int) -> tuple[float, bool]:
        if self.tail is None:
            held, full = self.size, True
        else:
            held, full = min(self.size, self.rate * (created - self.tail_created)), False
            self.next[self.tail] = i
        self.held[i] = held
        self.prev[i], self.next[i] = self.tail, None
        self.tail, self.tail_created = i, created
        self.total += held
        return held, full

    def remove(self, i: int, created_of: Sequence[int]) -> float:
        held = self.held.pop(i)
        self.total -= held
        before, after = self.prev.pop(i), self.next.pop(i)
        if after is not None:
            grown = min(self.size, self.held[after] + held)
            self.total += grown - self.held[after]
            self.held[after] = grown
            self.prev[after] = before
        else:
            self.tail = before
            self.tail_created = created_of[before] if before is not None else 0
        if before is not None:
            self.next[before] = after
        if not self.held:
            self.total = 0.0  # no drift once the chain is empty
        return held


#: How many simulated days pass between two reports of progress.
PROGRESS_DAYS = 100


def _seconds(moment: datetime | None, start: datetime) -> int | None:
    return None if moment is None else int((moment - start).total_seconds())


def simulate_storage(
    points: Sequence[ScheduledPoint],
    start: datetime,
    days: int,
    model: StorageModel,
    advance: Callable[[int], None] | None = None,
) -> tuple[list[RecoveryPoint], DailyStorage]:
    """Play the points' lifecycle over ``days`` UTC days from ``start`` (a midnight).

    ``advance(n)``: ``n`` more days are done (every :data:`PROGRESS_DAYS` days, and at the end).
    """
    end = days * 86400
    created = [int((p.created - start).total_seconds()) for p in points]
    cold_at = [_seconds(p.cold_at, start) for p in points]
    events: list[tuple[int, int, int]] = []
    for i, c in enumerate(created):
        events.append((c, _CREATE, i))
        moved, gone = cold_at[i], _seconds(points[i].delete_at, start)
        if moved is not None and moved < end:
            events.append((moved, _COLD, i))
        if gone is not None and gone < end:
            events.append((gone, _DELETE, i))
    events.sort()
    chain = _Chain(model)
    sizes = [0.0] * len(points)
    full = [False] * len(points)
    cold_size: dict[int, float] = {}
    deleted: set[int] = set()
    cold_total = 0.0
    warm_col: list[float] = []
    cold_col: list[float] = []
    early_col: list[float] = []
    warm_n: list[int] = []
    cold_n: list[int] = []
    e, n = 0, len(events)
    for day in range(days):
        day_start, day_end = day * 86400, day * 86400 + 86400
        early = 0.0
        now = day_start  # apply every event at one instant (the day's start first), then sample
        top_warm = top_cold = -1.0
        while True:
            while e < n and events[e][0] <= now:
                _, kind, i = events[e]
                e += 1
                if kind == _CREATE:
                    sizes[i], full[i] = chain.add(i, created[i])
                elif kind == _COLD:
                    held = chain.remove(i, created)
                    cold_size[i] = model.size_gib if model.cold_copy == "full" else held
                    cold_total += cold_size[i]
                elif i in cold_size:
                    size = cold_size.pop(i)
                    cold_total = cold_total - size if cold_size else 0.0
                    in_cold = (now - (cold_at[i] or 0)) / _DAY
                    if in_cold < COLD_MINIMUM_DAYS:
                        early += size * (COLD_MINIMUM_DAYS - in_cold)
                    deleted.add(i)
                else:
                    chain.remove(i, created)
                    deleted.add(i)
            if chain.total > top_warm:
                top_warm = chain.total
            if cold_total > top_cold:
                top_cold = cold_total
            if e >= n or events[e][0] >= day_end:
                break
            now = events[e][0]
        warm_col.append(top_warm)
        cold_col.append(top_cold)
        early_col.append(early)
        warm_n.append(len(chain.held))
        cold_n.append(len(cold_size))
        if advance is not None and (day + 1) % PROGRESS_DAYS == 0:
            advance(PROGRESS_DAYS)
    if advance is not None and days % PROGRESS_DAYS:
        advance(days % PROGRESS_DAYS)
    recovery = [
        RecoveryPoint(
            p.rule,
            p.created,
            p.cold_at,
            p.delete_at,
            sizes[i],
            full[i],
            "deleted" if i in deleted else "cold" if i in cold_size else "warm",
        )
        for i, p in enumerate(points)
    ]
    storage = DailyStorage(
        start=start.date(),
        warm_gib=tuple(warm_col),
        cold_gib=tuple(cold_col),
        early_deletion_gib_days=tuple(early_col),
        warm_points=tuple(warm_n),
        cold_points=tuple(cold_n),
    )
    return recovery, storage
