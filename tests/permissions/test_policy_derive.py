"""derive(): handler permissions, errata, scoping and the special resource types."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from aws_facts import VAULT_CREATION
from vaultplan.errors import InputError
from vaultplan.permissions import DeployPolicy, derive, unknown_actions
from vaultplan.permissions.document import MANAGED_POLICY_LIMIT, policy_size
from vaultplan.template import LoadedTemplate, load_template

MakeTemplate = Callable[..., LoadedTemplate]
ACCOUNT = "123456789012"
DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "fixtures" / "default_strategy.yaml"
SYNTHESIZED_DEFAULT = Path(__file__).resolve().parents[1] / "golden" / "default_template.json"


def default_policy(**kwargs: str) -> DeployPolicy:
    loaded = load_template(DEFAULT_TEMPLATE)
    assert isinstance(loaded, LoadedTemplate)
    return derive(loaded, **kwargs)  # type: ignore[arg-type]


def resources_of(policy: DeployPolicy, action: str) -> set[str]:
    return {g.resource for g in policy.grants if g.action == action}


def synthesized_default(**kwargs: str) -> DeployPolicy:
    """The policy of what ``vaultplan synth`` writes for the default config (its golden copy,
    which tests/cli/test_synth.py keeps equal to a fresh synth)."""
    loaded = load_template(SYNTHESIZED_DEFAULT, "site-backup")
    assert isinstance(loaded, LoadedTemplate)
    return derive(loaded, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("make", [synthesized_default, default_policy], ids=["synth", "fixture"])
def test_default_template_has_the_seven_vault_creation_permissions(
    make: Callable[..., DeployPolicy],
) -> None:
    policy = make()
    assert set(policy.actions) >= set(VAULT_CREATION)
    assert unknown_actions(policy.actions) == []
    assert policy.unresolved == ()


def test_synthesized_default_is_scoped_to_its_vault_and_generated_role() -> None:
    policy = synthesized_default(
        region="us-east-1", account=ACCOUNT, partition="aws", stack_name="site-backup"
    )
    vault = resources_of(policy, "backup:CreateBackupVault")
    assert vault == {f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:example"}
    # The backup role, and the role the VPC flow log delivers with (DeliverLogsPermissionArn).
    assert resources_of(policy, "iam:PassRole") == {
        f"arn:aws:iam::{ACCOUNT}:role/site-backup-BackupStrategyRole80CA22BA-*",
        f"arn:aws:iam::{ACCOUNT}:role/site-backup-VpcFlowLogRole0CBE3371-*",
    }
    stats = policy.scope_stats()
    assert stats.fraction >= 0.9, stats.unscoped_actions


def test_no_action_in_the_default_policy_is_unknown_to_iam() -> None:
    policy = default_policy(principal="user")
    assert policy.actions
    assert unknown_actions(policy.actions) == []


def test_schema_typo_backup_storage_mount_is_dropped_and_reported() -> None:
    policy = default_policy()
    assert "backup-storage:Mount" not in policy.actions
    dropped = [(n.resource_type, n.raw) for n in policy.dropped]
    assert ("AWS::Backup::BackupVault", "backup-storage:Mount") in dropped


def test_mount_capsule_has_no_resource_type_so_it_is_on_star() -> None:
    assert resources_of(default_policy(), "backup-storage:MountCapsule") == {"*"}


def test_named_vault_is_scoped_to_its_concrete_arn() -> None:
    policy = default_policy(region="eu-west-1", account=ACCOUNT, partition="aws")
    assert resources_of(policy, "backup:CreateBackupVault") == {
        f"arn:aws:backup:eu-west-1:{ACCOUNT}:backup-vault:Site"
    }


def test_without_options_star_stands_in_for_partition_region_and_account_only() -> None:
    assert resources_of(default_policy(), "backup:CreateBackupVault") == {
        "arn:*:backup:*:*:backup-vault:Site"
    }


def test_backup_plan_ids_are_random_so_the_id_part_is_star() -> None:
    policy = default_policy(region="us-east-1", account=ACCOUNT, partition="aws")
    assert resources_of(policy, "backup:CreateBackupPlan") == {
        f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-plan:*"
    }


def test_generated_role_name_uses_the_stack_name_pattern() -> None:
    policy = default_policy(account=ACCOUNT, partition="aws", stack_name="site")
    assert resources_of(policy, "iam:CreateRole") == {
        f"arn:aws:iam::{ACCOUNT}:role/site-BackupRole-*"
    }


def test_pass_role_is_scoped_to_the_template_role_and_its_service() -> None:
    policy = default_policy(account=ACCOUNT, partition="aws", stack_name="site")
    passes = [g for g in policy.grants if g.action == "iam:PassRole"]
    assert passes
    assert {g.resource for g in passes} == {f"arn:aws:iam::{ACCOUNT}:role/site-BackupRole-*"}
    assert {g.condition for g in passes} == {
        (("StringEquals", "iam:PassedToService", ("backup.amazonaws.com",)),)
    }


def test_sub_with_pseudo_parameters_resolves_to_a_concrete_arn(
    make_template: MakeTemplate,
) -> None:
    t = make_template(
        {
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {"BucketName": {"Fn::Sub": "logs-${AWS::AccountId}-${AWS::Region}"}},
            }
        }
    )
    policy = derive(t, region="us-west-2", account=ACCOUNT, partition="aws")
    assert resources_of(policy, "s3:CreateBucket") == {f"arn:aws:s3:::logs-{ACCOUNT}-us-west-2"}


def test_generated_s3_names_are_lower_case_and_truncated(make_template: MakeTemplate) -> None:
    t = make_template({"DataBucket": {"Type": "AWS::S3::Bucket"}})
    short = derive(t, stack_name="Prod", partition="aws")
    assert resources_of(short, "s3:CreateBucket") == {"arn:aws:s3:::prod-databucket-*"}
    long_stack = "S" * 60
    truncated = derive(t, stack_name=long_stack, partition="aws")
    (arn,) = resources_of(truncated, "s3:CreateBucket")
    assert arn.startswith("arn:aws:s3:::ss") and arn.endswith("*")
    assert len(arn) < len("arn:aws:s3:::") + 63


def test_errata_rename_efs_prefix_to_elasticfilesystem(make_template: MakeTemplate) -> None:
    t = make_template({"Domain": {"Type": "AWS::SageMaker::Domain", "Properties": {}}})
    policy = derive(t)
    assert "elasticfilesystem:DeleteFileSystem" in policy.actions
    assert not [a for a in policy.actions if a.startswith("efs:")]
    renamed = {n.raw: n.action for n in policy.renamed}
    assert renamed["efs:DeleteFileSystem"] == "elasticfilesystem:DeleteFileSystem"


def test_custom_resource_invokes_its_lambda_service_token(make_template: MakeTemplate) -> None:
    t = make_template(
        {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "hook"}},
            "Hook": {
                "Type": "Custom::Hook",
                "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn", "Arn"]}},
            },
        }
    )
    policy = derive(t, region="us-east-1", account=ACCOUNT, partition="aws")
    assert resources_of(policy, "lambda:InvokeFunction") == {
        f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:hook"
    }
    assert policy.unresolved == ()


def test_custom_resource_with_sns_token_publishes(make_template: MakeTemplate) -> None:
    token = "arn:aws:sns:us-east-1:111122223333:provisioning"
    t = make_template(
        {
            "Hook": {
                "Type": "AWS::CloudFormation::CustomResource",
                "Properties": {"ServiceToken": token},
            }
        }
    )
    assert resources_of(derive(t), "sns:Publish") == {token}


def test_metadata_and_wait_handles_need_nothing(make_template: MakeTemplate) -> None:
    t = make_template(
        {
            "CDKMetadata": {"Type": "AWS::CDK::Metadata"},
            "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
        }
    )
    policy = derive(t)
    assert policy.grants == () and policy.unresolved == ()


def test_types_without_handlers_and_unknown_types_are_unresolved(
    make_template: MakeTemplate,
) -> None:
    t = make_template(
        {
            "Build": {"Type": "AWS::CodeBuild::Project"},
            "Odd": {"Type": "AWS::No::Such"},
            "Vault": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "v"}},
        }
    )
    policy = derive(t)
    assert [(u.logical_id, u.reason) for u in policy.unresolved] == [
        ("Build", "resource type has no handler permissions in the schema"),
        ("Odd", "unknown resource type (no schema in cfn-lint 1.58.0)"),
    ]
    assert "backup:CreateBackupVault" in policy.actions


def test_for_user_adds_stack_actions_on_this_stack() -> None:
    policy = default_policy(
        principal="user", region="us-east-1", account=ACCOUNT, partition="aws", stack_name="site"
    )
    stack_arn = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/site/*"
    for action in (
        "cloudformation:CreateStack",
        "cloudformation:DeleteStack",
        "cloudformation:DescribeStackEvents",
        "cloudformation:CreateChangeSet",
    ):
        assert stack_arn in resources_of(policy, action), action
    assert "cloudformation:GetTemplateSummary" in policy.actions
    assert "cloudformation:CreateStack" not in default_policy().actions


def test_managed_policies_fit_the_limit() -> None:
    policy = default_policy(principal="user")
    docs = policy.managed_policies(limit=1500)
    assert len(docs) > 1
    assert all(policy_size(d) <= 1500 for d in docs)
    merged = sorted(
        a
        for d in docs
        for s in d["Statement"]
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    )
    whole = sorted(
        a
        for s in policy.document["Statement"]
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    )
    assert merged == whole
    assert all(policy_size(d) <= MANAGED_POLICY_LIMIT for d in policy.managed_policies())


def test_output_is_deterministic_with_unique_sids() -> None:
    first = default_policy(stack_name="site").document
    second = default_policy(stack_name="site").document
    assert first == second
    sids = [s["Sid"] for s in first["Statement"]]
    assert len(sids) == len(set(sids))
    assert all(sid.isalnum() for sid in sids)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("account", "12345", "--account: got '12345'"),
        ("partition", "aws-moon", "--partition: got 'aws-moon'"),
        ("stack_name", "1bad", "--stack-name: got '1bad'"),
        ("region", "mars-1", "--region: got 'mars-1'"),
    ],
)
def test_bad_options_are_input_errors(option: str, value: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        default_policy(**{option: value})


def test_the_six_backup_templates_produce_policies(backup_corpus_dir: Path) -> None:
    files = sorted(backup_corpus_dir.iterdir())
    assert len(files) == 6
    for f in files:
        loaded = load_template(f)
        assert isinstance(loaded, LoadedTemplate), f
        policy = derive(loaded, region="us-east-1", account=ACCOUNT, stack_name="s")
        assert any(a.startswith("backup:") for a in policy.actions), f
        assert unknown_actions(policy.actions) == [], f


def test_scoped_fraction_of_the_default_template_is_at_least_90_percent() -> None:
    # Issue 3, "Done when": with --account, --region and --stack-name, >= 90% of the actions
    # IAM lets you scope sit in statements narrower than "*".
    stats = default_policy(
        region="us-east-1", account=ACCOUNT, partition="aws", stack_name="site"
    ).scope_stats()
    assert stats.scopable > 30
    assert stats.fraction >= 0.9, stats.unscoped_actions


def test_getatt_of_a_name_attribute_resolves_to_the_name(make_template: MakeTemplate) -> None:
    t = make_template(
        {
            "Vault": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "v1"}},
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {
                    "BackupPlan": {
                        "BackupPlanName": "p",
                        "BackupPlanRule": [
                            {
                                "RuleName": "r",
                                "TargetBackupVault": {"Fn::GetAtt": ["Vault", "BackupVaultName"]},
                            }
                        ],
                    }
                },
            },
        }
    )
    policy = derive(t, region="us-east-1", account=ACCOUNT, partition="aws")
    assert resources_of(policy, "backup:TagResource") == {
        f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-plan:*",
        f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:v1",
    }


def test_cdk_out_for_user_reads_bootstrap_version_and_uses_staging_bucket(tmp_path: Path) -> None:
    import json

    from vaultplan.template import load

    out = tmp_path / "cdk.out"
    out.mkdir()
    template = {
        "Parameters": {
            "BootstrapVersion": {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/cdk-bootstrap/abc123/version",
            }
        },
        "Resources": {
            "Vault": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "v"}}
        },
    }
    (out / "Site.template.json").write_text(json.dumps(template))
    manifest = {
        "version": "36.0.0",
        "artifacts": {
            "Site": {
                "type": "aws:cloudformation:stack",
                "properties": {"templateFile": "Site.template.json", "stackName": "SiteStack"},
            }
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    loaded = load([out]).templates
    assert [t.name for t in loaded] == ["SiteStack"]
    policy = derive(
        list(loaded),
        principal="user",
        region="eu-west-1",
        account=ACCOUNT,
        partition="aws",
    )
    assert resources_of(policy, "ssm:GetParameter") == {
        f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/cdk-bootstrap/abc123/version"
    }
    assert resources_of(policy, "s3:PutObject") == {
        f"arn:aws:s3:::cdk-abc123-assets-{ACCOUNT}-eu-west-1/*"
    }
    assert f"arn:aws:cloudformation:eu-west-1:{ACCOUNT}:stack/SiteStack/*" in resources_of(
        policy, "cloudformation:CreateStack"
    )


def test_nested_stacks_are_flagged_and_transforms_need_change_set_rights(
    make_template: MakeTemplate,
) -> None:
    t = make_template(
        {
            "Child": {
                "Type": "AWS::CloudFormation::Stack",
                "Properties": {"TemplateURL": "https://x"},
            }
        },
        Transform="AWS::Serverless-2016-10-31",
    )
    policy = derive(t, principal="user", partition="aws", region="us-east-1")
    assert [u.logical_id for u in policy.unresolved] == ["Child"]
    assert "cloudformation:CreateStack" in policy.actions  # the nested stack's handler
    assert "arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31" in (
        resources_of(policy, "cloudformation:CreateChangeSet")
    )


def test_stack_name_with_several_templates_is_an_input_error(make_template: MakeTemplate) -> None:
    a = make_template({"Q": {"Type": "AWS::SQS::Queue"}}, name="a")
    b = make_template({"Q": {"Type": "AWS::SQS::Queue"}}, name="b")
    with pytest.raises(InputError, match="--stack-name: got 'x' for 2 templates"):
        derive([a, b], stack_name="x")


def test_named_log_groups_also_get_the_trailing_star_form(make_template: MakeTemplate) -> None:
    # CloudWatch Logs user guide (iam-access-control-overview-cwl): both ARN forms are used;
    # most actions are authorized on "log-group:NAME:*".
    t = make_template(
        {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "app"}}}
    )
    policy = derive(t, region="us-east-1", account=ACCOUNT, partition="aws")
    base = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:app"
    assert resources_of(policy, "logs:CreateLogGroup") == {base, base + ":*"}


# A Ref to a parameter: CloudFormation deploys the Default when no value is passed
# (CloudFormation user guide, "Parameters"), so the policy is scoped by it and says so.
PARAMETER_VAULT = {
    "Vault": {
        "Type": "AWS::Backup::BackupVault",
        "Properties": {"BackupVaultName": {"Ref": "VaultName"}},
    }
}


def test_ref_to_a_parameter_is_scoped_by_its_default_and_reported(
    make_template: MakeTemplate,
) -> None:
    t = make_template(
        PARAMETER_VAULT, Parameters={"VaultName": {"Type": "String", "Default": "shop"}}
    )
    policy = derive(t, region="us-east-1", account=ACCOUNT, partition="aws")
    assert resources_of(policy, "backup:CreateBackupVault") == {
        f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:shop"
    }
    assert [(a.name, a.value) for a in policy.assumed] == [("VaultName", "shop")]


def test_a_given_parameter_value_wins_over_the_default_and_is_not_reported(
    make_template: MakeTemplate,
) -> None:
    t = make_template(
        PARAMETER_VAULT, Parameters={"VaultName": {"Type": "String", "Default": "shop"}}
    )
    policy = derive(t, partition="aws", parameters={"VaultName": "prod"})
    assert resources_of(policy, "backup:CreateBackupVault") == {
        "arn:aws:backup:*:*:backup-vault:prod"
    }
    assert policy.assumed == ()


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({"Type": "String"}, id="no-default"),
        pytest.param({"Type": "String", "Default": "shop", "NoEcho": True}, id="no-echo"),
        pytest.param(
            {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/site/vault"}, id="ssm"
        ),
    ],
)
def test_parameters_without_a_usable_value_become_star(
    make_template: MakeTemplate, spec: dict[str, object]
) -> None:
    t = make_template(PARAMETER_VAULT, Parameters={"VaultName": spec})
    policy = derive(t, partition="aws")
    assert resources_of(policy, "backup:CreateBackupVault") == {"arn:aws:backup:*:*:backup-vault:*"}
    assert policy.assumed == ()


def test_unknown_parameter_name_is_an_input_error(make_template: MakeTemplate) -> None:
    t = make_template(PARAMETER_VAULT, Parameters={"VaultName": {"Type": "String"}})
    with pytest.raises(InputError, match=r"--parameters: got VaultNmae=x; .*VaultName"):
        derive(t, parameters={"VaultNmae": "x"})
