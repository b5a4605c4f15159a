"""Dates by keyboard in the real window: typed in ISO or the user's way, Tab leaves, the calendar
opens where the record's dates are, a text that is no date is refused and kept."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from planner.ui.date_field import DateField
from tests.test_ui_window import edit_cell
from tests.ui_support import demo_window_fixture  # noqa: F401

MARCH_1 = date(2027, 3, 1)


def _council_form(qtbot, window, service):
    initiative = service.initiatives()[0]
    council = next(
        s for s in service.list("stakeholder", initiative.id) if s.name == "Works council"
    )
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.show_record("stakeholder", council.id)
    view = window.pages["stakeholders"]
    return council, view, view.form.editors["involved_on"]


def _enter(qtbot, field: DateField) -> None:
    """Click into the field as a user does: its text is selected, ready to be typed over."""
    field.clearFocus()
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field.hasFocus() and field.selectedText() == field.text())


def test_an_iso_date_typed_into_an_empty_field_is_saved_and_tab_leaves(qtbot, demo_window, demo):
    council, _view, field = _council_form(qtbot, demo_window, demo)
    _enter(qtbot, field)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert demo.get("stakeholder", council.id).involved_on is None
    assert field.text() == ""

    _enter(qtbot, field)
    qtbot.keyClicks(field, "2027-03-01")
    assert field.text() == "2027-03-01"
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert demo.get("stakeholder", council.id).involved_on == MARCH_1
    assert field.text() == "1 Mar 2027"
    assert not field.hasFocus()
    assert QApplication.focusWidget() is not None
    assert not isinstance(QApplication.focusWidget(), DateField)


def test_dates_typed_the_users_own_ways_are_understood(qtbot, demo_window, demo):
    council, _view, field = _council_form(qtbot, demo_window, demo)
    short = QLocale().toString(QDate(2026, 12, 23), QLocale.FormatType.ShortFormat)
    for typed, wanted in (
        ("1 March 2027", MARCH_1),
        ("23 Dec 2026", date(2026, 12, 23)),
        (short, date(2026, 12, 23)),
        ("2027-03-02", date(2027, 3, 2)),
    ):
        _enter(qtbot, field)
        qtbot.keyClicks(field, typed)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        assert demo.get("stakeholder", council.id).involved_on == wanted, typed
        assert view_error(field) == ""


def test_a_date_of_every_month_is_saved_and_read_back_as_shown(qtbot, demo_window, demo):
    """ "15 Sep 2027" is how a form shows the date it saved; British English writes
    "Sept", and a field that could not read its own text back refused every September."""
    council, _view, field = _council_form(qtbot, demo_window, demo)
    for month in range(1, 13):
        wanted = date(2027, month, 15)
        _enter(qtbot, field)
        qtbot.keyClicks(field, wanted.isoformat())
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        assert demo.get("stakeholder", council.id).involved_on == wanted
        assert view_error(field) == "", field.text()
        _enter(qtbot, field)
        qtbot.keyClick(field, Qt.Key.Key_Tab)  # its shown text, read back: no change, no error
        assert view_error(field) == "", field.text()
        assert demo.get("stakeholder", council.id).involved_on == wanted


def view_error(field: DateField) -> str:
    form = field.parent()
    while not hasattr(form, "error_text"):
        form = form.parent()
    name = field.objectName().removeprefix("field_")
    return form.error_text(name)


def test_a_text_that_is_no_date_is_refused_kept_and_explained(qtbot, demo_window, demo):
    council, _view, field = _council_form(qtbot, demo_window, demo)
    before = demo.get("stakeholder", council.id).involved_on
    _enter(qtbot, field)
    qtbot.keyClicks(field, "2027-13-45")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert demo.get("stakeholder", council.id).involved_on == before
    assert field.text() == "2027-13-45"
    assert "‘2027-13-45’ is not a date" in view_error(field)
    assert "1 Mar 2027" in view_error(field)
    assert "‘2027-03-01’" in view_error(field)  # the ISO example is kept as typed
    _enter(qtbot, field)
    qtbot.keyClicks(field, "3 Feb 1800")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "outside the dates a plan can hold" in view_error(field)
    assert demo.get("stakeholder", council.id).involved_on == before


def test_the_calendar_opens_on_the_fields_date_and_a_pick_is_saved(qtbot, demo_window, demo):
    council, _view, field = _council_form(qtbot, demo_window, demo)
    _enter(qtbot, field)
    qtbot.keyClicks(field, "2027-11-20")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClick(field, Qt.Key.Key_F4)
    calendar = field.calendar()
    qtbot.waitUntil(calendar.isVisible)
    assert (calendar.yearShown(), calendar.monthShown()) == (2027, 11)
    muted = field.palette().color(QPalette.ColorRole.PlaceholderText)
    assert calendar.dateTextFormat(QDate(2027, 10, 31)).foreground().color() == muted
    assert calendar.dateTextFormat(QDate(2027, 11, 1)).foreground().color() != muted
    days = QApplication.focusWidget()
    assert calendar.isAncestorOf(days)
    qtbot.keyClick(days, Qt.Key.Key_Right)
    qtbot.keyClick(days, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert demo.get("stakeholder", council.id).involved_on == date(2027, 11, 21)
    assert field.text() == "21 Nov 2027"


def test_an_empty_date_opens_near_the_records_other_date_or_the_initiative(
    qtbot, demo_window, demo
):
    initiative = demo.initiatives()[0]
    demo_window.activateWindow()
    view = demo_window.show_page("rollout")
    view = demo_window.active_view()
    dialog = view.add()
    start, end = dialog.form.editors["starts_on"], dialog.form.editors["ends_on"]
    today = date.today()
    expected = min(max(today, initiative.start or today), initiative.go_live or today)
    start.setFocus()
    qtbot.keyClick(start, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(start.calendar().isVisible)
    shown = start.calendar()
    assert (shown.yearShown(), shown.monthShown()) == (expected.year, expected.month)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shown.isVisible())
    start.setFocus()
    start.selectAll()
    qtbot.keyClicks(start, "2028-05-10")
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    end.setFocus()
    qtbot.keyClick(end, Qt.Key.Key_F4)
    qtbot.waitUntil(end.calendar().isVisible)
    assert (end.calendar().yearShown(), end.calendar().monthShown()) == (2028, 5)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    dialog.reject()


def test_a_date_typed_into_a_table_cell_is_saved_and_a_bad_one_explained(qtbot, demo_window, demo):
    council, view, _field = _council_form(qtbot, demo_window, demo)
    edit_cell(view, qtbot, "Works council", "involved_on", "2027-03-01")
    assert demo.get("stakeholder", council.id).involved_on == MARCH_1
    edit_cell(view, qtbot, "Works council", "involved_on", "31 Febtember")
    assert demo.get("stakeholder", council.id).involved_on == MARCH_1
    assert "is not a date" in demo_window.message_label.text()
