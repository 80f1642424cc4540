"""Property tests: whatever a vaultplan.toml holds, the loader returns a Config or raises one
InputError line naming a key; nothing else escapes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultplan.config import Config, parse_config
from vaultplan.config.loader import _FILE_SYSTEM_KEYS, _TOP_KEYS
from vaultplan.config.plan import PLAN_KEYS, RULE_TABLE_KEYS
from vaultplan.errors import InputError
from vaultplan.spec.copy import COPY_KEYS
from vaultplan.spec.presets import GFS_KEYS

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["cron(0 8 * * ? *)", "fs-0123456789abcdef0", "Europe/Paris", "rate(1 day)"]),
    st.dates(min_value=dt.date(1970, 1, 1)),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3))


def keyed(keys: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(keys), st.from_regex(r"[a-z_]{1,12}", fullmatch=True))


copy_actions = st.lists(st.dictionaries(keyed(COPY_KEYS), values, max_size=3), max_size=2)
tags = st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), values, max_size=2)
rules = st.dictionaries(keyed(RULE_TABLE_KEYS), st.one_of(values, copy_actions, tags), max_size=5)
file_system = st.dictionaries(keyed(_FILE_SYSTEM_KEYS), values, max_size=3)
gfs = st.dictionaries(keyed(GFS_KEYS), values, max_size=4)
plan = st.dictionaries(
    keyed(PLAN_KEYS),
    st.one_of(st.sampled_from(["daily-monthly", "seed", "daily-35", "gfs", "weekly"]), values, gfs),
    max_size=2,
)
documents = st.dictionaries(
    keyed(_TOP_KEYS),
    st.one_of(values, file_system, plan, st.lists(rules, max_size=3)),
    max_size=5,
)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value) if isinstance(value, str) else str(value)


def to_toml(document: dict[str, Any]) -> str:
    return "".join(f"{key} = {toml_value(value)}\n" for key, value in document.items())


@settings(max_examples=300, deadline=None)
@given(documents)
def test_any_document_gives_a_config_or_one_line_input_error(document: dict[str, Any]) -> None:
    try:
        config = parse_config(to_toml(document))
    except InputError as err:
        assert "\n" not in err.message
        assert err.exit_code == 2
        first_key = err.message.split(":", 1)[0].split("[", 1)[0].split(".", 1)[0]
        assert first_key.split(" ", 1)[0] in {*document, "config"}, err.message
    else:
        assert isinstance(config, Config)
