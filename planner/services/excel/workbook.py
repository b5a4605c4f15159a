"""The export entry point the CLI and the window use: a stored initiative to a workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner.services.excel.export import ExportResult, SheetWriter, export_plan
from planner.services.excel.progress import Progress
from planner.services.planning import PlanService


def extra_sheets(*, charts: bool = True) -> list[tuple[str, SheetWriter]]:
    """Sheets for reading only, after the data sheets; charts are optional (they take time)."""
    from planner.services.excel.readiness_sheet import write_readiness

    sheets: list[tuple[str, SheetWriter]] = [("Readiness", write_readiness)]
    if charts:
        from planner.services.excel.charts_sheet import write_charts

        sheets.append(("Charts", write_charts))
    return sheets


def export_initiative(service: PlanService, initiative_id: str, path: Path, *,
                      today: date | None = None, charts: bool = True,
                      progress: Progress | None = None) -> ExportResult:
    progress = progress or Progress(what="the export")
    progress.step(0.0, "Reading the plan")
    plan = service.plan(initiative_id)
    return export_plan(plan, path, today=today, progress=progress,
                       extra_sheets=extra_sheets(charts=charts))
