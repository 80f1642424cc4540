"""BackupStrategy's selection on the synthesized template: ARNs of any AWS Backup type, tag
conditions (AND), exclusions, and the split past 500 ARNs; and one error per invalid combination.

Facts encoded here (AWS Backup API reference,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html;
AWS Backup quotas, https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-limits.html):
at most 500 ARNs without wildcards or 30 with them, for both Resources and NotResources;
Conditions combine with AND, ListOfTags with OR; 30 tags in one selection; 100 resource
assignments per plan. Resources AND Conditions: re:Post knowledge-center/backup-assign-resources
(example 1). Wildcards only at the end of an ARN: botocore's BackupSelection.Resources doc.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk.assertions import Template

from vaultplan import BackupStrategy
from vaultplan.cdk import RulePreset
from vaultplan.checks import check_template
from vaultplan.spec.selection import SelectionOptions, TagCondition
from vaultplan.template import LoadedTemplate

FS_ID = "fs-0123456789abcdef0"
FS_ARN = "arn:aws:elasticfilesystem:eu-west-3:123456789012:file-system/fs-abcdef0123456789a"
EBS_ALL = "arn:aws:ec2:*:*:volume/*"
RDS_DB = "arn:aws:rds:eu-west-3:123456789012:db:shop"
TABLE = "arn:aws:dynamodb:eu-west-3:123456789012:table/orders"
EXCLUDED = "arn:aws:ec2:eu-west-3:123456789012:volume/vol-0123456789abcdef0"
CONDITIONS = (
    TagCondition.equals("backup", "true"),
    TagCondition.like("team", "data-*"),
    TagCondition.not_equals("env", "scratch"),
    TagCondition.not_like("env", "dev*"),
)


def volumes(count: int) -> list[str]:
    """``count`` distinct EBS volume ARNs."""
    return [f"arn:aws:ec2:us-east-1:123456789012:volume/vol-{i:017x}" for i in range(count)]


def selections(template: Template) -> dict[str, dict[str, Any]]:
    """Logical id -> the BackupSelection property, for each selection."""
    return {
        lid: res["Properties"]["BackupSelection"]
        for lid, res in template.find_resources("AWS::Backup::BackupSelection").items()
    }


@pytest.fixture(scope="module")
def featured() -> tuple[Stack, BackupStrategy, Template]:
    """GIVEN EFS by construct, id and ARN, more ARNs, an exclusion and four tag conditions."""
    stack = Stack(App(), "Featured")
    vpc = ec2.Vpc(stack, "Vpc", nat_gateways=0, max_azs=1)
    tagged = efs.FileSystem(stack, "Tagged", vpc=vpc, encrypted=True)
    for key, value in (("backup", "true"), ("team", "data-lake"), ("env", "prod")):
        Tags.of(tagged).add(key, value)
    untagged = efs.FileSystem(stack, "Untagged", vpc=vpc, encrypted=True)
    ec2.CfnVolume(
        stack,
        "ProdVolume",
        availability_zone="eu-west-3a",
        size=10,
        encrypted=True,
        tags=[{"key": "backup", "value": "true"}, {"key": "team", "value": "data-x"}],
    )
    ec2.CfnVolume(
        stack,
        "DevVolume",
        availability_zone="eu-west-3a",
        size=10,
        encrypted=True,
        tags=[
            {"key": "backup", "value": "true"},
            {"key": "team", "value": "data-x"},
            {"key": "env", "value": "dev-1"},
        ],
    )
    strategy = BackupStrategy(
        stack,
        "Backup",
        site_name="shop",
        # The untagged one by its ARN (a token): as a construct, missing the conditions, it
        # would fail synth (tests/cdk/test_created_file_systems.py); VP208 still sees it.
        file_systems=[tagged, untagged.file_system_arn, FS_ID, FS_ARN],
        selection=SelectionOptions(
            arns=[EBS_ALL, RDS_DB, TABLE], exclude_arns=[EXCLUDED], conditions=CONDITIONS
        ),
    )
    return stack, strategy, Template.from_stack(stack)


@pytest.fixture(scope="module")
def featured_body(featured: tuple[Stack, BackupStrategy, Template]) -> dict[str, Any]:
    (body,) = selections(featured[2]).values()
    return body


def test_efs_by_construct_id_and_arn_then_other_arns(
    featured: tuple[Stack, BackupStrategy, Template], featured_body: dict[str, Any]
) -> None:
    template = featured[2]
    fs_ids = list(template.find_resources("AWS::EFS::FileSystem"))
    resources = featured_body["Resources"]
    assert resources[0] == {"Fn::GetAtt": [fs_ids[0], "Arn"]}
    assert fs_ids[1] in json.dumps(resources[1])  # the ARN built from its id
    assert resources[2]["Fn::Sub"].endswith(f":file-system/{FS_ID}")
    assert resources[3:] == [FS_ARN, EBS_ALL, RDS_DB, TABLE]


def test_tag_conditions_go_to_conditions_with_and_semantics_not_list_of_tags(
    featured_body: dict[str, Any],
) -> None:
    assert featured_body["Conditions"] == {
        "StringEquals": [{"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "true"}],
        "StringLike": [{"ConditionKey": "aws:ResourceTag/team", "ConditionValue": "data-*"}],
        "StringNotEquals": [{"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "scratch"}],
        "StringNotLike": [{"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "dev*"}],
    }
    # ListOfTags would OR the tags with the resources (aws/aws-cdk#18911).
    assert "ListOfTags" not in featured_body


def test_excluded_arns_go_to_not_resources(featured_body: dict[str, Any]) -> None:
    assert featured_body["NotResources"] == [EXCLUDED]


def test_one_selection_keeps_the_first_id_and_name(
    featured: tuple[Stack, BackupStrategy, Template],
) -> None:
    _, strategy, _ = featured
    assert [s.node.id for s in strategy.selections] == ["Selection"]
    assert strategy.selection is strategy.selections[0]
    assert strategy.selection_names == ["shopEFS"]


def test_selected_resource_types_name_every_type_the_arns_can_be(
    featured: tuple[Stack, BackupStrategy, Template],
) -> None:
    assert featured[1].selected_resource_types == {"EFS", "EBS", "RDS", "DynamoDB"}


def _vp208(template: Template, tmp: Path) -> dict[str, str]:
    loaded = LoadedTemplate(path=tmp / "t.json", name="t", body=template.to_json())
    report = check_template(loaded)
    return {f.resource: f.message for f in report.findings if f.check_id == "VP208"}


def test_check_vp208_reads_conditions_and_not_resources(
    featured: tuple[Stack, BackupStrategy, Template], tmp_path: Path
) -> None:
    """THEN `vaultplan check` sees the AND: the untagged EFS and the dev volume are not
    covered, the tagged EFS and the prod volume are."""
    template = featured[2]
    uncovered = _vp208(template, tmp_path)
    lids = {
        kind: sorted(template.find_resources(kind))
        for kind in ("AWS::EFS::FileSystem", "AWS::EC2::Volume")
    }
    tagged, untagged = lids["AWS::EFS::FileSystem"]
    dev, prod = lids["AWS::EC2::Volume"]
    assert untagged in uncovered and dev in uncovered
    assert tagged not in uncovered and prod not in uncovered


@pytest.fixture(scope="module")
def many() -> tuple[dict[str, BackupStrategy], Template]:
    """GIVEN four strategies in one stack: 1,201 ARNs; 40 exact + 2 wildcard ARNs; tag
    conditions alone; and ARNs of other types with no EFS."""
    stack = Stack(App(), "Many")
    exact = volumes(1201)
    strategies = {
        "big": BackupStrategy(
            stack,
            "Big",
            site_name="big",
            selection=SelectionOptions(
                arns=exact, exclude_arns=[EXCLUDED], conditions=CONDITIONS[:1]
            ),
        ),
        "mix": BackupStrategy(
            stack,
            "Mix",
            site_name="mix",
            file_systems=[FS_ID],
            selection=SelectionOptions(arns=[*exact[:39], EBS_ALL, "arn:aws:s3:::logs-*"]),
        ),
        "tags": BackupStrategy(
            stack,
            "Tags",
            site_name="tags",
            selection=SelectionOptions(conditions=CONDITIONS[:1]),
        ),
        "db": BackupStrategy(
            stack, "Db", site_name="db", selection=SelectionOptions(arns=[RDS_DB, TABLE])
        ),
    }
    return strategies, Template.from_stack(stack)


def _by_name(template: Template) -> dict[str, dict[str, Any]]:
    return {body["SelectionName"]: body for body in selections(template).values()}


def test_1201_arns_split_into_3_selections_of_500_500_201(
    many: tuple[dict[str, BackupStrategy], Template],
) -> None:
    strategies, template = many
    bodies = _by_name(template)
    sizes = [len(bodies[name]["Resources"]) for name in ("bigEFS", "bigEFS-2", "bigEFS-3")]
    assert sizes == [500, 500, 201]
    assert [s.node.id for s in strategies["big"].selections] == [
        "Selection",
        "Selection2",
        "Selection3",
    ]
    assert strategies["big"].selection_names == ["bigEFS", "bigEFS-2", "bigEFS-3"]
    every = [
        arn for name in ("bigEFS", "bigEFS-2", "bigEFS-3") for arn in bodies[name]["Resources"]
    ]
    assert every == [f"arn:aws:ec2:us-east-1:123456789012:volume/vol-{i:017x}" for i in range(1201)]


def test_each_split_part_carries_the_conditions_and_exclusions(
    many: tuple[dict[str, BackupStrategy], Template],
) -> None:
    bodies = _by_name(many[1])
    for name in ("bigEFS", "bigEFS-2", "bigEFS-3"):
        assert bodies[name]["NotResources"] == [EXCLUDED]
        assert bodies[name]["Conditions"] == {
            "StringEquals": [{"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "true"}]
        }


def test_more_than_30_with_a_wildcard_puts_the_wildcards_in_their_own_selection(
    many: tuple[dict[str, BackupStrategy], Template],
) -> None:
    bodies = _by_name(many[1])
    assert len(bodies["mixEFS"]["Resources"]) == 40  # the EFS id and 39 exact ARNs
    assert bodies["mixEFS-2"]["Resources"] == [EBS_ALL, "arn:aws:s3:::logs-*"]


def test_tag_conditions_alone_select_every_type_with_resources_star(
    many: tuple[dict[str, BackupStrategy], Template],
) -> None:
    strategies, template = many
    body = _by_name(template)["tagsEFS"]
    assert body["Resources"] == ["*"]
    assert "StringEquals" in body["Conditions"]
    assert "EFS" in strategies["tags"].selected_resource_types
    assert len(strategies["tags"].selected_resource_types) == 17


def test_a_strategy_without_efs_selects_other_types_by_arn(
    many: tuple[dict[str, BackupStrategy], Template],
) -> None:
    strategies, template = many
    assert _by_name(template)["dbEFS"]["Resources"] == [RDS_DB, TABLE]
    assert strategies["db"].selected_resource_types == {"RDS", "DynamoDB"}
    assert "Conditions" not in _by_name(template)["dbEFS"]
    assert "NotResources" not in _by_name(template)["dbEFS"]


WILD = [f"arn:aws:s3:::bucket-{i}-*" for i in range(31)]
EXACT_VOLUMES = volumes(501)


def bad(case_id: str, message: str, **options: Any) -> Any:
    """A case of ``SelectionOptions(**options)``."""
    return pytest.param(options, message, id=case_id)


BAD = [
    bad(
        "not-an-arn",
        "selection.arns[0]: got 'not-an-arn'; not an ARN: expected arn:<partition>:",
        arns=["not-an-arn"],
    ),
    bad(
        "unsupported-service",
        "selection.arns[0]: got 'arn:aws:sqs:us-east-1:123456789012:queue'; AWS Backup "
        "protects no resource of service 'sqs'; it protects Aurora, CloudFormation,",
        arns=["arn:aws:sqs:us-east-1:123456789012:queue"],
    ),
    bad(
        "unsupported-type",
        "selection.arns[0]: got 'arn:aws:ec2:us-east-1:123456789012:image/ami-0123'; not a "
        "resource type AWS Backup protects; for ec2 it protects",
        arns=["arn:aws:ec2:us-east-1:123456789012:image/ami-0123"],
    ),
    bad(
        "wildcard-not-at-end",
        "selection.arns[0]: got 'arn:aws:s3:::*-logs'; a '*' may only end the ARN",
        arns=["arn:aws:s3:::*-logs"],
    ),
    bad(
        "s3-with-region",
        "selection.arns[0]: got 'arn:aws:s3:us-east-1::bucket'; s3 ARNs have no Region",
        arns=["arn:aws:s3:us-east-1::bucket"],
    ),
    bad(
        "bad-account",
        "selection.arns[0]: got 'arn:aws:rds:us-east-1:1234:db:x'; bad account '1234'",
        arns=["arn:aws:rds:us-east-1:1234:db:x"],
    ),
    bad(
        "duplicate-arn",
        f"selection.arns[1]: got '{RDS_DB}'; selection.arns[0] is the same ARN",
        arns=[RDS_DB, RDS_DB],
    ),
    bad(
        "31-wildcards",
        "selection.arns: got 31 ARNs with a wildcard; a selection takes at most 30",
        arns=WILD,
    ),
    bad(
        "501-excluded",
        "selection.exclude_arns: got 501 ARNs; at most 500",
        arns=[RDS_DB],
        exclude_arns=EXACT_VOLUMES,
    ),
    bad(
        "31-excluded-with-wildcard",
        "selection.exclude_arns: got 31 ARNs, 30 with a wildcard; at most 30",
        arns=[RDS_DB],
        exclude_arns=WILD[:30] + EXACT_VOLUMES[:1],
    ),
    bad(
        "exclude-everything",
        "selection.exclude_arns[0]: got '*'; excluding every resource",
        arns=[RDS_DB],
        exclude_arns=["*"],
    ),
    bad(
        "included-and-excluded",
        f"selection.exclude_arns[0]: got '{RDS_DB}', which selection.arns also lists",
        arns=[RDS_DB],
        exclude_arns=[RDS_DB],
    ),
    bad(
        "31-tag-conditions",
        "selection.conditions: got 31 tag conditions; a selection takes at most 30",
        conditions=[TagCondition.not_equals(f"k{i}", "v") for i in range(31)],
    ),
    bad(
        "empty-condition-value",
        "selection.conditions.string_equals.backup: got ''; give a non-empty tag value",
        conditions=[TagCondition.equals("backup", "")],
    ),
    bad(
        "wildcard-in-equals",
        "selection.conditions.string_equals.backup: got 'yes*'; a tag value is at most 256 "
        "letters, digits, spaces or _.:/=+-@; for a pattern with * or ?, use string_like",
        conditions=[TagCondition.equals("backup", "yes*")],
    ),
    bad(
        "reserved-key",
        "selection.conditions.string_like: got tag key 'aws:cloudformation:stack-name'; keys "
        "starting with 'aws:' are reserved",
        conditions=[TagCondition.like("aws:cloudformation:stack-name", "x*")],
    ),
    bad(
        "key-too-long",
        "selection.conditions.string_like: got tag key 'kkk",
        conditions=[TagCondition.like("k" * 129, "x*")],
    ),
    bad(
        "equals-twice",
        "selection.conditions.string_equals.env: got 'b' and 'a'; a tag has one value",
        conditions=[TagCondition.equals("env", "a"), TagCondition.equals("env", "b")],
    ),
    bad(
        "equals-and-not-equals",
        "selection.conditions.string_not_equals.env: got 'a', which string_equals requires",
        conditions=[TagCondition.equals("env", "a"), TagCondition.not_equals("env", "a")],
    ),
]


@pytest.mark.parametrize(("options", "message"), BAD)
def test_bad_selection_raises_value_error_naming_key_and_value(
    options: dict[str, Any], message: str
) -> None:
    stack = Stack(App(), "Bad")
    with pytest.raises(ValueError) as caught:
        BackupStrategy(
            stack,
            "Backup",
            site_name="example",
            file_systems=[FS_ID],
            selection=SelectionOptions(**options),
        )
    assert str(caught.value).splitlines()[0].startswith(message), str(caught.value)
    assert not any(c.node.id in {"Vault", "Plan", "Selection"} for c in stack.node.find_all())


@pytest.mark.parametrize(
    ("file_systems", "options", "message"),
    [
        pytest.param(
            [],
            SelectionOptions(),
            "file_systems: got []; give at least one EFS file system (a construct, an id or "
            "an ARN), or select resources with selection.arns or selection.conditions",
            id="nothing-selected",
        ),
        pytest.param(
            [],
            SelectionOptions(exclude_arns=[EXCLUDED]),
            "file_systems: got []; give at least one EFS file system",
            id="exclusions-alone",
        ),
        pytest.param(
            ["arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/*"],
            SelectionOptions(),
            "file_systems[0]: got 'arn:aws:elasticfilesystem:us-east-1:123456789012:"
            "file-system/*'; an EFS file system ARN is",
            id="efs-arn-pattern",
        ),
        pytest.param(
            ["arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123abcd"],
            SelectionOptions(),
            "file_systems[0]: got 'arn:aws:elasticfilesystem:us-east-1:123456789012:"
            "access-point/fsap-0123abcd'; an EFS file system ARN is",
            id="efs-arn-not-a-file-system",
        ),
        pytest.param(
            [],
            SelectionOptions(
                arns=[
                    f"arn:aws:ec2:us-east-1:123456789012:volume/vol-{i:017x}" for i in range(50_001)
                ]
            ),
            "selection.arns: got 50001 ARNs; they need 101 selections and a plan takes at most 100",
            id="101-selections",
        ),
    ],
)
def test_bad_file_systems_and_selection_together(
    file_systems: list[str], options: SelectionOptions, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        BackupStrategy(
            Stack(App(), "Bad"),
            "Backup",
            site_name="example",
            file_systems=file_systems,
            selection=options,
        )
    assert message in str(caught.value)


CONTINUOUS = RulePreset(
    name="Pitr", schedule="cron(0 5 * * ? *)", delete_after_days=35, continuous_backup=True
)


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(SelectionOptions(arns=[FS_ARN]), id="efs-by-arn"),
        pytest.param(SelectionOptions(arns=["arn:aws:elasticfilesystem:*:*:*"]), id="efs-pattern"),
        pytest.param(SelectionOptions(conditions=CONDITIONS[:1]), id="tags-alone-select-efs-too"),
    ],
)
def test_continuous_backup_is_refused_when_the_selection_may_hold_efs(
    options: SelectionOptions,
) -> None:
    """EFS has no continuous backup (point-in-time-recovery.html): EFS chosen by ARN, by
    pattern, or by tags over every type counts as much as a file system construct."""
    with pytest.raises(ValueError, match=r"continuous_backup: got true; continuous backup"):
        BackupStrategy(
            Stack(App(), "Pitr"),
            "Backup",
            site_name="pitr",
            rules=[CONTINUOUS],
            selection=options,
        )


def test_continuous_backup_is_allowed_for_rds_and_s3_arns() -> None:
    strategy = BackupStrategy(
        Stack(App(), "Pitr"),
        "Backup",
        site_name="pitr",
        rules=[CONTINUOUS],
        selection=SelectionOptions(arns=[RDS_DB, "arn:aws:s3:::logs-*"]),
    )
    assert strategy.selected_resource_types == {"RDS", "S3"}


def test_conditions_may_be_given_in_the_configs_shape() -> None:
    options = SelectionOptions(
        conditions={"string_equals": {"backup": "true"}, "string_not_like": {"env": ["dev*"]}}
    )
    assert options.conditions == (
        TagCondition.equals("backup", "true"),
        TagCondition.not_like("env", "dev*"),
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"arns": RDS_DB},
            f"selection.arns: got '{RDS_DB}' (a string); give a list of ARNs",
            id="arns-string",
        ),
        pytest.param(
            {"conditions": {"backup": "true"}},
            "selection.conditions: got operator 'backup'; use string_equals, string_like",
            id="conditions-plain-tags",
        ),
        pytest.param(
            {"conditions": [("backup", "true")]},
            "selection.conditions[0]: got ('backup', 'true'); give TagCondition.equals",
            id="conditions-tuples",
        ),
    ],
)
def test_misshapen_options_raise_value_error_naming_the_field(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        SelectionOptions(**kwargs)
    assert str(caught.value).startswith(message)
