"""Which backups AWS Backup takes, and when each recovery point moves to cold and expires.

Rules (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html
and https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html):

- each rule fires on its cron schedule, in its time zone; a job is taken to start at the
  fire time (the start of its start window), so the point is created then;
- rules whose start windows ``[fire, fire + StartWindowMinutes)`` overlap: only the rule with
  the longer retention takes the backup ("The optimization takes into account the full start
  window"). Rules are ranked by retention (no ``DeleteAfterDays`` is forever), ties by their
  order in the plan; a fire is dropped when its window overlaps a kept fire of a higher-ranked
  rule. Fires of one rule never cancel each other;
- a point moves to cold at creation + ``MoveToColdStorageAfterDays`` (for resource types that
  support cold storage) and is deleted at creation + ``DeleteAfterDays``;
- a rule's ``CopyActions`` copy each point it takes to the destination vault, where the copy
  follows the copy action's own ``Lifecycle`` (API_CopyAction).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from vaultplan.simulate.plan import PlanRule

__all__ = [
    "COLD_CAPABLE_TYPES",
    "ScheduledPoint",
    "SkippedBackup",
    "copy_points",
    "schedule_points",
]

#: Types whose points can move to cold storage; others ignore the setting (API_Lifecycle).
#: AWS Backup pricing: "Cold storage is currently only supported for backups of Amazon EFS,
#: Amazon DynamoDB [advanced features only], Amazon Timestream, SAP HANA on EC2 and VMware".
#: DynamoDB's advanced features are an account setting, not in a template: EFS only here.
COLD_CAPABLE_TYPES = frozenset({"AWS::EFS::FileSystem"})


class ScheduledPoint(NamedTuple):
    """A backup that is taken: the rule, when, and its lifecycle instants (None: never).

    A named tuple, not a dataclass: ten years of hourly backups are 87,600 of them."""

    rule: str
    created: datetime
    cold_at: datetime | None
    delete_at: datetime | None


@dataclass(frozen=True)
class SkippedBackup:
    """A scheduled backup that AWS Backup does not take, and the backup that replaces it."""

    rule: str
    scheduled: datetime
    superseded_by: str
    superseded_at: datetime


def _lifecycle(
    cold_after_days: int | None,
    delete_after_days: int | None,
    created: datetime,
    cold_capable: bool,
) -> tuple[datetime | None, datetime | None]:
    delete_at = None if delete_after_days is None else created + timedelta(delete_after_days)
    cold_at = None
    if cold_capable and cold_after_days is not None:
        cold_at = created + timedelta(cold_after_days)
        if delete_at is not None and delete_at <= cold_at:
            cold_at = None  # deleted before it would move
    return cold_at, delete_at


def schedule_points(
    rules: Sequence[PlanRule], start: datetime, end: datetime, *, cold_capable: bool = True
) -> tuple[list[ScheduledPoint], list[SkippedBackup]]:
    """The points the rules create in ``[start, end)`` and the backups overlap drops, in order."""
    ranked = sorted(rules, key=lambda r: (-r.retention_days, r.index))
    # Kept fires of higher-ranked rules: sorted starts, and (start, end, rule name) beside them.
    kept_starts: list[datetime] = []
    kept: list[tuple[datetime, datetime, str]] = []
    widest = timedelta(0)
    points: list[ScheduledPoint] = []
    skipped: list[SkippedBackup] = []
    for rule in ranked:
        window = timedelta(minutes=rule.start_window_minutes)
        mine: list[tuple[datetime, datetime, str]] = []
        for fire in rule.schedule.fires_between(start, end, rule.timezone):
            # A kept window [a, a + w) overlaps [fire, fire + window) iff a < fire + window
            # and a + w > fire; with w <= widest, a > fire - widest.
            lo = bisect_left(kept_starts, fire - widest)
            hi = bisect_left(kept_starts, fire + window)
            winner = next((k for k in kept[lo:hi] if k[1] > fire), None)
            if winner is not None:
                skipped.append(SkippedBackup(rule.name, fire, winner[2], winner[0]))
                continue
            cold_at, delete_at = _lifecycle(
                rule.cold_after_days, rule.delete_after_days, fire, cold_capable
            )
            points.append(ScheduledPoint(rule.name, fire, cold_at, delete_at))
            mine.append((fire, fire + window, rule.name))
        kept = sorted(kept + mine)
        kept_starts = [k[0] for k in kept]
        widest = max(widest, window)
    rank = {r.name: i for i, r in enumerate(rules)}
    points.sort(key=lambda p: (p.created, rank.get(p.rule, 0)))
    skipped.sort(key=lambda s: (s.scheduled, rank.get(s.rule, 0)))
    return points, skipped


def copy_points(
    rules: Sequence[PlanRule],
    points: Sequence[ScheduledPoint],
    destination: str,
    *,
    cold_capable: bool = True,
) -> list[ScheduledPoint]:
    """The copies ``destination`` receives: one per point of a rule with a copy action to it,
    created with the point (the copy job is taken to run as the backup completes), with the
    copy action's own lifecycle."""
    actions = {
        rule.name: [c for c in rule.copies if c.destination == destination] for rule in rules
    }
    out: list[ScheduledPoint] = []
    for point in points:
        for copy in actions.get(point.rule, ()):
            cold_at, delete_at = _lifecycle(
                copy.cold_after_days, copy.delete_after_days, point.created, cold_capable
            )
            out.append(ScheduledPoint(point.rule, point.created, cold_at, delete_at))
    return out
