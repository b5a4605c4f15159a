"""The export entry point the CLI and the window use: a stored initiative to a workbook."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from planner.services import portfolio
from planner.services.excel.chart_images import (
    ChartDrawer,
    PictureSource,
    draw_pictures,
    read_plan,
)
from planner.services.excel.export import ExportResult, SheetWriter, check_target, export_plan
from planner.services.excel.progress import Progress
from planner.services.planning import PlanService
from planner.services.portfolio import Portfolio


def extra_sheets(
    *,
    charts: bool = True,
    pictures: PictureSource = draw_pictures,
    portfolio: Portfolio | None = None,
) -> list[tuple[str, SheetWriter]]:
    """Sheets for reading only, after the data sheets; charts are optional (they take time).

    The Portfolio sheet (every initiative of the file) comes with a file of several.
    """
    from planner.services.excel.readiness_sheet import write_readiness

    sheets: list[tuple[str, SheetWriter]] = [("Readiness", write_readiness)]
    if portfolio is not None and len(portfolio.initiatives) > 1:
        from planner.services.excel.portfolio_sheet import portfolio_writer

        sheets.append(("Portfolio", portfolio_writer(portfolio)))
    if charts:
        from planner.services.excel.charts_sheet import charts_writer

        sheets.append(("Charts", charts_writer(pictures)))
    return sheets


def export_initiative(
    service: PlanService,
    initiative_id: str,
    path: Path,
    *,
    today: date | None = None,
    charts: bool = True,
    progress: Progress | None = None,
) -> ExportResult:
    """The charts (and the records' fingerprints) are made alongside the cells, in a child
    process, when the plan is large."""
    progress = progress or Progress(what="the export")
    check_target(Path(path))
    today = today or date.today()
    drawer = ChartDrawer.start(service.db.path, initiative_id, today) if charts else None
    try:
        progress.step(0.0, "Reading the plan")
        plan, read_at = read_plan(service, initiative_id)
        whole = portfolio.read(service) if len(service.initiatives()) > 1 else None
        pictures: PictureSource = (
            draw_pictures
            if drawer is None
            else partial(drawer.pictures, read_at=read_at, progress=progress)
        )
        return export_plan(
            plan,
            path,
            today=today,
            progress=progress,
            extra_sheets=extra_sheets(charts=charts, pictures=pictures, portfolio=whole),
            fingerprints=drawer.fingerprints if drawer is not None else None,
        )
    finally:
        if drawer is not None:
            drawer.close()
