"""VP207's window sweep agrees with a slow pairwise comparison (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from vaultplan.checks.model import Rule
from vaultplan.checks.overlap import _coinciding, _Timed

T0 = datetime(2026, 1, 1, tzinfo=UTC)
minutes = st.lists(st.integers(0, 20_000), max_size=40, unique=True).map(sorted)
windows = st.integers(60, 2_000)


def timed(offsets: list[int], window: int) -> _Timed:
    rule = Rule("Plan", 0, {}, ())
    fires = [T0 + timedelta(minutes=m) for m in offsets]
    return _Timed(rule, "r", "Vault", fires, timedelta(minutes=window), 35, frozenset())


@given(minutes, windows, minutes, windows)
def test_sweep_matches_pairwise_interval_intersection(
    a: list[int], wa: int, b: list[int], wb: int
) -> None:
    loser, winner = timed(a, wa), timed(b, wb)
    slow = [
        fire
        for fire in loser.fires
        if any(
            fire < other + winner.window and other < fire + loser.window for other in winner.fires
        )
    ]
    assert _coinciding(loser, winner) == slow
