"""Evaluating AWS cron: named cases worked out by hand from the calendar.

Semantics (EventBridge user guide, cron expressions,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html):
`L` in day-of-month is the last day, `W` the nearest weekday within the month, `nL` in
day-of-week the last such weekday, `n#k` the k-th one, and `L` alone in day-of-week the last
day of the week (Saturday). Schedules are in UTC unless a time zone is given
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from aws_croniter import AwsCroniter

from vaultplan.schedule import parse_cron


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def fires(expression: str, start: datetime, count: int, tz: str = "UTC") -> list[datetime]:
    cron = parse_cron(expression)
    out: list[datetime] = []
    moment = start
    for _ in range(count):
        found = cron.next_fire(moment, tz)
        assert found is not None
        out.append(found)
        moment = found
    return out


NEXT = {
    "seed daily": ("cron(0 8 * * ? *)", utc(2026, 1, 1), [utc(2026, 1, 1, 8), utc(2026, 1, 2, 8)]),
    "seed monthly": (
        "cron(0 8 1 * ? *)",
        utc(2026, 1, 1),
        [utc(2026, 1, 1, 8), utc(2026, 2, 1, 8), utc(2026, 3, 1, 8)],
    ),
    "31st skips short months": (
        "cron(0 5 31 * ? *)",
        utc(2026, 4, 1),
        [utc(2026, 5, 31, 5), utc(2026, 7, 31, 5), utc(2026, 8, 31, 5), utc(2026, 10, 31, 5)],
    ),
    "Feb 29 only in leap years": (
        "cron(0 0 29 2 ? *)",
        utc(2026, 1, 1),
        [utc(2028, 2, 29), utc(2032, 2, 29)],
    ),
    "Feb 29 2100 is not a leap day": (
        "cron(0 0 29 2 ? *)",
        utc(2097, 1, 1),
        [utc(2104, 2, 29)],
    ),
    "L is the last day": (
        "cron(0 8 L * ? *)",
        utc(2027, 12, 31, 9),
        [utc(2028, 1, 31, 8), utc(2028, 2, 29, 8), utc(2028, 3, 31, 8), utc(2028, 4, 30, 8)],
    ),
    "L-2": ("cron(0 8 L-2 2 ? *)", utc(2026, 1, 1), [utc(2026, 2, 26, 8), utc(2027, 2, 26, 8)]),
    "LW: 2026-01-31 is a Saturday, 2026-05-31 a Sunday": (
        "cron(0 8 LW * ? 2026)",
        utc(2026, 1, 1),
        [
            utc(2026, 1, 30, 8),
            utc(2026, 2, 27, 8),
            utc(2026, 3, 31, 8),
            utc(2026, 4, 30, 8),
            utc(2026, 5, 29, 8),
        ],
    ),
    "15W: Sunday 2026-03-15 moves to Monday": (
        "cron(0 8 15W 3 ? 2026)",
        utc(2026, 1, 1),
        [utc(2026, 3, 16, 8)],
    ),
    "15W: Saturday 2026-08-15 moves to Friday": (
        "cron(0 8 15W 8 ? 2026)",
        utc(2026, 1, 1),
        [utc(2026, 8, 14, 8)],
    ),
    "1W: Saturday 2026-08-01 moves forward to Monday, staying in the month": (
        "cron(0 8 1W 8 ? 2026)",
        utc(2026, 1, 1),
        [utc(2026, 8, 3, 8)],
    ),
    "31W: Sunday 2026-05-31 moves back to Friday, staying in the month": (
        "cron(0 8 31W 5 ? 2026)",
        utc(2026, 1, 1),
        [utc(2026, 5, 29, 8)],
    ),
    "6#3 is the third Friday": (
        "cron(0 5 ? * 6#3 *)",
        utc(2026, 11, 1),
        [utc(2026, 11, 20, 5), utc(2026, 12, 18, 5)],
    ),
    "2#5: only months with five Mondays": (
        "cron(0 0 ? * 2#5 2026)",
        utc(2026, 1, 1),
        [utc(2026, 3, 30), utc(2026, 6, 29), utc(2026, 8, 31), utc(2026, 11, 30)],
    ),
    "6L is the last Friday": (
        "cron(0 5 ? * 6L *)",
        utc(2026, 11, 1),
        [utc(2026, 11, 27, 5), utc(2026, 12, 25, 5)],
    ),
    "L alone in day-of-week is every Saturday": (
        "cron(0 5 ? * L *)",
        utc(2026, 11, 1),
        [utc(2026, 11, 7, 5), utc(2026, 11, 14, 5)],
    ),
    "FRI-MON wraps around the week": (
        "cron(0 5 ? * FRI-MON *)",
        utc(2026, 11, 2, 6),  # a Monday, after 05:00
        [
            utc(2026, 11, 6, 5),
            utc(2026, 11, 7, 5),
            utc(2026, 11, 8, 5),
            utc(2026, 11, 9, 5),
            utc(2026, 11, 13, 5),
        ],
    ),
    "NOV-FEB wraps around the year": (
        "cron(0 0 1 NOV-FEB ? *)",
        utc(2026, 10, 15),
        [utc(2026, 11, 1), utc(2026, 12, 1), utc(2027, 1, 1), utc(2027, 2, 1), utc(2027, 11, 1)],
    ),
    "22-1 wraps around the day": (
        "cron(0 22-1 * * ? *)",
        utc(2026, 1, 1, 12),
        [
            utc(2026, 1, 1, 22),
            utc(2026, 1, 1, 23),
            utc(2026, 1, 2, 0),
            utc(2026, 1, 2, 1),
            utc(2026, 1, 2, 22),
        ],
    ),
    "steps from a start": (
        "cron(15 1/8 * * ? *)",
        utc(2026, 1, 1),
        [
            utc(2026, 1, 1, 1, 15),
            utc(2026, 1, 1, 9, 15),
            utc(2026, 1, 1, 17, 15),
            utc(2026, 1, 2, 1, 15),
        ],
    ),
}


@pytest.mark.parametrize(("expression", "start", "expected"), NEXT.values(), ids=NEXT.keys())
def test_next_fire_named_cases(expression: str, start: datetime, expected: list[datetime]) -> None:
    assert fires(expression, start, len(expected)) == expected


def test_next_fire_is_strictly_after_and_fires_between_is_half_open() -> None:
    cron = parse_cron("cron(0 8 * * ? *)")
    assert cron.next_fire(utc(2026, 1, 1, 8)) == utc(2026, 1, 2, 8)
    assert cron.next_fire(utc(2026, 1, 1, 7, 59, 59)) == utc(2026, 1, 1, 8)
    assert cron.next_fire(utc(2026, 1, 1, 8, 0, 1)) == utc(2026, 1, 2, 8)
    assert list(cron.fires_between(utc(2026, 1, 1, 8), utc(2026, 1, 3, 8))) == [
        utc(2026, 1, 1, 8),
        utc(2026, 1, 2, 8),
    ]


def test_results_are_aware_utc_whatever_zone_the_input_is_in() -> None:
    from zoneinfo import ZoneInfo

    start = datetime(2026, 1, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 08:00 UTC
    found = parse_cron("cron(0 8 * * ? *)").next_fire(start)
    assert found == utc(2026, 1, 2, 8)
    assert found is not None and found.tzinfo is UTC


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="time-zone-aware"):
        parse_cron("cron(0 8 * * ? *)").next_fire(datetime(2026, 1, 1))


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="got 'Mars/Olympus'; use an IANA time zone name"):
        parse_cron("cron(0 8 * * ? *)").next_fire(utc(2026, 1, 1), "Mars/Olympus")


def test_no_more_fires_gives_none() -> None:
    assert parse_cron("cron(0 8 1 1 ? 2020)").next_fire(utc(2026, 1, 1)) is None
    assert parse_cron("cron(0 8 31 12 ? 2199)").next_fire(utc(2199, 12, 31, 8)) is None
    assert (
        list(parse_cron("cron(0 8 1 1 ? 2020)").fires_between(utc(2026, 1, 1), utc(2030, 1, 1)))
        == []
    )


# -- time zones and daylight saving time (Europe/Paris 2026: forward on 29 March at 02:00,
#    back on 25 October at 03:00; America/New_York: 8 March and 1 November) --------------


def test_paris_winter_and_summer_offsets() -> None:
    assert fires("cron(0 8 * * ? *)", utc(2026, 1, 10), 1, "Europe/Paris") == [utc(2026, 1, 10, 7)]
    assert fires("cron(0 8 * * ? *)", utc(2026, 7, 10), 1, "Europe/Paris") == [utc(2026, 7, 10, 6)]


def test_spring_forward_skips_the_missing_local_time() -> None:
    got = list(
        parse_cron("cron(30 2 * * ? *)").fires_between(
            utc(2026, 3, 27), utc(2026, 3, 31), "Europe/Paris"
        )
    )
    # 02:30 on 29 March does not exist in Paris.
    assert got == [utc(2026, 3, 27, 1, 30), utc(2026, 3, 28, 1, 30), utc(2026, 3, 30, 0, 30)]


def test_fall_back_fires_the_repeated_local_time_once_at_its_first_occurrence() -> None:
    got = list(
        parse_cron("cron(30 2 * * ? *)").fires_between(
            utc(2026, 10, 24), utc(2026, 10, 27), "Europe/Paris"
        )
    )
    assert got == [utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]


def test_hourly_across_fall_back_in_new_york() -> None:
    got = list(
        parse_cron("cron(0 * * * ? *)").fires_between(
            utc(2026, 11, 1, 4), utc(2026, 11, 1, 8), "America/New_York"
        )
    )
    # local 00:00 EDT, 01:00 EDT (the repeated 01:00 EST does not fire again), 02:00 EST, 03:00 EST
    assert got == [utc(2026, 11, 1, 4), utc(2026, 11, 1, 5), utc(2026, 11, 1, 7)]


def test_next_fire_from_inside_the_repeated_hour() -> None:
    cron = parse_cron("cron(45 1 * * ? *)")
    # 06:10 UTC is 01:10 EST, the second pass of 01:xx; 01:45 already fired at 05:45 UTC.
    assert cron.next_fire(utc(2026, 11, 1, 6, 10), "America/New_York") == utc(2026, 11, 2, 6, 45)
    assert cron.next_fire(utc(2026, 11, 1, 5, 10), "America/New_York") == utc(2026, 11, 1, 5, 45)


def test_lord_howe_half_hour_dst_shift() -> None:
    # Australia/Lord_Howe moves 30 minutes: 02:00 -> 02:30 on 2026-10-04.
    got = list(
        parse_cron("cron(0,15,30,45 2 * * ? *)").fires_between(
            utc(2026, 10, 3, 12), utc(2026, 10, 4, 12), "Australia/Lord_Howe"
        )
    )
    assert [g.astimezone(UTC).strftime("%H:%M") for g in got] == ["15:30", "15:45"]


# -- can_ever_fire and min_interval_minutes ------------------------------------------------

NEVER = {
    "30 February": "cron(0 8 30 2 ? *)",
    "31 April": "cron(0 0 31 4 ? *)",
    "31W in a 30-day month": "cron(0 0 31W 6 ? *)",
    "L-30 in February": "cron(0 0 L-30 2 ? *)",
    "no fifth Monday in February 2025-2043": "cron(0 0 ? 2 2#5 2025-2043)",
}


@pytest.mark.parametrize("expression", NEVER.values(), ids=NEVER.keys())
def test_schedules_that_never_fire(expression: str) -> None:
    cron = parse_cron(expression)
    assert cron.can_ever_fire() is False
    assert cron.next_fire(utc(1970, 1, 1)) is None
    assert cron.min_interval_minutes() is None


def test_fifth_monday_of_february_does_happen_in_2044() -> None:
    cron = parse_cron("cron(0 0 ? 2 2#5 *)")
    assert cron.can_ever_fire() is True
    assert cron.next_fire(utc(2026, 1, 1)) == utc(2044, 2, 29)


INTERVALS = {
    "daily": ("cron(0 8 * * ? *)", 1440),
    "monthly on the 1st: February is shortest": ("cron(0 8 1 * ? *)", 28 * 1440),
    "every 2 hours": ("cron(0 */2 * * ? *)", 120),
    "hourly": ("cron(0 * * * ? *)", 60),
    "twice an hour": ("cron(0,30 * * * ? *)", 30),
    "23:50 then 00:10 next day": ("cron(10,50 0,23 * * ? *)", 20),
    "weekdays only": ("cron(0 8 ? * MON-FRI *)", 1440),
    "last Friday": ("cron(0 5 ? * 6L *)", 28 * 1440),
    "once ever": ("cron(0 8 1 1 ? 2030)", None),
    "yearly on Feb 29": ("cron(0 0 29 2 ? *)", 4 * 365 * 1440 + 1440),
}


@pytest.mark.parametrize(("expression", "minutes"), INTERVALS.values(), ids=INTERVALS.keys())
def test_min_interval_minutes(expression: str, minutes: int | None) -> None:
    assert parse_cron(expression).min_interval_minutes() == minutes


# -- a third opinion: aws-croniter agrees in UTC where it has no documented gap -----------

AGREE = [
    "cron(0 8 * * ? *)",
    "cron(0 8 1 * ? *)",
    "cron(0 5 31 * ? *)",
    "cron(0 0 29 2 ? *)",
    "cron(0 8 L * ? *)",
    "cron(0 8 15W * ? *)",
    "cron(0 5 ? * 6#3 *)",
    "cron(0 5 ? * 6L *)",
    "cron(0 5 ? * FRI-MON *)",
    "cron(30 */5 1-10/3 JAN,MAR-MAY ? 2026-2030)",
]


@pytest.mark.parametrize("expression", AGREE)
def test_agrees_with_aws_croniter_in_utc(expression: str) -> None:
    # 18 fires: aws-croniter 2.1.1 returns None for Feb 29 after 2096 (it gives up before
    # reaching 2104, since 2100 is no leap year); we find 2104 (see "Feb 29 2100" above).
    ours = fires(expression, utc(2026, 1, 1), 18)
    theirs = AwsCroniter(expression[5:-1]).get_next(utc(2026, 1, 1), 18)
    assert ours == [t.astimezone(UTC) for t in theirs]


def test_ten_years_of_the_seed_daily_rule() -> None:
    got = list(parse_cron("cron(0 8 * * ? *)").fires_between(utc(2026, 1, 1), utc(2036, 1, 1)))
    assert len(got) == (datetime(2036, 1, 1) - datetime(2026, 1, 1)).days
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(got))
