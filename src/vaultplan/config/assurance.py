"""The ``[restore_testing]`` and ``[audit]`` tables of ``vaultplan.toml``: strict parsing.

Both are off by default (``enabled = false``). A table that is off is still checked for
unknown keys and types, so a typo never hides. AWS Backup's constraints on the values are
checked by :func:`vaultplan.constructs.assurance_options.assurance_problems`, which the
construct uses too.
"""

from __future__ import annotations

from typing import Any

from vaultplan.config.loader import _check_keys, _string, _type_error, _whole
from vaultplan.constructs.assurance_options import AuditOptions, RestoreTestingOptions

__all__ = ["AUDIT_KEYS", "RESTORE_TESTING_KEYS", "parse_audit", "parse_restore_testing"]

RESTORE_TESTING_KEYS = (
    "enabled",
    "schedule",
    "schedule_timezone",
    "start_window_hours",
    "selection_window_days",
    "validation_window_hours",
    "kms_key_arn",
    "name",
)
AUDIT_KEYS = (
    "enabled",
    "framework",
    "report_bucket",
    "report_key_prefix",
    "report_formats",
    "report_templates",
    "name",
)


def _table(value: object, section: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _type_error(section, value, f"a table: [{section}]")
    _check_keys(value, allowed, f"{section}.")
    return value


def _bool(table: dict[str, Any], key: str, path: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise _type_error(path, value, "true or false")
    return value


def _strings(table: dict[str, Any], key: str, path: str) -> tuple[str, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise _type_error(path, value, 'an array of strings, e.g. ["CSV"]')
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise _type_error(f"{path}[{i}]", item, "a string")
    return tuple(value)


def parse_restore_testing(value: object) -> RestoreTestingOptions | None:
    """The ``[restore_testing]`` table as options, or None when it is absent or not enabled."""
    table = _table(value, "restore_testing", RESTORE_TESTING_KEYS)
    if table is None:
        return None
    enabled = _bool(table, "enabled", "restore_testing.enabled", False)
    settings: dict[str, Any] = {}
    for key in ("schedule", "schedule_timezone", "kms_key_arn", "name"):
        if key in table:
            settings[key] = _string(table, key, f"restore_testing.{key}")
    for key in ("start_window_hours", "selection_window_days", "validation_window_hours"):
        if key in table:
            settings[key] = _whole(table, key, f"restore_testing.{key}")
    options = RestoreTestingOptions(**settings)
    return options if enabled else None


def parse_audit(value: object) -> AuditOptions | None:
    """The ``[audit]`` table as options, or None when it is absent or not enabled."""
    table = _table(value, "audit", AUDIT_KEYS)
    if table is None:
        return None
    enabled = _bool(table, "enabled", "audit.enabled", False)
    settings: dict[str, Any] = {
        "framework": _bool(table, "framework", "audit.framework", True),
    }
    for key in ("report_bucket", "report_key_prefix", "name"):
        if key in table:
            settings[key] = _string(table, key, f"audit.{key}")
    for key in ("report_formats", "report_templates"):
        if key in table:
            settings[key] = _strings(table, key, f"audit.{key}")
    options = AuditOptions(**settings)
    return options if enabled else None
