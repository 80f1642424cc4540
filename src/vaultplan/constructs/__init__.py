"""CDK constructs: :class:`BackupStrategy`, its rule presets and selection options.

The rule presets (:class:`RulePreset`, :class:`BackupRules`) and the selection options
(:class:`SelectionOptions`, :class:`TagCondition`) are plain data and import no CDK,
so the config loader and ``vaultplan init`` can use them without starting jsii. The CDK names
(:class:`BackupStrategy` and the selection helpers) are imported on first use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# Node 20 makes jsii print an end-of-life banner on every synth; the value lists majors.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from vaultplan.constructs.assurance_options import AuditOptions, RestoreTestingOptions
from vaultplan.constructs.rules import BackupRules, RulePreset, rule_problems
from vaultplan.constructs.selection_options import SelectionOptions, TagCondition

if TYPE_CHECKING:
    from vaultplan.constructs.selection import FileSystemLike as FileSystemLike
    from vaultplan.constructs.selection import file_system_arn as file_system_arn
    from vaultplan.constructs.strategy import BACKUP_SERVICE_POLICIES as BACKUP_SERVICE_POLICIES
    from vaultplan.constructs.strategy import BackupStrategy as BackupStrategy

__all__ = [
    "BACKUP_SERVICE_POLICIES",
    "AuditOptions",
    "BackupRules",
    "BackupStrategy",
    "FileSystemLike",
    "RestoreTestingOptions",
    "RulePreset",
    "SelectionOptions",
    "TagCondition",
    "file_system_arn",
    "rule_problems",
]

_LAZY = {
    "BACKUP_SERVICE_POLICIES": "vaultplan.constructs.strategy",
    "BackupStrategy": "vaultplan.constructs.strategy",
    "FileSystemLike": "vaultplan.constructs.selection",
    "file_system_arn": "vaultplan.constructs.selection",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vaultplan.constructs' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)
