"""The selection's resources: EFS file systems, given as constructs or by id."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Stack, Token
from aws_cdk import aws_backup as backup
from aws_cdk import aws_efs as efs
from constructs import Construct

from vaultplan import constraints

__all__ = ["FileSystemLike", "file_system_arn", "file_system_problems", "file_system_resources"]

FileSystemLike = efs.IFileSystem | str
"""An EFS file system construct (new or imported), or the id of an existing one (``fs-...``)."""


def file_system_arn(scope: Construct, file_system: FileSystemLike) -> str:
    """The file system's ARN.

    A construct gives its own ``file_system_arn``. An id gives
    ``arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/<id>``,
    built with ``Stack.format_arn`` so the stack stays environment-agnostic.
    """
    if isinstance(file_system, str):
        return Stack.of(scope).format_arn(
            service="elasticfilesystem", resource="file-system", resource_name=file_system
        )
    return file_system.file_system_arn


def file_system_resources(
    scope: Construct, file_systems: Sequence[FileSystemLike]
) -> list[backup.BackupResource]:
    """One ``BackupResource.from_arn`` per file system, in the order given."""
    return [backup.BackupResource.from_arn(file_system_arn(scope, fs)) for fs in file_systems]


def file_system_problems(file_systems: Sequence[FileSystemLike], field: str) -> list[str]:
    """Problems with the file systems: none given, or an id that is not ``fs-`` + hex.

    Ids that are unresolved tokens are not checked.
    """
    if not file_systems:
        return [
            f"{field}: got []; give at least one EFS file system (a construct or an id "
            "like 'fs-0123456789abcdef0')"
        ]
    problems: list[str] = []
    for i, fs in enumerate(file_systems):
        if isinstance(fs, str) and not Token.is_unresolved(fs):
            problems += constraints.efs_id(fs, f"{field}[{i}]")
    return problems
