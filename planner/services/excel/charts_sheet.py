"""The `Charts` sheet: every chart of the plan as a picture, one below the other."""

from __future__ import annotations

import io
import math
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font

from planner.charts import CHART_KINDS, ChartError, render
from planner.domain.plan import Plan
from planner.services.excel.cells import strong, text_cell

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TITLE = "Charts"
ROW_PIXELS = 20
IMAGE_WIDTH = 900


def write_charts(wb: Workbook, plan: Plan, today: date, warnings: list[str]) -> None:
    ws = wb.create_sheet(TITLE)
    ws.column_dimensions["A"].width = 4
    heading = text_cell(ws, f"Charts of ‘{plan.initiative.name}’ on {today.isoformat()}")
    heading.font = Font(bold=True, size=14)
    ws.append([None, heading])
    row = 2
    with tempfile.TemporaryDirectory(prefix="planner-charts-") as folder:
        for spec in CHART_KINDS.values():
            try:
                data = _png(spec.build(plan, today=today), Path(folder) / f"{spec.kind}.png")
            except ChartError as exc:
                warnings.append(f"chart {spec.title} left out: {exc}")
                continue
            image = Image(io.BytesIO(data))
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


def _png(figure: Figure, path: Path) -> bytes:
    render(figure, path)
    return path.read_bytes()
