"""Which AWS Backup resource types a Region lacks (bundled from cfn-lint's per-Region schemas)."""

from __future__ import annotations

import pytest

from vaultplan.aws.regions import known_regions, missing_regions, regions_lacking


@pytest.mark.parametrize(
    ("resource_type", "region"),
    [
        pytest.param("AWS::Backup::Framework", "cn-north-1", id="framework-china"),
        pytest.param("AWS::Backup::ReportPlan", "ca-west-1", id="report-plan-calgary"),
        pytest.param("AWS::Backup::RestoreTestingPlan", "us-gov-west-1", id="restore-govcloud"),
        pytest.param("AWS::Backup::Framework", "il-central-1", id="framework-tel-aviv"),
        pytest.param("AWS::Backup::ReportPlan", "mx-central-1", id="report-plan-mexico"),
    ],
)
def test_types_missing_in_the_regions_the_issue_names(resource_type: str, region: str) -> None:
    assert region in missing_regions(resource_type)
    assert regions_lacking([resource_type], region) == {resource_type: (region,)}


def test_the_types_a_strategy_always_deploys_exist_everywhere() -> None:
    types = ["AWS::Backup::BackupVault", "AWS::Backup::BackupPlan", "AWS::Backup::BackupSelection"]
    assert regions_lacking(types) == {}
    assert "us-east-1" in known_regions()


def test_a_region_with_every_type_lacks_none() -> None:
    assert regions_lacking(["AWS::Backup::Framework", "AWS::Backup::ReportPlan"], "eu-west-1") == {}


def test_an_unknown_type_is_not_judged() -> None:
    assert missing_regions("AWS::S3::Bucket") == ()
