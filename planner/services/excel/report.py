"""The import's plan and problems, as lines for a terminal and as a workbook to save."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from planner.domain.quoting import shown
from planner.services.excel.cells import ExportError, TextGuard, safe_value, text_cell
from planner.services.excel.preview import ImportPreview, Status
from planner.services.excel.saving import save_workbook


def summary_lines(preview: ImportPreview, limit: int = 40) -> list[str]:
    lines = []
    where = "new initiative" if not preview.initiative_exists else "existing initiative"
    lines.append(f"Import of {preview.path.name} into ‘{shown(preview.initiative_name)}’ ({where})")
    for sheet in preview.sheets:
        counts = sheet.counts()
        parts = [f"{n} {status.value}" for status, n in counts.items() if n]
        lines.append(f"  {sheet.title}: {', '.join(parts) or 'no rows'}")
    changed = preview.rows(Status.NEW, Status.CHANGED, Status.CONFLICT, Status.DELETED)
    for row in changed[:limit]:
        place = f"{row.sheet} row {row.row}" if row.row else row.sheet
        lines.append(f"  {row.status.value}: {place} ‘{shown(row.title)}’")
        for change in row.changes:
            lines.append(f"      {change.label}: ‘{shown(change.old)}’ → ‘{shown(change.new)}’")
    if len(changed) > limit:
        lines.append(f"  … and {len(changed) - limit} more changed rows (see --report)")
    problems = preview.problems
    for problem in problems[:limit]:
        lines.append(f"{problem.severity.value}: {problem}")
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more problems (save them all with --report)")
    return lines


HEADERS = ("Severity", "Sheet", "Row", "Column", "Header", "Found", "Expected", "Problem")
CHANGE_HEADERS = ("Status", "Sheet", "Row", "Record", "Field", "Old value", "New value", "Note")


def save_report(preview: ImportPreview, path: Path) -> Path:
    """Problems and planned changes as .xlsx, under the export's injection rules."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"{path.name}: the report file name must end in .xlsx")
    wb = Workbook(write_only=True)
    guard = TextGuard([], truncate=True)
    bold = Font(bold=True)

    def header(ws: Any, titles: tuple[str, ...]) -> None:
        cells = []
        for title in titles:
            cell = text_cell(ws, title)
            cell.font = bold
            cells.append(cell)
        ws.append(cells)
        ws.freeze_panes = "A2"

    def clean(ws: Any, value: Any) -> Any:
        if isinstance(value, str):
            return safe_value(ws, guard.clean(value, "report"))
        return value

    problems = wb.create_sheet("Problems")
    header(problems, HEADERS)
    for p in preview.problems:
        problems.append(
            [
                clean(problems, v)
                for v in (
                    p.severity.value,
                    p.sheet,
                    p.row,
                    p.column,
                    p.header,
                    p.found,
                    p.expected,
                    p.message,
                )
            ]
        )
    changes = wb.create_sheet("Changes")
    header(changes, CHANGE_HEADERS)
    for row in preview.rows(
        Status.NEW, Status.CHANGED, Status.CONFLICT, Status.DELETED, Status.INVALID
    ):
        base = [row.status.value, row.sheet, row.row, row.title]
        if not row.changes:
            changes.append([clean(changes, v) for v in (*base, None, None, None, row.note)])
        for change in row.changes:
            changes.append(
                [clean(changes, v) for v in (*base, change.label, change.old, change.new, row.note)]
            )
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        save_workbook(wb, partial)
        os.replace(partial, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return path
