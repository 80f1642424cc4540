"""The ready app: build the CDK App and stack from a config, and synthesize it.

``python -m vaultplan.cdk.app`` is the app command of the repository's ``cdk.json``, so the CDK CLI
(``cdk synth``) builds the same stack as ``vaultplan synth``. It reads the config named by
``VAULTPLAN_CONFIG``, else ``./vaultplan.toml``, else the defaults; the CDK CLI gives the output
folder through ``CDK_OUTDIR``.

Both build the App with the same feature flags (:func:`feature_flags`, the context that
``cdk init`` writes), so the template does not depend on which of them ran it.

The stack is ``<site>-backup`` (see :func:`vaultplan.config.stack_name_for`). It is
environment-agnostic unless the config sets ``account`` or ``region``, and does no lookups, so
synthesis needs no AWS credentials.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Fn, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk import aws_iam as iam
from constructs import Construct

from vaultplan.aws.cloudformation import template_size_problem
from vaultplan.cdk import BackupStrategy, FileSystemLike
from vaultplan.cdk.destination import add_destination_stacks
from vaultplan.cdk.network import VpcFlowLog
from vaultplan.cdk.organizations import MemberAccountStack
from vaultplan.cdk.suppressions import VPC_DEFAULT_SECURITY_GROUP, suppress
from vaultplan.config import Config, load_config
from vaultplan.config.loader import strategy_spec
from vaultplan.errors import InputError, VaultplanError
from vaultplan.org.policy import check_organization
from vaultplan.spec.strategy import SHARED_PROPS

__all__ = [
    "BackupStack",
    "SynthResult",
    "build_app",
    "build_member_stack",
    "build_stack",
    "feature_flags",
    "main",
    "new_app",
    "new_file_system",
    "synth",
]

#: The ``context`` that ``cdk init`` writes into a new app's cdk.json: aws-cdk-lib's
#: ``recommended-feature-flags.json`` (scripts/cdk_feature_flags.py copies it from the installed
#: aws-cdk-lib, and writes the same into the repository's cdk.json).
FEATURE_FLAGS_FILE = Path(__file__).with_name("feature_flags.json")


def feature_flags() -> dict[str, Any]:
    """The feature flags the ready app is built with (see :data:`FEATURE_FLAGS_FILE`).

    https://docs.aws.amazon.com/cdk/v2/guide/featureflags.html
    """
    flags: dict[str, Any] = json.loads(FEATURE_FLAGS_FILE.read_text(encoding="utf-8"))
    return flags


def new_app(outdir: str | None = None) -> App:
    """An App with :func:`feature_flags` as its context. Context the CDK CLI passes (cdk.json,
    ``--context``) is applied over it, as the CDK does for an App's ``context`` prop."""
    return App(outdir=outdir, context=feature_flags())


@dataclass(frozen=True)
class SynthResult:
    """Where ``synth`` wrote the cloud assembly and the stack's template."""

    stack_name: str
    outdir: Path
    template: Path
    destination_templates: tuple[Path, ...] = ()
    """One template per destination account (and Region) of the cross-account copies, to
    deploy there (see :mod:`vaultplan.cdk.destination`)."""


class BackupStack(Stack):
    """The app's stack. Its Availability Zones are always ``Fn::GetAZs`` (first two).

    A plain ``Stack`` with an account and Region looks the zones up through the CDK's context
    providers, which needs AWS credentials (and synthesizes dummy zones without them). Here the
    zones are picked at deploy time instead, so synthesis never needs an account.
    """

    @property
    def availability_zones(self) -> list[str]:
        zones = Fn.get_azs()
        return [Fn.select(0, zones), Fn.select(1, zones)]


def new_file_system(scope: Construct) -> efs.FileSystem:
    """The default file system: a new encrypted EFS in a new VPC.

    The VPC (id ``Vpc``) has isolated subnets in two Availability Zones and no NAT gateway or
    internet gateway, and a flow log of all its traffic to an encrypted log group
    (:class:`~vaultplan.cdk.network.VpcFlowLog`, id ``VpcFlowLog``). Its default
    security group keeps its rules: closing them takes a custom-resource Lambda, and nothing
    uses the group (the suppression's reason is in
    :data:`~vaultplan.cdk.suppressions.VPC_DEFAULT_SECURITY_GROUP`). The file system
    (id ``FileSystem``) has a mount target in each subnet, is retained when the stack is
    deleted, and has EFS's own automatic backups off, since the backup plan protects it.
    """
    vpc = ec2.Vpc(
        scope,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(
                name="Isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
            )
        ],
        # Off whatever the feature flag @aws-cdk/aws-ec2:restrictDefaultSecurityGroup says.
        restrict_default_security_group=False,
    )
    suppress(vpc, VPC_DEFAULT_SECURITY_GROUP)
    VpcFlowLog(scope, "VpcFlowLog", vpc=vpc)
    return efs.FileSystem(
        scope,
        "FileSystem",
        vpc=vpc,
        encrypted=True,
        enable_automatic_backups=False,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
    )


def build_stack(app: App, config: Config) -> Stack:
    """Add the config's stack to ``app``: the file systems, then a ``BackupStrategy``.

    A constraint the construct rejects becomes an :class:`~vaultplan.errors.InputError`.
    """
    env = (
        Environment(account=config.account, region=config.region)
        if config.account is not None or config.region is not None
        else None
    )
    stack = BackupStack(
        app,
        config.stack_name,
        env=env,
        description=f"vaultplan: AWS Backup vault, plan and EFS selection for {config.site_name}",
    )
    file_systems: list[FileSystemLike] = []
    if config.file_system.create:
        created = new_file_system(stack)
        # Conditions narrow every resource of the selection: give the new file system the
        # tags that selection.conditions.string_equals asks for, so it stays backed up.
        for cond in config.selection.conditions:
            if cond.operator == "string_equals":
                Tags.of(created).add(cond.key, cond.value)
        file_systems.append(created)
    file_systems.extend(config.file_system.ids)
    drill_vpc = stack.node.find_child("Vpc") if config.file_system.create else None
    try:
        BackupStrategy(
            stack,
            "BackupStrategy",
            file_systems=file_systems,
            drill_vpc=drill_vpc,  # type: ignore[arg-type]
            plans=config.plans,
            **{name: getattr(config, name) for name in SHARED_PROPS},
        )
    except ValueError as err:
        raise InputError(str(err).splitlines()[0]) from None
    if config.permissions_boundary is not None:
        # The strategy bounds its own roles; the stack's others (the VPC flow log's) too.
        iam.PermissionsBoundary.of(stack).apply(
            iam.ManagedPolicy.from_managed_policy_arn(
                stack, "PermissionsBoundary", config.permissions_boundary
            )
        )
    return stack


def build_app(app: App, config: Config) -> tuple[Stack, list[Stack]]:
    """The config's stack (:func:`build_stack`) and its destination stacks, added to ``app``."""
    stack = build_stack(app, config)
    destinations: list[Stack] = list(
        add_destination_stacks(
            app,
            config.site_name,
            (action for rule in config.all_rules for action in rule.copy_actions),
            config.account,
        )
    )
    return stack, destinations


def build_member_stack(app: App, config: Config) -> Stack:
    """The member-account stack of the config's ``[org]`` backup policy, added to ``app``
    (``<site>-backup-member``: :class:`~vaultplan.cdk.organizations.MemberAccountStack`).

    A config without ``[org]``, or with a strategy no backup policy can express, is an
    :class:`~vaultplan.errors.InputError`.
    """
    spec = strategy_spec(config)
    org = check_organization(spec, config.org, option="--org")
    return MemberAccountStack(app, f"{config.stack_name}-member", spec=spec, org=org)


def _move_into(source: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        target = out / item.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        shutil.move(str(item), str(target))


def _check_size(template: Path, config: Config) -> None:
    """Refuse a template CloudFormation would refuse: over 1 MB (its "Template body size"
    quota), before anything is written."""
    problem = template_size_problem(template.stat().st_size)
    if problem is None:
        return
    listed = len(config.file_system.ids) + len(config.selection.arns)
    raise InputError(
        f"template: {problem}; it lists {listed:,} file system ids and ARNs: select them by "
        'tag instead (selection.arns = ["arn:aws:elasticfilesystem:*:*:file-system/*"] with '
        'selection.conditions.string_equals = { backup = "true" }); nothing was written'
    )


def synth(config: Config, out: Path, *, org: bool = False) -> SynthResult:
    """Synthesize the config's app into ``out`` (a normal cloud assembly, like ``cdk synth``).

    With ``org``, the app holds the member-account stack of the config's ``[org]`` backup
    policy instead (:func:`build_member_stack`).

    Everything is checked and synthesized in a temporary folder first; ``out`` is touched only
    when that succeeded, so on error nothing is written. A template over CloudFormation's 1 MB
    limit is an :class:`~vaultplan.errors.InputError`. Files of an earlier synth in ``out``
    are replaced; other files there are left alone.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: got '{out}'; it is a file, give a folder (default: cdk.out)")
    with tempfile.TemporaryDirectory(prefix="vaultplan-synth-") as tmp:
        app = new_app(outdir=tmp)
        destinations: list[Stack] = []
        if org:
            stack = build_member_stack(app, config)
        else:
            stack, destinations = build_app(app, config)
        assembly = app.synth()
        template_name = Path(assembly.get_stack_artifact(stack.artifact_id).template_file).name
        _check_size(Path(tmp) / template_name, config)

        def written(one: Stack) -> Path:
            return out / Path(assembly.get_stack_artifact(one.artifact_id).template_file).name

        _move_into(Path(tmp), out)
    return SynthResult(
        stack_name=stack.stack_name,
        outdir=out,
        template=written(stack),
        destination_templates=tuple(written(one) for one in destinations),
    )


def main() -> int:
    """The CDK CLI entry (``cdk.json``): build the app from the config and synthesize it."""
    config_path = os.environ.get("VAULTPLAN_CONFIG")
    try:
        config = load_config(
            Path(config_path) if config_path else None,
            field="VAULTPLAN_CONFIG" if config_path else "--config",
        )
        for warning in config.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        app = new_app()
        build_app(app, config)
        app.synth()
    except VaultplanError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return err.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
