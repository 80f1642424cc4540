"""``vaultplan org effective``: ORG.toml read as AWS Organizations builds a tree, each bad
input one line naming the field and the value (exit 2), and the outcome on the example."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli_support import PLAIN, invoke, one_error

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "org"
POLICY = json.dumps(
    {"plans": {"p": {"regions": {"@@assign": ["us-east-1"]}}}},
)

R, OU, OU2, ACCT = "r-ab12", "ou-ab12-11111111", "ou-ab12-22222222", "111111111111"


def node(node_id: str, parent: str | None = None, policies: str = "[]", extra: str = "") -> str:
    text = f'[[node]]\nid = "{node_id}"\npolicies = {policies}\n'
    if parent is not None:
        text += f'parent = "{parent}"\n'
    return text + extra


def write(tmp_path: Path, *nodes: str, head: str = "") -> Path:
    (tmp_path / "p.json").write_text(POLICY)
    org = tmp_path / "ORG.toml"
    org.write_text(head + "\n".join(nodes))
    return org


def ous(depth: int) -> list[str]:
    chain, parent = [], R
    for i in range(depth):
        ou = f"ou-ab12-{i:08d}"
        chain.append(node(ou, parent))
        parent = ou
    return [node(R), *chain, node(ACCT, parent)]


BAD: list[tuple[str, list[str], str, str]] = [
    ("unknown-parent", [node(R), node(ACCT, OU)], "node[1].parent", f"got '{OU}'; no node"),
    (
        "account-as-parent",
        [node(R), node(ACCT, R), node("222222222222", ACCT)],
        "node[2].parent",
        "an account; only the root and OUs",
    ),
    ("two-roots", [node(R), node("r-cd34")], "node[1].id", "a second root"),
    ("no-root", [node(OU, R)], "node", "no root"),
    ("bad-id", [node(R), node("12345", R)], "node[1].id", "got '12345'"),
    ("root-with-parent", [node(R, OU), node(OU, R)], "node[0].parent", "the root has no parent"),
    ("no-parent", [node(R), node(ACCT)], "node[1].parent", "required, not given"),
    ("same-id", [node(R), node(ACCT, R), node(ACCT, R)], "node[2].id", "node[1] has the same id"),
    (
        "cycle",
        [node(R), node(OU, OU2), node(OU2, OU)],
        "node[1].parent",
        f"a cycle: {OU} -> {OU2} -> {OU}",
    ),
    ("six-levels", ous(6), "node[6].parent", "6 levels deep"),
    (
        "eleven-policies",
        [node(R, policies=json.dumps([f"p{i}.json" for i in range(11)]))],
        "node[0].policies",
        "got 11 policies",
    ),
    (
        "twice-attached",
        [node(R, policies='["p.json", "p.json"]')],
        "node[0].policies[1]",
        "attached twice",
    ),
    ("missing-file", [node(R, policies='["none.json"]')], "node[0].policies[0]", "no such file"),
    (
        "typo",
        [node(R, extra='polices = ["p.json"]\n')],
        "node[0].polices",
        "did you mean 'policies'?",
    ),
    ("policies-not-array", [node(R, policies='"p.json"')], "node[0].policies", "an array"),
]


@pytest.mark.parametrize(
    ("nodes", "field", "expected"),
    [pytest.param(n, f, e, id=name) for name, n, f, e in BAD],
)
def test_a_bad_tree_is_one_line(
    tmp_path: Path, nodes: list[str], field: str, expected: str
) -> None:
    org = write(tmp_path, *nodes)
    line = one_error(invoke("org", "effective", str(org)))
    assert line.startswith(f"error: {field}: "), line
    assert expected in line


def test_five_levels_of_ous_are_allowed(tmp_path: Path) -> None:
    assert invoke("org", "effective", str(write(tmp_path, *ous(5))), env=PLAIN).code == 0


def test_a_policy_file_that_is_not_json_names_its_node(tmp_path: Path) -> None:
    org = write(tmp_path, node(R, policies='["p.json", "bad.json"]'))
    (tmp_path / "bad.json").write_text("{,")
    line = one_error(invoke("org", "effective", str(org)))
    assert line.startswith("error: node[0].policies[1]: got ")
    assert "not JSON" in line


def test_org_toml_that_is_not_toml(tmp_path: Path) -> None:
    org = tmp_path / "ORG.toml"
    org.write_text("[[node]\n")
    line = one_error(invoke("org", "effective", str(org)))
    assert line.startswith(f"error: ORG: got '{org}'; not TOML")


def test_an_unknown_account_is_refused(tmp_path: Path) -> None:
    org = write(tmp_path, node(R), node(ACCT, R))
    line = one_error(invoke("org", "effective", str(org), "--account", "999999999999"))
    assert line.startswith("error: --account: got '999999999999'; not an account of")


def test_only_the_files_org_toml_names_are_read(tmp_path: Path) -> None:
    org = write(tmp_path, node(R, policies='["p.json"]'), node(ACCT, R))
    (tmp_path / "other.json").write_text("not json at all")
    result = invoke("org", "effective", str(org), "--format", "json")
    assert result.code == 1  # the plan lacks rules and selections: VP406 on the merged plan
    assert json.loads(result.stdout) == {ACCT: {"plans": {"p": {"regions": ["us-east-1"]}}}}
    assert "other.json" not in result.stderr
    assert f"{ACCT} (effective): VP406 error: plans.p: no rules" in result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "../outside/policy.json",
            "resolves outside ORG.toml's folder (symlinks followed)",
            id="dotdot",
        ),
        pytest.param("link.json", "resolves outside ORG.toml's folder", id="symlink-out"),
        pytest.param(
            "ABSOLUTE", "an absolute path; ORG.toml names files inside its folder", id="abs"
        ),
        pytest.param("loop.json", "cannot follow it (Symlink loop", id="symlink-loop"),
    ],
)
def test_fuzz_policy_files_outside_org_toml_folder_are_not_read(
    tmp_path: Path, name: str, expected: str
) -> None:
    # Found by the fuzz suite: a policy path of '../', an absolute one or a symlink out was
    # read, and its content printed (a plan named in it showed in the table).
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "policy.json").write_text('{"plans": {"SECRET": {}}}')
    org_dir = tmp_path / "org"
    org_dir.mkdir()
    (org_dir / "link.json").symlink_to(outside / "policy.json")
    (org_dir / "loop.json").symlink_to("loop.json")
    name = str(outside / "policy.json") if name == "ABSOLUTE" else name
    org = write(org_dir, node(R, policies=json.dumps([name])), node(ACCT, R))
    result = invoke("org", "effective", str(org), env=PLAIN)
    line = one_error(result)
    assert line.startswith("error: node[0].policies[0]: ")
    assert expected in line
    assert "SECRET" not in result.stderr


def test_fuzz_a_config_outside_org_toml_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "vaultplan.toml").write_text('site_name = "SECRET"\n')
    org_dir = tmp_path / "org"
    org_dir.mkdir()
    org = write(org_dir, node(R), node(ACCT, R), head='config = "../vaultplan.toml"\n')
    line = one_error(invoke("org", "effective", str(org)))
    assert line.startswith("error: config: resolves outside ORG.toml's folder")


def test_fuzz_org_toml_nested_too_deep_to_decode(tmp_path: Path) -> None:
    # Found by the fuzz suite: 3,000 nested arrays made tomllib raise RecursionError.
    org = tmp_path / "ORG.toml"
    org.write_text("node = " + "[" * 3000 + "]" * 3000 + "\n")
    line = one_error(invoke("org", "effective", str(org)))
    assert (
        line == f"error: ORG: nested too deep to decode; vaultplan reads at most 100; got '{org}'"
    )


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_fuzz_an_organization_without_accounts_or_policies_is_no_error(
    tmp_path: Path, output_format: str
) -> None:
    # Found by the fuzz suite: a root alone exited 2 (the check report's "nothing analysed")
    # after printing the table, with no stderr line.
    org = write(tmp_path, node(R))
    result = invoke("org", "effective", str(org), "--format", output_format, env=PLAIN)
    assert result.code == 0, result.stderr
    if output_format == "json":
        assert json.loads(result.stdout) == {}
        assert result.stderr == ""


@pytest.mark.parametrize(
    "plan",
    [
        pytest.param({"regions": {"@@assign": 3.5}}, id="regions-a-number"),
        pytest.param({"regions": {"@@assign": None}}, id="regions-null"),
        pytest.param({"rules": {"@@assign": 3}}, id="rules-a-number"),
        pytest.param({"selections": 5}, id="selections-a-number"),
        pytest.param({"selections": {"tags": 3}}, id="tags-a-number"),
        pytest.param(
            {"selections": {"tags": {"t": {"tag_value": {"@@assign": 1}}}}}, id="tag-value-1"
        ),
        pytest.param(
            {"selections": {"resources": {"r": {"resource_types": {"@@assign": None}}}}},
            id="resource-types-null",
        ),
    ],
)
def test_fuzz_settings_of_the_wrong_kind_are_findings_in_the_table(
    tmp_path: Path, plan: dict[str, object]
) -> None:
    # Found by the fuzz suite: the text table iterated these values ("'float' object is not
    # iterable"), an internal error; the findings already said what was wrong.
    org = write(tmp_path, node(R, policies='["bad.json"]'), node(ACCT, R))
    (tmp_path / "bad.json").write_text(json.dumps({"plans": {"d": plan}}))
    result = invoke("org", "effective", str(org), env=PLAIN)
    assert result.code == 1, result.stderr
    assert ACCT in result.stdout  # the table's row
    assert " VP405 [error] plans.d." in result.stdout or " VP406 [error] plans.d" in result.stdout


def test_the_example_three_levels(tmp_path: Path) -> None:
    result = invoke("org", "effective", str(EXAMPLE / "ORG.toml"), "--format", "json")
    assert result.code == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out) == ["111111111111", "222222222222"]
    shop = out["111111111111"]["plans"]["daily"]
    # root assigns us-east-1, the OU appends eu-west-1 and allows only @@append below, so the
    # account's @@remove is ignored and its @@append kept; the root's @@none keeps the vault.
    assert shop["regions"] == ["us-east-1", "eu-west-1", "eu-central-1"]
    assert shop["rules"]["dailywarm"]["target_backup_vault_name"] == "example"
    assert shop["rules"]["dailywarm"]["lifecycle"] == {
        "delete_after_days": "365",
        "move_to_cold_storage_after_days": "30",
    }
    assert out["222222222222"]["plans"]["daily"]["regions"] == ["us-east-1"]


def test_the_example_text_marks_locks_and_explains(tmp_path: Path) -> None:
    org = str(EXAMPLE / "ORG.toml")
    result = invoke("org", "effective", org, "--account", "111111111111", env=PLAIN)
    assert result.code == 0
    assert "example [locked]" in result.stdout
    explain = invoke(
        "org",
        "effective",
        org,
        "--account",
        "111111111111",
        "--explain",
        "plans.daily.regions",
        env=PLAIN,
    ).stdout
    assert 'policies/prod.json (ou-ab12-11111111): @@append ["eu-west-1"] -> applied' in explain
    assert (
        'policies/shop.json (111111111111): @@remove ["us-east-1"] -> ignored: not allowed by '
        "policies/prod.json (ou-ab12-11111111), which allows only @@append below"
    ) in explain


def test_a_vault_the_member_stack_does_not_create_is_a_finding(tmp_path: Path) -> None:
    copy = tmp_path / "org"
    shutil.copytree(EXAMPLE, copy)
    base = copy / "policies" / "base.json"
    base.write_text(base.read_text().replace('"@@assign": "example"', '"@@assign": "central"'))
    result = invoke("org", "effective", str(copy / "ORG.toml"), "--format", "json")
    assert result.code == 1
    assert (
        "111111111111 (effective): VP416 error: plans.daily.rules.dailywarm."
        "target_backup_vault_name: got 'central'; the member-account stack creates the vault "
        "'example'"
    ) in result.stderr
    # Without config = ..., the comparison is skipped.
    org = copy / "ORG.toml"
    org.write_text(org.read_text().replace('config = "vaultplan.toml"', ""))
    assert invoke("org", "effective", str(org), "--format", "json").code == 0


def test_the_example_output_is_committed_up_to_date() -> None:
    # Regenerate: vaultplan org effective examples/org/ORG.toml --format json
    #   > examples/org/effective.json
    result = invoke("org", "effective", str(EXAMPLE / "ORG.toml"), "--format", "json")
    assert result.stdout == (EXAMPLE / "effective.json").read_text()


def test_explain_goes_with_the_text_form_only() -> None:
    line = one_error(
        invoke(
            "org", "effective", str(EXAMPLE / "ORG.toml"), "--format", "json", "--explain", "plans"
        )
    )
    assert line.startswith("error: --explain: got 'plans' with --format json")
