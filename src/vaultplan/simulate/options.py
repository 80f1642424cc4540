"""What a simulation is asked: the period, and the assumptions the template doesn't give.

``vaultplan simulate`` builds one :class:`SimulationOptions` from its options and passes it to
:func:`vaultplan.simulate.simulate`; the :class:`~vaultplan.simulate.result.Simulation` it
returns carries the same record, so the JSON's ``assumptions`` are what was asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vaultplan.simulate.storage import ColdCopy, StorageModel

__all__ = ["SimulationOptions"]


@dataclass(frozen=True, kw_only=True)
class SimulationOptions:
    """A simulation's period (``days`` days from ``start``, 00:00 UTC) and assumptions."""

    start: date
    days: int
    plan_id: str | None = None
    """Only this plan (its logical id); None: every plan of the template."""
    size_gib: float = 100.0
    """The size of each protected resource (GiB): what the first, full backup holds."""
    daily_change_percent: float = 1.0
    """The share of the data that changes a day (%)."""
    region: str = "us-east-1"
    """The stack's Region: its prices apply, and it is the template's ``AWS::Region``."""
    prices_file: Path | None = None
    """A prices JSON replacing the bundled one."""
    cold_copy: ColdCopy = "full"
    """How a cold point is billed: as a full copy, or as the increment it held."""
    parameters: Mapping[str, str] = field(default_factory=dict)
    """Template parameter values (``AWS::Region`` among them overrides ``region``)."""

    @property
    def storage_model(self) -> StorageModel:
        return StorageModel(self.size_gib, self.daily_change_percent, self.cold_copy)

    @property
    def template_values(self) -> dict[str, str]:
        """The values the template's ``Ref``s resolve to: the Region, then ``parameters``."""
        return {"AWS::Region": self.region, **self.parameters}
