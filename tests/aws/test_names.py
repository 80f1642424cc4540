"""AWS's name rules (:mod:`vaultplan.aws.names`): named valid and invalid cases, exact messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vaultplan.aws import names

NAMES: dict[str, tuple[Callable[..., list[str]], object, list[str]]] = {
    "vault: site name": (names.vault_name, "example", []),
    "vault: 2 characters is the minimum": (names.vault_name, "ab", []),
    "vault: 50 characters is the maximum": (names.vault_name, "a" * 50, []),
    "vault: dashes and underscores": (names.vault_name, "my-vault_1", []),
    "vault: 1 character": (
        names.vault_name,
        "a",
        ["vault name: got 'a'; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "vault: 51 characters": (
        names.vault_name,
        "a" * 51,
        [f"vault name: got {'a' * 51!r}; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "vault: dots are not allowed (unlike rules)": (
        names.vault_name,
        "my.vault",
        ["vault name: got 'my.vault'; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "vault: spaces": (
        names.vault_name,
        "my vault",
        ["vault name: got 'my vault'; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "vault: trailing newline is not let through by $": (
        names.vault_name,
        "vault\n",
        ["vault name: got 'vault\\n'; use 2 to 50 letters, digits, '-' or '_'"],
    ),
    "rule: seed rule": (names.rule_name, "exampleDailyWarmBackup", []),
    "rule: one character with a dot": (names.rule_name, ".", []),
    "rule: empty": (
        names.rule_name,
        "",
        ["rule name: got ''; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
    "rule: slash": (
        names.rule_name,
        "a/b",
        ["rule name: got 'a/b'; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
    "selection: seed selection": (names.selection_name, "exampleEFS", []),
    "selection: 51 characters": (
        names.selection_name,
        "s" * 51,
        [f"selection name: got {'s' * 51!r}; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
    "plan: seed plan": (names.plan_name, "exampleEFSBackupPlan", []),
    "plan: not a string": (
        names.plan_name,
        42,
        ["plan name: got 42; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
    "plan: non-ASCII letter": (
        names.plan_name,
        "plän",
        ["plan name: got 'plän'; use 1 to 50 letters, digits, '-', '_' or '.'"],
    ),
}


@pytest.mark.parametrize(("func", "value", "expected"), NAMES.values(), ids=NAMES.keys())
def test_names(func: Callable[..., list[str]], value: object, expected: list[str]) -> None:
    assert func(value) == expected


def test_names_take_the_callers_field() -> None:
    assert names.vault_name("a", field="site_name") == [
        "site_name: got 'a'; use 2 to 50 letters, digits, '-' or '_'"
    ]


def test_name_patterns_match_botocore() -> None:
    from botocore.loaders import Loader

    shapes = Loader().load_service_model("backup", "service-2")["shapes"]
    assert shapes["BackupVaultName"]["pattern"] == r"^[a-zA-Z0-9\-\_]{2,50}$"
    assert shapes["BackupRuleName"]["pattern"] == r"^[a-zA-Z0-9\-\_\.]{1,50}$"
