"""Hypothesis strategies for hostile input: configs, templates, cdk.out folders, option values
and the JSON side files (``--policy``, ``--events``, ``--prices``).

Each strategy mixes values a user could mean (a real key, a plausible number) with values
no one means (a control character, a huge integer, the wrong type), so that most examples get
past the first check and reach the next one. Files come as ``bytes``: an encoding is part of
the input.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml
from hypothesis import strategies as st

# -- scalars ---------------------------------------------------------------------------------

#: Text that breaks lines, steers terminals or is just long.
nasty_text = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\n",
            "a\nb",
            "\x1b[31mred",
            "\t",
            "\r\n",
            "\u2028",
            "\u202etxt",
            "\x00",
            "{filename}",
            "%s",
            "[bold]x[/bold]",
            ":smile:",
            "../../etc/passwd",
            "*",
            "?",
            "é",
            "💾",
            "A" * 300,
            "1" * 40,
            "-1",
            "0",
            "1e309",
            "nan",
            "inf",
            "true",
            "null",
        ]
    ),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=400),
)

#: Integers past any bound (issue 11 defect 5).
huge_int = st.sampled_from([2**31, 2**63, -(2**63), 10**30, 10**400])
#: Integers around every boundary AWS documents, and far past them.
edgy_int = st.one_of(
    st.sampled_from([-1, 0, 1, 7, 35, 59, 60, 90, 91, 365, 480, 1440, 36500, 36501]),
    st.integers(min_value=-1000, max_value=40000),
    huge_int,
    st.sampled_from([52_560_000, 52_560_001]),  # the start window's bound
)
#: Numbers JSON can't hold but Python's json writes and reads (issue 11 defect 7).
non_finite = st.sampled_from([math.nan, math.inf, -math.inf])
finite_float = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)

json_scalar = st.one_of(st.none(), st.booleans(), edgy_int, finite_float, nasty_text)


def json_values(depth: int = 3) -> st.SearchStrategy[Any]:
    """Any JSON value, at most ``depth`` levels deep."""
    return st.recursive(
        json_scalar,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(nasty_text, inner, max_size=4)
        ),
        max_leaves=12,
    ).filter(lambda v: _depth(v) <= depth)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


# -- encodings -------------------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1")


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` in UTF-8 mostly, else another encoding, truncated or with stray bytes."""
    how = draw(st.sampled_from(["utf-8"] * 6 + ["other", "cut", "junk"]))
    if how == "other":
        return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    data = text.encode("utf-8", errors="surrogatepass")
    if how == "cut" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "junk":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data


# -- configs (vaultplan.toml) ----------------------------------------------------------------

RULE_KEYS = {
    "name": st.one_of(st.sampled_from(["Daily", "Monthly", "Weekly"]), nasty_text),
    "schedule": st.one_of(
        st.sampled_from(
            [
                "cron(0 8 * * ? *)",
                "cron(0 8 1 * ? *)",
                "rate(1 hour)",
                "cron(61 25 * * ? *)",
                "cron(0 8 * *)",
                "cron(0/5 * * * ? *)",
                "cron(0 8 L * ? *)",
            ]
        ),
        nasty_text,
    ),
    "delete_after_days": st.one_of(edgy_int, nasty_text, st.booleans()),
    "move_to_cold_storage_after_days": edgy_int,
    "start_window_minutes": edgy_int,
    "completion_window_minutes": edgy_int,
    "schedule_timezone": st.one_of(
        st.sampled_from(["UTC", "Europe/Paris", "Mars/Olympus"]), nasty_text
    ),
    "recovery_point_tags": st.dictionaries(nasty_text, nasty_text, max_size=3),
    "continuous_backup": st.one_of(st.booleans(), nasty_text),
    "delete_after_dayz": edgy_int,  # a typo: an unknown key
}

TOP_KEYS = {
    "site_name": st.one_of(st.sampled_from(["shop", "Site", "a" * 60]), nasty_text),
    "account": st.one_of(st.sampled_from(["111111111111", "1234", "x" * 12]), nasty_text),
    "region": st.one_of(st.sampled_from(["eu-west-1", "us-east-1", "mars-1"]), nasty_text),
    "preset": st.one_of(st.sampled_from(["gfs", "daily", "none"]), nasty_text),
    "environment": nasty_text,
}


@st.composite
def config_dict(draw: st.DrawFn) -> dict[str, Any]:
    """A config with real keys and hostile values (most are not valid)."""
    out: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(sorted(TOP_KEYS)), unique=True, max_size=4)):
        out[key] = draw(TOP_KEYS[key])
    rules = []
    for _ in range(draw(st.integers(0, 3))):
        keys = draw(st.lists(st.sampled_from(sorted(RULE_KEYS)), unique=True, max_size=5))
        rules.append({k: draw(RULE_KEYS[k]) for k in ["name", "schedule", *keys]})
    if rules:
        out["rules"] = rules
    if draw(st.booleans()):
        out["file_system"] = {
            "create": draw(st.one_of(st.booleans(), nasty_text)),
            "ids": draw(
                st.lists(st.one_of(st.just("fs-0123456789abcdef0"), nasty_text), max_size=3)
            ),
        }
    if draw(st.booleans()):
        out["selection"] = {"arns": draw(st.lists(nasty_text, max_size=3))}
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are TOML basic-string escapes
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(value)


def to_toml(config: dict[str, Any]) -> str:
    lines = [f"{k} = {_toml_value(v)}" for k, v in config.items() if not isinstance(v, list | dict)]
    for key, value in config.items():
        if isinstance(value, dict):
            lines.append(f"[{key}]")
            lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()]
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                lines.append(f"[[{key}]]")
                lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in item.items()]
        elif isinstance(value, list):
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


broken_toml = st.one_of(
    st.sampled_from(
        [
            "[rules\nname=1",
            "site_name = ",
            "site_name = 'a'\nsite_name = 'b'",
            "[[rules]]\n[rules]",
            "= 3",
            "a = [1, 'x'",
            "\x00",
            'site_name = "\\q"',
        ]
    ),
    st.text(max_size=80),
)


@st.composite
def config_file(draw: st.DrawFn) -> bytes:
    """The bytes of a ``vaultplan.toml``: well-formed with bad values, or broken."""
    text = draw(st.one_of(config_dict().map(to_toml), config_dict().map(to_toml), broken_toml))
    return draw(encoded(text))


# -- templates -------------------------------------------------------------------------------

RESOURCE_TYPES = [
    "AWS::Backup::BackupPlan",
    "AWS::Backup::BackupVault",
    "AWS::Backup::BackupSelection",
    "AWS::EFS::FileSystem",
    "AWS::S3::Bucket",
    "AWS::IAM::Role",
    "AWS::CloudFormation::Stack",
    "AWS::Serverless::Function",
    "Custom::Thing",
    "AWS::Nope::Nope",
    "",
]


@st.composite
def rule(draw: st.DrawFn) -> dict[str, Any]:
    lifecycle = {
        k: draw(edgy_int)
        for k in draw(
            st.lists(
                st.sampled_from(["DeleteAfterDays", "MoveToColdStorageAfterDays"]), unique=True
            )
        )
    }
    out: dict[str, Any] = {
        "RuleName": draw(st.one_of(st.just("Daily"), nasty_text)),
        "TargetBackupVault": draw(st.one_of(st.just({"Ref": "Vault"}), json_scalar)),
        "ScheduleExpression": draw(RULE_KEYS["schedule"]),
    }
    if lifecycle:
        out["Lifecycle"] = lifecycle
    if draw(st.booleans()):
        out["StartWindowMinutes"] = draw(st.integers(60, 720))
    return out


@st.composite
def resource(draw: st.DrawFn) -> dict[str, Any]:
    rtype = draw(st.sampled_from(RESOURCE_TYPES))
    if rtype == "AWS::Backup::BackupPlan" and draw(st.booleans()):
        props: Any = {
            "BackupPlan": {
                "BackupPlanName": draw(nasty_text),
                "BackupPlanRule": draw(st.lists(rule(), max_size=3)),
            }
        }
    elif rtype == "AWS::Backup::BackupSelection" and draw(st.booleans()):
        props = {
            "BackupPlanId": {"Ref": "Plan"},
            "BackupSelection": {
                "SelectionName": draw(nasty_text),
                "IamRoleArn": draw(json_scalar),
                "Resources": draw(
                    st.lists(
                        st.one_of(st.just({"Fn::GetAtt": ["Fs", "Arn"]}), nasty_text), max_size=3
                    )
                ),
            },
        }
    else:
        props = draw(
            st.one_of(st.dictionaries(nasty_text, json_values(2), max_size=3), json_scalar)
        )
    out: dict[str, Any] = {"Type": draw(st.one_of(st.just(rtype), json_scalar))}
    if draw(st.integers(0, 4)):
        out["Properties"] = props
    return out


@st.composite
def template_body(draw: st.DrawFn) -> Any:
    """A template: mostly a map with Resources, sometimes the wrong shape."""
    shape = draw(st.sampled_from(["template"] * 8 + ["wrong-type", "no-resources"]))
    if shape == "wrong-type":
        return draw(json_values(2))
    names = st.one_of(st.sampled_from(["Plan", "Vault", "Fs", "Selection", "Role"]), nasty_text)
    body: dict[str, Any] = {}
    if draw(st.booleans()):
        body["Parameters"] = draw(
            st.dictionaries(
                names,
                st.one_of(
                    st.fixed_dictionaries({"Type": st.just("String"), "Default": nasty_text}),
                    json_scalar,
                ),
                max_size=2,
            )
        )
    if shape == "template":
        body["Resources"] = draw(
            st.one_of(st.dictionaries(names, resource(), min_size=1, max_size=5), json_scalar)
        )
    return body


def _yaml(body: Any) -> str:
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=False)


@st.composite
def template_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """``(suffix, bytes)`` of a template file: JSON or YAML, in some encoding."""
    body = draw(template_body())
    suffix = draw(st.sampled_from([".json", ".yaml", ".template", ".yml"]))
    text = json.dumps(body) if suffix in (".json", ".template") else _yaml(body)
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # truncated
    return suffix, draw(encoded(text))


def deep_nesting(depth: int) -> str:
    """The JSON text of a template whose one property is ``depth`` nested ``Fn::Select``
    (issue 11 defect 4), written out directly: past a few hundred levels ``json.dumps``
    itself would raise RecursionError."""
    return (
        '{"Resources": {"V": {"Type": "AWS::Backup::BackupVault", "Properties": '
        '{"BackupVaultName": ' + '{"Fn::Select": [0, [' * depth + '"x"' + "]]}" * depth + "}}}}"
    )


def deep_list(depth: int) -> str:
    """The JSON text of ``depth`` nested lists around ``"x"``."""
    return "[" * depth + '"x"' + "]" * depth


# -- cdk.out manifests -----------------------------------------------------------------------


@st.composite
def benign_manifest(draw: st.DrawFn) -> Any:
    """A manifest of the usual shape whose templates are inside the assembly."""
    artifacts = {}
    for i in range(draw(st.integers(0, 3))):
        artifacts[f"Stack{i}"] = {
            "type": draw(st.sampled_from(["aws:cloudformation:stack", "cdk:tree", "other"])),
            "properties": {"templateFile": f"Stack{i}.template.json"},
        }
    return {"version": "36.0.0", "artifacts": artifacts}


@st.composite
def hostile_manifest(draw: st.DrawFn) -> Any:
    """Manifests that name files outside the assembly, or are the wrong shape (defects 1, 2)."""
    template_file_ = draw(
        st.one_of(
            st.sampled_from(
                ["../../outside/x.json", "../outside/x.json", "/etc/hostname", ".", ""]
            ),
            json_scalar,
        )
    )
    artifact = {
        "type": draw(st.sampled_from(["aws:cloudformation:stack", "cdk:cloud-assembly"])),
        "properties": {
            "templateFile": template_file_,
            "directoryName": draw(st.sampled_from([".", "..", "../outside"])),
        },
    }
    return draw(
        st.one_of(
            st.just({"artifacts": {"S": artifact}}),
            json_values(2),
            st.just({"artifacts": [artifact]}),
            st.just([]),
        )
    )


# -- side files ------------------------------------------------------------------------------

ACTIONS = ["backup:CreateBackupVault", "backup:*", "*", "s3:GetObject", "iam:PassRole", "nope"]


@st.composite
def policy_doc(draw: st.DrawFn) -> Any:
    statement = {
        "Effect": draw(st.one_of(st.sampled_from(["Allow", "Deny"]), json_scalar)),
        draw(st.sampled_from(["Action", "NotAction"])): draw(
            st.one_of(
                st.sampled_from(ACTIONS),
                st.lists(st.sampled_from(ACTIONS), max_size=3),
                json_scalar,
            )
        ),
        draw(st.sampled_from(["Resource", "NotResource"])): draw(
            st.one_of(st.just("*"), nasty_text)
        ),
    }
    if draw(st.booleans()):
        statement["Condition"] = draw(json_values(2))
    return draw(
        st.one_of(
            st.just({"Version": "2012-10-17", "Statement": [statement]}),
            st.just({"Version": "2012-10-17", "Statement": statement}),
            st.just({"PolicyVersion": {"Document": {"Statement": [statement]}}}),
            json_values(2),
        )
    )


@st.composite
def events_doc(draw: st.DrawFn) -> Any:
    event = {
        "ResourceStatus": draw(
            st.one_of(
                st.sampled_from(["CREATE_FAILED", "UPDATE_FAILED", "CREATE_COMPLETE"]), json_scalar
            )
        ),
        "ResourceType": draw(st.one_of(st.sampled_from(RESOURCE_TYPES), json_scalar)),
        "ResourceStatusReason": draw(
            st.one_of(
                st.just("User: x is not authorized to perform: backup:CreateBackupVault"),
                nasty_text,
            )
        ),
        "LogicalResourceId": draw(nasty_text),
        "StackName": "s",
    }
    return draw(st.one_of(st.just({"StackEvents": [event]}), st.just([event]), json_values(2)))


@st.composite
def prices_doc(draw: st.DrawFn) -> Any:
    entry = {
        "warm": draw(st.one_of(finite_float, json_scalar, non_finite)),
        "cold": draw(st.one_of(finite_float, json_scalar, non_finite)),
    }
    region = draw(st.one_of(st.just("us-east-1"), nasty_text))
    return draw(
        st.one_of(
            st.just({"regions": {region: {"efs": entry}}}),
            st.just({"regions": {region: entry}}),
            json_values(2),
        )
    )


def json_file(doc: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """The bytes of a JSON side file holding ``doc`` (sometimes truncated or re-encoded)."""
    return doc.map(json.dumps).flatmap(encoded)


# -- AWS Organizations backup policies and ORG.toml ------------------------------------------

ORG_OPERATORS = ["@@assign", "@@append", "@@remove", "@@bogus", "@@ASSIGN"]
#: Scalars TOML can write (it has no null).
toml_scalar = json_scalar.filter(lambda v: v is not None)
#: Values a policy element could mean, and values no one means.
org_leaf = st.one_of(
    st.sampled_from(
        [
            "cron(0 5 ? * * *)",
            "cron(0 * * * ? *)",
            "rate(1 hour)",
            "eu-west-1",
            "us-east-1",
            "$account",
            "$region",
            "arn:aws:iam::$account:role/BackupRole",
            "arn:aws:backup:eu-central-1:$account:backup-vault:example",
            "60",
            "@@all",
            "@@none",
        ]
    ),
    json_scalar,
    non_finite,
    st.lists(st.one_of(st.sampled_from(["eu-west-1", "true", "*"]), json_scalar), max_size=3),
)


@st.composite
def _wrapped(draw: st.DrawFn, value: st.SearchStrategy[Any] = org_leaf) -> Any:
    """A setting as a policy writes it: ``{"@@assign": value}`` mostly, else bare or odd."""
    how = draw(st.sampled_from(["assign"] * 5 + ["other", "bare", "two", "child"]))
    if how == "assign":
        return {"@@assign": draw(value)}
    if how == "other":
        return {draw(st.sampled_from(ORG_OPERATORS)): draw(value)}
    if how == "two":
        return {"@@assign": draw(value), "@@append": draw(value)}
    if how == "child":
        allowed = draw(st.one_of(st.lists(st.sampled_from([*ORG_OPERATORS, "@@all"])), org_leaf))
        return {"@@operators_allowed_for_child_policies": allowed, "@@assign": draw(value)}
    return draw(value)


@st.composite
def org_rule(draw: st.DrawFn) -> dict[str, Any]:
    keys = {
        "schedule_expression": _wrapped(),
        "target_backup_vault_name": _wrapped(),
        "start_backup_window_minutes": _wrapped(st.one_of(edgy_int, org_leaf)),
        "complete_backup_window_minutes": _wrapped(st.one_of(edgy_int, org_leaf)),
        "lifecycle": st.fixed_dictionaries(
            {},
            optional={
                "delete_after_days": _wrapped(st.one_of(edgy_int, org_leaf)),
                "move_to_cold_storage_after_days": _wrapped(edgy_int),
            },
        ),
        "copy_actions": st.dictionaries(
            st.one_of(st.just("arn:aws:backup:eu-central-1:$account:backup-vault:x"), nasty_text),
            st.fixed_dictionaries(
                {"target_backup_vault_arn": _wrapped()},
                optional={"lifecycle": st.just({"delete_after_days": {"@@assign": 35}})},
            ),
            max_size=2,
        ),
        "recovery_point_tags": json_values(2),
        "enable_continuous_backup": _wrapped(),
        "schedule_expresion": _wrapped(),  # a typo: an unknown key
    }
    chosen = draw(st.lists(st.sampled_from(sorted(keys)), unique=True, max_size=6))
    return {k: draw(keys[k]) for k in ["schedule_expression", "target_backup_vault_name", *chosen]}


@st.composite
def org_plan(draw: st.DrawFn) -> Any:
    plan: dict[str, Any] = {}
    if draw(st.integers(0, 4)) != 4:
        plan["regions"] = draw(_wrapped())
    if draw(st.integers(0, 4)) != 4:
        names = st.one_of(st.sampled_from(["Daily", "Monthly"]), nasty_text)
        plan["rules"] = draw(st.one_of(st.dictionaries(names, org_rule(), max_size=2), org_leaf))
    if draw(st.integers(0, 4)) != 4:
        selection = st.fixed_dictionaries(
            {"iam_role_arn": _wrapped()},
            optional={
                "tag_key": _wrapped(),
                "tag_value": _wrapped(),
                "resource_types": _wrapped(),
                "conditions": json_values(2),
            },
        )
        plan["selections"] = {
            kind: draw(st.dictionaries(nasty_text, selection, max_size=2))
            for kind in draw(st.lists(st.sampled_from(["tags", "resources", "nope"]), unique=True))
        }
    if draw(st.integers(0, 5)) == 5:
        plan[draw(nasty_text)] = draw(json_values(2))
    if draw(st.integers(0, 5)) == 5:
        return draw(org_leaf)
    return plan


@st.composite
def org_policy_doc(draw: st.DrawFn) -> Any:
    """A backup policy: mostly ``{"plans": {...}}`` with hostile settings, else any JSON."""
    shape = draw(st.sampled_from(["policy"] * 6 + ["wrong-root", "plans-wrong", "extra"]))
    if shape == "wrong-root":
        return draw(json_values(2))
    if shape == "plans-wrong":
        return {"plans": draw(json_values(2))}
    names = st.one_of(st.sampled_from(["Daily", "daily", "DAILY"]), nasty_text)
    doc: dict[str, Any] = {"plans": draw(st.dictionaries(names, org_plan(), max_size=2))}
    if shape == "extra":
        doc[draw(nasty_text)] = draw(json_values(2))
    return doc


#: Policy texts no encoder writes: too deep, too big a number, not JSON but YAML, keys twice.
odd_policy_text = st.one_of(
    st.integers(100, 3000).map(deep_list),
    st.integers(100, 3000).map(lambda d: '{"plans": ' + deep_list(d) + "}"),
    st.sampled_from(
        [
            '{"plans": ' + "9" * 5000 + "}",
            '{"plans": {"d": {"regions": {"@@assign": 1e999}}}}',
            '{"plans": {"d": {"regions": {"@@assign": -Infinity}}}}',
            '{"plans": {"d": {"regions": {"@@assign": NaN}}}}',
            '{"plans": {}, "plans": {"d": {}}}',
            '{"plans": {"d": {"regions": {"@@assign": ["us-east-1"]}, "regions": {}}}}',
            "plans:\n  ? [a, b]\n  : 1\n",
            "{? [a]: 1}",
            "plans:\n  1: {regions: x}\n",
            "",
            "\ufeff{}",
            "[]",
            "null",
            '"plans"',
            "{" * 100_000,
        ]
    ),
)


@st.composite
def org_policy_file(draw: st.DrawFn) -> bytes:
    """The bytes of a backup policy file (JSON, sometimes truncated, re-encoded or odd)."""
    if draw(st.integers(0, 6)) == 6:
        return draw(encoded(draw(odd_policy_text)))
    return draw(json_file(org_policy_doc()))


#: Node ids of every kind, and ids of none.
ORG_IDS = ["r-ab12", "ou-ab12-11111111", "ou-ab12-22222222", "111111111111", "222222222222"]
#: What ORG.toml may name as a policy file. ``@OUTSIDE@`` stands for the room's outside
#: folder (an absolute path); ``link.json`` is a symlink to a file out there, ``loop.json`` a
#: symlink to itself, ``dir`` a folder.
ORG_POLICY_NAMES = [
    "p0.json",
    "p1.json",
    "sub/p2.json",
    "./p0.json",
    "sub/../p1.json",
    "../outside/x.json",
    "../outside/policy.json",
    "@OUTSIDE@/policy.json",
    "link.json",
    "sub/link.json",
    "loop.json",
    "dir",
    "missing.json",
    "",
    "~/x.json",
]
ORG_CONFIGS = [
    "vaultplan.toml",
    "../outside/vaultplan.toml",
    "@OUTSIDE@/vaultplan.toml",
    "config-link.toml",
    "missing.toml",
    "dir",
    "",
]


@st.composite
def org_node(draw: st.DrawFn) -> dict[str, Any]:
    ids = st.one_of(st.sampled_from(ORG_IDS), nasty_text)
    out: dict[str, Any] = {"id": draw(st.one_of(ids, ids, toml_scalar))}
    if draw(st.integers(0, 4)) != 4:
        out["parent"] = draw(st.one_of(ids, ids, toml_scalar))
    if draw(st.integers(0, 3)) != 3:
        names = st.one_of(st.sampled_from(ORG_POLICY_NAMES), nasty_text)
        out["policies"] = draw(st.one_of(st.lists(names, max_size=3), names, edgy_int))
    if draw(st.integers(0, 5)) == 5:
        out[draw(st.sampled_from(["name", "policy", "Parent"]))] = draw(toml_scalar)
    return out


@st.composite
def org_toml_dict(draw: st.DrawFn) -> dict[str, Any]:
    """An ORG.toml: a root, OUs and accounts whose ids, parents and policies vary."""
    shape = draw(st.sampled_from(["tree"] * 8 + ["many", "node-wrong"]))
    out: dict[str, Any] = {}
    if draw(st.booleans()):
        out["config"] = draw(st.one_of(st.sampled_from(ORG_CONFIGS), toml_scalar))
    if shape == "node-wrong":
        out["node"] = draw(st.one_of(toml_scalar, st.dictionaries(nasty_text, toml_scalar)))
        return out
    if shape == "many":
        # Thousands of accounts under one root, or a chain of OUs past the depth limit.
        count = draw(st.sampled_from([10, 2000]))
        nodes = [{"id": "r-ab12", "policies": ["p0.json"]}]
        if draw(st.booleans()):
            nodes += [{"id": f"{i:012d}", "parent": "r-ab12"} for i in range(1, count)]
        else:
            parent = "r-ab12"
            for i in range(count):
                nodes.append({"id": f"ou-ab12-{i:08d}", "parent": parent})
                parent = nodes[-1]["id"]
        out["node"] = nodes
        return out
    # A tree AWS Organizations would build (root, OU, two accounts), each node with policy
    # files drawn from ORG_POLICY_NAMES, so that most examples reach the policies; now and
    # then one node made hostile, and a few random nodes besides.
    names = st.one_of(
        st.sampled_from(["p0.json", "p1.json", "sub/p2.json"]),
        st.sampled_from(ORG_POLICY_NAMES),
    )
    skeleton = [
        {"id": "r-ab12"},
        {"id": "ou-ab12-11111111", "parent": "r-ab12"},
        {"id": "111111111111", "parent": "ou-ab12-11111111"},
        {"id": "222222222222", "parent": "r-ab12"},
    ]
    nodes = []
    for item in skeleton[: draw(st.sampled_from([4, 3, 2, 1]))]:
        chosen = draw(st.lists(names, unique=True, max_size=3))
        nodes.append({**item, "policies": chosen} if chosen else item)
    if draw(st.integers(0, 4)) == 4:
        nodes[draw(st.integers(0, len(nodes) - 1))] = draw(org_node())
    nodes += draw(st.lists(org_node(), max_size=2 if draw(st.integers(0, 3)) == 3 else 0))
    if draw(st.integers(0, 9)) == 9:  # a cycle between two OUs
        nodes += [
            {"id": "ou-ab12-33333333", "parent": "ou-ab12-44444444"},
            {"id": "ou-ab12-44444444", "parent": "ou-ab12-33333333"},
        ]
    if nodes:
        out["node"] = nodes
    return out


#: ORG.toml texts no encoder writes.
odd_org_text = st.sampled_from(
    [
        "node = " + "[" * 3000 + "]" * 3000,
        "node = [" + "{a = " * 2000 + "1" + "}" * 2000 + "]",
        "[[node]]\nid = 'r-ab12'\n[node]\nid = 'x'",
        "[[node]]\nid = 'r-ab12'\nid = 'r-cd34'",
        "config = 'vaultplan.toml'\nconfig = 'x'",
        "[[node]]\nid = 1979-05-27T07:32:00Z",
        "[[node]]\nid = 'r-ab12'\npolicies = ['p0.json', 'p0.json']",
        "[[node]]\nid = 'r-ab12'\npolicies = " + str(["p0.json"] * 11).replace("'", '"'),
        "\x00",
        "",
    ]
)


@st.composite
def org_toml_file(draw: st.DrawFn) -> bytes:
    """The bytes of an ORG.toml (``@OUTSIDE@`` still to be replaced by the test)."""
    if draw(st.integers(0, 9)) == 9:
        text = draw(st.one_of(odd_org_text, broken_toml))
    else:
        text = to_toml(draw(org_toml_dict()))
    return draw(encoded(text))


# -- configs with an [org] section -----------------------------------------------------------

ORG_SECTION_KEYS = {
    "regions": st.one_of(
        st.lists(st.sampled_from(["us-east-1", "eu-west-1", "cn-north-1", "mars-1"]), max_size=3),
        nasty_text,
        edgy_int,
    ),
    "target_ids": st.one_of(
        st.lists(st.one_of(st.sampled_from(ORG_IDS), nasty_text), max_size=3), nasty_text
    ),
    "policy_name": st.one_of(st.just("shop-backup"), nasty_text, edgy_int),
    "description": st.one_of(nasty_text, st.just("x" * 600)),
    "plan_tags": st.one_of(
        st.dictionaries(st.one_of(st.just("aws:x"), nasty_text), nasty_text, max_size=3),
        nasty_text,
    ),
    "regoins": st.just(["us-east-1"]),  # a typo: an unknown key
}


@st.composite
def org_config_dict(draw: st.DrawFn) -> dict[str, Any]:
    """A config with an ``[org]`` section: a policy-expressible selection mostly, hostile
    values in ``[org]`` and elsewhere."""
    out = draw(config_dict()) if draw(st.integers(0, 3)) == 3 else {}
    if draw(st.integers(0, 3)) != 3:
        out["file_system"] = {"create": False}
        out["selection"] = draw(
            st.sampled_from(
                [
                    {"conditions": {"string_equals": {"backup": "true"}}},
                    {"resource_types": ["EFS"]},
                    {"arns": ["arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-1"]},
                    {"conditions": {"string_equals": {"backup": "\n"}}},
                ]
            )
        )
    if draw(st.integers(0, 5)) != 5:
        org = {"regions": ["us-east-1"]}
        keys = st.lists(st.sampled_from(sorted(ORG_SECTION_KEYS)), unique=True, max_size=3)
        for key in draw(keys):
            org[key] = draw(ORG_SECTION_KEYS[key])
        out["org"] = org
    elif draw(st.booleans()):
        out["org"] = draw(toml_scalar)
    return out


@st.composite
def org_config_file(draw: st.DrawFn) -> bytes:
    return draw(encoded(to_toml(draw(org_config_dict()))))


# -- identity policies (preflight --policy, --boundary, --scp) -------------------------------

#: Identity policy texts: well-formed with hostile values, YAML-shaped, too deep, odd numbers.
identity_policy_text = st.one_of(
    policy_doc().map(lambda d: json.dumps(d)),
    policy_doc().map(_yaml),
    st.sampled_from(
        [
            "Statement:\n  - ? [Effect]\n    : Allow\n",
            "{? [a]: 1}",
            '{"Statement": ' + "9" * 5000 + "}",
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", '
            '"Resource": "*", "Condition": {"NumericLessThan": {"aws:x": NaN}}}]}',
            "[]",
            "null",
            "",
        ]
    ),
    st.integers(100, 3000).map(deep_list),
)
