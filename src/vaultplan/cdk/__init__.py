"""The CDK side: :class:`BackupStrategy` and the constructs it is made of.

This is the only package of vaultplan that imports ``aws_cdk``; importing it starts jsii. The
plain-data options it takes live in :mod:`vaultplan.spec` and are re-exported here, so a CDK
app needs one import line.
"""

from __future__ import annotations

import os

# Node 20 makes jsii print an end-of-life banner on every synth; the value lists majors
# (https://github.com/aws/jsii/blob/main/packages/%40jsii/check-node/README.md).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import vaultplan.spec
from vaultplan.cdk.selection import FileSystemLike, file_system_arn
from vaultplan.cdk.strategy import BACKUP_SERVICE_POLICIES, BackupStrategy
from vaultplan.spec import *  # noqa: F403

__all__ = [
    "BACKUP_SERVICE_POLICIES",
    "BackupStrategy",
    "FileSystemLike",
    "file_system_arn",
    *vaultplan.spec.__all__,
]
