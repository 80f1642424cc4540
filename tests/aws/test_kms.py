"""The two KMS ARN patterns (:mod:`vaultplan.aws.kms`) and what each accepts."""

from __future__ import annotations

import pytest

from vaultplan.aws import kms

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MULTI_REGION = "arn:aws:kms:us-east-1:123456789012:key/mrk-" + "0123456789abcdef" * 2
ALIAS = "arn:aws:kms:us-east-1:123456789012:alias/aws/elasticfilesystem"


@pytest.mark.parametrize(
    ("arn", "key_id", "key_or_alias"),
    [
        (KEY, True, True),
        (MULTI_REGION, True, True),
        (ALIAS, False, True),
        ("arn:aws:kms:us-east-1:123456789012:key/not-a-uuid", False, True),
        ("alias/aws/backup", False, False),
        (
            "arn:aws:kms:us-east-1:12345678901:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            False,
            False,
        ),
        ("arn:aws:kms:Region:123456789012:alias/x", False, False),
    ],
)
def test_key_id_arns_and_key_or_alias_arns(arn: str, key_id: bool, key_or_alias: bool) -> None:
    assert bool(kms.KMS_KEY_ID_ARN_RE.fullmatch(arn)) is key_id
    assert bool(kms.KMS_KEY_OR_ALIAS_ARN_RE.fullmatch(arn)) is key_or_alias


def test_kms_key_arn_refuses_an_alias_naming_the_field() -> None:
    assert kms.kms_key_arn(KEY) == []
    assert kms.kms_key_arn(ALIAS, "vault.kms_key") == [
        f"vault.kms_key: got {ALIAS!r}; use the ARN of a KMS key, e.g. "
        "'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'"
    ]
