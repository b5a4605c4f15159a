"""The `Charts` sheet: every chart of the plan as a picture, one below the other."""

from __future__ import annotations

import io
import math
from datetime import date

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font

from planner.charts import CHART_KINDS
from planner.domain.plan import Plan
from planner.services.excel.cells import strong, text_cell
from planner.services.excel.chart_images import Picture, PictureSource
from planner.services.excel.export import SheetWriter

TITLE = "Charts"
ROW_PIXELS = 20
IMAGE_WIDTH = 900


def charts_writer(pictures: PictureSource) -> SheetWriter:
    """The sheet's writer, with the pictures from `pictures` (drawn here or by a child)."""

    def write(wb: Workbook, plan: Plan, today: date, warnings: list[str]) -> None:
        write_charts(wb, plan, today, warnings, pictures(plan, today))

    return write


def write_charts(
    wb: Workbook, plan: Plan, today: date, warnings: list[str], pictures: list[Picture]
) -> None:
    ws = wb.create_sheet(TITLE)
    ws.column_dimensions["A"].width = 4
    heading = text_cell(ws, f"Charts of ‘{plan.initiative.name}’ on {today.isoformat()}")
    heading.font = Font(bold=True, size=14)
    ws.append([None, heading])
    row = 2
    for picture in pictures:
        spec = CHART_KINDS[picture.kind]
        if picture.png is None:
            warnings.append(f"chart {spec.title} left out: {picture.problem}")
            continue
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
