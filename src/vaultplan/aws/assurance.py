"""The bounds of restore testing and of Backup Audit Manager's frameworks and report plans.

Sources (pages under https://docs.aws.amazon.com/aws-backup/latest/devguide/ unless said):

- ``StartWindowHours``: at most 168 hours; ``SelectionWindowDays``: 1 to 365;
  ``ValidationWindowHours``: 0 to 168; at most 30 specific ``ProtectedResourceArns``
  (botocore's ``backup`` model, shapes RestoreTestingPlanForCreate,
  RestoreTestingRecoveryPointSelection, RestoreTestingSelectionForCreate;
  API_CreateRestoreTestingPlan.html).
- AWS Config's backup-plan-min-frequency-and-min-retention-check: "requiredFrequencyValue ...
  Maximum of 24 for hours, 31 for days"
  (https://docs.aws.amazon.com/config/latest/developerguide/backup-plan-min-frequency-and-min-retention-check.html).
- The control "Vaults prevent manual deletion" exempts up to 5 IAM roles
  (controls-and-remediation.html).
- AWS Config's *-last-backup-recovery-point-created and *-resources-in-logically-air-gapped-vault
  rules, behind the controls BACKUP_LAST_RECOVERY_POINT_CREATED and
  RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT: "recoveryPointAgeValue ... No more than 744 for
  hours, 31 for days"; "recoveryPointAgeUnit ... 'hours', 'days'"
  (https://docs.aws.amazon.com/config/latest/developerguide/ebs-last-backup-recovery-point-created.html,
  https://docs.aws.amazon.com/config/latest/developerguide/ec2-resources-in-logically-air-gapped-vault.html).
  RESTORE_TIME_FOR_RESOURCES_MEET_TARGET takes ``maxRestoreTime``, in minutes (*-meets-restore-
  time-target: "NON_COMPLIANT if LatestRestoreExecutionTimeMinutes ... is greater than
  maxRestoreTime minutes"); parameter names as in creating-frameworks-api.html and
  controls-and-remediation.html.
- Report templates: botocore ``ReportSetting.ReportTemplate``; formats CSV and JSON
  (``ReportDeliveryChannel.Formats``; API_ReportSetting.html).
"""

from __future__ import annotations

__all__ = [
    "COMPLIANCE_REPORT_TEMPLATES",
    "DEFAULT_COMPLETION_WINDOW_MINUTES",
    "DEFAULT_START_WINDOW_MINUTES",
    "FREQUENCY_MAX_DAYS",
    "FREQUENCY_MAX_HOURS",
    "MANUAL_DELETION_MAX_PRINCIPALS",
    "RECOVERY_POINT_AGE_MAX_HOURS",
    "REPORT_FORMATS",
    "REPORT_TEMPLATES",
    "RESTORE_TESTING_MAX_ARNS",
    "SELECTION_WINDOW_MAX_DAYS",
    "START_WINDOW_MAX_HOURS",
    "VALIDATION_WINDOW_MAX_HOURS",
]

START_WINDOW_MAX_HOURS = 168
SELECTION_WINDOW_MAX_DAYS = 365
VALIDATION_WINDOW_MAX_HOURS = 168
RESTORE_TESTING_MAX_ARNS = 30
FREQUENCY_MAX_HOURS = 24
FREQUENCY_MAX_DAYS = 31
MANUAL_DELETION_MAX_PRINCIPALS = 5
RECOVERY_POINT_AGE_MAX_HOURS = 744
DEFAULT_START_WINDOW_MINUTES = 480
"""A rule's start window when it sets none: AWS Backup's default of 8 hours
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html)."""
DEFAULT_COMPLETION_WINDOW_MINUTES = 10080
"""A rule's completion window when it sets none: AWS Backup's default of 7 days (API_BackupRule)."""

REPORT_TEMPLATES = (
    "BACKUP_JOB_REPORT",
    "COPY_JOB_REPORT",
    "RESTORE_JOB_REPORT",
    "RESOURCE_COMPLIANCE_REPORT",
    "CONTROL_COMPLIANCE_REPORT",
    "SCAN_JOB_REPORT",
)
"""The report templates botocore's ``ReportSetting.ReportTemplate`` documents."""
COMPLIANCE_REPORT_TEMPLATES = frozenset({"RESOURCE_COMPLIANCE_REPORT", "CONTROL_COMPLIANCE_REPORT"})
"""Templates that report on frameworks: they need the audit framework."""
REPORT_FORMATS = ("CSV", "JSON")
