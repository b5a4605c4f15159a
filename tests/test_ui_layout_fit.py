"""Layout and look on the real window: what to do is readable on a laptop, an empty snapshot
pane is one line, names get the width dates do not need, charts follow a dark palette (exports stay light), and the map's legend says what colour means
under each privacy setting, with names on the bubbles only where privacy allows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel

from planner.charts import Privacy
from planner.ui.findings_model import COLUMNS
from planner.ui.present.window import PresentWindow
from planner.ui.theme import dark_palette
from tests.conftest import DEMO_TODAY
from tests.ui_support import demo_window_fixture  # noqa: F401


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _whole(table) -> None:
    """Every finding's "what to do" is inside the table's width and its row tall enough."""
    column = COLUMNS.index("What to do")
    right = table.columnViewportPosition(column) + table.columnWidth(column)
    assert right <= table.viewport().width()
    for row in range(table.model().rowCount()):
        text = table.model().index(row, column).data()
        assert table.rowHeight(row) >= table.sizeHintForRow(row), text
    assert table.textElideMode() == Qt.TextElideMode.ElideNone and table.wordWrap()


def test_what_to_do_is_whole_in_the_window_and_at_a_laptop_page_width(qtbot, demo, demo_window):
    page = demo_window.show_page("readiness")
    _settle()
    _whole(page.view.table)  # the test screen is narrower than a laptop: rows wrap taller

    from planner.ui.readiness_view import ReadinessView

    view = ReadinessView(demo, demo.initiatives()[0].id, DEMO_TODAY)
    qtbot.addWidget(view)
    view.resize(1366 - 170, 768 - 90)  # a 1366 × 768 window less its navigation and bars
    view.show()
    _settle()
    _whole(view.table)
    assert view.table.columnWidth(COLUMNS.index("What to do")) >= 280


def test_an_empty_snapshot_pane_is_one_line_that_takes_a_snapshot(qtbot, demo_window):
    page = demo_window.show_page("stakeholders")
    _settle()
    line = page.findChild(QLabel, "empty_children_stakeholder")
    assert line.isVisible() and not page.details.isVisible()
    assert line.height() <= 40
    assert "No snapshots yet" in line.text() and "Ctrl+Alt+S" in line.text()
    line.linkActivated.emit("take_snapshot")
    qtbot.waitUntil(lambda: page.details.isVisible())
    assert not line.isVisible()
    assert page.children_views[0].model.rowCount() == 1
    demo_window.service.history.undo()
    qtbot.waitUntil(lambda: line.isVisible())


def test_names_get_the_width_and_dates_fit_their_content(qtbot, demo_window):
    demo_window.resize(1366, 768)
    page = demo_window.show_page("stakeholders")
    _settle()
    table, columns = page.table, page.model.columns
    name = columns.index("name")
    longest = max(
        (page.model.index(r, name).data() for r in range(page.model.rowCount())),
        key=table.fontMetrics().horizontalAdvance,
    )
    assert table.columnWidth(name) >= table.fontMetrics().horizontalAdvance(longest) + 8
    date_column = columns.index("involved_on")
    table.setColumnHidden(date_column, False)
    page.columns.fit()
    sample = table.fontMetrics().horizontalAdvance("30 Sep 2027")
    assert sample <= table.columnWidth(date_column) <= sample + 80
    assert page.columns.stretch[name] and not page.columns.stretch[date_column]


def _corner(image: QImage) -> int:
    return image.pixelColor(8, 8).lightness()


def test_charts_follow_a_dark_palette_and_exports_stay_light(qtbot, demo_window, tmp_path):
    page = demo_window.show_page("dashboard")
    _settle()
    assert _corner(page.view.pane.canvas.grab().toImage()) > 200
    demo_window.setPalette(dark_palette())
    _settle()
    qtbot.waitUntil(lambda: _corner(page.view.pane.canvas.grab().toImage()) < 60)
    assert page.view.pane.figure is not None
    target = tmp_path / "map.png"
    page.view.run_task = None
    page.view.export(target)
    assert _corner(QImage(str(target))) > 200


def _present(qtbot, service):
    window = PresentWindow(service, service.initiatives()[0].id, today=DEMO_TODAY)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def _legend(window) -> str:
    figure = window.map_slide.map.figure
    return figure.legends[0].get_title().get_text()


def _bubble_names(window) -> set[str]:
    from matplotlib.text import Text

    return {
        t.get_text().replace("\n", " ")
        for t in window.map_slide.map.figure.findobj(Text)
        if t.get_gid() == "bubble-name"
    }


def test_the_map_legend_says_what_colour_means_under_each_privacy(qtbot, demo):
    window = _present(qtbot, demo)
    assert "current engagement" in _legend(window)
    window.set_privacy(Privacy.INITIALS)
    assert "attitudes hidden" in _legend(window)
    colours = {tuple(c) for c in window.map_slide.map.bubbles.get_facecolor()}
    assert len(colours) == 1
    window.set_privacy(Privacy.CODES)
    assert "attitudes hidden" in _legend(window)
    window.close()


def test_names_on_the_bubbles_follow_privacy(qtbot, demo):
    window = _present(qtbot, demo)
    assert _bubble_names(window) == set()
    window.names_button.click()
    assert window.names_button.isChecked()
    shown = _bubble_names(window)
    assert any("Dana Whitfield" in name for name in shown)
    window.set_privacy(Privacy.INITIALS)
    shown = _bubble_names(window)
    assert "D.W." in shown and not any("Whitfield" in name for name in shown)
    window.set_privacy(Privacy.CODES)
    assert _bubble_names(window) == set()
    window.close()


def test_banners_follow_a_dark_palette(qtbot):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QWidget

    from planner.ui.safety import ReadOnlyBanner
    from planner.ui.unreadable import UnreadableBanner

    for palette, dark in ((QWidget().palette(), False), (dark_palette(), True)):
        parent = QWidget()
        qtbot.addWidget(parent)
        parent.setPalette(palette)
        for banner in (UnreadableBanner(parent), ReadOnlyBanner(parent)):
            banner.setText("The file cannot be read")
            banner.resize(400, 40)
            image = banner.grab().toImage()
            background = QColor(image.pixelColor(2, 2)).lightness()
            assert (background < 80) if dark else (background > 200), type(banner).__name__
