"""``vaultplan policy`` reads values through the template resolver: ``Fn::If`` takes the
branch its condition selects, ``Fn::FindInMap`` and ``Fn::Select`` are computed, so the
policy names the one role, bucket or topic the stack deploys instead of ``*``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli_support import run_vaultplan

OPTIONS = (
    "--region",
    "us-east-1",
    "--account",
    "123456789012",
    "--stack-name",
    "prod",
    "--partition",
    "aws",
)


def _resources(tmp_path: Path, body: dict[str, Any], action: str) -> list[str]:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(body))
    result = run_vaultplan("policy", str(path), *OPTIONS)
    assert result.returncode == 0, result.stderr
    found: list[str] = []
    for st in json.loads(result.stdout)["Statement"]:
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        if action in actions and "Condition" not in st:
            found += st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
    return sorted(found)


def _topic(name: Any, **sections: Any) -> dict[str, Any]:
    return {
        **sections,
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": name}}},
    }


PARAMS = {"Env": {"Type": "String", "Default": "prod"}}
CONDITIONS = {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}
TOPIC = "arn:aws:sns:us-east-1:123456789012:"


@pytest.mark.parametrize(
    ("name", "sections", "expected"),
    [
        pytest.param(
            {"Fn::If": ["IsProd", "alerts-prod", "alerts-dev"]},
            {"Parameters": PARAMS, "Conditions": CONDITIONS},
            [TOPIC + "alerts-prod"],
            id="fn-if-decided-by-the-parameter-default",
        ),
        pytest.param(
            {"Fn::FindInMap": ["Names", {"Ref": "Env"}, "Topic"]},
            {"Parameters": PARAMS, "Mappings": {"Names": {"prod": {"Topic": "mapped"}}}},
            [TOPIC + "mapped"],
            id="fn-findinmap",
        ),
        pytest.param(
            {"Fn::Select": [1, ["first", "second"]]},
            {},
            [TOPIC + "second"],
            id="fn-select",
        ),
    ],
)
def test_policy_resolves_intrinsics_in_names(
    tmp_path: Path, name: Any, sections: dict[str, Any], expected: list[str]
) -> None:
    assert _resources(tmp_path, _topic(name, **sections), "sns:CreateTopic") == expected


def test_undecided_fn_if_stays_a_wildcard(tmp_path: Path) -> None:
    body = _topic(
        {"Fn::If": ["IsProd", "alerts-prod", "alerts-dev"]},
        Parameters={"Env": {"Type": "String"}},  # no default: unknown offline
        Conditions=CONDITIONS,
    )
    assert _resources(tmp_path, body, "sns:CreateTopic") == [TOPIC + "*"]


def test_fn_if_to_no_value_leaves_the_generated_name(tmp_path: Path) -> None:
    body = _topic(
        {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, "named"]},
        Parameters=PARAMS,
        Conditions=CONDITIONS,
    )
    assert _resources(tmp_path, body, "sns:CreateTopic") == [TOPIC + "prod-Topic-*"]


def _passed_to(tmp_path: Path, *partition: str) -> list[Any]:
    body = {
        "Mappings": {"Principals": {"aws": {"Eks": "eks.amazonaws.com"}}},
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": "cluster",
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "sts:AssumeRole",
                                "Principal": {
                                    "Service": {
                                        "Fn::FindInMap": [
                                            "Principals",
                                            {"Ref": "AWS::Partition"},
                                            "Eks",
                                        ]
                                    }
                                },
                            }
                        ]
                    },
                },
            },
            "Cluster": {
                "Type": "AWS::EKS::Cluster",
                "Properties": {
                    "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                    "ResourcesVpcConfig": {"SubnetIds": ["subnet-1"]},
                },
            },
        },
    }
    path = tmp_path / "role.json"
    path.write_text(json.dumps(body))
    result = run_vaultplan("policy", str(path), *OPTIONS[:6], *partition)
    assert result.returncode == 0, result.stderr
    return [st["Condition"] for st in json.loads(result.stdout)["Statement"] if "Condition" in st]


def test_a_service_principal_from_a_mapping_scopes_pass_role_once_the_partition_is_known(
    tmp_path: Path,
) -> None:
    assert _passed_to(tmp_path, "--partition", "aws") == [
        {"StringEquals": {"iam:PassedToService": "eks.amazonaws.com"}}
    ]
    # Unknown partition: the mapping lookup is unknown, so no PassedToService condition.
    assert _passed_to(tmp_path) == []
