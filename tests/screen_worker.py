"""The real window and Present on one screen, for the screen tests (`python -m tests.screen_worker`).

The test starts this in a fresh process with the screen it wants (the offscreen
platform's configuration file, `QT_SCALE_FACTOR`), because a Qt process has
one set of screens for its life. It drives the window by keys (F5 to present,
→ to step, Ctrl++ to zoom, Ctrl+Z to undo) and prints what it measured as JSON:
geometries against the screen's free area, and the smallest type shown.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QWidget

from planner.persistence.database import open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from planner.ui.app import make_application
from planner.ui.main_window import MainWindow
from planner.ui.present.slides import smallest_text_px
from planner.ui.present.window import PresentWindow
from planner.ui.settings import Settings

LONG_LABEL = "Move ‘" + "Regional customer service centre agents " * 8 + "’ on the map"


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def smallest_widget_px(root: QWidget) -> int:
    """The smallest font of the text widgets a user sees in `root`."""
    kinds = (QLabel, QAbstractButton, QAbstractItemView)
    shown = [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]
    return min((QFontInfo(w.font()).pixelSize() for w in shown), default=0)


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def chart_text(slide: Any) -> tuple[float, float] | None:
    pane = getattr(slide, "pane", None)
    if pane is None or pane.figure is None:
        return None
    from matplotlib.text import Text

    figure = pane.figure
    ratio = pane.canvas.devicePixelRatioF()
    sizes = [
        float(t.get_fontsize())
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    scale = figure.dpi / 72 / ratio
    return smallest_text_px(figure) / ratio, max(sizes) * scale


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="planner-screens-"))
    app = make_application()
    screen = app.primaryScreen()
    service = PlanService(open_database(folder / "plan.db"))
    create_demo(service, today=date(2026, 11, 2))
    service.history.clear()
    window = MainWindow(service, settings=Settings(folder / "settings.ini"))
    window.show()
    settle(app)
    out: dict[str, Any] = {
        "screen": rect(screen.availableGeometry()),
        "full": rect(screen.geometry()),
        "ratio": screen.devicePixelRatio(),
        "pages": {},
    }
    for key in list(window.pages):
        window.show_page(key)
        settle(app)
        out["pages"][key] = {
            "frame": rect(window.frameGeometry()),
            "text_px": smallest_widget_px(window),
        }
    window._show_message("Undone: " + LONG_LABEL, False)
    settle(app)
    out["message"] = {
        "frame": rect(window.frameGeometry()),
        "shown": window.message_label.shown_text(),
        "text": window.message_label.text(),
    }
    window.show_page("stakeholders")
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F5)
    settle(app)
    present = next(w for w in app.topLevelWidgets() if isinstance(w, PresentWindow))
    present.today = date(2026, 11, 2)
    out["slides"] = []
    for zoom_steps in (0, 2):
        present.reset_zoom()
        for _ in range(zoom_steps):
            QTest.keyClick(present, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(present, Qt.Key.Key_Home)
        for index in range(len(present.slides)):
            settle(app)
            out["slides"].append(
                {
                    "zoom": present.zoom,
                    "key": present.current_slide().key,
                    "frame": rect(present.frameGeometry()),
                    "header_px": smallest_widget_px(present.header),
                    "chart": chart_text(present.current_slide()),
                    "widgets_px": smallest_widget_px(present.current_slide()),
                }
            )
            if index < len(present.slides) - 1:
                QTest.keyClick(present, Qt.Key.Key_Right)
    council = next(s for s in service.list("stakeholder", present.initiative_id))
    service.update("stakeholder", council.id, {"power": 1}, label=LONG_LABEL)
    QTest.keyClick(present, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(app)
    out["present_message"] = {
        "frame": rect(present.frameGeometry()),
        "shown": present.message.shown_text(),
        "text": present.message.text(),
    }
    present.close()
    window.close()
    service.db.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
