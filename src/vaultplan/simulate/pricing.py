"""Backup storage prices (USD per GB-month) by region and resource type, with their sources.

The bundled table is ``vaultplan/aws/data/prices.json``; ``--prices FILE`` replaces it with a file
of the same shape::

    {"regions": {"us-east-1": {"efs": {"warm": 0.05, "cold": 0.01, "source": "...",
                                       "date": "2026-11-28"}}}}

``cold`` may be left out for types without cold storage. AWS bills "GB" for 2^30 bytes, so
prices per GB-month apply to GiB as they are. An optional top-level
``"cross_region_transfer": {"usd_per_gb": 0.02, "source": "...", "date": "..."}`` prices the
data copy jobs move to another Region; without it, that transfer is not priced.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultplan.errors import InputError, shown

__all__ = [
    "MAX_PRICE_USD",
    "PriceSource",
    "PriceTable",
    "TierPrices",
    "TransferPrice",
    "load_prices",
    "price_key",
]

#: The highest price taken, in USD per GB(-month): today's are cents; a bound keeps every
#: cost finite (a price of 1e308 times any size overflows to infinity).
MAX_PRICE_USD = 1_000_000

#: The price table's key for each resource type.
_KEYS = {
    "AWS::EFS::FileSystem": "efs",
    "AWS::EC2::Volume": "ebs",
    "AWS::RDS::DBInstance": "rds",
    "AWS::RDS::DBCluster": "rds",
    "AWS::DynamoDB::Table": "dynamodb",
}


def price_key(resource_type: str) -> str:
    return _KEYS.get(resource_type, resource_type)


@dataclass(frozen=True)
class PriceSource:
    """Where a price was read: its ``source`` (a page, or the prices file) and ``date``."""

    source: str
    date: str = ""

    @classmethod
    def of(cls, entry: Mapping[str, Any], origin: str) -> PriceSource:
        """The ``source`` and ``date`` of a price entry; its file when it names no source."""
        return cls(str(entry.get("source", origin)), str(entry.get("date", "")))

    def citation(self) -> str:
        """``source, date``, or the source alone when undated."""
        return f"{self.source}, {self.date}" if self.date else self.source


@dataclass(frozen=True)
class TierPrices:
    """USD per GB-month in each tier (``cold`` None when the table gives none)."""

    warm: float
    cold: float | None
    cited: PriceSource


@dataclass(frozen=True)
class TransferPrice:
    """USD per GB a copy job moves to another Region."""

    usd_per_gb: float
    cited: PriceSource


@dataclass(frozen=True)
class PriceTable:
    origin: str  # "bundled" or the file's path
    regions: Mapping[str, Mapping[str, TierPrices]]
    transfer: TransferPrice | None = None
    """Cross-Region data transfer of copy jobs; None when the table gives no price."""

    def lookup(self, region: str, resource_type: str) -> TierPrices | None:
        return self.regions.get(region, {}).get(price_key(resource_type))


def _number(value: Any, where: str, origin: str, unit: str = "GB-month") -> float:
    """A price: a finite number from 0 to :data:`MAX_PRICE_USD` (JSON's ``NaN``,
    ``Infinity`` and ``1e400`` are refused, so every cost stays a finite number)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value <= MAX_PRICE_USD
    ):
        raise InputError(
            f"--prices: {origin}: {where}: got {shown(value)}; expected a price in USD per "
            f"{unit}, a finite number from 0 to {MAX_PRICE_USD:,}"
        )
    return float(value)


def _transfer(data: Mapping[str, Any], origin: str) -> TransferPrice | None:
    entry = data.get("cross_region_transfer")
    if entry is None:
        return None
    if not isinstance(entry, Mapping) or "usd_per_gb" not in entry:
        raise InputError(
            f"--prices: {origin}: cross_region_transfer: got {entry!r}; expected "
            '{"usd_per_gb": 0.02, "source": "..."}'
        )
    return TransferPrice(
        usd_per_gb=_number(entry["usd_per_gb"], "cross_region_transfer.usd_per_gb", origin, "GB"),
        cited=PriceSource.of(entry, origin),
    )


def _parse(data: Any, origin: str) -> PriceTable:
    regions = data.get("regions") if isinstance(data, Mapping) else None
    if not isinstance(regions, Mapping) or not regions:
        raise InputError(
            f"--prices: {origin}: got no 'regions' map; expected "
            '{"regions": {"us-east-1": {"efs": {"warm": 0.05, "cold": 0.01}}}}'
        )
    table: dict[str, dict[str, TierPrices]] = {}
    for region, types in regions.items():
        if not isinstance(types, Mapping):
            raise InputError(
                f"--prices: {origin}: regions.{region}: got {types!r}; expected a map of "
                "resource types (efs, ebs, rds, dynamodb) to prices"
            )
        table[region] = {}
        for key, entry in types.items():
            where = f"regions.{region}.{key}"
            if not isinstance(entry, Mapping) or "warm" not in entry:
                raise InputError(
                    f"--prices: {origin}: {where}: got {entry!r}; expected a map with 'warm' "
                    "(and 'cold') in USD per GB-month"
                )
            cold = entry.get("cold")
            table[region][key] = TierPrices(
                warm=_number(entry["warm"], f"{where}.warm", origin),
                cold=None if cold is None else _number(cold, f"{where}.cold", origin),
                cited=PriceSource.of(entry, origin),
            )
    return PriceTable(origin, table, _transfer(data, origin))


def load_prices(path: Path | None = None) -> PriceTable:
    """The bundled prices, or those of ``path`` (``--prices``); InputError if unreadable."""
    if path is None:
        # Beside the package (not importlib.resources: it costs more to import than the
        # whole simulation of a year, and vaultplan is never run from a zip).
        text = (Path(__file__).parent.parent / "aws" / "data" / "prices.json").read_text("utf-8")
        return _parse(json.loads(text), "bundled")
    from vaultplan.template.nesting import loads_json
    from vaultplan.template.text import read_text

    text = read_text(path, "--prices")
    try:
        data = loads_json(text, "--prices", path)
    except ValueError as exc:
        raise InputError(f"--prices: {path} is not valid JSON: {exc}") from exc
    return _parse(data, str(path))
