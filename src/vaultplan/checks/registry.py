"""The check registry: each check is a small function carrying its metadata.

A check takes a :class:`~vaultplan.checks.model.CheckContext` (one template) and yields an
:class:`~vaultplan.checks.finding.Issue` per non-compliant value and a
:class:`~vaultplan.checks.finding.NotApplicable` per value it can't decide. Yielding nothing
means compliant. Register one with :func:`check`; importing :mod:`vaultplan.checks` imports
every module that defines checks. Ids are unique: registering one twice fails at import.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.errors import InputError

if TYPE_CHECKING:
    from vaultplan.checks.model import CheckContext

__all__ = [
    "CRASH",
    "DEVGUIDE",
    "Check",
    "DuplicateCheckError",
    "all_checks",
    "check",
    "get_check",
    "known_ids",
    "parse_check_ids",
    "register",
]

_Fn = Callable[["CheckContext"], Iterable[Issue | NotApplicable]]
#: ``VP`` and three digits: ``VP0xx`` vaultplan's own, ``VP1xx`` errors, ``VP2xx`` warnings,
#: ``VP3xx`` information.
CHECK_ID = re.compile(r"VP[0-9]{3}")
#: The AWS Backup Developer Guide, which most checks cite.
DEVGUIDE = "https://docs.aws.amazon.com/aws-backup/latest/devguide/"


class DuplicateCheckError(ValueError):
    """A check id registered twice (raised at import of the second module)."""


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


def register(entry: Check) -> Check:
    """Add ``entry`` to the registry; a malformed or already registered id raises."""
    if not CHECK_ID.fullmatch(entry.id):
        raise ValueError(f"check id: got {entry.id!r}; a check id is VP and three digits")
    if entry.id in _REGISTRY:
        first = _REGISTRY[entry.id].func
        raise DuplicateCheckError(
            f"check id {entry.id} is registered twice: by {first.__module__}.{first.__qualname__} "
            f"and by {entry.func.__module__}.{entry.func.__qualname__}"
        )
    _REGISTRY[entry.id] = entry
    return entry


@cache
def _metadata() -> dict[str, dict[str, str]]:
    """``metadata.toml``: each check's severity, shortdesc, explanation and source_url."""
    text = resources.files("vaultplan.checks").joinpath("metadata.toml").read_text()
    return tomllib.loads(text)


def check(
    id: str,
    severity: Severity | None = None,
    shortdesc: str | None = None,
    explanation: str | None = None,
    source_url: str | None = None,
) -> Callable[[_Fn], _Fn]:
    """Register the decorated function as check ``id`` (ids are unique).

    ``@check("VP102")`` takes the check's metadata from ``metadata.toml``; metadata given
    here in full is used instead.
    """
    if severity is None or shortdesc is None or explanation is None or source_url is None:
        meta = _metadata().get(id)
        if meta is None:
            raise ValueError(f"check id: got {id!r}; metadata.toml has no [{id}] table")
        severity = Severity(meta["severity"])
        shortdesc, explanation, source_url = (
            meta["shortdesc"],
            meta["explanation"],
            meta["source_url"],
        )
    entry = (id, severity, shortdesc, explanation, source_url)

    def decorate(func: _Fn) -> _Fn:
        register(Check(*entry, func))
        return func

    return decorate


def _finds_nothing(ctx: CheckContext) -> Iterable[Issue | NotApplicable]:
    """VP001 is reported by the runner, for another check; on its own it finds nothing."""
    return ()


#: What the runner reports when a check raises: one error finding naming the check and the
#: exception, on that template; the other checks' results still stand.
CRASH = register(
    Check(
        "VP001",
        Severity.ERROR,
        "A check crashed on this template",
        "vaultplan's own failure, reported so that the other checks' results still stand. The "
        "message names the check and the exception; please report it with the template.",
        DEVGUIDE + "whatisbackup.html",
        _finds_nothing,
    )
)


def all_checks() -> list[Check]:
    """Every registered check, by id."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get_check(check_id: str) -> Check:
    return _REGISTRY[check_id]


def known_ids() -> frozenset[str]:
    """The ids of every registered check."""
    return frozenset(_REGISTRY)


def parse_check_ids(values: Iterable[str], field: str = "ignore_checks") -> frozenset[str]:
    """Check ids from ``values``, each one id or several separated by commas (``VP204,VP207``).

    Raises :class:`~vaultplan.errors.InputError` naming ``field`` for an id no check has.
    """
    ids: set[str] = set()
    for value in values:
        for part in value.split(","):
            item = part.strip().upper()
            if not item:
                continue
            if item not in _REGISTRY:
                raise InputError(
                    f"{field}: got {part.strip()!r}, not a check id (known: "
                    f"{', '.join(sorted(_REGISTRY))})"
                )
            ids.add(item)
    return frozenset(ids)
