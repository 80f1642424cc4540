"""Restore drills as plain data: what the drill checks in each restored file system, and where
it runs (:class:`RestoreValidationOptions`), and the constraints on them.

``[restore_testing] validate = true`` with a ``[restore_testing.validation]`` table, or
``RestoreTestingOptions(validation=RestoreValidationOptions(...))`` on the construct, adds the
drill :mod:`vaultplan.cdk.drill` builds: an EventBridge rule on the plan's completed restore
jobs, an orchestrator and a checker function, their roles. The checks themselves are
:mod:`vaultplan.drill.validate`. This module imports no ``aws_cdk``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vaultplan.aws.drill import (
    LAMBDA_MAX_SECURITY_GROUPS,
    LAMBDA_MAX_SUBNETS,
    SECURITY_GROUP_ID_RE,
    SUBNET_ID_RE,
    VPC_ID_RE,
)
from vaultplan.drill.validate import Expectations, relative_path_problem

__all__ = ["RestoreValidationOptions", "validation_problems"]


@dataclass(frozen=True, kw_only=True)
class RestoreValidationOptions:
    """What the drill checks in each restored file system, and the network it mounts it from.

    Paths are relative to the restored data (AWS Backup's ``aws-backup-restore_<datetime>``
    directory, see :func:`vaultplan.drill.validate.data_root`).
    """

    expect_paths: tuple[str, ...] = ()
    """Paths that must exist in the restored tree. Default: none."""
    min_file_count: int = 1
    """At least this many regular files. Default: 1 (an empty restore fails)."""
    min_total_bytes: int = 0
    """At least this many bytes of regular files. Default: 0."""
    checksum_manifest: str | None = None
    """A ``sha256sum`` manifest (``<sha256>  <path>`` lines) kept in the source file system;
    each file it lists must match. Default: none."""
    vpc_id: str | None = None
    """VPC of the checker function and of the mount targets, when the strategy creates no VPC
    (existing file systems by id). Default: the created file system's VPC."""
    subnet_ids: tuple[str, ...] = ()
    """Subnets (one per Availability Zone, 1 to 16) of the checker and the mount targets."""
    security_group_ids: tuple[str, ...] = ()
    """Security groups of the checker (1 to 5); the mount targets allow NFS from them."""

    @property
    def expectations(self) -> Expectations:
        """The checks, as :func:`~vaultplan.drill.validate.validate_tree` takes them."""
        return Expectations(
            expect_paths=self.expect_paths,
            min_file_count=self.min_file_count,
            min_total_bytes=self.min_total_bytes,
            checksum_manifest=self.checksum_manifest,
        )

    @property
    def network_given(self) -> bool:
        """True when any of ``vpc_id``, ``subnet_ids``, ``security_group_ids`` is set."""
        return bool(self.vpc_id or self.subnet_ids or self.security_group_ids)


def _never(value: object) -> bool:
    return False


def _ids(values: Sequence[str], pattern: object, field: str, what: str, most: int) -> list[str]:
    problems = [
        f"{field}[{i}]: got {value!r}; a {what} id is '{what}-' and 8 or 17 hex digits"
        for i, value in enumerate(values)
        if not (isinstance(value, str) and pattern.fullmatch(value))  # type: ignore[attr-defined]
    ]
    if not values:
        problems.append(f"{field}: got []; give 1 to {most} {what} ids")
    elif len(values) > most:
        problems.append(f"{field}: got {len(values)} ids; a Lambda function takes at most {most}")
    return problems


def validation_problems(
    options: RestoreValidationOptions,
    *,
    vpc_given: bool,
    validation_window_hours: int | None,
    field: str = "restore_testing.validation",
    window_field: str = "restore_testing.validation_window_hours",
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """Every constraint the drill options break, each naming ``<field>.<key>`` and the value.

    ``vpc_given`` says the strategy has a VPC for the drill (the config creates the file system
    in a new VPC, or the construct got ``drill_vpc``); otherwise ``vpc_id``, ``subnet_ids`` and
    ``security_group_ids`` are required.
    """
    problems: list[str] = []
    for i, path in enumerate(options.expect_paths):
        why = relative_path_problem(path)
        if why is not None:
            problems.append(f"{field}.expect_paths[{i}]: got {path!r}; {why}")
    manifest = options.checksum_manifest
    if manifest is not None and not unresolved(manifest):
        why = relative_path_problem(manifest)
        if why is not None:
            problems.append(f"{field}.checksum_manifest: got {manifest!r}; {why}")
    for key in ("min_file_count", "min_total_bytes"):
        value = getattr(options, key)
        whole = isinstance(value, int) and not isinstance(value, bool)
        if not unresolved(value) and not (whole and value >= 0):
            problems.append(f"{field}.{key}: got {value!r}; give a whole number, 0 or more")
    window = validation_window_hours
    if window is None or (not unresolved(window) and isinstance(window, int) and window < 1):
        problems.append(
            f"{window_field}: got {window!r} with validation on; AWS Backup deletes the restored "
            "file system when the window closes, so give the drill 1 to 168 hours"
        )
    problems += _network_problems(options, vpc_given, field)
    return problems


def _network_problems(options: RestoreValidationOptions, vpc_given: bool, field: str) -> list[str]:
    if vpc_given:
        if options.network_given:
            return [
                f"{field}.vpc_id: got {options.vpc_id!r} (with subnet_ids/security_group_ids) "
                "while the strategy creates the file system's VPC, where the drill runs: drop them"
            ]
        return []
    if not options.network_given:
        return [
            f"{field}.vpc_id: got None; the strategy creates no VPC, so give the drill's network: "
            "vpc_id, subnet_ids (one per Availability Zone) and security_group_ids"
        ]
    problems = []
    if options.vpc_id is None or not VPC_ID_RE.fullmatch(str(options.vpc_id)):
        problems.append(
            f"{field}.vpc_id: got {options.vpc_id!r}; a VPC id is 'vpc-' and 8 or 17 hex digits"
        )
    problems += _ids(
        options.subnet_ids, SUBNET_ID_RE, f"{field}.subnet_ids", "subnet", LAMBDA_MAX_SUBNETS
    )
    problems += _ids(
        options.security_group_ids,
        SECURITY_GROUP_ID_RE,
        f"{field}.security_group_ids",
        "sg",
        LAMBDA_MAX_SECURITY_GROUPS,
    )
    return problems
