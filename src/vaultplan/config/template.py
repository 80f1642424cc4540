"""The commented ``vaultplan.toml`` that ``vaultplan init`` writes, generated from the defaults."""

from __future__ import annotations

from pathlib import Path

from vaultplan.config.model import Config
from vaultplan.constructs.rules import RulePreset
from vaultplan.constructs.vault_options import resolve_lock
from vaultplan.errors import InputError

__all__ = ["default_config_text", "write_default_config"]

_HEADER = """\
# vaultplan.toml: the AWS Backup strategy that `vaultplan synth` turns into CloudFormation.
# The values below are the defaults (the seed's system); delete a key to get its default.
# Unknown keys are errors, so a typo never silently falls back to a default.

# Prefix of every name: the vault is "<site_name>", the plan "<site_name>EFSBackupPlan",
# each rule "<site_name><name>", the selection "<site_name>EFS", the stack "<site_name>-backup".
# 2 to 50 letters, digits, '-' or '_' (and short enough for the derived names: 37 at most).
site_name = "{site_name}"

# Deploy target. Leave both out for an environment-agnostic template (no AWS account needed).
# account = "123456789012"
# region = "us-east-1"

[file_system]
# true: a new encrypted EFS file system in a new VPC with isolated subnets and no NAT gateway.
create = true
# Or protect existing file systems by id (and set create = false):
# ids = ["fs-0123456789abcdef0"]

# The plan's rules; each needs name and schedule.
#   schedule: AWS cron, 6 fields (minutes hours day-of-month month day-of-week year), exactly one
#     of day-of-month and day-of-week is '?', UTC unless schedule_timezone is set, at most hourly.
#   delete_after_days / move_to_cold_storage_after_days: 1 to 36500; when both are set, delete
#     at least 90 days after the move to cold storage.
#   Optional: start_window_minutes (60 or more), completion_window_minutes,
#     schedule_timezone (an IANA name, e.g. "Europe/Paris").
"""


def _rule_text(rule: RulePreset) -> str:
    lines = ["", "[[rules]]", f'name = "{rule.name}"']
    lines.append(f'schedule = "{rule.schedule}"  # {rule.describe_schedule()}')
    for key in (
        "move_to_cold_storage_after_days",
        "delete_after_days",
        "start_window_minutes",
        "completion_window_minutes",
    ):
        value = getattr(rule, key)
        if value is not None:
            lines.append(f"{key} = {value}")
    if rule.schedule_timezone is not None:
        lines.append(f'schedule_timezone = "{rule.schedule_timezone}"')
    return "\n".join(lines) + "\n"


_VAULT = """
[vault]
# Encryption key of the recovery points: "create" (a new customer-managed KMS key with yearly
# rotation, alias "alias/{site_name}-backup", kept when the stack is deleted), "aws-managed"
# (the AWS managed key aws/backup), or the ARN of an existing key
# ("arn:aws:kms:REGION:ACCOUNT:key/KEY-ID").
kms_key = "create"
# Deny backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle and
# backup:PutBackupVaultAccessPolicy on the vault to every principal except break_glass_arns.
# The deny binds CloudFormation too: to change this policy in a later deploy, the role
# CloudFormation runs as (with the CDK: cdk-hnb659fds-cfn-exec-role-ACCOUNT-REGION) must be in
# break_glass_arns; or deploy access_policy = false first (removing the policy is not
# denied), then the new policy. Lifecycle expiry is not affected.
access_policy = true
# IAM role, user or root ARNs exempt from that deny; '*' matches any characters.
break_glass_arns = []

[vault.lock]
# "governance" (removable by whoever holds backup:DeleteBackupVaultLockConfiguration),
# "compliance" (nobody can change or remove it once changeable_for_days have passed; the
# stack can't either) or "none". A locked vault fails every backup job whose retention is
# outside [min_retention_days, max_retention_days].
mode = "governance"
# Compliance mode only: days (3 or more) during which the lock can still be changed.
# changeable_for_days = 3
# Default: the shortest delete_after_days of the rules ({min_days} here).
# min_retention_days = {min_days}
# Default: the longest delete_after_days of the rules ({max_note} here); none when a rule
# keeps its points forever, or when every rule keeps the same number of days.
# max_retention_days = {max_days}

[notifications]
# Send the vault's events to a new SNS topic, encrypted with its own KMS key, TLS only.
enabled = true
# Events AWS Backup still sends (deprecated names such as BACKUP_JOB_FAILED are refused).
# BACKUP_JOB_COMPLETED reports every end state (COMPLETED, FAILED, EXPIRED, ABORTED...).
events = [{events}]
# Subscribe an address; it gets only failed, expired and aborted jobs (an SNS filter on the
# message attribute State). AWS sends a confirmation e-mail first.
# email = "backup-alerts@example.com"
"""


def _vault_text(config: Config) -> str:
    lock = resolve_lock(config.vault.lock, config.rules)
    return _VAULT.format(
        site_name=config.site_name,
        min_days=lock.min_retention_days if lock else 1,
        max_days=lock.max_retention_days if lock and lock.max_retention_days else 36500,
        max_note=lock.max_retention_days if lock and lock.max_retention_days else "none",
        events=", ".join(f'"{event}"' for event in config.notifications.events),
    )


def default_config_text(config: Config | None = None) -> str:
    """The commented TOML for ``config`` (default: the built-in defaults)."""
    config = config or Config()
    return (
        _HEADER.format(site_name=config.site_name)
        + "".join(_rule_text(rule) for rule in config.rules)
        + _vault_text(config)
    )


def write_default_config(path: Path, *, force: bool = False) -> Path:
    """Write :func:`default_config_text` to ``path``; refuse to overwrite unless ``force``."""
    if path.is_dir():
        path = path / "vaultplan.toml"
    if path.exists() and not force:
        raise InputError(f"PATH: got '{path}'; the file exists, pass --force to overwrite it")
    if not path.parent.is_dir():
        raise InputError(f"PATH: got '{path}'; the folder '{path.parent}' does not exist")
    path.write_text(default_config_text(), encoding="utf-8")
    return path
