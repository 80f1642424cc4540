"""The two stacks of a strategy across an organization: the management account's policy, and
what every member account needs before the policy can run there.

- :class:`ManagementPolicyStack`: one ``AWS::Organizations::Policy`` per backup policy
  (``Type: BACKUP_POLICY``), its ``Content`` a JSON object rather than a string, so that
  CloudFormation's drift detection compares it
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-organizations-policy.html).
  aws-cdk-lib has no L2 for it; this is the L1 ``CfnPolicy``.
- :class:`MemberAccountStack`: StackSet-ready (no CDK bootstrap, no assets, no environment):
  the vault the policy names, in each Region it is deployed to, with its key, access policy,
  lock and notifications as a single-account strategy has them; and the roles the policy
  names (``iam_role_arn``), with fixed names. IAM is global to an account, so only the stack
  instance in the first of ``[org] regions`` creates the roles (a ``HomeRegion`` condition):
  a second instance creating the same role name would fail. No plan and no selection: the
  policy makes those in each account
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html).

The member stack's resources sit under a construct with the id ``BackupStrategy``, so their
paths (``BackupStrategy/Role/Resource``...) are those of a single-account strategy, and the
same suppressions (:mod:`vaultplan.cdk.suppressions`) apply to them.
"""

from __future__ import annotations

from aws_cdk import (
    Aws,
    BootstraplessSynthesizer,
    CfnCondition,
    CfnResource,
    Fn,
    Stack,
)
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_organizations as organizations
from constructs import Construct

from vaultplan.aws import plan_options as aws_options
from vaultplan.aws.backup_role import S3_TYPE, role_policies
from vaultplan.aws.organizations import BACKUP_POLICY_TYPE
from vaultplan.cdk.plan_options import scan_role_policy
from vaultplan.cdk.suppressions import (
    BACKUP_ROLE_MANAGED_POLICIES,
    BACKUP_ROLE_S3_MANAGED_POLICIES,
    BACKUP_ROLE_SCAN_POLICY,
    SCANNER_ROLE_MANAGED_POLICY,
    suppress,
)
from vaultplan.cdk.vault import (
    BACKUP_SERVICE,
    notification_topic,
    share_key_with_accounts,
    vault_key,
    vault_resource,
)
from vaultplan.org.options import OrgOptions
from vaultplan.org.policy import BackupPolicy, MemberNames, member_names
from vaultplan.spec.copy import cross_account_destinations
from vaultplan.spec.strategy import StrategySpec
from vaultplan.spec.vault import resolve_lock

__all__ = ["ManagementPolicyStack", "MemberAccountResources", "MemberAccountStack"]


class ManagementPolicyStack(Stack):
    """The backup policies, to deploy in the organization's management account (or a
    delegated administrator): children ``Policy``, ``Policy2``..."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        policies: tuple[BackupPolicy, ...],
        target_ids: tuple[str, ...],
    ) -> None:
        super().__init__(
            scope,
            id,
            synthesizer=BootstraplessSynthesizer(),
            description="vaultplan: AWS Organizations backup policies",
        )
        self.policies = [
            organizations.CfnPolicy(
                self,
                "Policy" if i == 0 else f"Policy{i + 1}",
                name=policy.name,
                description=policy.description,
                type=BACKUP_POLICY_TYPE,
                content=policy.content,
                target_ids=list(target_ids) or None,
            )
            for i, policy in enumerate(policies)
        ]


class MemberAccountResources(Construct):
    """The vault (``Vault``, with ``Key``, ``NotificationKey``, ``Topic``) and the roles
    (``Role``, and ``ScannerRole`` with malware scanning) one member account needs."""

    def __init__(self, scope: Construct, id: str, *, spec: StrategySpec, org: OrgOptions) -> None:
        super().__init__(scope, id)
        self.names: MemberNames = member_names(spec)
        rules = spec.all_rules
        self.key: kms.IKey | None = vault_key(self, spec.vault, spec.site_name)
        if isinstance(self.key, kms.Key):
            actions = (action for rule in rules for action in rule.copy_actions)
            accounts = sorted(
                {vault.account for _, vault in cross_account_destinations(actions, spec.account)}
            )
            share_key_with_accounts(self.key, accounts)
        made = notification_topic(self, spec.notifications, spec.site_name)
        topic = None if made is None else made[0]
        self.vault = vault_resource(
            self,
            name=self.names.vault,
            options=spec.vault,
            key=self.key,
            lock=resolve_lock(spec.vault.lock, rules),
            topic=topic,
            events=spec.notifications.events,
        )
        self.home_region = CfnCondition(
            self, "HomeRegion", expression=Fn.condition_equals(Aws.REGION, org.home_region)
        )
        self.role = self._role(spec)
        self.scanner_role = self._scanner_role()

    def _in_home_region(self, role: iam.Role) -> None:
        resource = role.node.default_child
        assert isinstance(resource, CfnResource)
        resource.cfn_options.condition = self.home_region

    def _role(self, spec: StrategySpec) -> iam.Role:
        selected = spec.selected_resource_types()
        role = iam.Role(
            self,
            "Role",
            role_name=self.names.role,
            assumed_by=iam.ServicePrincipal(BACKUP_SERVICE),
            description=f"AWS Backup runs the jobs of the {spec.site_name} backup policy with it",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(name)
                for name in role_policies(selected)
            ],
        )
        suppress(role, BACKUP_ROLE_MANAGED_POLICIES)
        if S3_TYPE in selected:
            suppress(role, BACKUP_ROLE_S3_MANAGED_POLICIES)
        if self.names.scanner_role is not None:
            role.add_managed_policy(scan_role_policy())
            suppress(role, BACKUP_ROLE_SCAN_POLICY)
        if spec.permissions_boundary is not None:
            iam.PermissionsBoundary.of(role).apply(
                iam.ManagedPolicy.from_managed_policy_arn(
                    self, "PermissionsBoundary", _in_each_account(spec.permissions_boundary)
                )
            )
        self._in_home_region(role)
        return role

    def _scanner_role(self) -> iam.Role | None:
        if self.names.scanner_role is None:
            return None
        role = iam.Role(
            self,
            "ScannerRole",
            role_name=self.names.scanner_role,
            assumed_by=iam.ServicePrincipal(aws_options.SCANNER_PRINCIPAL),
            description="GuardDuty reads the backup policy's recovery points with this role",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(aws_options.SCANNER_ROLE_POLICY)
            ],
        )
        suppress(role, SCANNER_ROLE_MANAGED_POLICY)
        self._in_home_region(role)
        return role


def _in_each_account(policy_arn: str) -> str:
    """A customer managed policy's ARN in the account the stack is deployed to (each member
    account has its own policy of that name); an AWS managed one as it is."""
    head, _, rest = policy_arn.partition(":policy/")
    if head.endswith(":aws"):
        return policy_arn
    return Fn.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/" + rest)


class MemberAccountStack(Stack):
    """What each member account needs, in each Region of the policy (child
    ``BackupStrategy``: :class:`MemberAccountResources`)."""

    def __init__(self, scope: Construct, id: str, *, spec: StrategySpec, org: OrgOptions) -> None:
        super().__init__(
            scope,
            id,
            synthesizer=BootstraplessSynthesizer(),
            description=(
                f"vaultplan: the AWS Backup vault and roles the {spec.site_name} backup policy "
                "needs in each member account"
            ),
        )
        self.resources = MemberAccountResources(self, "BackupStrategy", spec=spec, org=org)
