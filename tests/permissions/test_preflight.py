"""``vaultplan preflight`` and the deploy model: every derived policy passes it, and the
defects of issue 12 (each test here fails on the policies derived before the fix)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli_support import ROOT, run_vaultplan
from vaultplan.permissions import derive
from vaultplan.permissions.deploy import ModelOptions, model
from vaultplan.permissions.evaluate import parse_policy
from vaultplan.permissions.names import generated_name
from vaultplan.permissions.preflight import PolicySet, PreflightResult, preflight
from vaultplan.template import LoadedTemplate, load_template

DEFAULT = ROOT / "tests" / "golden" / "default_template.json"
ACCOUNT = "123456789012"
LONG_STACK = "a-deploy-stack-name-that-is-well-over-forty-characters"
Make = Callable[..., LoadedTemplate]


def check(template: LoadedTemplate, **options: Any) -> PreflightResult:
    """Derive the policy of ``template`` and preflight the template against it."""
    user = options.pop("user", False)
    policy = derive(template, principal="user" if user else "exec-role", **options)
    policies = PolicySet(parse_policy(policy.document))
    return preflight(template, policies, ModelOptions(user=user, **options))


def denied_lines(result: PreflightResult) -> list[str]:
    return [f"{v.call.logical_id} {v.call.action} {v.call.resource}" for v in result.denied]


def default_template() -> LoadedTemplate:
    loaded = load_template(DEFAULT)
    assert isinstance(loaded, LoadedTemplate)
    return loaded


# -- the seed's case --------------------------------------------------------------------------
def test_seed_policy_is_flagged_at_the_vault_create_with_mount_capsule(tmp_path: Path) -> None:
    policy = tmp_path / "seed.json"
    statement = {
        "Effect": "Allow",
        "Action": ["backup:*", "kms:*", "iam:*", "elasticfilesystem:*"],
        "Resource": "*",
    }
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    run = run_vaultplan("preflight", str(DEFAULT), "--policy", str(policy))
    assert run.returncode == 1, run.stderr
    block = run.stdout.split("(AWS::Backup::BackupVault) create:\n", 1)[1]
    assert block.splitlines()[0].strip() == "backup-storage:MountCapsule on *: no statement allows"
    summary = run.stdout.splitlines()[-1]
    assert summary.endswith("not evaluable") and " denied, " in summary


def test_derived_policy_passes_preflight_through_the_cli(tmp_path: Path) -> None:
    opts = ["--account", ACCOUNT, "--region", "eu-west-1", "--stack-name", LONG_STACK]
    derived = run_vaultplan("policy", str(DEFAULT), *opts)
    assert derived.returncode == 0, derived.stderr
    (tmp_path / "p.json").write_text(derived.stdout)
    run = run_vaultplan("preflight", str(DEFAULT), "--policy", str(tmp_path / "p.json"), *opts)
    assert run.returncode == 0, run.stdout
    assert " 0 denied" in run.stdout.splitlines()[-1]
    as_json = run_vaultplan(
        "preflight", str(DEFAULT), "--policy", str(tmp_path / "p.json"), *opts, "--format", "json"
    )
    assert json.loads(as_json.stdout)["denied"] == []


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--operations", "create,destroy"], "--operations"),
        (["--account", "12"], "--account"),
        (["--policy", "missing.json"], "--policy"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], field: str, tmp_path: Path) -> None:
    policy = tmp_path / "p.json"
    policy.write_text('{"Statement": []}')
    run = run_vaultplan("preflight", str(DEFAULT), "--policy", str(policy), *args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and field in run.stderr


def test_boundary_and_scp_deny_what_the_identity_policy_allows(tmp_path: Path) -> None:
    allow_all = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    no_kms = {
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "NoKms", "Effect": "Deny", "Action": "kms:*", "Resource": "*"},
        ]
    }
    only_backup = {"Statement": [{"Effect": "Allow", "Action": "backup:*", "Resource": "*"}]}
    for name, doc in (("all", allow_all), ("scp", no_kms), ("bound", only_backup)):
        (tmp_path / f"{name}.json").write_text(json.dumps(doc))
    base = ["preflight", str(DEFAULT), "--policy", str(tmp_path / "all.json")]
    assert run_vaultplan(*base).returncode == 0
    scp = run_vaultplan(*base, "--scp", str(tmp_path / "scp.json"), "--format", "json")
    reasons = {d["reason"] for d in json.loads(scp.stdout)["denied"]}
    assert reasons == {"explicit Deny in statement Sid NoKms of scp.json (SCP)"}
    bound = run_vaultplan(*base, "--boundary", str(tmp_path / "bound.json"), "--format", "json")
    denied = json.loads(bound.stdout)["denied"]
    assert {d["reason"] for d in denied} == {"outside the permissions boundary bound.json"}
    assert all(not d["action"].startswith("backup:") for d in denied)


# -- the defects of issue 12, each through derive + preflight ------------------------------------
def test_defect1_flow_log_tags_are_allowed_on_the_flow_log_itself() -> None:
    result = check(default_template(), account=ACCOUNT, region="eu-west-1")
    tags = [
        v
        for v in result.verdicts
        if v.call.resource_type == "AWS::EC2::FlowLog" and v.call.action == "ec2:CreateTags"
    ]
    assert [v for v in tags if ":vpc-flow-log/" in v.call.resource]
    assert denied_lines(result) == []


def test_defect2_lambda_generated_name_is_cut_by_the_pattern_limit(make_template: Make) -> None:
    lid = "CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E"
    template = make_template(
        {lid: {"Type": "AWS::Lambda::Function", "Properties": {"Role": "arn:aws:iam::1:role/x"}}}
    )
    result = check(template, stack_name="cdkx", account=ACCOUNT)
    assert denied_lines(result) == []
    policy = derive(template, stack_name="cdkx", account=ACCOUNT)
    functions = [g.resource for g in policy.grants if ":function:" in g.resource]
    assert functions and all(len(r.split(":function:")[1]) <= 65 for r in functions)


def test_defect3_framework_names_without_hyphens_scope_to_any_name(make_template: Make) -> None:
    template = make_template(
        {
            "rFramework": {
                "Type": "AWS::Backup::Framework",
                "Properties": {"FrameworkControls": [{"ControlName": "BACKUP_PLAN_MIN_FREQUENCY"}]},
            },
            "rReport": {
                "Type": "AWS::Backup::ReportPlan",
                "Properties": {
                    "ReportDeliveryChannel": {"S3BucketName": "b"},
                    "ReportSetting": {"ReportTemplate": "BACKUP_JOB_REPORT"},
                },
            },
        },
        name="mystack",
    )
    result = check(template, stack_name="mystack")
    assert denied_lines(result) == []
    policy = derive(template, stack_name="mystack")
    assert not [g.resource for g in policy.grants if "mystack-rFramework" in g.resource]


def test_defect4_control_parameters_never_become_resources(make_template: Make) -> None:
    principals = "arn:aws:iam::111111111111:role/BreakGlass,arn:aws:iam::111111111111:role/Ops"
    control = {
        "ControlName": "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
        "ControlInputParameters": [
            {"ParameterName": "principalArnList", "ParameterValue": principals}
        ],
    }
    template = make_template(
        {
            "Framework": {
                "Type": "AWS::Backup::Framework",
                "Properties": {"FrameworkControls": [control]},
            }
        }
    )
    policy = derive(template, region="eu-west-1", account=ACCOUNT)
    resources = {r for st in policy.statements for r in st.resources}
    assert not [r for r in resources if "BreakGlass" in r]
    assert not [r for r in resources if r.startswith("arn:*:*:") or ":*:*:eu-west-1" in r]
    assert denied_lines(check(template, region="eu-west-1", account=ACCOUNT)) == []


def test_defect5_efs_mount_target_gets_its_network_interface(make_template: Make) -> None:
    template = make_template(
        {
            "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {}},
            "Mount": {
                "Type": "AWS::EFS::MountTarget",
                "Properties": {"FileSystemId": {"Ref": "Fs"}, "SubnetId": "subnet-1"},
            },
        }
    )
    policy = derive(template, account=ACCOUNT)
    assert {"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces"} <= set(policy.actions)
    assert denied_lines(check(template, account=ACCOUNT)) == []


def _cdk_out(tmp_path: Path) -> Path:
    out = tmp_path / "cdk.out"
    out.mkdir()
    body = {
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {
            "BootstrapVersion": {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/cdk-bootstrap/hnb659fds/version",
            }
        },
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
    }
    (out / "app.template.json").write_text(json.dumps(body))
    role = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-%s-${AWS::Region}"
    assets = {
        "files": {"x": {"destinations": {"d": {"assumeRoleArn": role % "file-publishing-role"}}}}
    }
    (out / "app.assets.json").write_text(json.dumps(assets))
    manifest = {
        "artifacts": {
            "app.assets": {"type": "cdk:asset-manifest", "properties": {"file": "app.assets.json"}},
            "app": {
                "type": "aws:cloudformation:stack",
                "dependencies": ["app.assets"],
                "properties": {
                    "templateFile": "app.template.json",
                    "assumeRoleArn": role % "deploy-role",
                    "lookupRole": {"arn": role % "lookup-role"},
                },
            },
        }
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def test_defect6_user_gets_ssm_parameters_bootstrap_roles_and_transform(tmp_path: Path) -> None:
    from vaultplan.template import load

    (template,) = load([_cdk_out(tmp_path)]).templates
    assert isinstance(template, LoadedTemplate)
    result = check(template, user=True, account=ACCOUNT, region="eu-west-1")
    assert denied_lines(result) == []
    calls = {(v.call.action, v.call.resource) for v in result.verdicts}
    role = f"arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-%s-eu-west-1"
    for name in ("deploy-role", "lookup-role", "file-publishing-role"):
        assert ("sts:AssumeRole", role % name) in calls
    param = f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/cdk-bootstrap/hnb659fds/version"
    assert ("ssm:GetParameters", param) in calls
    transform = "arn:aws:cloudformation:eu-west-1:aws:transform/LanguageExtensions"
    assert ("cloudformation:CreateChangeSet", transform) in calls


def test_model_puts_random_ids_where_the_service_names_the_resource(make_template: Make) -> None:
    template = make_template({"Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {}}})
    calls = model(template, ModelOptions(account=ACCOUNT)).calls
    arns = {c.resource for c in calls if c.action == "elasticfilesystem:DeleteFileSystem"}
    (arn,) = arns
    assert arn.startswith(f"arn:aws:elasticfilesystem:us-east-1:{ACCOUNT}:file-system/r")
    narrow = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": arn[:-1] + "?x"}]}
    result = preflight(template, PolicySet(parse_policy(narrow)), ModelOptions(account=ACCOUNT))
    assert result.denied


# -- generated names ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stack", "lid", "prop", "expected_prefix"),
    [
        ("s", "Fn", {"maxLength": 64}, "s-Fn-"),
        (LONG_STACK, "Fn", {"maxLength": 64}, LONG_STACK[:24]),
        ("s", "L" * 80, {"maxLength": 64}, "s"),
        ("cdkx", "H" * 60, {"pattern": "^([a-zA-Z0-9_-]{1,64}|arn:.*)$"}, "cdkx"),
    ],
    ids=["fits", "long-stack-name", "long-logical-id", "limit-only-in-pattern"],
)
def test_generated_names_fit_the_limit(
    stack: str, lid: str, prop: dict[str, Any], expected_prefix: str
) -> None:
    name = generated_name(stack, lid, prop)
    assert name is not None
    assert name.prefix == expected_prefix
    assert len(name.example) <= 64 and name.example.startswith(name.prefix)


def test_a_pattern_without_hyphens_gets_no_generated_name() -> None:
    assert generated_name("mystack", "rFramework", {"pattern": "[a-zA-Z][_a-zA-Z0-9]*"}) is None


def test_lower_case_names_are_lower_cased() -> None:
    name = generated_name("Stack", "Bucket", {"maxLength": 63, "pattern": "^[a-z0-9.-]*$"})
    assert name is not None and name.example == name.example.lower()


# -- the whole corpus -----------------------------------------------------------------------------
@pytest.mark.slow
def test_every_corpus_policy_passes_preflight(corpus_dir: Path) -> None:
    files = sorted(
        p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml", ".yml")
    )
    evaluated = 0
    denied: list[str] = []
    options = {"account": ACCOUNT, "region": "eu-west-1", "stack_name": LONG_STACK}
    for f in files:
        try:
            loaded = load_template(f)
        except Exception:
            continue
        if not isinstance(loaded, LoadedTemplate):
            continue
        result = check(loaded, **options)
        evaluated += len(result.verdicts)
        denied.extend(f"{f.name}: {line}" for line in denied_lines(result))
    assert evaluated > 50_000
    assert denied == []
