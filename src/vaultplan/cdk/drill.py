"""The restore drill: check the data of every restore test and report it on the restore job.

AWS Backup restore testing proves that a restore *job* succeeds; a validation step may then
report on each restore with ``PutRestoreValidationResult``, driven by the restore job's
EventBridge event (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-validation.html;
what AWS Backup infers for an EFS restore, a new encrypted file system:
https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html).
:class:`RestoreDrill` deploys that step for the strategy's restore testing plan:

- ``Rule``: an EventBridge rule on ``aws.backup`` ``Restore Job State Change`` events whose
  ``status`` is COMPLETED and whose ``restoreTestingPlanArn`` is this plan's (the event's detail
  names the plan that started the job: the restore testing validation guide's sample reads
  ``event.detail.restoreTestingPlanArn``; event reference:
  https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html);
- ``Orchestrator``: its target, outside the VPC (it calls AWS APIs only), which mounts the
  restored file system for the checker and reports the result (the steps, and why a second
  function: :mod:`vaultplan.drill.handler`);
- ``Checker``: in the file system's VPC, reads the restored tree through an access point and
  returns its :class:`~vaultplan.drill.validate.Report`; no AWS API call, no route out;
- ``MountSecurityGroup`` (the mount targets the orchestrator creates: NFS from the checker
  only) and, when the strategy gives a VPC, ``CheckerSecurityGroup`` (NFS out to the mount
  targets only);
- a role per function with one customer-managed policy each (``OrchestratorPolicy``,
  ``CheckerPolicy``), and an encrypted log group per function (``Key``, ``*LogGroup``).

Both functions run ``vaultplan/drill`` as their code asset (Python 3.13; boto3 is the runtime's,
nothing is bundled), and have a reserved concurrency of 1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Aws, Duration, Fn, RemovalPolicy
from aws_cdk import aws_backup as backup
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

import vaultplan.drill
from vaultplan.cdk.network import FLOW_LOG_RETENTION, logs_key
from vaultplan.cdk.suppressions import DRILL_SUPPRESSIONS, suppress_all
from vaultplan.drill.handler import TAG_KEY
from vaultplan.spec.drill import RestoreValidationOptions

__all__ = ["NFS_PORT", "RUNTIME", "RestoreDrill"]

RUNTIME = lambda_.Runtime.PYTHON_3_13
"""The functions' runtime; its boto3 has ``PutRestoreValidationResult``."""
NFS_PORT = 2049
CODE = Path(vaultplan.drill.__file__).parent
"""The functions' code asset: the ``vaultplan/drill`` folder as installed."""
_VPC_ACCESS = "service-role/AWSLambdaVPCAccessExecutionRole"


class RestoreDrill(Construct):
    """The drill of one restore testing plan (see the module's docstring for its children).

    :param plan: the restore testing plan whose completed jobs are checked.
    :param plan_name: its name, also the value of the ``vaultplan:drill`` tag the orchestrator
        puts on each restored file system and access point (the EFS permissions require it).
    :param vpc: the VPC to run the checker in (its isolated or private subnets), e.g. the
        created file system's; without it, ``options.vpc_id``, ``subnet_ids`` and
        ``security_group_ids``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        options: RestoreValidationOptions,
        plan: backup.CfnRestoreTestingPlan,
        plan_name: str,
        vpc: ec2.IVpc | None = None,
    ) -> None:
        super().__init__(scope, id)
        made_group = vpc is not None
        if vpc is not None:
            subnet_ids = list(vpc.select_subnets().subnet_ids)
            checker_group = ec2.SecurityGroup(
                self,
                "CheckerSecurityGroup",
                vpc=vpc,
                description="Restore drill checker: NFS to the restored file system only",
                allow_all_outbound=False,
            )
            checker_groups: Sequence[ec2.ISecurityGroup] = [checker_group]
        else:
            # Only the VPC id is used (subnets are given by id); the import wants a zone.
            vpc = ec2.Vpc.from_vpc_attributes(
                self,
                "Vpc",
                vpc_id=str(options.vpc_id),
                availability_zones=[Fn.select(0, Fn.get_azs())],
            )
            subnet_ids = list(options.subnet_ids)
            checker_groups = [
                ec2.SecurityGroup.from_security_group_id(self, f"CheckerGroup{i}", group)
                for i, group in enumerate(options.security_group_ids)
            ]
        self.mount_security_group = ec2.SecurityGroup(
            self,
            "MountSecurityGroup",
            vpc=vpc,
            description="Mount targets of restored file systems: NFS from the drill checker only",
            allow_all_outbound=False,
        )
        for group in checker_groups:
            if made_group:
                # Separate ingress and egress resources: two groups naming each other inline
                # would depend on each other.
                group.connections.allow_to(
                    self.mount_security_group,
                    ec2.Port.tcp(NFS_PORT),
                    "NFS from the restore drill checker to the restored file system",
                )
            else:
                self.mount_security_group.add_ingress_rule(
                    ec2.Peer.security_group_id(group.security_group_id),
                    ec2.Port.tcp(NFS_PORT),
                    "NFS from the restore drill checker",
                )
        self.key = logs_key(self, "Key", f"Encrypts the restore drill logs of {plan_name}")
        self.checker = self._function(
            "Checker",
            handler="handler.check",
            timeout=Duration.minutes(10),
            description=f"Checks the data of each {plan_name} restore (vaultplan drill)",
            environment={
                "EXPECTATIONS": json.dumps(options.expectations.to_json(), sort_keys=True),
            },
        )
        checker = self.checker.node.default_child
        assert isinstance(checker, lambda_.CfnFunction)
        checker.vpc_config = lambda_.CfnFunction.VpcConfigProperty(
            subnet_ids=subnet_ids,
            security_group_ids=[g.security_group_id for g in checker_groups],
        )
        self.checker_role.add_managed_policy(
            iam.ManagedPolicy.from_aws_managed_policy_name(_VPC_ACCESS)
        )
        # Pseudo parameters rather than the stack's Region and account: the same ARNs (and the
        # same cdk-nag findings, which the suppressions name) in every environment.
        file_systems = _arn("elasticfilesystem", "file-system/*")
        access_points = _arn("elasticfilesystem", "access-point/*")
        tagged = {"StringEquals": {f"aws:ResourceTag/{TAG_KEY}": plan_name}}
        self.checker_policy.add_statements(
            iam.PolicyStatement(
                sid="MountTheRestoredFileSystemReadOnly",
                actions=["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess"],
                resources=[file_systems],
                conditions={
                    **tagged,
                    "ArnLike": {"elasticfilesystem:AccessPointArn": access_points},
                    "Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"},
                },
            )
        )
        self.orchestrator = self._function(
            "Orchestrator",
            handler="handler.orchestrate",
            timeout=Duration.minutes(15),
            description=f"Mounts each {plan_name} restore for the checker and reports the result",
            environment={
                "RESTORE_TESTING_PLAN_ARN": plan.attr_restore_testing_plan_arn,
                "DRILL_TAG": plan_name,
                "CHECKER_FUNCTION": self.checker.function_name,
                "SUBNET_IDS": ",".join(subnet_ids),
                "MOUNT_SECURITY_GROUP": self.mount_security_group.security_group_id,
            },
        )
        subnets = [_arn("ec2", f"subnet/{subnet}") for subnet in subnet_ids]
        interfaces = _arn("ec2", "network-interface/*")
        mount_group = _arn("ec2", f"security-group/{self.mount_security_group.security_group_id}")
        request_tag = {
            "StringEquals": {f"aws:RequestTag/{TAG_KEY}": plan_name},
            "ForAllValues:StringEquals": {"aws:TagKeys": [TAG_KEY]},
        }
        self.orchestrator_policy.add_statements(
            # Neither call has an IAM resource type (Service Authorization Reference, AWS Backup).
            iam.PolicyStatement(
                sid="ReadTheRestoreJobAndReportItsValidation",
                actions=["backup:DescribeRestoreJob", "backup:PutRestoreValidationResult"],
                resources=["*"],
            ),
            iam.PolicyStatement(
                sid="TagTheRestoredFileSystemAndItsAccessPoint",
                actions=["elasticfilesystem:TagResource"],
                resources=[file_systems, access_points],
                conditions=request_tag,
            ),
            iam.PolicyStatement(
                sid="MountTargetsAndAccessPointOnTheTaggedRestore",
                actions=[
                    "elasticfilesystem:CreateMountTarget",
                    "elasticfilesystem:DeleteMountTarget",
                    "elasticfilesystem:DescribeMountTargets",
                    "elasticfilesystem:CreateAccessPoint",
                ],
                resources=[file_systems],
                conditions=tagged,
            ),
            iam.PolicyStatement(
                sid="ReadAndDeleteTheDrillsAccessPoints",
                actions=[
                    "elasticfilesystem:DescribeAccessPoints",
                    "elasticfilesystem:DeleteAccessPoint",
                ],
                resources=[access_points],
                conditions=tagged,
            ),
            # CreateMountTarget makes a network interface as the caller (EFS API reference).
            iam.PolicyStatement(
                sid="MountTargetInterfacesInTheDrillSubnets",
                actions=["ec2:CreateNetworkInterface"],
                resources=[*subnets, mount_group, interfaces],
            ),
            iam.PolicyStatement(
                sid="DeleteMountTargetInterfaces",
                actions=["ec2:DeleteNetworkInterface"],
                resources=[interfaces],
            ),
            iam.PolicyStatement(
                sid="DescribeTheNetwork",
                actions=["ec2:DescribeSubnets", "ec2:DescribeNetworkInterfaces"],
                resources=["*"],
            ),
            iam.PolicyStatement(
                sid="AttachAndRunTheChecker",
                actions=[
                    "lambda:UpdateFunctionConfiguration",
                    "lambda:GetFunctionConfiguration",
                    "lambda:InvokeFunction",
                ],
                resources=[self.checker.function_arn],
            ),
        )
        self.rule = events.Rule(
            self,
            "Rule",
            description=f"Completed restore jobs of {plan_name}: run the restore drill",
            event_pattern=events.EventPattern(
                source=["aws.backup"],
                detail_type=["Restore Job State Change"],
                detail={
                    "status": ["COMPLETED"],
                    "restoreTestingPlanArn": [plan.attr_restore_testing_plan_arn],
                },
            ),
            targets=[targets.LambdaFunction(self.orchestrator, retry_attempts=2)],
        )
        suppress_all(self, DRILL_SUPPRESSIONS)

    def _function(
        self,
        name: str,
        *,
        handler: str,
        timeout: Duration,
        description: str,
        environment: dict[str, str],
    ) -> lambda_.Function:
        """A function with its own role, customer-managed policy and encrypted log group."""
        role = iam.Role(
            self,
            f"{name}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"The restore drill's {name.lower()} runs with this role",
        )
        group = logs.LogGroup(
            self,
            f"{name}LogGroup",
            encryption_key=self.key,
            retention=FLOW_LOG_RETENTION,
            removal_policy=RemovalPolicy.RETAIN,
        )
        policy = iam.ManagedPolicy(
            self,
            f"{name}Policy",
            description=f"What the restore drill's {name.lower()} does",
            statements=[
                iam.PolicyStatement(
                    sid="WriteItsLog",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[group.log_group_arn],
                )
            ],
            roles=[role],
        )
        policy.add_statements(
            iam.PolicyStatement(
                sid="ReadItsEncryptedEnvironment",
                actions=["kms:Decrypt"],
                resources=[self.key.key_arn],
            )
        )
        setattr(self, f"{name.lower()}_role", role)
        setattr(self, f"{name.lower()}_policy", policy)
        # Passed as an immutable import: the function only references the role (no DependsOn
        # beside the GetAtt, cfn-lint W3005) and adds nothing to it (no inline policy).
        passed = iam.Role.from_role_arn(self, f"{name}PassedRole", role.role_arn, mutable=False)
        function = lambda_.Function(
            self,
            name,
            runtime=RUNTIME,
            handler=handler,
            code=lambda_.Code.from_asset(str(CODE), exclude=["__pycache__", "*.pyc"]),
            role=passed,
            timeout=timeout,
            memory_size=1024,
            description=description,
            environment=environment,
            environment_encryption=self.key,
            log_group=group,
            reserved_concurrent_executions=1,
        )
        # Lambda checks the role's permissions when it creates the function (VPC, logs).
        function.node.add_dependency(policy)
        return function

    checker_role: iam.Role
    checker_policy: iam.ManagedPolicy
    orchestrator_role: iam.Role
    orchestrator_policy: iam.ManagedPolicy


def _arn(service: str, resource: str) -> str:
    return f"arn:{Aws.PARTITION}:{service}:{Aws.REGION}:{Aws.ACCOUNT_ID}:{resource}"
