"""``vaultplan simulate`` through the console entry: the seed's plan, worked out by hand, and
bad input (one ``error:`` line, exit code 2, nothing on stdout)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from cli_support import run_vaultplan

SEED = Path(__file__).resolve().parent.parent / "simulate" / "fixtures" / "seed.json"
EXACT = 1e-4  # JSON dollars carry 4 decimals


run = partial(run_vaultplan, prefix=("simulate",))  # ``vaultplan simulate ARGS``


@pytest.fixture(scope="module")
def seed_400() -> dict[str, Any]:
    result = run(str(SEED), "--start", "2026-01-01", "--days", "400", "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_seed_on_the_1st_the_monthly_rule_takes_the_backup(seed_400: dict[str, Any]) -> None:
    # Both rules fire at 08:00 UTC on the 1st, with the default 8-hour windows: only the
    # monthly one (kept 365 days, longer than 35) runs (overlapping rules, AWS Backup developer
    # guide):
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html
    timeline = seed_400["timeline"]
    on_firsts = [p for p in timeline if p["created"][8:10] == "01"]
    assert len(on_firsts) == 14  # 2026-01 .. 2027-02
    assert {p["rule"] for p in on_firsts} == {"exampleMonthlyColdBackup"}
    assert {p["created"][11:] for p in timeline} == {"08:00:00Z"}
    (res,) = seed_400["resources"]
    assert [s["scheduled"] for s in res["skipped"]][:2] == [
        "2026-01-01T08:00:00Z",
        "2026-02-01T08:00:00Z",
    ]
    assert {s["superseded_by"] for s in res["skipped"]} == {"exampleMonthlyColdBackup"}


def test_seed_counts_gap_and_bill(seed_400: dict[str, Any]) -> None:
    summary = seed_400["summary"]
    # 400 days x one point a day (400 fires of the daily rule, 14 replaced by the monthly).
    assert summary["backups_taken"] == 400
    assert summary["backups_skipped"] == 14
    # End = 2027-02-05 00:00. Daily points alive: created after 2027-01-01 00:00, not on a
    # 1st: Jan 2-31 and Feb 2-4 = 33; monthly of 2027-02-01 is still warm (cold on Mar 3).
    # Monthly points alive (deleted at +365 d): 2026-03-01 .. 2027-01-01 = 11, all cold
    # (2027-01-01 moved on 2027-01-31); 2026-02-01's was deleted on 2027-02-01 08:00.
    assert summary["recovery_points"] == {"warm": 34, "cold": 11}
    assert summary["max_gap_hours"] == 24
    months = {m["month"]: m["usd"] for m in summary["monthly_cost_usd"]}
    assert (min(months), max(months), len(months)) == ("2026-01", "2027-02", 14)
    # January 2026, S = 100 GiB, C = 1 %/day (defaults). Warm chain from Jan 1: day k holds
    # 100 + (k - 1) GiB, k = 1..30: 3435 GiB-days. Jan 31 08:00: the Jan 31 point is taken
    # and the monthly point of Jan 1 moves to cold (chain Jan 2..Jan 31: 129), and cold holds
    # a full copy (100): warm 3435 + 129 = 3564, cold 100.
    # (3564 x 0.05 + 100 x 0.01) / 31 = 179.2 / 31
    assert months["2026-01"] == pytest.approx(179.2 / 31, abs=EXACT)
    # June 2026: the warm chain spans 34 days every day (134 GiB; the day's peak), and 5
    # monthly points (Jan..May) are cold all month: (134 x 30 x 0.05 + 500 x 30 x 0.01) / 30.
    assert months["2026-06"] == pytest.approx(6.70 + 5.00, abs=EXACT)
    # February 2027, 4 days: warm 134 each day; cold 1200 on Feb 1 (the 2026-02-01 point is
    # deleted at 08:00) and 1100 after: (536 x 0.05 + 4500 x 0.01) / 28.
    assert months["2027-02"] == pytest.approx(71.8 / 28, abs=EXACT)
    (res,) = seed_400["resources"]
    feb = res["monthly"][-1]
    assert (feb["warm_gib_days"], feb["cold_gib_days"], feb["days"]) == (536, 4500, 4)


def test_seed_text_output_reads_as_a_report() -> None:
    result = run(str(SEED), "--start", "2026-01-01", "--days", "400")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "At the end: 34 warm and 11 cold recovery points." in out
    assert "Largest gap between points: 24 h." in out
    assert (
        "14 scheduled backup(s) of exampleDailyWarmBackup not taken (first 2026-01-01 08:00 "
        "UTC): their start windows overlap those of exampleMonthlyColdBackup" in out
    )
    assert "│ 2026-06 │ 30 │ 134.0 │ 500.0 │ 11.70 │" in out


def test_chart_writes_a_png(tmp_path: Path) -> None:
    chart = tmp_path / "seed.png"
    result = run(
        str(SEED), "--start", "2026-01-01", "--days", "400", "--chart", str(chart), "-f", "json"
    )
    assert result.returncode == 0, result.stderr
    data = chart.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000


def test_chart_without_matplotlib_names_the_extra(tmp_path: Path) -> None:
    """matplotlib is the extra vaultplan[chart]: without it, --chart is one error line, exit 2,
    before anything is simulated or written (the CLI in a Python where matplotlib is absent:
    a sitecustomize makes its import fail)."""
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['matplotlib'] = None\n")
    chart = tmp_path / "seed.png"
    src = Path(__file__).resolve().parents[2] / "src"
    result = run(
        str(SEED),
        "--start",
        "2026-01-01",
        "--days",
        "30",
        "--chart",
        str(chart),
        env={"PYTHONPATH": os.pathsep.join([str(src), str(hide)])},
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: --chart needs matplotlib; install vaultplan[chart]\n"
    assert not chart.exists()


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


NO_PLAN = '{"Resources": {"Fs": {"Type": "AWS::EFS::FileSystem"}}}'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--start", "2026-02-30", "--days", "10"],
            "error: --start: got '2026-02-30'; expected a date as YYYY-MM-DD, e.g. 2026-01-01",
        ),
        (
            ["--start", "1/1/2026", "--days", "10"],
            "error: --start: got '1/1/2026'; expected a date as YYYY-MM-DD, e.g. 2026-01-01",
        ),
        (
            ["--start", "1969-12-31", "--days", "10"],
            "error: --start: got 1969-12-31; AWS cron years start at 1970, so the period must "
            "start on 1970-01-01 or later",
        ),
        (
            ["--start", "2199-12-01", "--days", "100"],
            "error: --days: got 100 from 2199-12-01; the period must end by 2199-12-31 (AWS "
            "cron years stop at 2199)",
        ),
        (
            ["--start", "2026-01-01", "--days", "-5"],
            "error: --days: got -5; expected a whole number of days, 1 to 36500",
        ),
        (
            ["--start", "2026-01-01", "--days", "10", "--plan", "Nope"],
            "error: --plan: got 'Nope'; the template's backup plans are: Plan",
        ),
        (
            ["--start", "2026-01-01", "--days", "10", "--size-gib", "0"],
            "error: --size-gib: got 0.0; expected a size in GiB above 0 and at most "
            "1,073,741,824 (1 EiB)",
        ),
        (
            ["--start", "2026-01-01", "--days", "10", "--daily-change-percent", "101"],
            "error: --daily-change-percent: got 101.0; expected a percentage from 0 to 100",
        ),
        (
            ["--start", "2026-01-01", "--days", "10", "--cold-copy", "half"],
            "error: --cold-copy: got 'half'; use full or increment",
        ),
        (
            ["--start", "2026-01-01", "--days", "10", "--parameters", "Site"],
            "error: --parameters: got 'Site'; write KEY=VALUE, e.g. Site=example",
        ),
        (
            ["--start", "2026-01-01", "--days", "10", "--chart", "/no/such/dir/c.png"],
            "error: --chart: got '/no/such/dir/c.png'; its folder does not exist",
        ),
        (
            ["--start", "2026-01-01", "--days", "10", "--format", "xml"],
            "error: --format: got 'xml'; use text or json",
        ),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = run(str(SEED), *args)
    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert result.stdout == ""


def test_template_without_backup_plan(tmp_path: Path) -> None:
    path = _write(tmp_path, "noplan.json", NO_PLAN)
    result = run(path, "--start", "2026-01-01", "--days", "10")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: template: {path} has no AWS::Backup::BackupPlan resource; simulate needs a "
        "template that defines a backup plan"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "is not valid JSON"),
        ('{"prices": {}}', "got no 'regions' map"),
        (
            '{"regions": {"us-east-1": {"efs": {"warm": -1}}}}',
            "regions.us-east-1.efs.warm: got -1; expected a price in USD per GB-month",
        ),
        (
            '{"regions": {"us-east-1": {"efs": {"cold": 0.01}}}}',
            "regions.us-east-1.efs: got {'cold': 0.01}; expected a map with 'warm'",
        ),
    ],
)
def test_bad_prices_file(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, "prices.json", text)
    result = run(str(SEED), "--start", "2026-01-01", "--days", "10", "--prices", path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: --prices: {path}")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_prices_file_overrides_bundled_prices(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.json", '{"regions": {"mars-1": {"efs": {"warm": 1, "cold": 0}}}}')
    result = run(
        str(SEED), "--start", "2026-03-01", "--days", "1", "--region", "mars-1",
        "--prices", path, "-f", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # One day of March: the first point is full, 100 GiB x $1 / 31 days.
    assert json.loads(result.stdout)["summary"]["monthly_cost_usd"] == [
        {"month": "2026-03", "usd": round(100 / 31, 4)}
    ]


def test_parameters_and_region_reach_the_template(tmp_path: Path) -> None:
    body = json.loads(SEED.read_text())
    body["Parameters"]["Keep"] = {"Type": "Number", "Default": 35}
    daily = body["Resources"]["Plan"]["Properties"]["BackupPlan"]["BackupPlanRule"][0]
    daily["Lifecycle"]["DeleteAfterDays"] = {"Ref": "Keep"}
    daily["RuleName"] = {"Fn::Sub": "${Site}-${AWS::Region}"}
    path = _write(tmp_path, "seed.json", json.dumps(body))
    args = ["--start", "2026-01-01", "--days", "40", "-f", "json", "--region", "us-west-1"]
    result = run(path, *args, "-p", "Keep=3", "--parameters", "Site=prod")
    assert result.returncode == 0, result.stderr
    (res,) = json.loads(result.stdout)["resources"]
    assert [(r["name"], r["delete_after_days"]) for r in res["rules"]] == [
        ("prod-us-west-1", 3),
        ("prodMonthlyColdBackup", 365),
    ]
    # At the end (Feb 10 00:00): daily points kept 3 days, created after Feb 7 00:00 (Feb 7,
    # 8, 9), and the monthly of Feb 1 are warm; the monthly of Jan 1 went cold on Jan 31.
    assert res["summary"]["recovery_points"] == {"warm": 4, "cold": 1}


def test_unpriced_region_is_said_not_guessed() -> None:
    result = run(str(SEED), "--start", "2026-03-01", "--days", "1", "--region", "eu-west-9")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Total: not priced." in out
    assert "no efs price for eu-west-9 in bundled prices; pass --prices FILE to cost it" in out


def test_non_integer_days_is_a_usage_error() -> None:
    result = run(str(SEED), "--start", "2026-01-01", "--days", "ten")
    assert result.returncode == 2
    assert result.stderr == "error: --days: expected an integer; got 'ten'\n"
    assert result.stdout == ""


def test_json_run_stays_lean() -> None:
    """The bench's budget (2x `vaultplan --version`) holds only if a JSON simulation of a
    JSON template imports none of pydantic (typer's coercion), cfn-lint or matplotlib."""
    code = (
        "import sys, io, contextlib\n"
        f"sys.argv = ['vaultplan', 'simulate', {str(SEED)!r}, '--start', '2026-01-01',"
        " '--days', '30', '--format', 'json']\n"
        "from vaultplan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules}"
        " & {'pydantic', 'cfnlint', 'matplotlib', 'aws_cdk', 'jsii'})\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_vaultplans_own_template_simulates_like_the_hand_written_seed(
    seed_400: dict[str, Any],
) -> None:
    own = Path(__file__).resolve().parents[1] / "golden" / "default_template.json"
    result = run(str(own), "--start", "2026-01-01", "--days", "400", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"] == seed_400["summary"]
    strip = [{k: v for k, v in p.items() if k != "resource"} for p in data["timeline"]]
    assert strip == [{k: v for k, v in p.items() if k != "resource"} for p in seed_400["timeline"]]
