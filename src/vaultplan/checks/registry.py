"""The check registry: each check is a small function carrying its metadata.

A check takes a :class:`~vaultplan.checks.model.CheckContext` (one template) and yields an
:class:`~vaultplan.checks.finding.Issue` per non-compliant value and a
:class:`~vaultplan.checks.finding.NotApplicable` per value it can't decide. Yielding nothing
means compliant. Register one with :func:`check`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultplan.checks.finding import Issue, NotApplicable, Severity

if TYPE_CHECKING:
    from vaultplan.checks.model import CheckContext

__all__ = ["Check", "all_checks", "check", "get_check"]

_Fn = Callable[["CheckContext"], Iterable[Issue | NotApplicable]]

#: Modules that define checks; importing them registers their checks.
_CHECK_MODULES = (
    "vaultplan.checks.rules_errors",
    "vaultplan.checks.rules_warnings",
    "vaultplan.checks.coverage",
    "vaultplan.checks.overlap",
    "vaultplan.checks.copy_keys",
    "vaultplan.checks.runner",
)


@dataclass(frozen=True)
class Check:
    """A check and its metadata (the catalogue ``docs/checks.md`` is generated from it)."""

    id: str
    severity: Severity
    shortdesc: str
    explanation: str
    source_url: str
    func: _Fn

    def run(self, ctx: CheckContext) -> Iterable[Issue | NotApplicable]:
        return self.func(ctx)


_REGISTRY: dict[str, Check] = {}


def check(
    id: str, severity: Severity, shortdesc: str, explanation: str, source_url: str
) -> Callable[[_Fn], _Fn]:
    """Register the decorated function as check ``id`` (ids are unique)."""

    def register(func: _Fn) -> _Fn:
        if id in _REGISTRY and _REGISTRY[id].func is not func:
            raise ValueError(f"check id {id} is registered twice")
        _REGISTRY[id] = Check(id, severity, shortdesc, explanation, source_url, func)
        return func

    return register


def all_checks() -> list[Check]:
    """Every registered check, by id."""
    for module in _CHECK_MODULES:
        importlib.import_module(module)
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get_check(check_id: str) -> Check:
    all_checks()
    return _REGISTRY[check_id]
