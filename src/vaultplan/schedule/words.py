"""AWS cron schedules in plain English: ``at 08:00 UTC on day 1 of every month``."""

from __future__ import annotations

import itertools
from typing import Protocol


class DayRule(Protocol):
    """Which days a schedule fires on, as :mod:`vaultplan.schedule.cron` parses them."""

    @property
    def dom_values(self) -> frozenset[int] | None: ...
    @property
    def dom_last_offset(self) -> int | None: ...
    @property
    def dom_last_weekday(self) -> bool: ...
    @property
    def dom_nearest_weekday(self) -> int | None: ...
    @property
    def dow_values(self) -> frozenset[int] | None: ...
    @property
    def dow_last(self) -> int | None: ...
    @property
    def dow_nth(self) -> tuple[int, int] | None: ...


class CronFields(Protocol):
    """What the words need of a parsed schedule (the parser's spec satisfies it)."""

    @property
    def minutes(self) -> tuple[int, ...]: ...
    @property
    def hours(self) -> tuple[int, ...]: ...
    @property
    def times(self) -> tuple[int, ...]: ...
    @property
    def months(self) -> tuple[int, ...]: ...
    @property
    def years(self) -> tuple[int, ...]: ...
    @property
    def days(self) -> DayRule: ...


__all__ = ["describe"]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
ORDINALS = ("first", "second", "third", "fourth", "fifth")


def join(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def runs(values: tuple[int, ...] | list[int]) -> list[tuple[int, int]]:
    """Sorted values grouped into runs of consecutive numbers: [1,2,3,5] -> [(1,3),(5,5)]."""
    out: list[tuple[int, int]] = []
    for v in sorted(values):
        if out and v == out[-1][1] + 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _named_runs(values: tuple[int, ...] | list[int], name: tuple[str, ...], base: int) -> str:
    """Names with runs joined cyclically: {6, 7, 1, 2} of weekdays is ``Friday to Monday``."""
    groups = runs(values)
    size = len(name)
    if len(groups) > 1 and groups[0][0] == base and groups[-1][1] == base + size - 1:
        groups = [(groups[-1][0], groups[0][1]), *groups[1:-1]]  # wrap the last run round
    parts = []
    for a, b in groups:
        length = (b - a) % size + 1
        if length == 1:
            parts.append(name[a - base])
        elif length == 2:
            parts.extend((name[a - base], name[b - base]))
        else:
            parts.append(f"{name[a - base]} to {name[b - base]}")
    return join(parts)


def _number_runs(values: tuple[int, ...] | list[int]) -> str:
    parts = []
    for a, b in runs(values):
        if a == b:
            parts.append(str(a))
        elif b == a + 1:
            parts.extend((str(a), str(b)))
        else:
            parts.append(f"{a}-{b}")
    return join(parts)


def _time_part(spec: CronFields, tz: str) -> str:
    if len(spec.times) <= 4:
        return "at " + join([f"{t // 60:02d}:{t % 60:02d}" for t in spec.times]) + f" {tz}"
    if len(spec.minutes) == 60:
        minutes = "every minute"
    else:
        label = "minutes" if len(spec.minutes) > 1 else "minute"
        minutes = f"at {label} {_number_runs(spec.minutes)}"
    if len(spec.hours) == 24:
        hours = "of every hour"
    else:
        label = "hours" if len(spec.hours) > 1 else "hour"
        hours = f"of {label} {_number_runs(spec.hours)}"
    return f"{minutes} {hours} {tz},"


def _months_text(spec: CronFields) -> str | None:
    """None for every month, else ``January and July``."""
    if len(spec.months) == 12:
        return None
    return _named_runs(spec.months, MONTHS, 1)


def _day_part(spec: CronFields) -> str:
    rule = spec.days
    months = _months_text(spec)
    of_months = f"of {months}" if months else "of every month"
    if rule.dom_values is not None:
        if len(rule.dom_values) == 31:
            return f"every day in {months}" if months else "every day"
        values = sorted(rule.dom_values)
        label = "day" if len(values) == 1 else "days"
        return f"on {label} {_number_runs(values)} {of_months}"
    if rule.dom_last_offset is not None:
        if rule.dom_last_offset == 0:
            return f"on the last day {of_months}"
        days = "day" if rule.dom_last_offset == 1 else "days"
        return f"{rule.dom_last_offset} {days} before the last day {of_months}"
    if rule.dom_last_weekday:
        return f"on the last weekday {of_months}"
    if rule.dom_nearest_weekday is not None:
        return f"on the weekday nearest day {rule.dom_nearest_weekday} {of_months}"
    if rule.dow_values is not None:
        if len(rule.dow_values) == 7:
            return f"every day in {months}" if months else "every day"
        days_text = _named_runs(sorted(rule.dow_values), WEEKDAYS, 1)
        return f"every {days_text}" + (f" in {months}" if months else "")
    if rule.dow_last is not None:
        return f"on the last {WEEKDAYS[rule.dow_last - 1]} {of_months}"
    assert rule.dow_nth is not None
    weekday, nth = rule.dow_nth
    return f"on the {ORDINALS[nth - 1]} {WEEKDAYS[weekday - 1]} {of_months}"


def _year_part(spec: CronFields, every_year: bool) -> str:
    years = spec.years
    if every_year:
        return ""
    if len(years) > 6 and len(runs(years)) > 3:
        step = years[1] - years[0]
        if all(b - a == step for a, b in itertools.pairwise(years)):
            return f" every {step} years from {years[0]} to {years[-1]}"
    return " in " + _number_runs(years)


def describe(spec: CronFields, tz: str = "UTC", *, every_year: bool = True) -> str:
    """``at 05:00 Europe/Paris on the last Friday of every month``.

    ``every_year`` says that the year field allows every year the parser knows, so no year
    part is written.
    """
    return f"{_time_part(spec, tz)} {_day_part(spec)}{_year_part(spec, every_year)}"
