"""Team mode in the window: two windows on one real PostgreSQL plan (the `pg_url` server).

Each window has its own connection, settings and listening connection, as two
people on two machines would. What one saves reaches the other's table; a save
that meets the other's newer save shows the choice and loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import DEMO_TODAY, run_cli
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel

from planner.paths import SMOKE_TEST_ENV
from planner.persistence.database import Database, open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from planner.ui.main_window import MainWindow
from planner.ui.readiness_view import ReadinessView
from planner.ui.settings import Settings
from tests.ui_support import ScriptedDialogs, cell, team_window

WAIT_MS = 3000
"""How long a change may take to reach the other window (it takes well under a second)."""


@pytest.fixture
def team(pg_url: str) -> Iterator[tuple[Database, Database]]:
    """The demo plan on the server, opened twice (two team members)."""
    first = open_database(pg_url)
    create_demo(PlanService(first), today=DEMO_TODAY)
    second = open_database(pg_url)
    yield first, second
    first.close()
    second.close()


def shown(view, title: str, column: str) -> str:
    return str(view.proxy.data(cell(view, title, column)))


def test_an_edit_in_one_window_reaches_the_other_which_keeps_its_selection(
    qtbot, team, tmp_path: Path
):
    ann = team_window(qtbot, team[0], tmp_path / "ann")
    bob = team_window(qtbot, team[1], tmp_path / "bob")
    ann_view = ann.show_page("stakeholders")
    bob_view = bob.show_page("stakeholders")
    people = ann.service.list("stakeholder", ann.ctx.initiative_id)
    edited, selected = people[0], people[-1]
    bob_view.select(selected.id)
    scrolled = 2  # rows down, not at either end (where a resize would move it)
    bob_view.table.verticalScrollBar().setValue(scrolled)
    assert bob_view.table.verticalScrollBar().maximum() > scrolled
    power = next(v for v in range(1, 6) if v != edited.power)
    assert bob.file_label.text().startswith("Team plan on 127.0.0.1:")

    assert ann_view.model.setData(cell(ann_view, edited.name, "power"), power)

    qtbot.waitUntil(lambda: shown(bob_view, edited.name, "power") == str(power), timeout=WAIT_MS)
    current = bob_view.current_record()
    assert current is not None and current.id == selected.id
    assert bob_view.selected_ids() == [selected.id]
    assert bob_view.table.verticalScrollBar().value() == scrolled
    assert bob.service.get("stakeholder", edited.id).power == power
    # Ann's own save is not heard back as someone else's.
    assert not ann.live.waiting


def test_a_same_field_conflict_shows_the_choice_and_keep_mine_saves_mine(
    qtbot, team, tmp_path: Path
):
    ann = team_window(qtbot, team[0], tmp_path / "ann")
    bob = team_window(qtbot, team[1], tmp_path / "bob")
    ann_view = ann.show_page("stakeholders")
    bob_view = bob.show_page("stakeholders")
    person = ann.service.list("stakeholder", ann.ctx.initiative_id)[0]
    theirs, mine = [v for v in range(1, 6) if v != person.power][:2]
    before = person.version

    # Ann starts typing into the cell; Bob saves the same field meanwhile.
    index = cell(ann_view, person.name, "power")
    ann.activateWindow()
    qtbot.waitUntil(ann.isActiveWindow)
    ann_view.table.setFocus()
    ann_view.table.setCurrentIndex(index)
    qtbot.keyClick(ann_view.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and ann_view.table.state() == QAbstractItemView.State.EditingState
    assert bob_view.model.setData(cell(bob_view, person.name, "power"), theirs)

    # Ann's window heard of it, and waits: her edit in progress stays open.
    qtbot.waitUntil(lambda: ann.live.waiting, timeout=WAIT_MS)
    assert ann_view.table.state() == QAbstractItemView.State.EditingState
    ann.dialogs.conflict_choices.append("mine")
    if hasattr(editor, "selectAll"):
        editor.selectAll()
    qtbot.keyClicks(editor, str(mine))
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: bool(ann.dialogs.conflicts_shown), timeout=WAIT_MS)
    assert ann.dialogs.conflicts_shown == [[("Power", str(theirs), str(mine))]]
    qtbot.waitUntil(lambda: ann.service.get("stakeholder", person.id).power == mine)
    saved = ann.service.get("stakeholder", person.id)
    assert saved.version == before + 2  # Bob's save, then Ann's on top of it
    qtbot.waitUntil(lambda: shown(bob_view, person.name, "power") == str(mine), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown(ann_view, person.name, "power") == str(mine), timeout=WAIT_MS)


def test_take_theirs_writes_nothing_of_mine(qtbot, team, tmp_path: Path):
    ann = team_window(qtbot, team[0], tmp_path / "ann")
    view = ann.show_page("stakeholders")
    person = ann.service.list("stakeholder", ann.ctx.initiative_id)[0]
    theirs, mine = [v for v in range(1, 6) if v != person.power][:2]
    ann.live.stop()  # Ann's window is behind: it has not heard of Bob's save yet
    PlanService(team[1]).update("stakeholder", person.id, {"power": theirs})
    ann.dialogs.conflict_choices.append("theirs")

    assert not view.model.setData(cell(view, person.name, "power"), mine)

    qtbot.waitUntil(lambda: bool(ann.dialogs.conflicts_shown), timeout=WAIT_MS)
    assert ann.dialogs.conflicts_shown == [[("Power", str(theirs), str(mine))]]
    qtbot.waitUntil(lambda: shown(view, person.name, "power") == str(theirs), timeout=WAIT_MS)
    kept = ann.service.get("stakeholder", person.id)
    assert (kept.power, kept.version) == (theirs, person.version + 1)
    assert ann.message_label.text() == f"Kept the other change to ‘{person.name}’"


def test_a_lost_listening_connection_comes_back_and_says_so(
    qtbot, team, tmp_path: Path, pg_url: str
):
    ann = team_window(qtbot, team[0], tmp_path / "ann")
    view = ann.show_page("stakeholders")
    person = ann.service.list("stakeholder", ann.ctx.initiative_id)[0]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
        ).fetchall()
    assert ended == [(True,)]  # the window's one listening connection
    qtbot.waitUntil(
        lambda: ann.message_label.text().startswith(
            "Offline: lost the connection to the team plan"
        ),
        timeout=WAIT_MS,
    )
    # A change made while it was away shows once it is back.
    name = f"{person.name} (renamed)"
    PlanService(team[1]).update("stakeholder", person.id, {"name": name})
    qtbot.waitUntil(
        lambda: ann.message_label.text().startswith("Back online"),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: shown(view, name, "name") == name, timeout=WAIT_MS)
    assert not ann.live.banner.isVisible() and ann.actions_.add.isEnabled()


def test_file_open_a_team_database_and_recent_files_keep_no_password(
    qtbot, pg_url: str, tmp_path: Path
):
    local = open_database(tmp_path / "mine.db")
    window = team_window_on_file(qtbot, local, tmp_path)
    window.dialogs.team_urls.append(pg_url)

    assert window.open_team_database()

    database = pg_url.rsplit("/", 1)[1]
    assert window.file_label.text() == f"Team plan on 127.0.0.1:{pg_url.split(':')[-1]}"
    assert window.file_label.text().endswith(f"/{database}")
    assert window.service.db.on_server and window.live.listening
    assert window.ctx.settings.recent_servers() == [pg_url]
    assert window.ctx.settings.recent_files() == [(tmp_path / "mine.db").resolve()]
    window.ctx.settings.sync()
    assert ":" not in pg_url.split("@")[0].split("//")[1]  # the URL names the user only
    assert "password" not in (tmp_path / "settings.ini").read_text().lower()
    window.close()
    window.service.db.close()


def team_window_on_file(qtbot, db: Database, folder: Path) -> MainWindow:
    window = MainWindow(
        PlanService(db), settings=Settings(folder / "settings.ini"), dialogs=ScriptedDialogs()
    )
    qtbot.addWidget(window)
    window.show()
    assert not window.live.listening  # a file has one writer: nobody to hear
    return window


def test_the_window_command_opens_a_team_database(pg_url: str, tmp_path: Path):
    picture = tmp_path / "window.png"
    done = run_cli("--db", pg_url, env={SMOKE_TEST_ENV: str(picture)})
    assert done.returncode == 0, done.stderr
    assert picture.stat().st_size > 0
    with psycopg.connect(pg_url) as check:
        assert check.execute("SELECT count(*) FROM initiative").fetchone() == (0,)


def test_file_safety_of_a_team_database_says_where_it_lives(qtbot, team, tmp_path: Path):
    """No lock file, no planner backups on a server: the file commands say so, in one line."""
    ann = team_window(qtbot, team[0], tmp_path / "ann")
    assert team[0].lock is None and team[0].backup is None
    assert ann.save_copy() is None
    assert ann.message_label.text().startswith("A team database is copied on the server")
    ann.safety.restore_from_backup()
    assert "restore it with pg_restore" in ann.message_label.text()
    ann.safety.check_database()
    assert "planner doctor --db URL" in ann.message_label.text()
    assert not list((tmp_path / "userdata").glob("**/*.db"))


def test_records_added_and_removed_elsewhere_appear_and_go(qtbot, team, tmp_path: Path):
    ann = team_window(qtbot, team[0], tmp_path / "ann")
    view = ann.show_page("stakeholders")
    initiative_id = ann.ctx.initiative_id
    kept = view.current_record()
    assert kept is not None
    count = view.proxy.rowCount()
    bob = PlanService(team[1])
    added = bob.create(
        "stakeholder",
        {"initiative_id": initiative_id, "name": "Night shift", "kind": "group", "headcount": 9},
    )
    qtbot.waitUntil(lambda: view.proxy.rowCount() == count + 1, timeout=WAIT_MS)
    assert shown(view, "Night shift", "name") == "Night shift"
    bob.delete("stakeholder", [added.id])
    qtbot.waitUntil(lambda: view.proxy.rowCount() == count, timeout=WAIT_MS)
    current = view.current_record()
    assert current is not None and current.id == kept.id


def test_a_save_by_another_planner_process_reaches_the_window(qtbot, team, tmp_path: Path):
    """Not only another window in this process: a second real planner process."""
    import subprocess
    import sys

    from conftest import REPO

    ann = team_window(qtbot, team[0], tmp_path / "ann")
    view = ann.show_page("stakeholders")
    person = ann.service.list("stakeholder", ann.ctx.initiative_id)[0]
    other = subprocess.run(
        [sys.executable, "-m", "tests.team_worker", "edit", team[1].url, person.id, "Bo's"],
        input="\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert other.stdout.splitlines()[-1] == f"saved {person.version + 1}", other.stderr

    def notes_shown() -> str | None:
        return view.proxy.record(cell(view, person.name, "name")).notes

    qtbot.waitUntil(lambda: notes_shown() == "Bo's", timeout=WAIT_MS)


def _member(pg_url: str, role: str) -> str:
    """A new login on the test server holding `role` on this plan (granted by the real CLI)."""
    import uuid

    from planner.cli import main

    user = f"{role[:3]}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{user}" LOGIN')
    assert main(["team", "grant", "--db", pg_url, "--user", user, "--role", role]) == 0
    return f"postgresql://{user}@{pg_url.split('@', 1)[1]}"


@pytest.fixture
def demo_on_server(pg_url: str) -> str:
    made = open_database(pg_url)
    create_demo(PlanService(made), today=DEMO_TODAY)
    made.close()
    return pg_url


def _on_server(pg_url: str, person_id: str) -> tuple[int, int, int]:
    """The stakeholder's power and row version, and how many stakeholders there are."""
    with psycopg.connect(pg_url) as check:
        row = check.execute("SELECT power, version FROM stakeholder WHERE id = %s", [person_id])
        found = row.fetchone()
        count = check.execute("SELECT count(*) FROM stakeholder").fetchone()
    assert found is not None and count is not None
    return int(found[0]), int(found[1]), int(count[0])


def test_a_viewer_sees_why_and_cannot_change_the_plan(qtbot, demo_on_server: str, tmp_path: Path):
    db = open_database(_member(demo_on_server, "viewer"))
    try:
        vera = team_window(qtbot, db, tmp_path / "vera")
        banner = vera.safety.banner
        assert banner.isVisible()
        assert banner.text() == (
            "Read-only: you are a viewer of this team plan. You can look, but changes cannot be saved."
        )
        assert vera.windowTitle().endswith("(read-only)")
        assert [a.text() for a in vera.actions_.editing() if a.isEnabled()] == []
        view = vera.show_page("stakeholders")
        assert not view.add_button.isEnabled() and not view.delete_button.isEnabled()
        assert not view.form.isEnabled()
        person = vera.service.list("stakeholder", vera.ctx.initiative_id)[0]
        before = _on_server(demo_on_server, person.id)
        power = next(v for v in range(1, 6) if v != person.power)

        index = cell(view, person.name, "power")
        assert not view.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable
        view.table.setFocus()
        view.table.setCurrentIndex(index)
        qtbot.keyClick(view.table, Qt.Key.Key_F2)
        assert view.table.state() != QAbstractItemView.State.EditingState
        assert not view.model.setData(index, power)
        qtbot.keyClick(view.table, Qt.Key.Key_Delete)
        vera.actions_.delete.trigger()

        assert _on_server(demo_on_server, person.id) == before
        assert shown(view, person.name, "power") == str(person.power)
        vera.close()
    finally:
        db.close()


def test_an_editor_changes_a_cell_and_it_lands_on_the_server(
    qtbot, demo_on_server: str, tmp_path: Path
):
    db = open_database(_member(demo_on_server, "editor"))
    try:
        eda = team_window(qtbot, db, tmp_path / "eda")
        assert not eda.safety.banner.isVisible()
        view = eda.show_page("stakeholders")
        assert view.form.isEnabled()
        person = eda.service.list("stakeholder", eda.ctx.initiative_id)[0]
        power = next(v for v in range(1, 6) if v != person.power)
        count = _on_server(demo_on_server, person.id)[2]

        assert view.model.setData(cell(view, person.name, "power"), power)

        assert _on_server(demo_on_server, person.id) == (power, person.version + 1, count)
        eda.close()
    finally:
        db.close()


def test_a_form_save_meets_the_other_s_save_and_the_two_merge_field_by_field(
    qtbot, team, tmp_path: Path
):
    from PySide6.QtWidgets import QLineEdit

    from planner.ui.conflict_dialog import KEPT

    ann = team_window(qtbot, team[0], tmp_path / "ann")
    view = ann.show_page("stakeholders")
    person = ann.service.list("stakeholder", ann.ctx.initiative_id)[0]
    assert view.select(person.id)
    ann.live.stop()  # Ann's form still shows the record as she opened it
    bob = PlanService(team[1])
    bob.update("stakeholder", person.id, {"name": "Dana (Bob's)", "notes": "Bob's note"})
    ann.dialogs.conflict_choices.append("mine")

    field = view.form.editors["name"]
    assert isinstance(field, QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClicks(field, "Dana (Ann's)")
    qtbot.keyClick(field, Qt.Key.Key_Return)

    assert "someone else" in view.form.error_text("name").lower()  # refused at once, says why
    qtbot.waitUntil(lambda: bool(ann.dialogs.conflicts_shown), timeout=WAIT_MS)
    assert ann.dialogs.conflicts_shown == [
        [("Name", "Dana (Bob's)", "Dana (Ann's)"), ("Notes", "Bob's note", KEPT)]
    ]
    saved = bob.get("stakeholder", person.id)
    assert (saved.name, saved.notes) == ("Dana (Ann's)", "Bob's note")  # both kept
    assert saved.version == person.version + 2

    # Her own save does not count as someone else's: the next field saves without a question.
    notes = view.form.editors["notes"]
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    if hasattr(notes, "selectAll"):
        notes.selectAll()
    qtbot.keyClicks(notes, "Ann's note")
    notes.clearFocus()
    qtbot.waitUntil(lambda: bob.get("stakeholder", person.id).notes == "Ann's note")
    assert len(ann.dialogs.conflicts_shown) == 1


def test_deleting_a_record_someone_changed_meanwhile_asks_first(qtbot, team, tmp_path: Path):
    ann = team_window(qtbot, team[0], tmp_path / "ann")
    view = ann.show_page("risks")
    risk = ann.service.list("risk", ann.ctx.initiative_id)[0]
    assert view.select(risk.id)
    ann.live.stop()  # her table still shows the risk as it was
    bob = PlanService(team[1])
    bob.update("risk", risk.id, {"description": "Rewritten by Bob"})

    ann.dialogs.confirmations += [True, False]  # "Delete …?" yes; "changed meanwhile" no
    assert not view.delete()
    assert ann.dialogs.asked[-1].startswith("Someone else changed")
    assert bob.get("risk", risk.id).description == "Rewritten by Bob"  # nothing deleted

    assert view.select(risk.id)
    ann.live.stop()
    bob.update("risk", risk.id, {"description": "Rewritten again"})
    ann.dialogs.confirmations += [True, True]  # and this time: delete anyway
    assert view.delete()
    assert risk.id not in {r.id for r in bob.list("risk", ann.ctx.initiative_id)}


def test_a_viewer_sees_hidden_where_notes_and_attitudes_are(
    qtbot, demo_on_server: str, tmp_path: Path
):
    note = "Convinced by the billing case"
    db = open_database(_member(demo_on_server, "viewer"))
    try:
        vera = team_window(qtbot, db, tmp_path / "vera")
        view = vera.show_page("stakeholders")
        name = "Marcus Lee (CFO)"
        for column in ("engagement", "desired_engagement", "notes"):
            index = cell(view, name, column)
            assert view.proxy.data(index) == "hidden", column
            assert "viewers of this team plan" in view.proxy.data(
                index, Qt.ItemDataRole.ToolTipRole
            )
        assert shown(view, name, "power") == "5"
        view.table.setCurrentIndex(cell(view, name, "name"))
        form = view.form
        assert form.isVisible()
        for field in ("engagement", "desired_engagement", "notes"):
            assert form.hidden_labels[field].isVisible(), field
            assert not form.editors[field].isVisible(), field
        assert form.editors["power"].isVisible()
        texts = [w.text() for w in vera.findChildren(QLabel) if w.isVisible()]
        assert not [t for t in texts if note in t]
        view.filter.setText("billing case")
        assert view.proxy.rowCount() == 0
        readiness = ReadinessView(vera.service, vera.ctx.initiative_id, today=DEMO_TODAY)
        qtbot.addWidget(readiness)
        assert readiness.score_caption.text().endswith(
            " · 3 rules about attitudes not checked (hidden from viewers of this team plan)"
        )
        assert readiness.report is not None
        assert not [f for f in readiness.report.findings if "currently" in f.message]
        vera.close()
    finally:
        db.close()

    editor = open_database(_member(demo_on_server, "editor"))
    try:
        eda = team_window(qtbot, editor, tmp_path / "eda")
        view = eda.show_page("stakeholders")
        assert note in shown(view, "Marcus Lee (CFO)", "notes")
        assert shown(view, "Marcus Lee (CFO)", "engagement") != "hidden"
        view.table.setCurrentIndex(cell(view, "Marcus Lee (CFO)", "name"))
        assert not view.form.hidden_labels["notes"].isVisible()
        assert view.form.editors["notes"].isVisible()
        eda.close()
    finally:
        editor.close()


def test_the_readiness_view_follows_the_other_s_save_while_it_is_shown(qtbot, team, tmp_path: Path):
    ann = team_window(qtbot, team[0], tmp_path / "ann")
    bob = team_window(qtbot, team[1], tmp_path / "bob")
    readiness = bob.show_page("readiness")
    qtbot.waitUntil(lambda: readiness.view.report is not None, timeout=WAIT_MS)
    before = readiness.view.report
    reached = {f.record.id for f in before.findings if f.rule == "key-player-not-reached"}
    person = next(
        s
        for s in ann.service.list("stakeholder", ann.ctx.initiative_id)
        if s.power >= 4 and s.id not in reached
    )
    # Ann makes a key player unreachable: powerful, keen, and in no message's audience.
    for comm in ann.service.list("communication", ann.ctx.initiative_id):
        if person.id in comm.audience_ids:
            audience = [i for i in comm.audience_ids if i != person.id]
            ann.service.update("communication", comm.id, {"audience_ids": audience})
    ann.service.update("stakeholder", person.id, {"interest": 5})

    def flagged() -> bool:
        report = readiness.view.report
        return report is not before and any(
            f.rule == "key-player-not-reached" and f.record.id == person.id for f in report.findings
        )

    qtbot.waitUntil(flagged, timeout=WAIT_MS)
    assert bob.current_page_key() == "readiness"
