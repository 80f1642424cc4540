"""``file_system.create`` with conditions the new file system can't meet is refused.

The new EFS gets the ``string_equals`` tags only; conditions are AND'ed with the resources, so
a condition those tags leave out would leave the new file system unselected (what ``vaultplan
check`` reports as VP208 on the template). synth refuses it in one line, before jsii starts.
"""

from __future__ import annotations

import pytest

from vaultplan.config import parse_config
from vaultplan.errors import InputError


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        pytest.param(
            'string_like = { env = "prod-*" }',
            "selection.conditions.string_like.env: got 'prod-*'; the new file system "
            "(file_system.create) gets only the string_equals tags (none), which this condition "
            "leaves out, so nothing would back it up; add a string_equals condition that meets "
            "it, or set file_system.create = false",
            id="string-like-alone",
        ),
        pytest.param(
            'string_equals = { env = "prod" }\nstring_like = { team = "st*" }',
            "selection.conditions.string_like.team: got 'st*'; the new file system "
            "(file_system.create) gets only the string_equals tags (env=prod), which this "
            "condition leaves out, so nothing would back it up; add a string_equals condition "
            "that meets it, or set file_system.create = false",
            id="like-on-another-tag",
        ),
        pytest.param(
            'string_equals = { env = "dev" }\nstring_not_like = { env = "dev*" }',
            "selection.conditions.string_not_like.env: got 'dev*'; the new file system "
            "(file_system.create) gets only the string_equals tags (env=dev), which this "
            "condition leaves out, so nothing would back it up; add a string_equals condition "
            "that meets it, or set file_system.create = false",
            id="not-like-its-own-tag",
        ),
    ],
)
def test_conditions_the_new_file_system_cant_meet_are_refused(
    conditions: str, message: str
) -> None:
    with pytest.raises(InputError) as err:
        parse_config(f"[selection.conditions]\n{conditions}\n")
    assert err.value.message == message


@pytest.mark.parametrize(
    "conditions",
    [
        pytest.param('string_equals = { backup = "true" }', id="equals"),
        pytest.param(
            'string_equals = { backup = "true" }\nstring_like = { backup = "tru*" }',
            id="like-met-by-equals",
        ),
        pytest.param('string_not_equals = { env = "scratch" }', id="not-equals-absent-tag"),
    ],
)
def test_conditions_the_new_file_system_meets_are_accepted(conditions: str) -> None:
    config = parse_config(f"[selection.conditions]\n{conditions}\n")
    assert config.file_system.create


def test_without_a_new_file_system_like_conditions_alone_are_fine() -> None:
    config = parse_config(
        '[file_system]\nids = ["fs-0123456789abcdef0"]\n'
        '[selection.conditions]\nstring_like = { env = "prod-*" }\n'
    )
    assert not config.file_system.create
