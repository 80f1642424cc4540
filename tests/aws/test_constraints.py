"""AWS Backup's constraints as pure functions: named valid and invalid cases, exact messages.

Facts are cited from /work/shared/AWS-FACTS.md by line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from vaultplan.aws import constraints as c


def case(func: Callable[..., list[str]], *args: Any, field: str | None = None) -> list[str]:
    return func(*args) if field is None else func(*args, field=field)


# -- names (AWS-FACTS lines 44-47) ---------------------------------------------------------

NAMES: dict[str, tuple[Callable[..., list[str]], object, list[str]]] = {
    "vault: site name": (c.vault_name, "example", []),
    "vault: 2 characters is the minimum": (c.vault_name, "ab", []),
    "vault: 50 characters is the maximum": (c.vault_name, "a" * 50, []),
    "vault: dashes and underscores": (c.vault_name, "my-vault_1", []),
    "vault: 1 character": (
        c.vault_name,
        "a",
        ["vault name: got 'a'; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "vault: 51 characters": (
        c.vault_name,
        "a" * 51,
        [f"vault name: got {'a' * 51!r}; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "vault: dots are not allowed (unlike rules)": (
        c.vault_name,
        "my.vault",
        ["vault name: got 'my.vault'; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "vault: spaces": (
        c.vault_name,
        "my vault",
        ["vault name: got 'my vault'; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "vault: trailing newline is not let through by $": (
        c.vault_name,
        "vault\n",
        ["vault name: got 'vault\\n'; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "rule: seed rule": (c.rule_name, "exampleDailyWarmBackup", []),
    "rule: one character with a dot": (c.rule_name, ".", []),
    "rule: empty": (
        c.rule_name,
        "",
        ["rule name: got ''; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
    "rule: slash": (
        c.rule_name,
        "a/b",
        ["rule name: got 'a/b'; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
    "selection: seed selection": (c.selection_name, "exampleEFS", []),
    "selection: 51 characters": (
        c.selection_name,
        "s" * 51,
        [f"selection name: got {'s' * 51!r}; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
    "plan: seed plan": (c.plan_name, "exampleEFSBackupPlan", []),
    "plan: not a string": (
        c.plan_name,
        42,
        ["plan name: got 42; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
    "plan: non-ASCII letter": (
        c.plan_name,
        "plän",
        ["plan name: got 'plän'; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
}


@pytest.mark.parametrize(("func", "value", "expected"), NAMES.values(), ids=NAMES.keys())
def test_names(func: Callable[..., list[str]], value: object, expected: list[str]) -> None:
    assert func(value) == expected


def test_names_take_the_callers_field() -> None:
    assert c.vault_name("a", field="site_name") == [
        "site_name: got 'a'; use 2 to 50 letters, digits, '-' or '_'"
    ]


def test_name_patterns_match_botocore() -> None:
    from botocore.loaders import Loader

    shapes = Loader().load_service_model("backup", "service-2")["shapes"]
    assert shapes["BackupVaultName"]["pattern"] == r"^[a-zA-Z0-9\-\_]{2,50}$"
    assert shapes["BackupRuleName"]["pattern"] == r"^[a-zA-Z0-9\-\_\.]{1,50}$"


# -- schedule (AWS-FACTS lines 9-21) -------------------------------------------------------

SCHEDULES: dict[str, tuple[str, list[str]]] = {
    "seed daily": ("cron(0 8 * * ? *)", []),
    "seed monthly": ("cron(0 8 1 * ? *)", []),
    "hourly is the most frequent allowed (line 11-12)": ("cron(0 * * * ? *)", []),
    "last Friday in Paris-style syntax": ("cron(0 5 ? * 6L *)", []),
    "every 30 minutes (line 11-12)": (
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
    "rate() (line 12-13)": (
        "rate(1 day)",
        [
            "rules[0].schedule: got 'rate(1 day)'; AWS Backup takes cron() expressions only, "
            "not rate(); write the schedule as cron(minutes hours day-of-month month "
            "day-of-week year), e.g. 'cron(0 5 ? * * *)'"
        ],
    ),
    "both day fields set (line 20)": (
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
    assert c.schedule(value, field="rules[0].schedule") == expected


def test_schedule_that_is_not_a_string() -> None:
    assert c.schedule(8) == [  # type: ignore[arg-type]
        "schedule: got 8; a schedule is a cron() string, e.g. 'cron(0 5 ? * * *)'"
    ]


def test_schedule_default_field() -> None:
    assert c.schedule("cron(0 8 * *)")[0].startswith("schedule: got 'cron(0 8 * *)'; ")


# -- lifecycle (AWS-FACTS lines 31-38) -----------------------------------------------------

LIFECYCLES: dict[str, tuple[int | None, int | None, list[str]]] = {
    "seed daily: delete only": (None, 35, []),
    "seed monthly: cold 30, delete 365": (30, 365, []),
    "exactly cold + 90 (line 34)": (30, 120, []),
    "cold only": (30, None, []),
    "neither": (None, None, []),
    "maximum 36500 (line 36)": (None, 36500, []),
    "delete before cold + 90 (line 34)": (
        30,
        100,
        [
            "lifecycle: got move_to_cold_storage_after_days=30, delete_after_days=100; "
            "delete_after_days must be at least move_to_cold_storage_after_days + 90 = 120 "
            "(AWS Backup keeps cold recovery points at least 90 days)"
        ],
    ),
    "delete over 36500 (line 36)": (
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
    assert c.lifecycle(cold, delete) == expected


def test_lifecycle_wrong_type_and_field() -> None:
    assert c.lifecycle(None, "35", field="rules[1]") == [  # type: ignore[arg-type]
        "rules[1].delete_after_days: got '35'; delete after is a whole number of days, 1 to 36500"
    ]


# -- windows (AWS-FACTS lines 22-25; botocore StartWindowMinutes doc) ----------------------

WINDOWS: dict[str, tuple[Callable[..., list[str]], int | None, list[str]]] = {
    "start: unset": (c.start_window, None, []),
    "start: 60 is the minimum (line 22)": (c.start_window, 60, []),
    "start: console default 8 hours (line 23)": (c.start_window, 480, []),
    "start: 100 years is the maximum (line 22)": (c.start_window, 52_560_000, []),
    "start: 59": (
        c.start_window,
        59,
        [
            "start_window_minutes: got 59; a start window is a whole number of minutes from 60 "
            "to 52560000 (100 years)"
        ],
    ),
    "start: over 100 years": (
        c.start_window,
        52_560_001,
        [
            "start_window_minutes: got 52560001; a start window is a whole number of minutes "
            "from 60 to 52560000 (100 years)"
        ],
    ),
    "completion: unset": (c.completion_window, None, []),
    "completion: 1 (no documented minimum, line 24-25)": (c.completion_window, 1, []),
    "completion: console default 7 days (line 23-24)": (c.completion_window, 10080, []),
    "completion: 0": (
        c.completion_window,
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


# -- time zone (AWS-FACTS lines 9-10) and EFS id -------------------------------------------

OTHERS: dict[str, tuple[Callable[..., list[str]], str, list[str]]] = {
    "tz: UTC": (c.timezone, "UTC", []),
    "tz: Europe/Paris": (c.timezone, "Europe/Paris", []),
    "tz: America/Argentina/Buenos_Aires": (c.timezone, "America/Argentina/Buenos_Aires", []),
    "tz: abbreviation": (
        c.timezone,
        "CET ",
        ["schedule_timezone: got 'CET '; use an IANA time zone name, e.g. 'UTC' or 'Europe/Paris'"],
    ),
    "tz: made up": (
        c.timezone,
        "Mars/Olympus",
        [
            "schedule_timezone: got 'Mars/Olympus'; use an IANA time zone name, e.g. 'UTC' or "
            "'Europe/Paris'"
        ],
    ),
    "tz: offset": (
        c.timezone,
        "+02:00",
        [
            "schedule_timezone: got '+02:00'; use an IANA time zone name, e.g. 'UTC' or "
            "'Europe/Paris'"
        ],
    ),
    "efs: 17 hex digits": (c.efs_id, "fs-0123456789abcdef0", []),
    "efs: 8 hex digits (old form)": (c.efs_id, "fs-12345678", []),
    "efs: upper case": (
        c.efs_id,
        "fs-0123456789ABCDEF0",
        [
            "file system id: got 'fs-0123456789ABCDEF0'; an EFS file system id is 'fs-' followed "
            "by 8 to 40 lowercase hex digits, e.g. 'fs-0123456789abcdef0'"
        ],
    ),
    "efs: an ARN": (
        c.efs_id,
        "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-12345678",
        [
            "file system id: got "
            "'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-12345678'; an EFS "
            "file system id is 'fs-' followed by 8 to 40 lowercase hex digits, e.g. "
            "'fs-0123456789abcdef0'"
        ],
    ),
    "efs: not hex": (
        c.efs_id,
        "fs-xyz12345",
        [
            "file system id: got 'fs-xyz12345'; an EFS file system id is 'fs-' followed by 8 to "
            "40 lowercase hex digits, e.g. 'fs-0123456789abcdef0'"
        ],
    ),
}


@pytest.mark.parametrize(("func", "value", "expected"), OTHERS.values(), ids=OTHERS.keys())
def test_timezone_and_efs_id(
    func: Callable[..., list[str]], value: str, expected: list[str]
) -> None:
    assert func(value) == expected


# -- continuous backup (AWS-FACTS lines 42-43) ---------------------------------------------

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
    assert c.continuous_backup(delete, cold) == expected


# -- vault lock (AWS-FACTS lines 52-53) ----------------------------------------------------

LOCKS: dict[str, tuple[int | None, int | None, int | None, list[str]]] = {
    "governance mode: nothing set": (None, None, None, []),
    "compliance: 3 days cooling-off": (3, 7, 365, []),
    "max equals min": (None, 30, 30, []),
    "max 36500": (None, 1, 36500, []),
    "changeable 2 days": (
        2,
        None,
        None,
        [
            "vault lock.changeable_for_days: got 2; it must be 3 to 36500 (AWS Backup enforces "
            "a 72-hour cooling-off period)"
        ],
    ),
    "min 0": (None, 0, None, ["vault lock.min_retention_days: got 0; it must be at least 1"]),
    "max over 36500": (
        None,
        None,
        36501,
        ["vault lock.max_retention_days: got 36501; it must be 1 to 36500"],
    ),
    "max below min": (
        None,
        30,
        7,
        [
            "vault lock: got min_retention_days=30, max_retention_days=7; max_retention_days "
            "must be at least min_retention_days"
        ],
    ),
}


@pytest.mark.parametrize(
    ("changeable", "low", "high", "expected"), LOCKS.values(), ids=LOCKS.keys()
)
def test_vault_lock(
    changeable: int | None, low: int | None, high: int | None, expected: list[str]
) -> None:
    assert c.vault_lock(changeable, low, high) == expected


# -- notification events (AWS-FACTS lines 54-62; botocore is the authority) ----------------

CLOUDFORMATION_EVENTS = [
    "BACKUP_JOB_STARTED",
    "BACKUP_JOB_COMPLETED",
    "RESTORE_JOB_STARTED",
    "RESTORE_JOB_COMPLETED",
    "COPY_JOB_STARTED",
    "COPY_JOB_SUCCESSFUL",
    "COPY_JOB_FAILED",
    "RECOVERY_POINT_MODIFIED",
    "S3_BACKUP_OBJECT_FAILED",
    "S3_RESTORE_OBJECT_FAILED",
]


def test_every_event_cloudformation_named_is_in_botocore() -> None:
    assert set(CLOUDFORMATION_EVENTS) <= set(c.backup_vault_events())
    assert c.notification_events(CLOUDFORMATION_EVENTS) == []


def test_supported_and_deprecated_events_split_botocores_enum() -> None:
    supported, deprecated = set(c.supported_vault_events()), set(c.deprecated_vault_events())
    assert supported | deprecated == set(c.backup_vault_events())
    assert not supported & deprecated
    # API_PutBackupVaultNotifications' supported list is CloudFormation's ten (AWS-FACTS).
    assert set(CLOUDFORMATION_EVENTS) <= supported


@pytest.mark.parametrize(
    ("event", "replacement"),
    [
        ("BACKUP_JOB_FAILED", "use BACKUP_JOB_COMPLETED instead"),
        ("BACKUP_JOB_EXPIRED", "use BACKUP_JOB_COMPLETED instead"),
        ("BACKUP_JOB_SUCCESSFUL", "use BACKUP_JOB_COMPLETED instead"),
        ("RESTORE_JOB_FAILED", "use RESTORE_JOB_COMPLETED instead"),
        ("RESTORE_JOB_SUCCESSFUL", "use RESTORE_JOB_COMPLETED instead"),
        ("BACKUP_PLAN_CREATED", "watch aws.backup events with an EventBridge rule"),
        ("BACKUP_PLAN_MODIFIED", "watch aws.backup events with an EventBridge rule"),
    ],
)
def test_deprecated_events_are_refused_naming_the_replacement(event: str, replacement: str) -> None:
    # API_PutBackupVaultNotifications: deprecated events "do not return statuses or
    # notifications".
    (problem,) = c.notification_events(["BACKUP_JOB_COMPLETED", event], field="Events")
    assert problem.startswith(
        f"Events[1]: got {event!r}; AWS Backup no longer sends this deprecated event"
    )
    assert replacement in problem


def test_invalid_and_missing_events() -> None:
    valid = ", ".join(c.supported_vault_events())
    assert c.notification_events(["BACKUP_JOB_STARTED", "JOB_FAILED"], field="Events") == [
        f"Events[1]: got 'JOB_FAILED'; AWS Backup vault events are {valid}"
    ]
    assert c.notification_events([]) == [
        "notification events: got []; give at least one event, e.g. 'BACKUP_JOB_COMPLETED'"
    ]


def test_bundled_vault_events_data_has_its_source_and_date() -> None:
    data = c._vault_event_data()
    assert "API_PutBackupVaultNotifications" in data["source"]
    assert data["date"] and data["botocore"]
    assert data["state_attribute"]["name"] == "State"
    assert c.notification_problem_states() == ("FAILED", "EXPIRED", "ABORTED")
    for entry in data["deprecated"].values():
        assert entry["replacement"] in (None, *data["supported"])
