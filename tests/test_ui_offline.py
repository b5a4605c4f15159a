"""Offline stays first: the window on a team plan whose server goes away and comes back.

A server of this module's own (`postgres_support.start_server`) is stopped with
`pg_ctl stop -m fast` and started again on the same data and port, as a network
drop looks to the window: its connections end, and nothing answers until it is
back. The session's server, which other tests use, is never stopped.

The window turns read-only with a banner rather than queueing edits; the edit
being typed stays in its editor, a save of it is refused in one line and the edit
is held, and once the server is back the window saves it itself, under the usual
version checks (someone else's change meanwhile gets the usual choice).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import DEMO_TODAY
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit, QSpinBox

from planner.persistence.database import Database, open_database
from planner.persistence.errors import DatabaseError, OfflineError
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from planner.ui.main_window import MainWindow
from planner.ui.record_form import PAUSED
from planner.ui.team import OFFLINE
from tests.ui_support import cell, team_window

WAIT_MS = 15_000
"""How long the window may take to notice (it retries every second; a connect may take 5 s)."""


@pytest.fixture
def plan(own_server) -> Iterator[tuple[object, str, Database]]:
    """The demo plan on this module's server; the server is running again afterwards."""
    url = own_server.create()
    db = open_database(url)
    create_demo(PlanService(db), today=DEMO_TODAY)
    yield own_server, url, db
    if not _running(url):
        own_server.resume()
    db.close()
    own_server.drop(url)


def _running(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=5):
            return True
    except psycopg.OperationalError:
        return False


def test_the_core_refuses_a_save_while_its_listener_cannot_reach_the_server(plan):
    """A transaction is refused at once, in one line, not begun on a server that is not
    there (a save that reads first is refused by the read, also in one line); fine once back."""
    server, url, db = plan
    service = PlanService(db)
    person = service.list("stakeholder", service.initiatives()[0].id)[0]
    lost, back = threading.Event(), threading.Event()
    listener = db.listen(lambda _change: None, lambda _detail: lost.set(), back.set)
    assert listener is not None
    try:
        server.halt()
        assert lost.wait(WAIT_MS / 1000)
        assert db.offline
        with pytest.raises(OfflineError) as refused, db.transaction():
            pytest.fail("a transaction began while offline")
        assert str(refused.value) == (
            f"{db.describe()}: the team server cannot be reached; the change was not saved"
        )
        with pytest.raises(DatabaseError) as said:
            service.update("stakeholder", person.id, {"name": "Not now"})
        assert "\n" not in str(said.value)
        assert not service.history.can_undo

        server.resume()
        assert back.wait(WAIT_MS / 1000)
        assert db.offline is None
        assert _stored(url, person.id) == (person.name, person.version)
        service.update("stakeholder", person.id, {"name": "Now"})
        assert _stored(url, person.id) == ("Now", person.version + 1)
    finally:
        listener.stop()


def _window(qtbot, db: Database, folder: Path) -> MainWindow:
    return team_window(qtbot, db, folder, active=True)


def _stored(url: str, record_id: str, column: str = "name") -> tuple[str, int]:
    with psycopg.connect(url) as check:
        row = check.execute(
            f"SELECT {column}, version FROM stakeholder WHERE id = %s", (record_id,)
        ).fetchone()
    assert row is not None
    return str(row[0]), int(row[1])


def _hold_reconnect(window: MainWindow) -> threading.Event:
    """Keep the window offline after the server is back until the event is set, so that
    someone else can save meanwhile (as when only this laptop's network dropped)."""
    listener = window.live._listener
    gate = threading.Event()
    listen = listener._listen

    def gated() -> None:
        gate.wait(WAIT_MS / 1000)
        listen()

    listener._listen = gated
    return gate


def _someone_else_renames(url: str, record_id: str, name: str) -> None:
    bob = open_database(url)
    try:
        PlanService(bob).update("stakeholder", record_id, {"name": name})
    finally:
        bob.close()


def _type_in_name(qtbot, view, typed: str) -> QLineEdit:
    field = view.form.editors["name"]
    assert isinstance(field, QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClicks(field, typed)
    return field


def _go_offline(qtbot, server, window) -> None:
    server.halt()
    qtbot.waitUntil(window.live.banner.isVisible, timeout=WAIT_MS)
    assert window.live.banner.text() == OFFLINE


def _back_online(qtbot, window, *, said: bool = True) -> None:
    """Online again; `said`: and the status line says so (not yet overwritten)."""
    qtbot.waitUntil(lambda: not window.live.banner.isVisible(), timeout=WAIT_MS)
    assert not said or window.message_label.text().startswith("Back online")


def test_a_form_edit_held_offline_is_saved_by_the_window_once_back(qtbot, plan, tmp_path: Path):
    server, url, db = plan
    window = _window(qtbot, db, tmp_path / "ann")
    view = window.show_page("stakeholders")
    people = window.service.list("stakeholder", window.ctx.initiative_id)
    person, elsewhere = people[0], people[1]
    assert view.select(person.id)
    other = view.form.editors["notes"]
    typed = "Dana Whitfield (typed on the train)"
    field = _type_in_name(qtbot, view, typed)

    _go_offline(qtbot, server, window)

    assert window.message_label.text().startswith("Offline: lost the connection")
    assert field.text() == typed and field.hasFocus() and not field.isReadOnly()
    assert other.isReadOnly()  # nothing else takes an edit
    assert not window.actions_.add.isEnabled() and not window.actions_.delete.isEnabled()
    assert not view.add_button.isEnabled()
    assert not view.model.flags(cell(view, person.name, "power")) & Qt.ItemFlag.ItemIsEditable
    # Another row, chosen without leaving the field (Enter never pressed): the edit is held
    # and the table stays on its record.
    view.select(elsewhere.id)
    qtbot.waitUntil(lambda: view.current_record().id == person.id)
    assert view.form.error_text("name") == PAUSED
    assert "\n" not in PAUSED
    assert view.error.text().startswith(f"Your unsaved edit of ‘{person.name}’ is kept")
    assert field.text() == typed

    server.resume()
    _back_online(qtbot, window)

    # Saved by the window itself, once, under the version check; nothing pressed.
    assert _stored(url, person.id) == (typed, person.version + 1)
    assert view.form.error_text("name") == ""
    assert field.text() == typed
    assert not other.isReadOnly() and window.actions_.add.isEnabled()
    qtbot.waitUntil(lambda: str(view.proxy.data(cell(view, typed, "name"))) == typed)
    # Held no more: the table moves, and the form follows.
    assert view.form.holding() is None
    view.select(elsewhere.id)
    assert view.current_record().id == elsewhere.id
    assert view.form.record is not None and view.form.record.id == elsewhere.id
    assert field.text() == elsewhere.name
    assert _stored(url, person.id) == (typed, person.version + 1)


def test_a_form_edit_still_being_typed_once_back_is_saved_on_moving_to_another_row(
    qtbot, plan, tmp_path: Path
):
    """Nothing happened to the edit while offline (no Enter, no leaving the field): moving
    to another row once back saves it first, whether by a click or from elsewhere."""
    server, url, db = plan
    window = _window(qtbot, db, tmp_path / "ann")
    view = window.show_page("stakeholders")
    people = window.service.list("stakeholder", window.ctx.initiative_id)
    person, elsewhere, third = people[0], people[1], people[2]
    assert view.select(person.id)
    typed = "Dana Whitfield (typed as the network went)"
    field = _type_in_name(qtbot, view, typed)

    _go_offline(qtbot, server, window)
    server.resume()
    _back_online(qtbot, window)
    assert field.text() == typed and field.hasFocus()
    assert _stored(url, person.id) == (person.name, person.version)

    view.select(elsewhere.id)  # the focus stays in the field: no editingFinished

    qtbot.waitUntil(lambda: view.form.record.id == elsewhere.id)
    assert _stored(url, person.id) == (typed, person.version + 1)
    assert view.current_record().id == elsewhere.id
    assert field.text() == elsewhere.name
    assert str(view.proxy.data(cell(view, typed, "name"))) == typed
    assert view.select(person.id)
    assert field.text() == typed

    # The same by a click on another row, with the mouse.
    again = "Dana Whitfield (again)"
    _type_in_name(qtbot, view, again)
    target = view.table.visualRect(cell(view, third.name, "name")).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=target)
    qtbot.waitUntil(lambda: view.form.record.id == third.id)
    assert view.current_record().id == third.id
    assert _stored(url, person.id) == (again, person.version + 2)


def test_a_held_form_edit_meets_someone_elses_change_with_the_usual_choice(
    qtbot, plan, tmp_path: Path
):
    """Someone else renamed the record while this window was offline: once back, the held
    edit's save is refused by the version check and the choice is shown; "take theirs"
    drops the held text, says so, and lets the table move on."""
    server, url, db = plan
    window = _window(qtbot, db, tmp_path / "ann")
    view = window.show_page("stakeholders")
    people = window.service.list("stakeholder", window.ctx.initiative_id)
    person, elsewhere = people[0], people[1]
    assert view.select(person.id)
    gate = _hold_reconnect(window)
    typed = "Dana Whitfield (mine)"
    field = _type_in_name(qtbot, view, typed)
    _go_offline(qtbot, server, window)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert view.form.error_text("name") == PAUSED

    server.resume()
    _someone_else_renames(url, person.id, "Bob's name")
    assert window.live.banner.isVisible()  # still offline here: nothing was saved
    window.dialogs.conflict_choices.append("theirs")
    gate.set()
    _back_online(qtbot, window, said=False)

    qtbot.waitUntil(lambda: bool(window.dialogs.conflicts_shown), timeout=WAIT_MS)
    assert window.dialogs.conflicts_shown == [[("Name", "Bob's name", typed)]]
    assert _stored(url, person.id) == ("Bob's name", person.version + 1)
    qtbot.waitUntil(lambda: field.text() == "Bob's name")
    assert window.message_label.text() == "Kept the other change to ‘Bob's name’"
    assert view.form.holding() is None and view.form.error_text("name") == ""
    view.select(elsewhere.id)
    assert view.current_record().id == elsewhere.id
    assert _stored(url, person.id) == ("Bob's name", person.version + 1)


@pytest.mark.parametrize(("name", "kind"), [("impact", QComboBox), ("power", QSpinBox)])
def test_a_pick_or_a_number_changed_offline_is_held_and_saved_once_back(
    qtbot, plan, tmp_path: Path, name: str, kind: type
):
    """A combo box or a spin box (not text) changed while offline is saved once back like
    typed text, without being changed again."""
    server, url, db = plan
    window = _window(qtbot, db, tmp_path / "ann")
    view = window.show_page("stakeholders")
    person = window.service.list("stakeholder", window.ctx.initiative_id)[0]
    assert view.select(person.id)
    editor = view.form.editors[name]
    assert isinstance(editor, kind)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    _go_offline(qtbot, server, window)
    assert editor.isEnabled()  # the field being edited as the server went stays usable
    before = getattr(person, name)

    up = editor.currentIndex() > 0 if isinstance(editor, QComboBox) else before < 5
    qtbot.keyClick(editor, Qt.Key.Key_Up if up else Qt.Key.Key_Down)

    picked = editor.value()
    assert picked != before
    assert view.form.error_text(name) == PAUSED
    view.table.setFocus()  # leaving the field keeps the change
    assert editor.value() == picked

    server.resume()
    _back_online(qtbot, window)

    assert _stored(url, person.id, name) == (
        str(getattr(picked, "value", picked)),
        person.version + 1,
    )
    assert editor.value() == picked and view.form.error_text(name) == ""
    assert view.form.holding() is None


def test_a_cell_editor_stays_open_offline_and_is_saved_once_back_under_the_version_check(
    qtbot, plan, tmp_path: Path
):
    server, url, db = plan
    window = _window(qtbot, db, tmp_path / "ann")
    view = window.show_page("stakeholders")
    people = window.service.list("stakeholder", window.ctx.initiative_id)
    person, elsewhere = people[0], people[1]
    gate = _hold_reconnect(window)
    view.table.setFocus()
    view.table.setCurrentIndex(cell(view, person.name, "name"))
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert view.table.state() == QAbstractItemView.State.EditingState
    editor.selectAll()
    typed = "Dana Whitfield (typed in the cell)"
    qtbot.keyClicks(editor, typed)

    _go_offline(qtbot, server, window)
    assert view.table.state() == QAbstractItemView.State.EditingState
    assert editor.text() == typed

    # Enter, or moving to another row, is refused in one line; the editor stays open.
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert view.error.text() == PAUSED and view.error.isVisible()
    view.table.setCurrentIndex(cell(view, elsewhere.name, "name"))
    assert view.table.state() == QAbstractItemView.State.EditingState
    assert editor.text() == typed

    # Someone else saved the same field meanwhile: once back, the usual choice; keep mine.
    server.resume()
    _someone_else_renames(url, person.id, "Bob's name")
    window.dialogs.conflict_choices.append("mine")
    gate.set()
    _back_online(qtbot, window, said=False)

    qtbot.waitUntil(lambda: bool(window.dialogs.conflicts_shown), timeout=WAIT_MS)
    assert window.dialogs.conflicts_shown == [[("Name", "Bob's name", typed)]]
    qtbot.waitUntil(lambda: _stored(url, person.id) == (typed, person.version + 2))
    assert view.table.state() != QAbstractItemView.State.EditingState
    qtbot.waitUntil(lambda: str(view.proxy.data(cell(view, typed, "name"))) == typed)


def test_escape_in_a_held_field_drops_its_edit_and_frees_the_table(qtbot, plan, tmp_path: Path):
    """Dropping a kept edit is the user's choice (Escape in the field), never the window's."""
    server, url, db = plan
    window = _window(qtbot, db, tmp_path / "ann")
    view = window.show_page("stakeholders")
    people = window.service.list("stakeholder", window.ctx.initiative_id)
    person, elsewhere = people[0], people[1]
    assert view.select(person.id)
    field = _type_in_name(qtbot, view, "Not wanted after all")
    _go_offline(qtbot, server, window)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert view.form.holding() is not None

    qtbot.keyClick(field, Qt.Key.Key_Escape)

    assert field.text() == person.name and view.form.error_text("name") == ""
    assert view.form.holding() is None
    view.select(elsewhere.id)
    assert view.current_record().id == elsewhere.id
    server.resume()
    _back_online(qtbot, window)
    assert _stored(url, person.id) == (person.name, person.version)
