"""Template size against CloudFormation's quotas (issue 11, "Hostile input", defect 12):
``synth`` refuses a template over 1 MB, ``check`` reports one over 1 MB (VP125, an error) and
one over 51,200 bytes (VP301, information), and EFS ids are written as compact ``Fn::Sub``
ARNs so that the limit comes later. Through the console script's entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli_support import invoke
from vaultplan.aws import cloudformation

VAULT = {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "v"}}


def padded(tmp_path: Path, size: int) -> Path:
    """A one-vault template of about ``size`` bytes (a long description)."""
    body: dict[str, Any] = {"Description": "", "Resources": {"Vault": VAULT}}
    base = len(json.dumps(body))
    body["Description"] = "x" * max(0, size - base)
    path = tmp_path / "t.json"
    path.write_text(json.dumps(body))
    assert path.stat().st_size == max(size, base)
    return path


def findings(path: Path) -> list[tuple[str, str, str]]:
    outcome = invoke("check", str(path), "--format", "json")
    assert outcome.code in (0, 1), outcome.stderr
    data = json.loads(outcome.stdout)
    return [(f["id"], f["severity"], f["message"]) for f in data["findings"]]


def test_issue11_defect12_check_reports_a_template_over_1_mb_as_an_error(tmp_path: Path) -> None:
    path = padded(tmp_path, 1_048_577)
    assert (
        "VP125",
        "error",
        "template: got 1,048,577 bytes; CloudFormation takes a template "
        "of at most 1,048,576 bytes (1 MB, from S3); select resources by tag instead of "
        "listing thousands of ARNs, or split it into several stacks",
    ) in findings(path)
    assert invoke("check", str(path)).code == 1
    assert "VP301" not in {f[0] for f in findings(path)}


def test_issue11_defect12_check_reports_a_template_over_51200_bytes_as_information(
    tmp_path: Path,
) -> None:
    path = padded(tmp_path, 51_201)
    ids = {f[0]: f for f in findings(path)}
    assert ids["VP301"][1] == "info"
    assert ids["VP301"][2].startswith("template: got 51,201 bytes, over the 51,200 bytes")
    assert "VP125" not in ids


@pytest.mark.parametrize("size", [51_200, 1_000])
def test_a_template_within_the_inline_limit_gets_no_size_finding(tmp_path: Path, size: int) -> None:
    assert not {"VP125", "VP301"} & {f[0] for f in findings(padded(tmp_path, size))}


def test_issue11_defect12_synth_refuses_a_template_over_the_limit_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default template stands for a huge one: the limit is lowered, not the template
    # grown (thousands of ids take a minute to synthesize).
    monkeypatch.setattr(cloudformation, "TEMPLATE_S3_MAX_BYTES", 1_000)
    out = tmp_path / "out"
    outcome = invoke("synth", "--out", str(out))
    assert (outcome.code, outcome.stdout) == (2, "")
    (line,) = outcome.stderr.splitlines()
    assert line.startswith("error: template: got ")
    assert "bytes; CloudFormation takes a template of at most 1,000 bytes (1 MB, from S3)" in line
    assert "select them by tag instead" in line
    assert line.endswith("nothing was written")
    assert not out.exists()


@pytest.mark.slow
def test_issue11_defect12_three_thousand_efs_ids_fit_well_under_1_mb(tmp_path: Path) -> None:
    # 1,075,260 bytes with Stack.format_arn's Fn::Join; 439,260 with one Fn::Sub per id.
    ids = ", ".join(f'"fs-{i:017x}"' for i in range(3000))
    config = tmp_path / "big.toml"
    config.write_text(f'site_name = "big"\n[file_system]\ncreate = false\nids = [{ids}]\n')
    out = tmp_path / "out"
    outcome = invoke("synth", "--config", str(config), "--out", str(out), "--format", "json")
    assert outcome.code == 0, outcome.stderr
    template = Path(json.loads(outcome.stdout)["template"])
    assert template.stat().st_size < 500_000
    resources = json.loads(template.read_text())["Resources"]
    arns = [
        arn
        for res in resources.values()
        if res["Type"] == "AWS::Backup::BackupSelection"
        for arn in res["Properties"]["BackupSelection"]["Resources"]
    ]
    assert len(arns) == 3000
    assert arns[0] == {
        "Fn::Sub": "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:"
        "file-system/fs-00000000000000000"
    }
