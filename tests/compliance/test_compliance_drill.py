"""The restore drill of ``examples/all-features.toml`` under cdk-nag, checkov, cfn-lint and
``vaultplan preflight``.

The default app has no drill, so its compliance tests can't see the drill's resources: here the
all-features stack is checked, each tool limited to the drill's resources (``Drill`` in the
construct path or logical id), so other features' findings are their own tests' business.
Every drill suppression (``DRILL_SUPPRESSIONS``) must silence a real finding, and nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import cdk_nag
import pytest
from aws_cdk import App, Aspects
from cfnlint.api import ManualArgs, lint_file

from cli_support import ROOT, run_vaultplan
from vaultplan.cdk.app import build_stack
from vaultplan.cdk.suppressions import DRILL_PREFIX, DRILL_SUPPRESSIONS
from vaultplan.config import load_config

EXAMPLE = ROOT / "examples" / "all-features.toml"
# One synth under three packs, one through the CLI, and preflight (~60 s).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("drill")
    result = run_vaultplan("synth", "--config", str(EXAMPLE), "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out"


def test_cdk_nag_finds_nothing_unsuppressed_on_the_drill_and_each_suppression_is_used() -> None:
    with tempfile.TemporaryDirectory() as outdir:
        app = App(outdir=outdir)
        stack = build_stack(app, load_config(EXAMPLE))
        for pack in (
            cdk_nag.AwsSolutionsChecks,
            cdk_nag.HIPAASecurityChecks,
            cdk_nag.NIST80053R5Checks,
        ):
            Aspects.of(app).add(pack(log_ignores=True, reports=False))
        messages = app.synth().get_stack_artifact(stack.artifact_id).messages
    drill = [
        (str(m.id).removeprefix(f"/{stack.stack_name}/"), str(m.entry.data))
        for m in messages
        if f"/{DRILL_PREFIX}" in str(m.id)
    ]
    assert [d for d in drill if not d[1].startswith("CdkNagSuppression")] == []
    used = sorted(
        (path, text.split("]: ", 1)[1].split(" ", 1)[0], text.split("[", 1)[1].split("]", 1)[0])
        if text.startswith("CdkNagSuppression[")
        else (path, text.split(": ", 1)[1].split(" ", 1)[0], "")
        for path, text in drill
    )
    listed = sorted(
        (s.resource, s.rule_id, finding)
        for s in DRILL_SUPPRESSIONS
        if s.tool == "cdk-nag"
        for finding in (s.applies_to or ("",))
    )
    assert used == listed


def test_cfn_lint_reports_nothing_on_the_all_features_template_in_its_region(out: Path) -> None:
    matches = lint_file(out / "allfeatures-backup.template.json", ManualArgs(regions=["eu-west-1"]))
    assert [str(m) for m in matches] == []


def test_checkov_fails_nothing_and_skips_only_the_drills_listed_checks(out: Path) -> None:
    executable = os.environ.get("VAULTPLAN_CHECKOV")
    if not executable:
        pytest.skip("VAULTPLAN_CHECKOV is not set (make pytest sets it)")
    run = subprocess.run(
        [
            executable,
            "--file",
            str(out / "allfeatures-backup.template.json"),
            *("--framework", "cloudformation", "--output", "json", "--skip-download"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]
    report: dict[str, Any] = json.loads(run.stdout)
    failed = [
        (c["check_id"], c["resource"])
        for c in report["results"]["failed_checks"]
        if "Drill" in c["resource"]
    ]
    assert failed == []
    skipped = sorted(
        (c["check_id"], c["resource"].split(".", 1)[1].removeprefix("BackupStrategyDrill")[:5])
        for c in report["results"]["skipped_checks"]
        if "Drill" in c["resource"]
    )
    listed = sorted(
        (s.rule_id, s.resource.removeprefix(DRILL_PREFIX)[:5])
        for s in DRILL_SUPPRESSIONS
        if s.tool == "checkov"
    )
    assert skipped == listed


def test_the_derived_policy_lets_preflight_deploy_every_drill_resource(
    out: Path, tmp_path: Path
) -> None:
    env = ["--account", "111111111111", "--region", "eu-west-1"]
    derived = run_vaultplan("policy", str(out), *env)
    assert derived.returncode == 0, derived.stderr
    (tmp_path / "p.json").write_text(derived.stdout)
    run = run_vaultplan(
        "preflight", str(out), "--policy", str(tmp_path / "p.json"), *env, "--format", "json"
    )
    report = json.loads(run.stdout)
    assert report["evaluated"] > 0
    drill_calls = [
        c for c in report["denied"] + report["not_evaluable"] if "Drill" in c["logical_id"]
    ]
    assert drill_calls == []


def test_the_existing_vpc_example_runs_the_checker_in_the_given_subnets(tmp_path: Path) -> None:
    example = ROOT / "examples" / "restore-drill-existing-vpc.toml"
    result = run_vaultplan("synth", "--config", str(example), "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    template = json.loads((tmp_path / "out" / "drill-backup.template.json").read_text())
    (checker,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function" and r["Properties"]["Handler"] == "handler.check"
    ]
    assert checker["VpcConfig"] == {
        "SubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "SecurityGroupIds": ["sg-0123456789abcdef0"],
    }
