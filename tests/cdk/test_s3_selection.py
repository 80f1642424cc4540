"""A selection that can select S3 buckets: the role gets AWS's two S3 managed policies.

AWS Backup for S3 needs ``AWSBackupServiceRolePolicyForS3Backup`` and
``AWSBackupServiceRolePolicyForS3Restore`` besides the general two (security-iam-awsmanpol.html,
s3-backups.html); without them every S3 backup job fails.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match, Template

from vaultplan import BackupStrategy
from vaultplan.cdk import SelectionOptions, TagCondition

FS = "fs-0123456789abcdef0"
GENERAL = ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]
S3 = ["AWSBackupServiceRolePolicyForS3Backup", "AWSBackupServiceRolePolicyForS3Restore"]


def synth(**props: Any) -> tuple[Stack, Template]:
    stack = Stack(App(), "Site")
    BackupStrategy(stack, "BackupStrategy", site_name="shop", **props)
    return stack, Template.from_stack(stack)


def managed_policies(template: Template) -> list[str]:
    (role,) = template.find_resources("AWS::IAM::Role").values()
    return [
        arn["Fn::Join"][1][-1].rsplit("/", 1)[-1] for arn in role["Properties"]["ManagedPolicyArns"]
    ]


@pytest.mark.parametrize(
    "selection",
    [
        pytest.param(SelectionOptions(arns=["arn:aws:s3:::shop-uploads"]), id="bucket-arn"),
        pytest.param(SelectionOptions(arns=["arn:aws:s3:::shop-*"]), id="bucket-pattern"),
        pytest.param(SelectionOptions(arns=["*"]), id="star"),
        pytest.param(
            SelectionOptions(conditions=[TagCondition.equals("backup", "true")]),
            id="conditions-alone",
        ),
    ],
)
def test_a_selection_that_can_select_s3_gives_the_role_the_s3_policies(
    selection: SelectionOptions,
) -> None:
    # GIVEN a selection by bucket ARN, bucket pattern, '*' or tag conditions alone
    # WHEN the strategy creates its role
    _, template = synth(selection=selection)
    # THEN the role has the general policies and the two S3 ones (no service-role/ path)
    assert managed_policies(template) == GENERAL + S3
    (role,) = template.find_resources("AWS::IAM::Role").values()
    s3_arns = [a["Fn::Join"][1][-1] for a in role["Properties"]["ManagedPolicyArns"][2:]]
    assert s3_arns == [f":iam::aws:policy/{name}" for name in S3]


def test_the_s3_policies_are_suppressed_for_cdk_nag_with_a_reason() -> None:
    _, template = synth(selection=SelectionOptions(arns=["arn:aws:s3:::shop-uploads"]))
    (role,) = template.find_resources("AWS::IAM::Role").values()
    rules = role["Metadata"]["cdk_nag"]["rules_to_suppress"]
    assert [r["applies_to"][0].rsplit("/", 1)[-1] for r in rules] == [GENERAL[0], S3[0]]


@pytest.mark.parametrize(
    "selection",
    [
        pytest.param(SelectionOptions(), id="efs-only"),
        pytest.param(
            SelectionOptions(arns=["arn:aws:rds:eu-west-1:111111111111:db:shop"]), id="rds"
        ),
        pytest.param(
            SelectionOptions(conditions=[TagCondition.equals("backup", "true")]),
            id="conditions-narrowing-the-efs",
        ),
    ],
)
def test_without_s3_the_role_keeps_the_general_two(selection: SelectionOptions) -> None:
    _, template = synth(file_systems=[FS], selection=selection)
    assert managed_policies(template) == GENERAL


def test_a_given_role_is_left_alone_and_a_synth_warning_names_the_s3_policies() -> None:
    # GIVEN the user's own role, whose policies the strategy can't know
    stack = Stack(App(), "Site")
    role = iam.Role.from_role_arn(stack, "Mine", "arn:aws:iam::111111111111:role/Backup")
    # WHEN the selection can select S3
    BackupStrategy(
        stack,
        "BackupStrategy",
        site_name="shop",
        role=role,
        selection=SelectionOptions(arns=["arn:aws:s3:::shop-uploads"]),
    )
    # THEN no role is created, and synth warns that the role needs the S3 policies
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::IAM::Role", 0)
    Annotations.from_stack(stack).has_warning(
        "/Site/BackupStrategy",
        Match.string_like_regexp(
            "can select S3 buckets.*AWSBackupServiceRolePolicyForS3Backup and "
            "AWSBackupServiceRolePolicyForS3Restore"
        ),
    )


def test_a_given_role_without_s3_gets_no_warning() -> None:
    stack = Stack(App(), "Site")
    role = iam.Role.from_role_arn(stack, "Mine", "arn:aws:iam::111111111111:role/Backup")
    BackupStrategy(stack, "BackupStrategy", site_name="shop", role=role, file_systems=[FS])
    Annotations.from_stack(stack).has_no_warning("*", Match.any_value())
