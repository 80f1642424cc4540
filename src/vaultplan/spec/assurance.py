"""Assurance as plain data: restore testing and Backup Audit Manager, and their checks.

:class:`RestoreTestingOptions` and :class:`AuditOptions` are what the ``[restore_testing]`` and
``[audit]`` tables of ``vaultplan.toml`` hold, and what
:class:`~vaultplan.cdk.BackupStrategy` turns into ``AWS::Backup::RestoreTestingPlan``,
``AWS::Backup::RestoreTestingSelection``, ``AWS::Backup::Framework`` and
``AWS::Backup::ReportPlan`` (see :mod:`vaultplan.cdk.assurance`). This module imports no
``aws_cdk``: the config loader validates with it without starting jsii.

The framework's controls take their parameters from the plan (:func:`framework_controls`).

Sources (pages under https://docs.aws.amazon.com/aws-backup/latest/devguide/ unless said):

- Restore testing names: "only alphanumeric characters and underscores. Maximum length is 50"
  (API_CreateRestoreTestingPlan / API_RestoreTestingSelectionForCreate, and the SDK docs).
- ``StartWindowHours``: at most 168 hours, default 24; ``SelectionWindowDays``: 1 to 365,
  default 30; ``ValidationWindowHours``: 0 to 168; at most 30 specific ``ProtectedResourceArns``
  (botocore's ``backup`` model, shapes RestoreTestingPlanForCreate,
  RestoreTestingRecoveryPointSelection, RestoreTestingSelectionForCreate).
- Framework and report plan names: 1-256 characters, a letter first, then letters, digits and
  '_' (API_CreateFramework, API_CreateReportPlan; botocore CreateFrameworkInput,
  CreateReportPlanInput).
- Control names and parameters: choosing-controls.html, creating-frameworks-api.html,
  bam-cfn-integration.html, and AWS Config's backup-plan-min-frequency-and-min-retention-check
  ("requiredFrequencyValue ... Maximum of 24 for hours, 31 for days"; "requiredFrequencyUnit
  ... 'hours', 'days'") and *-resources-protected-by-backup-plan ("crossRegionList:
  Comma-separated list of destination regions", "crossAccountList", "minRetentionDays",
  "maxRetentionDays"). Controls "Vaults prevent manual deletion": up to 5 IAM roles exempt.
- Report templates: botocore ``ReportSetting.ReportTemplate`` (RESOURCE_COMPLIANCE_REPORT,
  CONTROL_COMPLIANCE_REPORT, BACKUP_JOB_REPORT, COPY_JOB_REPORT, RESTORE_JOB_REPORT,
  SCAN_JOB_REPORT); formats CSV and JSON (``ReportDeliveryChannel.Formats``).
- S3 bucket names: 3-63 lowercase letters, digits, '.' and '-', beginning and ending with a
  letter or digit, no '..', not an IP address, none of the reserved prefixes and suffixes
  (S3 user guide, bucketnamingrules.html).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from vaultplan.aws import names, plan_rules
from vaultplan.aws.arns import VAULT_ARN_RE
from vaultplan.aws.assurance import (
    COMPLIANCE_REPORT_TEMPLATES,
    DEFAULT_COMPLETION_WINDOW_MINUTES,
    DEFAULT_START_WINDOW_MINUTES,
    FREQUENCY_MAX_DAYS,
    FREQUENCY_MAX_HOURS,
    MANUAL_DELETION_MAX_PRINCIPALS,
    RECOVERY_POINT_AGE_MAX_HOURS,
    REPORT_FORMATS,
    REPORT_TEMPLATES,
    RESTORE_TESTING_MAX_ARNS,
    SELECTION_WINDOW_MAX_DAYS,
    START_WINDOW_MAX_HOURS,
    VALIDATION_WINDOW_MAX_HOURS,
)
from vaultplan.aws.kms import KMS_KEY_OR_ALIAS_ARN_RE
from vaultplan.aws.names import AUDIT_NAME_RE, RESTORE_TESTING_NAME_RE
from vaultplan.aws.resource_types import resource_types_of
from vaultplan.schedule import CronError, parse_cron
from vaultplan.spec.drill import RestoreValidationOptions, validation_problems
from vaultplan.spec.rules import RulePreset, schedule_problems

__all__ = [
    "COMPLIANCE_REPORT_TEMPLATES",
    "REPORT_FORMATS",
    "REPORT_TEMPLATES",
    "AuditOptions",
    "ControlSpec",
    "RestoreTestingOptions",
    "assurance_problems",
    "audit_names",
    "audit_problems",
    "efs_arns",
    "framework_controls",
    "recovery_point_age_hours",
    "restore_testing_names",
    "restore_testing_problems",
]


@dataclass(frozen=True, kw_only=True)
class RestoreTestingOptions:
    """A restore testing plan that restores the latest EFS recovery point on a schedule.

    AWS Backup restores the newest snapshot recovery point of each file system from the
    strategy's vault into a new, temporary file system, keeps it for the validation window,
    then deletes it. Restores run with the strategy's role (it carries
    ``AWSBackupServiceRolePolicyForRestores``).
    """

    schedule: str = "cron(0 12 ? * SUN *)"
    """When tests run, AWS cron. Default: Sundays at 12:00 UTC (after the daily 08:00 backup)."""
    schedule_timezone: str | None = None
    """IANA time zone the schedule is read in. Default: UTC."""
    start_window_hours: int = 24
    """Hours a test may wait to start before it is cancelled, 1 to 168. Default: 24 (AWS's)."""
    selection_window_days: int = 30
    """Only points at most this many days old are tested, 1 to 365. Default: 30 (AWS's)."""
    validation_window_hours: int | None = None
    """Hours the restored file system is kept for validation before deletion, 0 to 168.
    Default: AWS's."""
    kms_key_arn: str | None = None
    """KMS key for the restored file system (restore metadata ``kmsKeyId``). Default: the one
    AWS Backup infers, ``alias/aws/elasticfilesystem``."""
    name: str | None = None
    """The plan's name. Default: ``<site>RestoreTest`` ('-' in the site becomes '_')."""
    validation: RestoreValidationOptions | None = None
    """A drill that checks the data of each restored file system and reports the result on the
    restore job (see :mod:`vaultplan.spec.drill`). Default: none (the config's
    ``validate = false``)."""


@dataclass(frozen=True, kw_only=True)
class AuditOptions:
    """A Backup Audit Manager framework whose controls take their parameters from the plan,
    and optional report plans delivering to an existing S3 bucket.

    Audit Manager evaluates controls with AWS Config: Config must record the AWS Backup
    resource types (backup plans, selections, vaults, recovery points) in the account.
    """

    framework: bool = True
    """Create the framework. Default: true."""
    report_bucket: str | None = None
    """Name of an existing S3 bucket that receives reports; no report plan without it."""
    report_key_prefix: str | None = None
    """Key prefix of the reports in the bucket. Default: none."""
    report_formats: tuple[str, ...] = ("CSV",)
    """Report file formats: CSV and/or JSON. Default: CSV."""
    report_templates: tuple[str, ...] = ("BACKUP_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT")
    """One report plan per template. Default: backup jobs, and control compliance."""
    name: str | None = None
    """The framework's name. Default: ``<site>BackupControls`` (see :func:`audit_names`)."""
    restore_time_target_minutes: int = 720
    """With restore testing on: the control RESTORE_TIME_FOR_RESOURCES_MEET_TARGET's
    ``maxRestoreTime``, minutes a restore may take. Default: 720 (12 hours)."""


def _identifier(site_name: str) -> str:
    """The site as a name of letters, digits and '_' that starts with a letter."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", site_name)
    return name if name[:1].isalpha() else f"site_{name}"


def restore_testing_names(site_name: str) -> dict[str, str]:
    """Derived names: the plan ``<site>RestoreTest`` and selection ``<site>EFS``.

    Restore testing names take only letters, digits and '_', so each '-' of the site (which
    vault names allow) becomes '_'.
    """
    site = re.sub(r"[^A-Za-z0-9_]", "_", site_name)
    return {"plan": f"{site}RestoreTest", "selection": f"{site}EFS"}


def audit_names(site_name: str, name: str | None = None) -> dict[str, str]:
    """Derived names: the framework ``<site>BackupControls``, report plans ``<site>Report_*``.

    Framework and report plan names start with a letter and hold letters, digits and '_'
    only: '-' becomes '_', and a site that starts with a digit or '_' gets ``site_`` first.
    With a framework ``name``, the report plans are ``<name>Report_*``.
    """
    if name is not None:
        return {"framework": name, "report": f"{name}Report"}
    site = _identifier(site_name)
    return {"framework": f"{site}BackupControls", "report": f"{site}Report"}


def report_plan_name(prefix: str, template: str) -> str:
    """``<prefix>_<template in CamelCase>``, e.g. ``exampleReport_BackupJob``."""
    words = template.removesuffix("_REPORT").split("_")
    return f"{prefix}_{''.join(word.capitalize() for word in words)}"


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _range(value: int | None, low: int, high: int, field: str, what: str) -> list[str]:
    if value is None or (_whole(value) and low <= value <= high):
        return []
    return [f"{field}: got {value!r}; {what} is a whole number from {low} to {high}"]


def _never(value: object) -> bool:
    return False


def _schedule_gap(rules: Sequence[RulePreset]) -> int | None:
    """The smallest gap, in minutes, between two backups of any one rule (None if unknown)."""
    gaps = []
    for rule in rules:
        if getattr(rule, "continuous_backup", False):
            continue
        try:
            gap = parse_cron(rule.schedule).min_interval_minutes()
        except CronError:
            continue
        if gap is not None:
            gaps.append(gap)
    return min(gaps) if gaps else None


def efs_arns(arns: Iterable[str]) -> list[str]:
    """The ARNs that name one EFS file system each (no wildcard): restore tests can take them."""
    return [arn for arn in arns if "*" not in arn and resource_types_of(arn) == ("EFS",)]


def restore_testing_problems(
    options: RestoreTestingOptions,
    site_name: str | None,
    rules: Sequence[RulePreset] = (),
    *,
    file_system_count: int | None = None,
    drill_vpc: bool = False,
    field: str = "restore_testing",
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """Every constraint the restore testing options break, each naming ``<field>.<key>``.

    ``site_name`` is None when it is an unresolved token (derived names are then not checked).
    ``file_system_count`` is the number of file systems the restore tests select, when known.
    ``drill_vpc`` says the strategy has a VPC for the drill (see
    :func:`~vaultplan.spec.drill.validation_problems`).
    """
    problems: list[str] = []
    if options.validation is not None:
        problems += validation_problems(
            options.validation,
            vpc_given=drill_vpc,
            validation_window_hours=options.validation_window_hours,
            field=f"{field}.validation",
            window_field=f"{field}.validation_window_hours",
            unresolved=unresolved,
        )
    if not unresolved(options.schedule):
        problems += schedule_problems(options.schedule, f"{field}.schedule")
    if options.schedule_timezone is not None and not unresolved(options.schedule_timezone):
        problems += plan_rules.timezone(options.schedule_timezone, f"{field}.schedule_timezone")
    for key, low, high, what in (
        ("start_window_hours", 1, START_WINDOW_MAX_HOURS, "a start window in hours"),
        ("selection_window_days", 1, SELECTION_WINDOW_MAX_DAYS, "a selection window in days"),
        ("validation_window_hours", 0, VALIDATION_WINDOW_MAX_HOURS, "a validation window"),
    ):
        value = getattr(options, key)
        if not unresolved(value):
            problems += _range(value, low, high, f"{field}.{key}", what)
    kms = options.kms_key_arn
    if kms is not None and not unresolved(kms) and not KMS_KEY_OR_ALIAS_ARN_RE.fullmatch(str(kms)):
        problems.append(
            f"{field}.kms_key_arn: got {kms!r}; give a KMS key or alias ARN, e.g. "
            "'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'"
        )
    name = options.name
    if name is None and site_name is not None:
        name = restore_testing_names(site_name)["plan"]
    elif name is None:
        problems.append(_token_site_name(f"{field}.name", "MySiteRestoreTest"))
    if name is not None and not unresolved(name) and not RESTORE_TESTING_NAME_RE.fullmatch(name):
        source = "name" if options.name is not None else "name (derived from site_name)"
        problems.append(
            f"{field}.{source}: got {name!r}; a restore testing plan name is 1 to 50 letters, "
            "digits or '_' (no '-' or '.')"
        )
    window = options.selection_window_days
    gap = _schedule_gap(rules)
    if not problems and not unresolved(window) and gap is not None and window * 1440 < gap:
        problems.append(
            f"{field}.selection_window_days: got {window}; the plan's most frequent rule backs "
            f"up only every {gap // 1440} days, so a test can find no recovery point in the "
            f"window and fail: use at least {math.ceil(gap / 1440)} days"
        )
    if file_system_count == 0:
        problems.append(
            f"{field}: got 0 EFS file systems; restore tests restore the strategy's EFS file "
            "systems (constructs, ids, or file-system ARNs in selection.arns): give one, or "
            "turn restore testing off"
        )
    if file_system_count is not None and file_system_count > RESTORE_TESTING_MAX_ARNS:
        problems.append(
            f"{field}: got {file_system_count} file systems; a restore testing selection takes "
            f"at most {RESTORE_TESTING_MAX_ARNS} ARNs: protect fewer, or turn restore testing off"
        )
    return problems


def _choices(values: Sequence[str], allowed: Sequence[str], field: str, what: str) -> list[str]:
    if not values:
        return [f"{field}: got []; give at least one {what}: {', '.join(allowed)}"]
    problems = [
        f"{field}[{i}]: got {value!r}; {what}s are {', '.join(allowed)}"
        for i, value in enumerate(values)
        if value not in allowed
    ]
    for i, value in enumerate(values):
        if value in values[:i]:
            problems.append(f"{field}[{i}]: got {value!r} twice; list each {what} once")
    return problems


def audit_problems(
    options: AuditOptions,
    site_name: str | None,
    rules: Sequence[RulePreset] = (),
    *,
    field: str = "audit",
    deletion_principals: Sequence[str] = (),
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """Every constraint the audit options break, each naming ``<field>.<key>``.

    ``deletion_principals`` are the vault's break-glass ARNs, which the manual-deletion
    control exempts (at most 5).
    """
    problems: list[str] = []
    if options.framework and len(deletion_principals) > MANUAL_DELETION_MAX_PRINCIPALS:
        problems.append(
            f"{field}.framework: got true with {len(deletion_principals)} "
            "vault.break_glass_arns; the control BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED "
            f"exempts at most {MANUAL_DELETION_MAX_PRINCIPALS} principals, so the others would "
            "be reported: keep 5 break-glass ARNs, or set framework = false"
        )
    if options.name is not None and not unresolved(options.name):
        problems += _audit_name(options.name, f"{field}.name")
    elif site_name is not None:
        problems += _audit_name(audit_names(site_name)["framework"], f"{field}.name (derived)")
    elif options.name is None:
        problems.append(_token_site_name(f"{field}.name", "MySiteBackupControls"))
    if options.report_bucket is not None and not unresolved(options.report_bucket):
        problems += names.bucket_name(options.report_bucket, f"{field}.report_bucket")
    problems += _choices(
        options.report_formats, REPORT_FORMATS, f"{field}.report_formats", "report format"
    )
    problems += _choices(
        options.report_templates, REPORT_TEMPLATES, f"{field}.report_templates", "report template"
    )
    compliance = sorted(COMPLIANCE_REPORT_TEMPLATES & set(options.report_templates))
    if options.report_bucket is not None and compliance and not options.framework:
        problems.append(
            f"{field}.framework: got false with report_templates {compliance}; compliance "
            "reports cover a framework: set framework = true, or drop those templates"
        )
    if options.report_key_prefix is not None and options.report_bucket is None:
        problems.append(
            f"{field}.report_key_prefix: got {options.report_key_prefix!r} with no report_bucket; "
            "reports need a bucket: set report_bucket to an existing bucket's name"
        )
    if not options.framework and options.report_bucket is None:
        problems.append(
            f"{field}.framework: got false with no report_bucket; the audit would create "
            "nothing: set framework = true, or give report_bucket"
        )
    if options.framework:
        problems += _frequency_problems(rules, field)
    target = options.restore_time_target_minutes
    if not unresolved(target) and not (_whole(target) and target >= 1):
        problems.append(
            f"{field}.restore_time_target_minutes: got {target!r}; the control's "
            "maxRestoreTime is a whole number of minutes, 1 or more"
        )
    return problems


def _token_site_name(field: str, example: str) -> str:
    return (
        f"{field}: got None while site_name is an unresolved token; a name can't be derived "
        f"from it (CloudFormation can't replace its '-'): give a name, e.g. {example!r}"
    )


def _audit_name(name: str, field: str) -> list[str]:
    if isinstance(name, str) and AUDIT_NAME_RE.fullmatch(name):
        return []
    return [
        f"{field}: got {name!r}; a framework name is 1 to 256 characters: a letter, then "
        "letters, digits or '_'"
    ]


def _frequency_problems(rules: Sequence[RulePreset], field: str) -> list[str]:
    gap = _schedule_gap(rules)
    if gap is not None and math.ceil(gap / 1440) > FREQUENCY_MAX_DAYS:
        return [
            f"{field}.framework: got true, but the plan's most frequent rule backs up only every "
            f"{gap // 1440} days, and the control "
            "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK takes at most "
            f"{FREQUENCY_MAX_DAYS} days: add a rule that runs at least monthly, or set "
            "framework = false"
        ]
    return []


def assurance_problems(
    restore_testing: RestoreTestingOptions | None,
    audit: AuditOptions | None,
    site_name: str | None,
    rules: Sequence[RulePreset],
    *,
    file_system_count: int | None = None,
    drill_vpc: bool = False,
    deletion_principals: Sequence[str] = (),
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """The problems of both options (either may be None, meaning off)."""
    problems: list[str] = []
    if restore_testing is not None:
        problems += restore_testing_problems(
            restore_testing,
            site_name,
            rules,
            file_system_count=file_system_count,
            drill_vpc=drill_vpc,
            unresolved=unresolved,
        )
    if audit is not None:
        problems += audit_problems(
            audit,
            site_name,
            rules,
            deletion_principals=deletion_principals,
            unresolved=unresolved,
        )
        target = audit.restore_time_target_minutes
        if restore_testing is None and target != AuditOptions().restore_time_target_minutes:
            problems.append(
                f"audit.restore_time_target_minutes: got {target!r} with restore testing off; "
                "the control RESTORE_TIME_FOR_RESOURCES_MEET_TARGET is emitted only with "
                "restore testing: turn [restore_testing] on, or remove it"
            )
    return problems


@dataclass(frozen=True)
class ControlSpec:
    """One framework control as data: its name, parameters, and what it is scoped to.

    ``scope`` is ``"plan"`` (the strategy's backup plan), ``"vault"`` (its vault) or
    ``"resources"`` (the resource types the strategy protects).
    """

    name: str
    parameters: tuple[tuple[str, str], ...]
    scope: str


def _frequency(minutes: int) -> tuple[str, int]:
    """A gap as Audit Manager's (unit, value): hours under a day, else whole days, rounded up."""
    if minutes < 1440:
        return "hours", min(FREQUENCY_MAX_HOURS, math.ceil(minutes / 60))
    return "days", math.ceil(minutes / 1440)


def recovery_point_age_hours(rules: Sequence[RulePreset], *, with_copy: bool = False) -> int | None:
    """The oldest the newest recovery point of ``rules`` may be, in whole hours; None when the
    schedules are unknown or it exceeds 744 hours (what the age controls accept).

    The most frequent rule's gap plus its start window (a job may start that late); with
    ``with_copy``, its completion window too (a copy starts once the backup completes).
    """
    ages = []
    for rule in rules:
        if getattr(rule, "continuous_backup", False):
            continue
        gap = _schedule_gap([rule])
        if gap is None:
            continue
        age = gap + (rule.start_window_minutes or DEFAULT_START_WINDOW_MINUTES)
        if with_copy:
            age += rule.completion_window_minutes or DEFAULT_COMPLETION_WINDOW_MINUTES
        ages.append(age)
    if not ages:
        return None
    hours = math.ceil(min(ages) / 60)
    return hours if hours <= RECOVERY_POINT_AGE_MAX_HOURS else None


def _on_resources(name: str, *parameters: tuple[str, str]) -> ControlSpec:
    """A control scoped to the resource types the strategy protects."""
    return ControlSpec(name, parameters, "resources")


def _age_control(name: str, hours: int | None) -> list[ControlSpec]:
    if hours is None:
        return []
    return [
        _on_resources(
            name, ("recoveryPointAgeUnit", "hours"), ("recoveryPointAgeValue", str(hours))
        )
    ]


def _days(values: Iterable[object], unresolved: Callable[[object], bool]) -> list[int]:
    """The values that are known whole numbers of days (tokens and None left out)."""
    days: list[int] = []
    for value in values:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if whole and not unresolved(value) and value >= 1:  # type: ignore[operator]
            days.append(value)  # type: ignore[arg-type]
    return days


def copy_destinations(
    rules: Iterable[RulePreset], home_region: str | None
) -> tuple[list[str], list[str]]:
    """The Regions and accounts the rules' copy actions copy to, sorted, without repeats.

    A Region equal to ``home_region`` is not a cross-Region destination. When the stack's
    Region is not known (an environment-agnostic stack), every destination Region counts.
    """
    regions: set[str] = set()
    accounts: set[str] = set()
    for rule in rules:
        for action in getattr(rule, "copy_actions", ()):
            match = VAULT_ARN_RE.fullmatch(str(getattr(action, "destination_vault_arn", "")))
            if match is None:
                continue
            if match["region"] != home_region:
                regions.add(match["region"])
            accounts.add(match["account"])
    return sorted(regions), sorted(accounts)


def framework_controls(
    rules: Sequence[RulePreset],
    *,
    lock_retention: tuple[int | None, int | None] | None = None,
    home_region: str | None = None,
    home_account: str | None = None,
    deletion_principals: Sequence[str] = (),
    restore_time_target_minutes: int | None = None,
    unresolved: Callable[[object], bool] = _never,
) -> tuple[ControlSpec, ...]:
    """The framework's controls, with parameters taken from the plan.

    - BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: the most frequent rule's gap
      (``min_interval_minutes``) as hours or days, rounded up, and the shortest retention of
      any rule (omitted when no rule deletes its points); scoped to the plan. The most
      frequent rule keeps its points at least that long, so the plan complies as written.
    - BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: the shortest retention of the rules and
      their copies (only when some rule deletes its points).
    - BACKUP_RECOVERY_POINT_ENCRYPTED.
    - BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED, scoped to the vault; the exempt
      principals (at most 5, :func:`audit_problems` checks) are ``deletion_principals``, the
      vault's break-glass ARNs.
    - BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK, only when the vault has a lock, with its
      min and max retention.
    - BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION, only when a copy action copies to another
      Region (``crossRegionList``); BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT, only when one
      copies to another account (``crossAccountList``). Without a copy, these controls could
      never pass, so they are left out.
    - BACKUP_LAST_RECOVERY_POINT_CREATED, with ``recoveryPointAgeUnit`` hours and
      ``recoveryPointAgeValue`` from the most frequent rule
      (:func:`recovery_point_age_hours`), when that fits in 744 hours.
    - RESTORE_TIME_FOR_RESOURCES_MEET_TARGET with ``maxRestoreTime`` (minutes), only when
      ``restore_time_target_minutes`` is given (restore testing is on).
    - RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT, only when a rule copies into the air-gapped
      vault, with the age of those rules' copies (start and completion windows included).
    """
    controls: list[ControlSpec] = []
    params: list[tuple[str, str]] = []
    gap = _schedule_gap(rules)
    if gap is not None:
        unit, value = _frequency(gap)
        params += [("requiredFrequencyUnit", unit), ("requiredFrequencyValue", str(value))]
    rule_days = _days((rule.delete_after_days for rule in rules), unresolved)
    if rule_days:
        params.append(("requiredRetentionDays", str(min(rule_days))))
    controls.append(
        ControlSpec("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", tuple(params), "plan")
    )
    copy_days = (
        getattr(action, "delete_after_days", None)
        for rule in rules
        for action in getattr(rule, "copy_actions", ())
    )
    point_days = rule_days + _days(copy_days, unresolved)
    if point_days:
        controls.append(
            _on_resources(
                "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
                ("requiredRetentionDays", str(min(point_days))),
            )
        )
    controls.append(_on_resources("BACKUP_RECOVERY_POINT_ENCRYPTED"))
    exempt = tuple(deletion_principals)
    controls.append(
        ControlSpec(
            "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
            (("principalArnList", ",".join(exempt)),) if exempt else (),
            "vault",
        )
    )
    if lock_retention is not None:
        low, high = lock_retention
        lock_params = [("minRetentionDays", str(low))] if low is not None else []
        lock_params += [("maxRetentionDays", str(high))] if high is not None else []
        controls.append(
            _on_resources("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", *lock_params)
        )
    regions, accounts = copy_destinations(rules, home_region)
    if regions:
        controls.append(
            _on_resources(
                "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", ("crossRegionList", ",".join(regions))
            )
        )
    accounts = [a for a in accounts if a != home_account]
    if accounts:
        controls.append(
            _on_resources(
                "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT",
                ("crossAccountList", ",".join(accounts)),
            )
        )
    controls += _age_control("BACKUP_LAST_RECOVERY_POINT_CREATED", recovery_point_age_hours(rules))
    if restore_time_target_minutes is not None:
        controls.append(
            _on_resources(
                "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
                ("maxRestoreTime", str(restore_time_target_minutes)),
            )
        )
    air_gapped = [
        rule
        for rule in rules
        if any(getattr(a, "to_air_gapped", False) for a in getattr(rule, "copy_actions", ()))
    ]
    if air_gapped:
        controls += _age_control(
            "RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT",
            recovery_point_age_hours(air_gapped, with_copy=True),
        )
    return tuple(controls)
