"""A plain aws-cdk-lib app that makes the same resources as ``vaultplan synth``'s defaults.

The baseline of ``bench_synth.py``: no vaultplan, no config, no checks, no summary. Usage:
``python benchmarks/plain_app.py OUTDIR``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App, Duration, RemovalPolicy, Stack
from aws_cdk import aws_backup as backup
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns


def main(outdir: str) -> None:
    app = App(outdir=outdir)
    stack = Stack(app, "example-backup")
    isolated = ec2.SubnetType.PRIVATE_ISOLATED
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Isolated", subnet_type=isolated, cidr_mask=24)
        ],
    )
    # The VPC's flow log, as the default app writes it (vaultplan.cdk.network).
    key = kms.Key(stack, "FlowLogKey", enable_key_rotation=True)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            resources=["*"],
        )
    )
    log_group = logs.LogGroup(
        stack, "FlowLogGroup", encryption_key=key, retention=logs.RetentionDays.ONE_YEAR
    )
    flow_role = iam.Role(
        stack, "FlowLogRole", assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com")
    )
    iam.ManagedPolicy(
        stack,
        "FlowLogPolicy",
        statements=[
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[log_group.log_group_arn],
            )
        ],
        roles=[flow_role],
    )
    ec2.FlowLog(
        stack,
        "FlowLog",
        resource_type=ec2.FlowLogResourceType.from_vpc(vpc),
        destination=ec2.FlowLogDestination.to_cloud_watch_logs(
            log_group, flow_role.without_policy_updates()
        ),
    )
    fs = efs.FileSystem(
        stack,
        "FileSystem",
        vpc=vpc,
        encrypted=True,
        enable_automatic_backups=False,
        vpc_subnets=ec2.SubnetSelection(subnet_type=isolated),
    )
    # The vault as the default strategy writes it: CMK, deny policy, lock, encrypted topic.
    vault_key = kms.Key(stack, "VaultKey", enable_key_rotation=True, alias="alias/example-backup")
    topic_key = kms.Key(
        stack, "TopicKey", enable_key_rotation=True, alias="alias/example-backup-notifications"
    )
    topic_key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("backup.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
        )
    )
    topic = sns.Topic(stack, "Topic", master_key=topic_key, enforce_ssl=True)
    vault = backup.BackupVault(
        stack,
        "Vault",
        backup_vault_name="example",
        removal_policy=RemovalPolicy.RETAIN,
        encryption_key=vault_key,
        access_policy=iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=[
                        "backup:DeleteRecoveryPoint",
                        "backup:UpdateRecoveryPointLifecycle",
                        "backup:PutBackupVaultAccessPolicy",
                    ],
                    resources=["*"],
                )
            ]
        ),
        lock_configuration=backup.LockConfiguration(
            min_retention=Duration.days(35), max_retention=Duration.days(365)
        ),
        notification_topic=topic,
        notification_events=[
            backup.BackupVaultEvents.BACKUP_JOB_COMPLETED,
            backup.BackupVaultEvents.COPY_JOB_FAILED,
            backup.BackupVaultEvents.RESTORE_JOB_COMPLETED,
        ],
    )
    plan = backup.BackupPlan(
        stack,
        "Plan",
        backup_plan_name="exampleEFSBackupPlan",
        backup_vault=vault,
        backup_plan_rules=[
            backup.BackupPlanRule(
                rule_name="exampleDailyWarmBackup",
                schedule_expression=events.Schedule.expression("cron(0 8 * * ? *)"),
                delete_after=Duration.days(35),
            ),
            backup.BackupPlanRule(
                rule_name="exampleMonthlyColdBackup",
                schedule_expression=events.Schedule.expression("cron(0 8 1 * ? *)"),
                move_to_cold_storage_after=Duration.days(30),
                delete_after=Duration.days(365),
            ),
        ],
    )
    role = iam.Role(
        stack,
        "Role",
        assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
        managed_policies=[
            iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AWSBackupServiceRolePolicyForBackup"
            ),
            iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AWSBackupServiceRolePolicyForRestores"
            ),
        ],
    )
    backup.BackupSelection(
        stack,
        "Selection",
        backup_plan=plan,
        backup_selection_name="exampleEFS",
        resources=[backup.BackupResource.from_arn(fs.file_system_arn)],
        role=role,
        disable_default_backup_policy=True,
    )
    app.synth()


if __name__ == "__main__":
    main(sys.argv[1])
