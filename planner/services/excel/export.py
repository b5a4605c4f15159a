"""Writing a plan as a workbook people can edit by hand and import back.

openpyxl's write-only mode streams rows to the file, so a plan of tens of
thousands of rows costs little more than the cells themselves. The workbook
is written to a temporary file beside the target and moved into place only
when complete: a failed or cancelled export never leaves half a file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from planner import __version__
from planner.domain.fields import FieldKind
from planner.domain.money import symbol
from planner.domain.plan import Plan
from planner.domain.records import Record
from planner.persistence.store import now
from planner.services.excel.about import write_about
from planner.services.excel.cells import ExportError, TextGuard, safe_value, text_cell
from planner.services.excel.formats import fields_rows
from planner.services.excel.layout import (
    BOOL_LABELS,
    REF_SEPARATOR,
    Column,
    Role,
    SheetLayout,
    layouts,
)
from planner.services.excel.metadata import (
    DEFINED_NAME,
    FORMAT_VERSION,
    META_SHEET,
    PROPERTY_PREFIX,
    ExportInfo,
    packed_fingerprints,
)
from planner.services.excel.print_setup import set_print, wrapped_height
from planner.services.excel.progress import Progress
from planner.services.excel.reading_order import ReadingOrder
from planner.services.excel.saving import save_workbook

DATE_FORMAT = "yyyy-mm-dd"


def money_format(currency: str | None) -> str:
    """An amount's number format in its initiative's currency: "€"#,##0.00, "SEK "#,##0.00."""
    if not currency:
        return "#,##0.00"
    mark = symbol(currency)
    gap = " " if mark.isalpha() else ""
    return f'"{mark}{gap}"#,##0.00'


# Long text wraps within its column and the row grows to show it, on screen and on paper.
WRAPPED = Alignment(wrap_text=True, vertical="top")
LONG_TEXT = 40
VALIDATION_SPARE_ROWS = 1000

# Extra sheets (readiness findings, chart images) plug in here: (title, writer).
SheetWriter = Callable[[Workbook, Plan, date, list[str]], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    info: ExportInfo
    counts: dict[str, int]
    warnings: tuple[str, ...]


def export_plan(
    plan: Plan,
    path: Path,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    extra_sheets: Iterable[tuple[str, SheetWriter]] = (),
    fingerprints: Callable[[], list[str] | None] | None = None,
) -> ExportResult:
    """Write `plan` to `path` (.xlsx), atomically. `fingerprints`, asked after the extra
    sheets, may hand over the plan's packed fingerprints made elsewhere (None: made here)."""
    progress = progress or Progress(what="the export")
    path = Path(path)
    check_target(path)
    today = today or date.today()
    info = ExportInfo(
        FORMAT_VERSION,
        str(uuid.uuid4()),
        now(),
        __version__,
        plan.initiative.id,
        plan.initiative.name,
    )
    warnings: list[str] = []
    partial = path.with_name(f".{path.name}.{info.export_id[:8]}.partial")
    try:
        counts = _write(
            plan, partial, info, today, progress, warnings, list(extra_sheets), fingerprints
        )
        progress.check()
        os.replace(partial, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    progress.step(1.0, f"Exported to {path.name}")
    return ExportResult(path, info, counts, tuple(warnings))


def check_target(path: Path) -> None:
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"{path.name}: the export file name must end in .xlsx")
    if path.is_dir():
        raise ExportError(f"{path} is a folder; name the .xlsx file to write")
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist")


def _write(
    plan: Plan,
    target: Path,
    info: ExportInfo,
    today: date,
    progress: Progress,
    warnings: list[str],
    extra: list[tuple[str, SheetWriter]],
    fingerprints: Callable[[], list[str] | None] | None,
) -> dict[str, int]:
    wb = Workbook(write_only=True)
    try:
        return _fill(wb, plan, target, info, today, progress, warnings, extra, fingerprints)
    except BaseException:
        _discard(wb)
        raise


def _discard(wb: Workbook) -> None:
    """Finish and delete the streams of a workbook abandoned half-way (error or cancel)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        if not ws.closed:
            ws.close()
        Path(writer.out).unlink(missing_ok=True)


def _fill(
    wb: Workbook,
    plan: Plan,
    target: Path,
    info: ExportInfo,
    today: date,
    progress: Progress,
    warnings: list[str],
    extra: list[tuple[str, SheetWriter]],
    fingerprints: Callable[[], list[str] | None] | None,
) -> dict[str, int]:
    guard = TextGuard(warnings)
    if plan.hidden:
        warnings.append(
            "stakeholders' notes and attitudes are left blank: the server withholds them "
            "from your role on this team plan"
        )
    write_about(wb, plan, info, guard)
    sheets = layouts()
    total = sum(len(plan.records(s.kind)) for s in sheets) + 1
    done = 0
    counts: dict[str, int] = {}
    order = ReadingOrder()
    for sheet in sheets:
        progress.step(0.9 * done / total, f"Writing {sheet.title}")
        records = order.sorted(sheet.kind, plan.records(sheet.kind))
        _write_sheet(wb, sheet, records, plan, guard, progress, done, total)
        counts[sheet.title] = len(records)
        done += len(records)
    for title, writer in extra:
        progress.step(0.9, f"Writing {title}")
        writer(wb, plan, today, warnings)
    made = fingerprints() if fingerprints is not None else None
    _write_metadata(
        wb, info, made if made is not None else packed_fingerprints(iter(plan.all_records()))
    )
    progress.step(0.95, "Saving the workbook")
    save_workbook(wb, target)
    return counts


class _RowWriter:
    """Turns a record into the cells of its row.

    Each column's reading is worked out once per sheet (a function per column, one
    cell object per date or decimal column, reused row after row): a large plan has
    hundreds of thousands of cells, and deciding per cell what kind it is cost a
    fifth of the export's time for the cells.
    """

    def __init__(
        self, ws: WriteOnlyWorksheet, sheet: SheetLayout, plan: Plan, guard: TextGuard
    ) -> None:
        self.ws, self.sheet, self.guard = ws, sheet, guard
        self.names = _NameOf(plan)
        self.hidden = plan.hidden
        self.height = 0.0
        self.columns: list[tuple[Callable[[Record], Any], str, Cell | None, str, float]] = []
        for column in sheet.columns:
            kind = column.spec.kind if column.spec is not None else None
            mode, cell = "text", None
            if column.role is Role.VALUE and kind is FieldKind.DATE:
                mode, cell = "date", WriteOnlyCell(ws, None)
                cell.number_format = DATE_FORMAT
            elif column.role is Role.VALUE and kind is FieldKind.FLOAT:
                mode, cell = "float", WriteOnlyCell(ws, None)
                if column.spec is not None and column.spec.money:
                    cell.number_format = money_format(plan.initiative.currency)
            elif column.role is Role.VALUE and kind is FieldKind.LONGTEXT:
                mode = "long"
            self.columns.append((self._reader(column), mode, cell, column.header, column.width))

    def row(self, record: Record) -> list[Any]:
        """The row's cells; `height` is then the row's height in points (0: the default)."""
        out: list[Any] = []
        self.height = 0.0
        for read, mode, cell, header, width in self.columns:
            value = read(record)
            if mode == "text" or mode == "long":
                if isinstance(value, str):
                    if len(value) > 255 or not value.isprintable():
                        value = self.guard.clean(
                            value, f"{self.sheet.title} ‘{record.title}’ {header}"
                        )
                    if mode == "long" and (len(value) > LONG_TEXT or "\n" in value):
                        height = wrapped_height(value, width)
                        if height is not None and height > self.height:
                            self.height = height
                        value = text_cell(self.ws, value)
                        value.alignment = WRAPPED
                    else:
                        value = safe_value(self.ws, value)
            elif cell is not None and value is not None:
                if mode == "date":
                    cell.value = value
                    value = cell
                elif isinstance(value, float):
                    value = self._exact(cell, value)
            out.append(value)
        return out

    @staticmethod
    def _exact(cell: Cell, value: float) -> Cell:
        """All 17 digits: openpyxl would write 16 and change the value in the last one."""
        cell.value = repr(value)
        cell.data_type = "n"
        return cell

    def _reader(self, column: Column) -> Callable[[Record], Any]:
        if column.role is Role.ID:
            return attrgetter("id")
        assert column.spec is not None
        if (self.sheet.kind, column.field) in self.hidden:
            return lambda record: None  # withheld from this reader: left blank, not a default
        get = attrgetter(column.field)
        kind = column.spec.kind
        if column.role is Role.REF_ID:
            if kind is FieldKind.REFS:
                return lambda record: REF_SEPARATOR.join(get(record)) or None
            return lambda record: get(record) or None
        if column.role is Role.REF_NAME:
            name = self.names
            if kind is FieldKind.REFS:
                return lambda record: REF_SEPARATOR.join(map(name, get(record))) or None
            return lambda record: (name(value) or None) if (value := get(record)) else None
        if kind is FieldKind.CHOICE:
            assert column.spec.choices is not None
            labels = {member: member.label for member in column.spec.choices}
            return lambda record: None if (value := get(record)) is None else labels[value]
        if kind is FieldKind.BOOL:
            yes, no = BOOL_LABELS
            return lambda record: None if (value := get(record)) is None else (yes if value else no)
        if kind is FieldKind.DATE:
            return lambda record: (
                value.date() if isinstance(value := get(record), datetime) else value
            )
        return get


class _NameOf:
    """A referenced record's name by ID (the ID itself when it has none or is unknown),
    remembered: the same few hundred sessions are named on fifty thousand rows."""

    def __init__(self, plan: Plan) -> None:
        self.by_id = plan.by_id
        self.known: dict[str, str] = {}

    def __call__(self, record_id: str) -> str:
        name = self.known.get(record_id)
        if name is None:
            record = self.by_id.get(record_id)
            name = self.known[record_id] = (
                record_id if record is None else str(getattr(record, "name", record_id))
            )
        return name


def _write_sheet(
    wb: Workbook,
    sheet: SheetLayout,
    records: list[Record],
    plan: Plan,
    guard: TextGuard,
    progress: Progress,
    done: int,
    total: int,
) -> None:
    ws = wb.create_sheet(sheet.title)
    ws.freeze_panes = "A2"
    set_print(ws, plan.initiative.name, [c.width for c in sheet.columns])
    for index, column in enumerate(sheet.columns, 1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        # The column's own format: rows typed below the data take it, as the data rows have.
        spec = column.spec if column.role is Role.VALUE else None
        if spec is not None and spec.kind is FieldKind.DATE:
            dimension.number_format = DATE_FORMAT
        elif spec is not None and spec.kind is FieldKind.LONGTEXT:
            dimension.alignment = WRAPPED
    last_row = max(len(records), 1) + 1
    last_cell = f"{get_column_letter(len(sheet.columns))}{len(records) + 1}"
    # Readers look for the size before the rows; without it openpyxl parses a sheet twice.
    ws.calculate_dimension = lambda: f"A1:{last_cell}"
    _add_table(ws, sheet, last_row)
    _add_validations(ws, sheet, last_row + VALIDATION_SPARE_ROWS)
    header_font = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = text_cell(ws, column.header)
        cell.font = header_font
        header.append(cell)
    ws.append(header)
    writer = _RowWriter(ws, sheet, plan, guard)
    for count, record in enumerate(records, 1):
        cells = writer.row(record)
        if writer.height:
            ws.row_dimensions[count + 1].height = writer.height
        ws.append(cells)
        if count % 2000 == 0:
            progress.step(0.9 * (done + count) / total, f"Writing {sheet.title}")


def _add_table(ws: WriteOnlyWorksheet, sheet: SheetLayout, last_row: int) -> None:
    ref = f"A1:{get_column_letter(len(sheet.columns))}{last_row}"
    table = Table(displayName=sheet.title.replace(" ", ""), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    table.autoFilter = AutoFilter(ref=ref)
    table.tableColumns = [TableColumn(id=i, name=c.header) for i, c in enumerate(sheet.columns, 1)]
    ws.tables.add(table)  # add_table() warns in write-only mode even when columns are set


def _add_validations(ws: WriteOnlyWorksheet, sheet: SheetLayout, last_row: int) -> None:
    for index, column in enumerate(sheet.columns, 1):
        spec = column.spec
        if column.role is not Role.VALUE or spec is None:
            continue
        if spec.kind is FieldKind.CHOICE:
            assert spec.choices is not None
            options = [c.label for c in spec.choices]
        elif spec.kind is FieldKind.BOOL:
            options = list(BOOL_LABELS)
        else:
            continue
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(options) + '"',
            allow_blank=not spec.required,
            showErrorMessage=True,
            errorTitle=f"{column.header}",
            error=f"Choose one of: {', '.join(options)}",
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{last_row}")
        # A write-only sheet has a normal sheet's validations; the stubs leave them out.
        ws.data_validations.append(validation)  # type: ignore[attr-defined]


def _write_metadata(wb: Workbook, info: ExportInfo, fingerprints: list[str]) -> None:
    for key, value in info.pairs():
        # The stubs leave out the workbook's custom document properties.
        wb.custom_doc_props.append(  # type: ignore[attr-defined]
            StringProperty(name=f"{PROPERTY_PREFIX} {key}", value=value)
        )
    wb.defined_names[DEFINED_NAME] = DefinedName(DEFINED_NAME, attr_text=f'"{info.compact()}"')
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    ws.append(["key", "value"])
    for key, value in info.pairs():
        ws.append([key, text_cell(ws, value)])
    for cell in fingerprints:
        ws.append(["fingerprints", cell])
    for key, names in fields_rows():
        ws.append([key, names])


__all__ = ["ExportError", "ExportResult", "SheetWriter", "check_target", "export_plan"]
