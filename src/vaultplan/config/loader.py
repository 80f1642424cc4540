"""Read ``vaultplan.toml`` into a :class:`~vaultplan.config.model.Config`, strictly.

Order of checks: TOML syntax, unknown keys (a typo must not silently give a default), types,
then AWS Backup's own constraints (:mod:`vaultplan.aws.constraints`). The first problem raises
:class:`~vaultplan.errors.InputError` with one line naming the key path (``rules[1].schedule``)
and the value.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from vaultplan.aws import constraints
from vaultplan.config.assurance import parse_audit, parse_restore_testing
from vaultplan.config.fields import boolean, check_keys, string, strings, table, type_error
from vaultplan.config.model import DEFAULT_SITE_NAME, Config, FileSystemConfig
from vaultplan.config.plan import parse_plan
from vaultplan.config.selection import parse_selection
from vaultplan.config.vault import parse_notifications, parse_vault
from vaultplan.errors import InputError
from vaultplan.spec.assurance import assurance_problems, efs_arns
from vaultplan.spec.selection import selected_resource_types, selection_problems
from vaultplan.spec.strategy import strategy_problems
from vaultplan.spec.vault import notification_problems, vault_problems
from vaultplan.template.text import read_text

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


def _file_system(value: object) -> FileSystemConfig:
    if value is None:
        return FileSystemConfig()
    fs = table(value, "file_system", "a table: [file_system]")
    check_keys(fs, _FILE_SYSTEM_KEYS, "file_system.")
    ids = (
        strings(
            fs,
            "ids",
            "file_system.ids",
            expected='an array of ids, e.g. ["fs-0123abcd"]',
            item="a string like 'fs-0123456789abcdef0'",
        )
        or ()
    )
    return FileSystemConfig(create=boolean(fs, "create", "file_system.create", not ids), ids=ids)


def config_problems(config: Config) -> list[str]:
    """AWS Backup's constraints on a typed config, each naming its key and value."""
    problems: list[str] = []
    if config.account is not None and not constraints.ACCOUNT_RE.fullmatch(config.account):
        problems.append(f"account: got {config.account!r}; an AWS account id is 12 digits")
    if config.region is not None and not constraints.REGION_RE.fullmatch(config.region):
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
    check_keys(data, _TOP_KEYS, "")

    site_name = data.get("site_name", DEFAULT_SITE_NAME)
    if not isinstance(site_name, str):
        raise type_error("site_name", site_name, "a string")

    plan, rules = parse_plan(data)
    config = Config(
        site_name=site_name,
        account=string(data, "account", "account"),
        region=string(data, "region", "region"),
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
    return parse_config(read_text(path, field), source=path)
