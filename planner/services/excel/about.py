"""The workbook's first sheet: what the file is, how to edit it, and every column explained."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from planner.domain.plan import Plan
from planner.services.excel.cells import TextGuard, strong, text_cell
from planner.services.excel.layout import layouts
from planner.services.excel.metadata import META_SHEET, ExportInfo
from planner.services.excel.print_setup import set_print

EDITING_RULES = (
    "Edit values in the data sheets. Keep each sheet's header row; columns may be reordered.",
    (
        "To add a record, add a row and leave its ID blank: the import gives it an ID, and "
        "recognises it by name if the plan already has it."
    ),
    (
        "To change a link (an audience, a session's course), edit the readable column "
        "(for example ‘Audience’); the import follows the names when they no longer match the IDs."
    ),
    "Use the dropdowns where a column has fixed values; type dates as YYYY-MM-DD.",
    (
        "Deleting a row does not delete the record on import unless removal is asked for "
        "(planner import --prune, or the import dialog's checkbox)."
    ),
    (
        "Keep the sheet names. The Readiness, Charts and Portfolio sheets are for reading and "
        "are not imported; the Units sheet is the whole file's register, shared by every "
        f"initiative; the hidden sheet {META_SHEET} lets the import spot conflicting edits."
    ),
)


def write_about(wb: Workbook, plan: Plan, info: ExportInfo, guard: TextGuard) -> None:
    ws = wb.create_sheet("About")
    # Prose is not wrapped: unwrapped text flows over the empty cells to its right in every
    # program, while wrapped text needs row heights that not every program recomputes.
    widths = (20, 28, 80, 60, 10)
    for letter, width in zip("ABCDE", widths, strict=True):
        ws.column_dimensions[letter].width = width
    set_print(ws, plan.initiative.name, list(widths), title_rows=None, gridlines=False)
    title = text_cell(ws, "Change Readiness Planner — plan export")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    name = guard.clean(plan.initiative.name, "Initiative name")
    stamp = info.exported_at.strftime("%Y-%m-%d %H:%M UTC")
    for label, value in (
        ("Initiative", name),
        ("Exported", stamp),
        ("Planner version", info.app_version),
        ("Export ID", info.export_id),
        ("Format version", str(info.format_version)),
    ):
        ws.append([strong(ws, label), text_cell(ws, value)])
    ws.append([])
    ws.append(
        [
            strong(ws, "What this is"),
            text_cell(ws, "The whole plan of one initiative, one sheet per kind of record."),
        ]
    )
    ws.append(
        [
            None,
            text_cell(
                ws,
                "Edit it in Excel or LibreOffice Calc and import it back with "
                "File → Import from Excel or `planner import`;",
            ),
        ]
    )
    ws.append([None, text_cell(ws, "the import shows every change before applying it.")])
    ws.append([])
    ws.append([strong(ws, "How to edit it safely")])
    for rule in EDITING_RULES:
        ws.append([None, text_cell(ws, "• " + rule)])
    ws.append([])
    ws.append([strong(ws, "Data dictionary")])
    ws.append(
        [
            strong(ws, heading)
            for heading in ("Sheet", "Column", "Meaning", "Allowed values", "Required")
        ]
    )
    for sheet in layouts():
        for column in sheet.columns:
            ws.append(
                [
                    text_cell(ws, sheet.title),
                    text_cell(ws, column.header),
                    text_cell(ws, column.meaning),
                    text_cell(ws, column.allowed),
                    text_cell(ws, "yes" if column.required else ""),
                ]
            )
