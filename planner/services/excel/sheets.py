"""Recognising the sheets and columns of a workbook people have been editing.

Sheets and headers are matched whatever their case and spacing; columns may
be in any order; unknown sheets and columns are ignored and said so. What a
person did to the grid itself (merged cells, formulas) is settled here, before
any value is read: a merge down one column means "the same value in every
row" and is filled in, a merge across columns cannot be read and is an error;
a formula's saved result is used, with a warning, and a formula without one
is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from planner.services.excel.layout import Column, Role, SheetLayout, header_key, layout_by_title
from planner.services.excel.problems import ImportFileError, Problem, error, shown, warning
from planner.services.excel.reader import RawSheet, RawWorkbook

READ_ONLY_SHEETS = {"about", "readiness", "charts", "portfolio"}


@dataclass
class MappedSheet:
    layout: SheetLayout
    title: str
    positions: dict[Column, int]
    headers: list[str | None]
    rows: list[tuple[int, tuple[Any, ...]]]
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    slots: dict[str, tuple[Column | None, int, str]] = field(default_factory=dict)

    def locate(self, column: Column) -> dict[str, Any]:
        index = self.positions[column]
        return {
            "sheet": self.title,
            "column": get_column_letter(index + 1),
            "header": self.headers[index],
        }

    def add(self, row: int, problem: Problem) -> None:
        self.problems.setdefault(row, []).append(problem)


def cell(values: Sequence[Any], at: int) -> Any:
    """The value at column index `at` of a row (the reader keeps no trailing empty cells)."""
    return values[at] if at < len(values) else None


def _with_cell(values: tuple[Any, ...], at: int, value: Any) -> tuple[Any, ...]:
    padded = values if at < len(values) else (*values, *([None] * (at + 1 - len(values))))
    return (*padded[:at], value, *padded[at + 1 :])


def map_workbook(raw: RawWorkbook, notes: list[Problem]) -> dict[str, MappedSheet]:
    """kind -> mapped sheet, for every planner sheet present; notes collects warnings."""
    known = layout_by_title()
    mapped: dict[str, MappedSheet] = {}
    for sheet in raw.sheets:
        key = header_key(sheet.title)
        layout = known.get(key)
        if layout is None:
            if key not in READ_ONLY_SHEETS:
                notes.append(
                    warning(f"sheet ‘{shown(sheet.title)}’ is not a planner sheet; ignored")
                )
            continue
        if layout.kind in mapped:
            notes.append(
                error(
                    f"sheet ‘{shown(sheet.title)}’ repeats the sheet "
                    f"‘{shown(mapped[layout.kind].title)}’; only one is allowed"
                )
            )
            continue
        mapped[layout.kind] = _map_sheet(sheet, layout, notes)
    return mapped


def _map_sheet(sheet: RawSheet, layout: SheetLayout, notes: list[Problem]) -> MappedSheet:
    by_key = {c.key: c for c in layout.columns}
    positions: dict[Column, int] = {}
    for index, header in enumerate(sheet.headers):
        if header is None:
            continue
        column = by_key.get(header_key(header))
        letter = get_column_letter(index + 1)
        if column is None:
            notes.append(
                warning(
                    f"column ‘{shown(header)}’ is not a planner column; ignored",
                    sheet=sheet.title,
                    row=sheet.header_row,
                    column=letter,
                )
            )
        elif column in positions:
            first = get_column_letter(positions[column] + 1)
            raise ImportFileError(
                f"{shown(sheet.title)}: the column ‘{column.header}’ appears twice "
                f"(columns {first} and {letter}); keep one"
            )
        else:
            positions[column] = index
    _require_columns(sheet, layout, positions)
    if sheet.stopped_at:
        notes.append(
            warning(
                f"reading stopped after a long run of empty rows; anything below "
                f"row {sheet.stopped_at:,} was ignored",
                sheet=sheet.title,
            )
        )
    # The mapped sheet takes the raw rows over rather than copying them: a workbook's cells
    # are held once, whatever the number of rows (a copy cost 270 bytes a name-only row).
    rows, sheet.rows = sheet.rows, []
    mapped = MappedSheet(layout, sheet.title, positions, sheet.headers, rows)
    _settle_merges(sheet, mapped, notes)
    _settle_formulas(sheet, mapped)
    return mapped


def _require_columns(sheet: RawSheet, layout: SheetLayout, positions: dict[Column, int]) -> None:
    present = {(c.field, c.role) for c in positions}
    for column in layout.columns:
        if not column.required:
            continue
        if column.role is Role.REF_NAME:
            if (column.field, Role.REF_NAME) in present or (column.field, Role.REF_ID) in present:
                continue
        elif (column.field, column.role) in present:
            continue
        if not sheet.headers:
            raise ImportFileError(
                f"the sheet ‘{shown(sheet.title)}’ has no header row; the first row "
                f"must name the columns (for example ‘{column.header}’)"
            )
        raise ImportFileError(
            f"{shown(sheet.title)}: the required column ‘{column.header}’ is missing "
            f"(the header row is row {sheet.header_row})"
        )


def _settle_merges(sheet: RawSheet, mapped: MappedSheet, notes: list[Problem]) -> None:
    if not sheet.merged:
        return
    rows = dict(mapped.rows)
    at = {number: index for index, (number, _) in enumerate(mapped.rows)}
    read = {index + 1 for index in mapped.positions.values()}
    for ref in sheet.merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col is None or min_row is None or max_col is None or max_row is None:
            # Whole rows or columns ("A:B", "3:4"): no cell range to fill; hostile or broken.
            notes.append(
                warning(f"merged cells {ref} are not a cell range; ignored", sheet=sheet.title)
            )
            continue
        if max_row <= sheet.header_row:
            notes.append(
                warning(
                    f"merged header cells {ref}; only the first column of the merge is read",
                    sheet=sheet.title,
                    row=min_row,
                )
            )
            continue
        if min_col == max_col and min_row > sheet.header_row:
            if min_col not in read:
                continue  # a column the import ignores (and said so); its cells were not kept
            top = rows.get(min_row)
            value = cell(top, min_col - 1) if top is not None else None
            for number in range(min_row + 1, max_row + 1):
                values = rows.get(number)
                if values is not None and min_col <= len(sheet.headers):
                    filled = _with_cell(values, min_col - 1, value)
                    rows[number] = filled
                    mapped.rows[at[number]] = (number, filled)
            header = sheet.headers[min_col - 1] if min_col <= len(sheet.headers) else None
            notes.append(
                warning(
                    f"merged cells {ref}: the value ‘{shown(value)}’ is used for "
                    "every row of the merge",
                    sheet=sheet.title,
                    row=min_row,
                    column=get_column_letter(min_col),
                    header=header,
                )
            )
            continue
        for number in range(max(min_row, sheet.header_row + 1), max_row + 1):
            if number in rows:
                mapped.add(
                    number,
                    error(
                        f"merged cells {ref} span several columns and cannot "
                        "be read; unmerge them and fill in each cell",
                        sheet=sheet.title,
                        row=number,
                    ),
                )


def _settle_formulas(sheet: RawSheet, mapped: MappedSheet) -> None:
    if not sheet.formulas:
        return
    wanted = {index + 1: column for column, index in mapped.positions.items()}
    for number, values in mapped.rows:
        for column_number, column in wanted.items():
            if (number, column_number) not in sheet.formulas:
                continue
            value = cell(values, column_number - 1)
            where = mapped.locate(column)
            if value is None:
                mapped.add(
                    number,
                    error(
                        "a formula with no saved result; type the value "
                        "instead, or open and save the file in Excel or Calc "
                        "first",
                        row=number,
                        **where,
                    ),
                )
            else:
                mapped.add(
                    number,
                    warning(
                        f"a formula; its saved result ‘{shown(value)}’ is used", row=number, **where
                    ),
                )
