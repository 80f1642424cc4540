"""Named cases of the plan option checks (VP117-VP119, VP213), for ``test_checks.py``.

Each changes ``test_checks.good()`` (an EFS selection; rule 0 ``Daily`` kept 35 days, rule 1
``Monthly`` cold after 30 days, each with one copy action). Sources: API_Lifecycle,
botocore's ``IndexAction`` and ``AdvancedBackupSetting``, API_ScanSetting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Template = dict[str, Any]
Change = Callable[[Template], Any]
ARCHIVE = "OptInToArchiveForSupportedResources"
EBS = "arn:aws:ec2:us-east-1:111122223333:volume/vol-0123456789abcdef0"


def _plan(t: Template) -> dict[str, Any]:
    plan: dict[str, Any] = t["Resources"]["Plan"]["Properties"]["BackupPlan"]
    return plan


def _rule(t: Template, i: int) -> dict[str, Any]:
    rule: dict[str, Any] = _plan(t)["BackupPlanRule"][i]
    return rule


def _select_ebs(t: Template) -> None:
    t["Resources"]["Selection"]["Properties"]["BackupSelection"]["Resources"].append(EBS)


def _archive(t: Template, i: int, *, ebs: bool = True, copy: bool = False) -> None:
    target = _rule(t, i)["CopyActions"][0] if copy else _rule(t, i)
    target.setdefault("Lifecycle", {})[ARCHIVE] = True
    if copy:
        target["Lifecycle"]["MoveToColdStorageAfterDays"] = 30
        target["Lifecycle"]["DeleteAfterDays"] = 365
    if ebs:
        _select_ebs(t)


def _continuous_archive(t: Template) -> None:
    _rule(t, 0).update(EnableContinuousBackup=True)
    _archive(t, 0)


def _index(t: Template, types: list[str], *, ebs: bool = True) -> None:
    _rule(t, 0)["IndexActions"] = [{"ResourceTypes": types}]
    if ebs:
        _select_ebs(t)


def _advanced(t: Template, rtype: str, options: dict[str, str]) -> None:
    _plan(t)["AdvancedBackupSettings"] = [{"ResourceType": rtype, "BackupOptions": options}]
    t["Resources"]["Selection"]["Properties"]["BackupSelection"]["Resources"].append(
        "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0"
    )


def _scan(t: Template, *, settings: bool = True, types: list[str] | None = None) -> None:
    _rule(t, 0)["ScanActions"] = [{"MalwareScanner": "GUARDDUTY", "ScanMode": "FULL_SCAN"}]
    if settings:
        _plan(t)["ScanSettings"] = [
            {
                "MalwareScanner": "GUARDDUTY",
                "ResourceTypes": types or ["EBS"],
                "ScannerRoleArn": "arn:aws:iam::111122223333:role/Scanner",
            }
        ]
    _select_ebs(t)


PLAN_OPTION_CASES: list[tuple[str, str, Change, str | None]] = [
    ("VP117", "archive-with-cold-move-ok", lambda t: _archive(t, 1), None),
    ("VP117", "copy-archive-with-cold-move-ok", lambda t: _archive(t, 0, copy=True), None),
    (
        "VP117",
        "archive-without-cold-move",
        lambda t: _archive(t, 0),
        f"BackupPlanRule[0].Lifecycle.{ARCHIVE}: got true with no move_to_cold_storage",
    ),
    (
        "VP117",
        "archive-on-continuous-rule",
        _continuous_archive,
        "got true on a continuous backup rule",
    ),
    ("VP118", "index-ebs-ok", lambda t: _index(t, ["EBS"]), None),
    (
        "VP118",
        "index-efs",
        lambda t: _index(t, ["EFS"]),
        "BackupPlanRule[0].IndexActions[0].ResourceTypes[0]: got 'EFS'; use one of 'EBS', 'S3'",
    ),
    (
        "VP118",
        "index-two-types",
        lambda t: _index(t, ["EBS", "S3"]),
        "AWS Backup indexes one resource type per rule",
    ),
    ("VP118", "vss-enabled-ok", lambda t: _advanced(t, "EC2", {"WindowsVSS": "enabled"}), None),
    (
        "VP118",
        "vss-on",
        lambda t: _advanced(t, "EC2", {"WindowsVSS": "on"}),
        "AdvancedBackupSettings[0].BackupOptions.WindowsVSS: got 'on'",
    ),
    (
        "VP118",
        "vss-for-rds",
        lambda t: _advanced(t, "RDS", {"WindowsVSS": "enabled"}),
        "AdvancedBackupSettings[0].ResourceType: got 'RDS'; use one of 'EC2', 'S3'",
    ),
    ("VP119", "scan-with-settings-ok", lambda t: _scan(t), None),
    (
        "VP119",
        "scan-without-settings",
        lambda t: _scan(t, settings=False),
        "the plan's ScanSettings configure no such scanner",
    ),
    (
        "VP119",
        "scan-settings-for-efs",
        lambda t: _scan(t, types=["EFS"]),
        "ScanSettings[0].ResourceTypes[0]: got 'EFS'",
    ),
    ("VP213", "archive-with-ebs-selected-ok", lambda t: _archive(t, 1), None),
    (
        "VP213",
        "archive-with-efs-only",
        lambda t: _archive(t, 1, ebs=False),
        f"BackupPlanRule[1].Lifecycle.{ARCHIVE}: acts on EBS, and the plan's selections pick "
        "none of them (EFS)",
    ),
    (
        "VP213",
        "index-s3-with-efs-only",
        lambda t: _index(t, ["S3"], ebs=False),
        "BackupPlanRule[0].IndexActions[0]: acts on S3",
    ),
]
