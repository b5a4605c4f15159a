"""How each sheet of the export prints: a workbook is taken to meetings on paper.

Every sheet gets A4 paper, an orientation, margins, its header row repeated on
every page, a footer naming the initiative, the sheet and the page, and a width
fitted to whole pages. A sheet is fitted to as few pages across as keep the type
at least `MIN_SCALE` of its size: squeezing the 19 columns of Stakeholders onto
one page would print them at a third of their size, unreadable; two pages
across keep three quarters. Page breaks down the sheet are left to the program.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

# Column-width units (about one digit of the default font) printable across an A4
# page at 100 %, within the margins below.
A4_LANDSCAPE_UNITS = 150.0
A4_PORTRAIT_UNITS = 100.0
MIN_SCALE = 0.55
FOOTER_NAME_LIMIT = 80


def set_print(
    ws: Any,
    initiative: str,
    widths: list[float],
    *,
    title_rows: str | None = "1:1",
    landscape: bool = True,
    gridlines: bool = True,
) -> None:
    """Print setup of `ws`, whose columns are `widths` wide (call before any row).

    `ws` is a write-only worksheet, which passes these settings through to the
    sheet it writes; openpyxl's stubs do not declare them on it, hence `Any`.
    """
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    page = A4_LANDSCAPE_UNITS if landscape else A4_PORTRAIT_UNITS
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = max(1, math.ceil(sum(widths) * MIN_SCALE / page))
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.gridLines = gridlines
    if title_rows:
        ws.print_title_rows = title_rows
    footer = ws.oddFooter
    footer.left.text = _footer_text(initiative)
    footer.left.size = 8
    footer.center.text = "&A"
    footer.center.size = 8
    footer.right.text = "Page &P of &N"
    footer.right.size = 8


def _footer_text(text: str) -> str:
    """Footer codes start with `&`: a name's own ampersands are doubled to print as such.
    A footer is one line of plain text: control characters become spaces."""
    text = " ".join(ILLEGAL_CHARACTERS_RE.sub(" ", text).split())
    if len(text) > FOOTER_NAME_LIMIT:
        text = text[: FOOTER_NAME_LIMIT - 1] + "…"
    return text.replace("&", "&&")


LINE_POINTS = 15.0
MAX_LINES = 30


def wrapped_height(text: str, width: float) -> float | None:
    """The row height (points) that shows `text` wrapped in a column `width` wide, or
    None when one line will do. Calc takes the stored height of a row as it is and does
    not grow it for wrapped text, so without this a long message prints over the rows
    below; the estimate errs on the tall side (a digit is narrower than most letters)."""
    per_line = max(int(width * 1.1), 8)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    if lines <= 1:
        return None
    return min(lines, MAX_LINES) * LINE_POINTS
