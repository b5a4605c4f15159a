"""Cells that carry user text safely: never a formula, never an error value.

openpyxl turns any string starting with `=` into a formula and any string
equal to an error code (`#N/A`) into an error cell. Spreadsheet programs also
run text starting with `+`, `-`, `@`, tab, CR or LF as a formula when a person
re-enters the cell. Such text is written as an explicit string cell with the
quote prefix, which both Excel and LibreOffice keep as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from planner.domain.errors import PlannerError

EXCEL_CELL_LIMIT = 32_767
# A text starting with one of these would be read as a formula (or break the row) in a sheet.
DANGEROUS_FIRST = "=+-@\t\r\n"
_ERRORS = frozenset(ERROR_CODES)


class ExportError(PlannerError):
    """The plan cannot be written as a workbook without losing something."""


@dataclass
class TextGuard:
    """Cleans text for a cell and remembers what it had to change, for the report."""

    warnings: list[str]
    truncate: bool = False

    def clean(self, text: str, where: str) -> str:
        if ILLEGAL_CHARACTERS_RE.search(text):
            text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
            self.warnings.append(f"{where}: control characters replaced by \ufffd")
        if len(text) > EXCEL_CELL_LIMIT:
            if not self.truncate:
                raise ExportError(
                    f"{where} is {len(text):,} characters long; an Excel cell holds "
                    f"at most {EXCEL_CELL_LIMIT:,}"
                )
            marker = f" … [cut: {len(text):,} characters]"
            text = text[: EXCEL_CELL_LIMIT - len(marker)] + marker
            self.warnings.append(f"{where}: text cut to Excel's cell limit")
        return text


def text_cell(ws: WriteOnlyWorksheet, text: str) -> Cell:
    """A string cell that no spreadsheet program reads as a formula or an error."""
    cell = WriteOnlyCell(ws, text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_value(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """The value itself when harmless (cheap), a protected text cell when not."""
    if isinstance(value, str) and value and (value[0] in DANGEROUS_FIRST or value in _ERRORS):
        return text_cell(ws, value)
    return value


def strong(ws: WriteOnlyWorksheet, text: str) -> Cell:
    """A protected bold text cell that does not wrap, for labels and headings."""
    cell = text_cell(ws, text)
    cell.font = Font(bold=True)
    return cell
