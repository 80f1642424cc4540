"""The restore drill on the synthesized template: rule, functions, network and scoped roles.

GIVEN a strategy whose restore testing validates each restore, WHEN it is synthesized, THEN the
template holds an EventBridge rule on this plan's completed restore jobs, the orchestrator
(outside the VPC) and the checker (in the VPC), the NFS-only security groups, and roles
scoped to the one validation call, the tagged restores and the checker.
Sources: restore-testing-validation.html, eventbridge.html (AWS Backup developer guide).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk.assertions import Match, Template

from vaultplan.cdk import BackupStrategy, RestoreTestingOptions, RestoreValidationOptions
from vaultplan.cdk.drill import RUNTIME

VALIDATION = RestoreValidationOptions(
    expect_paths=("data/index.db",),
    min_file_count=10,
    min_total_bytes=2048,
    checksum_manifest="MANIFEST.sha256",
)
NETWORK = {
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"),
    "security_group_ids": ("sg-0123456789abcdef0",),
}


def options(validation: RestoreValidationOptions, window: int | None = 4) -> RestoreTestingOptions:
    return RestoreTestingOptions(validation_window_hours=window, validation=validation)


@pytest.fixture(scope="module")
def built() -> tuple[BackupStrategy, Template]:
    stack = Stack(App(), "Site")
    vpc = ec2.Vpc(stack, "Vpc", nat_gateways=0, max_azs=2)
    uploads = efs.FileSystem(stack, "Uploads", vpc=vpc, encrypted=True)
    strategy = BackupStrategy(
        stack,
        "Backup",
        site_name="my-site",
        file_systems=[uploads],
        restore_testing=options(VALIDATION),
        drill_vpc=vpc,
    )
    return strategy, Template.from_stack(stack)


def resources(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = template.find_resources(kind)
    return found


def function(template: Template, handler: str) -> dict[str, Any]:
    (fn,) = [
        r["Properties"]
        for r in resources(template, "AWS::Lambda::Function").values()
        if r["Properties"]["Handler"] == handler
    ]
    return fn


def policy_of(template: Template, description: str) -> list[dict[str, Any]]:
    (policy,) = [
        r["Properties"]["PolicyDocument"]["Statement"]
        for r in resources(template, "AWS::IAM::ManagedPolicy").values()
        if r["Properties"]["Description"] == description
    ]
    return policy


def test_the_rule_matches_only_this_plans_completed_restore_jobs(
    built: tuple[BackupStrategy, Template],
) -> None:
    strategy, template = built
    assert strategy.drill is not None and strategy.restore_testing_plan is not None
    plan_id = Stack.of(strategy).resolve(strategy.restore_testing_plan.logical_id)
    template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": {
                "source": ["aws.backup"],
                "detail-type": ["Restore Job State Change"],
                "detail": {
                    "status": ["COMPLETED"],
                    "restoreTestingPlanArn": [{"Fn::GetAtt": [plan_id, "RestoreTestingPlanArn"]}],
                },
            },
            "State": "ENABLED",
            "Targets": [Match.object_like({"Arn": {"Fn::GetAtt": [Match.any_value(), "Arn"]}})],
        },
    )


def test_the_checker_runs_in_the_vpc_and_the_orchestrator_outside(
    built: tuple[BackupStrategy, Template],
) -> None:
    _, template = built
    checker = function(template, "handler.check")
    orchestrator = function(template, "handler.orchestrate")
    assert (checker["Runtime"], orchestrator["Runtime"]) == (RUNTIME.name, RUNTIME.name)
    assert len(checker["VpcConfig"]["SubnetIds"]) == 2
    assert len(checker["VpcConfig"]["SecurityGroupIds"]) == 1
    assert "VpcConfig" not in orchestrator
    assert checker["ReservedConcurrentExecutions"] == 1
    assert orchestrator["ReservedConcurrentExecutions"] == 1
    assert "KmsKeyArn" in checker and "KmsKeyArn" in orchestrator
    assert json.loads(checker["Environment"]["Variables"]["EXPECTATIONS"]) == {
        "checksum_manifest": "MANIFEST.sha256",
        "expect_paths": ["data/index.db"],
        "min_file_count": 10,
        "min_total_bytes": 2048,
    }
    env = orchestrator["Environment"]["Variables"]
    assert env["DRILL_TAG"] == "my_siteRestoreTest"
    assert set(env) == {
        "RESTORE_TESTING_PLAN_ARN",
        "DRILL_TAG",
        "CHECKER_FUNCTION",
        "SUBNET_IDS",
        "MOUNT_SECURITY_GROUP",
    }


def test_the_mount_targets_take_nfs_from_the_checker_only(
    built: tuple[BackupStrategy, Template],
) -> None:
    _, template = built
    (ingress,) = resources(template, "AWS::EC2::SecurityGroupIngress").values()
    (egress,) = resources(template, "AWS::EC2::SecurityGroupEgress").values()
    for rule in (ingress["Properties"], egress["Properties"]):
        assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 2049, 2049)


def test_the_checker_role_mounts_only_tagged_restores_through_an_access_point(
    built: tuple[BackupStrategy, Template],
) -> None:
    _, template = built
    statements = policy_of(template, "What the restore drill's checker does")
    (mount,) = [s for s in statements if s.get("Sid") == "MountTheRestoredFileSystemReadOnly"]
    assert mount["Action"] == [
        "elasticfilesystem:ClientMount",
        "elasticfilesystem:ClientRootAccess",
    ]
    assert mount["Condition"]["StringEquals"] == {
        "aws:ResourceTag/vaultplan:drill": "my_siteRestoreTest"
    }
    assert mount["Condition"]["Bool"] == {"elasticfilesystem:AccessedViaMountTarget": "true"}
    assert "elasticfilesystem:AccessPointArn" in mount["Condition"]["ArnLike"]
    actions = {
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert not any(a.startswith(("elasticfilesystem:ClientWrite", "backup:")) for a in actions)


def test_the_orchestrator_role_has_the_one_validation_call_and_tag_scoped_efs(
    built: tuple[BackupStrategy, Template],
) -> None:
    _, template = built
    statements = {
        s["Sid"]: s for s in policy_of(template, "What the restore drill's orchestrator does")
    }
    report = statements["ReadTheRestoreJobAndReportItsValidation"]
    assert report["Action"] == ["backup:DescribeRestoreJob", "backup:PutRestoreValidationResult"]
    assert report["Resource"] == "*"
    tag = statements["TagTheRestoredFileSystemAndItsAccessPoint"]["Condition"]
    assert tag["StringEquals"] == {"aws:RequestTag/vaultplan:drill": "my_siteRestoreTest"}
    assert tag["ForAllValues:StringEquals"] == {"aws:TagKeys": ["vaultplan:drill"]}
    for sid in (
        "MountTargetsAndAccessPointOnTheTaggedRestore",
        "ReadAndDeleteTheDrillsAccessPoints",
    ):
        assert statements[sid]["Condition"] == {
            "StringEquals": {"aws:ResourceTag/vaultplan:drill": "my_siteRestoreTest"}
        }
    assert statements["AttachAndRunTheChecker"]["Action"] == [
        "lambda:UpdateFunctionConfiguration",
        "lambda:GetFunctionConfiguration",
        "lambda:InvokeFunction",
    ]
    # No inline policy anywhere (HIPAA/NIST IAMNoInlinePolicy): the functions add nothing.
    assert resources(template, "AWS::IAM::Policy") == {}


def test_an_existing_network_by_id_runs_the_checker_there() -> None:
    stack = Stack(App(), "Ids")
    BackupStrategy(
        stack,
        "Backup",
        site_name="ids",
        file_systems=["fs-0123456789abcdef0"],
        restore_testing=options(RestoreValidationOptions(**NETWORK)),  # type: ignore[arg-type]
    )
    template = Template.from_stack(stack)
    checker = function(template, "handler.check")
    assert checker["VpcConfig"] == {
        "SubnetIds": list(NETWORK["subnet_ids"]),
        "SecurityGroupIds": list(NETWORK["security_group_ids"]),
    }
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "VpcId": NETWORK["vpc_id"],
            "SecurityGroupIngress": [
                Match.object_like(
                    {"FromPort": 2049, "SourceSecurityGroupId": "sg-0123456789abcdef0"}
                )
            ],
        },
    )


def test_no_validation_no_drill() -> None:
    stack = Stack(App(), "Plain")
    strategy = BackupStrategy(
        stack,
        "Backup",
        site_name="plain",
        file_systems=["fs-0123456789abcdef0"],
        restore_testing=RestoreTestingOptions(),
    )
    assert strategy.drill is None
    assert resources(Template.from_stack(stack), "AWS::Lambda::Function") == {}


@pytest.mark.parametrize(
    ("validation", "window", "vpc", "message"),
    [
        pytest.param(
            RestoreValidationOptions(),
            4,
            False,
            "restore_testing.validation.vpc_id: got None; the strategy creates no VPC",
            id="no-network",
        ),
        pytest.param(
            RestoreValidationOptions(**NETWORK),  # type: ignore[arg-type]
            None,
            False,
            "restore_testing.validation_window_hours: got None with validation on",
            id="no-window",
        ),
        pytest.param(
            RestoreValidationOptions(**NETWORK),  # type: ignore[arg-type]
            4,
            True,
            "restore_testing.validation.vpc_id: got 'vpc-0123456789abcdef0' (with subnet_ids",
            id="network-and-vpc",
        ),
        pytest.param(
            RestoreValidationOptions(expect_paths=("../x",)),
            4,
            True,
            "restore_testing.validation.expect_paths[0]: got '../x'; '..' would leave",
            id="escape",
        ),
    ],
)
def test_the_construct_refuses_a_drill_that_cannot_work(
    validation: RestoreValidationOptions, window: int | None, vpc: bool, message: str
) -> None:
    stack = Stack(App(), "Bad")
    drill_vpc = ec2.Vpc(stack, "Vpc", nat_gateways=0, max_azs=1) if vpc else None
    with pytest.raises(ValueError, match=None) as raised:
        BackupStrategy(
            stack,
            "Backup",
            site_name="bad",
            file_systems=["fs-0123456789abcdef0"],
            restore_testing=options(validation, window),
            drill_vpc=drill_vpc,
        )
    assert str(raised.value).startswith(message)
