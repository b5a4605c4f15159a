"""Offline stays first: the window on a team plan whose server goes away and comes back.

A server of this module's own (`postgres_support.start_server`) is stopped with
`pg_ctl stop -m fast` and started again on the same data and port, as a network
drop looks to the window: its connections end, and nothing answers until it is
back. The session's server, which other tests use, is never stopped.

The window turns read-only with a banner rather than queueing edits; the edit
being typed stays in its editor, a save of it is refused in one line, and once
the server is back the same edit is saved, under the usual version checks.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import DEMO_TODAY
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

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


@pytest.fixture(scope="module")
def own_server() -> Iterator[object]:
    from postgres_support import start_server

    server = start_server()
    yield server
    server.stop()


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


def _stored(url: str, record_id: str) -> tuple[str, int]:
    with psycopg.connect(url) as check:
        row = check.execute(
            "SELECT name, version FROM stakeholder WHERE id = %s", (record_id,)
        ).fetchone()
    assert row is not None
    return str(row[0]), int(row[1])


def test_a_form_edit_survives_the_server_going_away_and_is_saved_once_back(
    qtbot, plan, tmp_path: Path
):
    server, url, db = plan
    window = _window(qtbot, db, tmp_path / "ann")
    view = window.show_page("stakeholders")
    people = window.service.list("stakeholder", window.ctx.initiative_id)
    person = people[0]
    assert view.select(person.id)
    field = view.form.editors["name"]
    other = view.form.editors["notes"]
    assert isinstance(field, QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    typed = "Dana Whitfield (typed on the train)"
    qtbot.keyClicks(field, typed)

    server.halt()

    qtbot.waitUntil(window.live.banner.isVisible, timeout=WAIT_MS)
    assert window.live.banner.text() == OFFLINE
    assert window.message_label.text().startswith("Offline: lost the connection")
    assert field.text() == typed and field.hasFocus() and not field.isReadOnly()
    assert other.isReadOnly()  # nothing else takes an edit
    assert not window.actions_.add.isEnabled() and not window.actions_.delete.isEnabled()
    assert not view.add_button.isEnabled()
    assert not view.model.flags(cell(view, person.name, "power")) & Qt.ItemFlag.ItemIsEditable

    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert view.form.error_text("name") == PAUSED
    assert "\n" not in PAUSED
    assert field.text() == typed
    # Another row would show another record in the form: the table stays on this one.
    view.select(people[1].id)
    qtbot.waitUntil(lambda: view.current_record().id == person.id)
    assert view.error.text().startswith(f"Your unsaved edit of ‘{person.name}’ is kept")
    assert field.text() == typed

    server.resume()

    qtbot.waitUntil(lambda: not window.live.banner.isVisible(), timeout=WAIT_MS)
    assert window.message_label.text().startswith("Back online")
    assert field.text() == typed
    assert not other.isReadOnly() and window.actions_.add.isEnabled()
    assert _stored(url, person.id) == (person.name, person.version)

    qtbot.keyClick(field, Qt.Key.Key_Return)

    assert _stored(url, person.id) == (typed, person.version + 1)
    assert view.form.error_text("name") == ""
    qtbot.waitUntil(lambda: str(view.proxy.data(cell(view, typed, "name"))) == typed)


def test_a_cell_editor_stays_open_offline_and_its_edit_meets_the_version_check(
    qtbot, plan, tmp_path: Path
):
    server, url, db = plan
    window = _window(qtbot, db, tmp_path / "ann")
    view = window.show_page("stakeholders")
    people = window.service.list("stakeholder", window.ctx.initiative_id)
    person, elsewhere = people[0], people[1]
    view.table.setFocus()
    view.table.setCurrentIndex(cell(view, person.name, "name"))
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert view.table.state() == QAbstractItemView.State.EditingState
    editor.selectAll()
    typed = "Dana Whitfield (typed in the cell)"
    qtbot.keyClicks(editor, typed)

    server.halt()

    qtbot.waitUntil(window.live.banner.isVisible, timeout=WAIT_MS)
    assert view.table.state() == QAbstractItemView.State.EditingState
    assert editor.text() == typed

    # Enter, or moving to another row, is refused in one line; the editor stays open.
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert view.error.text() == PAUSED and view.error.isVisible()
    view.table.setCurrentIndex(cell(view, elsewhere.name, "name"))
    assert view.table.state() == QAbstractItemView.State.EditingState
    assert editor.text() == typed
    assert _running(url) is False

    server.resume()
    qtbot.waitUntil(lambda: not window.live.banner.isVisible(), timeout=WAIT_MS)
    assert editor.text() == typed and not view.error.isVisible()
    # Someone else saved the same field meanwhile: the usual choice, and "keep mine".
    bob = open_database(url)
    try:
        PlanService(bob).update("stakeholder", person.id, {"name": "Bob's name"})
    finally:
        bob.close()
    window.dialogs.conflict_choices.append("mine")

    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: bool(window.dialogs.conflicts_shown), timeout=WAIT_MS)
    assert window.dialogs.conflicts_shown == [[("Name", "Bob's name", typed)]]
    qtbot.waitUntil(lambda: _stored(url, person.id) == (typed, person.version + 2))
    assert view.table.state() != QAbstractItemView.State.EditingState
