"""The backup strategy as plain data: rules and presets, copies, the vault, the selection,
restore testing and audit, with the validation that AWS's constraints call for.

Nothing here imports the CDK: the config loader, ``vaultplan init`` and the template tools use
these classes without starting jsii. :mod:`vaultplan.cdk` turns them into CloudFormation.
"""

from __future__ import annotations

from vaultplan.spec.air_gapped import AirGappedVaultOptions
from vaultplan.spec.assurance import AuditOptions, RestoreTestingOptions
from vaultplan.spec.copy import CopyAction
from vaultplan.spec.drill import RestoreValidationOptions
from vaultplan.spec.plans import PlanSpec
from vaultplan.spec.presets import BackupRules, GfsOptions
from vaultplan.spec.rules import RulePreset, rule_problems
from vaultplan.spec.selection import SelectionOptions, TagCondition
from vaultplan.spec.strategy import StrategySpec, strategy_problems
from vaultplan.spec.vault import NotificationOptions, VaultLockOptions, VaultOptions

__all__ = [
    "AirGappedVaultOptions",
    "AuditOptions",
    "BackupRules",
    "CopyAction",
    "GfsOptions",
    "NotificationOptions",
    "PlanSpec",
    "RestoreTestingOptions",
    "RestoreValidationOptions",
    "RulePreset",
    "SelectionOptions",
    "StrategySpec",
    "TagCondition",
    "VaultLockOptions",
    "VaultOptions",
    "rule_problems",
    "strategy_problems",
]
