"""``vaultplan org validate``: each finding on a named case, lgallard's shape, the CLI's exits.

The good policy (``fixtures/good.json``) is written from the syntax page
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html);
each case breaks one thing in it, and the case's finding says what.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_support import PLAIN, invoke, one_error
from vaultplan.checks.org_policy import POLICY_CHECKS
from vaultplan.org.validate import policy_findings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = json.loads((FIXTURES / "good.json").read_text())
ARN = "arn:aws:backup:eu-central-1:$account:backup-vault:example"

Doc = dict[str, Any]


def plan(doc: Doc) -> Doc:
    return doc["plans"]["Daily"]


def rule(doc: Doc) -> Doc:
    return plan(doc)["rules"]["DailyWarm"]


def selection(doc: Doc) -> Doc:
    return plan(doc)["selections"]["tags"]["Backup"]


def a(value: Any) -> Doc:
    return {"@@assign": value}


def drop(node: Doc, key: str) -> None:
    del node[key]


def resources(doc: Doc, types: list[str]) -> None:
    plan(doc)["selections"] = {
        "resources": {
            "EFS": {
                "iam_role_arn": a("arn:aws:iam::$account:role/exampleBackupRole"),
                "resource_types": a(types),
            }
        }
    }


def conditions(doc: Doc, count: int) -> None:
    selection(doc)["conditions"] = {
        "string_equals": {
            f"c{i}": {"condition_key": a(f"aws:ResourceTag/k{i}"), "condition_value": a("v")}
            for i in range(count)
        }
    }


def rules(doc: Doc, count: int) -> None:
    plan(doc)["rules"] = {f"r{i}": copy.deepcopy(rule(doc)) for i in range(count)}


def copies(doc: Doc, count: int) -> None:
    arn = "arn:aws:backup:eu-central-1:$account:backup-vault:v{}"
    rule(doc)["copy_actions"] = {
        arn.format(i): {"target_backup_vault_arn": a(arn.format(i))} for i in range(count)
    }


def big(doc: Doc) -> None:
    plan(doc)["backup_plan_tags"] = {
        f"t{i}": {"tag_key": a(f"key{i}"), "tag_value": a("v" * 100)} for i in range(80)
    }


Change = Callable[[Doc], Any]
# (check id, case, change, part of the expected message, or None: no finding at all)
CASES: list[tuple[str, str, Change, str | None]] = [
    ("VP401", "plan-name-level", lambda d: d.update(plans=plan(d)), "plans.<PlanName>.regions"),
    ("VP401", "plan-named-like-an-element-ok", lambda d: None, None),
    (
        "VP402",
        "typo",
        lambda d: rule(d).update(schedule_expresion=rule(d).pop("schedule_expression")),
        "did you mean 'schedule_expression'?",
    ),
    (
        "VP402",
        "case-duplicate",
        lambda d: rule(d).update(Schedule_Expression=a("cron(0 6 ? * * *)")),
        "same key as 'schedule_expression'",
    ),
    ("VP402", "unknown-operator", lambda d: plan(d).update(regions={"@@asign": ["x"]}), "@@assign"),
    (
        "VP402",
        "selection-name-too-high",
        lambda d: plan(d).update(selections={"Backup": {"tags": {}}}),
        "selections.tags.Backup",
    ),
    (
        "VP402",
        "windowsvss-spelling-ok",
        lambda d: plan(d).update(advanced_backup_settings={"ec2": {"WindowsVSS": a("enabled")}}),
        None,
    ),
    ("VP403", "bare-list", lambda d: plan(d).update(regions=["eu-west-1"]), '{"@@assign": ['),
    ("VP403", "bare-number", lambda d: rule(d)["lifecycle"].update(delete_after_days=365), "365"),
    (
        "VP404",
        "append-on-string",
        lambda d: rule(d).update(target_backup_vault_name={"@@append": "x"}),
        "@@append on a single value",
    ),
    ("VP404", "append-on-list-ok", lambda d: plan(d).update(regions={"@@append": ["x"]}), None),
    (
        "VP405",
        "copy-actions-list",
        lambda d: rule(d).update(copy_actions=[{"target_backup_vault_arn": a(ARN)}]),
        "keyed by the destination vault ARN",
    ),
    ("VP405", "regions-string", lambda d: plan(d).update(regions=a("eu-west-1")), "list of"),
    (
        "VP405",
        "days-text",
        lambda d: rule(d)["lifecycle"].update(delete_after_days=a("a year")),
        "whole number",
    ),
    (
        "VP405",
        "vss-choice",
        lambda d: plan(d).update(advanced_backup_settings={"ec2": {"windows_vss": a("on")}}),
        "enabled, disabled",
    ),
    (
        "VP405",
        "control-all-and-none",
        lambda d: plan(d).update({"@@operators_allowed_for_child_policies": ["@@all", "@@none"]}),
        '["@@none"]',
    ),
    ("VP406", "no-regions", lambda d: drop(plan(d), "regions"), "no regions"),
    (
        "VP406",
        "no-vault",
        lambda d: drop(rule(d), "target_backup_vault_name"),
        "no target_backup_vault_name",
    ),
    ("VP406", "no-role", lambda d: drop(selection(d), "iam_role_arn"), "no iam_role_arn"),
    (
        "VP407",
        "both",
        lambda d: plan(d)["selections"].update(resources={}),
        "got tags and resources",
    ),
    ("VP407", "neither", lambda d: plan(d).update(selections={}), "got neither"),
    (
        "VP408",
        "no-target",
        lambda d: rule(d)["copy_actions"][ARN].pop("target_backup_vault_arn"),
        "lowercased",
    ),
    (
        "VP409",
        "account-in-vault-name",
        lambda d: rule(d).update(target_backup_vault_name=a("vault-$account")),
        "holds $account",
    ),
    (
        "VP409",
        "region-in-role",
        lambda d: selection(d).update(iam_role_arn=a("arn:aws:iam::$account:role/r-$region")),
        "holds $region",
    ),
    (
        "VP409",
        "region-in-air-gapped-ok",
        lambda d: rule(d).update(
            target_logically_air_gapped_backup_vault_arn=a(
                "arn:aws:backup:$region:$account:backup-vault:ag"
            )
        ),
        None,
    ),
    (
        "VP410",
        "specific-arn",
        lambda d: resources(
            d, ["arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-1"]
        ),
        "a specific resource",
    ),
    (
        "VP410",
        "pattern-ok",
        lambda d: resources(d, ["arn:aws:elasticfilesystem:*:*:file-system/*"]),
        None,
    ),
    ("VP411", "rate", lambda d: rule(d).update(schedule_expression=a("rate(1 hour)")), "rate"),
    (
        "VP411",
        "every-30-minutes",
        lambda d: rule(d).update(schedule_expression=a("cron(0/30 * ? * * *)")),
        "no more often than hourly",
    ),
    (
        "VP412",
        "start-window-30",
        lambda d: rule(d).update(start_backup_window_minutes=a("30")),
        "from 60",
    ),
    (
        "VP413",
        "cold-plus-90",
        lambda d: rule(d)["lifecycle"].update(delete_after_days=a(100)),
        "at least move_to_cold_storage_after_days + 90 = 120",
    ),
    (
        "VP413",
        "copy-lifecycle",
        lambda d: rule(d)["copy_actions"][ARN]["lifecycle"].update(
            move_to_cold_storage_after_days=a(30)
        ),
        "= 120",
    ),
    (
        "VP413",
        "continuous-cold",
        lambda d: rule(d).update(enable_continuous_backup=a(True)),
        "continuous backups cannot move to cold storage",
    ),
    ("VP414", "eleven-rules", lambda d: rules(d, 11), "at most 10 rules"),
    ("VP414", "ten-rules-ok", lambda d: rules(d, 10), None),
    ("VP414", "six-copies", lambda d: copies(d, 6), "at most 5 per rule"),
    ("VP414", "31-conditions", lambda d: conditions(d, 31), "at most 30"),
    ("VP414", "30-conditions-ok", lambda d: conditions(d, 30), None),
    ("VP415", "over-10000", big, "characters minified"),
]


def findings_of(doc: Doc, check_id: str) -> list[str]:
    return [f.message for f in policy_findings(doc, path="policy.json") if f.check_id == check_id]


def test_the_good_policy_has_no_finding() -> None:
    assert policy_findings(GOOD, path=str(FIXTURES / "good.json")) == []


@pytest.mark.parametrize(
    ("check_id", "change", "expected"),
    [pytest.param(c, ch, e, id=f"{c}-{name}") for c, name, ch, e in CASES],
)
def test_named_case(check_id: str, change: Change, expected: str | None) -> None:
    doc = copy.deepcopy(GOOD)
    change(doc)
    if expected is None:
        assert policy_findings(doc, path="policy.json") == []
    else:
        found = findings_of(doc, check_id)
        assert any(expected in m for m in found), (found, policy_findings(doc, path="p"))


def test_every_policy_check_has_a_case() -> None:
    assert {c for c, _n, _ch, e in CASES if e is not None} | {"VP416"} == set(POLICY_CHECKS)


def test_partial_skips_required_elements_only() -> None:
    child = {"plans": {"Daily": {"regions": {"@@append": ["eu-north-1"]}}}}
    assert policy_findings(child, path="child.json", partial=True) == []
    assert {f.check_id for f in policy_findings(child, path="child.json")} == {"VP406"}
    child["plans"]["Daily"]["regions"] = ["eu-north-1"]
    assert [f.check_id for f in policy_findings(child, path="c", partial=True)] == ["VP403"]


def test_effective_policy_is_read_without_operators() -> None:
    doc = {
        "plans": {
            "daily": {
                "regions": ["eu-west-1"],
                "rules": {
                    "r": {
                        "schedule_expression": "cron(0 5 ? * * *)",
                        "target_backup_vault_name": "v",
                        "lifecycle": {
                            "move_to_cold_storage_after_days": "30",
                            "delete_after_days": "100",
                        },
                    }
                },
                "selections": {
                    "tags": {
                        "s": {
                            "iam_role_arn": "arn:aws:iam::$account:role/r",
                            "tag_key": "backup",
                            "tag_value": ["true"],
                        }
                    }
                },
            }
        }
    }
    found = policy_findings(doc, path="111111111111", effective=True)
    assert [(f.check_id, f.resource) for f in found] == [("VP413", "daily")]


LGALLARD_DEFECTS = {
    # no plan-name level
    ("VP401", "plans"),
    # no @@assign anywhere (each value, regions included)
    ("VP403", "plans/rules/daily/target_backup_vault_name"),
    ("VP403", "plans/rules/daily/schedule_expression"),
    ("VP403", "plans/rules/daily/lifecycle/delete_after_days"),
    ("VP403", "plans/selections/tags/daily/tag_key"),
    ("VP403", "plans/selections/tags/daily/tag_value"),
    ("VP403", "plans/regions"),
    # the wrong window key names
    ("VP402", "plans/rules/daily/start_window_minutes"),
    ("VP402", "plans/rules/daily/completion_window_minutes"),
    # copy actions as an array
    ("VP405", "plans/rules/daily/copy_actions"),
    # no iam_role_arn
    ("VP406", "plans/selections/tags/daily"),
}


def test_lgallard_shape_fails_with_one_finding_per_defect() -> None:
    # fixtures/lgallard-shape.json is written from the description of what
    # lgallard/terraform-aws-backup 1.10's organizations.tf emits.
    path = FIXTURES / "lgallard-shape.json"
    found = policy_findings(json.loads(path.read_text()), path=str(path))
    assert {(f.check_id, f.path_text) for f in found} == LGALLARD_DEFECTS
    assert len(found) == len(LGALLARD_DEFECTS)
    assert all(f.line is not None for f in found)
    lines = {f.path_text: f.line for f in found}
    assert lines["plans/rules/daily/start_window_minutes"] == 7
    assert lines["plans/regions"] == 28


def test_cli_reports_as_check_does() -> None:
    good, bad = str(FIXTURES / "good.json"), str(FIXTURES / "lgallard-shape.json")
    assert invoke("org", "validate", good, env=PLAIN).code == 0
    result = invoke("org", "validate", bad, "--format", "json")
    assert result.code == 1
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == len(LGALLARD_DEFECTS)
    assert {f["id"] for f in report["findings"]} == {"VP401", "VP402", "VP403", "VP405", "VP406"}
    sarif = json.loads(invoke("org", "validate", bad, "--format", "sarif").stdout)
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert set(POLICY_CHECKS) <= rules
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "not JSON (Expecting property name enclosed in double quotes at line 1"),
        ("[1]", "a backup policy is a JSON object"),
        ('"plans"', "this file holds a string"),
    ],
)
def test_cli_refuses_a_file_that_is_not_a_json_object(
    tmp_path: Path, text: str, expected: str
) -> None:
    good = FIXTURES / "good.json"
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    line = one_error(invoke("org", "validate", str(good), str(bad)))
    assert line.startswith(f"error: POLICY: got '{bad}'")
    assert expected in line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "[" * 5000 + "]" * 5000,
            "POLICY: nested 5,000 levels deep at line 1, column 101; vaultplan reads at most 100",
            id="deep-nesting",
        ),
        pytest.param(
            '{"plans": ' + "9" * 5000 + "}",
            "POLICY: holds an integer of more than 4,300 digits; vaultplan reads at most 4,300",
            id="huge-integer",
        ),
        pytest.param(
            '{"plans": {"d": {"regions": {"@@assign": NaN}}}}',
            "not JSON (NaN is not a JSON number)",
            id="nan",
        ),
        pytest.param(
            '{"plans": {"d": {"regions": {"@@assign": -Infinity}}}}',
            "not JSON (-Infinity is not a JSON number)",
            id="infinity",
        ),
        pytest.param(
            '{"plans": {"d": {"regions": {"@@assign": 1e999}}}}',
            "not JSON ('1e999' is too large a number)",
            id="past-a-double",
        ),
    ],
)
def test_fuzz_a_policy_too_deep_or_with_numbers_json_lacks_is_one_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    # Found by the fuzz suite: 5,000 nested lists and a 5,000-digit integer were internal
    # errors (RecursionError, int()'s ValueError); NaN and 1e999 were read, and org effective
    # --format json then printed NaN and Infinity, which are not JSON.
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    line = one_error(invoke("org", "validate", str(bad), "--format", "json"))
    assert expected in line


def test_cli_refuses_a_missing_file(tmp_path: Path) -> None:
    line = one_error(invoke("org", "validate", str(tmp_path / "none.json")))
    assert "cannot read it" in line and "none.json" in line


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "plans",
                    "p",
                    "regions",
                    "rules",
                    "r",
                    "selections",
                    "tags",
                    "resources",
                    "lifecycle",
                    "copy_actions",
                    "@@assign",
                    "@@append",
                    "@@remove",
                    "@@operators_allowed_for_child_policies",
                    "schedule_expression",
                    "Plans",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(deadline=None)  # a shared, loaded machine: no time limit per case
@given(st.dictionaries(st.sampled_from(["plans", "Plans", "x"]), json_values, max_size=2))
def test_any_json_object_gives_findings_never_an_exception(doc: Doc) -> None:
    for effective in (False, True):
        for finding in policy_findings(doc, path="p.json", effective=effective, lines=lambda p: 1):
            assert finding.check_id in POLICY_CHECKS
            assert finding.message
