"""Property tests: the evaluator against an independent, slow brute-force evaluator.

Hypothesis draws a *model* of a schedule (the terms of each field), renders it as AWS cron
text, and the oracle below decides fires from the model alone, with plain date arithmetic:
it never calls the parser or the evaluator under test. Semantics: EventBridge
cron expressions,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html.

- In UTC, the oracle checks every calendar day of a random window of up to two years.
- In time zones, it scans minute by minute through real DST transitions, converting each UTC
  minute to local time: a local time fires when it matches and is its first occurrence
  (``fold == 0``), so nonexistent times never fire and repeated ones fire once.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultplan.schedule import CronError, parse_cron

MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DOW_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

# -- the model: a field is a list of terms ----------------------------------------------------
# ("*", step) | ("value", v, step or 0) | ("range", a, b, step)


@dataclass(frozen=True)
class Field:
    lo: int
    hi: int
    terms: tuple[tuple[int | str, ...], ...]
    names: tuple[str, ...] | None = None
    use_names: bool = False

    def render_value(self, v: int) -> str:
        if self.use_names and self.names is not None:
            return self.names[v - self.lo]
        return str(v)

    def render(self) -> str:
        parts = []
        for term in self.terms:
            kind = term[0]
            step = term[-1]
            suffix = f"/{step}" if step else ""
            if kind == "*":
                parts.append("*" + suffix)
            elif kind == "value":
                parts.append(self.render_value(int(term[1])) + suffix)
            else:
                a, b = self.render_value(int(term[1])), self.render_value(int(term[2]))
                parts.append(f"{a}-{b}{suffix}")
        return ",".join(parts)

    def values(self) -> frozenset[int]:
        return _expand(self)

    def _walk(self) -> frozenset[int]:
        """Expand by walking the cycle, independently of the code under test."""
        cycle = list(range(self.lo, self.hi + 1))
        out: set[int] = set()
        for term in self.terms:
            kind = term[0]
            step = int(term[-1]) or 1
            if kind == "*":
                walk = cycle
            elif kind == "value" and not term[-1]:
                walk = [int(term[1])]
            else:
                a = int(term[1])
                b = self.hi if kind == "value" else int(term[2])
                walk = []
                i = cycle.index(a)
                while True:
                    walk.append(cycle[i % len(cycle)])
                    if cycle[i % len(cycle)] == b:
                        break
                    i += 1
            out.update(walk[::step])
        return frozenset(out)


@functools.cache
def _expand(field: Field) -> frozenset[int]:
    return field._walk()


def field_strategy(
    lo: int, hi: int, *, steps: bool = True, names: tuple[str, ...] | None = None, wrap: bool = True
) -> st.SearchStrategy[Field]:
    value = st.integers(lo, hi)
    step = st.integers(1, max(1, (hi - lo) // 2)) if steps else st.just(0)
    maybe_step = st.one_of(st.just(0), step) if steps else st.just(0)

    def ordered(pair: tuple[int, int]) -> tuple[int, int]:
        return pair if wrap else (min(pair), max(pair))

    term = st.one_of(
        st.tuples(st.just("*"), maybe_step),
        st.tuples(st.just("value"), value, maybe_step),
        st.tuples(value, value)
        .map(ordered)
        .flatmap(
            lambda ab: st.tuples(st.just("range"), st.just(ab[0]), st.just(ab[1]), maybe_step)
        ),
    )
    return st.builds(
        Field,
        st.just(lo),
        st.just(hi),
        st.lists(term, min_size=1, max_size=3).map(tuple),
        st.just(names),
        st.booleans() if names else st.just(False),
    )


@dataclass(frozen=True)
class Days:
    """Either a day-of-month rule or a day-of-week rule, as text and as a predicate."""

    dom: str
    dow: str
    kind: str  # "dom-field", "L", "L-n", "LW", "W", "dow-field", "nL", "#"
    field: Field | None = None
    n: int = 0
    k: int = 0

    def matches(self, d: date) -> bool:
        aws_weekday = d.isoweekday() % 7 + 1
        if self.kind == "dom-field":
            assert self.field is not None
            return d.day in self.field.values()
        if self.kind == "L":
            return (d + timedelta(days=1)).month != d.month
        if self.kind == "L-n":
            return (d + timedelta(days=self.n)).month == d.month and (
                d + timedelta(days=self.n + 1)
            ).month != d.month
        if self.kind in ("LW", "W"):
            length, weekdays = _month(d.year, d.month)
            if self.kind == "LW":
                return d.day == weekdays[-1]
            if self.n > length:
                return False
            return d.day == min(weekdays, key=lambda x: abs(x - self.n))
        if self.kind == "dow-field":
            assert self.field is not None
            return aws_weekday in self.field.values()
        if self.kind == "nL":
            return aws_weekday == self.n and (d + timedelta(days=7)).month != d.month
        assert self.kind == "#"
        return aws_weekday == self.n and (d.day - 1) // 7 + 1 == self.k


@functools.cache
def _month(year: int, month: int) -> tuple[int, list[int]]:
    """The month's length and its weekdays (Monday-Friday) by day number."""
    first = date(year, month, 1)
    days = [first + timedelta(days=i) for i in range(31)]
    days = [x for x in days if x.month == month]
    return len(days), [x.day for x in days if x.weekday() < 5]


# Month edges are where W, L and # go wrong: draw them often.
EDGE_DAYS = st.one_of(st.sampled_from([1, 2, 3, 28, 29, 30, 31]), st.integers(1, 31))


def days_strategy() -> st.SearchStrategy[Days]:
    dom_field = field_strategy(1, 31).map(lambda f: Days(f.render(), "?", "dom-field", f))
    dow_field = field_strategy(1, 7, steps=False, names=tuple(DOW_NAMES)).map(
        lambda f: Days("?", f.render(), "dow-field", f)
    )
    weekday = st.integers(1, 7)
    return st.one_of(
        dom_field,
        dow_field,
        st.just(Days("L", "?", "L")),
        st.integers(1, 30).map(lambda n: Days(f"L-{n}", "?", "L-n", n=n)),
        st.just(Days("LW", "?", "LW")),
        EDGE_DAYS.map(lambda n: Days(f"{n}W", "?", "W", n=n)),
        st.just(Days("?", "L", "dow-field", Field(1, 7, (("value", 7, 0),)))),
        weekday.map(lambda n: Days("?", f"{n}L", "nL", n=n)),
        st.tuples(weekday, st.integers(1, 5)).map(
            lambda nk: Days("?", f"{nk[0]}#{nk[1]}", "#", n=nk[0], k=nk[1])
        ),
    )


@dataclass(frozen=True)
class Model:
    minutes: Field
    hours: Field
    days: Days
    months: Field
    years: Field

    def text(self) -> str:
        return (
            f"cron({self.minutes.render()} {self.hours.render()} {self.days.dom} "
            f"{self.months.render()} {self.days.dow} {self.years.render()})"
        )

    def times(self) -> list[tuple[int, int]]:
        return sorted(itertools.product(self.hours.values(), self.minutes.values()))

    def day_matches(self, d: date) -> bool:
        return (
            d.year in self.years.values()
            and d.month in self.months.values()
            and self.days.matches(d)
        )

    def wall_matches(self, wall: datetime) -> bool:
        return (
            wall.minute in self.minutes.values()
            and wall.hour in self.hours.values()
            and self.day_matches(wall.date())
        )


def models(
    minutes: st.SearchStrategy[Field] | None = None, years: st.SearchStrategy[Field] | None = None
) -> st.SearchStrategy[Model]:
    return st.builds(
        Model,
        field_strategy(0, 59) if minutes is None else minutes,
        field_strategy(0, 23),
        days_strategy(),
        field_strategy(1, 12, names=tuple(MONTH_NAMES)),
        field_strategy(2020, 2035, wrap=False) if years is None else years,
    )


def oracle_utc(model: Model, start: datetime, end: datetime) -> Iterator[datetime]:
    day = start.date()
    while day <= end.date():
        if model.day_matches(day):
            for hour, minute in model.times():
                moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
                if start <= moment < end:
                    yield moment
        day += timedelta(days=1)


# Year fields drawn inside 2020-2035 so random windows meet them; minutes kept sparse so a
# window of two years stays cheap to enumerate.
SPARSE_MINUTES = st.builds(
    Field,
    st.just(0),
    st.just(59),
    st.lists(
        st.tuples(st.just("value"), st.integers(0, 59), st.just(0)), min_size=1, max_size=2
    ).map(tuple),
)
ALL_YEARS = Field(1970, 2199, (("*", 0),))
YEARS = st.one_of(
    st.just(ALL_YEARS),
    st.builds(
        Field,
        st.just(1970),
        st.just(2199),
        st.lists(
            st.one_of(
                st.tuples(st.just("value"), st.integers(2020, 2036), st.sampled_from([0, 2, 3])),
                st.tuples(st.integers(2020, 2036), st.integers(2020, 2036)).map(
                    lambda ab: ("range", min(ab), max(ab), 0)
                ),
            ),
            min_size=1,
            max_size=3,
        ).map(tuple),
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    model=models(minutes=SPARSE_MINUTES, years=YEARS),
    start=st.datetimes(datetime(2021, 1, 1), datetime(2034, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    length_days=st.integers(0, 730),
    length_minutes=st.integers(0, 1439),
)
def test_fires_between_matches_brute_force_in_utc(
    model: Model, start: datetime, length_days: int, length_minutes: int
) -> None:
    end = start + timedelta(days=length_days, minutes=length_minutes)
    cron = parse_cron(model.text())
    expected = list(oracle_utc(model, start, end))
    assert list(cron.fires_between(start, end)) == expected
    # next_fire agrees: strictly after, chained (over the first 40 fires).
    chained: list[datetime] = []
    moment = start - timedelta(microseconds=1)
    while (found := cron.next_fire(moment)) is not None and found < end and len(chained) < 40:
        chained.append(found)
        moment = found
    assert chained == expected[:40]


@settings(max_examples=100, deadline=None)
@given(model=models(years=st.just(ALL_YEARS)))
def test_can_ever_fire_and_min_interval_match_brute_force_over_years(model: Model) -> None:
    # Over 28 years the calendar repeats its weekday/leap pattern (1901-2099); scan day by day.
    cron = parse_cron(model.text())
    assert cron.describe().startswith(("at ", "every "))
    days = [
        date(2000, 1, 1) + timedelta(days=i)
        for i in range((date(2028, 1, 1) - date(2000, 1, 1)).days)
    ]
    fire_days = [d for d in days if model.day_matches(d)]
    assert cron.can_ever_fire() == bool(fire_days)
    minutes = [h * 60 + m for h, m in model.times()]
    # Every fire as minutes since 2000, but only a day's first and last time are needed
    # between days; the gaps inside a day are the same every day.
    edges = [
        (d - date(2000, 1, 1)).days * 1440 + t for d in fire_days for t in (minutes[0], minutes[-1])
    ]
    gaps = [b - a for a, b in itertools.pairwise(minutes)]
    gaps += [b - a for a, b in itertools.pairwise(edges) if b != a]
    if gaps:
        assert cron.min_interval_minutes() == min(gaps)


# -- time zones: minute-by-minute through real transitions -----------------------------------

ZONES = [
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "America/Santiago",  # transitions at midnight
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",  # no DST, +05:30
]


def transitions(zone: str) -> list[datetime]:
    tz = ZoneInfo(zone)
    out = []
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    previous = moment.astimezone(tz).utcoffset()
    while moment.year < 2027:
        moment += timedelta(minutes=30)
        offset = moment.astimezone(tz).utcoffset()
        if offset != previous:
            out.append(moment)
        previous = offset
    return out or [datetime(2026, 6, 1, tzinfo=UTC)]


TRANSITIONS = {zone: transitions(zone) for zone in ZONES}


@st.composite
def zone_windows(draw: st.DrawFn) -> tuple[str, datetime, datetime]:
    zone = draw(st.sampled_from(ZONES))
    around = draw(st.sampled_from(TRANSITIONS[zone]))
    start = around + timedelta(minutes=draw(st.integers(-36 * 60, 12 * 60)))
    return zone, start, start + timedelta(minutes=draw(st.integers(1, 36 * 60)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    model=models(years=st.just(ALL_YEARS)),
    window=zone_windows(),
    every_day=st.booleans(),
)
def test_time_zone_evaluation_matches_minute_by_minute_scan(
    model: Model, window: tuple[str, datetime, datetime], every_day: bool
) -> None:
    zone, start, end = window
    if every_day:  # most random day rules miss a two-day window; test times densely too
        every = Days("*", "?", "dom-field", Field(1, 31, (("*", 0),)))
        model = Model(model.minutes, model.hours, every, Field(1, 12, (("*", 0),)), ALL_YEARS)
    tz = ZoneInfo(zone)
    expected = []
    moment = start.replace(second=0, microsecond=0)
    if moment < start:
        moment += timedelta(minutes=1)
    while moment < end:
        local = moment.astimezone(tz)
        if local.fold == 0 and model.wall_matches(local.replace(tzinfo=None)):
            expected.append(moment)
        moment += timedelta(minutes=1)
    cron = parse_cron(model.text())
    assert list(cron.fires_between(start, end, zone)) == expected
    first = cron.next_fire(start - timedelta(microseconds=1), zone)
    if expected:
        assert first == expected[0]
    elif first is not None:
        assert first >= end


# -- every special day rule, exhaustively, over a full 28-year weekday/leap cycle ------------

SPECIAL_DAYS = (
    [
        Days("L", "?", "L"),
        Days("LW", "?", "LW"),
        Days("?", "L", "dow-field", Field(1, 7, (("value", 7, 0),))),
    ]
    + [Days(f"L-{n}", "?", "L-n", n=n) for n in range(1, 31)]
    + [Days(f"{n}W", "?", "W", n=n) for n in range(1, 32)]
    + [Days("?", f"{n}L", "nL", n=n) for n in range(1, 8)]
    + [Days("?", f"{n}#{k}", "#", n=n, k=k) for n in range(1, 8) for k in range(1, 6)]
)
CYCLE = [
    date(2000, 1, 1) + timedelta(days=i) for i in range((date(2028, 1, 1) - date(2000, 1, 1)).days)
]


@pytest.mark.parametrize("days", SPECIAL_DAYS, ids=[f"{d.dom}|{d.dow}" for d in SPECIAL_DAYS])
def test_special_day_rules_match_brute_force_for_every_month_of_a_cycle(days: Days) -> None:
    cron = parse_cron(f"cron(0 0 {days.dom} * {days.dow} 2000-2027)")
    assert list(cron.fire_days()) == [d for d in CYCLE if days.matches(d)]


# -- the parser never fails with anything but CronError --------------------------------------

FIELD_TEXT = st.text(alphabet="0123456789,-*?/LW#JANFEBMONSUT ", min_size=0, max_size=8)


@settings(max_examples=400, deadline=None)
@given(fields=st.lists(FIELD_TEXT, min_size=4, max_size=8))
def test_parser_accepts_or_raises_cron_error_only(fields: list[str]) -> None:
    expression = f"cron({' '.join(fields)})"
    try:
        cron = parse_cron(expression)
    except CronError as err:
        assert str(err).startswith(f"got {expression!r}; ")
        return
    cron.can_ever_fire()
    cron.describe()
    cron.next_fire(datetime(2026, 1, 1, tzinfo=UTC))
