"""``[restore_testing] validate`` and ``[restore_testing.validation]``: parsing and bad values.

Each bad value is refused with one line naming the key and the value (through the CLI:
tests/cli for the exit code; here through the loader, which the CLI calls).
"""

from __future__ import annotations

import pytest

from vaultplan.config.loader import parse_config
from vaultplan.errors import InputError
from vaultplan.spec.drill import RestoreValidationOptions

ON = "[restore_testing]\nenabled = true\nvalidate = true\nvalidation_window_hours = 4\n"
IDS = '[file_system]\ncreate = false\nids = ["fs-0123456789abcdef0"]\n'
NETWORK = (
    'vpc_id = "vpc-0123456789abcdef0"\nsubnet_ids = ["subnet-0123456789abcdef0"]\n'
    'security_group_ids = ["sg-0123456789abcdef0"]\n'
)


def test_validate_with_the_new_file_system_takes_its_vpc_and_the_defaults() -> None:
    config = parse_config(ON)
    assert config.restore_testing is not None
    assert config.restore_testing.validation == RestoreValidationOptions()


def test_every_key_reads_back() -> None:
    config = parse_config(
        IDS
        + ON
        + "[restore_testing.validation]\n"
        + 'expect_paths = ["data", "data/index.db"]\nmin_file_count = 3\n'
        + 'min_total_bytes = 10\nchecksum_manifest = "MANIFEST.sha256"\n'
        + NETWORK
    )
    assert config.restore_testing is not None
    assert config.restore_testing.validation == RestoreValidationOptions(
        expect_paths=("data", "data/index.db"),
        min_file_count=3,
        min_total_bytes=10,
        checksum_manifest="MANIFEST.sha256",
        vpc_id="vpc-0123456789abcdef0",
        subnet_ids=("subnet-0123456789abcdef0",),
        security_group_ids=("sg-0123456789abcdef0",),
    )


def test_validate_false_builds_no_drill_but_the_table_is_still_checked() -> None:
    off = ON.replace("validate = true", "validate = false")
    config = parse_config(off + "[restore_testing.validation]\nmin_file_count = 3\n")
    assert config.restore_testing is not None and config.restore_testing.validation is None
    with pytest.raises(InputError, match=r"restore_testing\.validation\.min_files: unknown key"):
        parse_config(off + "[restore_testing.validation]\nmin_files = 3\n")


BAD = [
    pytest.param(
        ON.replace("validate = true", "validate = 'yes'"),
        "restore_testing.validate: got 'yes' (a string); expected true or false",
        id="validate-type",
    ),
    pytest.param(
        ON.replace("validation_window_hours = 4\n", ""),
        "restore_testing.validation_window_hours: got None with validation on",
        id="no-window",
    ),
    pytest.param(
        ON.replace("validation_window_hours = 4", "validation_window_hours = 0"),
        "restore_testing.validation_window_hours: got 0 with validation on",
        id="zero-window",
    ),
    pytest.param(
        ON + '[restore_testing.validation]\nexpect_paths = "data"\n',
        "restore_testing.validation.expect_paths: got 'data' (a string); expected an array",
        id="paths-type",
    ),
    pytest.param(
        ON + '[restore_testing.validation]\nexpect_paths = ["data/../../etc"]\n',
        "restore_testing.validation.expect_paths[0]: got 'data/../../etc'; '..' would leave",
        id="paths-escape",
    ),
    pytest.param(
        ON + '[restore_testing.validation]\nexpect_paths = ["/"]\n',
        "restore_testing.validation.expect_paths[0]: got '/'; give a path inside",
        id="paths-root",
    ),
    pytest.param(
        ON + "[restore_testing.validation]\nmin_file_count = -1\n",
        "restore_testing.validation.min_file_count: got -1; give a whole number, 0 or more",
        id="count-negative",
    ),
    pytest.param(
        ON + "[restore_testing.validation]\nmin_total_bytes = 1.5\n",
        "restore_testing.validation.min_total_bytes: got 1.5 (a number); expected a whole",
        id="bytes-type",
    ),
    pytest.param(
        ON + '[restore_testing.validation]\nchecksum_manifest = "../MANIFEST"\n',
        "restore_testing.validation.checksum_manifest: got '../MANIFEST'; '..' would leave",
        id="manifest-escape",
    ),
    pytest.param(
        IDS + ON,
        "restore_testing.validation.vpc_id: got None; the strategy creates no VPC",
        id="ids-without-network",
    ),
    pytest.param(
        ON + "[restore_testing.validation]\n" + NETWORK,
        "restore_testing.validation.vpc_id: got 'vpc-0123456789abcdef0' (with subnet_ids/"
        "security_group_ids) while the strategy creates the file system's VPC",
        id="network-with-created-vpc",
    ),
    pytest.param(
        IDS + ON + "[restore_testing.validation]\n" + NETWORK.replace("vpc-0123", "vpc-XY23"),
        "restore_testing.validation.vpc_id: got 'vpc-XY23456789abcdef0'; a VPC id is 'vpc-'",
        id="vpc-id",
    ),
    pytest.param(
        IDS + ON + "[restore_testing.validation]\n" + NETWORK.replace("subnet-0123", "net-0123"),
        "restore_testing.validation.subnet_ids[0]: got 'net-0123456789abcdef0'; a subnet id is",
        id="subnet-id",
    ),
    pytest.param(
        IDS
        + ON
        + "[restore_testing.validation]\n"
        + NETWORK.replace('["subnet-0123456789abcdef0"]', "[]"),
        "restore_testing.validation.subnet_ids: got []; give 1 to 16 subnet ids",
        id="no-subnets",
    ),
    pytest.param(
        IDS
        + ON
        + "[restore_testing.validation]\n"
        + NETWORK.replace('["sg-0123456789abcdef0"]', str([f"sg-{i:017x}" for i in range(6)])),
        "restore_testing.validation.security_group_ids: got 6 ids; a Lambda function takes at "
        "most 5",
        id="too-many-groups",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_value_is_one_line_naming_the_key_and_the_value(text: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_config(text)
    line = str(raised.value)
    assert "\n" not in line
    assert line.startswith(message), line
