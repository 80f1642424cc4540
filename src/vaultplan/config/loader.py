"""Read ``vaultplan.toml`` into a :class:`~vaultplan.config.model.Config`, strictly.

Order of checks: TOML syntax, unknown keys (a typo must not silently give a default), types,
then AWS Backup's own constraints (:mod:`vaultplan.aws`). The first problem raises
:class:`~vaultplan.errors.InputError` with one line naming the key path (``rules[1].schedule``)
and the value.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from vaultplan.config.assurance import parse_audit, parse_restore_testing
from vaultplan.config.fields import boolean, check_keys, string, strings, table, type_error
from vaultplan.config.model import DEFAULT_SITE_NAME, Config, FileSystemConfig
from vaultplan.config.org import parse_org
from vaultplan.config.plan import parse_plan
from vaultplan.config.plan_options import parse_plan_options
from vaultplan.config.plans import parse_plans
from vaultplan.config.selection import parse_selection
from vaultplan.config.vault import parse_notifications, parse_role, parse_vault
from vaultplan.errors import InputError
from vaultplan.spec.strategy import SHARED_PROPS, StrategySpec, strategy_problems
from vaultplan.template.nesting import loads_toml
from vaultplan.template.text import read_text

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "config_problems",
    "load_config",
    "parse_config",
    "strategy_spec",
]

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
    "role",
    "org",
    "plans",
)
_FILE_SYSTEM_KEYS = ("create", "ids")
_NOTHING = (
    "file_system.create: got false with no file_system.ids; nothing to protect: set "
    'create = true, list existing file systems in ids = ["fs-..."], or select resources '
    "with selection.arns or selection.conditions"
)
_NOTHING_BESIDE_PLANS = (
    "file_system.create: got false with no file_system.ids, and [[plans]] tables; the "
    "top-level plan (<site_name>EFSBackupPlan: [plan], [[rules]], [selection]) is always "
    "deployed beside [[plans]] (they add plans, they don't replace it), so give it something "
    "to protect: file_system.ids, create = true, or selection.arns or selection.conditions; "
    "or move one [[plans]] table's rules and selection to the top level"
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


def strategy_spec(config: Config) -> StrategySpec:
    """The strategy ``config`` describes, as :func:`strategy_problems` checks it."""
    return StrategySpec(
        **{name: getattr(config, name) for name in SHARED_PROPS},
        region=config.region,
        account=config.account,
        file_systems=config.file_system.ids,
        created_file_systems=int(config.file_system.create),
        drill_vpc=config.file_system.create,
        file_systems_key="file_system.ids",
        nothing_selected=_NOTHING_BESIDE_PLANS if config.plans else _NOTHING,
        extra_plans=config.plans,
    )


def config_problems(config: Config) -> list[str]:
    """AWS Backup's constraints on a typed config, each naming its key and value."""
    return strategy_problems(strategy_spec(config))


def parse_config(text: str, source: Path | None = None) -> Config:
    """Parse and check the text of a ``vaultplan.toml``; raise InputError on the first problem."""
    where = str(source) if source is not None else "config"
    try:
        data = loads_toml(text, where)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{where}: not valid TOML: {err}") from None
    check_keys(data, _TOP_KEYS, "")

    site_name = data.get("site_name", DEFAULT_SITE_NAME)
    if not isinstance(site_name, str):
        raise type_error("site_name", site_name, "a string")

    plan, rules = parse_plan(data)
    plans, plan_sources = parse_plans(data)
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
        plan_options=parse_plan_options(data.get("plan")),
        permissions_boundary=parse_role(data.get("role")),
        org=parse_org(data.get("org")),
        plans=plans,
        plan_sources=plan_sources,
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
