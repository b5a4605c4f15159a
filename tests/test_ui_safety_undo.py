"""In the window, Ctrl+Z never reverts a change somebody else saved after ours."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from planner.ui.main_window import MainWindow
from tests.ui_support import demo_window_fixture, make_window, window_fixture  # noqa: F401


def test_undo_of_an_edit_overwritten_elsewhere_is_refused_in_one_line(
    demo_window: MainWindow, qtbot
):
    window = demo_window
    person = window.service.list("stakeholder")[0]
    window.service.update("stakeholder", person.id, {"notes": "ours"})
    assert window.actions_.undo.isEnabled()
    path = window.service.db.path
    with sqlite3.connect(path) as other:
        other.execute("update stakeholder set notes = 'theirs' where id = ?", (person.id,))

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    shown = window.message_label.text()
    assert shown.startswith("cannot undo ‘Edit stakeholder ‘"), shown
    assert "\n" not in shown and "nothing was changed" in shown
    assert window.service.get("stakeholder", person.id).notes == "theirs"
    assert not window.actions_.undo.isEnabled()
