"""Every key the window documents, pressed on the real window, does what its menu entry says.

The last test reads the window's own actions: an entry given a key that no
test here presses fails it. Qt's "Ambiguous shortcut" message (a sequence bound twice, which
makes the key do nothing) fails every test in this module.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from planner.ui.help_dialog import HelpDialog
from planner.ui.present.window import PresentWindow
from planner.ui.record_form import RecordDialog
from tests.ui_support import demo_window_fixture  # noqa: F401


@pytest.fixture(autouse=True)
def _no_ambiguous_shortcut(qtlog):
    yield
    ambiguous = [r.message for r in qtlog.records if "Ambiguous" in r.message]
    assert not ambiguous


def press(window, sequence: str) -> None:
    """Type a key sequence ("Ctrl+Shift+Z") as a user would, into the focused widget."""
    combo = QKeySequence(sequence)[0]
    target = QApplication.focusWidget() or window
    QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
    QApplication.processEvents()


def _stakeholder_names(service):
    initiative = service.initiatives()[0]
    return sorted(s.name for s in service.list("stakeholder", initiative.id))


def _ready(qtbot, window, page="stakeholders"):
    window.show_page(page)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.active_view()
    if view is not None:
        view.table.setFocus()
        view.table.setCurrentIndex(view.proxy.index(0, 0))
    return view


def test_no_key_is_bound_twice_and_standard_keys_are_expanded(demo_window):
    seen: dict[str, str] = {}
    for action in demo_window.findChildren(QAction):
        for sequence in action.shortcuts():
            text = sequence.toString()
            assert text not in seen, f"{text} bound to {seen[text]!r} and {action.text()!r}"
            seen[text] = action.text()
    assert "Ctrl+Shift+Z" in seen and "Ctrl+Y" in seen
    assert seen["F1"] == "&Help and keyboard shortcuts"
    assert "Ctrl+Alt+Del" not in seen


def test_every_menu_has_distinct_mnemonics(demo_window):
    bar = demo_window.menuBar()

    def letters(texts):
        return [m.group(1).lower() for t in texts for m in [re.search(r"&([^&])", t)] if m]

    top = [a.text() for a in bar.actions()]
    assert len(set(letters(top))) == len(letters(top)) == len(top)
    for menu in bar.findChildren(QMenu):
        texts = [a.text() for a in menu.actions() if not a.isSeparator()]
        marks = letters(texts)
        duplicates = {m for m in marks if marks.count(m) > 1}
        assert not duplicates, (menu.title(), duplicates, texts)


def test_page_keys_go_to_their_page(qtbot, demo_window):
    _ready(qtbot, demo_window)
    keys = list(demo_window.pages)[:9]
    for number, key in enumerate(keys, start=1):
        press(demo_window, f"Ctrl+{number}")
        assert demo_window.current_page_key() == key


def test_edit_keys_add_duplicate_delete_undo_redo(qtbot, demo_window, demo):
    view = _ready(qtbot, demo_window)
    before = _stakeholder_names(demo)
    first = view.proxy.record(view.proxy.index(0, 0)).name

    press(demo_window, "Ctrl+D")
    assert len(_stakeholder_names(demo)) == len(before) + 1
    press(demo_window, "Ctrl+Z")
    assert _stakeholder_names(demo) == before
    for redo in demo_window.actions_.redo.shortcuts():
        press(demo_window, redo.toString())
        assert len(_stakeholder_names(demo)) == len(before) + 1
        press(demo_window, "Ctrl+Z")
        assert _stakeholder_names(demo) == before

    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    demo_window.dialogs.confirmations.append(True)
    press(demo_window, "Del")
    assert first not in _stakeholder_names(demo)
    press(demo_window, "Ctrl+Z")
    assert _stakeholder_names(demo) == before

    for add in ("Ins", "Ctrl+Shift+N"):
        _ready(qtbot, demo_window)
        press(demo_window, add)
        dialog = view.last_dialog
        assert isinstance(dialog, RecordDialog) and dialog.isVisible()
        dialog.reject()
        qtbot.waitUntil(lambda shown=dialog: not shown.isVisible())


def _row_of(view, name: str):
    for row in range(view.proxy.rowCount()):
        if view.proxy.record(view.proxy.index(row, 0)).title == name:
            return view.proxy.index(row, 0)
    raise AssertionError(name)


def test_keys_go_down_into_the_rows_below_and_add_there(qtbot, demo_window, demo):
    objectives = _ready(qtbot, demo_window, "objectives")
    objective = objectives.proxy.record(objectives.proxy.index(0, 0))
    kpis = next(v for v in objectives.children_views if v.kind == "kpi")

    press(demo_window, "Ctrl+Down")
    assert kpis.table.hasFocus() and kpis.parent_id == objective.id
    assert kpis.table.currentIndex().isValid()
    press(demo_window, "Ctrl+Up")
    assert objectives.table.hasFocus()
    press(demo_window, "Return")  # Enter on a row with rows below it goes down too
    assert kpis.table.hasFocus()
    press(demo_window, "Ctrl+Up")

    press(demo_window, "Ctrl+Shift+A")
    dialog = kpis.last_dialog
    assert isinstance(dialog, RecordDialog) and dialog.isVisible()
    assert dialog.form.base_values["objective_id"] == objective.id
    QTest.keyClicks(dialog.form.editors["name"], "Churn rate")
    dialog.add_button.click()
    assert "Churn rate" in {k.name for k in demo.list("kpi", objective.id)}

    courses = _ready(qtbot, demo_window, "training")
    course = courses.proxy.record(courses.table.currentIndex())
    press(demo_window, "Return")
    sessions = courses.current_child()
    assert sessions is not None and sessions.kind == "session"
    assert sessions.table.hasFocus() and sessions.parent_id == course.id


def test_find_and_switch_keys_put_the_cursor_where_the_user_types(qtbot, demo_window):
    view = _ready(qtbot, demo_window)
    press(demo_window, "Ctrl+F")
    assert view.filter.hasFocus()
    QTest.keyClicks(view.filter, "Works")
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1)
    press(demo_window, "Ctrl+I")
    assert demo_window.switcher.view().isVisible()
    demo_window.switcher.hidePopup()


def test_initiative_keys_create_rename_duplicate_snapshot_and_delete(qtbot, demo_window, demo):
    _ready(qtbot, demo_window)
    dialogs = demo_window.dialogs
    count = len(demo.initiatives())
    dialogs.texts.append("Intranet refresh")
    press(demo_window, "Ctrl+Alt+N")
    assert "Intranet refresh" in [i.name for i in demo.initiatives()]
    demo_window.activateWindow()
    dialogs.texts.append("Intranet 2027")
    press(demo_window, "Ctrl+Alt+R")
    assert "Intranet 2027" in [i.name for i in demo.initiatives()]
    dialogs.texts.append("Intranet template")
    press(demo_window, "Ctrl+Alt+D")
    assert "Intranet template" in [i.name for i in demo.initiatives()]
    assert len(demo.initiatives()) == count + 2
    press(demo_window, "Ctrl+Alt+S")
    assert demo_window.message_label.text().startswith("Snapshot taken of")
    dialogs.confirmations.append(True)
    press(demo_window, "Ctrl+Shift+Del")
    assert len(demo.initiatives()) == count + 1


def test_f1_opens_help_listing_the_keys_and_f5_presents(qtbot, demo_window):
    _ready(qtbot, demo_window)
    press(demo_window, "F1")
    helps = [d for d in demo_window.findChildren(HelpDialog) if d.isVisible()]
    assert len(helps) == 1
    text = helps[0].browser.toPlainText()
    assert "Ctrl+Shift+Z" in text and "Ctrl+Shift+Del" in text and "Esc" in text
    helps[0].reject()
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow)
    press(demo_window, "F5")
    present = [w for w in QApplication.topLevelWidgets() if isinstance(w, PresentWindow)]
    assert len(present) == 1 and present[0].isVisible()
    present[0].close()


def test_file_keys_ask_for_their_file_and_quit_closes(qtbot, demo_window, tmp_path):
    _ready(qtbot, demo_window)
    dialogs = demo_window.dialogs
    for key in ("Ctrl+E", "Ctrl+Shift+I", "Ctrl+O"):
        dialogs.paths.append(None)
        press(demo_window, key)
        assert dialogs.paths == [], key
    copy = tmp_path / "copy.db"
    dialogs.paths.append(copy)
    press(demo_window, "Ctrl+Shift+S")
    qtbot.waitUntil(copy.exists, timeout=20_000)
    qtbot.waitUntil(lambda: not demo_window.ctx.tasks.running, timeout=20_000)
    fresh = tmp_path / "fresh.db"
    dialogs.paths.append(fresh)
    press(demo_window, "Ctrl+N")
    assert demo_window.service.db.path == fresh
    press(demo_window, "Ctrl+Q")
    assert not demo_window.isVisible()


def test_timeline_keys_zoom_and_print_the_timeline(qtbot, demo_window, tmp_path):
    _ready(qtbot, demo_window)
    press(demo_window, "Ctrl+-")
    assert demo_window.current_page_key() == "timeline"
    view = demo_window.pages["timeline"].view
    assert view.zoom == "quarter"
    press(demo_window, "Ctrl++")
    assert view.zoom == "month"
    press(demo_window, "Ctrl+=")
    assert view.zoom == "week"
    _ready(qtbot, demo_window)
    target = tmp_path / "timeline.pdf"
    demo_window.dialogs.paths.append(target)
    press(demo_window, "Ctrl+P")
    assert demo_window.current_page_key() == "timeline"
    assert target.read_bytes().startswith(b"%PDF")


def test_portfolio_key_opens_the_portfolio_page(qtbot, demo_window):
    _ready(qtbot, demo_window)
    press(demo_window, "Ctrl+Shift+P")
    assert demo_window.current_page_key() == "portfolio"
    page = demo_window.pages["portfolio"]
    qtbot.waitUntil(lambda: page.portfolio is not None)


def test_every_key_of_the_window_is_pressed_by_these_tests(demo_window):
    pressed = {
        *(f"Ctrl+{n}" for n in range(1, 10)),
        *("Ctrl+D", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Del", "Ins", "Ctrl+Shift+N"),
        *("Ctrl+F", "Ctrl+I", "Ctrl+Alt+N", "Ctrl+Alt+R", "Ctrl+Alt+D", "Ctrl+Alt+S"),
        *("Ctrl+Shift+Del", "F1", "F5", "Ctrl+E", "Ctrl+Shift+I", "Ctrl+O"),
        *("Ctrl+Shift+S", "Ctrl+N", "Ctrl+Q", "Ctrl+Down", "Ctrl+Up", "Ctrl+Shift+A"),
        *("Ctrl++", "Ctrl+=", "Ctrl+-", "Ctrl+P", "Ctrl+Shift+P"),
    }
    unpressed = [
        action.text()
        for action in demo_window.findChildren(QAction)
        if action.shortcuts() and not {k.toString() for k in action.shortcuts()} & pressed
    ]
    assert not unpressed
