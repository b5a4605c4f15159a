"""The Portfolio page and slide on the real window, over the three-initiative demo."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from planner.charts import portfolio_scale
from planner.services.demo import create_demo
from planner.ui.findings_model import RECORD_ROLE
from planner.ui.formatting import format_date
from planner.ui.portfolio_heatmap import PortfolioHeatmap
from planner.ui.portfolio_view import PortfolioPage
from planner.ui.present.slides import PortfolioSlide
from planner.ui.present.window import PresentWindow
from tests.conftest import DEMO_TODAY, REPO
from tests.ui_support import make_window


@pytest.fixture(name="portfolio_window")
def portfolio_window_fixture(qtbot, service, tmp_path):
    create_demo(service, today=DEMO_TODAY, portfolio=True)
    service.history.clear()
    return make_window(qtbot, service, tmp_path)


def _page(qtbot, window) -> PortfolioPage:
    page = window.show_page("portfolio")
    assert isinstance(page, PortfolioPage)
    qtbot.waitUntil(lambda: page.portfolio is not None and bool(page.chart.units))
    return page


def _over_cell(heatmap: PortfolioHeatmap) -> tuple[int, int]:
    """The first over-capacity cell, made current (so scrolled into view)."""
    row, week = next(
        (r, w)
        for r, unit_load in enumerate(heatmap.units)
        for w, load in enumerate(unit_load.weeks)
        if load.over
    )
    heatmap.set_current(row, week)
    return row, week


def _pixel(widget, point: QPoint) -> QColor:
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def _messages(page: PortfolioPage) -> list[str]:
    return [page.proxy.index(row, 2).data() for row in range(page.proxy.rowCount())]


def test_the_heatmap_draws_every_loaded_unit_and_the_table_lists_the_collisions(
    qtbot, portfolio_window
):
    page = _page(qtbot, portfolio_window)
    drawn = page.unit_names_drawn()
    assert "Inside sales (8)" in drawn and "Field service engineers (6)" in drawn
    assert drawn[0] == "Field service engineers (6)"  # the most overloaded on top
    every = {u.unit.name for u in page.portfolio.units if u.peak > 0}
    assert {label.rsplit(" (", 1)[0] for label in drawn} == every
    assert page.chart.accessibleName() == "Change load heatmap"
    messages = _messages(page)
    assert any("go live with Helix CRM rollout" in m and "Spendly" in m for m in messages)
    assert page.proxy.index(0, 0).data() == "Critical"
    assert "3 initiatives" in page.summary.text() and "over capacity" in page.summary.text()


def test_double_clicking_a_collision_opens_its_record_in_its_own_initiative(
    qtbot, portfolio_window
):
    window = portfolio_window
    main_id = window.ctx.initiative_id
    page = _page(qtbot, window)
    row = next(
        r
        for r in range(page.proxy.rowCount())
        if page.proxy.index(r, 4).data() == "Go-live: travelling staff"
    )
    kind, record_id = page.proxy.index(row, 0).data(RECORD_ROLE)
    assert kind == "phase"
    index = page.proxy.index(row, 2)
    page.table.scrollTo(index)
    centre = page.table.visualRect(index).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    spendly = next(i for i in window.service.initiatives() if i.name == "Spendly expense rollout")
    assert window.ctx.initiative_id == spendly.id != main_id
    assert window.current_page_key() == "rollout"
    view = window.active_view()
    assert view is not None and view.current_record().id == record_id


def test_the_unit_and_period_filters_narrow_the_heatmap_and_the_findings(qtbot, portfolio_window):
    page = _page(qtbot, portfolio_window)
    everything = _messages(page)
    page.unit.setCurrentIndex(page.unit.findText("Inside sales"))
    qtbot.waitUntil(lambda: page.unit_names_drawn() == ["Inside sales (8)"])
    narrowed = _messages(page)
    assert 0 < len(narrowed) < len(everything)
    assert all(m.startswith("Inside sales") for m in narrowed)

    page.unit.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(_messages(page)) == len(everything))
    page.start.set_value(date(2027, 3, 1))
    page.start.editingFinished.emit()
    qtbot.waitUntil(lambda: page.portfolio.weeks[0] == date(2027, 3, 1))
    later = _messages(page)
    assert len(later) < len(everything)
    assert not any("2027-W08" in m for m in later)  # February's overloads are outside

    page.end.set_value(date(2027, 2, 1))  # ends before it starts: said, nothing drawn anew
    page.end.editingFinished.emit()
    qtbot.waitUntil(lambda: "before it starts" in page.summary.text())


def test_present_has_a_portfolio_slide_in_type_a_room_reads(qtbot, portfolio_window):
    window = portfolio_window
    present = PresentWindow(
        window.service, window.ctx.initiative_id, today=DEMO_TODAY, parent=window
    )
    qtbot.addWidget(present)
    present.resize(1280, 720)
    present.show()
    position = next(i for i, s in enumerate(present.slides) if s.key == "portfolio")
    present.show_slide(position)
    QApplication.processEvents()
    slide = present.current_slide()
    assert isinstance(slide, PortfolioSlide)
    assert present.title_label.text() == "Change load across initiatives"
    figure = slide.pane.figure
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "Inside sales (8)" in labels
    smallest = min(t.get_fontsize() for t in figure.axes[0].get_yticklabels())
    assert smallest * figure.dpi / 72 >= 9
    present.close()


def test_an_over_capacity_cell_is_painted_in_the_over_capacity_colour(qtbot, portfolio_window):
    page = _page(qtbot, portfolio_window)
    heatmap = page.chart
    row, week = _over_cell(heatmap)
    qtbot.waitUntil(lambda: heatmap.grid_rect().contains(heatmap.cell_rect(row, week)))
    # clear of the current cell's outline and of a go-live marker in the middle
    inside = heatmap.cell_rect(row, week).topLeft() + QPoint(5, 4)
    over = QColor(portfolio_scale.COLOURS[portfolio_scale.OVER])
    assert _pixel(heatmap.viewport(), inside) == over
    nothing = next(
        (r, w)
        for r, unit_load in enumerate(heatmap.units)
        for w, load in enumerate(unit_load.weeks)
        if load.load == 0 and heatmap.grid_rect().contains(heatmap.cell_rect(r, w))
    )
    assert _pixel(heatmap.viewport(), heatmap.cell_rect(*nothing).center()) == QColor("#FFFFFF")


def test_the_heatmap_follows_a_dark_palette(qtbot, portfolio_window):
    from planner.ui.theme import dark_palette

    portfolio_window.setPalette(dark_palette())
    page = _page(qtbot, portfolio_window)
    heatmap = page.chart
    qtbot.waitUntil(lambda: heatmap.isVisible())
    image = heatmap.viewport().grab().toImage()
    ratio = image.devicePixelRatio()

    def at(point: QPoint) -> QColor:
        return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))

    empty = next(
        (r, w)
        for r, unit_load in enumerate(heatmap.units)
        for w, load in enumerate(unit_load.weeks)
        if load.load == 0 and heatmap.grid_rect().contains(heatmap.cell_rect(r, w))
    )
    assert at(heatmap.cell_rect(*empty).center()).lightness() < 60  # dark paper, not white
    first_row = heatmap.cell_rect(0, 0)  # its height and top; the grid may be scrolled
    name = QRect(0, first_row.top(), heatmap.grid_rect().left() - 1, first_row.height())
    lightest = max(
        at(QPoint(x, y)).lightness()
        for x in range(name.left(), name.right(), 1)
        for y in range(name.top(), name.bottom(), 1)
    )
    assert lightest > 180  # the unit names are light ink
    assert at(QPoint(name.left() + 1, name.top() + 1)).lightness() < 60  # on a dark window


def test_a_cells_tooltip_names_its_load_and_what_adds_to_it(qtbot, portfolio_window):
    page = _page(qtbot, portfolio_window)
    heatmap = page.chart
    row, week = _over_cell(heatmap)
    load = heatmap.units[row].weeks[week]
    viewport = heatmap.viewport()
    centre = heatmap.cell_rect(row, week).center()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, centre, viewport.mapToGlobal(centre))
    )
    text = QToolTip.text()
    assert text == heatmap.cell_text(row, week)
    first = text.splitlines()[0]
    assert first.startswith(f"{heatmap.units[row].unit.name}, week of {format_date(load.monday)}")
    assert f"{load.load:g} points against a capacity of {load.capacity:g}" in first
    assert "over capacity" in first
    for name in load.initiatives:
        assert any(line.startswith(f"• {name}: ") for line in text.splitlines()[1:])
    shares = {line.split(": ")[0][2:]: line for line in text.splitlines()[1:]}
    added = sum(item.points for item in load.items if item.initiative.name == load.initiatives[0])
    assert f"{load.initiatives[0]}: {round(added, 2):g} (" in shares[load.initiatives[0]]
    QToolTip.hideText()


def test_the_arrow_keys_move_the_current_cell_and_read_it_out(qtbot, portfolio_window):
    page = _page(qtbot, portfolio_window)
    heatmap = page.chart
    heatmap.setFocus()
    qtbot.keyClick(heatmap, Qt.Key.Key_Down)  # the first key makes the top-left cell current
    assert heatmap.current == (0, 0)
    qtbot.keyClick(heatmap, Qt.Key.Key_Right)
    qtbot.keyClick(heatmap, Qt.Key.Key_Right)
    qtbot.keyClick(heatmap, Qt.Key.Key_Down)
    assert heatmap.current == (1, 2)
    unit_load = heatmap.units[1]
    said = page.cell.text()
    assert said.startswith(
        f"{unit_load.unit.name}, week of {format_date(unit_load.weeks[2].monday)}"
    )
    assert heatmap.accessibleDescription() == said
    qtbot.keyClick(heatmap, Qt.Key.Key_End)
    assert heatmap.current == (1, len(page.portfolio.weeks) - 1)
    assert heatmap.cell_rect(1, len(page.portfolio.weeks) - 1).right() <= (
        heatmap.viewport().width()
    )  # scrolled into view
    qtbot.keyClick(heatmap, Qt.Key.Key_Up)
    qtbot.keyClick(heatmap, Qt.Key.Key_Up)  # stops at the top row
    assert heatmap.current == (0, len(page.portfolio.weeks) - 1)


def test_clicking_a_cell_selects_a_finding_about_its_unit(qtbot, portfolio_window):
    page = _page(qtbot, portfolio_window)
    heatmap = page.chart
    row, week = _over_cell(heatmap)
    name = heatmap.units[row].unit.name
    qtbot.mouseClick(
        heatmap.viewport(), Qt.MouseButton.LeftButton, pos=heatmap.cell_rect(row, week).center()
    )
    assert heatmap.current == (row, week)
    chosen = page.table.selectionModel().selectedRows(2)
    assert chosen and chosen[0].data().startswith(f"{name} ")


def test_opening_the_page_imports_no_matplotlib(tmp_path):
    """The page paints its own heatmap: matplotlib stays for exports and Present."""
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from datetime import date\n"
        "from planner.persistence import open_database\n"
        "from planner.services.demo import create_demo\n"
        "from planner.services.planning import PlanService\n"
        "from planner.ui.main_window import MainWindow\n"
        "from planner.ui.settings import Settings\n"
        f"service = PlanService(open_database({str(tmp_path / 'plan.db')!r}))\n"
        "create_demo(service, today=date(2027, 1, 15), portfolio=True)\n"
        f"window = MainWindow(service, settings=Settings({str(tmp_path / 's.ini')!r}))\n"
        "window.show()\n"
        "page = window.show_page('portfolio')\n"
        "import time\n"
        "deadline = time.monotonic() + 60\n"
        "while not page.chart.units and time.monotonic() < deadline:\n"
        "    app.processEvents()\n"
        "    time.sleep(0.01)\n"
        "page.chart.viewport().grab()\n"
        "print(len(page.chart.units), sorted(m for m in sys.modules if m.startswith('matplotlib')))\n"
        "sys.exit(0 if page.chart.units and 'matplotlib' not in sys.modules else 1)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_page_writes_dates_as_people_do(qtbot, portfolio_window):
    import re

    page = _page(qtbot, portfolio_window)
    iso = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
    assert not iso.search(page.summary.text()), page.summary.text()
    for row in range(page.proxy.rowCount()):
        for column in range(page.proxy.columnCount()):
            index = page.proxy.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                text = index.data(role) or ""
                assert not iso.search(text), text
    assert any(re.search(r"after \d{1,2} \w{3} 20\d\d", _action) for _action in _actions(page))


def _actions(page: PortfolioPage) -> list[str]:
    return [page.proxy.index(row, 3).data() for row in range(page.proxy.rowCount())]


def test_the_findings_sort_by_a_header_click_and_keep_the_selected_finding(qtbot, portfolio_window):
    page = _page(qtbot, portfolio_window)
    table = page.table
    severities = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    rank = {"Critical": 0, "Warning": 1, "Info": 2}
    assert [rank[s] for s in severities] == sorted(rank[s] for s in severities)
    chosen = page.proxy.index(3, 2).data()
    table.selectRow(3)
    header = table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(2) + 5, header.height() // 2),
    )
    messages = _messages(page)
    assert header.sortIndicatorSection() == 2
    keys = [m.casefold() for m in messages]
    assert keys in (sorted(keys), sorted(keys, reverse=True))
    assert sorted(keys) != keys or sorted(keys, reverse=True) != keys  # there is an order
    selected = table.selectionModel().selectedRows(2)
    assert [index.data() for index in selected] == [chosen]


def test_the_heatmap_opens_on_the_first_overloaded_week(qtbot, portfolio_window):
    """A year of weeks does not fit a laptop: the grid opens scrolled to the trouble,
    with two weeks before it, and then leaves the scrolling to the user."""
    page = _page(qtbot, portfolio_window)
    heatmap = page.chart
    week = heatmap.first_overloaded_week()
    assert week is not None and week > 10  # the demo's first weeks are quiet
    row = next(r for r, u in enumerate(heatmap.units) if u.weeks[week].over)
    grid = heatmap.grid_rect()
    assert heatmap.horizontalScrollBar().value() > 0
    cell = heatmap.cell_rect(row, week)
    assert grid.left() <= cell.left() and cell.right() <= grid.right()
    before = heatmap.cell_rect(row, week - 2)
    assert before.left() >= grid.left()  # two weeks of lead-in show too
    heatmap.horizontalScrollBar().setValue(0)
    page.refresh()
    qtbot.waitUntil(lambda: page.portfolio is not None and bool(heatmap.units))
    qtbot.wait(50)
    assert heatmap.horizontalScrollBar().value() == 0  # the user's scrolling is kept
