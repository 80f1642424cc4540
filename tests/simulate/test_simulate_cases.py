"""Simulation cases worked out by hand, checked exactly (floats to 1e-9).

Facts used:
- overlapping rules: only the rule with the longer retention takes the backup, over the
  full start window
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html);
- lifecycle: cold at creation + MoveToColdStorageAfterDays, deleted at creation +
  DeleteAfterDays (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html);
- EFS backups and storage: first backup full, later ones incremental
  (https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html); no warm point means the next
  backup is full (https://docs.aws.amazon.com/aws-backup/latest/devguide/metering-and-billing.html);
  a cold point deleted before 90 days is charged for the rest
  (https://aws.amazon.com/backup/pricing/).
The storage model itself (chain merge, per-day peak) is the docs' "Storage model" (simulate).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from vaultplan.schedule import parse_cron
from vaultplan.simulate import (
    PlanRule,
    StorageModel,
    max_gap_hours,
    monthly_costs,
    schedule_points,
    simulate_storage,
)

EXACT = 1e-9


def rule(
    name: str,
    cron: str,
    *,
    index: int = 0,
    delete: int | None = None,
    cold: int | None = None,
    window: int = 480,
    tz: str = "UTC",
) -> PlanRule:
    return PlanRule("Plan", index, name, parse_cron(cron), tz, window, cold, delete)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def run(rules: list[PlanRule], start: date, days: int, size: float, change: float):  # type: ignore[no-untyped-def]
    begin = datetime(start.year, start.month, start.day, tzinfo=UTC)
    scheduled, skipped = schedule_points(rules, begin, begin + timedelta(days=days))
    points, storage = simulate_storage(scheduled, begin, days, StorageModel(size, change))
    return points, skipped, storage


def test_daily_incremental_chain_rebases_when_the_oldest_point_expires() -> None:
    # GIVEN daily at 00:00 UTC, kept 3 days; S = 100 GiB, C = 10 %/day; 5 days of March.
    points, skipped, storage = run(
        [rule("Daily", "cron(0 0 * * ? *)", delete=3)], date(2026, 3, 1), 5, 100, 10
    )
    # THEN P1 is full (100), P2..P5 hold one day of change (10 each).
    assert [p.size_gib for p in points] == [100, 10, 10, 10, 10]
    assert [p.full for p in points] == [True, False, False, False, False]
    # Mar 1: P1 = 100. Mar 2: +P2 = 110. Mar 3: +P3 = 120. Mar 4: P1 expires, P2 becomes the
    # full base (10 + 100, capped at 100), +P4 = 100 + 10 + 10 = 120. Mar 5: likewise 120.
    assert list(storage.warm_gib) == [100, 110, 120, 120, 120]
    assert list(storage.cold_gib) == [0, 0, 0, 0, 0]
    assert list(storage.warm_points) == [1, 2, 3, 3, 3]
    # At the end (Mar 6 00:00, exclusive): P3's deletion at Mar 6 00:00 is outside the period.
    assert [p.tier_at_end for p in points] == ["deleted", "deleted", "warm", "warm", "warm"]
    assert skipped == []
    # 570 GiB-days in a 31-day month at $0.05 per GB-month.
    (march,) = monthly_costs(storage, 0.05, 0.01)
    assert march.warm_gib_days == 570
    assert march.usd == pytest.approx(570 * 0.05 / 31, abs=EXACT)


def test_cold_point_deleted_early_is_charged_for_the_rest_of_90_days() -> None:
    # GIVEN daily at 00:00, cold after 1 day, deleted after 2 (AWS would refuse this plan);
    # S = 100, C = 10; 3 days from 2026-03-01.
    points, _, storage = run(
        [rule("Daily", "cron(0 0 * * ? *)", cold=1, delete=2)], date(2026, 3, 1), 3, 100, 10
    )
    # Mar 2 00:00: P2 is created (10), P1 moves to cold: P2 becomes the base (100); cold
    # holds P1 as a full copy (100). Mar 3 00:00: P3 (10 -> 100 when P2 leaves), P2 to cold,
    # P1 deleted after 1 day in cold: charged 89 days x 100 GiB = 8900 GiB-days.
    assert list(storage.warm_gib) == [100, 100, 100]
    assert list(storage.cold_gib) == [0, 100, 100]
    assert list(storage.early_deletion_gib_days) == [0, 0, 8900]
    assert [p.tier_at_end for p in points] == ["deleted", "cold", "warm"]
    (march,) = monthly_costs(storage, 0.05, 0.01)
    # (300 x 0.05 + 200 x 0.01 + 8900 x 0.01) / 31 = 106 / 31
    assert march.usd == pytest.approx(106 / 31, abs=EXACT)
    assert march.early_deletion_usd == pytest.approx(89 / 31, abs=EXACT)


def test_no_warm_point_left_means_the_next_backup_is_full() -> None:
    # GIVEN a backup every other day at 00:00, kept 1 day: each point is gone when the next
    # one is taken, so each is full (keep at least one recent point in warm storage:
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/metering-and-billing.html).
    points, _, storage = run(
        [rule("Odd", "cron(0 0 1/2 * ? *)", delete=1)], date(2026, 3, 1), 4, 100, 10
    )
    assert [(p.created.day, p.size_gib, p.full) for p in points] == [
        (1, 100, True),
        (3, 100, True),
    ]
    assert list(storage.warm_gib) == [100, 0, 100, 0]


@pytest.mark.parametrize(
    ("daily_window", "daily_taken", "max_gap"),
    [
        (480, 0, 24.0),  # [08:00, 16:00) overlaps [15:00, 16:00): the 30-day rule wins
        (420, 3, 17.0),  # [08:00, 15:00) ends as the other opens: both run (gaps 7 h, 17 h)
    ],
)
def test_overlapping_start_windows_keep_the_longer_retention(
    daily_window: int, daily_taken: int, max_gap: float
) -> None:
    rules = [
        rule("Morning", "cron(0 8 * * ? *)", index=0, delete=7, window=daily_window),
        rule("Afternoon", "cron(0 15 * * ? *)", index=1, delete=30, window=60),
    ]
    points, skipped, _ = run(rules, date(2026, 3, 1), 3, 100, 1)
    assert sum(p.rule == "Morning" for p in points) == daily_taken
    assert sum(p.rule == "Afternoon" for p in points) == 3
    assert len(skipped) == 3 - daily_taken
    for s in skipped:
        assert (s.rule, s.superseded_by) == ("Morning", "Afternoon")
        assert s.superseded_at - s.scheduled == timedelta(hours=7)
    assert max_gap_hours(points) == max_gap


def test_equal_retention_the_rule_listed_first_takes_the_backup() -> None:
    rules = [
        rule("A", "cron(0 8 * * ? *)", index=0, delete=7),
        rule("B", "cron(30 8 * * ? *)", index=1, delete=7),
    ]
    points, skipped, _ = run(rules, date(2026, 3, 1), 2, 100, 1)
    assert [p.rule for p in points] == ["A", "A"]
    assert [s.rule for s in skipped] == ["B", "B"]


def test_a_point_kept_forever_beats_any_retention() -> None:
    rules = [
        rule("Short", "cron(0 8 * * ? *)", index=0, delete=36500),
        rule("Forever", "cron(0 9 * * ? *)", index=1, delete=None),
    ]
    points, _, _ = run(rules, date(2026, 3, 1), 1, 100, 1)
    assert [p.rule for p in points] == ["Forever"]
    assert points[0].delete_at is None


@pytest.mark.parametrize(
    ("start", "created_utc_hours", "max_gap"),
    [
        # Spring forward (2026-03-08): 08:00 EST = 13:00 UTC, then 08:00 EDT = 12:00 UTC.
        (date(2026, 3, 7), [13, 12, 12], 24.0),
        # Fall back (2026-11-01): 08:00 EDT = 12:00 UTC, then 08:00 EST = 13:00 UTC.
        (date(2026, 10, 31), [12, 13, 13], 25.0),
    ],
)
def test_schedule_time_zone_follows_dst(
    start: date, created_utc_hours: list[int], max_gap: float
) -> None:
    points, _, _ = run(
        [rule("Daily", "cron(0 8 * * ? *)", delete=35, tz="America/New_York")], start, 3, 100, 1
    )
    assert [p.created.hour for p in points] == created_utc_hours
    assert max_gap_hours(points) == max_gap
