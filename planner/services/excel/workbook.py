"""The export entry point the CLI and the window use: a stored initiative to a workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner.services.excel.export import ExportResult, SheetWriter, export_plan
from planner.services.excel.progress import Progress
from planner.services.planning import PlanService


def extra_sheets() -> list[tuple[str, SheetWriter]]:
    """Sheets for reading only, after the data sheets."""
    return []


def export_initiative(service: PlanService, initiative_id: str, path: Path, *,
                      today: date | None = None,
                      progress: Progress | None = None) -> ExportResult:
    progress = progress or Progress(what="the export")
    progress.step(0.0, "Reading the plan")
    plan = service.plan(initiative_id)
    return export_plan(plan, path, today=today, progress=progress, extra_sheets=extra_sheets())
