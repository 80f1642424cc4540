"""The default app's network hardening: a VPC flow log to an encrypted CloudWatch log group.

cdk-nag (AwsSolutions-VPC7, HIPAA/NIST ``VPCFlowLogsEnabled``) asks every VPC for a flow log.
The log group it writes to is itself checked: encrypted with a customer-managed key
(``CloudWatchLogGroupEncrypted``, checkov CKV_AWS_158), with a retention (``...RetentionPeriod``,
CKV_AWS_66) of at least a year (CKV_AWS_338). The role VPC Flow Logs assumes gets a
customer-managed policy scoped to that log group, not an inline policy (HIPAA/NIST
``IAMNoInlinePolicy``), and a trust policy limited to this account's flow logs (confused deputy).
"""

from __future__ import annotations

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

__all__ = ["FLOW_LOG_RETENTION", "VpcFlowLog", "logs_key"]

FLOW_LOG_RETENTION = logs.RetentionDays.ONE_YEAR
"""How long the flow log group keeps its events (checkov CKV_AWS_338 asks for a year or more)."""

# What VPC Flow Logs does with the log group, from the VPC user guide's
# "IAM role for publishing flow logs to CloudWatch Logs" (flow-logs-iam-role.html); the log group
# already exists, so logs:CreateLogGroup and logs:DescribeLogGroups are left out.
_WRITE_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams")
# What CloudWatch Logs does with the key (CloudWatch Logs user guide, encrypt-log-data-kms.html).
_LOGS_KEY_ACTIONS = (
    "kms:Encrypt*",
    "kms:Decrypt*",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Describe*",
)


def logs_key(scope: Construct, id: str, description: str) -> kms.Key:
    """A customer-managed key, rotated yearly and retained, for this account's log groups."""
    stack = Stack.of(scope)
    key = kms.Key(
        scope,
        id,
        description=description,
        enable_key_rotation=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    # Scoped to this account's and Region's log groups through the encryption context that
    # CloudWatch Logs sends; naming the group itself would make key and group depend on
    # each other.
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowCloudWatchLogsForThisAccountsLogGroups",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=list(_LOGS_KEY_ACTIONS),
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name="*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                }
            },
        )
    )
    return key


class VpcFlowLog(Construct):
    """A flow log of every packet (``ALL``) of ``vpc``, to an encrypted CloudWatch log group.

    Children: ``Key`` (a customer-managed KMS key with yearly rotation, retained on stack
    deletion), ``LogGroup`` (encrypted with it, events kept :data:`FLOW_LOG_RETENTION`, retained),
    ``Role`` (assumed by ``vpc-flow-logs.amazonaws.com`` for this account only) with ``Policy``
    (a customer-managed policy: write to this log group only) and ``Resource`` (the
    ``AWS::EC2::FlowLog``).
    """

    def __init__(self, scope: Construct, id: str, *, vpc: ec2.IVpc) -> None:
        super().__init__(scope, id)
        stack = Stack.of(self)
        self.key = logs_key(
            self, "Key", f"Encrypts the flow log of the VPC of stack {stack.stack_name}"
        )
        self.log_group = logs.LogGroup(
            self,
            "LogGroup",
            encryption_key=self.key,
            retention=FLOW_LOG_RETENTION,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.role = iam.Role(
            self,
            "Role",
            description="VPC Flow Logs writes the VPC's flow log to its log group with this role",
            assumed_by=iam.ServicePrincipal(
                "vpc-flow-logs.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": stack.format_arn(
                            service="ec2", resource="vpc-flow-log", resource_name="*"
                        )
                    },
                },
            ),
        )
        self.policy = iam.ManagedPolicy(
            self,
            "Policy",
            description="Write the VPC flow log to its log group",
            statements=[
                iam.PolicyStatement(
                    actions=list(_WRITE_ACTIONS), resources=[self.log_group.log_group_arn]
                )
            ],
            roles=[self.role],
        )
        # The L2 would add the same statement as an inline policy (AWS::IAM::Policy); the managed
        # policy above already grants it, so the flow log gets a role that takes no statements.
        self.flow_log = ec2.FlowLog(
            self,
            "Resource",
            resource_type=ec2.FlowLogResourceType.from_vpc(vpc),
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(
                self.log_group, self.role.without_policy_updates()
            ),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )
