"""Starting from nothing in the real window, by keyboard: the guided start on an empty file,
then people fields that offer the initiative's stakeholders while still taking anyone."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui_support import window_fixture  # noqa: F401


def _type(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def _tab(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def test_an_empty_file_opens_on_a_guided_start_done_by_keyboard(qtbot, window, service):
    start = window.guided_start
    assert start is not None and start.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    start.name.setFocus()
    assert start.name.width() >= start.name.fontMetrics().horizontalAdvance("m" * 30)
    _type(qtbot, "Intranet relaunch")
    _tab(qtbot)
    _type(qtbot, "2027-01-11")
    _tab(qtbot)
    _type(qtbot, "1 Jun 2027")
    _tab(qtbot)
    _type(qtbot, "Ada Stone (COO)")
    _tab(qtbot)
    assert QApplication.focusWidget() is start.stakeholders
    _type(qtbot, "Sales team")
    qtbot.keyClick(start.stakeholders, Qt.Key.Key_Return)
    _type(qtbot, "Works council")
    _tab(qtbot)
    assert QApplication.focusWidget() is start.create_button
    qtbot.keyClick(start.create_button, Qt.Key.Key_Space)

    [initiative] = service.initiatives()
    assert (initiative.name, initiative.start, initiative.go_live) == (
        "Intranet relaunch",
        date(2027, 1, 11),
        date(2027, 6, 1),
    )
    people = {s.name: s for s in service.list("stakeholder", initiative.id)}
    assert sorted(people) == ["Ada Stone (COO)", "Sales team", "Works council"]
    # The sponsor typed is a stakeholder the initiative links to: a person with power.
    sponsor = people["Ada Stone (COO)"]
    assert initiative.sponsor_id == sponsor.id
    assert (sponsor.kind.value, sponsor.power) == ("person", 5)
    assert window.guided_start is None
    assert window.current_page_key() == "stakeholders"
    assert "Initiative page" in window.message_label.text()


def test_a_refused_start_says_why_and_creates_nothing(qtbot, window, service):
    start = window.guided_start
    start.name.setFocus()
    qtbot.keyClicks(start.name, "Intranet")
    start.start.setFocus()
    qtbot.keyClicks(start.start, "2027-06-01")
    start.go_live.setFocus()
    qtbot.keyClicks(start.go_live, "2027-01-01")
    qtbot.keyClick(start.go_live, Qt.Key.Key_Return)
    assert service.initiatives() == []
    assert "1 Jan 2027" in start.error.text() or "1 Jun 2027" in start.error.text()
    assert window.guided_start is start


def test_people_fields_offer_the_stakeholders_and_take_anyone(qtbot, window, service):
    initiative = service.create("initiative", {"name": "Intranet"})
    for name in ("Sales team", "Works council"):
        service.create("stakeholder", {"initiative_id": initiative.id, "name": name})
    window.initiatives.reload(initiative.id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.show_page("stakeholders")
    council = next(
        s for s in service.list("stakeholder", initiative.id) if s.name == "Works council"
    )
    assert window.show_record("stakeholder", council.id)
    owner = view.form.editors["owner"]
    assert owner.names.rowCount() == 0  # showing a record reads no names for the field
    owner.setFocus()
    assert owner.names.stringList() == ["Sales team", "Works council"]
    qtbot.keyClicks(owner, "sal")
    completer = owner.completer()
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    assert completer.currentCompletion() == "Sales team"
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: service.get("stakeholder", council.id).owner == "Sales team")

    owner.setFocus()
    owner.selectAll()
    qtbot.keyClicks(owner, "An outside consultant")
    qtbot.keyClick(owner, Qt.Key.Key_Return)
    assert service.get("stakeholder", council.id).owner == "An outside consultant"
    assert window.show_page("initiative") is not None
    # The sponsor is picked from the initiative's stakeholders (a link, not free text).
    from PySide6.QtWidgets import QComboBox

    sponsor = window.pages["initiative"].findChild(QComboBox, "field_sponsor_id")
    assert sponsor is not None
    qtbot.mouseClick(sponsor, Qt.MouseButton.LeftButton)  # the list is read when it opens
    qtbot.waitUntil(sponsor.view().isVisible)
    assert "Works council" in [sponsor.itemText(i) for i in range(sponsor.count())]
    sponsor.hidePopup()


def test_the_guided_start_is_one_undo_step(qtbot, window, service):
    start = window.guided_start
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    start.name.setFocus()
    qtbot.keyClicks(start.name, "Intranet")
    start.sponsor.setFocus()
    qtbot.keyClicks(start.sponsor, "Ada Stone")
    start.stakeholders.setFocus()
    qtbot.keyClicks(start.stakeholders, "Sales team")
    qtbot.keyClick(start.stakeholders, Qt.Key.Key_Return)
    qtbot.keyClicks(start.stakeholders, "Works council")
    start.create_initiative()
    [initiative] = service.initiatives()
    assert len(service.list("stakeholder", initiative.id)) == 3
    assert service.history.undo_label == "Start initiative ‘Intranet’"

    focus = QApplication.focusWidget() or window
    qtbot.keyClick(focus, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert service.initiatives() == []
    assert not service.history.can_undo
    assert window.guided_start is not None  # an empty file again: the start is back
    window.nav.setFocus()  # (a line edit keeps Ctrl+Shift+Z for its own typing)
    qtbot.keyClick(
        window.nav,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    [again] = service.initiatives()
    assert again.sponsor_id in {s.id for s in service.list("stakeholder", again.id)}
