"""``[restore_testing] validate`` and the ``[restore_testing.validation]`` table: strict parsing.

The table is read (unknown keys and types refused) even with ``validate = false``, so a typo
never hides; the values' constraints are :func:`vaultplan.spec.drill.validation_problems`'.
"""

from __future__ import annotations

from typing import Any

from vaultplan.config import fields
from vaultplan.spec.drill import RestoreValidationOptions

__all__ = ["VALIDATION_KEYS", "parse_validation"]

VALIDATION_KEYS = (
    "expect_paths",
    "min_file_count",
    "min_total_bytes",
    "checksum_manifest",
    "vpc_id",
    "subnet_ids",
    "security_group_ids",
)
_FIELD = "restore_testing.validation"


def parse_validation(restore_testing: dict[str, Any]) -> RestoreValidationOptions | None:
    """The drill of a ``[restore_testing]`` table, or None when ``validate`` is not true."""
    validate = fields.boolean(restore_testing, "validate", "restore_testing.validate", False)
    table = fields.section(restore_testing.get("validation"), _FIELD, VALIDATION_KEYS) or {}
    settings: dict[str, Any] = {}
    for key, example in (
        ("expect_paths", '["data/index.db"]'),
        ("subnet_ids", '["subnet-0123456789abcdef0"]'),
        ("security_group_ids", '["sg-0123456789abcdef0"]'),
    ):
        value = fields.strings(table, key, f"{_FIELD}.{key}", expected=f"an array, e.g. {example}")
        if value is not None:
            settings[key] = value
    for key in ("checksum_manifest", "vpc_id"):
        if key in table:
            settings[key] = fields.string(table, key, f"{_FIELD}.{key}")
    for key in ("min_file_count", "min_total_bytes"):
        if key in table:
            settings[key] = fields.whole(table, key, f"{_FIELD}.{key}")
    options = RestoreValidationOptions(**settings)
    return options if validate else None
