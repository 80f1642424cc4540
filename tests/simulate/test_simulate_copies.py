"""Copy actions: each point a rule takes is copied to the destination vault, where the copy
follows the copy action's own lifecycle (API_CopyAction) and is billed at the destination
Region's prices. The oracle: a destination's storage is exactly that of a plan whose rule has
the copy's lifecycle, since a copy chain is built like the source chain (docs, "Storage
model")."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cli_support import PLAIN, run_vaultplan
from vaultplan.errors import InputError
from vaultplan.simulate import SimulationOptions, simulate

DR_VAULT = "arn:aws:backup:us-west-1:123456789012:backup-vault:dr"
START = date(2026, 1, 1)


def template(rules: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    return {
        **top,
        "Resources": {
            "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {}},
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {"BackupPlan": {"BackupPlanName": "P", "BackupPlanRule": rules}},
            },
            "Sel": {
                "Type": "AWS::Backup::BackupSelection",
                "Properties": {
                    "BackupPlanId": {"Ref": "Plan"},
                    "BackupSelection": {
                        "SelectionName": "s",
                        "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
                        "Resources": [{"Fn::GetAtt": ["Fs", "Arn"]}],
                    },
                },
            },
        },
    }


def rule(name: str, cron: str, lifecycle: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {
        "RuleName": name,
        "TargetBackupVault": "v",
        "ScheduleExpression": cron,
        "Lifecycle": lifecycle,
        **extra,
    }


def copy(destination: Any, lifecycle: dict[str, int]) -> dict[str, Any]:
    return {"DestinationBackupVaultArn": destination, "Lifecycle": lifecycle}


def run(tmp_path: Path, body: dict[str, Any], days: int = 400, **kwargs: Any) -> Any:
    path = tmp_path / f"t{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(body))
    return simulate(path, SimulationOptions(start=START, days=days, **kwargs))


DAILY_WITH_COPY = rule(
    "Daily",
    "cron(0 8 * * ? *)",
    {"DeleteAfterDays": 35},
    CopyActions=[copy(DR_VAULT, {"DeleteAfterDays": 7})],
)
MONTHLY_WITH_COPY = rule(
    "Monthly",
    "cron(0 8 1 * ? *)",
    {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 365},
    CopyActions=[copy(DR_VAULT, {"MoveToColdStorageAfterDays": 1, "DeleteAfterDays": 91})],
)


@pytest.fixture(scope="module")
def seed_with_copies(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return run(tmp_path_factory.mktemp("copies"), template([DAILY_WITH_COPY, MONTHLY_WITH_COPY]))


def test_one_copy_per_point_taken_with_the_copy_lifecycle(seed_with_copies: Any) -> None:
    (res,) = seed_with_copies.resources
    (dr,) = res.copies
    assert dr.destination == DR_VAULT
    assert dr.region == "us-west-1" and dr.region_known
    # Every point taken is copied: the 386 daily and the 14 monthly backups of 400 days.
    assert len(dr.points) == len(res.points) == 400
    assert [(p.rule, p.created) for p in dr.points] == [(p.rule, p.created) for p in res.points]
    monthly = [p for p in dr.points if p.rule == "Monthly"]
    assert all((p.cold_at - p.created).days == 1 for p in monthly if p.cold_at)
    assert all((p.delete_at - p.created).days == 91 for p in monthly if p.delete_at)
    daily = [p for p in dr.points if p.rule == "Daily"]
    assert all(p.cold_at is None and (p.delete_at - p.created).days == 7 for p in daily)


def test_copy_storage_is_a_plan_with_the_copy_lifecycle(
    seed_with_copies: Any, tmp_path: Path
) -> None:
    as_source = run(
        tmp_path,
        template(
            [
                rule("Daily", "cron(0 8 * * ? *)", {"DeleteAfterDays": 7}),
                rule(
                    "Monthly",
                    "cron(0 8 1 * ? *)",
                    {"MoveToColdStorageAfterDays": 1, "DeleteAfterDays": 91},
                ),
            ]
        ),
    )
    (res,) = seed_with_copies.resources
    (expected,) = as_source.resources
    # Which rule takes a backup depends on the source plan's retention (35/365 here,
    # 7/91 above), but on the 1st the monthly rule wins in both, so the points line up.
    assert res.copies[0].days == expected.days


def test_copies_are_billed_at_the_destinations_prices_and_in_the_total(
    seed_with_copies: Any,
) -> None:
    (res,) = seed_with_copies.resources
    (dr,) = res.copies
    assert dr.priced
    assert dr.price_note.startswith("us-west-1 efs: warm $0.06, cold $0.012 per GB-month")
    assert "; cross-Region transfer: " in dr.price_note
    assert dr.cross_region and dr.transfer_usd is not None and dr.transfer_usd > 0
    own = sum(m.usd for m in res.months)
    assert dr.total_usd > 0
    assert res.total_usd == pytest.approx(own + dr.total_usd, abs=1e-9)
    summary = seed_with_copies.summary_json()
    assert summary["total_cost_usd"] == pytest.approx(own + dr.total_usd, abs=1e-4)
    first = summary["monthly_cost_usd"][0]
    assert first["usd"] == pytest.approx(res.months[0].usd + dr.months[0].usd, abs=1e-4)


def test_json_lists_each_destination_with_its_own_summary(seed_with_copies: Any) -> None:
    data = seed_with_copies.to_json()
    (copy_json,) = data["resources"][0]["copies"]
    assert copy_json["destination"] == DR_VAULT
    assert copy_json["summary"]["copies_taken"] == 400
    # At the end (2027-02-05 00:00): the daily copies of the last 7 days but Feb 1 (Jan 29-31,
    # Feb 2-4) are warm; the monthly copies of Dec 1, Jan 1 and Feb 1 are cold (Nov 1's was
    # deleted on Jan 31, after 91 days).
    assert copy_json["summary"]["recovery_points"] == {"warm": 6, "cold": 3}
    assert set(copy_json) == {
        "destination",
        "region",
        "region_known",
        "price_note",
        "summary",
        "storage",
        "monthly",
    }


def test_a_destination_region_unknown_offline_is_priced_as_the_source_and_said(
    tmp_path: Path,
) -> None:
    body = daily_copying_to({"Ref": "DrVault"}, Parameters={"DrVault": {"Type": "String"}})
    (res,) = run(tmp_path, body, days=30).resources
    (dr,) = res.copies
    assert not dr.region_known and dr.region == "us-east-1"
    assert dr.price_note.startswith("the destination's Region is unknown offline: us-east-1 efs")


def test_a_plan_without_copy_actions_has_no_copies(tmp_path: Path) -> None:
    body = template([rule("Daily", "cron(0 8 * * ? *)", {"DeleteAfterDays": 35})])
    (res,) = run(tmp_path, body, days=30).resources
    assert res.copies == ()
    assert res.to_json()["copies"] == []


def test_a_copy_action_without_destination_is_an_input_error(tmp_path: Path) -> None:
    body = template(
        [
            rule(
                "Daily",
                "cron(0 8 * * ? *)",
                {"DeleteAfterDays": 35},
                CopyActions=[{"Lifecycle": {"DeleteAfterDays": 7}}],
            )
        ]
    )
    with pytest.raises(InputError) as err:
        run(tmp_path, body, days=30)
    assert str(err.value).startswith(
        "Resources.Plan.BackupPlan.BackupPlanRule.0.CopyActions[0].DestinationBackupVaultArn: "
        "got nothing; a copy action needs one destination vault ARN"
    )


def daily_copying_to(destination: Any, **top: Any) -> dict[str, Any]:
    """A daily rule kept 35 days whose points are copied to ``destination``, kept 7."""
    return template(
        [
            rule(
                "Daily",
                "cron(0 8 * * ? *)",
                {"DeleteAfterDays": 35},
                CopyActions=[copy(destination, {"DeleteAfterDays": 7})],
            )
        ],
        **top,
    )


def copy_line(tmp_path: Path, destination: str) -> str:
    """The text output's ``copies to`` line for a daily rule copying to ``destination``."""
    body = daily_copying_to(destination)
    path = tmp_path / "copies.json"
    path.write_text(json.dumps(body))
    result = run_vaultplan("simulate", str(path), "--start=2026-01-01", "--days=30", env=PLAIN)
    assert result.returncode == 0, result.stderr
    return next(x for x in result.stdout.splitlines() if "copies to" in x)


def test_cli_text_names_each_destination(tmp_path: Path) -> None:
    line = copy_line(tmp_path, DR_VAULT)
    assert line.startswith(f"  copies to {DR_VAULT} (us-west-1): 30 taken; at the end 7 warm")
    # 100 GiB + 29 daily changes of 1 GiB cross to us-west-1 at $0.02/GB
    assert ", of which $2.58 cross-Region transfer (included in the total)." in line


def test_cli_text_says_when_only_the_transfer_is_priced(tmp_path: Path) -> None:
    unpriced = "arn:aws:backup:eu-central-1:123456789012:backup-vault:dr"
    line = copy_line(tmp_path, unpriced)
    assert "; not priced (only its cross-Region transfer is: $2.58). Prices: no efs price" in line


# -- cross-Region transfer ------------------------------------------------------------------
# A copy job moves the whole resource the first time and the changes since the previous copy
# afterwards ("When you copy a backup to a new Region or account for the first time, AWS
# Backup copies the backup in full"); about $0.02/GB across Regions (AWS Backup pricing,
# https://aws.amazon.com/backup/pricing/).
def test_cross_region_transfer_is_the_full_copy_then_each_days_changes(tmp_path: Path) -> None:
    # 100 GiB changing 1% a day, copied daily for 30 days: 100 + 29 x 1 = 129 GiB, $2.58
    (res,) = run(tmp_path, template([DAILY_WITH_COPY]), days=30).resources
    (dr,) = res.copies
    assert dr.cross_region
    assert dr.transfer_gib == pytest.approx(129.0)
    assert dr.transfer_usd == pytest.approx(2.58)
    (month,) = dr.months
    assert month.transfer_gib == pytest.approx(129.0)
    assert month.usd == pytest.approx(month.warm_usd + month.cold_usd + 2.58)
    assert res.total_usd == pytest.approx(sum(m.usd for m in res.months) + dr.total_usd)
    assert "; cross-Region transfer: 129.0 GiB copied at $0.02 per GB" in dr.price_note
    summary = dr.to_json()["summary"]
    assert summary["cross_region_transfer"] == {"cross_region": True, "gib": 129.0, "usd": 2.58}
    assert dr.to_json()["monthly"][0]["transfer_usd"] == 2.58
    # the source vault's months carry no transfer
    assert "transfer_usd" not in res.months[0].to_json()


def test_a_copy_to_another_account_in_the_same_region_moves_nothing_across_regions(
    tmp_path: Path,
) -> None:
    body = daily_copying_to("arn:aws:backup:us-east-1:210987654321:backup-vault:bunker")
    (res,) = run(tmp_path, body, days=30).resources
    (bunker,) = res.copies
    assert not bunker.cross_region
    assert (bunker.transfer_gib, bunker.transfer_usd) == (0.0, 0.0)
    assert bunker.price_note.endswith("; same Region as the source: no cross-Region transfer")
    assert bunker.priced


def test_a_price_file_without_a_transfer_price_leaves_the_transfer_unpriced(
    tmp_path: Path,
) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(
        json.dumps(
            {
                "regions": {
                    "us-east-1": {"efs": {"warm": 0.05, "cold": 0.01}},
                    "us-west-1": {"efs": {"warm": 0.06, "cold": 0.012}},
                }
            }
        )
    )
    (res,) = run(tmp_path, template([DAILY_WITH_COPY]), days=30, prices_file=prices).resources
    (dr,) = res.copies
    assert dr.transfer_gib == pytest.approx(129.0)
    assert dr.transfer_usd is None
    assert not dr.priced
    assert f"129.0 GiB copied, not priced (no cross_region_transfer price in {prices} prices)" in (
        dr.price_note
    )
    assert dr.to_json()["summary"]["cross_region_transfer"]["usd"] is None


def test_a_bad_transfer_price_is_an_input_error(tmp_path: Path) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(
        json.dumps(
            {
                "regions": {"us-east-1": {"efs": {"warm": 0.05}}},
                "cross_region_transfer": {"usd_per_gb": -1},
            }
        )
    )
    with pytest.raises(InputError) as err:
        run(tmp_path, template([DAILY_WITH_COPY]), days=30, prices_file=prices)
    assert str(err.value) == (
        f"--prices: {prices}: cross_region_transfer.usd_per_gb: got -1; expected a price in "
        "USD per GB, a finite number from 0 to 1,000,000"
    )
