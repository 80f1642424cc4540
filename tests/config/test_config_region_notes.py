"""synth's notes name the Regions where a resource type of the stack doesn't exist."""

from __future__ import annotations

from vaultplan.config import parse_config, summarize

AUDIT = '[audit]\nenabled = true\nreport_bucket = "site-reports"\n'


def test_an_environment_agnostic_stack_lists_every_region_lacking_each_type() -> None:
    notes = summarize(parse_config(AUDIT)).notes
    assert [n.split(" doesn't", 1)[0] for n in notes] == [
        "AWS::Backup::Framework",
        "AWS::Backup::ReportPlan",
    ]
    assert notes[0].startswith(
        "AWS::Backup::Framework doesn't exist in 9 Regions, where this environment-agnostic "
        "stack would fail to create: ap-east-2, "
    )
    assert "ca-west-1" in notes[0] and "cn-north-1" in notes[0] and "mx-central-1" in notes[0]


def test_a_region_lacking_a_type_is_named_alone() -> None:
    notes = summarize(
        parse_config(f'region = "us-gov-west-1"\n{AUDIT}[restore_testing]\nenabled = true\n')
    ).notes
    assert notes == (
        "region: AWS::Backup::RestoreTestingPlan doesn't exist in us-gov-west-1 (cfn-lint's "
        "schemas for that Region), so the stack would fail to create there; turn off what "
        "needs it or deploy in another Region",
        "region: AWS::Backup::RestoreTestingSelection doesn't exist in us-gov-west-1 (cfn-lint's "
        "schemas for that Region), so the stack would fail to create there; turn off what "
        "needs it or deploy in another Region",
    )


def test_a_region_with_every_type_and_the_default_stack_have_no_note() -> None:
    assert (
        summarize(
            parse_config(f'region = "eu-west-1"\n{AUDIT}[restore_testing]\nenabled = true\n')
        ).notes
        == ()
    )
    assert summarize(parse_config("")).notes == ()
