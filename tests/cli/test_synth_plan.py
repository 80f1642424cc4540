"""``vaultplan synth`` with the plan features, through the real console entry.

Two synths: the GFS preset (then `check` and `simulate` read its template), and rules with a
copy into another Region and one into another account (text, then JSON). Every broken config
fails before jsii starts: exit 2, one line naming the key and value, nothing written.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import pytest

from cli_support import WIDE, assert_broken_config_rejected, run_vaultplan
from vaultplan.checks import check_paths
from vaultplan.simulate import SimulationOptions, simulate

run = partial(run_vaultplan, env=WIDE)  # the console entry, on a wide terminal
HOME = 'account = "111111111111"\nregion = "eu-west-1"\n'
DR = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"
BUNKER = "arn:aws:backup:eu-west-1:222222222222:backup-vault:bunker"
RULE = '[[rules]]\nname = "Daily"\nschedule = "cron(0 8 * * ? *)"\ndelete_after_days = 35\n'
COPIES = (
    HOME
    + RULE
    + 'recovery_point_tags = { team = "ops" }\n'
    + f'[[rules.copy_actions]]\ndestination_vault_arn = "{DR}"\n'
    + "move_to_cold_storage_after_days = 30\ndelete_after_days = 365\n"
    + f'[[rules.copy_actions]]\ndestination_vault_arn = "{BUNKER}"\ndelete_after_days = 35\n'
)
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowCopyIntoVaultFrom111111111111",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
            "Action": "backup:CopyIntoBackupVault",
            "Resource": "*",
        }
    ],
}
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def copies_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    work = tmp_path_factory.mktemp("copies")
    (work / "vaultplan.toml").write_text(COPIES)
    return work, run("synth", cwd=work)


@pytest.fixture(scope="module")
def gfs_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("gfs")
    (work / "gfs.toml").write_text('[plan]\npreset = "gfs"\n')
    result = run("synth", "--config", "gfs.toml", "--format", "json", cwd=work)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["preset"] == "gfs"
    assert [r["name"] for r in summary["rules"]] == [
        "exampleDailyBackup",
        "exampleWeeklyBackup",
        "exampleMonthlyBackup",
        "exampleYearlyBackup",
    ]
    return work / "cdk.out"


def test_synth_prints_copies_tags_and_the_cross_account_policy(
    copies_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, result = copies_run
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1 rule(s) from [[rules]], backups go to the vault" in out
    flat = " ".join(out.split())
    assert "tags team=ops" in flat
    assert f"copy to {DR} (cold after 30 days, deleted after 365 days)" in flat.replace(
        "│ │ ", ""
    ).replace(" │", "")
    head = (
        f"Cross-account copy to {BUNKER}: in account 222222222222, give that vault this "
        "access policy:"
    )
    assert head in out
    start = out.index(head) + len(head)
    end = out.index("\n}\n", start) + 2
    assert json.loads(out[start:end]) == POLICY
    assert "isCrossAccountBackupEnabled=true" in flat
    # The same-account copy to another Region needs no policy.
    assert f"Cross-account copy to {DR}" not in out


def test_synth_json_carries_the_cross_account_policy(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(COPIES)
    result = run("synth", "-c", "c.toml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (copy,) = data["cross_account_copies"]
    assert copy["destination_vault_arn"] == BUNKER
    assert copy["destination_account"] == "222222222222"
    assert copy["source_account"] == "111111111111"
    assert copy["access_policy"] == POLICY
    assert len(copy["notes"]) == 4
    (rule,) = data["rules"]
    assert rule["recovery_point_tags"] == {"team": "ops"}
    assert [c["destination_vault_arn"] for c in rule["copy_actions"]] == [DR, BUNKER]


def test_template_holds_the_copy_actions_and_vp204_is_silent(
    copies_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    work, _ = copies_run
    template_path = work / "cdk.out" / "example-backup.template.json"
    template = json.loads(template_path.read_text())
    (plan,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::Backup::BackupPlan"]
    (rule,) = plan["Properties"]["BackupPlan"]["BackupPlanRule"]
    assert rule["CopyActions"] == [
        {
            "DestinationBackupVaultArn": DR,
            "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 365},
        },
        {"DestinationBackupVaultArn": BUNKER, "Lifecycle": {"DeleteAfterDays": 35}},
    ]
    assert rule["RecoveryPointTags"] == {"team": "ops"}
    report = check_paths([template_path], now=NOW)
    assert [f for f in report.findings if f.check_id == "VP204"] == []
    assert [f for f in report.findings if f.severity.value == "error"] == []


def test_default_template_keeps_vp204_as_info(tmp_path: Path) -> None:
    golden = Path(__file__).resolve().parents[1] / "golden" / "default_template.json"
    report = check_paths([golden], now=NOW)
    (vp204,) = [f for f in report.findings if f.check_id == "VP204"]
    assert vp204.severity.value == "info"


def test_gfs_overlaps_are_info_in_check(gfs_out: Path) -> None:
    # Overlapping rules
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html):
    # AWS keeps the backup of the longer retention, so the preset's coinciding rules lose nothing.
    report = check_paths([gfs_out], now=NOW)
    overlaps = [f for f in report.findings if f.check_id == "VP207"]
    assert len(overlaps) >= 3
    assert {f.severity.value for f in overlaps} == {"info"}
    assert [f for f in report.findings if f.severity.value == "error"] == []


def test_gfs_preset_simulates(gfs_out: Path) -> None:
    result = simulate(gfs_out, SimulationOptions(start=date(2026, 1, 1), days=400))
    (resource,) = result.resources
    assert [r.name for r in resource.rules] == [
        "exampleDailyBackup",
        "exampleWeeklyBackup",
        "exampleMonthlyBackup",
        "exampleYearlyBackup",
    ]
    # One point a day: coinciding rules give one backup (the longest-kept), never two.
    created = [p.created for p in resource.points]
    assert len(created) == len(set(created)) == 400
    yearly = [p for p in resource.points if p.rule == "exampleYearlyBackup"]
    assert [p.created.date() for p in yearly] == [date(2026, 1, 1), date(2027, 1, 1)]
    assert resource.max_gap_hours == 24


BROKEN = [
    pytest.param("[plan]\npreset = 'weekly'\n", "plan.preset: got 'weekly'", id="preset"),
    pytest.param(
        "[plan]\npreset = 'gfs'\n" + RULE,
        "plan.preset: got 'gfs' and [[rules]] tables too",
        id="preset-and-rules",
    ),
    pytest.param(
        "[plan]\npreset = 'gfs'\n[plan.gfs]\nmonthly_months = 2\n",
        "plan.gfs.monthly_months: got 2 (62 days) with monthly_cold_after_days = 30",
        id="gfs-cold-90",
    ),
    pytest.param(
        RULE + f"[[rules.copy_actions]]\ndestination_vault_arn = '{DR}'\n"
        "move_to_cold_storage_after_days = 30\ndelete_after_days = 100\n",
        "rules[0].copy_actions[0]: got move_to_cold_storage_after_days=30, delete_after_days=100",
        id="copy-lifecycle-90",
    ),
    pytest.param(
        RULE + f"[[rules.copy_actions]]\ndestination_vault_arn = '{DR}'\n" * 6,
        "rules[0].copy_actions: got 6 copy actions; AWS Backup allows at most 5 per rule",
        id="six-copies",
    ),
    pytest.param(
        HOME + RULE + "[[rules.copy_actions]]\n"
        "destination_vault_arn = 'arn:aws:backup:eu-west-1:111111111111:backup-vault:example'\n",
        "rules[0].copy_actions[0].destination_vault_arn: got "
        "'arn:aws:backup:eu-west-1:111111111111:backup-vault:example'; that is the strategy's "
        "own vault",
        id="own-vault",
    ),
    pytest.param(
        RULE + "[[rules.copy_actions]]\ndestination_vault_arn = 'dr'\n",
        "rules[0].copy_actions[0].destination_vault_arn: got 'dr'; give a backup vault ARN",
        id="bad-arn",
    ),
    pytest.param(
        RULE + "continuous_backup = true\n",
        "rules[0].continuous_backup: got true; continuous backup supports only Aurora, RDS, S3",
        id="continuous-on-efs",
    ),
    pytest.param(
        RULE + "recovery_point_tags = { 'aws:x' = 'y' }\n",
        "rules[0].recovery_point_tags.aws:x: got key 'aws:x'",
        id="tag-prefix",
    ),
    pytest.param(
        "".join(f"[[rules]]\nname = 'R{i}'\nschedule = 'cron(0 8 * * ? *)'\n" for i in range(11)),
        "rules: got 11 rules; AWS Backup allows at most 10 rules in a plan",
        id="eleven-rules",
    ),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_broken_plan_config_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    assert_broken_config_rejected(tmp_path, text, message)
