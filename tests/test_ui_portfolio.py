"""The Portfolio page and slide on the real window, over the three-initiative demo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from planner.services.demo import create_demo
from planner.ui.findings_model import RECORD_ROLE
from planner.ui.portfolio_view import PortfolioPage
from planner.ui.present.slides import PortfolioSlide
from planner.ui.present.window import PresentWindow
from tests.conftest import DEMO_TODAY
from tests.ui_support import make_window


@pytest.fixture(name="portfolio_window")
def portfolio_window_fixture(qtbot, service, tmp_path):
    create_demo(service, today=DEMO_TODAY, portfolio=True)
    service.history.clear()
    return make_window(qtbot, service, tmp_path)


def _page(qtbot, window) -> PortfolioPage:
    page = window.show_page("portfolio")
    assert isinstance(page, PortfolioPage)
    qtbot.waitUntil(lambda: page.portfolio is not None and page.chart.figure is not None)
    return page


def _messages(page: PortfolioPage) -> list[str]:
    return [page.proxy.index(row, 2).data() for row in range(page.proxy.rowCount())]


def test_the_heatmap_draws_every_loaded_unit_and_the_table_lists_the_collisions(
    qtbot, portfolio_window
):
    page = _page(qtbot, portfolio_window)
    drawn = page.unit_names_drawn()
    assert "Inside sales (8)" in drawn and "Field service engineers (6)" in drawn
    assert drawn[0] == "Field service engineers (6)"  # the most overloaded on top
    figure = page.chart.figure
    assert figure.axes[0].images  # the heatmap itself
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


def test_the_heatmap_follows_a_dark_palette(qtbot, portfolio_window):
    from matplotlib.colors import to_hex
    from PySide6.QtGui import QColor

    from planner.ui.theme import dark_palette

    portfolio_window.setPalette(dark_palette())
    page = _page(qtbot, portfolio_window)
    figure = page.chart.figure
    assert QColor(to_hex(figure.get_facecolor())).lightness() < 60
    labels = figure.axes[0].get_yticklabels()
    assert all(QColor(to_hex(t.get_color())).lightness() > 180 for t in labels)
    image = figure.axes[0].images[0]
    empty = to_hex(image.get_cmap()(0))
    assert QColor(empty).lightness() < 60  # a week with nothing is the dark paper, not white


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
