"""``[vault] existing / removal_policy``, ``[vault.air_gapped]``, ``[role]``, copy actions'
``destination`` and ``[audit] restore_time_target_minutes`` in ``vaultplan.toml``.

GIVEN a config with one of them, WHEN it is loaded, THEN the options hold the values; each bad
value is refused with one line naming the key and the value (through the CLI: exit 2, nothing
written).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import assert_broken_config_rejected
from vaultplan.config import parse_config
from vaultplan.errors import InputError
from vaultplan.spec import AirGappedVaultOptions, CopyAction

RULE = '[[rules]]\nname = "Daily"\nschedule = "cron(0 5 * * ? *)"\ndelete_after_days = 35\n'


def copy(extra: str) -> str:
    return RULE + "[[rules.copy_actions]]\n" + extra


def test_the_new_keys_read_back() -> None:
    config = parse_config(
        copy('destination = "air-gapped"\ndelete_after_days = 35\n')
        + '[vault]\nremoval_policy = "destroy"\n'
        + '[vault.air_gapped]\nname = "bunker"\nmin_retention_days = 7\nmax_retention_days = 90\n'
        + '[role]\npermissions_boundary = "arn:aws:iam::123456789012:policy/Boundary"\n'
        + "[restore_testing]\nenabled = true\n"
        + "[audit]\nenabled = true\nrestore_time_target_minutes = 60\n"
    )
    assert config.vault.removal_policy == "destroy"
    assert config.vault.air_gapped == AirGappedVaultOptions(
        name="bunker", min_retention_days=7, max_retention_days=90
    )
    assert config.rules[0].copy_actions == (
        CopyAction(destination="air-gapped", delete_after_days=35),
    )
    assert config.permissions_boundary == "arn:aws:iam::123456789012:policy/Boundary"
    assert config.audit is not None and config.audit.restore_time_target_minutes == 60


def test_existing_vault_by_name() -> None:
    config = parse_config('[vault]\nexisting = "central"\n')
    assert config.vault.existing == "central"


BAD = [
    pytest.param(
        '[vault]\nexisting = "central"\nkms_key = "aws-managed"\n',
        "vault.kms_key: got 'aws-managed' with vault.existing = 'central'; it configures a new "
        "vault",
        id="existing-with-key",
    ),
    pytest.param(
        '[vault]\nexisting = "central"\naccess_policy = false\n',
        "vault.access_policy: got False with vault.existing = 'central'",
        id="existing-with-access-policy",
    ),
    pytest.param(
        '[vault]\nexisting = "central"\n[vault.lock]\nmode = "none"\n',
        "vault.lock: got a [vault.lock] table with vault.existing = 'central'",
        id="existing-with-lock",
    ),
    pytest.param(
        '[vault]\nexisting = "central"\n[notifications]\nemail = "ops@example.com"\n',
        "notifications: got settings with vault.existing = 'central'",
        id="existing-with-notifications",
    ),
    pytest.param(
        'region = "eu-west-1"\n[vault]\n'
        'existing = "arn:aws:backup:us-east-1:123456789012:backup-vault:central"\n',
        "vault.existing: got a vault in us-east-1, and the stack is in eu-west-1",
        id="existing-in-another-region",
    ),
    pytest.param(
        '[vault]\nexisting = "arn:aws:s3:::bucket"\n',
        "vault.existing: got 'arn:aws:s3:::bucket'; give a vault name or a backup vault ARN",
        id="existing-not-a-vault-arn",
    ),
    pytest.param(
        "[vault]\nexisting = 3\n",
        "vault.existing: got 3 (an integer); expected a string",
        id="existing-not-a-string",
    ),
    pytest.param(
        '[vault]\nremoval_policy = "delete"\n',
        "vault.removal_policy: got 'delete'; use 'retain' or 'destroy'",
        id="removal-policy-unknown",
    ),
    pytest.param(
        '[vault]\nremoval_policy = "destroy"\n'
        '[vault.lock]\nmode = "compliance"\nchangeable_for_days = 3\n',
        "vault.removal_policy: got 'destroy' with lock.mode = 'compliance'",
        id="destroy-under-compliance-lock",
    ),
    pytest.param(
        "[vault.air_gapped]\nmin_retention_days = 6\nmax_retention_days = 90\n",
        "vault.air_gapped.min_retention_days: got 6; a logically air-gapped vault's retention "
        "bounds are whole numbers of days from 7 to 36500",
        id="air-gapped-min-below-7",
    ),
    pytest.param(
        "[vault.air_gapped]\nmin_retention_days = 90\nmax_retention_days = 36501\n",
        "vault.air_gapped.max_retention_days: got 36501",
        id="air-gapped-max-above-36500",
    ),
    pytest.param(
        "[vault.air_gapped]\nmin_retention_days = 90\nmax_retention_days = 30\n",
        "vault.air_gapped.max_retention_days: got 30, less than min_retention_days 90",
        id="air-gapped-max-below-min",
    ),
    pytest.param(
        '[vault.air_gapped]\nmin_retention_days = "7"\n',
        "vault.air_gapped.min_retention_days: got '7' (a string); expected a whole number",
        id="air-gapped-min-a-string",
    ),
    pytest.param(
        '[vault.air_gapped]\nname = "a"\n',
        "vault.air_gapped.name: got 'a'",
        id="air-gapped-name",
    ),
    pytest.param(
        "[vault.air_gapped]\nmin_days = 7\n",
        "vault.air_gapped.min_days: unknown key (value 7)",
        id="air-gapped-unknown-key",
    ),
    pytest.param(
        copy('destination = "air-gapped"\ndelete_after_days = 400\n')
        + "[vault.air_gapped]\nmin_retention_days = 7\nmax_retention_days = 90\n",
        "rules[0].copy_actions[0].delete_after_days: got 400; the logically air-gapped vault "
        "keeps points 7 to 90 days",
        id="copy-outside-air-gapped-bounds",
    ),
    pytest.param(
        copy('destination = "air-gapped"\n'),
        "rules[0].copy_actions[0].delete_after_days: missing for a copy into the logically "
        "air-gapped vault",
        id="copy-into-air-gapped-kept-forever",
    ),
    pytest.param(
        copy('destination = "bunker"\ndelete_after_days = 35\n'),
        "rules[0].copy_actions[0].destination: got 'bunker'; the only destination by name is "
        "'air-gapped'",
        id="copy-destination-unknown",
    ),
    pytest.param(
        copy(
            'destination = "air-gapped"\ndelete_after_days = 35\n'
            'destination_vault_arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:dr"\n'
        ),
        "rules[0].copy_actions[0].destination_vault_arn: got 'arn:aws:backup:us-west-2:"
        "123456789012:backup-vault:dr' with destination = 'air-gapped'; give one of the two",
        id="copy-destination-and-arn",
    ),
    pytest.param(
        '[role]\npermissions_boundary = "arn:aws:iam::123456789012:role/Boundary"\n',
        "role.permissions_boundary: got 'arn:aws:iam::123456789012:role/Boundary'; a "
        "permissions boundary is an IAM managed policy ARN",
        id="boundary-role-arn",
    ),
    pytest.param(
        "[role]\npermissions_boundary = true\n",
        "role.permissions_boundary: got True (a boolean); expected a string",
        id="boundary-not-a-string",
    ),
    pytest.param(
        '[role]\nboundary = "x"\n',
        "role.boundary: unknown key (value 'x')",
        id="role-unknown-key",
    ),
    pytest.param(
        "[audit]\nenabled = true\nrestore_time_target_minutes = 60\n",
        "audit.restore_time_target_minutes: got 60 with restore testing off",
        id="restore-target-without-restore-testing",
    ),
    pytest.param(
        "[restore_testing]\nenabled = true\n[audit]\nenabled = true\n"
        "restore_time_target_minutes = 0\n",
        "audit.restore_time_target_minutes: got 0; the control's maxRestoreTime is a whole "
        "number of minutes, 1 or more",
        id="restore-target-zero",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_value_is_one_line_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_config(text)
    assert str(raised.value.message).startswith(message), raised.value.message
    assert "\n" not in raised.value.message


def test_synth_refuses_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    assert_broken_config_rejected(
        tmp_path,
        '[vault]\nexisting = "central"\nkms_key = "aws-managed"\n',
        "vault.kms_key: got 'aws-managed' with vault.existing = 'central'",
    )
