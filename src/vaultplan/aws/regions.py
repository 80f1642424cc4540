"""Which CloudFormation resource types of AWS Backup exist in which Regions.

From the bundled ``vaultplan/aws/data/backup_type_regions.json``, read from cfn-lint's
per-Region provider schemas (source and date inside; ``scripts/backup_type_regions.py``
rebuilds it). In several Regions (``cn-*``, GovCloud, ``ca-west-1``, ``il-central-1``,
``mx-central-1``...) ``AWS::Backup::Framework``, ``AWS::Backup::ReportPlan`` or
``AWS::Backup::RestoreTestingPlan`` don't exist, and a stack holding one fails there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from vaultplan.aws import data_files

__all__ = [
    "known_regions",
    "missing_regions",
    "region_types",
    "regions_lacking",
    "type_exists_somewhere",
]


def _data() -> dict[str, Any]:
    return data_files.load("backup_type_regions.json")


def known_regions() -> tuple[str, ...]:
    """Every Region cfn-lint knows, sorted."""
    return tuple(_data()["regions"])


def missing_regions(resource_type: str) -> tuple[str, ...]:
    """The Regions where ``resource_type`` (``AWS::Backup::Framework``...) doesn't exist.

    A type outside the bundled ``AWS::Backup::*`` list gives ``()`` (not known to be missing).
    """
    entry = _data()["types"].get(resource_type)
    return () if entry is None else tuple(entry["missing_in"])


def regions_lacking(
    resource_types: Iterable[str], region: str | None = None
) -> dict[str, tuple[str, ...]]:
    """Type -> the Regions that lack it, for the types some Region lacks, in type order.

    With ``region``, only that Region counts: the types it lacks, each with ``(region,)``. A
    Region cfn-lint doesn't know is not judged.
    """
    out: dict[str, tuple[str, ...]] = {}
    for resource_type in sorted(set(resource_types)):
        missing = missing_regions(resource_type)
        if region is not None:
            missing = (region,) if region in missing else ()
        if missing:
            out[resource_type] = missing
    return out


@lru_cache(maxsize=8)
def region_types(region: str) -> frozenset[str] | None:
    """Every CloudFormation resource type of ``region``, from cfn-lint's provider index for it
    (``cfnlint/data/schemas/providers/<region>.json``); None for a Region cfn-lint doesn't know.

    Read only when asked (one file of about 60 kB), without importing cfn-lint.
    """
    if region not in known_regions():
        return None
    spec = find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        return None
    index = Path(spec.submodule_search_locations[0]) / "data/schemas/providers" / f"{region}.json"
    try:
        types = json.loads(index.read_text())
    except (OSError, ValueError):
        return None
    return frozenset(types) if isinstance(types, dict) else None


@lru_cache(maxsize=1)
def _every_type() -> frozenset[str]:
    return frozenset().union(*(region_types(r) or frozenset() for r in known_regions()))


def type_exists_somewhere(resource_type: str) -> bool:
    """Whether some Region has ``resource_type``: a type no Region has is a typo or a macro's
    (replaced before CloudFormation creates anything), not a Region's gap. Reads us-east-1's
    index, which has nearly every type, and every Region's only for a type it lacks."""
    if resource_type in (region_types("us-east-1") or ()):
        return True
    return resource_type in _every_type()
