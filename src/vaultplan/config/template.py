"""The commented ``vaultplan.toml`` that ``vaultplan init`` writes, generated from the defaults."""

from __future__ import annotations

import json
from pathlib import Path

from vaultplan.config.model import Config
from vaultplan.config.org import ORG_TEXT
from vaultplan.config.template_assurance import assurance_text
from vaultplan.errors import InputError, shown
from vaultplan.spec.presets import GFS_KEYS, GfsOptions
from vaultplan.spec.rules import RulePreset
from vaultplan.spec.vault import resolve_lock

__all__ = ["default_config_text", "write_default_config"]

_HEADER = """\
# vaultplan.toml: the AWS Backup strategy that `vaultplan synth` turns into CloudFormation.
# The values below are the defaults; delete a key to get its default.
# Unknown keys are errors, so a typo never silently falls back to a default.

# Prefix of every name: the vault is "<site_name>", the plan "<site_name>EFSBackupPlan",
# each rule "<site_name><name>", the selection "<site_name>EFS", the stack "<site_name>-backup".
# 2 to 50 letters, digits, '-' or '_' (and short enough for the derived names: 37 at most).
site_name = "{site_name}"

# Deploy target. Leave both out for an environment-agnostic template (no AWS account needed).
# account = "123456789012"
# region = "us-east-1"

[file_system]
# true: a new encrypted EFS file system in a new VPC with isolated subnets and no NAT gateway
# (its traffic is logged to a KMS-encrypted CloudWatch log group kept one year).
create = true
# Or protect existing file systems by id or ARN (and set create = false):
# ids = ["fs-0123456789abcdef0"]

# Where the plan's rules come from when no [[rules]] tables are given.
[plan]
# The preset: "daily-monthly" (the two rules written out as [[rules]] below), "daily-35" (one
# rule: every day at 05:00 UTC, kept 35 days) or "gfs" (daily, weekly, monthly and yearly
# rules, set in [plan.gfs]). [[rules]] tables replace the preset: to use one, delete the
# [[rules]] tables below and uncomment this line.
# preset = "daily-monthly"

# For a preset, the same rule keys as [[rules]] for every preset rule (archive: the rules that
# move to cold storage; see [[rules]] below):
# archive = true
# index_resource_types = ["EBS"]
# malware_scan_mode = "INCREMENTAL_SCAN"
# Plan-wide settings (AdvancedBackupSettings), each refused unless the selection can pick
# that type: VSS-consistent backups of Windows EC2 instances, and S3 backups without object
# ACLs or tags (AWS includes both by default).
# windows_vss = "enabled"
# s3_backup_acls = "disabled"
# s3_backup_object_tags = "disabled"

# GuardDuty malware scanning of the recovery points of EBS, EC2 and S3 (needed by every rule
# with malware_scan_mode). Without scanner_role_arn, a new role with the AWS managed policy
# AWSBackupGuardDutyRolePolicyForScans.
# [plan.malware_scanning]
# resource_types = ["EBS", "EC2", "S3"]
# scanner_role_arn = "arn:aws:iam::123456789012:role/BackupScanner"

# Parameters of preset "gfs" (uncomment [plan.gfs] with preset = "gfs"). The rules fire at the
# same hour; when they coincide, AWS Backup keeps the point with the longer retention.
{gfs}

# Copies of every preset rule's points, to a vault in another Region or account (up to 5;
# with [[rules]] tables, write [[rules.copy_actions]] under each rule instead). Without
# delete_after_days and move_to_cold_storage_after_days, each copy keeps its rule's lifecycle.
# [[plan.copy_actions]]
# destination_vault_arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:{site_name}-dr"
# delete_after_days = 365
# move_to_cold_storage_after_days = 30
# archive = true

# The plan's rules (1 to 10); each needs name and schedule.
#   schedule: AWS cron, 6 fields (minutes hours day-of-month month day-of-week year), exactly one
#     of day-of-month and day-of-week is '?', UTC unless schedule_timezone is set, at most hourly.
#   delete_after_days / move_to_cold_storage_after_days: 1 to 36500; when both are set, delete
#     at least 90 days after the move to cold storage.
#   Optional: start_window_minutes (60 or more), completion_window_minutes,
#     schedule_timezone (an IANA name, e.g. "Europe/Paris").
"""

_GFS_COMMENTS = {
    "daily_days": "days each daily point is kept (0: no daily rule)",
    "weekly_weeks": "weeks each weekly point is kept (x 7 days; 0: none)",
    "monthly_months": "months each point of the 1st is kept (x 31 days; 0: none)",
    "yearly_years": "years each point of 1 January is kept (x 366 days; 0: none)",
    "monthly_cold_after_days": "days before monthly points go cold (0: stay warm)",
    "yearly_cold_after_days": "days before yearly points go cold (0: stay warm)",
    "hour": "hour of the day (0-23) every GFS rule starts",
    "weekday": "day of the weekly backup: SUN, MON, ... SAT",
    "schedule_timezone": "IANA time zone of the schedules (default UTC)",
}

_FIRST_RULE_EXTRAS = """\
# Job windows and the schedule's time zone (absent: AWS's 8-hour start window, 7 days to
# complete, UTC):
# start_window_minutes = 480
# completion_window_minutes = 10080
# schedule_timezone = "Europe/Paris"
# Tags on each recovery point (at most 10; keys 1-128 characters, not starting "aws:"):
# recovery_point_tags = {{ team = "storage" }}
# Continuous backup (point-in-time restore) works only for Aurora, RDS, S3 and SAP HANA on
# EC2; EFS can't have it, so it stays false while the selection has EFS file systems:
# continuous_backup = false
# Move points to the archive tier when they go cold (EBS snapshots only; the rule needs a
# cold move, and the selection an EBS volume):
# archive = true
# Index each point for backup search: ["EBS"] or ["S3"] (one type per rule):
# index_resource_types = ["EBS"]
# Scan each point for malware with GuardDuty (needs [plan.malware_scanning]):
# malware_scan_mode = "INCREMENTAL_SCAN"
# Copy each point to a vault in another Region or account (up to 5 copies per rule, each
# with its own lifecycle). `vaultplan synth` prints the access policy a vault in another
# account needs, and writes a stack for that account. Without a copy, `vaultplan check`
# reports VP204 (info). destination = "air-gapped" (instead of destination_vault_arn) copies
# into the logically air-gapped vault of [vault.air_gapped].
# [[rules.copy_actions]]
# destination_vault_arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:{site_name}-dr"
# destination = "air-gapped"
# delete_after_days = 365
# move_to_cold_storage_after_days = 30
# archive = true
"""


def _gfs_text() -> str:
    defaults = GfsOptions()
    assignments = []
    for key in GFS_KEYS:
        value = getattr(defaults, key)
        shown = '"Europe/Paris"' if value is None else json.dumps(value)
        assignments.append((f"# {key} = {shown}", _GFS_COMMENTS[key]))
    width = max(len(a) for a, _ in assignments) + 2
    return "\n".join(["# [plan.gfs]", *(f"{a:<{width}}# {c}" for a, c in assignments)])


_SELECTION = """
# More resources for the plan, of any type AWS Backup protects, and tag conditions.
[selection]
# ARNs to back up besides the file systems (EBS, EC2, RDS, Aurora, DynamoDB, FSx, S3...). A
# pattern ends in '*', e.g. "arn:aws:ec2:*:*:volume/*" (30 patterns at most). Past 500 ARNs
# the selection is split in several: "<site_name>EFS", "<site_name>EFS-2"...
arns = []
# ARNs or patterns never backed up, even when selected (500 at most, 30 with a '*').
exclude_arns = []

# Tag conditions: a resource must meet them all (AND), and they narrow the file systems and
# arns too. { tag = "value" }, or { tag = ["a", "b"] } for several. 30 at most. With no file
# system and no arns, they select every resource type AWS Backup protects.
[selection.conditions]
# The tag equals the value, e.g. { backup = "true" }.
string_equals = {}
# The tag matches a pattern with * and ?, e.g. { team = "data-*" }.
string_like = {}
# The tag is not the value, e.g. { env = "scratch" }.
string_not_equals = {}
# The tag doesn't match the pattern, e.g. { env = ["dev*", "test*"] }.
string_not_like = {}

# More plans beside the one above, which is always deployed: each [[plans]] table is a plan
# "<site_name><name>" with its own rules and selection, backing up into the same vault with
# the same role. It takes every [plan] key (preset, [plans.gfs], [[plans.copy_actions]],
# archive, windows_vss, [plans.malware_scanning]...), or [[plans.rules]] tables written as
# [[rules]] instead of a preset, and a [plans.selection] written as [selection] (a plan of
# its own has no file system: give it arns or conditions).
# [[plans]]
# name = "Databases"
# preset = "daily-35"
# [plans.selection]
# arns = ["arn:aws:rds:us-east-1:123456789012:db:shop"]
# [plans.selection.conditions]
# string_equals = { backup = "true" }
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
    if rule.recovery_point_tags:
        tags = ", ".join(f"{key} = {json.dumps(v)}" for key, v in rule.recovery_point_tags.items())
        lines.append(f"recovery_point_tags = {{ {tags} }}")
    if rule.continuous_backup:
        lines.append("continuous_backup = true")
    for action in rule.copy_actions:
        lines += [
            "[[rules.copy_actions]]",
            f'destination_vault_arn = "{action.destination_vault_arn}"',
        ]
        for key in ("delete_after_days", "move_to_cold_storage_after_days"):
            if getattr(action, key) is not None:
                lines.append(f"{key} = {getattr(action, key)}")
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
# denied), then the new policy. Listing that role is the safe choice for any vault update.
# Lifecycle expiry is not affected.
access_policy = true
# IAM role, user or root ARNs exempt from that deny; '*' matches any characters.
break_glass_arns = []
# "retain": the vault stays when the stack is deleted; "destroy": CloudFormation deletes it
# (only possible once it holds no recovery point; refused with a compliance lock). The key
# made by kms_key = "create" is retained either way.
removal_policy = "retain"
# Back up into an existing vault (its name, or its ARN in the stack's account and Region)
# instead of creating one. Then kms_key, access_policy, break_glass_arns, removal_policy,
# [vault.lock] and [notifications] are refused: the existing vault keeps its own.
# existing = "my-existing-vault"

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

# A logically air-gapped vault (AWS::Backup::LogicallyAirGappedBackupVault, locked by AWS in
# compliance mode, AWS owned key) as a copy destination: uncomment the table, or give a copy
# action the destination "air-gapped" (instead of its vault ARN). Every copy into it needs
# delete_after_days within its bounds.
# [vault.air_gapped]
# Default: "<site_name>-air-gapped".
# name = "{site_name}-air-gapped"
# 7 or more. Default: the shortest delete_after_days of the copies into it (7 at least).
# min_retention_days = 7
# At most 36500. Default: the longest delete_after_days of the copies into it.
# max_retention_days = 365

# The role AWS Backup runs the jobs with, which the stack creates.
[role]
# The ARN of an IAM managed policy set as the permissions boundary of every role the stack
# creates: this one, the malware scanner's, the restore drill's, the VPC flow log's
# (default: none).
# permissions_boundary = "arn:aws:iam::123456789012:policy/BackupBoundary"

[notifications]
# Send the vault's events to a new SNS topic, encrypted with its own KMS key, TLS only.
enabled = true
# Events AWS Backup still sends (deprecated names such as BACKUP_JOB_FAILED are refused).
# BACKUP_JOB_COMPLETED reports every end state (COMPLETED, FAILED, EXPIRED, ABORTED, PARTIAL).
events = [{events}]
# Subscribe an address; it gets only failed, expired, aborted and partial jobs (an SNS filter
# on the message attribute State). AWS sends a confirmation e-mail first.
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
    texts = [_rule_text(rule) for rule in config.rules]
    if texts and not config.rules[0].copy_actions:
        texts[0] += _FIRST_RULE_EXTRAS.format(site_name=config.site_name)
    return (
        _HEADER.format(site_name=config.site_name, gfs=_gfs_text())
        + "".join(texts)
        + _SELECTION
        + _vault_text(config)
        + assurance_text()
        + ORG_TEXT
    )


def write_default_config(path: Path, *, force: bool = False) -> Path:
    """Write :func:`default_config_text` to ``path``; refuse to overwrite unless ``force``.

    A path the system refuses (a name over the file system's limit, a symbolic link to
    itself or to nothing) is an :class:`InputError`, and nothing is written.
    """
    try:
        if path.is_dir():
            path = path / "vaultplan.toml"
        if path.exists() and not force:
            raise InputError(f"PATH: got '{path}'; the file exists, pass --force to overwrite it")
        if path.is_symlink() and not path.exists():
            raise InputError(
                f"PATH: a symbolic link to itself or to nothing; got {shown(str(path))}"
            )
        if not path.parent.is_dir():
            raise InputError(f"PATH: got '{path}'; the folder '{path.parent}' does not exist")
        text = default_config_text()
        with path.open("w" if force else "x", encoding="utf-8") as out:
            out.write(text)
    except OSError as err:
        raise InputError(
            f"PATH: cannot write it ({err.strerror or err}); got {shown(str(path))}"
        ) from None
    return path
