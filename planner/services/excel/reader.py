"""Reading a workbook's cells, fast and bounded, with what read-only mode hides.

openpyxl's read-only mode streams rows (memory and time stay proportional to
the data), but it drops merged ranges and, with `data_only`, hides which cells
were formulas. Both are recovered from the worksheet XML with a byte-level scan
(no second XML parse, no DTD can reach it: the guard refused those already).
The scan is bounded three times: columns beyond the header are never
materialised, a long run of empty rows (a stray formatted cell far below the
data) ends the sheet instead of walking a million blank rows, and a sheet of
more than `MAX_ROWS_PER_SHEET` rows (or a workbook of more than
`MAX_ROWS_PER_WORKBOOK`) is refused at that row, before its memory grows:
checking a row costs a few kilobytes, so these bound what an import can take.
Text is bounded the same way, as it is held (`MAX_TEXT_PER_WORKBOOK`
characters): a workbook the zip guard lets through may hold half a gigabyte
of it, and a Python string takes up to four bytes a character.
Only what the import reads is held: a sheet that is not a planner sheet keeps
its header row alone, and a planner sheet keeps the cells of the columns whose
header names a planner column (`layout.read_columns`); a cell of any other
column is dropped as its row is read (a number held costs 32 bytes, so a wide
sheet of a hundred unknown columns would otherwise cost 3 KB a row).
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.domain.errors import PlannerError
from planner.domain.quoting import shown
from planner.services.excel.formats import FIELDS_KEY_PREFIX, declared_fields
from planner.services.excel.guards import UnsafeWorkbookError, inspect_workbook, require_defusedxml
from planner.services.excel.layout import read_columns
from planner.services.excel.metadata import (
    DEFINED_NAME,
    META_SHEET,
    PROPERTY_PREFIX,
    ExportInfo,
    unpack_fingerprints,
)
from planner.services.excel.progress import Progress

MAX_COLUMNS = 256
MAX_ROWS_PER_SHEET = 100_000
MAX_ROWS_PER_WORKBOOK = 100_000
MAX_TEXT_PER_WORKBOOK = 40_000_000
HEADER_SEARCH_ROWS = 10
BLANK_RUN_LIMIT = 10_000

_FORMULA = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*\br="([A-Z]{1,3})(\d+)")[^>]*>\s*<(?:\w+:)?f\b')
_NUMBER_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^>]*\br="([A-Z]{1,3})(\d+)")(?=(?:[^>]*\bt="([^"]*)")?)[^>]*>'
    rb"\s*<(?:\w+:)?v>([^<]*)</"
)
_VALUE_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*\br="[A-Z]{1,3}(\d+)"[^>]*(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b'
)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')


@dataclass
class RawSheet:
    title: str
    header_row: int = 0
    headers: list[str | None] = field(default_factory=list)
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    """(row number, values): the values up to the last cell that is not empty."""
    formulas: set[tuple[int, int]] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)
    stopped_at: int | None = None
    characters: int = 0


@dataclass
class RawWorkbook:
    path: Path
    sheets: list[RawSheet]
    info: ExportInfo | None
    fingerprints: dict[str, str]
    hashed_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)


def read_workbook(path: Path, progress: Progress | None = None) -> RawWorkbook:
    progress = progress or Progress(what="the import")
    require_defusedxml()
    path = Path(path)
    inspect_workbook(path)
    progress.step(0.0, f"Opening {path.name}")
    from openpyxl import load_workbook

    with _quiet_openpyxl(), path.open("rb") as handle:
        try:
            wb = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad package
            raise _unreadable(path, exc) from None
        try:
            with zipfile.ZipFile(handle) as archive:
                sheets: list[RawSheet] = []
                meta_cells: list[tuple[Any, ...]] = []
                worksheets = wb.worksheets
                for index, ws in enumerate(worksheets):
                    progress.step(index / max(len(worksheets), 1), f"Reading {ws.title}")
                    if ws.title == META_SHEET:
                        meta_cells = [
                            tuple(r)
                            for r in ws.iter_rows(max_col=2, max_row=10_000, values_only=True)
                        ]
                        continue
                    read = (sum(len(s.rows) for s in sheets), sum(s.characters for s in sheets))
                    sheets.append(_read_sheet(ws, archive, progress, read))
                info = _find_info(wb, meta_cells)
        except PlannerError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bad sheet can fail deep inside openpyxl
            raise _unreadable(path, exc) from None
        finally:
            wb.close()
    fingerprints = unpack_fingerprints([str(v) for k, v in meta_cells if k == "fingerprints" and v])
    return RawWorkbook(path, sheets, info, fingerprints, declared_fields(meta_cells))


@contextmanager
def _quiet_openpyxl() -> Iterator[None]:
    """Open a workbook without openpyxl's remarks on how it was written reaching the user.

    Gnumeric writes no default cell style, and openpyxl warns "Workbook contains no
    default style" on every such file; other writers get remarks about extensions or
    header parts openpyxl does not read. None of it changes what the import reads,
    and a person who re-saved in Gnumeric can do nothing about it.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
        yield


def _unreadable(path: Path, exc: BaseException) -> UnsafeWorkbookError:
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return UnsafeWorkbookError(
                f"{path.name} contains unsafe XML ({type(cause).__name__}); refused"
            )
        cause = cause.__cause__ or cause.__context__
    return UnsafeWorkbookError(
        f"{path.name} cannot be read as an Excel workbook ({type(exc).__name__}: {shown(str(exc), 120)})"
    )


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(
    ws: Any, archive: zipfile.ZipFile, progress: Progress, read: tuple[int, int]
) -> RawSheet:
    """One sheet's rows; a number cell openpyxl cannot read is named by its place.

    `read` rows and characters of text came from the sheets before: a sheet
    stops, refused, at the row that takes it past `MAX_ROWS_PER_SHEET` or the
    workbook past `MAX_ROWS_PER_WORKBOOK` or `MAX_TEXT_PER_WORKBOOK`, so memory
    stays bounded whatever the file claims.
    """
    sheet = RawSheet(ws.title)
    try:
        return _read_rows(sheet, ws, archive, progress, read)
    except ValueError:
        member = getattr(ws, "_worksheet_path", "")
        place = _bad_number(archive, member) if member else None
        if place is None:
            raise
        from openpyxl.utils import column_index_from_string

        row, letter, text = place
        index = column_index_from_string(letter) - 1
        header = sheet.headers[index] if index < len(sheet.headers) else None
        named = f" ‘{shown(header)}’" if header else ""
        raise UnsafeWorkbookError(
            f"{shown(ws.title)}, row {row}, column {letter}{named}: the cell holds "
            f"‘{shown(text)}’, "
            "which is not a number a spreadsheet can hold (not a number or infinite); "
            "enter a number or clear the cell"
        ) from None


SCAN_PIECE_BYTES = 4 * 1024 * 1024
SCAN_OVERLAP_BYTES = 64 * 1024


def _pieces(archive: zipfile.ZipFile, member: str) -> Iterator[bytes] | None:
    """A worksheet's XML in overlapping pieces (None when the part is missing), so that a
    scan holds a few megabytes, not the whole part (read at once, a 280 MB sheet cost
    twice that). A match up to `SCAN_OVERLAP_BYTES` long lies whole in some piece; one may
    be seen twice, so the scans below collect into sets or stop at the first."""
    try:
        handle = archive.open(member.lstrip("/"))
    except KeyError:
        return None

    def read() -> Iterator[bytes]:
        with handle:
            tail = b""
            while chunk := handle.read(SCAN_PIECE_BYTES):
                piece = tail + chunk
                yield piece
                tail = piece[-SCAN_OVERLAP_BYTES:]

    return read()


def _bad_number(archive: zipfile.ZipFile, member: str) -> tuple[int, str, str] | None:
    """The first number cell of a worksheet whose value is not a finite number."""
    pieces = _pieces(archive, member)
    if pieces is None:
        return None
    for match in (m for piece in pieces for m in _NUMBER_CELL.finditer(piece)):
        kind = match.group(3)
        if kind is not None and kind != b"n":
            continue
        text = match.group(4).decode("utf-8", "replace")
        try:
            if math.isfinite(float(text)):
                continue
        except ValueError:
            pass
        return int(match.group(2)), match.group(1).decode(), text
    return None


def _read_rows(
    sheet: RawSheet, ws: Any, archive: zipfile.ZipFile, progress: Progress, read: tuple[int, int]
) -> RawSheet:
    rows_before, characters_before = read
    ws.reset_dimensions()
    for number, values in enumerate(
        ws.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True), 1
    ):
        if any(not _is_blank(v) for v in values):
            sheet.header_row = number
            headers = [None if _is_blank(v) else str(v).strip() for v in values]
            while headers and headers[-1] is None:
                headers.pop()
            sheet.headers = headers
            break
    if not sheet.headers:
        return sheet
    kept_columns = read_columns(sheet.title, sheet.headers)
    if kept_columns is None:
        return sheet
    _scan_xml(sheet, archive, getattr(ws, "_worksheet_path", ""), kept_columns)
    keep = _keeper(kept_columns)
    width = len(sheet.headers)
    blank_run = 0
    number = sheet.header_row
    for number, values in enumerate(
        ws.iter_rows(min_row=sheet.header_row + 1, max_col=width, values_only=True),
        sheet.header_row + 1,
    ):
        if all(_is_blank(v) for v in values):
            blank_run += 1
            if blank_run >= BLANK_RUN_LIMIT:
                if _values_below(archive, getattr(ws, "_worksheet_path", ""), number):
                    sheet.stopped_at = number
                break
            continue
        blank_run = 0
        if len(sheet.rows) >= min(MAX_ROWS_PER_SHEET, MAX_ROWS_PER_WORKBOOK - rows_before):
            raise _too_many_rows(sheet, rows_before)
        kept = _trimmed(keep(values))
        sheet.characters += sum(len(v) for v in kept if isinstance(v, str))
        if sheet.characters > MAX_TEXT_PER_WORKBOOK - characters_before:
            raise UnsafeWorkbookError(
                f"{shown(sheet.title)}, row {number:,}: the workbook holds more than "
                f"{MAX_TEXT_PER_WORKBOOK:,} characters of text up to here, the most the planner "
                "imports from one workbook; split the plan into smaller workbooks"
            )
        sheet.rows.append((number, kept))
        if number % 5000 == 0:
            progress.check()
    return sheet


def _keeper(columns: frozenset[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A row's values with the cells of every column not in `columns` emptied and cut off
    after the last column of `columns` (an emptied cell is a shared None: 8 bytes)."""
    width = max(columns, default=-1) + 1
    dropped = [i for i in range(width) if i not in columns]
    if not dropped:
        return lambda values: values[:width]

    def keep(values: tuple[Any, ...]) -> tuple[Any, ...]:
        row = list(values[:width])
        for index in dropped:
            if index < len(row):
                row[index] = None
        return tuple(row)

    return keep


def _trimmed(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row without its trailing empty cells (a name-only row of fifteen columns keeps two:
    140 bytes less a row); `sheets.cell` reads a cell past the end as empty."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return values if end == len(values) else values[:end]


def _too_many_rows(sheet: RawSheet, read: int) -> UnsafeWorkbookError:
    if len(sheet.rows) >= MAX_ROWS_PER_SHEET:
        return UnsafeWorkbookError(
            f"{shown(sheet.title)} has more than {MAX_ROWS_PER_SHEET:,} rows, the most the "
            "planner imports from one sheet; split the plan into smaller workbooks"
        )
    return UnsafeWorkbookError(
        f"the sheets up to {shown(sheet.title)} hold more than {MAX_ROWS_PER_WORKBOOK:,} rows, "
        "the most the planner imports from one workbook; split the plan into smaller workbooks"
    )


def _scan_xml(
    sheet: RawSheet, archive: zipfile.ZipFile, member: str, columns: frozenset[int]
) -> None:
    """Formula cells (of the kept `columns` only) and merged ranges, which read-only mode
    does not report."""
    if not member:
        return
    pieces = _pieces(archive, member)
    if pieces is None:
        return
    from openpyxl.utils import column_index_from_string

    merged: dict[str, None] = {}
    for piece in pieces:
        if b"<f" in piece or b":f" in piece:
            for match in _FORMULA.finditer(piece):
                column = column_index_from_string(match.group(1).decode())
                if column - 1 in columns:
                    sheet.formulas.add((int(match.group(2)), column))
        if b"mergeCell" in piece:
            merged.update(dict.fromkeys(m.group(1).decode() for m in _MERGE.finditer(piece)))
    sheet.merged = list(merged)


def _values_below(archive: zipfile.ZipFile, member: str, row: int) -> bool:
    """Whether any cell below `row` holds a value. Formatted empty rows (a table's spare
    rows, what LibreOffice leaves after a row is deleted) hold none: nothing was ignored."""
    pieces = _pieces(archive, member)
    if pieces is None:
        return True
    return any(int(m.group(1)) > row for piece in pieces for m in _VALUE_CELL.finditer(piece))


def _find_info(wb: Any, meta_cells: list[tuple[Any, ...]]) -> ExportInfo | None:
    """Custom properties first, then the defined name, then the hidden sheet."""
    pairs: dict[str, str] = {}
    for prop in getattr(wb, "custom_doc_props", []) or []:
        name = str(getattr(prop, "name", ""))
        if name.startswith(PROPERTY_PREFIX + " "):
            pairs[name[len(PROPERTY_PREFIX) + 1 :]] = str(prop.value)
    info = ExportInfo.from_pairs(pairs)
    if info is None:
        defined = wb.defined_names.get(DEFINED_NAME)
        if defined is not None and defined.attr_text:
            info = ExportInfo.from_compact(defined.attr_text)
    if info is None:
        info = ExportInfo.from_pairs(
            {
                str(k): str(v)
                for k, v in meta_cells
                if k
                and v is not None
                and k != "fingerprints"
                and not str(k).startswith(FIELDS_KEY_PREFIX)
            }
        )
    return info
