"""Value resolution: Parameters, pseudo parameters, FindInMap, Sub, Join, If, conditions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultplan.template.resolve import Resolver, Unresolved, arn_parts, as_int

BODY: dict[str, Any] = {
    "Parameters": {
        "Retention": {"Type": "Number", "Default": 35},
        "Env": {"Type": "String", "Default": "prod", "AllowedValues": ["prod", "dev"]},
        "NoDefault": {"Type": "String"},
        "Zones": {"Type": "CommaDelimitedList", "Default": "a, b"},
        "Ssm": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/x/y"},
    },
    "Mappings": {"Sizes": {"prod": {"Days": 90}, "dev": {"Days": 7}}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
        "Unknown": {"Fn::Equals": [{"Ref": "NoDefault"}, "x"]},
        "ProdOrUnknown": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "Unknown"}]},
        "DevAndUnknown": {"Fn::And": [{"Condition": "IsDev"}, {"Condition": "Unknown"}]},
    },
    "Resources": {"Vault": {"Type": "AWS::Backup::BackupVault"}},
}


def values(node: Any, **params: str) -> list[Any]:
    return Resolver(BODY, params).variants(node)


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        pytest.param("plain", ["plain"], id="literal"),
        pytest.param({"Ref": "Retention"}, [35], id="ref-default"),
        pytest.param({"Ref": "Zones"}, [["a", "b"]], id="ref-comma-list"),
        pytest.param({"Ref": "AWS::NoValue"}, [None], id="novalue-is-absent"),
        pytest.param({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Days"]}, [90], id="findinmap"),
        pytest.param(
            {"Fn::Sub": "backup-${Env}-${Retention}"}, ["backup-prod-35"], id="sub-params"
        ),
        pytest.param(
            {"Fn::Sub": ["${A}-${!Literal}", {"A": {"Ref": "Env"}}]},
            ["prod-${Literal}"],
            id="sub-local-vars-and-escape",
        ),
        pytest.param({"Fn::Join": ["-", ["a", {"Ref": "Env"}]]}, ["a-prod"], id="join"),
        pytest.param({"Fn::Join": [",", {"Ref": "Zones"}]}, ["a,b"], id="join-list-param"),
        pytest.param({"Fn::Select": [1, ["x", "y"]]}, ["y"], id="select"),
        pytest.param({"Fn::If": ["IsProd", 35, 7]}, [35], id="if-true"),
        pytest.param({"Fn::If": ["IsDev", 35, 7]}, [7], id="if-false"),
        pytest.param({"Fn::If": ["Unknown", 35, 7]}, [35, 7], id="if-unknown-both-branches"),
        pytest.param({"Fn::If": ["ProdOrUnknown", 1, 2]}, [1], id="or-decided-by-true"),
        pytest.param({"Fn::If": ["DevAndUnknown", 1, 2]}, [2], id="and-decided-by-false"),
        pytest.param({"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, 1]}, [None], id="if-novalue"),
    ],
)
def test_resolves(node: Any, expected: list[Any]) -> None:
    assert values(node) == expected


def test_override_beats_default_and_changes_conditions() -> None:
    assert values({"Ref": "Retention"}, Retention="3") == ["3"]
    assert values({"Fn::If": ["IsProd", 35, 7]}, Env="dev") == [7]
    assert values({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Days"]}, Env="dev") == [7]


@pytest.mark.parametrize(
    ("node", "text", "reason_part"),
    [
        pytest.param({"Ref": "NoDefault"}, "${NoDefault}", "no default", id="param-no-default"),
        pytest.param({"Ref": "Ssm"}, "${Ssm}", "SSM", id="ssm-parameter"),
        pytest.param({"Ref": "AWS::Region"}, "${AWS::Region}", "deploy", id="pseudo-parameter"),
        pytest.param({"Ref": "Vault"}, "${Vault}", "resource Vault", id="ref-resource"),
        pytest.param(
            {"Fn::GetAtt": ["Vault", "BackupVaultArn"]},
            "${Vault.BackupVaultArn}",
            "GetAtt",
            id="getatt",
        ),
        pytest.param(
            {"Fn::Sub": "arn:${AWS::Partition}:backup:::${Vault}"},
            "arn:${AWS::Partition}:backup:::${Vault}",
            "deploy",
            id="sub-keeps-placeholders",
        ),
        pytest.param({"Fn::ImportValue": "x"}, "${Fn::ImportValue}", "offline", id="import"),
        pytest.param(
            {"Fn::FindInMap": ["Sizes", "test", "Days"]},
            "${Fn::FindInMap Sizes/test/Days}",
            "no entry",
            id="findinmap-missing-key",
        ),
    ],
)
def test_unresolved_is_never_guessed(node: Any, text: str, reason_part: str) -> None:
    (value,) = values(node)
    assert isinstance(value, Unresolved)
    assert value.text == text
    assert reason_part in value.reason


def test_unresolved_keeps_the_resources_it_refers_to() -> None:
    (value,) = values({"Fn::Sub": "${Vault.Arn}/x"})
    assert isinstance(value, Unresolved) and value.refs == frozenset({"Vault"})


def test_pseudo_parameter_override() -> None:
    assert values({"Fn::Sub": "${AWS::Region}-x"}, **{"AWS::Region": "eu-west-1"}) == [
        "eu-west-1-x"
    ]


def test_unknown_condition_is_none_and_known_ones_decide() -> None:
    r = Resolver(BODY)
    assert r.condition("IsProd") is True
    assert r.condition("IsDev") is False
    assert r.condition("Unknown") is None
    assert r.condition("NoSuchCondition") is None
    assert r.deployed({"Condition": "IsDev"}) is False
    assert r.deployed({"Condition": "Unknown"}) is None
    assert r.deployed({}) is True


def test_lookup_walks_through_if_into_both_branches() -> None:
    node = {"Fn::If": ["Unknown", {"Days": 1}, {"Days": {"Ref": "Retention"}}]}
    assert Resolver(BODY).lookup(node, "Days") == [1, 35]
    assert Resolver(BODY).lookup({"Other": 1}, "Days") == [None]


def test_recursive_conditions_do_not_loop() -> None:
    body = {"Conditions": {"A": {"Condition": "B"}, "B": {"Condition": "A"}}, "Resources": {}}
    assert Resolver(body).condition("A") is None


@pytest.mark.parametrize(
    ("raw", "expected"), [(30, 30), ("30", 30), (" 7 ", 7), (30.0, 30), ("x", "x"), (None, None)]
)
def test_as_int(raw: Any, expected: Any) -> None:
    assert as_int(raw) == expected


literal = st.text(alphabet=st.characters(blacklist_characters="${}"), max_size=12)


@given(st.lists(literal, max_size=6), literal)
def test_join_of_literals_is_python_join(parts: list[str], sep: str) -> None:
    assert values({"Fn::Join": [sep, parts]}) == [sep.join(parts)]


@given(literal)
def test_sub_without_variables_is_identity(text: str) -> None:
    assert values({"Fn::Sub": text}) == [text]


@given(st.sampled_from(["prod", "dev"]), st.integers(1, 3))
def test_nested_ifs_on_known_conditions_pick_one_branch(env: str, depth: int) -> None:
    node: Any = "leaf"
    for _ in range(depth):
        node = {"Fn::If": ["IsProd", node, "other"]}
    assert values(node, Env=env) == (["leaf"] if env == "prod" else ["other"])


@pytest.mark.parametrize(
    ("arn", "parts"),
    [
        (
            "arn:aws:backup:us-west-2:1:backup-vault:x",
            ["arn", "aws", "backup", "us-west-2", "1", "backup-vault:x"],
        ),
        (
            "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:${Db}",
            ["arn", "${AWS::Partition}", "rds", "${AWS::Region}", "${AWS::AccountId}", "db:${Db}"],
        ),
    ],
)
def test_arn_parts_keeps_placeholders_whole(arn: str, parts: list[str]) -> None:
    assert arn_parts(arn) == parts
