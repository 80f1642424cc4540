"""AWS cron expressions (EventBridge syntax, as AWS Backup takes them): parse, validate, evaluate.

The grammar is EventBridge's six-field cron
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions):

============  =====================  ===============
field         values                 wildcards
============  =====================  ===============
minutes       0-59                   ``, - * /``
hours         0-23                   ``, - * /``
day-of-month  1-31                   ``, - * ? / L W``
month         1-12 or JAN-DEC        ``, - * /``
day-of-week   1-7 or SUN-SAT (1=SUN) ``, - * ? L #``
year          1970-2199              ``, - * /``
============  =====================  ===============

Exactly one of day-of-month and day-of-week is ``?``. The special day terms are whole-field
terms, as in EventBridge's own validator (and aws-croniter's port of it): ``L`` (last day of the
month), ``L-n`` (n days before it), ``LW`` (last weekday), ``nW`` (weekday nearest day n, never
leaving the month) in day-of-month; ``L`` (Saturday, the last day of the week), ``nL`` (last
weekday n of the month) and ``n#k`` (k-th weekday n of the month; one ``#`` term only) in
day-of-week. Ranges may wrap around (``FRI-MON``, ``NOV-FEB``, ``22-2``), except years.

The evaluator is set-based: each field is expanded once to a sorted tuple, the days of each
(year, month) are computed once and cached, and fire times are walked with ``bisect``. Time
zones use :mod:`zoneinfo`: a local time that does not exist (spring forward) is skipped, and
one that happens twice (fall back) fires once, at its first occurrence.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vaultplan.schedule.words import describe

__all__ = ["AwsCron", "CronError", "parse_cron"]

YEAR_MIN = 1970
YEAR_MAX = 2199

_MONTH_NAMES = {
    name: i + 1
    for i, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    )
}
_DOW_NAMES = {
    name: i + 1 for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))
}
_EXAMPLE = "e.g. 'cron(0 5 ? * * *)'"


class CronError(ValueError):
    """An AWS cron expression that AWS Backup would refuse.

    The message reads ``got '<expression>'; <what is wrong and what is allowed>``, so callers
    can prefix the field they read it from: ``f"rules[0].schedule: {err}"``.
    """

    def __init__(self, expression: object, reason: str) -> None:
        super().__init__(f"got {expression!r}; {reason}")
        self.expression = expression
        self.reason = reason


@dataclass(frozen=True)
class _FieldSpec:
    name: str
    lo: int
    hi: int
    names: dict[str, int] | None
    wildcards: str  # beyond ``, - *``
    allowed_text: str


_MINUTES = _FieldSpec("minutes", 0, 59, None, "/", "0-59")
_HOURS = _FieldSpec("hours", 0, 23, None, "/", "0-23")
_DOM = _FieldSpec("day-of-month", 1, 31, None, "/?LW", "1-31")
_MONTH = _FieldSpec("month", 1, 12, _MONTH_NAMES, "/", "1-12 or JAN-DEC")
_DOW = _FieldSpec("day-of-week", 1, 7, _DOW_NAMES, "?L#", "1-7 or SUN-SAT (1 = Sunday)")
_YEAR = _FieldSpec("year", YEAR_MIN, YEAR_MAX, None, "/", f"{YEAR_MIN}-{YEAR_MAX}")
_FIELDS = (_MINUTES, _HOURS, _DOM, _MONTH, _DOW, _YEAR)
_WILDCARDS_TEXT = {
    "minutes": "`, - * /`",
    "hours": "`, - * /`",
    "day-of-month": "`, - * ? / L W`",
    "month": "`, - * /`",
    "day-of-week": "`, - * ? L #`",
    "year": "`, - * /`",
}

_DOM_L_RE = re.compile(r"^L(?:-(\d+))?$")
_DOM_W_RE = re.compile(r"^(\d+)W$")
_DOW_L_RE = re.compile(r"^([0-9A-Z]+)L$")
_DOW_HASH_RE = re.compile(r"^([0-9A-Z]+)#(\d+)$")


@dataclass(frozen=True)
class _DayRule:
    """How the days of one month are chosen; exactly one of the two day fields is active."""

    # day-of-month side
    dom_values: frozenset[int] | None = None  # plain values, ranges, steps, or all (for ``*``)
    dom_last_offset: int | None = None  # ``L`` (0) or ``L-n`` (n)
    dom_last_weekday: bool = False  # ``LW``
    dom_nearest_weekday: int | None = None  # ``nW``
    # day-of-week side (AWS numbering: 1 = Sunday ... 7 = Saturday)
    dow_values: frozenset[int] | None = None
    dow_last: int | None = None  # ``nL``; (``L`` alone is every Saturday, a plain value)
    dow_nth: tuple[int, int] | None = None  # ``n#k``: (weekday, k)


def _month_length(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _aws_weekday(d: date) -> int:
    """AWS day-of-week of ``d``: 1 = Sunday ... 7 = Saturday."""
    return (d.weekday() + 1) % 7 + 1


def _days_in(rule: _DayRule, year: int, month: int) -> tuple[int, ...]:
    """The days of ``year``-``month`` that ``rule`` selects, sorted."""
    length = _month_length(year, month)
    if rule.dom_values is not None:
        return tuple(d for d in sorted(rule.dom_values) if d <= length)
    if rule.dom_last_offset is not None:
        day = length - rule.dom_last_offset
        return (day,) if day >= 1 else ()
    first = _aws_weekday(date(year, month, 1))  # weekday of day 1
    if rule.dom_last_weekday or rule.dom_nearest_weekday is not None:
        target = length if rule.dom_last_weekday else rule.dom_nearest_weekday
        assert target is not None
        if target > length:
            return ()
        wd = (first - 1 + target - 1) % 7 + 1
        if wd == 7:  # Saturday: the Friday before, unless that leaves the month
            return (target - 1,) if target > 1 else (target + 2,)
        if wd == 1:  # Sunday: the Monday after, unless that leaves the month
            return (target + 1,) if target < length else (target - 2,)
        return (target,)
    if rule.dow_values is not None:
        return tuple(
            d for d in range(1, length + 1) if (first - 1 + d - 1) % 7 + 1 in rule.dow_values
        )
    if rule.dow_last is not None:
        last_wd = (first - 1 + length - 1) % 7 + 1
        return (length - (last_wd - rule.dow_last) % 7,)
    assert rule.dow_nth is not None
    weekday, nth = rule.dow_nth
    day = 1 + (weekday - first) % 7 + 7 * (nth - 1)
    return (day,) if day <= length else ()


class _Parser:
    """Parses one expression into field sets; every problem raises :class:`CronError`."""

    def __init__(self, expression: str) -> None:
        self.expression = expression

    def fail(self, reason: str) -> CronError:
        return CronError(self.expression, reason)

    def value(self, spec: _FieldSpec, text: str, whole: str) -> int:
        if spec.names is not None and text in spec.names:
            return spec.names[text]
        if not text.isdigit() or not text.isascii():
            raise self.fail(
                f"{spec.name} field {whole!r}: {text!r} is not a value; "
                f"the {spec.name} field takes {spec.allowed_text} and the wildcards "
                f"{_WILDCARDS_TEXT[spec.name]}"
            )
        number = int(text)
        if not spec.lo <= number <= spec.hi:
            raise self.fail(
                f"{spec.name} field {whole!r}: {number} is out of range; "
                f"the {spec.name} field takes {spec.allowed_text}"
            )
        return number

    def span(self, spec: _FieldSpec, start: int, end: int, step: int) -> list[int]:
        """Values from ``start`` to ``end`` inclusive every ``step``, wrapping past ``hi``."""
        size = spec.hi - spec.lo + 1
        count = (end - start) % size + 1
        return [spec.lo + (start - spec.lo + i) % size for i in range(0, count, step)]

    def term(self, spec: _FieldSpec, term: str, whole: str) -> list[int]:
        base, slash, step_text = term.partition("/")
        step = 1
        if slash:
            if "/" not in spec.wildcards:
                raise self.fail(
                    f"{spec.name} field {whole!r}: '/' is not allowed in {spec.name}; "
                    f"it takes {_WILDCARDS_TEXT[spec.name]}"
                )
            if not step_text.isdigit() or not step_text.isascii() or int(step_text) < 1:
                raise self.fail(
                    f"{spec.name} field {whole!r}: the step after '/' must be a whole number "
                    f"of at least 1, got {step_text!r}"
                )
            step = int(step_text)
        if base == "*":
            return self.span(spec, spec.lo, spec.hi, step)
        first, dash, last = base.partition("-")
        start = self.value(spec, first, whole)
        if not dash:
            return self.span(spec, start, spec.hi, step) if slash else [start]
        end = self.value(spec, last, whole)
        if end < start and spec is _YEAR:
            raise self.fail(
                f"year field {whole!r}: the range {base!r} runs backwards; "
                "year ranges cannot wrap around"
            )
        return self.span(spec, start, end, step)

    def values(self, spec: _FieldSpec, text: str) -> frozenset[int]:
        if text == "?":
            raise self.fail(
                f"'?' is not allowed in {spec.name}; only day-of-month or day-of-week take '?'"
            )
        bare = text
        if spec.names is not None:  # month names hold letters (JUL) that are not wildcards
            bare = re.sub(r"[A-Z]{3}", lambda m: "" if m[0] in spec.names else m[0], text)  # type: ignore[operator]
        for char in "LW#":
            if char in bare and char not in spec.wildcards:
                raise self.fail(
                    f"{spec.name} field {text!r}: {char!r} is not allowed in {spec.name}; "
                    f"it takes {spec.allowed_text} and the wildcards {_WILDCARDS_TEXT[spec.name]}"
                )
        out: set[int] = set()
        for term in text.split(","):
            if not term:
                raise self.fail(f"{spec.name} field {text!r}: empty item in the list")
            out.update(self.term(spec, term, text))
        return frozenset(out)

    def dom(self, text: str) -> _DayRule:
        if text == "LW":
            return _DayRule(dom_last_weekday=True)
        if "L" in text or "W" in text:
            match = _DOM_L_RE.match(text)
            if match:
                offset = int(match.group(1) or 0)
                if not 0 <= offset <= 30:
                    raise self.fail(
                        f"day-of-month field {text!r}: 'L-n' takes n from 1 to 30 "
                        "(days before the last day of the month)"
                    )
                return _DayRule(dom_last_offset=offset)
            match = _DOM_W_RE.match(text)
            if match:
                day = int(match.group(1))
                if not 1 <= day <= 31:
                    raise self.fail(
                        f"day-of-month field {text!r}: {day} is out of range; "
                        "'nW' takes a day from 1 to 31"
                    )
                return _DayRule(dom_nearest_weekday=day)
            raise self.fail(
                f"day-of-month field {text!r}: 'L' and 'W' are used alone as the whole field: "
                "'L' (last day), 'L-n' (n days before it), 'LW' (last weekday) "
                "or 'nW' (weekday nearest day n)"
            )
        return _DayRule(dom_values=self.values(_DOM, text))

    def dow(self, text: str) -> _DayRule:
        if text.count("#") > 1:
            raise self.fail(
                f"day-of-week field {text!r}: only one '#' term is allowed "
                "(e.g. '6#3', the third Friday)"
            )
        if text == "L":
            return _DayRule(dow_values=frozenset({7}))  # the last day of the week: Saturday
        if "#" in text:
            match = _DOW_HASH_RE.match(text)
            if not match:
                raise self.fail(
                    f"day-of-week field {text!r}: a '#' term is the whole field, "
                    "'n#k' with a weekday n (1-7 or SUN-SAT) and k from 1 to 5, e.g. '6#3'"
                )
            weekday = self.value(_DOW, match.group(1), text)
            nth = int(match.group(2))
            if not 1 <= nth <= 5:
                raise self.fail(
                    f"day-of-week field {text!r}: {nth} is out of range; "
                    "in 'n#k', k (which week of the month) is 1-5"
                )
            return _DayRule(dow_nth=(weekday, nth))
        if "L" in text:  # no weekday name has an L, so this is the wildcard
            match = _DOW_L_RE.match(text)
            if not match:
                raise self.fail(
                    f"day-of-week field {text!r}: 'L' is used as the whole field: 'L' "
                    "(Saturday, the last day of the week) or 'nL' (the last weekday n of the "
                    "month, e.g. '6L', the last Friday)"
                )
            return _DayRule(dow_last=self.value(_DOW, match.group(1), text))
        return _DayRule(dow_values=self.values(_DOW, text))


@dataclass(frozen=True)
class _Spec:
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    times: tuple[int, ...]  # minute of day, sorted
    deltas: tuple[timedelta, ...]  # the same, as offsets from midnight
    months: tuple[int, ...]
    years: tuple[int, ...]
    days: _DayRule
    fields: tuple[str, ...]  # the six fields as written (upper-cased)
    month_days: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)

    def days_of(self, year: int, month: int) -> tuple[int, ...]:
        key = (year, month)
        found = self.month_days.get(key)
        if found is None:
            found = self.month_days[key] = _days_in(self.days, year, month)
        return found


@lru_cache(maxsize=512)
def _parse(expression: str) -> _Spec:
    """Parse once per distinct text: a spec (and its per-month day cache) is shared."""
    parser = _Parser(expression)
    text = expression.strip()
    lowered = text.lower()
    if lowered.startswith("rate(") or lowered.startswith("at("):
        kind = "rate()" if lowered.startswith("rate(") else "at()"
        raise parser.fail(
            f"AWS Backup takes cron() expressions only, not {kind}; write the schedule as "
            f"cron(minutes hours day-of-month month day-of-week year), {_EXAMPLE}"
        )
    if not (lowered.startswith("cron(") and text.endswith(")")):
        raise parser.fail(
            "a schedule is a cron() expression with six fields, "
            f"cron(minutes hours day-of-month month day-of-week year), {_EXAMPLE}"
        )
    parts = text[5:-1].upper().split()
    if len(parts) != 6:
        hint = ""
        if len(parts) == 5:
            hint = " (Unix cron has five fields; AWS adds the year, and uses '?' in one day field)"
        raise parser.fail(
            f"an AWS cron expression has six fields (minutes hours day-of-month month "
            f"day-of-week year), this one has {len(parts)}{hint}; {_EXAMPLE}"
        )
    minute_t, hour_t, dom_t, month_t, dow_t, year_t = parts
    if (dom_t == "?") == (dow_t == "?"):
        which = "both are '?'" if dom_t == "?" else "neither is '?'"
        raise parser.fail(
            "exactly one of day-of-month and day-of-week must be '?' "
            f"({which}), e.g. 'cron(0 8 * * ? *)' or 'cron(0 8 ? * MON *)'"
        )
    minutes = tuple(sorted(parser.values(_MINUTES, minute_t)))
    hours = tuple(sorted(parser.values(_HOURS, hour_t)))
    days = parser.dow(dow_t) if dom_t == "?" else parser.dom(dom_t)
    months = tuple(sorted(parser.values(_MONTH, month_t)))
    years = tuple(sorted(parser.values(_YEAR, year_t)))
    times = tuple(h * 60 + m for h in hours for m in minutes)
    deltas = tuple(timedelta(minutes=t) for t in times)
    return _Spec(minutes, hours, times, deltas, months, years, days, tuple(parts))


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    if name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"time zone: got {name!r}; use an IANA time zone name, e.g. 'Europe/Paris'"
        ) from exc


@dataclass(frozen=True)
class AwsCron:
    """A parsed, valid AWS cron expression. Build one with :func:`parse_cron`."""

    expression: str
    _spec: _Spec = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.expression, str):
            raise CronError(self.expression, f"a schedule is a cron() string, {_EXAMPLE}")
        object.__setattr__(self, "_spec", _parse(self.expression))

    # -- calendar walk (wall-clock, no time zone) -----------------------------------------
    def _days_from(self, start: datetime) -> Iterator[tuple[int, int, int, int]]:
        """``(year, month, day, i)`` for each fire day at or after naive ``start``, in order;
        ``i`` indexes the first time of that day at or after ``start``."""
        spec = self._spec
        times = spec.times
        y0, m0, d0 = start.year, start.month, start.day
        t0 = start.hour * 60 + start.minute + (1 if start.second or start.microsecond else 0)
        for yi in range(bisect_left(spec.years, y0), len(spec.years)):
            year = spec.years[yi]
            mstart = bisect_left(spec.months, m0) if year == y0 else 0
            for month in spec.months[mstart:]:
                days = spec.days_of(year, month)
                same_month = year == y0 and month == m0
                dstart = bisect_left(days, d0) if same_month else 0
                for day in days[dstart:]:
                    first = bisect_left(times, t0) if same_month and day == d0 else 0
                    if first < len(times):
                        yield year, month, day, first

    def _instants_from(self, start_wall: datetime, tz: tzinfo) -> Iterator[datetime]:
        """UTC fire instants for local walls at or after naive ``start_wall``, in order."""
        deltas = self._spec.deltas
        if tz is UTC:
            for year, month, day, first in self._days_from(start_wall):
                base = datetime(year, month, day, tzinfo=UTC)
                for delta in deltas[first:]:
                    yield base + delta
            return
        one_day = timedelta(days=1)
        for year, month, day, first in self._days_from(start_wall):
            midnight = datetime(year, month, day)
            offset = midnight.replace(tzinfo=tz).utcoffset()
            if offset is not None and offset == (midnight + one_day).replace(tzinfo=tz).utcoffset():
                # The usual day: one offset from midnight to midnight.
                base = (midnight - offset).replace(tzinfo=UTC)
                for delta in deltas[first:]:
                    yield base + delta
                continue
            # A day the clocks change: convert each local time on its own.
            for delta in deltas[first:]:
                wall = midnight + delta
                instant = wall.replace(tzinfo=tz).astimezone(UTC)  # fold=0: first occurrence
                if instant.astimezone(tz).replace(tzinfo=None) != wall:
                    continue  # this local time does not exist (clocks sprang forward over it)
                yield instant

    def _start_wall(self, moment: datetime, tz: tzinfo) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"got {moment!r}; pass a time-zone-aware datetime")
        local = moment.astimezone(tz).replace(tzinfo=None)
        # A wall time earlier than the local clock can still be a later instant across a
        # fall-back; a day of margin covers every offset change.
        return local if tz is UTC else local - timedelta(days=1)

    # -- public evaluation ------------------------------------------------------------------
    def next_fire(self, after: datetime, tz: str = "UTC") -> datetime | None:
        """The first fire strictly after ``after`` (aware), as an aware UTC datetime.

        The schedule is read in the IANA zone ``tz``. Returns None if it never fires again.
        """
        zone = _zone(tz)
        for instant in self._instants_from(self._start_wall(after, zone), zone):
            if instant > after:
                return instant
        return None

    def fires_between(self, start: datetime, end: datetime, tz: str = "UTC") -> Iterator[datetime]:
        """Every fire in ``[start, end)``, as aware UTC datetimes, in order."""
        zone = _zone(tz)
        if end.tzinfo is None or end.utcoffset() is None:
            raise ValueError(f"got {end!r}; pass a time-zone-aware datetime")
        for instant in self._instants_from(self._start_wall(start, zone), zone):
            if instant >= end:
                return
            if instant >= start:
                yield instant

    def fire_days(self) -> Iterator[date]:
        """Every calendar day (year 1970-2199) on which the schedule fires, in order."""
        spec = self._spec
        for year in spec.years:
            for month in spec.months:
                for day in spec.days_of(year, month):
                    yield date(year, month, day)

    def can_ever_fire(self) -> bool:
        """False if no calendar day in 1970-2199 matches (e.g. ``cron(0 8 30 2 ? *)``)."""
        return next(self.fire_days(), None) is not None

    def min_interval_minutes(self) -> int | None:
        """The smallest gap, in minutes, between consecutive fires (wall clock, no DST).

        On wall-clock time: in a zone whose clocks move by less than an hour (Lord Howe,
        30 minutes), a schedule at minute 45 of hours 1 and 2 is 30 minutes apart in UTC on
        the night the clocks change; this method reports 60, as the expression reads.

        Scans the whole calendar range (1970-2199), stopping early once two fire days are
        adjacent. None if the schedule fires fewer than twice.
        """
        times = self._spec.times
        best: int | None = None
        for a, b in itertools.pairwise(times):
            gap = b - a
            best = gap if best is None else min(best, gap)
        previous: date | None = None
        for day in self.fire_days():
            if previous is not None:
                gap = (day - previous).days * 1440 - times[-1] + times[0]
                best = gap if best is None else min(best, gap)
                if day - previous == timedelta(days=1):
                    break
            previous = day
        return best

    def describe(self, tz: str = "UTC") -> str:
        """The schedule in plain English, e.g. ``at 08:00 UTC every day``."""
        years = self._spec.years
        return describe(self._spec, tz, every_year=len(years) == YEAR_MAX - YEAR_MIN + 1)

    def __str__(self) -> str:
        return self.expression


def parse_cron(expression: str) -> AwsCron:
    """Parse an AWS cron expression (``cron(m h dom mon dow y)``); raise CronError if invalid."""
    return AwsCron(expression)
