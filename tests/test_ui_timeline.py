"""The Timeline page on the real window: drags and keys reschedule the plan, undoably.

A drag is a real mouse press, move and release on the view's viewport; what is
asserted is the database afterwards and what the status bar says.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.ui.timeline_page import TimelinePage
from tests.ui_support import demo_window_fixture  # noqa: F401


@pytest.fixture(name="page")
def page_fixture(qtbot, demo_window) -> TimelinePage:
    demo_window.show_page("timeline")
    page = demo_window.pages["timeline"]
    assert isinstance(page, TimelinePage)
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow)
    return page


def _phase(service, name):
    initiative = service.initiatives()[0]
    return next(p for p in service.list("phase", initiative.id) if p.name.startswith(name))


def _item(page, record_id):
    item = page.view.item_of(record_id)
    assert item is not None
    page.view.ensureVisible(item, 80, 20)
    QApplication.processEvents()
    return item


def _drag(page, start: QPoint, end: QPoint) -> None:
    viewport = page.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    middle = QPoint((start.x() + end.x()) // 2, start.y())
    QTest.mouseMove(viewport, middle)
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    QApplication.processEvents()


def _point(page, scene_x: float, scene_y: float) -> QPoint:
    return page.view.mapFromScene(scene_x, scene_y)


def press(widget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, key, modifiers)
    QApplication.processEvents()


def test_dragging_a_phase_moves_it_by_whole_days_and_undo_restores_it(page, demo, demo_window):
    pilot = _phase(demo, "Pilot")
    item = _item(page, pilot.id)
    rect = item.rect()
    days = 9
    start = _point(page, rect.center().x(), rect.center().y())
    _drag(page, start, start + QPoint(round(days * page.view.per_day), 0))

    moved = _phase(demo, "Pilot")
    assert moved.starts_on == pilot.starts_on + timedelta(days=days)
    assert moved.ends_on == pilot.ends_on + timedelta(days=days)
    assert demo.history.undo_label.startswith("Move phase ‘Pilot")
    # the bar is redrawn where the plan now has it
    assert page.view.item_of(pilot.id).rect().left() == pytest.approx(
        rect.left() + days * page.view.per_day
    )

    demo_window.undo()
    restored = _phase(demo, "Pilot")
    assert (restored.starts_on, restored.ends_on) == (pilot.starts_on, pilot.ends_on)


def test_dragging_a_phase_end_resizes_only_the_end(page, demo):
    pilot = _phase(demo, "Pilot")
    item = _item(page, pilot.id)
    rect = item.rect()
    grab = _point(page, rect.right() - 2, rect.center().y())
    _drag(page, grab, grab + QPoint(round(5 * page.view.per_day), 0))

    resized = _phase(demo, "Pilot")
    assert resized.starts_on == pilot.starts_on
    assert resized.ends_on == pilot.ends_on + timedelta(days=5)


def test_a_drag_the_plan_refuses_changes_nothing_and_says_why(page, demo, demo_window):
    pilot = _phase(demo, "Pilot")
    assert not demo.history.can_undo
    item = _item(page, pilot.id)
    rect = item.rect()
    length = (pilot.ends_on - pilot.starts_on).days
    grab = _point(page, rect.right() - 2, rect.center().y())
    target = grab - QPoint(round((length + 6) * page.view.per_day), 0)
    assert target.x() > 0, "the drag must stay on the viewport"
    _drag(page, grab, target)

    after = _phase(demo, "Pilot")
    assert (after.starts_on, after.ends_on) == (pilot.starts_on, pilot.ends_on)
    message = demo_window.message_label.text()
    assert message.startswith("Not rescheduled") and "before the start" in message, message
    assert page.view.item_of(pilot.id).rect() == rect  # snapped back
    assert not demo.history.can_undo  # nothing was written, so nothing to undo


def test_dragging_a_session_reschedules_it(page, demo):
    initiative = demo.initiatives()[0]
    course = next(c for c in demo.list("course", initiative.id) if c.name == "Helix for sales")
    session = min(demo.list("session", course.id), key=lambda s: s.held_on)
    item = _item(page, session.id)
    centre = _point(page, item.rect().center().x(), item.rect().center().y())
    _drag(page, centre, centre + QPoint(round(3 * page.view.per_day), 0))
    assert demo.get("session", session.id).held_on == session.held_on + timedelta(days=3)


def test_zoom_buttons_keys_and_ctrl_wheel_change_the_scale(page, demo_window):
    view = page.view
    month = view.per_day
    width = view.scene().sceneRect().width()
    page.findChild(type(page.print_button), "zoom_week").click()
    assert view.zoom == "week" and view.per_day > month
    assert view.scene().sceneRect().width() > width
    view.setFocus()
    press(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == "month"
    press(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == "quarter" and view.per_day < month
    assert page.findChild(type(page.print_button), "zoom_quarter").isChecked()
    press(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == "month"
    _wheel(view, 120, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == "week"
    _wheel(view, -120, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == "month"
    _wheel(view, -120, Qt.KeyboardModifier.NoModifier)  # a plain wheel scrolls, no zoom
    assert view.zoom == "month"


def _wheel(view, delta, modifiers) -> None:
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        centre,
        QPointF(view.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    QApplication.processEvents()


def test_the_keyboard_picks_and_moves_entries(page, demo):
    pilot = _phase(demo, "Pilot")
    view = page.view
    view.setFocus()
    view.select(None)
    press(view, Qt.Key.Key_Tab)
    assert view.selected is not None and view.selected.entry.record_id == pilot.id
    press(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert _phase(demo, "Pilot").starts_on == pilot.starts_on + timedelta(days=1)
    press(
        view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    )
    moved = _phase(demo, "Pilot")
    assert moved.starts_on == pilot.starts_on + timedelta(days=8)
    assert moved.ends_on == pilot.ends_on + timedelta(days=8)
    end_only = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier
    press(view, Qt.Key.Key_Left, end_only)
    resized = _phase(demo, "Pilot")
    assert resized.starts_on == moved.starts_on
    assert resized.ends_on == moved.ends_on - timedelta(days=1)
    # the selection survives the redraw, and Down picks the next row's entry
    assert view.selected is not None and view.selected.entry.record_id == pilot.id
    press(view, Qt.Key.Key_Down)
    assert view.selected.entry.record_id != pilot.id


def test_print_puts_the_whole_plan_in_a_pdf(page, demo_window, tmp_path):
    target = tmp_path / "plan timeline.pdf"
    demo_window.dialogs.paths.append(target)
    path = page.ask_print()
    assert path == target
    assert target.read_bytes().startswith(b"%PDF")
    assert "Timeline printed" in demo_window.message_label.text()
    image = page.whole_plan(scale=1)
    rows = len(page.view.layout_.rows)
    assert image.height() >= rows * page.view.row_height
    assert page.view.zoom == "month"  # printing leaves the zoom as it was


def test_print_is_on_white_paper_in_a_dark_theme(page):
    from planner.ui.theme import dark_palette, is_dark

    page.view.setPalette(dark_palette())
    image = page.whole_plan(scale=1)
    assert image.pixelColor(4, 4).lightness() > 200
    assert is_dark(page.view.palette())  # the screen keeps its theme


def test_the_timeline_follows_an_edit_reading_only_what_it_draws(qtbot, page, demo_window, demo):
    """Moving a phase redraws the timeline from the dated kinds alone (no stakeholder or
    attendance is read); an edit of a stakeholder leaves it exactly as drawn."""
    from sqlalchemy import event

    phase = _phase(demo, "Pilot")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(demo.db.engine, "before_cursor_execute", count)
    try:
        demo.update("phase", phase.id, {"ends_on": phase.ends_on + timedelta(days=7)})
    finally:
        event.remove(demo.db.engine, "before_cursor_execute", count)
    drawn = page.view.layout_
    entry = next(e for e in drawn.entries if e.record_id == phase.id)
    assert entry.end == phase.ends_on + timedelta(days=7)
    assert any("FROM phase" in s for s in statements)
    whole = [s for s in statements if "FROM stakeholder" in s or "FROM attendance" in s]
    assert all("stakeholder.id = ?" in s for s in whole), whole  # one record at most, never all
    stakeholder = demo.plan(demo_window.ctx.initiative_id).stakeholders[0]
    demo.update("stakeholder", stakeholder.id, {"name": "Someone else"})
    assert page.view.layout_ is drawn  # not redrawn for a stakeholder
