"""The portfolio: the change load on each organisational unit per week across every
initiative of a file, against the unit's capacity, and the collisions it shows.

The service API for the command line, the chart, the workbook and the window:

- `compute(plans, units, start=, end=)` -> `Portfolio` (pure, no database);
- `read(service, start=, end=)` -> `Portfolio`, every initiative of the file read once.

The load model's weights are in `model.Weights`, explained in the README.
"""

from __future__ import annotations

from planner.services.portfolio.build import compute, read
from planner.services.portfolio.model import (
    RULES,
    WEIGHTS,
    GoLive,
    LoadItem,
    Portfolio,
    Rules,
    UnitLoad,
    WeekLoad,
    Weights,
    week_key,
)

__all__ = [
    "RULES",
    "WEIGHTS",
    "GoLive",
    "LoadItem",
    "Portfolio",
    "Rules",
    "UnitLoad",
    "WeekLoad",
    "Weights",
    "compute",
    "read",
    "week_key",
]
