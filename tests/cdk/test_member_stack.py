"""``MemberAccountStack``: what each member account needs, from a config's ``[org]``.

GIVEN a config, WHEN the member stack is built (``build_member_stack``, what ``vaultplan synth
--org`` builds), THEN its template holds the vault and roles the backup policy names.
"""

from __future__ import annotations

from aws_cdk.assertions import Match, Template

from vaultplan.cdk.app import build_member_stack, new_app
from vaultplan.config import parse_config

BASE = """
[file_system]
create = false
[selection.conditions]
string_equals = { backup = "true" }
[org]
regions = ["eu-west-1", "us-east-1"]
"""


def template_of(text: str) -> Template:
    return Template.from_stack(build_member_stack(new_app(), parse_config(text)))


def test_a_permissions_boundary_is_each_accounts_policy_of_that_name() -> None:
    template = template_of(
        '[role]\npermissions_boundary = "arn:aws:iam::111111111111:policy/teams/BackupBoundary"\n'
        + BASE
    )
    template.has_resource(
        "AWS::IAM::Role",
        {
            "Condition": Match.any_value(),
            "Properties": Match.object_like(
                {
                    "RoleName": "example-backup-role",
                    "PermissionsBoundary": {
                        "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/"
                        "teams/BackupBoundary"
                    },
                }
            ),
        },
    )
    # the roles are made by the instance in the first Region listed
    template.has_condition("*", {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]})


def test_an_aws_managed_key_and_no_notifications_give_a_bare_vault() -> None:
    template = template_of(
        '[vault]\nkms_key = "aws-managed"\n[notifications]\nenabled = false\n' + BASE
    )
    template.resource_count_is("AWS::KMS::Key", 0)
    template.resource_count_is("AWS::SNS::Topic", 0)
    template.has_resource_properties(
        "AWS::Backup::BackupVault",
        {
            "BackupVaultName": "example",
            "EncryptionKeyArn": Match.absent(),
            "Notifications": Match.absent(),
        },
    )
