"""A backup rule's schedule (:func:`vaultplan.spec.rules.schedule_problems`): exact messages.

AWS Backup takes EventBridge cron and nothing more frequent than hourly
(https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html).
"""

from __future__ import annotations

import pytest

from vaultplan.spec.rules import schedule_problems

SCHEDULES: dict[str, tuple[str, list[str]]] = {
    "seed daily": ("cron(0 8 * * ? *)", []),
    "seed monthly": ("cron(0 8 1 * ? *)", []),
    "hourly is the most frequent allowed": ("cron(0 * * * ? *)", []),
    "last Friday in Paris-style syntax": ("cron(0 5 ? * 6L *)", []),
    "every 30 minutes": (
        "cron(0,30 * * * ? *)",
        [
            "rules[0].schedule: got 'cron(0,30 * * * ? *)'; it fires every 30 minutes at "
            "times, and AWS Backup allows no more often than hourly (at least 60 minutes "
            "between backups)"
        ],
    ),
    "twice in an hour across midnight": (
        "cron(10,50 0,23 * * ? *)",
        [
            "rules[0].schedule: got 'cron(10,50 0,23 * * ? *)'; it fires every 20 minutes at "
            "times, and AWS Backup allows no more often than hourly (at least 60 minutes "
            "between backups)"
        ],
    ),
    "30 February never fires": (
        "cron(0 8 30 2 ? *)",
        [
            "rules[0].schedule: got 'cron(0 8 30 2 ? *)'; this schedule never fires (no "
            "calendar day matches), e.g. the 30th of February; pick days that exist"
        ],
    ),
    "rate()": (
        "rate(1 day)",
        [
            "rules[0].schedule: got 'rate(1 day)'; AWS Backup takes cron() expressions only, "
            "not rate(); write the schedule as cron(minutes hours day-of-month month "
            "day-of-week year), e.g. 'cron(0 5 ? * * *)'"
        ],
    ),
    "both day fields set": (
        "cron(0 8 1 * MON *)",
        [
            "rules[0].schedule: got 'cron(0 8 1 * MON *)'; exactly one of day-of-month and "
            "day-of-week must be '?' (neither is '?'), e.g. 'cron(0 8 * * ? *)' or "
            "'cron(0 8 ? * MON *)'"
        ],
    ),
}


@pytest.mark.parametrize(("value", "expected"), SCHEDULES.values(), ids=SCHEDULES.keys())
def test_schedule(value: str, expected: list[str]) -> None:
    assert schedule_problems(value, field="rules[0].schedule") == expected


def test_schedule_that_is_not_a_string() -> None:
    assert schedule_problems(8) == [  # type: ignore[arg-type]
        "schedule: got 8; a schedule is a cron() string, e.g. 'cron(0 5 ? * * *)'"
    ]


def test_schedule_default_field() -> None:
    assert schedule_problems("cron(0 8 * *)")[0].startswith("schedule: got 'cron(0 8 * *)'; ")
