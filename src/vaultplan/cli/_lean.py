"""A typer command class whose plain options skip typer's pydantic-based coercion.

typer 0.29 coerces every non-flag option through a pydantic ``TypeAdapter``: the first
sub-command option processed imports pydantic and builds adapters, about 0.25 s, which is
more than the CLI's whole start-up (``vaultplan --version`` needs none of it). For options
annotated ``str``, ``int``, ``float``, ``Path`` (optional or not), an ``Enum`` of choices, and
lists of them, the conversion is one call, done here; any other annotation keeps typer's own
coercion. A float option takes finite numbers only. An error names what is allowed and the
value given (``expected an integer; got 'x'``, ``use one of json, table; got 'xml'``); the
CLI's error boundary prefixes the option.

Every command of :data:`vaultplan.cli.app` is a :class:`LeanCommand`; the root is a
:class:`LeanGroup`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import Context
from typer._click.core import Command as _Command
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam
from typer.core import TyperCommand, TyperGroup, _TyperParameter

from vaultplan.errors import shown

__all__ = ["LeanCommand", "LeanGroup"]

_NAMES = {int: "an integer", float: "a number", bool: "true or false", Path: "a path"}
_PLAIN = (str, int, float, bool, Path)


@dataclass(frozen=True)
class _PlainParam(RuntimeParam):
    target: type

    def _one(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        try:
            out = value if isinstance(value, self.target) else self.target(value)
        except (TypeError, ValueError):
            kind = _NAMES.get(self.target, self.target.__name__)
            raise BadParameter(
                f"expected {kind}; got {shown(value)}", ctx=ctx, param=param
            ) from None
        if isinstance(out, float) and not math.isfinite(out):
            # Every float option is finite: ``1e309`` is inf to float(), and nan passes any
            # comparison a command makes.
            raise BadParameter(
                f"expected a finite number; got {shown(value)}", ctx=ctx, param=param
            )
        return out

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if isinstance(value, list | tuple):
            return [self._one(v, param, ctx) for v in value]
        return self._one(value, param, ctx)


@dataclass(frozen=True)
class _ChoiceParam(RuntimeParam):
    choices: tuple[Enum, ...]

    def _one(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        for choice in self.choices:
            if value is choice or value == choice.value:
                return choice
        allowed = ", ".join(str(c.value) for c in self.choices)
        raise BadParameter(f"use one of {allowed}; got {shown(value)}", ctx=ctx, param=param)

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if isinstance(value, list | tuple):
            return [self._one(v, param, ctx) for v in value]
        return self._one(value, param, ctx)


def _plain_target(annotation: Any) -> type | None:
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation) or (None,)
    return annotation if annotation in _PLAIN else None


def _make_plain(params: list[Any]) -> None:
    for param in params:
        if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
            continue
        descriptor = param.type_descriptor
        choices = descriptor.choices
        if choices and all(isinstance(c, Enum) for c in choices):
            param._runtime_param = _ChoiceParam(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                choices=tuple(choices),
            )
            continue
        target = _plain_target(descriptor.annotation)
        if (
            target is not None
            and not descriptor.is_file
            and not descriptor.is_ranged
            and not descriptor.is_choice
        ):
            param._runtime_param = _PlainParam(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                target=target,
            )


class _Lean(_Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _make_plain(self.params)

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        _make_plain([option])
        return option


class LeanCommand(_Lean, TyperCommand):
    """A :class:`typer.core.TyperCommand` with pydantic-free coercion of plain options."""


class LeanGroup(_Lean, TyperGroup):
    """The root group's own options (``--help``, ``--version``) without pydantic: typer
    processes them before every sub-command, so without this each sub-command pays for
    pydantic whatever its own options are."""
