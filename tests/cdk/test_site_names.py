"""One site name per stack: two ``BackupStrategy`` with the same ``site_name`` are refused.

Their vaults, plans and selections would have the same names; CloudFormation's own linter
finds it only as a duplicate ``BackupVaultName`` (cfn-lint E3019), after synth.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from constructs import Construct

from vaultplan import BackupStrategy

FS = "fs-0123456789abcdef0"


def test_a_second_strategy_with_the_same_site_name_is_refused_naming_the_first() -> None:
    # GIVEN a stack holding a strategy for site "shop", under a nested construct
    stack = Stack(App(), "Site")
    BackupStrategy(Construct(stack, "Team"), "Backup", site_name="shop", file_systems=[FS])
    # WHEN a second strategy for "shop" is added to the same stack
    with pytest.raises(ValueError) as err:
        BackupStrategy(stack, "Again", site_name="shop", file_systems=[FS])
    # THEN it is refused in one line naming the site and the other construct's path
    assert str(err.value) == (
        "site_name: got 'shop', which the BackupStrategy at Site/Team/Backup in this stack "
        "also uses; the vault, plan and selection names derive from it, so give each strategy "
        "its own site_name"
    )


def test_different_site_names_and_other_stacks_are_fine() -> None:
    # GIVEN two stacks of one app
    app = App()
    one, two = Stack(app, "One"), Stack(app, "Two")
    # WHEN each holds a "shop" strategy, and the first also an "office" one
    for stack in (one, two):
        BackupStrategy(stack, "Shop", site_name="shop", file_systems=[FS])
    BackupStrategy(one, "Office", site_name="office", file_systems=[FS])
    # THEN nothing is refused: names need only be unique within a stack's account and Region
    assert len([c for c in one.node.find_all() if isinstance(c, BackupStrategy)]) == 2
