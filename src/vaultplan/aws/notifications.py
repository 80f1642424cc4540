"""Vault notifications: the events AWS Backup sends, the deprecated ones, and the e-mail endpoint.

The event lists come from the bundled ``vaultplan/aws/data/vault_events.json`` (sources and
date inside; ``scripts/vault_events.py`` rebuilds it) and from botocore's ``backup`` service
model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from vaultplan.aws import data_files
from vaultplan.aws._match import pattern_problems

__all__ = [
    "EMAIL_RE",
    "backup_vault_events",
    "deprecated_vault_events",
    "email",
    "notification_events",
    "notification_problem_states",
    "supported_vault_events",
]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
"""An e-mail address, as an SNS ``email`` subscription takes it: something@domain.tld."""


@lru_cache(maxsize=1)
def backup_vault_events() -> tuple[str, ...]:
    """The event names botocore's ``backup`` service model allows (shape BackupVaultEvent).

    This is the offline authority. It is a superset of the ten events CloudFormation named in
    the error quoted by cloudformation-coverage-roadmap#1188
    (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1188):
    botocore also lists BACKUP_JOB_SUCCESSFUL/FAILED/EXPIRED, RESTORE_JOB_SUCCESSFUL/FAILED,
    BACKUP_PLAN_CREATED/MODIFIED, CONTINUOUS_BACKUP_INTERRUPTED, the RECOVERY_POINT_INDEX*
    events, the EKS_* events and the ACCESS_POINT_* events. That older CloudFormation list
    predates them; botocore's enum is what the API accepts today.
    """
    from botocore.loaders import Loader

    model = Loader().load_service_model("backup", "service-2")
    return tuple(model["shapes"]["BackupVaultEvent"]["enum"])


def _vault_event_data() -> dict[str, Any]:
    return data_files.load("vault_events.json")


def supported_vault_events() -> tuple[str, ...]:
    """The vault events AWS Backup sends: :func:`backup_vault_events` less the deprecated.

    From the bundled ``vaultplan/aws/data/vault_events.json`` (sources and date inside;
    ``scripts/vault_events.py`` rebuilds it).
    """
    return tuple(_vault_event_data()["supported"])


def deprecated_vault_events() -> dict[str, tuple[str | None, str]]:
    """Deprecated event -> (supported replacement or None, how to use it).

    AWS lists them as valid values but "deprecated events do not return statuses or
    notifications" (API_PutBackupVaultNotifications), and CloudFormation refused them
    (cloudformation-coverage-roadmap#1188).
    """
    return {
        name: (entry["replacement"], entry["how"])
        for name, entry in _vault_event_data()["deprecated"].items()
    }


def notification_problem_states() -> tuple[str, ...]:
    """Job ``State`` values worth an alert: FAILED, EXPIRED, ABORTED, PARTIAL (bundled, cited).

    AWS Backup's SNS messages carry the job's state in the message attribute ``State``
    (backup-notifications.html, "Examples of events").
    """
    return tuple(_vault_event_data()["state_attribute"]["problem_states"])


def notification_events(events: Sequence[str], field: str = "notification events") -> list[str]:
    """At least one event; each a supported vault event, not a deprecated or unknown name.

    A deprecated name gets a message naming its supported replacement.
    """
    if not events:
        return [
            f"{field}: got {list(events)!r}; give at least one event, e.g. 'BACKUP_JOB_COMPLETED'"
        ]
    supported = supported_vault_events()
    deprecated = deprecated_vault_events()
    problems = []
    for i, event in enumerate(events):
        if event in deprecated:
            replacement, how = deprecated[event]
            use = f"use {replacement} instead ({how})" if replacement else how
            problems.append(
                f"{field}[{i}]: got {event!r}; AWS Backup no longer sends this deprecated "
                f"event (API_PutBackupVaultNotifications): {use}"
            )
        elif event not in supported:
            problems.append(
                f"{field}[{i}]: got {event!r}; AWS Backup vault events are {', '.join(supported)}"
            )
    return problems


def email(value: str, field: str = "email") -> list[str]:
    """An e-mail address: something@domain.tld, no spaces."""
    return pattern_problems(
        value, field, EMAIL_RE, "use an e-mail address, e.g. 'backup-alerts@example.com'"
    )
