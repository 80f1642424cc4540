"""The selections' resources: EFS file systems (constructs, ids or ARNs), other ARNs, tag
conditions and exclusions, split into as many ``aws_backup.BackupSelection`` as AWS needs.

The CDK L2 ``BackupSelection`` writes ``Resources`` (and ``ListOfTags``, whose entries are OR'ed
with the resources: aws/aws-cdk#18911). What it lacks, ``Conditions`` (AND'ed with the
resources) and ``NotResources``, is added with an escape hatch on its ``CfnBackupSelection``.
See :mod:`vaultplan.spec.selection` for how AWS combines them.
"""

from __future__ import annotations

from collections.abc import Sequence

import jsii
from aws_cdk import Fn, Stack, Token
from aws_cdk import aws_backup as backup
from aws_cdk import aws_efs as efs
from aws_cdk import aws_iam as iam
from constructs import Construct, IValidation

from vaultplan.spec.selection import (
    SelectionOptions,
    selection_names,
    split_resources,
    unmet_conditions,
)

__all__ = [
    "CreatedFileSystemsSelected",
    "FileSystemLike",
    "add_selections",
    "file_system_arn",
    "file_system_resources",
    "is_unresolved",
]

#: An EFS file system's ARN in the stack's own partition, Region and account, before its id.
_EFS_ARN = "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/"

FileSystemLike = efs.IFileSystem | str
"""An EFS file system construct (new or imported), or the id (``fs-...``) or ARN
(``arn:<partition>:elasticfilesystem:<region>:<account>:file-system/fs-...``) of an existing one."""


def is_unresolved(value: object) -> bool:
    """``Token.is_unresolved``, without a jsii round trip for plain strings.

    A string token is encoded as ``${Token[...]}``; a string without ``Token[`` can't be one.
    Thousands of ARNs would otherwise cost thousands of calls into jsii.
    """
    if isinstance(value, str) and "Token[" not in value:
        return False
    return bool(Token.is_unresolved(value))


def file_system_arn(scope: Construct, file_system: FileSystemLike) -> str:
    """The file system's ARN.

    A construct gives its own ``file_system_arn``; an ARN is used as given. An id gives
    ``arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/<id>``
    as one ``Fn::Sub`` string (the concrete ARN when the stack's environment is known), so
    the stack stays environment-agnostic: not
    ``Stack.format_arn``, whose ``Fn::Join`` of seven parts the CDK writes over 15 indented
    lines, so that thousands of ids reach CloudFormation's 1 MB template limit later
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
    """
    if isinstance(file_system, str):
        if file_system.startswith("arn:"):
            return file_system
        stack = Stack.of(scope)
        parts = (stack.partition, stack.region, stack.account)
        if not any(Token.is_unresolved(part) for part in parts):
            # A stack with a known environment gets the concrete ARN, as format_arn gave.
            partition, region, account = parts
            return f"arn:{partition}:elasticfilesystem:{region}:{account}:file-system/{file_system}"
        return Fn.sub(_EFS_ARN + file_system)
    return file_system.file_system_arn


def file_system_resources(
    scope: Construct, file_systems: Sequence[FileSystemLike]
) -> list[backup.BackupResource]:
    """One ``BackupResource.from_arn`` per file system, in the order given."""
    return [backup.BackupResource.from_arn(file_system_arn(scope, fs)) for fs in file_systems]


def add_selections(
    scope: Construct,
    *,
    plan: backup.IBackupPlan,
    role: iam.IRole,
    site_name: str,
    resources: Sequence[str],
    options: SelectionOptions,
    base: str = "EFS",
) -> list[backup.BackupSelection]:
    """The plan's selections: ``Selection``, then ``Selection2``, ``Selection3``...

    ``resources`` are the ARNs to select (file systems first, then ``options.arns``); with none,
    the selection is by tag conditions alone and its ``Resources`` is ``["*"]`` (every type
    AWS Backup protects, AND the conditions). They are split by
    :func:`~vaultplan.spec.selection.split_resources`; every part carries the
    same ``Conditions`` and ``NotResources``. Names are ``<site>EFS``, ``<site>EFS-2``...
    (``<site><base>`` for another ``base``: a ``[[plans]]`` plan's).
    """
    arns = list(resources) or ["*"]
    parts = split_resources(arns, lambda a: "*" in a and not is_unresolved(a))
    names = selection_names(site_name, len(parts), base=base)
    conditions = options.cfn_conditions()
    selections = []
    for n, (name, part) in enumerate(zip(names, parts, strict=True), start=1):
        selection = backup.BackupSelection(
            scope,
            "Selection" if n == 1 else f"Selection{n}",
            backup_plan=plan,
            backup_selection_name=name,
            # One BackupResource per ARN costs one jsii round trip each (3 s for 1,201):
            # the L2 gets the first, and the whole list is written below in one override.
            resources=[backup.BackupResource.from_arn(part[0])],
            role=role,
            # The role already carries both managed policies; adding them again from the
            # selection would list them twice.
            disable_default_backup_policy=True,
            allow_restores=False,
        )
        cfn = selection.node.default_child
        assert isinstance(cfn, backup.CfnBackupSelection)
        if len(part) > 1:
            cfn.add_property_override("BackupSelection.Resources", part)
        if conditions:
            cfn.add_property_override("BackupSelection.Conditions", conditions)
        if options.exclude_arns:
            cfn.add_property_override("BackupSelection.NotResources", list(options.exclude_arns))
        selections.append(selection)
    return selections


@jsii.implements(IValidation)
class CreatedFileSystemsSelected:
    """Synth-time check: each file system created in the app meets the selection's conditions.

    Conditions are AND'ed with the resources, so a new ``efs.FileSystem`` whose tags (known
    only once Aspects such as ``Tags.of(...).add`` have run, hence a validation) miss one of
    them is in the selection's ``Resources`` and yet never backed up. Imported file systems,
    ids and ARNs are not checked: their tags are not in the app.
    """

    def __init__(self, file_systems: Sequence[FileSystemLike], options: SelectionOptions) -> None:
        self._file_systems = list(file_systems)
        self._options = options

    def validate(self) -> list[str]:
        errors = []
        for i, fs in enumerate(self._file_systems):
            if not isinstance(fs, efs.FileSystem):
                continue
            cfn = fs.node.default_child
            if not isinstance(cfn, efs.CfnFileSystem):
                continue
            tags = {str(k): str(v) for k, v in (cfn.tags.tag_values() or {}).items()}
            unmet = unmet_conditions(tags, self._options.conditions)
            if unmet:
                cond = unmet[0]
                errors.append(
                    f"file_systems[{i}]: {fs.node.path} doesn't meet "
                    f"selection.conditions.{cond.operator}.{cond.key} = {cond.value!r} (its "
                    f"tags: {tags or 'none'}), so nothing would back it up; tag it to match, "
                    "or change the conditions"
                )
        return errors
