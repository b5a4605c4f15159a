"""The `Portfolio` sheet: the change load per unit and week across every initiative of the
file, and the collisions, to read (not imported). Written when the file holds more than one
initiative."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from planner.domain.plan import Plan
from planner.domain.wording import plural
from planner.services.excel.cells import TextGuard, safe_value, strong, text_cell
from planner.services.excel.export import SheetWriter
from planner.services.excel.print_setup import set_print
from planner.services.portfolio import Portfolio

TITLE = "Portfolio"
SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning", "info": "Note"}
OVER = PatternFill("solid", fgColor="F4C7A8")


def portfolio_writer(portfolio: Portfolio) -> SheetWriter:
    def write(wb: Workbook, plan: Plan, today: date, warnings: list[str]) -> None:
        write_portfolio(wb, portfolio, plan, warnings)

    return write


def write_portfolio(wb: Workbook, portfolio: Portfolio, plan: Plan, warnings: list[str]) -> None:
    guard = TextGuard(warnings, truncate=True)
    ws = wb.create_sheet(TITLE)
    weeks = [w.isocalendar() for w in portfolio.weeks]
    widths = [28.0, 10.0, 10.0, *(7.0 for _ in weeks)]
    set_print(ws, plan.initiative.name, widths, title_rows=None)
    heading = text_cell(
        ws, f"Change load across {plural(len(portfolio.initiatives), 'initiative')}"
    )
    heading.font = Font(bold=True, size=14)
    ws.append([heading])
    names = "; ".join(i.name for i in portfolio.initiatives)
    ws.append(
        [
            text_cell(
                ws,
                "Points per unit and ISO week from every initiative of the file (go-lives, "
                "training, communications, impact), against each unit's capacity; "
                "this sheet is not imported.",
            )
        ]
    )
    ws.append([safe_value(ws, guard.clean(names, "Portfolio initiatives"))])
    ws.append([])
    ws.append(
        [
            strong(ws, "Unit"),
            strong(ws, "Headcount"),
            strong(ws, "Capacity"),
            *(strong(ws, f"{year}-W{week:02d}") for year, week, _ in weeks),
        ]
    )
    for unit_load in portfolio.units:
        if unit_load.peak <= 0:
            continue
        cells: list[Any] = []
        for week in unit_load.weeks:
            if week.over:
                cell = text_cell(ws, "")
                cell.value = week.load
                cell.data_type = "n"
                cell.fill = OVER
                cells.append(cell)
            else:
                cells.append(week.load or None)
        ws.append(
            [
                safe_value(ws, guard.clean(unit_load.unit.name, "Portfolio unit")),
                unit_load.unit.headcount,
                unit_load.unit.capacity,
                *cells,
            ]
        )
    ws.append([])
    ws.append([strong(ws, h) for h in ("Severity", "Finding", "What to do", "Rule")])
    for finding in portfolio.findings:
        ws.append(
            [
                SEVERITY_LABELS.get(finding.severity, finding.severity),
                safe_value(ws, guard.clean(finding.message, "Portfolio finding")),
                safe_value(ws, guard.clean(finding.action, "Portfolio action")),
                finding.rule,
            ]
        )
