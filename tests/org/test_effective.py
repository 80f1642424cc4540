"""The merge of backup policies down an organization (:mod:`vaultplan.org.effective`).

Named cases are worked out by hand from the rules of the operators page
(https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html), not from
AWS's inheritance examples, which contradict themselves; then the operator algebra as
hypothesis properties.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultplan.org.effective import Level, Source, merge

Doc = dict[str, Any]
LOCK = "@@operators_allowed_for_child_policies"


def level(*docs: Doc, node: str = "n") -> Level:
    return [(Source(f"p{i}.json", node), doc) for i, doc in enumerate(docs)]


def plan(**elements: Any) -> Doc:
    return {"plans": {"Daily": elements}}


def regions(**operators: Any) -> Doc:
    return plan(regions=operators)


def vault(**operators: Any) -> Doc:
    return plan(rules={"R": {"target_backup_vault_name": operators}})


def got_regions(*levels: Level) -> Any:
    return merge(levels).content.get("plans", {}).get("daily", {}).get("regions")


def got_vault(*levels: Level) -> Any:
    content = merge(levels).content
    return (
        content.get("plans", {})
        .get("daily", {})
        .get("rules", {})
        .get("r", {})
        .get("target_backup_vault_name")
    )


A, APP, REM = "@@assign", "@@append", "@@remove"


def ops(**kw: Any) -> Doc:
    return {"@@" + k: v for k, v in kw.items()}


# --- named cases ---------------------------------------------------------------------------


def test_assign_then_append_then_remove_down_three_levels() -> None:
    root = level(regions(**ops(assign=["us-east-1"])))
    ou = level(regions(**ops(append=["eu-west-1"])))
    account = level(regions(**ops(remove=["us-east-1"])))
    assert got_regions(root, ou, account) == ["eu-west-1"]


def test_assign_replaces_a_whole_list() -> None:
    root = level(regions(**ops(assign=["us-east-1", "eu-west-1"])))
    assert got_regions(root, level(regions(**ops(assign=["ap-south-1"])))) == ["ap-south-1"]


def test_append_adds_no_value_twice() -> None:
    root = level(regions(**ops(assign=["us-east-1"])))
    ou = level(regions(**ops(append=["us-east-1", "eu-west-1"])))
    assert got_regions(root, ou) == ["us-east-1", "eu-west-1"]


def test_remove_of_nothing_inherited_leaves_nothing() -> None:
    assert got_regions(level(regions(**ops(remove=["us-east-1"])))) is None


def test_one_policys_operators_apply_assign_append_remove() -> None:
    doc = regions(**ops(remove=["b"], append=["c"], assign=["a", "b"]))
    assert got_regions(level(doc)) == ["a", "c"]


def test_none_at_the_root_keeps_the_vault() -> None:
    root = level(vault(**ops(assign="central"), **{LOCK: ["@@none"]}))
    assert got_vault(root, level(vault(**ops(assign="mine")))) == "central"


def test_a_child_cannot_undo_a_parents_limit() -> None:
    root = level(regions(**ops(assign=["us-east-1"]), **{LOCK: ["@@append"]}))
    ou = level(regions(**ops(assign=["eu-west-1"]), **{LOCK: ["@@all"]}))
    account = level(regions(**ops(append=["ap-south-1"])))
    account_assign = level(regions(**ops(assign=["sa-east-1"])))
    assert got_regions(root, ou, account) == ["us-east-1", "ap-south-1"]
    assert got_regions(root, ou, account_assign) == ["us-east-1"]


def test_limits_narrow_down_the_path() -> None:
    root = level(regions(**ops(assign=["a", "b"]), **{LOCK: ["@@append", "@@remove"]}))
    ou = level(regions(**{LOCK: ["@@remove"]}))
    account = level(regions(**ops(append=["c"], remove=["a"])))
    assert got_regions(root, ou, account) == ["b"]


def test_same_level_limits_intersect_for_the_level_below() -> None:
    root = level(regions(**ops(assign=["a"])))
    ou = level(
        regions(**{LOCK: ["@@assign", "@@append"]}),
        regions(**{LOCK: ["@@assign", "@@remove"]}),
    )
    assert got_regions(root, ou, level(regions(**ops(assign=["b"])))) == ["b"]
    assert got_regions(root, ou, level(regions(**ops(append=["b"])))) == ["a"]
    assert got_regions(root, ou, level(regions(**ops(remove=["a"])))) == ["a"]


def test_same_level_policies_do_not_limit_each_other() -> None:
    ou = level(
        regions(**ops(assign=["a"]), **{LOCK: ["@@none"]}),
        regions(**ops(append=["b"])),
    )
    assert got_regions(ou) == ["a", "b"]


def test_same_level_conflict_goes_by_attachment_order() -> None:
    first = vault(**ops(assign="first"))
    second = vault(**ops(assign="second"))
    assert got_vault(level(first, second)) == "second"
    assert got_vault(level(second, first)) == "first"


def test_none_on_plans_keeps_children_from_adding_a_plan() -> None:
    root = level({"plans": {LOCK: ["@@none"], "Daily": {"regions": ops(assign=["a"])}}})
    ou = level({"plans": {"Other": {"regions": ops(assign=["b"])}}})
    merged = merge([root, ou])
    assert merged.content == {"plans": {"daily": {"regions": ["a"]}}}
    assert merged.locked("plans.other") is not None


def test_keys_merge_case_insensitively_and_come_out_lowercased() -> None:
    root = level({"Plans": {"DAILY": {"Regions": ops(assign=["a"])}}})
    ou = level({"plans": {"daily": {"regions": ops(append=["b"])}}})
    assert merge([root, ou]).content == {"plans": {"daily": {"regions": ["a", "b"]}}}


def test_an_accounts_own_limit_marks_nothing_locked() -> None:
    account = level(regions(**ops(assign=["a"]), **{LOCK: ["@@none"]}))
    assert merge([level(), account]).locked("plans.daily.regions") is None
    root = level(regions(**ops(assign=["a"]), **{LOCK: ["@@none"]}), node="r-ab12")
    lock = merge([root, level()]).locked("plans.daily.regions")
    assert lock == Source("p0.json", "r-ab12")


def test_explain_credits_each_change_to_its_file() -> None:
    root = level(regions(**ops(assign=["a"]), **{LOCK: ["@@append"]}), node="r-ab12")
    account = level(regions(**ops(append=["b"], remove=["a"])), node="111111111111")
    found = merge([root, account]).explain("plans.Daily.regions")
    assert found is not None
    [(path, value, changes)] = found
    assert (path, value) == ("plans.daily.regions", ["a", "b"])
    assert [(str(c.source), c.operator, c.applied) for c in changes] == [
        ("p0.json (r-ab12)", "@@assign", True),
        ("p0.json (111111111111)", "@@append", True),
        ("p0.json (111111111111)", "@@remove", False),
    ]
    assert "allows only @@append" in changes[2].why


def test_a_plan_name_with_dots_is_found_by_explain() -> None:
    merged = merge([level({"plans": {"a.b": {"regions": ops(assign=["x"])}}})])
    found = merged.explain("plans.a.b.regions")
    assert found is not None and found[0][1] == ["x"]
    assert merged.explain("plans.nope") is None


# --- properties ------------------------------------------------------------------------------

names = st.text("abcdefgh", min_size=1, max_size=3)
scalars = st.one_of(names, st.integers(0, 99), st.booleans())
lists = st.lists(names, max_size=4, unique=True)
values = st.one_of(scalars, lists)
ALL_OPERATORS = ["@@assign", "@@append", "@@remove"]
limits = st.one_of(
    st.just(["@@all"]),
    st.just(["@@none"]),
    st.lists(st.sampled_from(ALL_OPERATORS), min_size=1, max_size=3, unique=True),
)


def allowed(limit: list[str]) -> set[str]:
    if limit == ["@@all"]:
        return set(ALL_OPERATORS)
    return set(limit) - {"@@none"}


@st.composite
def policies(draw: st.DrawFn, depth: int = 3) -> Doc:
    """A random policy tree over a few key names: values under operators, limits, keys."""
    doc: Doc = {}
    for key in draw(st.lists(names, max_size=3, unique=True)):
        if depth > 0 and draw(st.booleans()):
            doc[key] = draw(policies(depth=depth - 1))
        else:
            op = draw(st.sampled_from(ALL_OPERATORS))
            doc[key] = {op: draw(lists if op != "@@assign" else values)}
        if draw(st.integers(0, 4)) == 0:
            doc[key][LOCK] = draw(limits)
    return doc


@settings(deadline=None)  # a shared, loaded machine: no time limit per case
@given(values)
def test_assign_is_idempotent(value: Any) -> None:
    once = level(vault(**ops(assign=value)))
    assert got_vault(once) == value
    assert got_vault(once, once) == value
    assert got_vault(level(vault(**ops(assign=value)), vault(**ops(assign=value)))) == value


@settings(deadline=None)  # a shared, loaded machine: no time limit per case
@given(values, values, limits)
def test_a_childs_assign_wins_unless_locked(parent: Any, child: Any, limit: list[str]) -> None:
    root = level(vault(**ops(assign=parent), **{LOCK: limit}))
    expected = child if "@@assign" in allowed(limit) else parent
    assert got_vault(root, level(vault(**ops(assign=child)))) == expected
    assert got_vault(level(vault(**ops(assign=parent))), level(vault(**ops(assign=child)))) == (
        child
    )


@settings(deadline=None)  # a shared, loaded machine: no time limit per case
@given(lists, lists)
def test_append_then_remove_restores_the_inherited_list(
    inherited: list[str], more: list[str]
) -> None:
    more = [v for v in more if v not in inherited]
    root = level(regions(**ops(assign=inherited)))
    down = [root, level(regions(**ops(append=more))), level(regions(**ops(remove=more)))]
    assert got_regions(*down) == inherited
    assert got_regions(root, level(regions(**ops(append=more, remove=more)))) == inherited


@settings(deadline=None)  # a shared, loaded machine: no time limit per case
@given(policies(), st.lists(st.lists(policies(), max_size=3), min_size=1, max_size=3))
def test_none_freezes_a_subtree(frozen: Doc, below: list[list[Doc]]) -> None:
    root_doc = {"plans": {"Frozen": {**frozen, LOCK: ["@@none"]}}}
    alone = merge([level(root_doc)]).content
    levels = [level(root_doc)]
    for docs in below:
        levels.append(level(*({"plans": {"frozen": d, "FROZEN": d}} for d in docs)))
    merged = merge(levels).content
    assert merged.get("plans", {}).get("frozen") == alone.get("plans", {}).get("frozen")


@settings(deadline=None)  # a shared, loaded machine: no time limit per case
@given(limits, limits, st.sampled_from(ALL_OPERATORS), lists)
def test_same_level_limits_intersect(
    first: list[str], second: list[str], op: str, items: list[str]
) -> None:
    base = ["x", "y"]
    root = level(regions(**ops(assign=base)))
    ou = level(regions(**{LOCK: first}), regions(**{LOCK: second}))
    child = level(regions(**{op: items or ["x"]}))
    result = got_regions(root, ou, child)
    if op in allowed(first) & allowed(second):
        assert result == got_regions(root, child)
    else:
        assert result == base


@settings(deadline=None)  # a shared, loaded machine: no time limit per case
@given(st.lists(st.lists(policies(), max_size=3), min_size=1, max_size=4))
def test_the_result_has_no_operator_and_lowercase_keys(docs: list[list[Doc]]) -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                assert not key.startswith("@@")
                assert key == key.lower()
                walk(child)

    walk(merge([level(*d) for d in docs]).content)


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | names,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "B", *ALL_OPERATORS, LOCK]), inner, max_size=3)
    ),
    max_leaves=15,
)


@settings(deadline=None)  # a shared, loaded machine: no time limit per case
@given(st.lists(st.lists(st.dictionaries(names, json_like, max_size=3), max_size=3), max_size=4))
def test_any_json_merges_without_an_exception(docs: list[list[Doc]]) -> None:
    merged = merge([level(*d) for d in docs])
    assert isinstance(merged.content, dict)
    merged.explain("")
