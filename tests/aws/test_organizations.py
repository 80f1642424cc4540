"""AWS Organizations facts (:mod:`vaultplan.aws.organizations`) and the partition of a Region."""

from __future__ import annotations

import json
import re
from pathlib import Path

import botocore
import pytest

from vaultplan.aws import arns, organizations


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        pytest.param("r-ab12", True, id="root"),
        pytest.param("r-" + "a" * 32, True, id="root-32"),
        pytest.param("r-ab1", False, id="root-short"),
        pytest.param("r-AB12", False, id="root-upper"),
        pytest.param("ou-ab12-11111111", True, id="ou"),
        pytest.param("ou-ab12-1111111", False, id="ou-short-tail"),
        pytest.param("ou-ab12", False, id="ou-no-tail"),
        pytest.param("123456789012", True, id="account"),
        pytest.param("12345678901", False, id="account-11"),
        pytest.param("p-12345678", False, id="policy-id"),
        pytest.param(123456789012, False, id="a-number"),
    ],
)
def test_target_ids_are_a_root_an_ou_or_an_account(value: object, ok: bool) -> None:
    problems = organizations.target_id(value, "org.target_ids[0]")
    assert (problems == []) is ok
    if not ok:
        assert problems[0].startswith(f"org.target_ids[0]: got {value!r}; attach a policy to")


@pytest.mark.parametrize(
    ("check", "longest"),
    [(organizations.policy_name, 128), (organizations.description, 512)],
)
def test_names_and_descriptions_have_their_documented_lengths(check: object, longest: int) -> None:
    assert callable(check)
    assert check("x" * longest) == []
    assert check("x" * (longest + 1)) != []


def botocore_partitions() -> list[dict[str, object]]:
    path = Path(botocore.__file__).parent / "data" / "partitions.json"
    partitions: list[dict[str, object]] = json.loads(path.read_text())["partitions"]
    return partitions


def test_every_botocore_region_is_in_its_partition() -> None:
    for partition in botocore_partitions():
        listed: list[str] = partition["regions"]  # type: ignore[assignment]
        regions = [r for r in listed if not r.endswith("-global")]
        assert regions, partition["id"]
        assert {r: arns.partition_of(r) for r in regions} == dict.fromkeys(regions, partition["id"])


def test_the_partition_patterns_are_botocores() -> None:
    # botocore's regionRegex escapes the dashes; the patterns here don't need to
    ours = {p: pattern.pattern for p, pattern in arns._PARTITION_OF_REGION}
    theirs = {
        str(p["id"]): str(p["regionRegex"]).replace("\\-", "-") for p in botocore_partitions()
    }
    assert ours == {k: v.replace("(de)", "de") for k, v in theirs.items()}
    assert arns.partition_of("xx-nowhere-1") is None
    assert re.fullmatch(arns.REGION, "us-gov-west-1")
