"""Present's stakeholder map on one screen, measured as drawn (`python -m tests.map_slide_worker`).

The test starts this in a fresh process with the screen it wants (the offscreen
platform's configuration file, `QT_SCALE_FACTOR`), as `tests/screen_worker.py`
does. It opens Present full screen on the demo plan, presses N to write the
names on the bubbles, draws the slide and prints, as JSON, where the map's axes,
the names and the bubbles were drawn, in the canvas's pixels.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.charts.privacy import stable_numbers
from planner.persistence.database import open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from planner.ui.app import make_application
from planner.ui.present.window import PresentWindow

TODAY = date(2026, 11, 2)


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def box(extent: Any) -> list[float]:
    return [extent.x0, extent.y0, extent.x1, extent.y1]


def measured(present: PresentWindow) -> dict[str, Any]:
    """What the slide shows now, drawn by its own canvas."""
    from matplotlib.text import Text

    slide = present.map_slide
    canvas = slide.pane.canvas
    canvas.draw()
    renderer = canvas.get_renderer()
    chart = slide.map
    figure = chart.figure
    scale = figure.dpi / 72
    centres = chart.axes.transData.transform([(p.x, p.y) for p in chart.points])
    return {
        "figure": [figure.bbox.width, figure.bbox.height],
        "axes": box(chart.axes.get_window_extent(renderer)),
        "names": [
            {"text": t.get_text(), "box": box(t.get_window_extent(renderer)), "xy": list(t.xy)}
            for t in figure.findobj(Text)
            if t.get_gid() == "bubble-name"
        ],
        "bubbles": [
            {
                "number": p.number,
                "xy": [p.x, p.y],
                "centre": [float(x), float(y)],
                "radius": math.sqrt(p.size) / 2 * scale,
            }
            for p, (x, y) in zip(chart.points, centres, strict=True)
        ],
        "drawn_numbers": sorted(
            int(t.get_text()) for t in figure.findobj(Text) if t.get_gid() == "stakeholder-number"
        ),
    }


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="planner-map-slide-"))
    app = make_application()
    service = PlanService(open_database(folder / "plan.db"))
    create_demo(service, today=TODAY)
    service.history.clear()
    initiative = service.initiatives()[0].id
    present = PresentWindow(service, initiative, today=TODAY)
    present.showFullScreen()
    settle(app)
    present.activateWindow()
    before = measured(present)
    QTest.keyClick(present, Qt.Key.Key_N)
    settle(app)
    out = {
        "slide": [present.stack.width(), present.stack.height()],
        "ratio": present.map_slide.pane.canvas.devicePixelRatioF(),
        "without_names": before,
        "with_names": measured(present),
        "stable": sorted(stable_numbers(service.plan(initiative)).values()),
    }
    present.close()
    service.db.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
