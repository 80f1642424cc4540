"""cdk-nag's AwsSolutions, HIPAA Security and NIST 800-53 R5 packs on the default app.

Issue 5: the default strategy gives zero unsuppressed errors and warnings under the three packs;
every suppression carries a written reason (``vaultplan.cdk.suppressions``). The app is
the one ``vaultplan synth`` builds for the default config (``vaultplan.cdk.app.build_stack``, in
an App with cdk.json's feature flags), with
the packs applied as Aspects (cdk-nag 2.38.2: 3.0.2 fails with aws-cdk-lib 2.275, as checked
for this project).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from typing import Any

import cdk_nag
import pytest
from aws_cdk import App, Aspects, CfnResource, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.cx_api import SynthesisMessageLevel

from vaultplan.cdk import BackupStrategy
from vaultplan.cdk.app import build_stack, feature_flags, new_app
from vaultplan.cdk.suppressions import BACKUP_ROLE_S3_MANAGED_POLICIES, SUPPRESSIONS
from vaultplan.config import Config
from vaultplan.spec.selection import SelectionOptions

PACKS = {
    "AwsSolutions": cdk_nag.AwsSolutionsChecks,
    "HIPAA.Security": cdk_nag.HIPAASecurityChecks,
    "NIST.800.53.R5": cdk_nag.NIST80053R5Checks,
}
# Synthesizes two stacks under three packs (~20 s).
pytestmark = pytest.mark.slow

# The default strategy, selecting also an S3 bucket (the role then has the S3 managed policies).
S3_CONFIG = Config(
    site_name="s3site", selection=SelectionOptions(arns=("arn:aws:s3:::s3site-uploads",))
)
# A managed policy no suppression names, to show a suppression's applies_to stays narrow.
UNLISTED_POLICY = "AmazonS3ReadOnlyAccess"
# "<rule>[<finding>]: <text>" or "CdkNagSuppression[<finding>]: <rule> was triggered ..."
FINDING = re.compile(r"^(?P<rule>[\w.-]+?)(?:\[(?P<finding>[^\]]*)\])?: (?P<text>.*)$", re.S)


@dataclass(frozen=True)
class Message:
    level: str  # "error", "warning" or "info"
    path: str  # construct path under the stack, e.g. "Vpc/Resource"
    rule: str
    finding: str | None
    text: str


def messages_of(app_messages: list[Any], stack: Stack) -> list[Message]:
    out = []
    for message in app_messages:
        level = {
            SynthesisMessageLevel.ERROR: "error",
            SynthesisMessageLevel.WARNING: "warning",
            SynthesisMessageLevel.INFO: "info",
        }[message.level]
        data = str(message.entry.data)
        match = FINDING.match(data)
        assert match, data
        path = str(message.id).removeprefix(f"/{stack.stack_name}/")
        out.append(Message(level, path, match["rule"], match["finding"], match["text"]))
    return out


@pytest.fixture(scope="module")
def default_stack() -> Stack:
    """The default app's stack (the same as ``vaultplan synth`` with no config)."""
    return build_stack(new_app(), Config())


def _nag_messages(app: App, stacks: dict[str, Stack]) -> dict[str, list[Message]]:
    for pack in PACKS.values():
        Aspects.of(app).add(pack(log_ignores=True, reports=False))
    assembly = app.synth()
    return {
        name: messages_of(list(assembly.get_stack_artifact(stack.artifact_id).messages), stack)
        for name, stack in stacks.items()
    }


@pytest.fixture(scope="module")
def nag(default_stack: Stack) -> dict[str, list[Message]]:
    """Messages per stack: ``default`` (the default app) and ``probe`` (see below)."""
    with tempfile.TemporaryDirectory() as outdir:
        # The default app, with its feature flags: @aws-cdk/core:annotationsInValidationReport
        # makes synth fail on an error annotation (cdk-nag's findings are annotations) and
        # @aws-cdk/core:validateAgainstDefaultRules on a finding of the CDK's own template
        # rules, so this synth passing is a check too.
        app = new_app(outdir=f"{outdir}/default")
        # GIVEN also a strategy that can select an S3 bucket: its role has the S3 policies
        messages = _nag_messages(
            app, {"default": build_stack(app, Config()), "s3": build_stack(app, S3_CONFIG)}
        )
        # GIVEN a strategy whose role gets one more AWS managed policy than the suppression
        # names, in an app without the first flag (its error must be reported, not raised)
        probe_app = App(
            outdir=f"{outdir}/probe",
            context={**feature_flags(), "@aws-cdk/core:annotationsInValidationReport": False},
        )
        probe = Stack(probe_app, "probe")
        strategy = BackupStrategy(
            probe, "BackupStrategy", site_name="probe", file_systems=["fs-0123456789abcdef0"]
        )
        assert isinstance(strategy.role, iam.Role)
        strategy.role.add_managed_policy(
            iam.ManagedPolicy.from_aws_managed_policy_name(UNLISTED_POLICY)
        )
        return {**messages, **_nag_messages(probe_app, {"probe": probe})}


@pytest.mark.parametrize("app", ["default", "s3"])
@pytest.mark.parametrize("pack", PACKS)
def test_default_app_has_no_unsuppressed_error_or_warning(
    nag: dict[str, list[Message]], pack: str, app: str
) -> None:
    findings = [
        m
        for m in nag[app]
        if m.level != "info" and (m.rule.startswith(pack + "-") or m.rule.startswith("CdkNag"))
    ]
    assert findings == []


def test_every_suppression_is_used_where_it_is_listed(nag: dict[str, list[Message]]) -> None:
    # THEN each listed suppression silenced a real finding on the resource it names, and
    # nothing else was suppressed (log_ignores reports each as "<rule> was triggered but
    # suppressed")
    used = sorted(
        {
            (m.path, m.text.split(" ", 1)[0], m.finding or "")
            for app in ("default", "s3")
            for m in nag[app]
            if m.rule == "CdkNagSuppression"
        }
    )
    listed = sorted(
        (s.resource, s.rule_id, finding)
        for s in SUPPRESSIONS
        if s.tool == "cdk-nag"
        for finding in (s.applies_to or ("",))
    )
    assert used == listed


def test_a_suppression_stays_narrow(nag: dict[str, list[Message]]) -> None:
    # THEN the backup role's IAM4 suppression covers only AWS Backup's two service-role
    # policies: another AWS managed policy on the same role is still reported
    iam4 = [m for m in nag["probe"] if m.rule == "AwsSolutions-IAM4"]
    assert [(m.level, m.path, m.finding) for m in iam4] == [
        (
            "error",
            "BackupStrategy/Role/Resource",
            f"Policy::arn:<AWS::Partition>:iam::aws:policy/{UNLISTED_POLICY}",
        )
    ]


def test_each_suppression_is_metadata_on_the_resource_it_names(default_stack: Stack) -> None:
    s3_stack = build_stack(new_app(), S3_CONFIG)
    for item in SUPPRESSIONS:
        construct: Any = s3_stack if item in BACKUP_ROLE_S3_MANAGED_POLICIES else default_stack
        for part in item.resource.split("/"):
            construct = construct.node.find_child(part)
        assert isinstance(construct, CfnResource), item.resource
        if item.tool == "cdk-nag":
            rule = {"id": item.rule_id, "reason": item.reason}
            if item.applies_to:
                rule["applies_to"] = list(item.applies_to)
            assert rule in construct.get_metadata("cdk_nag")["rules_to_suppress"]
        else:
            skip = {"id": item.rule_id, "comment": item.reason}
            assert skip in construct.get_metadata("checkov")["skip"]
