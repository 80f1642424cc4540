"""A file system created in the app must meet the selection's conditions, or synth fails.

Conditions are AND'ed with ``Resources``: a new ``efs.FileSystem`` listed in ``file_systems``
whose tags miss a condition would never be backed up. Its tags are known once Aspects ran, so
the check is a validation: ``app.synth()`` fails naming the file system and the condition.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs

from vaultplan import BackupStrategy
from vaultplan.cdk import SelectionOptions, TagCondition


def app_with(tag: str | None) -> App:
    app = App()
    stack = Stack(app, "Site")
    vpc = ec2.Vpc(stack, "Vpc", nat_gateways=0, max_azs=1)
    uploads = efs.FileSystem(stack, "Uploads", vpc=vpc, encrypted=True)
    if tag is not None:
        Tags.of(uploads).add("env", tag)
    BackupStrategy(
        stack,
        "Backup",
        site_name="shop",
        file_systems=[uploads, "fs-0123456789abcdef0"],
        selection=SelectionOptions(conditions=[TagCondition.like("env", "prod-*")]),
    )
    return app


def test_a_new_file_system_the_conditions_leave_out_fails_synth() -> None:
    # GIVEN a new file system without the tag the string_like condition wants
    app = app_with(None)
    # WHEN the app is synthesized  THEN it fails naming the file system and the condition
    with pytest.raises(RuntimeError) as err:
        app.synth()
    assert (
        "[Site/Backup] file_systems[0]: Site/Uploads doesn't meet "
        "selection.conditions.string_like.env = 'prod-*' (its tags: {'Name': 'Site/Uploads'}), "
        "so nothing would back it up; tag it to match, or change the conditions"
    ) in str(err.value)


def test_a_new_file_system_tagged_to_match_synthesizes() -> None:
    # GIVEN the same file system tagged env=prod-1 (an Aspect, applied at synth)
    # THEN synth succeeds; the imported id is not checked (its tags are not in the app)
    assert app_with("prod-1").synth().get_stack_by_name("Site").template
