"""The names AWS accepts: vaults, plans, rules, selections, restore testing, audit, S3 buckets.

Sources (pages under https://docs.aws.amazon.com/aws-backup/latest/devguide/ unless said):

- Vault: ``^[a-zA-Z0-9\\-_]{2,50}$`` (API_CreateBackupVault.html).
- Rule and selection: ``^[a-zA-Z0-9\\-_.]{1,50}$``; plan: 1-50 letters, digits or ``-_.``
  (API_BackupRuleInput.html, API_BackupSelection.html, API_BackupPlanInput.html).
- Restore testing plan and selection: "only alphanumeric characters and underscores. Maximum
  length is 50" (API_CreateRestoreTestingPlan.html, API_RestoreTestingSelectionForCreate.html).
- Audit framework and report plan: 1-256 characters, a letter first, then letters, digits and
  '_' (API_CreateFramework.html, API_CreateReportPlan.html).
- S3 bucket names: 3-63 lowercase letters, digits, '.' and '-', beginning and ending with a
  letter or digit, no '..', not an IP address, none of the reserved prefixes and suffixes
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
"""

from __future__ import annotations

import re

from vaultplan.aws._match import pattern_problems

__all__ = [
    "AUDIT_NAME_RE",
    "BUCKET_NAME_RE",
    "PLAN_NAME_RE",
    "RESTORE_TESTING_NAME_RE",
    "RULE_NAME_RE",
    "SELECTION_NAME_RE",
    "VAULT_NAME_RE",
    "bucket_name",
    "plan_name",
    "rule_name",
    "selection_name",
    "vault_name",
]

VAULT_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_]{2,50}$")
RULE_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
SELECTION_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
PLAN_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
RESTORE_TESTING_NAME_RE = re.compile(r"^[a-zA-Z0-9_]{1,50}$")
AUDIT_NAME_RE = re.compile(r"^[a-zA-Z][_a-zA-Z0-9]{0,255}$")
BUCKET_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_ADDRESS_RE = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def vault_name(value: str, field: str = "vault name") -> list[str]:
    """A vault name is 2-50 letters, digits, '-' or '_' (``^[a-zA-Z0-9\\-_]{2,50}$``)."""
    return pattern_problems(value, field, VAULT_NAME_RE, "use 2 to 50 letters, digits, '-' or '_'")


def rule_name(value: str, field: str = "rule name") -> list[str]:
    """A rule name is 1-50 letters, digits, '-', '_' or '.'."""
    return pattern_problems(
        value, field, RULE_NAME_RE, "use 1 to 50 letters, digits, '-', '_' or '.'"
    )


def selection_name(value: str, field: str = "selection name") -> list[str]:
    """A selection name is 1-50 letters, digits, '-', '_' or '.'."""
    return pattern_problems(
        value, field, SELECTION_NAME_RE, "use 1 to 50 letters, digits, '-', '_' or '.'"
    )


def plan_name(value: str, field: str = "plan name") -> list[str]:
    """A plan name is 1-50 letters, digits, '-', '_' or '.'."""
    return pattern_problems(
        value, field, PLAN_NAME_RE, "use 1 to 50 letters, digits, '-', '_' or '.'"
    )


def bucket_name(value: str, field: str) -> list[str]:
    """An S3 general purpose bucket name (bucketnamingrules.html)."""
    rule = (
        "an S3 bucket name is 3 to 63 lowercase letters, digits, '.' or '-', begins and ends "
        "with a letter or digit, has no '..', is not an IP address, and has no reserved "
        "prefix or suffix (e.g. 'xn--', '-s3alias')"
    )
    if (
        not isinstance(value, str)
        or not BUCKET_NAME_RE.fullmatch(value)
        or ".." in value
        or ".-" in value
        or "-." in value
        or _IP_ADDRESS_RE.fullmatch(value)
        or value.startswith(BUCKET_RESERVED_PREFIXES)
        or value.endswith(BUCKET_RESERVED_SUFFIXES)
    ):
        return [f"{field}: got {value!r}; {rule}"]
    return []
