"""The `Charts` sheet: every chart of the plan as a picture, one below the other."""

from __future__ import annotations

import io
import math
from datetime import date

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font
from openpyxl.worksheet.pagebreak import Break

from planner.charts import CHART_KINDS
from planner.domain.plan import Plan
from planner.services.excel.cells import strong, text_cell
from planner.services.excel.chart_images import Picture, PictureSource
from planner.services.excel.export import SheetWriter
from planner.services.excel.print_setup import set_print

TITLE = "Charts"
ROW_PIXELS = 20
# A4 portrait within the print margins is about 7.2 inches, 690 pixels at the 96 dpi
# spreadsheet programs place pictures at; the narrow first column takes 33 of them.
IMAGE_WIDTH = 640
CHARTS_PER_PAGE = 2


def charts_writer(pictures: PictureSource) -> SheetWriter:
    """The sheet's writer, with the pictures from `pictures` (drawn here or by a child)."""

    def write(wb: Workbook, plan: Plan, today: date, warnings: list[str]) -> None:
        write_charts(wb, plan, today, warnings, pictures(plan, today))

    return write


def write_charts(
    wb: Workbook, plan: Plan, today: date, warnings: list[str], pictures: list[Picture]
) -> None:
    """Two charts to a printed page, each with its title and description above it, and a
    page break after every second one, so that no chart is cut in half on paper."""
    ws = wb.create_sheet(TITLE)
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 90
    set_print(ws, plan.initiative.name, [4, 90], title_rows=None, landscape=False, gridlines=False)
    heading = text_cell(ws, f"Charts of ‘{plan.initiative.name}’ on {today.isoformat()}")
    heading.font = Font(bold=True, size=14)
    ws.append([None, heading])
    row = 1
    placed = 0
    for picture in pictures:
        spec = CHART_KINDS[picture.kind]
        if picture.png is None:
            warnings.append(f"chart {spec.title} left out: {picture.problem}")
            continue
        if placed and placed % CHARTS_PER_PAGE == 0:
            ws.row_breaks.append(Break(id=row))
        image = Image(io.BytesIO(picture.png))
        scale = min(1.0, IMAGE_WIDTH / image.width)
        image.width, image.height = round(image.width * scale), round(image.height * scale)
        ws.append([])
        ws.append([None, strong(ws, spec.title)])
        ws.append([None, text_cell(ws, spec.description)])
        row += 3
        ws.add_image(image, f"B{row + 1}")
        rows = math.ceil(image.height / ROW_PIXELS) + 1
        for _ in range(rows):
            ws.append([])
        row += rows
        placed += 1
