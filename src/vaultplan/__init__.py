"""vaultplan: AWS Backup strategies with the AWS CDK, checked and costed offline.

Every name is imported on first use, so the command-line tools that only read templates
(``policy``, ``check``, ``simulate``) never pay for starting jsii: :class:`BackupStrategy`
comes from :mod:`vaultplan.cdk`, the plain-data options from :mod:`vaultplan.spec`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from vaultplan.cdk import BackupStrategy as BackupStrategy
    from vaultplan.spec import AuditOptions as AuditOptions
    from vaultplan.spec import BackupRules as BackupRules
    from vaultplan.spec import CopyAction as CopyAction
    from vaultplan.spec import PlanSpec as PlanSpec
    from vaultplan.spec import RestoreTestingOptions as RestoreTestingOptions
    from vaultplan.spec import RulePreset as RulePreset
    from vaultplan.spec import SelectionOptions as SelectionOptions
    from vaultplan.spec import TagCondition as TagCondition
    from vaultplan.spec import VaultOptions as VaultOptions

_SPEC_NAMES = frozenset(
    {
        "AuditOptions",
        "BackupRules",
        "CopyAction",
        "PlanSpec",
        "RestoreTestingOptions",
        "RulePreset",
        "SelectionOptions",
        "TagCondition",
        "VaultOptions",
    }
)

__all__ = ["BackupStrategy", "__version__", *sorted(_SPEC_NAMES)]


def __getattr__(name: str) -> Any:
    if name == "BackupStrategy":
        from vaultplan.cdk import BackupStrategy

        return BackupStrategy
    if name in _SPEC_NAMES:
        import vaultplan.spec

        return getattr(vaultplan.spec, name)
    raise AttributeError(f"module 'vaultplan' has no attribute {name!r}")
