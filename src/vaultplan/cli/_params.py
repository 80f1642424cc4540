"""``--parameters KEY=VALUE...``, shared by the commands that read templates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from vaultplan.errors import InputError, shown

__all__ = [
    "AccountOption",
    "ConfigOption",
    "DailyChangeOption",
    "PartitionOption",
    "RegionOption",
    "SizeGibOption",
    "StackNameOption",
    "TemplatesArg",
    "parameters_option",
    "parse_parameters",
    "split_parameters",
]

_PARAM = re.compile(r"^([A-Za-z0-9]+(?:::[A-Za-z0-9]+)*)=(.*)$", re.DOTALL)


def _is_file(raw: str) -> bool:
    """``raw`` names an existing file or folder (a too-long name or a loop is not one)."""
    try:
        return Path(raw).exists()
    except (OSError, ValueError):  # ENAMETOOLONG, ELOOP; ValueError: an embedded NUL
        return False


def _template_path(raw: str) -> Path:
    """A TEMPLATE argument as a path; one the system refuses (too long a name) is bad input."""
    path = Path(raw)
    try:
        path.exists()
    except OSError as exc:
        message = f"TEMPLATE: cannot read it ({exc.strerror or exc}); got {shown(raw)}"
        raise InputError(message) from None
    return path


def parse_parameters(raw: list[str], example: str = "RetentionDays=35") -> dict[str, str]:
    """``KEY=VALUE`` items as a dict; a malformed item is an :class:`InputError` (exit 2)."""
    values: dict[str, str] = {}
    for item in raw:
        match = _PARAM.match(item)
        if match is None:
            raise InputError(f"--parameters: got {shown(item)}; write KEY=VALUE, e.g. {example}")
        values[match.group(1)] = match.group(2)
    return values


def split_parameters(
    templates: list[str], parameters: list[str]
) -> tuple[list[Path], dict[str, str]]:
    """``--parameters A=1 B=2`` leaves ``B=2`` among the templates: take it back."""
    values = parse_parameters(parameters)
    paths: list[Path] = []
    for raw in templates:
        match = _PARAM.match(raw)
        if parameters and match is not None and not _is_file(raw):
            values[match.group(1)] = match.group(2)
        else:
            paths.append(_template_path(raw))
    if not paths:
        raise typer.BadParameter("give at least one template", param_hint="TEMPLATE")
    return paths, values


def parameters_option(help: str, metavar: str = "KEY=VALUE...") -> Any:
    """The ``--parameters`` / ``-p`` option, for ``Annotated[list[str] | None, ...]``."""
    return typer.Option("--parameters", "-p", metavar=metavar, help=help)


# The options that place a deploy, shared by `policy`, `preflight` and `explain`: each names
# what fills the ARNs and generated names it derives (a part not given: see each command's help).
TemplatesArg = Annotated[
    list[str],
    typer.Argument(metavar="TEMPLATE", help="Template files, folders or cdk.out directories."),
]
RegionOption = Annotated[
    str | None,
    typer.Option(help="Region whose schemas to use (default us-east-1) and ARN Region."),
]
AccountOption = Annotated[str | None, typer.Option(help="12-digit account id for ARNs.")]
PartitionOption = Annotated[
    str | None, typer.Option(help="Partition for ARNs: aws, aws-cn, aws-us-gov...")
]
StackNameOption = Annotated[
    str | None, typer.Option(help="Stack name, for generated names <stack>-<LogicalId>-*.")
]


# The config option of the commands that build the strategy (`synth`, `report`).
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="The vaultplan.toml to read. Default: ./vaultplan.toml if present, else the "
        "built-in defaults (preset daily-monthly for a new EFS file system).",
        show_default=False,
    ),
]
# The storage model of the commands that simulate (`simulate`, `report`).
SizeGibOption = Annotated[
    float, typer.Option("--size-gib", help="Size of each protected resource (GiB).")
]
DailyChangeOption = Annotated[
    float,
    typer.Option("--daily-change-percent", help="Share of the data that changes a day (%)."),
]
