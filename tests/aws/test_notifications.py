"""Vault notification events (:mod:`vaultplan.aws.notifications`): botocore is the authority.

The ten events CloudFormation named are quoted in
https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1188.
"""

from __future__ import annotations

import pytest

from vaultplan.aws import notifications as n

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
    assert set(CLOUDFORMATION_EVENTS) <= set(n.backup_vault_events())
    assert n.notification_events(CLOUDFORMATION_EVENTS) == []


def test_supported_and_deprecated_events_split_botocores_enum() -> None:
    supported, deprecated = set(n.supported_vault_events()), set(n.deprecated_vault_events())
    assert supported | deprecated == set(n.backup_vault_events())
    assert not supported & deprecated
    # API_PutBackupVaultNotifications' supported list holds CloudFormation's ten.
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
    (problem,) = n.notification_events(["BACKUP_JOB_COMPLETED", event], field="Events")
    assert problem.startswith(
        f"Events[1]: got {event!r}; AWS Backup no longer sends this deprecated event"
    )
    assert replacement in problem


def test_invalid_and_missing_events() -> None:
    valid = ", ".join(n.supported_vault_events())
    assert n.notification_events(["BACKUP_JOB_STARTED", "JOB_FAILED"], field="Events") == [
        f"Events[1]: got 'JOB_FAILED'; AWS Backup vault events are {valid}"
    ]
    assert n.notification_events([]) == [
        "notification events: got []; give at least one event, e.g. 'BACKUP_JOB_COMPLETED'"
    ]
