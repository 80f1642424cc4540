"""A backup rule's limits (:mod:`vaultplan.aws.plan_rules`): named cases, exact messages.

Sources: API_Lifecycle, API_BackupRuleInput, point-in-time-recovery (pages under
https://docs.aws.amazon.com/aws-backup/latest/devguide/).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vaultplan.aws import plan_rules

# -- lifecycle (API_Lifecycle) -------------------------------------------------------------

LIFECYCLES: dict[str, tuple[int | None, int | None, list[str]]] = {
    "seed daily: delete only": (None, 35, []),
    "seed monthly: cold 30, delete 365": (30, 365, []),
    "exactly cold + 90": (30, 120, []),
    "cold only": (30, None, []),
    "neither": (None, None, []),
    "maximum 36500": (None, 36500, []),
    "delete before cold + 90": (
        30,
        100,
        [
            "lifecycle: got move_to_cold_storage_after_days=30, delete_after_days=100; "
            "delete_after_days must be at least move_to_cold_storage_after_days + 90 = 120 "
            "(AWS Backup keeps cold recovery points at least 90 days)"
        ],
    ),
    "delete over 36500": (
        None,
        36501,
        ["lifecycle.delete_after_days: got 36501; delete after must be 1 to 36500 days"],
    ),
    "zero days": (
        0,
        None,
        [
            "lifecycle.move_to_cold_storage_after_days: got 0; move to cold storage after must "
            "be 1 to 36500 days"
        ],
    ),
    "both out of range": (
        -1,
        0,
        [
            "lifecycle.move_to_cold_storage_after_days: got -1; move to cold storage after "
            "must be 1 to 36500 days",
            "lifecycle.delete_after_days: got 0; delete after must be 1 to 36500 days",
        ],
    ),
}


@pytest.mark.parametrize(("cold", "delete", "expected"), LIFECYCLES.values(), ids=LIFECYCLES.keys())
def test_lifecycle(cold: int | None, delete: int | None, expected: list[str]) -> None:
    assert plan_rules.lifecycle(cold, delete) == expected


def test_lifecycle_wrong_type_and_field() -> None:
    assert plan_rules.lifecycle(None, "35", field="rules[1]") == [  # type: ignore[arg-type]
        "rules[1].delete_after_days: got '35'; delete after is a whole number of days, 1 to 36500"
    ]


# -- windows (API_BackupRuleInput; botocore StartWindowMinutes doc) ------------------------

WINDOWS: dict[str, tuple[Callable[..., list[str]], int | None, list[str]]] = {
    "start: unset": (plan_rules.start_window, None, []),
    "start: 60 is the minimum": (plan_rules.start_window, 60, []),
    "start: console default 8 hours": (plan_rules.start_window, 480, []),
    "start: 100 years is the maximum": (plan_rules.start_window, 52_560_000, []),
    "start: 59": (
        plan_rules.start_window,
        59,
        [
            "start_window_minutes: got 59; a start window is a whole number of minutes from 60 "
            "to 52560000 (100 years)"
        ],
    ),
    "start: over 100 years": (
        plan_rules.start_window,
        52_560_001,
        [
            "start_window_minutes: got 52560001; a start window is a whole number of minutes "
            "from 60 to 52560000 (100 years)"
        ],
    ),
    "completion: unset": (plan_rules.completion_window, None, []),
    "completion: 1 (no documented minimum)": (plan_rules.completion_window, 1, []),
    "completion: console default 7 days": (plan_rules.completion_window, 10080, []),
    "completion: 0": (
        plan_rules.completion_window,
        0,
        [
            "completion_window_minutes: got 0; a completion window is a whole number of "
            "minutes, 1 or more"
        ],
    ),
}


@pytest.mark.parametrize(("func", "value", "expected"), WINDOWS.values(), ids=WINDOWS.keys())
def test_windows(func: Callable[..., list[str]], value: int | None, expected: list[str]) -> None:
    assert func(value) == expected


# -- time zone (API_BackupRuleInput: ScheduleExpressionTimezone) ---------------------------

TIMEZONES: dict[str, tuple[str, list[str]]] = {
    "tz: UTC": ("UTC", []),
    "tz: Europe/Paris": ("Europe/Paris", []),
    "tz: America/Argentina/Buenos_Aires": ("America/Argentina/Buenos_Aires", []),
    "tz: abbreviation": (
        "CET ",
        ["schedule_timezone: got 'CET '; use an IANA time zone name, e.g. 'UTC' or 'Europe/Paris'"],
    ),
    "tz: made up": (
        "Mars/Olympus",
        [
            "schedule_timezone: got 'Mars/Olympus'; use an IANA time zone name, e.g. 'UTC' or "
            "'Europe/Paris'"
        ],
    ),
    "tz: offset": (
        "+02:00",
        [
            "schedule_timezone: got '+02:00'; use an IANA time zone name, e.g. 'UTC' or "
            "'Europe/Paris'"
        ],
    ),
}


@pytest.mark.parametrize(("value", "expected"), TIMEZONES.values(), ids=TIMEZONES.keys())
def test_timezone(value: str, expected: list[str]) -> None:
    assert plan_rules.timezone(value) == expected


# -- continuous backup (point-in-time-recovery) --------------------------------------------

CONTINUOUS: dict[str, tuple[int | None, int | None, list[str]]] = {
    "35 days is the maximum": (35, None, []),
    "1 day is the minimum": (1, None, []),
    "default retention": (None, None, []),
    "36 days": (
        36,
        None,
        ["lifecycle.delete_after_days: got 36; continuous backups are kept 1 to 35 days"],
    ),
    "with cold storage": (
        35,
        7,
        [
            "lifecycle.move_to_cold_storage_after_days: got 7; continuous backups cannot move "
            "to cold storage, remove this setting"
        ],
    ),
}


@pytest.mark.parametrize(("delete", "cold", "expected"), CONTINUOUS.values(), ids=CONTINUOUS.keys())
def test_continuous_backup(delete: int | None, cold: int | None, expected: list[str]) -> None:
    assert plan_rules.continuous_backup(delete, cold) == expected
