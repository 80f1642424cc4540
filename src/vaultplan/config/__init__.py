"""``vaultplan.toml``: a strict TOML loader into frozen dataclasses, and its commented default.

No CDK is imported here: loading and checking a config is fast, and errors come before jsii
starts.
"""

from __future__ import annotations

from vaultplan.config.loader import DEFAULT_CONFIG_NAME, config_problems, load_config, parse_config
from vaultplan.config.model import DEFAULT_SITE_NAME, Config, FileSystemConfig, stack_name_for
from vaultplan.config.summary import StrategySummary, summarize
from vaultplan.config.template import default_config_text, write_default_config

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "DEFAULT_SITE_NAME",
    "Config",
    "FileSystemConfig",
    "StrategySummary",
    "config_problems",
    "default_config_text",
    "load_config",
    "parse_config",
    "stack_name_for",
    "summarize",
    "write_default_config",
]
