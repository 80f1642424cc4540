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
    fs = efs.FileSystem(
        stack,
        "FileSystem",
        vpc=vpc,
        encrypted=True,
        enable_automatic_backups=False,
        vpc_subnets=ec2.SubnetSelection(subnet_type=isolated),
    )
    vault = backup.BackupVault(
        stack, "Vault", backup_vault_name="example", removal_policy=RemovalPolicy.RETAIN
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
