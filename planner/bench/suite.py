"""What is measured, against which floor and which target (the issue's table, row by row)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.bench.harness import Measurement, Result

STARTUP_RATIO = 1.5
OPEN_RATIO = 3.0
EXPORT_RATIO = 1.5
IMPORT_RATIO = 2.5
READINESS_SECONDS = 0.1
BLOCKING_SECONDS = 0.1
PEAK_MB = 300.0


@dataclass(frozen=True)
class Files:
    demo: Path
    large: Path
    work: Path


def available(module: str) -> bool:
    """Whether a feature has landed (its module exists), without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def measurements(files: Files) -> list[Measurement]:
    demo, large = str(files.demo), str(files.large)
    return [
        Measurement("startup.demo", "start-up to main window painted, demo plan",
                    ("startup-app", demo), ("startup-floor", demo),
                    max_ratio=STARTUP_RATIO, warmup=True),
        Measurement("startup.large", "start-up to main window painted, large plan",
                    ("startup-app", large), ("startup-floor", large),
                    max_ratio=STARTUP_RATIO, max_peak_mb=PEAK_MB, warmup=True),
        Measurement("open.large", "open the large plan, stakeholder table painted",
                    ("open-app", large), ("open-floor", large), max_ratio=OPEN_RATIO),
        Measurement("load.large", "read the whole large plan (PlanService.plan)",
                    ("load-plan", large), ("load-plan-floor", large)),
    ]


def annotate(results: Sequence[Result]) -> None:
    """Notes that relate rows to each other (the readiness check's share of start-up)."""
    by_key = {r.key: r for r in results}
    startup = by_key.get("startup.large")
    readiness = by_key.get("readiness.large")
    if startup and readiness and startup.median_s and readiness.median_s:
        share = readiness.median_s / startup.median_s
        readiness.note = f"{share:.0%} of the large plan's start-up"
