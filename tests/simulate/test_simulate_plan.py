"""Reading plans from templates: rules (schedule, time zone, window, lifecycle) and the
resources the selections protect; inputs the simulation can't use are one-line InputErrors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vaultplan.errors import InputError
from vaultplan.simulate import load_plans

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def plan_template(
    rules: list[dict[str, Any]],
    selection: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {}},
        "Plan": {
            "Type": "AWS::Backup::BackupPlan",
            "Properties": {"BackupPlan": {"BackupPlanName": "P", "BackupPlanRule": rules}},
        },
    }
    if selection is not None:
        resources["Sel"] = {
            "Type": "AWS::Backup::BackupSelection",
            "Properties": {
                "BackupPlanId": {"Ref": "Plan"},
                "BackupSelection": {"SelectionName": "s", "IamRoleArn": "arn", **selection},
            },
        }
    resources.update(extra or {})
    return {"Resources": resources, **top}


def write(tmp_path: Path, body: dict[str, Any], name: str = "t.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(body))
    return path


BY_ARN = {"Resources": [{"Fn::GetAtt": ["Fs", "Arn"]}]}
RULE = {"RuleName": "R", "TargetBackupVault": "v", "ScheduleExpression": "cron(0 8 * * ? *)"}


def test_seed_fixture_and_vaultplans_own_template_read_alike() -> None:
    (hand,) = load_plans(FIXTURES / "seed.json")
    (own,) = load_plans(ROOT / "tests" / "golden" / "default_template.json")
    for plan in (hand, own):
        assert plan.name == "exampleEFSBackupPlan"
        assert [
            (r.name, r.schedule.expression, r.timezone, r.start_window_minutes) for r in plan.rules
        ] == [
            ("exampleDailyWarmBackup", "cron(0 8 * * ? *)", "UTC", 480),
            ("exampleMonthlyColdBackup", "cron(0 8 1 * ? *)", "UTC", 480),
        ]
        assert [(r.cold_after_days, r.delete_after_days) for r in plan.rules] == [
            (None, 35),
            (30, 365),
        ]
        assert [(r.type, r.certain) for r in plan.resources] == [("AWS::EFS::FileSystem", True)]
    assert [r.name for r in hand.resources] == ["FileSystem"]


def test_rule_time_zone_window_and_defaults(tmp_path: Path) -> None:
    rules = [
        {**RULE, "ScheduleExpressionTimezone": "Europe/Paris", "StartWindowMinutes": "90"},
        {"RuleName": "Bare", "TargetBackupVault": "v"},
    ]
    (plan,) = load_plans(write(tmp_path, plan_template(rules, BY_ARN)))
    zoned, bare = plan.rules
    assert (zoned.timezone, zoned.start_window_minutes) == ("Europe/Paris", 90)
    # AWS's default schedule (API_BackupRuleInput) and the 8-hour window; kept forever.
    assert (bare.schedule.expression, bare.start_window_minutes) == ("cron(0 5 ? * * *)", 480)
    assert (bare.cold_after_days, bare.delete_after_days) == (None, None)


def test_parameters_resolve_from_defaults_and_overrides(tmp_path: Path) -> None:
    body = plan_template(
        [{**RULE, "Lifecycle": {"DeleteAfterDays": {"Ref": "Keep"}}}],
        BY_ARN,
        Parameters={"Keep": {"Type": "Number", "Default": "14"}},
    )
    path = write(tmp_path, body)
    assert load_plans(path)[0].rules[0].delete_after_days == 14
    assert load_plans(path, parameters={"Keep": "60"})[0].rules[0].delete_after_days == 60


def test_selection_by_tags_and_by_external_arn(tmp_path: Path) -> None:
    external = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"
    body = plan_template(
        [RULE],
        {
            "Resources": [external],
            "ListOfTags": [
                {"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "yes"}
            ],
        },
        extra={
            "Tagged": {
                "Type": "AWS::EFS::FileSystem",
                "Properties": {"FileSystemTags": [{"Key": "backup", "Value": "yes"}]},
            },
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "t"}},
        },
    )
    (plan,) = load_plans(write(tmp_path, body))
    assert sorted((r.name, r.type) for r in plan.resources) == [
        ("Tagged", "AWS::EFS::FileSystem"),
        (external, "AWS::EFS::FileSystem"),
    ]


def test_yaml_template_goes_through_cfn_lint_decoder(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  Fs: {Type: AWS::EFS::FileSystem}\n"
        "  Plan:\n"
        "    Type: AWS::Backup::BackupPlan\n"
        "    Properties:\n"
        "      BackupPlan:\n"
        "        BackupPlanName: !Sub '${AWS::StackName}-plan'\n"
        "        BackupPlanRule:\n"
        "          - RuleName: Weekly\n"
        "            TargetBackupVault: v\n"
        "            ScheduleExpression: cron(0 3 ? * SUN *)\n"
        "  Sel:\n"
        "    Type: AWS::Backup::BackupSelection\n"
        "    Properties:\n"
        "      BackupPlanId: !Ref Plan\n"
        "      BackupSelection:\n"
        "        SelectionName: s\n"
        "        IamRoleArn: arn\n"
        "        Resources: [!GetAtt Fs.Arn]\n"
    )
    # A name unknown offline is shown as its placeholder; --parameters can decide it.
    assert load_plans(path)[0].name == "${AWS::StackName}-plan"
    (plan,) = load_plans(path, parameters={"AWS::StackName": "app"})
    assert plan.name == "app-plan"
    assert [r.name for r in plan.resources] == ["Fs"]


def test_cdk_out_directory(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    write(out, plan_template([RULE], BY_ARN), "Stack.template.json")
    (out / "manifest.json").write_text(
        json.dumps(
            {
                "artifacts": {
                    "Stack": {
                        "type": "aws:cloudformation:stack",
                        "properties": {"templateFile": "Stack.template.json"},
                    }
                }
            }
        )
    )
    (plan,) = load_plans(out)
    assert (plan.template, plan.logical_id) == ("Stack", "Plan")


def test_plan_choice_and_several_plans(tmp_path: Path) -> None:
    body = plan_template([RULE], BY_ARN)
    body["Resources"]["Other"] = {
        "Type": "AWS::Backup::BackupPlan",
        "Properties": {"BackupPlan": {"BackupPlanName": "O", "BackupPlanRule": [RULE]}},
    }
    path = write(tmp_path, body)
    assert [p.logical_id for p in load_plans(path)] == ["Plan", "Other"]
    (other,) = load_plans(path, "Other")
    assert other.resources == ()  # no selection attaches to it
    with pytest.raises(InputError) as err:
        load_plans(path, "Missing")
    assert str(err.value) == "--plan: got 'Missing'; the template's backup plans are: Other, Plan"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {**RULE, "ScheduleExpression": "cron(0 8 * * * *)"},
            "Resources.Plan.BackupPlan.BackupPlanRule.0.ScheduleExpression: got "
            "'cron(0 8 * * * *)'; ",
        ),
        (
            {**RULE, "ScheduleExpressionTimezone": "Mars/Olympus"},
            "Resources.Plan.BackupPlan.BackupPlanRule.0.ScheduleExpressionTimezone: ",
        ),
        (
            {**RULE, "Lifecycle": {"DeleteAfterDays": "soon"}},
            "Resources.Plan.BackupPlan.BackupPlanRule.0.Lifecycle.DeleteAfterDays: got 'soon'; "
            "expected a whole number of days, 1 to 36500",
        ),
        (
            {**RULE, "StartWindowMinutes": {"Ref": "Unknown"}},
            "Resources.Plan.BackupPlan.BackupPlanRule.0.StartWindowMinutes: got '${Unknown}', "
            "unknown offline",
        ),
        (
            {**RULE, "Lifecycle": {"DeleteAfterDays": {"Fn::If": ["Prod", 365, 7]}}},
            "Resources.Plan.BackupPlan.BackupPlanRule.0.Lifecycle.DeleteAfterDays: got one of "
            "'365', '7'; the value depends on a condition that can't be decided offline",
        ),
    ],
)
def test_rule_values_the_simulation_cant_use(
    tmp_path: Path, rule: dict[str, Any], message: str
) -> None:
    body = plan_template(
        [rule],
        BY_ARN,
        Parameters={"Env": {"Type": "String"}},
        Conditions={"Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    )
    with pytest.raises(InputError) as err:
        load_plans(write(tmp_path, body))
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_template_without_plan_and_file_that_is_not_a_template(tmp_path: Path) -> None:
    no_plan = write(tmp_path, {"Resources": {"Fs": {"Type": "AWS::EFS::FileSystem"}}})
    with pytest.raises(InputError, match="has no AWS::Backup::BackupPlan resource"):
        load_plans(no_plan)
    not_template = write(tmp_path, {"hello": "world"}, "x.json")
    with pytest.raises(InputError, match="has no AWS::Backup::BackupPlan resource"):
        load_plans(not_template)
    broken = tmp_path / "broken.json"
    broken.write_text('{"Resources": ')
    with pytest.raises(InputError, match="cannot parse template"):
        load_plans(broken)
