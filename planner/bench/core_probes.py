"""Probes of the Qt-free core (plan loading, readiness, charts, Excel), and their floors.

Each runs in a fresh process. Imports of the libraries involved happen before
the clock starts, for the planner and its floor alike, so that the figures
compare the work itself; start-up cost is measured on its own.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from planner.domain.plan import Plan
from planner.persistence.database import open_database
from planner.services.planning import PlanService

# Every table one initiative's plan is read from (single-initiative files: all rows).
PLAN_TABLES = ("initiative", "stakeholder", "snapshot", "objective", "kpi", "measurement",
               "communication", "communication_audience", "course", "course_audience",
               "training_session", "attendance", "phase", "phase_scope", "gate_criterion",
               "tech_option", "criterion", "option_score", "risk", "risk_stakeholder")


def _plan(db: str) -> Plan:
    database = open_database(db)
    try:
        service = PlanService(database)
        return service.plan(service.find_initiative(None).id)
    finally:
        database.close()


def load_plan(db: str) -> dict[str, Any]:
    """Open the file and read the whole plan as domain records (`PlanService.plan`)."""
    started = time.perf_counter()
    plan = _plan(db)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "records": len(plan.all_records())}


def load_plan_floor(db: str) -> dict[str, Any]:
    """sqlite3 fetch of every row of the same tables."""
    started = time.perf_counter()
    connection = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    rows = sum(len(connection.execute(f"SELECT * FROM {table}").fetchall())
               for table in PLAN_TABLES)
    connection.close()
    return {"seconds": time.perf_counter() - started, "rows": rows}
