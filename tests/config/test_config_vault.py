"""``[vault]``, ``[vault.lock]`` and ``[notifications]`` in vaultplan.toml: defaults, every key,
and one error per invalid combination: a one-line InputError naming the key and the value,
from the loader and from ``vaultplan synth --config`` (exit 2, nothing written)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli_support import assert_broken_config_rejected
from vaultplan.config import Config, default_config_text, parse_config, summarize
from vaultplan.errors import InputError
from vaultplan.spec.vault import (
    DEFAULT_NOTIFICATION_EVENTS,
    NotificationOptions,
    VaultLockOptions,
    VaultOptions,
)

KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

FULL = f"""
[vault]
kms_key = "{KEY_ARN}"
access_policy = true
break_glass_arns = ["arn:aws:iam::123456789012:role/BreakGlass"]
[vault.lock]
mode = "compliance"
changeable_for_days = 3
min_retention_days = 7
max_retention_days = 400
[notifications]
enabled = true
events = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED"]
email = "backup-alerts@example.com"
"""


def test_absent_tables_give_the_secure_defaults() -> None:
    config = parse_config("")
    assert config.vault == VaultOptions(
        kms_key="create",
        access_policy=True,
        break_glass_arns=(),
        lock=VaultLockOptions(mode="governance"),
    )
    assert config.notifications == NotificationOptions(
        enabled=True, events=DEFAULT_NOTIFICATION_EVENTS, email=None
    )
    assert DEFAULT_NOTIFICATION_EVENTS == (
        "BACKUP_JOB_COMPLETED",
        "COPY_JOB_FAILED",
        "RESTORE_JOB_COMPLETED",
    )


def test_every_key_is_read() -> None:
    config = parse_config(FULL)
    assert config.vault == VaultOptions(
        kms_key=KEY_ARN,
        access_policy=True,
        break_glass_arns=("arn:aws:iam::123456789012:role/BreakGlass",),
        lock=VaultLockOptions(
            mode="compliance", changeable_for_days=3, min_retention_days=7, max_retention_days=400
        ),
    )
    assert config.notifications == NotificationOptions(
        events=("BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED"), email="backup-alerts@example.com"
    )


def test_summary_says_what_the_vault_and_notifications_do() -> None:
    summary = summarize(parse_config(FULL))
    assert summary.vault_details == (
        "retained",
        f"key {KEY_ARN}",
        "recovery point deletion denied to all but 1 break-glass ARN(s)",
        "compliance lock (3 days to change), 7-400 days",
    )
    assert summary.notifications == (
        "BACKUP_JOB_COMPLETED, COPY_JOB_FAILED to an encrypted SNS topic (Topic); e-mail to "
        "backup-alerts@example.com for FAILED/EXPIRED/ABORTED/PARTIAL jobs"
    )
    off = summarize(parse_config("[notifications]\nenabled = false\n[vault.lock]\nmode = 'none'\n"))
    assert off.notifications == "off"
    assert off.vault_details[-1] == "no vault lock"


def test_init_text_shows_every_key_with_its_default_and_parses_to_the_defaults() -> None:
    text = default_config_text()
    assert parse_config(text) == Config()
    for line in (
        'kms_key = "create"',
        "access_policy = true",
        "break_glass_arns = []",
        'mode = "governance"',
        "# changeable_for_days = 3",
        "# min_retention_days = 35",
        "# max_retention_days = 365",
        "enabled = true",
        'events = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED"]',
        '# email = "backup-alerts@example.com"',
    ):
        assert f"\n{line}\n" in text, line
    # the deploying role must be a break-glass ARN to change the access policy later
    assert "cdk-hnb659fds-cfn-exec-role" in text


def test_init_text_with_its_commented_keys_turned_on_still_parses() -> None:
    # The lock's keys, up to the commented [vault.air_gapped] table (which has keys of the
    # same names), and the e-mail after it.
    lock, air_gapped = default_config_text().split("# [vault.air_gapped]\n", 1)
    text = (
        re.sub(
            r"(?m)^# (changeable_for_days|min_retention_days|max_retention_days) = ",
            r"\1 = ",
            lock,
        ).replace('mode = "governance"', 'mode = "compliance"')
        + "# [vault.air_gapped]\n"
        + re.sub(r"(?m)^# (email) = ", r"\1 = ", air_gapped)
    )
    config = parse_config(text)
    assert config.vault.lock == VaultLockOptions(
        mode="compliance", changeable_for_days=3, min_retention_days=35, max_retention_days=365
    )
    assert config.notifications.email == "backup-alerts@example.com"


# Each invalid combination: the TOML and the start of the one-line error.
BAD_VAULT = [
    pytest.param(
        "[vault]\nkms_key = 'my-key'\n",
        "vault.kms_key: got 'my-key'; use the ARN of a KMS key",
        id="kms-key",
    ),
    pytest.param(
        "[vault]\nkms_kye = 'create'\n",
        "vault.kms_kye: unknown key (value 'create'); did you mean 'kms_key'?",
        id="unknown-vault-key",
    ),
    pytest.param(
        "[vault]\naccess_policy = 'yes'\n",
        "vault.access_policy: got 'yes' (a string); expected true or false",
        id="access-policy-type",
    ),
    pytest.param(
        "[vault]\nbreak_glass_arns = 'arn:aws:iam::123456789012:root'\n",
        "vault.break_glass_arns: got 'arn:aws:iam::123456789012:root' (a string); "
        "expected an array of strings",
        id="break-glass-not-array",
    ),
    pytest.param(
        "[vault]\nbreak_glass_arns = ['arn:aws:iam::123456789012:group/Admins']\n",
        "vault.break_glass_arns[0]: got 'arn:aws:iam::123456789012:group/Admins'; use the ARN "
        "of an IAM role, user or account root",
        id="break-glass-group",
    ),
    pytest.param(
        "[vault]\naccess_policy = false\nbreak_glass_arns = ['arn:aws:iam::123456789012:root']\n",
        "vault.break_glass_arns: got ['arn:aws:iam::123456789012:root'] with access_policy = false",
        id="break-glass-without-policy",
    ),
    pytest.param(
        f"region = 'us-east-1'\n[vault]\nkms_key = '{KEY_ARN}'\n",
        "vault.kms_key: got a key in eu-west-1, and the stack is in us-east-1; a vault is "
        "encrypted with a KMS key of its own Region",
        id="kms-key-in-another-region",
    ),
    pytest.param(
        "[vault.lock]\nmode = 'legal-hold'\n",
        "vault.lock.mode: got 'legal-hold'; use 'governance' (the default), 'compliance' or 'none'",
        id="lock-mode",
    ),
    pytest.param(
        "[vault.lock]\nmin_retention_days = '7'\n",
        "vault.lock.min_retention_days: got '7' (a string); expected a whole number",
        id="lock-min-type",
    ),
    pytest.param(
        "[vault.lock]\nmode = 'compliance'\n",
        "vault.lock.changeable_for_days: not set; a compliance lock needs it",
        id="compliance-without-changeable",
    ),
    pytest.param(
        "[vault.lock]\nmode = 'compliance'\nchangeable_for_days = 2\n",
        "vault.lock.changeable_for_days: got 2; it must be 3 to 36500",
        id="compliance-changeable-2",
    ),
    pytest.param(
        "[vault.lock]\nchangeable_for_days = 3\n",
        "vault.lock.changeable_for_days: got 3; only a compliance lock has a cooling-off period",
        id="changeable-in-governance",
    ),
    pytest.param(
        "[vault.lock]\nmode = 'none'\nmax_retention_days = 400\n",
        "vault.lock.max_retention_days: got 400; mode is 'none' (no vault lock)",
        id="retention-without-lock",
    ),
    pytest.param(
        "[vault.lock]\nmin_retention_days = 36\n",
        "vault.lock.min_retention_days: got 36; rules[0] (DailyWarmBackup) keeps recovery "
        "points 35 days",
        id="min-longer-than-rule",
    ),
    pytest.param(
        "[vault.lock]\nmax_retention_days = 100\n",
        "vault.lock.max_retention_days: got 100; rules[1] (MonthlyColdBackup) keeps recovery "
        "points 365 days",
        id="max-shorter-than-rule",
    ),
    pytest.param(
        "[vault.lock]\nmax_retention_days = 400\n"
        "[[rules]]\nname = 'Forever'\nschedule = 'cron(0 8 * * ? *)'\n",
        "vault.lock.max_retention_days: got 400; rules[0] (Forever) keeps recovery points forever",
        id="max-with-forever-rule",
    ),
    pytest.param(
        "[vault.lock]\nmin_retention_days = 40\nmax_retention_days = 30\n",
        "vault.lock: got min_retention_days=40, max_retention_days=30",
        id="max-below-min",
    ),
    pytest.param(
        "[notifications]\nevents = ['BACKUP_JOB_FAILED', 'BACKUP_JOB_EXPIRED']\n",
        "notifications.events[0]: got 'BACKUP_JOB_FAILED'; AWS Backup no longer sends this "
        "deprecated event (API_PutBackupVaultNotifications): use BACKUP_JOB_COMPLETED instead",
        id="deprecated-event",
    ),
    pytest.param(
        "[notifications]\nevents = ['BACKUP_FAILED']\n",
        "notifications.events[0]: got 'BACKUP_FAILED'; AWS Backup vault events are "
        "BACKUP_JOB_STARTED",
        id="unknown-event",
    ),
    pytest.param(
        "[notifications]\nevents = []\n",
        "notifications.events: got []; give at least one event",
        id="no-events",
    ),
    pytest.param(
        "[notifications]\nemail = 'ops'\n",
        "notifications.email: got 'ops'; use an e-mail address",
        id="bad-email",
    ),
    pytest.param(
        "[notifications]\nenabled = false\nemail = 'ops@example.com'\n",
        "notifications.email: got 'ops@example.com' with enabled = false",
        id="email-while-disabled",
    ),
    pytest.param(
        "[notifications]\nemails = 'ops@example.com'\n",
        "notifications.emails: unknown key (value 'ops@example.com'); did you mean 'email'?",
        id="unknown-notifications-key",
    ),
    pytest.param(
        "notifications = true\n",
        "notifications: got True (a boolean); expected a table: [notifications]",
        id="notifications-not-a-table",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_VAULT)
def test_invalid_vault_config_is_one_line_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text)
    assert str(caught.value.message).startswith(message), caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(("text", "message"), BAD_VAULT)
def test_synth_with_invalid_vault_config_exits_2_and_writes_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    assert_broken_config_rejected(tmp_path, text, message)
