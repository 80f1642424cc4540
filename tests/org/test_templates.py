"""The two templates of a strategy across an organization, through the CLI.

``vaultplan org policy --out`` writes the policy files and the management-account template;
``vaultplan synth --org`` the member-account template, whose vault and role are the ones the
policy names, and which ``vaultplan policy`` and ``vaultplan preflight`` deploy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cli_support import PLAIN, ROOT, run_vaultplan

EXAMPLE = ROOT / "examples" / "org.toml"
# Two synths through the CLI (~40 s).
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Written:
    work: Path
    policy: dict[str, Any]
    policy_text: str
    management: dict[str, Any]
    policy_stdout: str
    policy_stderr: str
    member_path: Path
    member: dict[str, Any]
    member_summary: dict[str, Any]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    work = tmp_path_factory.mktemp("org")
    policy = run_vaultplan(
        "org", "policy", "--config", str(EXAMPLE), "--out", "org", cwd=work, env=PLAIN
    )
    assert policy.returncode == 0, policy.stderr
    member = run_vaultplan(
        "synth",
        "--org",
        "--config",
        str(EXAMPLE),
        "--out",
        "member.out",
        "--format",
        "json",
        cwd=work,
    )
    assert member.returncode == 0, member.stderr
    summary = json.loads(member.stdout)
    text = (work / "org" / "shop-backup-policy.json").read_text()
    return Written(
        work=work,
        policy=json.loads(text),
        policy_text=text,
        management=json.loads((work / "org" / "shop-backup-management.template.json").read_text()),
        policy_stdout=policy.stdout,
        policy_stderr=policy.stderr,
        member_path=work / summary["template"],
        member=json.loads((work / summary["template"]).read_text()),
        member_summary=summary,
    )


def of_type(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def test_org_policy_writes_the_minified_policy_and_says_what_is_left(written: Written) -> None:
    assert written.policy_text == json.dumps(written.policy, separators=(",", ":")) + "\n"
    assert written.policy_stdout.splitlines() == [
        "Policy written to org/shop-backup-policy.json",
        "Management-account template written to org/shop-backup-management.template.json",
    ]
    assert written.policy_stderr.splitlines() == [
        "note: backup policies apply only once the BACKUP_POLICY type is enabled in the "
        "organization's root, which no CloudFormation resource does: aws organizations "
        "enable-policy-type --root-id r-... --policy-type BACKUP_POLICY",
        "note: each account the policy applies to needs the vault shop in us-east-1, eu-west-1 "
        "and the role shop-backup-role before its plans can run: deploy the template of "
        "'vaultplan synth --org' to them as a StackSet",
    ]


def test_the_management_template_creates_the_policy_with_its_content_as_an_object(
    written: Written,
) -> None:
    (policy,) = of_type(written.management, "AWS::Organizations::Policy")
    assert policy["Properties"] == {
        "Name": "shop-backup-policy",
        "Description": "AWS Backup plan shopEFSBackupPlan for every account of the workloads OU",
        "Type": "BACKUP_POLICY",
        # an object, not a string: CloudFormation's drift detection compares it
        "Content": written.policy,
        "TargetIds": ["ou-ab12-11111111"],
    }
    assert list(written.management["Resources"]) == ["Policy"]
    assert "Parameters" not in written.management  # no CDK bootstrap version


def test_the_member_template_holds_what_the_policy_names_and_no_plan(written: Written) -> None:
    (plan,) = written.policy["plans"].values()
    vaults = {r["target_backup_vault_name"]["@@assign"] for r in plan["rules"].values()}
    role_arn = plan["selections"]["tags"]["shopEFS"]["iam_role_arn"]["@@assign"]
    (vault,) = of_type(written.member, "AWS::Backup::BackupVault")
    assert {vault["Properties"]["BackupVaultName"]} == vaults
    assert vault["DeletionPolicy"] == "Retain"
    assert "EncryptionKeyArn" in vault["Properties"]
    assert vault["Properties"]["LockConfiguration"]["MinRetentionDays"] == 35
    assert vault["Properties"]["Notifications"]["BackupVaultEvents"]
    (role,) = of_type(written.member, "AWS::IAM::Role")
    assert role_arn == f"arn:aws:iam::$account:role/{role['Properties']['RoleName']}"
    # a tag selection can pick S3 buckets: the role has the S3 policies
    policies = [
        a["Fn::Join"][1][-1].rsplit("/", 1)[-1] for a in role["Properties"]["ManagedPolicyArns"]
    ]
    assert policies == [
        "AWSBackupServiceRolePolicyForBackup",
        "AWSBackupServiceRolePolicyForRestores",
        "AWSBackupServiceRolePolicyForS3Backup",
        "AWSBackupServiceRolePolicyForS3Restore",
    ]
    # IAM is global: only the stack instance in the first Region makes the named role
    assert written.member["Conditions"][role["Condition"]] == {
        "Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]
    }
    # the policy makes the plan and the selection; the key lets the central account copy
    assert of_type(written.member, "AWS::Backup::BackupPlan") == []
    assert of_type(written.member, "AWS::Backup::BackupSelection") == []
    key = next(
        r
        for r in of_type(written.member, "AWS::KMS::Key")
        if "notification" not in json.dumps(r).lower()
    )
    assert "AllowCrossAccountCopiesTo222222222222" in json.dumps(key["Properties"]["KeyPolicy"])
    assert "Parameters" not in written.member  # StackSet-ready: no CDK bootstrap


def test_synth_org_notes_the_management_account_gap_and_the_policy_type(
    written: Written,
) -> None:
    summary = written.member_summary
    assert summary["stack"] == "shop-backup-member"
    assert summary["notes"] == [
        "deploy this template as a StackSet in us-east-1, eu-west-1 (every Region of "
        "org.regions): each instance makes the vault shop; IAM is global, so only the "
        "instance in us-east-1 makes the roles",
        "service-managed StackSets never deploy to the management account, yet a backup "
        "policy attached to the root applies to it: deploy this template there as a plain "
        "stack in each Region too, or keep the management account out of the policy's targets "
        "(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
        "stacksets-orgs-manage-auto-deployment.html)",
        "backup policies apply only once the BACKUP_POLICY type is enabled in the "
        "organization's root, which no CloudFormation resource does: aws organizations "
        "enable-policy-type --root-id r-... --policy-type BACKUP_POLICY",
    ]


def test_the_derived_deploy_policy_passes_preflight_on_the_member_template(
    written: Written,
) -> None:
    out = run_vaultplan(
        "policy", str(written.member_path), "--stack-name", "shop-backup-member", cwd=written.work
    )
    assert out.returncode == 0, out.stderr
    (written.work / "member-deploy.json").write_text(out.stdout)
    result = run_vaultplan(
        "preflight",
        str(written.member_path),
        "--policy",
        "member-deploy.json",
        "--stack-name",
        "shop-backup-member",
        cwd=written.work,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(" calls evaluated, 0 denied, 0 not evaluable")


def test_synth_org_without_an_org_section_writes_nothing(tmp_path: Path) -> None:
    result = run_vaultplan("synth", "--org", "--out", "out", cwd=tmp_path, env=PLAIN)
    assert result.returncode == 2
    assert result.stderr == (
        "error: --org: no [org] section in the config; add one with the Regions of the policy "
        'and its targets, e.g. [org] regions = ["us-east-1"] target_ids = ["ou-ab12-11111111"]\n'
    )
    assert not (tmp_path / "out").exists()
