"""``vaultplan check`` and ``vaultplan policy`` at scale: a generated 10,000-resource template
against a 500-resource one (issue 11, "Speed at scale").

CloudFormation takes 500 resources in a stack; 10,000 is twenty times that. Each template
mixes the types AWS Backup protects (EFS, EBS, DynamoDB, RDS, S3) with IAM roles and Lambda
functions, and one backup plan per 100 resources whose selection names its resources by
``Ref``/``Fn::GetAtt`` and by tag. Target: each command costs at most 20x at 10,000 what it
costs at 500 (linear growth). Each run is a whole process, as a user runs it; the figures are
its CPU time (user + system, which a loaded machine disturbs less than wall time), its wall
time and its peak memory (``ru_maxrss``), best of two runs; the ratio is of CPU times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_policy_scaling import lambda_role

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 500, 10_000
TARGET = 20.0
RUNS = 2
PER_PLAN = 100
_ARN = "arn:${AWS::Partition}:"


def _protected(i: int) -> tuple[str, dict[str, Any], Any]:
    """The ``i``-th protected resource: its logical id, body, and ARN as a selection names it."""
    kind = i % 5
    tags = [{"Key": "backup", "Value": "true" if i % 2 else "false"}]
    if kind == 0:
        lid = f"Files{i}"
        body = {"Type": "AWS::EFS::FileSystem", "Properties": {"Encrypted": True}}
        body["Properties"]["FileSystemTags"] = tags
        return lid, body, {"Fn::GetAtt": [lid, "Arn"]}
    if kind == 1:
        lid = f"Volume{i}"
        props = {"AvailabilityZone": "us-east-1a", "Size": 10, "Tags": tags}
        arn = {"Fn::Sub": _ARN + f"ec2:${{AWS::Region}}:${{AWS::AccountId}}:volume/${{{lid}}}"}
        return lid, {"Type": "AWS::EC2::Volume", "Properties": props}, arn
    if kind == 2:
        lid = f"Table{i}"
        props = {
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
            "Tags": tags,
        }
        return (
            lid,
            {"Type": "AWS::DynamoDB::Table", "Properties": props},
            {"Fn::GetAtt": [lid, "Arn"]},
        )
    if kind == 3:
        lid = f"Database{i}"
        props = {"Engine": "postgres", "DBInstanceClass": "db.t3.micro", "Tags": tags}
        arn = {"Fn::Sub": _ARN + f"rds:${{AWS::Region}}:${{AWS::AccountId}}:db:${{{lid}}}"}
        return lid, {"Type": "AWS::RDS::DBInstance", "Properties": props}, arn
    lid = f"Bucket{i}"
    return (
        lid,
        {"Type": "AWS::S3::Bucket", "Properties": {"Tags": tags}},
        {"Fn::GetAtt": [lid, "Arn"]},
    )


def template(count: int) -> dict[str, Any]:
    """About ``count`` resources: per 100, 80 protected ones, 8 roles, 8 functions, a plan,
    a selection, a vault and a role for the selection."""
    resources: dict[str, Any] = {}
    for group in range(max(1, count // PER_PLAN)):
        base = group * PER_PLAN
        arns = []
        for i in range(base, base + 80):
            lid, body, arn = _protected(i)
            resources[lid] = body
            arns.append(arn)
        for i in range(base, base + 8):
            resources[f"Role{i}"] = lambda_role()
            resources[f"Function{i}"] = {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "index.handler",
                    "Role": {"Fn::GetAtt": [f"Role{i}", "Arn"]},
                    "Code": {"ZipFile": "def handler(event, context): pass"},
                },
            }
        resources[f"Vault{group}"] = {
            "Type": "AWS::Backup::BackupVault",
            "Properties": {"BackupVaultName": f"vault-{group}"},
        }
        resources[f"Plan{group}"] = {
            "Type": "AWS::Backup::BackupPlan",
            "Properties": {
                "BackupPlan": {
                    "BackupPlanName": f"plan-{group}",
                    "BackupPlanRule": [
                        {
                            "RuleName": "Daily",
                            "TargetBackupVault": {"Ref": f"Vault{group}"},
                            "ScheduleExpression": "cron(0 5 * * ? *)",
                            "Lifecycle": {"DeleteAfterDays": 35},
                        },
                        {
                            "RuleName": "Monthly",
                            "TargetBackupVault": {"Ref": f"Vault{group}"},
                            "ScheduleExpression": "cron(0 5 1 * ? *)",
                            "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 365},
                        },
                    ],
                }
            },
        }
        resources[f"SelectionRole{group}"] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "backup.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ]
                },
                "ManagedPolicyArns": [
                    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
                ],
            },
        }
        resources[f"Selection{group}"] = {
            "Type": "AWS::Backup::BackupSelection",
            "Properties": {
                "BackupPlanId": {"Ref": f"Plan{group}"},
                "BackupSelection": {
                    "SelectionName": f"selection-{group}",
                    "IamRoleArn": {"Fn::GetAtt": [f"SelectionRole{group}", "Arn"]},
                    "Resources": arns[:60],
                    "ListOfTags": [
                        {
                            "ConditionType": "STRINGEQUALS",
                            "ConditionKey": "backup",
                            "ConditionValue": "true",
                        }
                    ],
                },
            },
        }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def run(args: list[str]) -> tuple[float, float, float]:
    """Best CPU time (s), with its wall time (s) and peak memory (MB), of ``vaultplan ARGS``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    best: tuple[float, float, float] = (float("inf"), 0.0, 0.0)
    for _ in range(RUNS):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "vaultplan", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"vaultplan {' '.join(args)} failed")
        cpu = usage.ru_utime + usage.ru_stime
        if cpu < best[0]:
            best = (cpu, wall, usage.ru_maxrss / 1024)  # ru_maxrss is in kB on Linux
    return best


def main() -> int:
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for count in (SMALL, LARGE):
            paths[count] = Path(tmp) / f"t{count}.json"
            paths[count].write_text(json.dumps(template(count)))
        for command in (["check"], ["policy"]):
            figures = {count: run([*command, str(paths[count])]) for count in (SMALL, LARGE)}
            for count, (cpu, wall, mb) in figures.items():
                print(
                    f"{command[0]}, {count:>6,} resources: {cpu:6.2f} s CPU, {wall:6.2f} s "
                    f"wall, {mb:6.0f} MB peak"
                )
            ratio = figures[LARGE][0] / figures[SMALL][0]
            ok = ratio <= TARGET
            failed += not ok
            print(
                f"{command[0]}: ratio {LARGE:,} / {SMALL:,} = {ratio:.1f} "
                f"(target at most {TARGET:g}): {'ok' if ok else 'FAIL'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
