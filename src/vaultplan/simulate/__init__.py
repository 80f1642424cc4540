"""``vaultplan simulate``: the recovery points a backup plan keeps, its achieved RPO and its
monthly bill, projected over time from a template, offline."""

from __future__ import annotations

from vaultplan.simulate.cost import monthly_costs
from vaultplan.simulate.engine import ScheduledPoint, SkippedBackup, copy_points, schedule_points
from vaultplan.simulate.options import SimulationOptions
from vaultplan.simulate.plan import (
    BackupPlanModel,
    CopyTarget,
    PlanRule,
    ProtectedResource,
    load_plans,
)
from vaultplan.simulate.pricing import PriceTable, TierPrices, load_prices
from vaultplan.simulate.result import (
    CopySimulation,
    DailyStorage,
    DayStorage,
    MonthCost,
    RecoveryPoint,
    ResourceSimulation,
    RuleSummary,
    Simulation,
    max_gap_hours,
)
from vaultplan.simulate.run import MAX_DAYS, simulate, simulate_plan, validate_options
from vaultplan.simulate.storage import StorageModel, simulate_storage

__all__ = [
    "MAX_DAYS",
    "BackupPlanModel",
    "CopySimulation",
    "CopyTarget",
    "DailyStorage",
    "DayStorage",
    "MonthCost",
    "PlanRule",
    "PriceTable",
    "ProtectedResource",
    "RecoveryPoint",
    "ResourceSimulation",
    "RuleSummary",
    "ScheduledPoint",
    "Simulation",
    "SimulationOptions",
    "SkippedBackup",
    "StorageModel",
    "TierPrices",
    "copy_points",
    "load_plans",
    "load_prices",
    "max_gap_hours",
    "monthly_costs",
    "schedule_points",
    "simulate",
    "simulate_plan",
    "simulate_storage",
    "validate_options",
]
