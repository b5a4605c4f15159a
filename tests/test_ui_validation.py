"""Refused values in the real window: each says why, next to where it was typed, with dates as
tables show them, and nothing on the page moves when a message comes or goes."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.test_ui_window import edit_cell
from tests.ui_support import demo_window_fixture  # noqa: F401


def _council(qtbot, window, service):
    initiative = service.initiatives()[0]
    council = next(
        s for s in service.list("stakeholder", initiative.id) if s.name == "Works council"
    )
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.show_record("stakeholder", council.id)
    return council, window.pages["stakeholders"]


def _painted_in_red(label) -> bool:
    """The refusal's line is painted in red: some of its pixels are clearly red."""
    image = label.grab().toImage()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.red() > 150 and colour.red() > 2 * max(colour.green(), colour.blue()):
                return True
    return False


def _where(widget) -> QPoint:
    return widget.mapTo(widget.window(), QPoint(0, 0))


def test_a_power_of_7_typed_in_the_form_is_explained_under_it_and_nothing_moves(
    qtbot, demo_window, demo
):
    council, view = _council(qtbot, demo_window, demo)
    form = view.form
    power, interest = form.editors["power"], form.editors["interest"]
    below = _where(interest)
    power.setFocus()
    power.lineEdit().selectAll()
    qtbot.keyClicks(power.lineEdit(), "7")
    assert "outside 1–5" in form.error_text("power")
    assert _where(interest) == below
    qtbot.keyClick(power, Qt.Key.Key_Return)
    assert demo.get("stakeholder", council.id).power == council.power
    assert "outside 1–5" in form.error_text("power")
    assert form.errors["power"].isVisible()
    assert _where(interest) == below
    assert _painted_in_red(form.errors["power"])

    power.lineEdit().selectAll()
    qtbot.keyClicks(power.lineEdit(), "5")
    qtbot.keyClick(power, Qt.Key.Key_Return)
    assert demo.get("stakeholder", council.id).power == 5
    assert form.error_text("power") == ""
    assert _where(interest) == below
    qtbot.keyClick(power, Qt.Key.Key_Up)
    assert power.value() == 5 and power.text() == "5"


def test_a_power_of_9_typed_in_a_cell_is_explained_and_the_table_stays_put(
    qtbot, demo_window, demo
):
    council, view = _council(qtbot, demo_window, demo)
    table_at = _where(view.table)
    edit_cell(view, qtbot, "Works council", "power", "9")
    assert demo.get("stakeholder", council.id).power == council.power
    assert view.error.isVisible() and "outside 1–5" in view.error.text()
    assert "outside 1–5" in demo_window.message_label.text()
    assert _where(view.table) == table_at


def test_a_refusal_names_dates_the_way_tables_show_them(qtbot, demo_window, demo):
    demo_window.activateWindow()
    demo_window.show_page("rollout")
    view = demo_window.active_view()
    dialog = view.add()
    start, end = dialog.form.editors["starts_on"], dialog.form.editors["ends_on"]
    qtbot.keyClicks(dialog.form.editors["name"], "Wave 9")
    start.setFocus()
    qtbot.keyClicks(start, "2027-05-01")
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    end.setFocus()
    name_at = _where(dialog.form.editors["name"])
    qtbot.keyClicks(end, "2027-04-01")
    message = dialog.form.error_text("ends_on")
    assert "before the start" in message
    assert "2027-0" not in message and ("1 Apr 2027" in message or "1 May 2027" in message)
    assert not dialog.add_button.isEnabled()
    assert _where(dialog.form.editors["name"]) == name_at
    dialog.reject()
    assert QApplication.activeModalWidget() is None or not dialog.isVisible()
