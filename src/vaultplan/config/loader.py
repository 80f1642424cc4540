"""Read ``vaultplan.toml`` into a :class:`~vaultplan.config.model.Config`, strictly.

Order of checks: TOML syntax, unknown keys (a typo must not silently give a default), types,
then AWS Backup's own constraints (:mod:`vaultplan.constraints`). The first problem raises
:class:`~vaultplan.errors.InputError` with one line naming the key path (``rules[1].schedule``)
and the value.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

from vaultplan import constraints
from vaultplan.config.model import DEFAULT_SITE_NAME, Config, FileSystemConfig
from vaultplan.config.selection import parse_selection
from vaultplan.constructs.assurance_options import assurance_problems, efs_arns
from vaultplan.constructs.selection_options import selected_resource_types, selection_problems
from vaultplan.constructs.validation import strategy_problems
from vaultplan.constructs.vault_options import notification_problems, vault_problems
from vaultplan.errors import InputError

__all__ = ["DEFAULT_CONFIG_NAME", "config_problems", "load_config", "parse_config"]

DEFAULT_CONFIG_NAME = "vaultplan.toml"

_TOP_KEYS = (
    "site_name",
    "account",
    "region",
    "file_system",
    "plan",
    "rules",
    "vault",
    "notifications",
    "restore_testing",
    "audit",
    "selection",
)
_FILE_SYSTEM_KEYS = ("create", "ids")
_NOTHING = (
    "file_system.create: got false with no file_system.ids; nothing to protect: set "
    'create = true, list existing file systems in ids = ["fs-..."], or select resources '
    "with selection.arns or selection.conditions"
)
_ACCOUNT_RE = re.compile(r"^[0-9]{12}$")
_REGION_RE = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$")

_TOML_TYPES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "an array",
    dict: "a table",
}


def _kind(value: object) -> str:
    for python_type, name in _TOML_TYPES.items():
        if isinstance(value, python_type):
            return name
    return "a date or time"


def _type_error(path: str, value: object, expected: str) -> InputError:
    return InputError(f"{path}: got {value!r} ({_kind(value)}); expected {expected}")


def _check_keys(table: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
    for key, value in table.items():
        if key in allowed:
            continue
        path = f"{prefix}{key}"
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InputError(
            f"{path}: unknown key (value {value!r}); {hint}allowed keys here: {', '.join(allowed)}"
        )


def _string(table: dict[str, Any], key: str, path: str) -> str | None:
    value = table.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _type_error(path, value, "a string")


def _whole(table: dict[str, Any], key: str, path: str) -> int | None:
    value = table.get(key)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _type_error(path, value, "a whole number, without quotes")


def _file_system(value: object) -> FileSystemConfig:
    if value is None:
        return FileSystemConfig()
    if not isinstance(value, dict):
        raise _type_error("file_system", value, "a table: [file_system]")
    _check_keys(value, _FILE_SYSTEM_KEYS, "file_system.")
    raw_ids = value.get("ids", [])
    if not isinstance(raw_ids, list):
        raise _type_error("file_system.ids", raw_ids, 'an array of ids, e.g. ["fs-0123abcd"]')
    ids: list[str] = []
    for i, item in enumerate(raw_ids):
        if not isinstance(item, str):
            raise _type_error(f"file_system.ids[{i}]", item, "a string like 'fs-0123456789abcdef0'")
        ids.append(item)
    create = value.get("create", not ids)
    if not isinstance(create, bool):
        raise _type_error("file_system.create", create, "true or false")
    return FileSystemConfig(create=create, ids=tuple(ids))


def config_problems(config: Config) -> list[str]:
    """AWS Backup's constraints on a typed config, each naming its key and value."""
    problems: list[str] = []
    if config.account is not None and not _ACCOUNT_RE.fullmatch(config.account):
        problems.append(f"account: got {config.account!r}; an AWS account id is 12 digits")
    if config.region is not None and not _REGION_RE.fullmatch(config.region):
        problems.append(
            f"region: got {config.region!r}; use an AWS Region code such as 'us-east-1'"
        )
    problems += strategy_problems(
        config.site_name,
        config.rules,
        selects_efs="EFS"
        in selected_resource_types(
            int(config.file_system.create) + len(config.file_system.ids), config.selection
        ),
        region=config.region,
        account=config.account,
    )
    for i, fs_id in enumerate(config.file_system.ids):
        problems += constraints.efs_reference(fs_id, f"file_system.ids[{i}]")
    problems += selection_problems(
        config.selection,
        file_systems=int(config.file_system.create) + len(config.file_system.ids),
        nothing=_NOTHING,
        site_name=config.site_name,
    )
    problems += vault_problems(config.vault, config.rules, region=config.region)
    problems += notification_problems(config.notifications)
    problems += assurance_problems(
        config.restore_testing,
        config.audit,
        config.site_name,
        config.rules,
        file_system_count=len(config.file_system.ids)
        + int(config.file_system.create)
        + len(efs_arns(config.selection.arns)),
        deletion_principals=config.vault.break_glass_arns if config.vault.access_policy else (),
    )
    return problems


def parse_config(text: str, source: Path | None = None) -> Config:
    """Parse and check the text of a ``vaultplan.toml``; raise InputError on the first problem."""
    where = str(source) if source is not None else "config"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{where}: not valid TOML: {err}") from None
    _check_keys(data, _TOP_KEYS, "")
    from vaultplan.config.assurance import parse_audit, parse_restore_testing

    site_name = data.get("site_name", DEFAULT_SITE_NAME)
    if not isinstance(site_name, str):
        raise _type_error("site_name", site_name, "a string")
    from vaultplan.config.plan import parse_plan  # it imports this module's helpers
    from vaultplan.config.vault import parse_notifications, parse_vault  # same

    plan, rules = parse_plan(data)
    config = Config(
        site_name=site_name,
        account=_string(data, "account", "account"),
        region=_string(data, "region", "region"),
        file_system=_file_system(data.get("file_system")),
        rules=rules,
        plan=plan,
        vault=parse_vault(data.get("vault")),
        notifications=parse_notifications(data.get("notifications")),
        selection=parse_selection(data.get("selection")),
        restore_testing=parse_restore_testing(data.get("restore_testing")),
        audit=parse_audit(data.get("audit")),
        source=source,
    )
    problems = config_problems(config)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{problems[0]}{more}")
    return config


def load_config(path: Path | None = None, *, field: str = "--config") -> Config:
    """Read the config at ``path``; without one, ``./vaultplan.toml`` if present, else defaults.

    ``field`` names the option the path came from in error messages.
    """
    if path is None:
        default = Path(DEFAULT_CONFIG_NAME)
        if not default.is_file():
            return Config()
        path = default
    if not path.exists():
        raise InputError(f"{field}: got '{path}'; no such file (run 'vaultplan init' to make one)")
    if not path.is_file():
        raise InputError(f"{field}: got '{path}'; not a file, give the path of a TOML file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{field}: got '{path}'; not UTF-8 text ({err.reason})") from None
    except OSError as err:
        raise InputError(f"{field}: got '{path}'; cannot read it ({err.strerror})") from None
    return parse_config(text, source=path)
