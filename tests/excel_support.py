"""Helpers for the Excel exchange tests: export, edit like a person would, preview, apply."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from planner.services.excel.importer import apply_import, preview_import
from planner.services.excel.preview import ImportPreview, Status
from planner.services.excel.workbook import export_initiative
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY


def export(
    service: PlanService, path: Path, name: str | None = None, *, charts: bool = False
) -> Path:
    """Export as the planner does (charts only where a test looks at them: they take time)."""
    initiative = service.find_initiative(name)
    export_initiative(service, initiative.id, path, today=DEMO_TODAY, charts=charts)
    return path


def edit(source: Path, target: Path, change: Callable[[Workbook], None]) -> Path:
    """Open the workbook, change it and save it under a new name, as a person in Excel would."""
    wb = load_workbook(source)
    change(wb)
    wb.save(target)
    return target


def header_index(ws: Any, header: str) -> int:
    """1-based column of a header in row 1."""
    for cell in ws[1]:
        if cell.value == header:
            return int(cell.column)
    raise AssertionError(f"no column {header!r} in {ws.title}")


def row_of(ws: Any, column_header: str, value: Any) -> int:
    col = header_index(ws, column_header)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == value:
            return row
    raise AssertionError(f"no row with {column_header}={value!r} in {ws.title}")


def rewrite(
    wb: Workbook, title: str, transform: Callable[[list[list[Any]]], list[list[Any]]]
) -> None:
    """Replace a sheet by its values transformed (the way a person retypes or rearranges)."""
    ws = wb[title]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    index = wb.sheetnames.index(title)
    wb.remove(ws)
    fresh = wb.create_sheet(title, index)
    for row in transform(rows):
        fresh.append(row)


def preview(service: PlanService, path: Path, **options: Any) -> ImportPreview:
    return preview_import(service, path, **options)


def statuses(result: ImportPreview, sheet: str) -> dict[Status, int]:
    found = next((s for s in result.sheets if s.title == sheet), None)
    assert found is not None, f"no sheet {sheet} in the preview"
    return {k: v for k, v in found.counts().items() if v}


def only_changes(result: ImportPreview) -> list[tuple[str, Status, str]]:
    return [
        (r.sheet, r.status, r.title)
        for r in result.rows(
            Status.NEW, Status.CHANGED, Status.CONFLICT, Status.DELETED, Status.INVALID
        )
    ]


def sheet_xml(path: Path, title: str) -> str:
    """The XML of a worksheet, found through the workbook's relationships."""
    import re

    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="(rId\d+)"', workbook)
        assert rid, title
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
        )
        assert target
        name = target.group(1).lstrip("/")
        return archive.read(name if name.startswith("xl/") else f"xl/{name}").decode()


def data_of(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every data sheet's rows, sorted, for comparing two exports."""
    from planner.services.excel.layout import layouts

    wb = load_workbook(path, read_only=True)
    out = {}
    for sheet in layouts():
        rows = [
            r
            for r in wb[sheet.title].iter_rows(min_row=2, values_only=True)
            if any(v is not None for v in r)
        ]
        out[sheet.title] = sorted(rows, key=repr)
    wb.close()
    return out


__all__ = [
    "apply_import",
    "data_of",
    "edit",
    "export",
    "header_index",
    "only_changes",
    "preview",
    "rewrite",
    "row_of",
    "sheet_xml",
    "statuses",
]
