"""In the window, Ctrl+Z never reverts a change somebody else saved after ours."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from planner.ui.main_window import MainWindow
from tests.ui_support import (  # noqa: F401
    cell,
    demo_window_fixture,
    make_window,
    window_fixture,
)


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


def test_a_cell_edit_of_a_record_saved_elsewhere_since_is_refused(demo_window: MainWindow):
    """The window saves from the version it shows: where another planner saved the record
    meanwhile (here by hand, as the store writes it: the next version), the edit is refused
    in one line naming the record, and their save stays."""
    window = demo_window
    view = window.show_page("stakeholders")
    person = window.service.list("stakeholder")[0]
    first, second, theirs, mine = (v for v in range(1, 6) if v != person.power)
    assert view.model.setData(cell(view, person.name, "power"), first)
    assert window.service.get("stakeholder", person.id).version == 2
    assert view.model.setData(cell(view, person.name, "power"), second)  # its own: no conflict
    with sqlite3.connect(window.service.db.path) as other:
        other.execute(
            "update stakeholder set power = ?, version = version + 1 where id = ?",
            (theirs, person.id),
        )
    other.close()

    assert not view.model.setData(cell(view, person.name, "power"), mine)
    shown = window.message_label.text()
    assert shown.startswith(f"stakeholder ‘{person.name}’ was changed by someone else"), shown
    assert "nothing was saved" in shown and "\n" not in shown
    kept = window.service.get("stakeholder", person.id)
    assert (kept.power, kept.version) == (theirs, 4)
