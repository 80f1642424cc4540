"""``vaultplan simulate``'s limits (issue 11, "Hostile input", defects 5 to 7), through the
console script's entry point: each out-of-bounds number is one ``error:`` line naming the
field and the value, exit 2, nothing on stdout, whatever arithmetic it would have fed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cli_support import hourly_plan, invoke
from vaultplan.aws.plan_rules import LIFECYCLE_MAX_DAYS, START_WINDOW_MAX_MINUTES
from vaultplan.simulate import run as simulate_run

SEED = Path(__file__).resolve().parent.parent / "simulate" / "fixtures" / "seed.json"
RULE_FIELD = "Resources.Plan.BackupPlan.BackupPlanRule.0"
HOURLY = "cron(0 * * * ? *)"


def plan_template(tmp_path: Path, **rule: Any) -> str:
    """A one-rule hourly plan; ``rule`` overrides or adds the rule's properties."""
    body = hourly_plan(**rule)
    path = tmp_path / "t.json"
    path.write_text(json.dumps(body))
    return str(path)


def simulate(*args: str) -> tuple[int, str, str]:
    outcome = invoke("simulate", *args)
    return outcome.code, outcome.stdout, outcome.stderr


def assert_one_line(args: list[str], message: str) -> None:
    code, out, err = simulate(*args)
    assert (code, out) == (2, ""), err
    assert err == message + "\n"


def strict_json(text: str) -> Any:
    """``text`` parsed as RFC 8259 JSON: ``NaN`` and ``Infinity`` are refused."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


# -- defect 5: huge numbers in the template, checked before any date arithmetic ---------------


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {"Lifecycle": {"DeleteAfterDays": 10**30}},
            f"{RULE_FIELD}.Lifecycle.DeleteAfterDays: got {10**30}; expected a whole number "
            "of days, 1 to 36500",
        ),
        (
            {"Lifecycle": {"MoveToColdStorageAfterDays": -(2**63)}},
            f"{RULE_FIELD}.Lifecycle.MoveToColdStorageAfterDays: got {-(2**63)}; expected a "
            "whole number of days, 1 to 36500",
        ),
        (
            {"Lifecycle": {"DeleteAfterDays": LIFECYCLE_MAX_DAYS + 1}},
            f"{RULE_FIELD}.Lifecycle.DeleteAfterDays: got 36501; expected a whole number of "
            "days, 1 to 36500",
        ),
        (
            {"StartWindowMinutes": 2**63},
            f"{RULE_FIELD}.StartWindowMinutes: got {2**63}; a start window is a whole number "
            "of minutes from 60 to 52560000 (100 years)",
        ),
        (
            {"StartWindowMinutes": START_WINDOW_MAX_MINUTES + 1},
            f"{RULE_FIELD}.StartWindowMinutes: got 52560001; a start window is a whole number "
            "of minutes from 60 to 52560000 (100 years)",
        ),
        (
            {"StartWindowMinutes": "59"},
            f"{RULE_FIELD}.StartWindowMinutes: got 59; a start window is a whole number of "
            "minutes from 60 to 52560000 (100 years)",
        ),
        (
            {
                "CopyActions": [
                    {
                        "DestinationBackupVaultArn": "arn:aws:backup:us-west-2:1:backup-vault:v",
                        "Lifecycle": {"DeleteAfterDays": 10**30},
                    }
                ]
            },
            f"{RULE_FIELD}.CopyActions[0].Lifecycle.DeleteAfterDays: got {10**30}; expected a "
            "whole number of days, 1 to 36500",
        ),
    ],
)
def test_issue11_defect5_huge_template_numbers_are_one_line(
    tmp_path: Path, rule: dict[str, Any], message: str
) -> None:
    path = plan_template(tmp_path, **rule)
    assert_one_line([path, "--start", "2026-01-01", "--days", "40"], f"error: {message}")


def test_issue11_defect5_the_bounds_themselves_are_simulated(tmp_path: Path) -> None:
    # The largest window and lifecycle AWS allows, from the last day AWS cron knows: the
    # instants they give (2299) are still dates.
    path = plan_template(
        tmp_path,
        ScheduleExpression="cron(0 8 * * ? *)",
        StartWindowMinutes=START_WINDOW_MAX_MINUTES,
        Lifecycle={"MoveToColdStorageAfterDays": 1, "DeleteAfterDays": LIFECYCLE_MAX_DAYS},
    )
    code, out, err = simulate(path, "--start", "2199-12-31", "--days", "1", "-f", "json")
    assert code == 0, err
    (point,) = strict_json(out)["timeline"]
    assert point["delete_at"] == "2299-12-07T08:00:00Z"


@pytest.mark.parametrize("start", ["9999-12-31", "2200-01-01"])
def test_issue11_defect5_a_start_past_2199_is_one_line(start: str) -> None:
    assert_one_line(
        [str(SEED), "--start", start, "--days", "1"],
        f"error: --days: got 1 from {start}; the period must end by 2199-12-31 (AWS cron "
        "years stop at 2199)",
    )


@pytest.mark.parametrize("days", ["10000000", "1" * 40, "36501"])
def test_issue11_defect5_huge_days_are_one_line(days: str) -> None:
    assert_one_line(
        [str(SEED), "--start", "2026-01-01", "--days", days],
        f"error: --days: got {days}; expected a whole number of days, 1 to 36500",
    )


# -- defect 6: the work of a simulation is bounded -----------------------------------------


def test_issue11_defect6_an_hourly_rule_over_100_years_is_refused_with_the_days_that_fit(
    tmp_path: Path,
) -> None:
    path = plan_template(tmp_path, Lifecycle={"DeleteAfterDays": 36500})
    for chart in ([], ["--chart", str(tmp_path / "c.png")]):
        assert_one_line(
            [path, "--start", "2026-01-01", "--days", "36500", "-f", "json", *chart],
            "error: --days: got 36500; this run would simulate about 876,004 backups (each "
            "rule's scheduled backups, times each protected resource and copy destination), "
            "more than the 200,000 a simulation is bounded to; use --days 8333 or fewer, or "
            "--plan LOGICAL_ID for one plan at a time",
        )
    assert not (tmp_path / "c.png").exists()


def test_issue11_defect6_the_bound_counts_resources_and_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 24 hourly backups a day, copied to one vault: 48 a day. With a bound of 100, two days
    # (96) run and three (144) are refused, and the error says 2 days fit.
    monkeypatch.setattr(simulate_run, "MAX_BACKUPS", 100)
    copy = {"DestinationBackupVaultArn": "arn:aws:backup:us-east-1:1:backup-vault:v"}
    path = plan_template(tmp_path, CopyActions=[copy])
    code, out, err = simulate(path, "--start", "2026-01-01", "--days", "2", "-f", "json")
    assert code == 0, err
    assert strict_json(out)["summary"]["backups_taken"] == 48
    code, out, err = simulate(path, "--start", "2026-01-01", "--days", "3")
    assert (code, out) == (2, "")
    assert "about 144 backups" in err
    assert "use --days 2 or fewer" in err


def test_issue11_defect6_an_every_minute_cron_is_counted_without_walking_it(
    tmp_path: Path,
) -> None:
    # 52 million fires in 100 years: counted up to the bound, then estimated at that rate.
    path = plan_template(tmp_path, ScheduleExpression="cron(* * * * ? *)")
    code, _, err = simulate(path, "--start", "2026-01-01", "--days", "36500")
    assert code == 2
    figure = re.search(r"about ([\d,]+) backups", err)
    assert figure is not None
    assert int(figure.group(1).replace(",", "")) == pytest.approx(36500 * 1440, rel=0.01)


def test_issue11_defect6_the_bound_is_stated_in_help() -> None:
    code, out, _ = simulate("--help")
    assert code == 0
    text = " ".join(out.split())
    assert f"at most {simulate_run.MAX_BACKUPS:,} backups" in text
    page = Path(__file__).resolve().parents[2] / "docs" / "commands" / "simulate.md"
    assert f"at most {simulate_run.MAX_BACKUPS:,} backups" in " ".join(page.read_text().split())


# -- defect 7: finite numbers only, and strict JSON out -------------------------------------


@pytest.mark.parametrize("value", ["1e309", "inf", "-inf", "nan", "Infinity", "-1e400"])
@pytest.mark.parametrize("option", ["--size-gib", "--daily-change-percent"])
def test_issue11_defect7_non_finite_options_are_one_line(option: str, value: str) -> None:
    assert_one_line(
        [str(SEED), "--start", "2026-01-01", "--days", "10", option, value, "-f", "json"],
        f"error: {option}: expected a finite number; got {value!r}",
    )


def test_issue11_defect7_a_size_that_would_overflow_the_costs_is_one_line() -> None:
    assert_one_line(
        [str(SEED), "--start", "2026-01-01", "--days", "10", "--size-gib", "1e308"],
        "error: --size-gib: got 1e+308; expected a size in GiB above 0 and at most "
        "1,073,741,824 (1 EiB)",
    )


@pytest.mark.parametrize(
    ("literal", "shown"),
    [("NaN", "nan"), ("Infinity", "inf"), ("-Infinity", "-inf"), ("1e400", "inf")],
)
def test_issue11_defect7_non_finite_prices_are_one_line(
    tmp_path: Path, literal: str, shown: str
) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text('{"regions": {"us-east-1": {"efs": {"warm": ' + literal + ', "cold": 1}}}}')
    assert_one_line(
        [str(SEED), "--start", "2026-01-01", "--days", "10", "--prices", str(prices)],
        f"error: --prices: {prices}: regions.us-east-1.efs.warm: got {shown}; expected a "
        "price in USD per GB-month, a finite number from 0 to 1,000,000",
    )


def test_issue11_defect7_the_largest_inputs_give_strict_json(tmp_path: Path) -> None:
    prices = tmp_path / "prices.json"
    top = 1_000_000
    prices.write_text(
        json.dumps(
            {
                "regions": {"us-east-1": {"efs": {"warm": top, "cold": top}}},
                "cross_region_transfer": {"usd_per_gb": top},
            }
        )
    )
    args = [str(SEED), "--start", "2026-01-01", "--days", "400", "--size-gib", str(2**30)]
    code, out, err = simulate(
        *args, "--daily-change-percent", "100", "--prices", str(prices), "-f", "json"
    )
    assert code == 0, err
    assert strict_json(out)["summary"]["total_cost_usd"] > 0
