"""vaultplan: AWS Backup strategies with the AWS CDK, checked and costed offline.

The CDK construct is imported lazily, so the command-line tools that only read
templates (``policy``, ``check``, ``simulate``) never pay for starting jsii.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from vaultplan.constructs import BackupStrategy as BackupStrategy

__all__ = ["BackupStrategy", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "BackupStrategy":
        from vaultplan.constructs import BackupStrategy

        return BackupStrategy
    raise AttributeError(f"module 'vaultplan' has no attribute {name!r}")
