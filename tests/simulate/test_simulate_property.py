"""Property tests: the storage engine against a slow, independent evaluator.

The oracle recomputes each sample from scratch, with no chain bookkeeping: at an instant,
the warm chain is every point created and neither moved to cold nor deleted by then; it
holds ``S`` for its oldest point plus ``min(S, S*C/100 * days between neighbours)`` for each
later one (the docs' model: what a leaving point held passes to its successor, capped
at ``S``). Cold holds ``S`` per cold point; one deleted before 90 days in cold is charged
the rest on its deletion day. A day is billed at its peak over the instants
where something happens. The overlap rule is checked against a pairwise scan.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultplan.schedule import parse_cron
from vaultplan.simulate import PlanRule, StorageModel, schedule_points, simulate_storage

START = datetime(2026, 1, 1, tzinfo=UTC)
CRONS = (
    "cron(0 8 * * ? *)",
    "cron(0 8 1 * ? *)",
    "cron(30 */6 * * ? *)",
    "cron(0 3 ? * MON,THU *)",
    "cron(15 8 L * ? *)",
    "cron(0 0 1/3 * ? *)",
    "cron(0 20 ? * 6#2 *)",
)

rules_st = st.lists(
    st.tuples(
        st.sampled_from(CRONS),
        st.one_of(st.none(), st.integers(1, 40)),  # cold after
        st.one_of(st.none(), st.integers(1, 150)),  # delete after
        st.sampled_from((60, 120, 480, 1440)),
    ),
    min_size=1,
    max_size=3,
)


def make_rules(spec: list[tuple[str, int | None, int | None, int]]) -> list[PlanRule]:
    return [
        PlanRule("P", i, f"r{i}", parse_cron(cron), "UTC", window, cold, delete)
        for i, (cron, cold, delete, window) in enumerate(spec)
    ]


def oracle(points, days: int, size: float, change: float):  # type: ignore[no-untyped-def]
    rate = size * change / 100 / 86400
    end = START + timedelta(days=days)

    def state(t: datetime) -> tuple[float, float]:
        warm = []
        cold = 0
        for p in points:
            if p.created > t or (p.delete_at is not None and p.delete_at <= t):
                continue
            if p.cold_at is not None and p.cold_at <= t:
                cold += 1
            else:
                warm.append(p.created)
        warm.sort()
        total = size if warm else 0.0
        for a, b in itertools.pairwise(warm):
            total += min(size, rate * (b - a).total_seconds())
        return total, cold * size

    instants = sorted(
        {m for p in points for m in (p.created, p.cold_at, p.delete_at) if m and m < end}
    )
    early = [0.0] * days  # cold points deleted before 90 days in cold: the rest, that day
    for p in points:
        if p.cold_at is not None and p.delete_at is not None and p.delete_at < end:
            in_cold = (p.delete_at - p.cold_at).total_seconds() / 86400
            if in_cold < 90:
                early[(p.delete_at - START).days] += size * (90 - in_cold)
    out = []
    for day in range(days):
        lo, hi = START + timedelta(days=day), START + timedelta(days=day + 1)
        samples = [lo, *(t for t in instants if lo < t < hi)]
        states = [state(t) for t in samples]
        out.append((max(s[0] for s in states), max(s[1] for s in states), early[day]))
    return out


@settings(max_examples=40, deadline=None)
@given(rules_st, st.integers(1, 60), st.floats(0, 30))
def test_storage_matches_the_independent_evaluator(
    spec: list[tuple[str, int | None, int | None, int]], days: int, change: float
) -> None:
    rules = make_rules(spec)
    scheduled, _ = schedule_points(rules, START, START + timedelta(days=days))
    points, storage = simulate_storage(scheduled, START, days, StorageModel(100.0, change))
    expected = oracle(scheduled, days, 100.0, change)
    for i, (warm, cold, early) in enumerate(expected):
        assert abs(storage.early_deletion_gib_days[i] - early) < 1e-6, i
        assert abs(storage.warm_gib[i] - warm) < 1e-6, (i, storage.warm_gib[i], warm)
        assert abs(storage.cold_gib[i] - cold) < 1e-6, (i, storage.cold_gib[i], cold)
    for p in points:
        assert 0 <= p.size_gib <= 100.0
        assert not p.full or p.size_gib == 100.0


@settings(max_examples=40, deadline=None)
@given(rules_st, st.integers(1, 60))
def test_overlap_keeps_only_the_longer_retention(
    spec: list[tuple[str, int | None, int | None, int]], days: int
) -> None:
    rules = make_rules(spec)
    by_name = {r.name: r for r in rules}
    points, skipped = schedule_points(rules, START, START + timedelta(days=days))
    every = sorted(
        (t, r.name)
        for r in rules
        for t in r.schedule.fires_between(START, START + timedelta(days=days))
    )
    # Every fire is either taken or skipped, once.
    assert (
        sorted([(p.created, p.rule) for p in points] + [(s.scheduled, s.rule) for s in skipped])
        == every
    )

    def window(name: str, t: datetime) -> tuple[datetime, datetime]:
        return t, t + timedelta(minutes=by_name[name].start_window_minutes)

    def rank(name: str) -> tuple[float, int]:
        return (-by_name[name].retention_days, by_name[name].index)

    # No two taken points of different rules have overlapping windows...
    for a in points:
        for b in points:
            if a.rule != b.rule:
                (a0, a1), (b0, b1) = window(a.rule, a.created), window(b.rule, b.created)
                assert not (a0 < b1 and b0 < a1), (a, b)
    # ...and each skipped fire overlaps a taken one of a higher-ranked rule.
    for s in skipped:
        s0, s1 = window(s.rule, s.scheduled)
        w0, w1 = window(s.superseded_by, s.superseded_at)
        assert s0 < w1 and w0 < s1
        assert rank(s.superseded_by) < rank(s.rule)
        assert (s.superseded_at, s.superseded_by) in {(p.created, p.rule) for p in points}
