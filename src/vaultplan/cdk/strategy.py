"""``BackupStrategy``: an AWS Backup vault, plan and EFS selection, on ``aws_cdk.aws_backup`` L2."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Annotations, Duration, Stack, TimeZone, Token
from aws_cdk import aws_backup as backup
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from vaultplan.aws.backup_role import GENERAL_POLICIES, S3_TYPE, role_policies
from vaultplan.cdk.assurance import add_audit, add_restore_testing
from vaultplan.cdk.drill import RestoreDrill
from vaultplan.cdk.plan_options import add_plan_options, scan_role_policy
from vaultplan.cdk.selection import (
    CreatedFileSystemsSelected,
    FileSystemLike,
    add_selections,
    file_system_arn,
    is_unresolved,
)
from vaultplan.cdk.suppressions import (
    BACKUP_ROLE_MANAGED_POLICIES,
    BACKUP_ROLE_S3_MANAGED_POLICIES,
    BACKUP_ROLE_SCAN_POLICY,
    suppress,
)
from vaultplan.cdk.vault import (
    air_gapped_vault,
    existing_vault,
    notification_topic,
    share_key_with_accounts,
    vault_key,
    vault_resource,
)
from vaultplan.spec.air_gapped import resolve_air_gapped
from vaultplan.spec.assurance import AuditOptions, RestoreTestingOptions, efs_arns
from vaultplan.spec.copy import CopyAction, cross_account_destinations
from vaultplan.spec.plan_options import PlanOptions
from vaultplan.spec.plans import PlanSpec
from vaultplan.spec.presets import BackupRules
from vaultplan.spec.rules import RulePreset
from vaultplan.spec.selection import SelectionOptions, selection_names
from vaultplan.spec.strategy import StrategySpec, derived_names, strategy_problems
from vaultplan.spec.vault import NotificationOptions, ResolvedLock, VaultOptions, resolve_lock

__all__ = ["BACKUP_SERVICE_POLICIES", "BackupStrategy"]

BACKUP_SERVICE_POLICIES = GENERAL_POLICIES
"""AWS managed policies attached to every backup service role the strategy creates (a
selection that can select S3 adds ``AWSBackupServiceRolePolicyForS3Backup`` and
``AWSBackupServiceRolePolicyForS3Restore``: :mod:`vaultplan.aws.backup_role`)."""


class BackupStrategy(Construct):
    """An AWS Backup vault, plan, rules, EFS selection and service role, checked before synth.

    Names derive from ``site_name``: the vault is ``<site>``, the plan ``<site>EFSBackupPlan``,
    each rule ``<site><RuleName>``, the selection ``<site>EFS``. Every AWS Backup constraint
    (names, cron schedule, lifecycle, windows, time zone, EFS id) is checked when the construct
    is created; a broken value raises ``ValueError`` naming the field and the value. Values that
    are unresolved tokens are not checked.

    Secure by default (see :mod:`vaultplan.cdk.vault` for what each default means once
    deployed): the vault is encrypted with a new customer-managed KMS key with rotation
    (``Key``, alias ``alias/<site>-backup``); vault and key are retained when the stack is
    deleted; an access policy denies ``backup:DeleteRecoveryPoint``,
    ``backup:UpdateRecoveryPointLifecycle`` and ``backup:PutBackupVaultAccessPolicy`` to every
    principal but the break-glass ARNs (so CloudFormation can later change that policy only
    when it runs as one of them); a governance-mode vault lock whose min/max retention are the
    rules' shortest and longest; and vault events (failed, expired and aborted backup jobs,
    failed copy jobs, completed restore jobs) go to an SNS topic (``Topic``) encrypted with its
    own key (``NotificationKey``).

    Children (their ids are stable, so deploys update rather than replace): ``Key``,
    ``NotificationKey``, ``Topic``, ``Vault``, ``Plan``, ``Role`` and ``Selection`` (then
    ``Selection2``, ``Selection3``... when more than 500 ARNs, or 30 with a wildcard, are split
    over several selections); ``AirGappedVault`` with a logically air-gapped vault;
    ``Plans/<name>`` for each of ``plans`` (holding its ``Plan`` and ``Selection``...). With
    ``vault.existing``, ``Vault`` is the imported vault and ``Key``, ``NotificationKey`` and
    ``Topic`` are not created.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        site_name: str,
        file_systems: Sequence[FileSystemLike] = (),
        rules: Sequence[RulePreset] | None = None,
        role: iam.IRole | None = None,
        vault: VaultOptions | None = None,
        notifications: NotificationOptions | None = None,
        selection: SelectionOptions | None = None,
        restore_testing: RestoreTestingOptions | None = None,
        audit: AuditOptions | None = None,
        drill_vpc: ec2.IVpc | None = None,
        plan_options: PlanOptions | None = None,
        permissions_boundary: str | None = None,
        plans: Sequence[PlanSpec] = (),
    ) -> None:
        """Create the strategy.

        :param site_name: prefix of every name; also the vault's name (2-50 of ``[A-Za-z0-9-_]``).
        :param file_systems: EFS file systems to protect: constructs (their ``file_system_arn``
            is used), ids ``fs-...`` of existing ones (the ARN is built with the stack's
            partition, region and account) or their ARNs. Default: none, which needs
            ``selection.arns`` or ``selection.conditions``.
        :param rules: the plan's rules (1 to 10). Default: ``BackupRules.daily_monthly()``:
            ``DailyWarmBackup`` (daily, 35 days) and ``MonthlyColdBackup`` (monthly, cold after
            30 days, deleted after 365). Other presets: ``BackupRules.daily35()``,
            ``BackupRules.gfs(...)``. Each rule may carry copy actions to vaults in other
            Regions or accounts, recovery point tags, and continuous backup (refused here,
            since the selection has EFS file systems).
        :param role: the role AWS Backup assumes to run the selection's jobs. Default: a new
            role assumed by ``backup.amazonaws.com`` with the AWS managed policies
            ``AWSBackupServiceRolePolicyForBackup`` and ``AWSBackupServiceRolePolicyForRestores``,
            and, when the selection can select S3 buckets, ``AWSBackupServiceRolePolicyForS3Backup``
            and ``AWSBackupServiceRolePolicyForS3Restore``. A role given here is used as it is:
            if the selection can select S3, a synth warning says it needs the S3 policies.
        :param vault: the vault's key, access policy and lock. Default: ``VaultOptions()``, a
            new customer-managed key with rotation, the deny access policy with no break-glass
            ARN, and a governance lock with min/max retention from the rules.
        :param notifications: the vault's SNS notifications. Default: ``NotificationOptions()``,
            BACKUP_JOB_COMPLETED, COPY_JOB_FAILED and RESTORE_JOB_COMPLETED to a new encrypted
            topic, no e-mail subscription.
        :param selection: more resources by ARN (any type AWS Backup protects), excluded ARNs
            (``NotResources``) and tag conditions (``Conditions``, AND'ed with each other and
            with the resources, so they narrow the file systems too). Default: the file systems
            only. Past 500 ARNs (30 with a wildcard) the selection is split in several.
        :param restore_testing: a restore testing plan that restores the latest EFS point on a
            schedule (children ``RestoreTestingPlan``, ``RestoreTestingSelection``). Default:
            none.
        :param audit: a Backup Audit Manager framework whose controls take their parameters
            from the plan (child ``Framework``), and report plans (``ReportPlan<Template>``).
            Default: none.
        :param drill_vpc: the VPC the restore drill (``restore_testing.validation``) mounts
            restored file systems from, e.g. the protected file system's (child ``Drill``).
            Default: none, which needs the validation's ``vpc_id``, ``subnet_ids`` and
            ``security_group_ids``.
        :param plan_options: plan-wide settings: Windows VSS and S3 backup options
            (``AdvancedBackupSettings``) and GuardDuty malware scanning (``ScanSettings``, with
            a new ``ScannerRole`` unless ``scanner_role_arn`` names one; the created backup
            role then also gets ``AWSBackupServiceRolePolicyForScans``). Default: none.
        :param permissions_boundary: ARN of an IAM managed policy set as the permissions
            boundary of every role the strategy creates: the backup role, the scanner role,
            the restore drill's roles (refused with ``role``). It is applied once, with
            ``iam.PermissionsBoundary.of(self)``, so it reaches every ``AWS::IAM::Role`` under
            this construct. Default: none.
        :param plans: more backup plans beside the first (``<site>EFSBackupPlan``, made of
            ``rules``, ``selection``, ``plan_options`` and ``file_systems``), each with its own
            rules, selection and plan-wide settings, all backing up into the same vault with
            the same role. Each is named ``<site><name>`` (child ``Plans/<name>``, holding
            ``Plan`` and ``Selection``...; a created scanner role is shared). Default: none.
        """
        super().__init__(scope, id)
        self.site_name = site_name
        self.rules: tuple[RulePreset, ...] = (
            BackupRules.daily_monthly() if rules is None else tuple(rules)
        )
        self.file_systems: tuple[FileSystemLike, ...] = tuple(file_systems)
        self.vault_options = vault or VaultOptions()
        self.notification_options = notifications or NotificationOptions()
        self.selection_options = selection or SelectionOptions()
        self.restore_testing_options = restore_testing
        self.audit_options = audit
        self.drill_vpc = drill_vpc
        self.plan_options = plan_options or PlanOptions()
        self.permissions_boundary = permissions_boundary
        names = derived_names(site_name)
        self.vault_name = names["vault"]
        self.plan_name = names["plan"]
        self.selection_name = names["selection"]
        stack = Stack.of(self)
        self.spec = StrategySpec(
            site_name=site_name,
            rules=self.rules,
            # A file system construct stands as its ARN: a token until deployed.
            file_systems=tuple(
                fs if isinstance(fs, str) else fs.file_system_arn for fs in self.file_systems
            ),
            vault=self.vault_options,
            notifications=self.notification_options,
            selection=self.selection_options,
            restore_testing=restore_testing,
            drill_vpc=drill_vpc is not None,
            audit=audit,
            plan_options=self.plan_options,
            extra_plans=tuple(plans),
            permissions_boundary=permissions_boundary,
            role_given=role is not None,
            region=stack.region,
            account=stack.account,
        )
        """The strategy as plain data, as :func:`~vaultplan.spec.strategy.strategy_problems`
        checks it."""

        problems = strategy_problems(self.spec, unresolved=is_unresolved)
        problems += self._same_site_problems(stack)
        if problems:
            raise ValueError("\n".join(problems))

        self._add_vault()
        self._copy_vaults: dict[str, backup.IBackupVault] = {}
        # The first plan's children sit on the strategy itself (their ids are public
        # contract); each further plan's in a scope of its own, Plans/<name>.
        scopes: list[Construct] = [self]
        made = [self._add_plan(self, self.spec.plans[0])]
        if self.spec.extra_plans:
            more = Construct(self, "Plans")
            for spec in self.spec.extra_plans:
                scopes.append(Construct(more, spec.name))
                made.append(self._add_plan(scopes[-1], spec))
        self.backup_plans: tuple[backup.BackupPlan, ...] = tuple(plan for plan, _, _ in made)
        """Every plan, in order: :attr:`plan`, then one per ``plans`` entry."""
        self.plan = self.backup_plans[0]
        self.plan_rules: list[backup.BackupPlanRule] = made[0][1]
        """The first plan's rules, as the L2 took them."""
        scanners = [scanner for _, _, scanner in made if scanner is not None]
        self.scanner_role: iam.IRole | None = scanners[0] if scanners else None
        """The role GuardDuty scans with (``ScannerRole``, or the first plan's imported one);
        None without malware scanning in any plan."""
        self.role: iam.IRole = self._role(role)
        self.plan_selections: tuple[tuple[backup.BackupSelection, ...], ...] = tuple(
            tuple(
                add_selections(
                    scope,
                    plan=plan,
                    role=self.role,
                    site_name=self.site_name,
                    resources=(
                        [file_system_arn(self, fs) for fs in self.file_systems]
                        if scope is self
                        else []
                    )
                    + list(spec.selection.arns),
                    options=spec.selection,
                    base=spec.selection_base,
                )
            )
            for scope, plan, spec in zip(scopes, self.backup_plans, self.spec.plans, strict=True)
        )
        """Each plan's selections, in plan order."""
        self.selections: list[backup.BackupSelection] = list(self.plan_selections[0])
        """Every selection of the first plan, in order; more than one when the ARNs were
        split."""
        if self.selection_options.conditions:
            self.node.add_validation(
                CreatedFileSystemsSelected(self.file_systems, self.selection_options)
            )
        self.selection = self.selections[0]
        """The first selection (id ``Selection``, named ``<site>EFS``)."""
        self.selection_names = selection_names(self.site_name, len(self.selections))
        """``<site>EFS``, then ``<site>EFS-2``... one per selection."""
        self._add_assurance()
        if self.permissions_boundary is not None:
            iam.PermissionsBoundary.of(self).apply(
                iam.ManagedPolicy.from_managed_policy_arn(
                    self, "PermissionsBoundary", self.permissions_boundary
                )
            )

    def _add_plan(
        self, scope: Construct, spec: PlanSpec
    ) -> tuple[backup.BackupPlan, list[backup.BackupPlanRule], iam.IRole | None]:
        """One plan (child ``Plan`` of ``scope``) with its rules and settings, and its
        scanner role (a created one is shared: ``ScannerRole`` of the strategy)."""
        rules = [self._plan_rule(rule) for rule in spec.rules]
        plan = backup.BackupPlan(
            scope,
            "Plan",
            backup_plan_name=spec.full_name(self.site_name),
            backup_vault=self.vault,
            backup_plan_rules=rules,
        )
        scanner = add_plan_options(scope, plan, spec.rules, spec.plan_options, role_scope=self)
        return plan, rules, scanner

    def _role(self, role: iam.IRole | None) -> iam.IRole:
        """The given role, or a new ``Role`` with the managed policies the selection needs."""
        selects_s3 = S3_TYPE in self.selected_resource_types
        if role is not None:
            if selects_s3:
                Annotations.of(self).add_warning_v2(
                    "vaultplan:s3-role-policies",
                    "selection: it can select S3 buckets, and the role given to this "
                    "BackupStrategy must then have the AWS managed policies "
                    "AWSBackupServiceRolePolicyForS3Backup and "
                    "AWSBackupServiceRolePolicyForS3Restore (or their permissions), or S3 "
                    "backup jobs fail (https://docs.aws.amazon.com/aws-backup/latest/devguide/"
                    "s3-backups.html)",
                )
            return role
        count = len(self.backup_plans)
        created = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            description=(
                f"AWS Backup runs the {self.plan_name} jobs with this role"
                if count == 1
                else f"AWS Backup runs the jobs of the {count} {self.site_name} plans with this "
                "role"
            ),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(name)
                for name in role_policies(self.selected_resource_types)
            ],
        )
        suppress(created, BACKUP_ROLE_MANAGED_POLICIES)
        if selects_s3:
            suppress(created, BACKUP_ROLE_S3_MANAGED_POLICIES)
        if self.scanner_role is not None:
            created.add_managed_policy(scan_role_policy())
            suppress(created, BACKUP_ROLE_SCAN_POLICY)
        return created

    def _same_site_problems(self, stack: Stack) -> list[str]:
        """Another strategy of ``stack`` with this ``site_name``: its vault, plan and selection
        would have the same names (CloudFormation refuses the duplicate vault name)."""
        if is_unresolved(self.site_name):
            return []
        for other in stack.node.find_all():
            if (
                isinstance(other, BackupStrategy)
                and other is not self
                and other.site_name == self.site_name
            ):
                return [
                    f"site_name: got {self.site_name!r}, which the BackupStrategy at "
                    f"{other.node.path} in this stack also uses; the vault, plan and selection "
                    "names derive from it, so give each strategy its own site_name"
                ]
        return []

    def _add_vault(self) -> None:
        """The vault (new, or ``existing``), its key, topic and lock, and the air-gapped vault."""
        options = self.vault_options
        self.key: kms.IKey | None = None
        """The vault's KMS key; None with ``kms_key = "aws-managed"`` or an existing vault."""
        self.topic: sns.Topic | None = None
        """The notification topic; None when disabled, or with an existing vault."""
        self.notification_key: kms.Key | None = None
        self.lock: ResolvedLock | None = None
        """The vault lock as deployed (min/max filled in); None for mode ``none`` (or an
        existing vault)."""
        self.vault: backup.IBackupVault
        if options.existing is not None:
            self.vault = existing_vault(self, options.existing)
        else:
            self.key = vault_key(self, options, self.site_name)
            if isinstance(self.key, kms.Key):
                share_key_with_accounts(self.key, self.copy_accounts)
            made = notification_topic(self, self.notification_options, self.site_name)
            if made is not None:
                self.topic, self.notification_key = made
            self.lock = resolve_lock(options.lock, self.spec.all_rules)
            self.vault = vault_resource(
                self,
                name=self.vault_name,
                options=options,
                key=self.key,
                lock=self.lock,
                topic=self.topic,
                events=self.notification_options.events,
            )
        resolved = resolve_air_gapped(options.air_gapped, self.spec.all_rules, self.site_name)
        self.air_gapped_vault: backup.CfnLogicallyAirGappedBackupVault | None = (
            None if resolved is None else air_gapped_vault(self, resolved, options.removal_policy)
        )
        """The logically air-gapped vault (``AirGappedVault``); None when not asked for."""

    @property
    def selected_resource_types(self) -> frozenset[str]:
        """AWS Backup's names of the resource types the selections may pick (``EFS``, ``RDS``...).

        See :func:`~vaultplan.spec.selection.selected_resource_types`.
        """
        return self.spec.selected_resource_types(is_unresolved)

    @property
    def copy_accounts(self) -> list[str]:
        """The other accounts the rules copy recovery points to, sorted, once each.

        With an environment-agnostic stack every destination account counts (the stack's own
        account is not known); naming it in the key policy changes nothing.
        """
        stack_account = Stack.of(self).account
        source = None if Token.is_unresolved(stack_account) else stack_account
        actions = (action for rule in self.spec.all_rules for action in rule.copy_actions)
        return sorted({vault.account for _, vault in cross_account_destinations(actions, source)})

    def _restore_testing_arns(self) -> list[str]:
        """The EFS file systems restore tests take: ``file_systems``, then EFS ARNs selected."""
        return [file_system_arn(self, fs) for fs in self.file_systems] + efs_arns(
            self.selection_options.arns
        )

    def _add_assurance(self) -> None:
        """Restore testing and audit resources, when asked for (see ``assurance.py``)."""
        self.restore_testing_plan: backup.CfnRestoreTestingPlan | None = None
        self.restore_testing_selection: backup.CfnRestoreTestingSelection | None = None
        if self.restore_testing_options is not None:
            self.restore_testing_plan, self.restore_testing_selection = add_restore_testing(
                self,
                self.restore_testing_options,
                site_name=self.site_name,
                vault=self.vault,
                role=self.role,
                file_system_arns=self._restore_testing_arns(),
            )
        self.drill: RestoreDrill | None = None
        """The restore drill; None unless ``restore_testing.validation`` is set."""
        rt = self.restore_testing_options
        if rt is not None and rt.validation is not None and self.restore_testing_plan:
            self.drill = RestoreDrill(
                self,
                "Drill",
                options=rt.validation,
                plan=self.restore_testing_plan,
                plan_name=self.restore_testing_plan.restore_testing_plan_name,
                vpc=self.drill_vpc,
            )
        self.framework: backup.CfnFramework | None = None
        self.report_plans: tuple[backup.CfnReportPlan, ...] = ()
        if self.audit_options is not None:
            self.framework, self.report_plans = add_audit(
                self,
                self.audit_options,
                site_name=self.site_name,
                rules=self.rules,
                plan=self.plan,
                vault=self.vault,
                resource_types=sorted(self.selected_resource_types),
                lock_retention=None
                if self.lock is None
                else (self.lock.min_retention_days, self.lock.max_retention_days),
                deletion_principals=self.spec.deletion_principals,
                restore_testing=self.restore_testing_options is not None,
            )
        self.report_plan = self.report_plans[0] if self.report_plans else None
        """The first report plan, or None (all of them: ``report_plans``)."""

    def _copy_action(self, action: CopyAction) -> backup.BackupPlanCopyActionProps:
        """The L2 copy action; each destination vault is imported once (``CopyVault<n>``)."""
        arn = action.destination_vault_arn
        if action.to_air_gapped:
            assert self.air_gapped_vault is not None
            arn = self.air_gapped_vault.attr_backup_vault_arn
        vault = self._copy_vaults.get(arn)
        if vault is None:
            vault = backup.BackupVault.from_backup_vault_arn(
                self, f"CopyVault{len(self._copy_vaults)}", arn
            )
            self._copy_vaults[arn] = vault
        return backup.BackupPlanCopyActionProps(
            destination_backup_vault=vault,
            delete_after=_days(action.delete_after_days),
            move_to_cold_storage_after=_days(action.move_to_cold_storage_after_days),
        )

    def _plan_rule(self, rule: RulePreset) -> backup.BackupPlanRule:
        def minutes(value: int | None) -> Duration | None:
            return None if value is None else Duration.minutes(value)

        days = _days
        # aws-cdk-lib 2.203.0 (the oldest the ranges allow) has no index_actions: pass it only
        # when set, so every other rule builds with that version (tests/test_packaging.py).
        extra: dict[str, object] = {}
        if rule.index_resource_types:
            extra["index_actions"] = [
                backup.BackupPlanIndexActionProps(
                    resource_types=[
                        backup.IndexActionResourceType(t) for t in rule.index_resource_types
                    ]
                )
            ]
        return backup.BackupPlanRule(
            rule_name=rule.full_name(self.site_name),
            schedule_expression=events.Schedule.expression(rule.schedule),
            schedule_expression_timezone=(
                None if rule.schedule_timezone is None else TimeZone.of(rule.schedule_timezone)
            ),
            delete_after=days(rule.delete_after_days),
            move_to_cold_storage_after=days(rule.move_to_cold_storage_after_days),
            start_window=minutes(rule.start_window_minutes),
            completion_window=minutes(rule.completion_window_minutes),
            copy_actions=[self._copy_action(action) for action in rule.copy_actions] or None,
            recovery_point_tags=dict(rule.recovery_point_tags) or None,
            enable_continuous_backup=True if rule.continuous_backup else None,
            **extra,  # type: ignore[arg-type]
        )


def _days(value: int | None) -> Duration | None:
    return None if value is None else Duration.days(value)
