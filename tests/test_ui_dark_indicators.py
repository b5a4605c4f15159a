"""Check boxes on light and dark palettes: an unticked box must be seen, not guessed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from planner.domain.fields import FieldKind
from planner.ui.app import make_application
from planner.ui.theme import ReadableIndicators, dark_palette
from tests.ui_support import demo_window_fixture  # noqa: F401


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _strongest_contrast(image: QImage) -> float:
    """The highest contrast ratio (WCAG) of any pixel against the cell's own background."""
    background = _luminance(image.pixelColor(1, 1))
    best = 1.0
    for y in range(image.height()):
        for x in range(image.width()):
            here = _luminance(image.pixelColor(x, y))
            light, dark = max(here, background), min(here, background)
            best = max(best, (light + 0.05) / (dark + 0.05))
    return best


def _unticked_cell(window) -> QImage:
    page = window.show_page("communications")
    QApplication.processEvents()
    table, model = page.table, page.table.model()  # what the table shows (sorted, filtered)
    column = next(c for c, spec in enumerate(page.model.specs) if spec.kind is FieldKind.BOOL)
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, column).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    )
    table.setColumnHidden(column, False)
    table.scrollTo(model.index(row, column))
    QApplication.processEvents()
    assert table.visualRect(model.index(row, column)).width() > 12
    return table.viewport().grab(table.visualRect(model.index(row, column))).toImage()


def test_an_unticked_box_keeps_a_visible_frame_on_light_and_dark_palettes(qtbot, demo_window):
    app = make_application()  # what `planner window` starts with
    demo_window.resize(1366, 768)
    demo_window.show()
    qtbot.waitExposed(demo_window)
    try:
        assert isinstance(app.style(), ReadableIndicators)
        assert _strongest_contrast(_unticked_cell(demo_window)) >= 3.0
        demo_window.setPalette(dark_palette())
        QApplication.processEvents()
        assert _strongest_contrast(_unticked_cell(demo_window)) >= 3.0
    finally:
        app.setStyle("Fusion")
