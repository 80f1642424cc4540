"""AwsCron.describe: schedules in plain English, as `synth` and `simulate` print them."""

from __future__ import annotations

import pytest

from vaultplan.schedule import parse_cron

WORDS = {
    "seed daily": ("cron(0 8 * * ? *)", "UTC", "at 08:00 UTC every day"),
    "seed monthly": ("cron(0 8 1 * ? *)", "UTC", "at 08:00 UTC on day 1 of every month"),
    "AWS default": ("cron(0 5 ? * * *)", "UTC", "at 05:00 UTC every day"),
    "last Friday in Paris": (
        "cron(0 5 ? * 6L *)",
        "Europe/Paris",
        "at 05:00 Europe/Paris on the last Friday of every month",
    ),
    "weekdays": ("cron(0 5 ? * MON-FRI *)", "UTC", "at 05:00 UTC every Monday to Friday"),
    "wrap-around weekdays": (
        "cron(0 5 ? * FRI-MON *)",
        "UTC",
        "at 05:00 UTC every Friday to Monday",
    ),
    "weekend": ("cron(0 5 ? * 1,7 *)", "UTC", "at 05:00 UTC every Saturday and Sunday"),
    "L alone is Saturday": ("cron(0 5 ? * L *)", "UTC", "at 05:00 UTC every Saturday"),
    "some weekdays": (
        "cron(0 5 ? * 2,4,6 *)",
        "UTC",
        "at 05:00 UTC every Monday, Wednesday and Friday",
    ),
    "last day": ("cron(0 8 L * ? *)", "UTC", "at 08:00 UTC on the last day of every month"),
    "days before the last": (
        "cron(0 8 L-2 * ? *)",
        "UTC",
        "at 08:00 UTC 2 days before the last day of every month",
    ),
    "last weekday": (
        "cron(0 8 LW * ? *)",
        "UTC",
        "at 08:00 UTC on the last weekday of every month",
    ),
    "nearest weekday": (
        "cron(0 8 15W * ? *)",
        "UTC",
        "at 08:00 UTC on the weekday nearest day 15 of every month",
    ),
    "second Tuesday": (
        "cron(0 8 ? * 3#2 *)",
        "UTC",
        "at 08:00 UTC on the second Tuesday of every month",
    ),
    "two months": ("cron(0 8 1 1,7 ? *)", "UTC", "at 08:00 UTC on day 1 of January and July"),
    "wrap-around months": (
        "cron(0 8 1 NOV-FEB ? *)",
        "UTC",
        "at 08:00 UTC on day 1 of November to February",
    ),
    "every day of some months": (
        "cron(0 8 * 6-8 ? *)",
        "UTC",
        "at 08:00 UTC every day in June to August",
    ),
    "day list and range": (
        "cron(0 8 1-5,15 * ? *)",
        "UTC",
        "at 08:00 UTC on days 1-5 and 15 of every month",
    ),
    "four times a day": (
        "cron(0 */6 * * ? *)",
        "UTC",
        "at 00:00, 06:00, 12:00 and 18:00 UTC every day",
    ),
    "hourly": ("cron(0 * * * ? *)", "UTC", "at minute 0 of every hour UTC, every day"),
    "some hours": (
        "cron(30 0-5,20 ? * MON *)",
        "UTC",
        "at minute 30 of hours 0-5 and 20 UTC, every Monday",
    ),
    "one year": ("cron(0 8 1 1 ? 2027)", "UTC", "at 08:00 UTC on day 1 of January in 2027"),
    "a year range": (
        "cron(0 8 1 * ? 2027-2030)",
        "UTC",
        "at 08:00 UTC on day 1 of every month in 2027-2030",
    ),
    "every other year": (
        "cron(0 8 1 1 ? 2026/2)",
        "UTC",
        "at 08:00 UTC on day 1 of January every 2 years from 2026 to 2198",
    ),
}


@pytest.mark.parametrize(("expression", "tz", "words"), WORDS.values(), ids=WORDS.keys())
def test_describe(expression: str, tz: str, words: str) -> None:
    assert parse_cron(expression).describe(tz) == words


def test_describe_defaults_to_utc() -> None:
    assert parse_cron("cron(0 8 * * ? *)").describe() == "at 08:00 UTC every day"
