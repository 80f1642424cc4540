"""The ``[restore_testing]`` and ``[audit]`` sections of ``vaultplan init``'s file.

Every key is shown with its default (commented out when the default is "absent"), with one
comment line each; the values come from the option classes, so the text cannot drift from them.
"""

from __future__ import annotations

from vaultplan.spec.assurance import AuditOptions, RestoreTestingOptions
from vaultplan.spec.drill import RestoreValidationOptions

__all__ = ["assurance_text"]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


def assurance_text() -> str:
    """The two sections, off, with every key at its default."""
    rt = RestoreTestingOptions()
    drill = RestoreValidationOptions()
    audit = AuditOptions()
    return f"""
# Restore testing: AWS Backup restores the latest EFS recovery point of the vault into a new,
# temporary file system on a schedule, and deletes it after the validation window.
[restore_testing]
# true: add a restore testing plan and its EFS selection (AWS::Backup::RestoreTestingPlan).
enabled = false
# When tests run: AWS cron, like a rule's schedule (at most hourly).
schedule = {_toml(rt.schedule)}
# IANA time zone the schedule is read in (default: UTC).
# schedule_timezone = "Europe/Paris"
# Hours a test may wait to start before it is cancelled, 1 to 168.
start_window_hours = {rt.start_window_hours}
# Only recovery points at most this many days old are tested, 1 to 365.
selection_window_days = {rt.selection_window_days}
# Hours the restored file system is kept for your checks before deletion, 0 to 168 (default: AWS's).
# validation_window_hours = 24
# KMS key ARN for the restored file system (default: alias/aws/elasticfilesystem).
# kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# Plan name: letters, digits and '_' (default: "<site_name>RestoreTest", '-' becomes '_').
# name = "exampleRestoreTest"
# true: after each restore, a drill mounts the restored file system, checks its data against
# [restore_testing.validation] and reports SUCCESSFUL or FAILED on the restore job (needs
# validation_window_hours of at least 1).
validate = false

# What the drill checks (paths relative to the restored data), and where it runs.
[restore_testing.validation]
# Paths that must exist in the restored tree.
# expect_paths = ["data/index.db"]
# At least this many regular files.
min_file_count = {drill.min_file_count}
# At least this many bytes of regular files.
min_total_bytes = {drill.min_total_bytes}
# A sha256sum manifest ("<sha256>  <path>" lines) kept in the source file system.
# checksum_manifest = "MANIFEST.sha256"
# With file_system.create = false: the VPC, subnets (one per zone) and security groups the
# drill's checker runs in (default: the new file system's VPC).
# vpc_id = "vpc-0123456789abcdef0"
# subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
# security_group_ids = ["sg-0123456789abcdef0"]

# Backup Audit Manager: a framework whose controls take their parameters from the plan
# (frequency and retention, encryption, manual deletion, vault lock, cross-Region copy), and
# report plans. Audit Manager needs AWS Config recording the AWS Backup resources in the account.
[audit]
# true: add the framework (AWS::Backup::Framework) and, with report_bucket, report plans.
enabled = false
# Create the framework (false: only the job reports).
framework = {_toml(audit.framework)}
# Name of an existing S3 bucket that receives the reports (no report plan without it).
# report_bucket = "my-backup-reports"
# Key prefix of the reports in the bucket (default: none).
# report_key_prefix = "backup-reports"
# Report file formats: "CSV" and/or "JSON".
report_formats = {_toml(audit.report_formats)}
# One report plan per template: BACKUP_JOB_REPORT, COPY_JOB_REPORT, RESTORE_JOB_REPORT,
# RESOURCE_COMPLIANCE_REPORT, CONTROL_COMPLIANCE_REPORT (compliance reports need the framework).
report_templates = {_toml(audit.report_templates)}
# Framework name: a letter, then letters, digits or '_' (default: "<site_name>BackupControls").
# name = "exampleBackupControls"
# With [restore_testing] on: minutes a restore may take, the maxRestoreTime of the control
# RESTORE_TIME_FOR_RESOURCES_MEET_TARGET (the framework also gets
# BACKUP_LAST_RECOVERY_POINT_CREATED from the most frequent rule, and
# RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT when a rule copies into the air-gapped vault).
restore_time_target_minutes = {audit.restore_time_target_minutes}
"""
