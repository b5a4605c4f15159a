"""The record's history in the window: a real server's trail under the record's form.

An editor (a real login) changes a stakeholder; the window of the server's
administrator shows "Changed by <editor> on …" under the form, then its own
edit (a cell of its table) moves the line to its own login, and "History of this record…" lists
both changes with their fields. A local file says the history is for team plans.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
from conftest import DEMO_TODAY
from PySide6.QtCore import Qt

from planner.cli import main
from planner.persistence.database import open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from planner.services.record_trail import LOCAL_FILE, when
from tests.ui_support import cell, demo_window_fixture, make_window  # noqa: F401


def _editor(pg_url: str) -> str:
    user = f"eda_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{user}" LOGIN')
    assert main(["team", "grant", "--db", pg_url, "--user", user, "--role", "editor"]) == 0
    return user


def test_the_window_shows_who_changed_the_record_and_its_history(
    qtbot, pg_url: str, tmp_path: Path
) -> None:
    db = open_database(pg_url)
    service = PlanService(db)
    create_demo(service, today=DEMO_TODAY)
    person = service.list("stakeholder", service.main_initiative().id)[0]
    eda = _editor(pg_url)
    theirs = open_database(f"postgresql://{eda}@{pg_url.split('@', 1)[1]}")
    try:
        power = next(v for v in range(1, 6) if v != person.power)
        PlanService(theirs).update("stakeholder", person.id, {"power": power})
    finally:
        theirs.close()
    with psycopg.connect(pg_url) as check:
        me = str(check.execute("SELECT current_user").fetchone()[0])

    window = make_window(qtbot, service, tmp_path)
    view = window.show_page("stakeholders")
    assert view.select(person.id)
    panel = view.history
    qtbot.waitUntil(lambda: panel.line.text().startswith(f"Changed by {eda} on "))
    latest = service.record_trail("stakeholder", person.id)[-1]
    assert panel.line.text() == f"Changed by {eda} on {when(latest.at)}"
    assert panel.isVisible() and panel.button.isVisible()

    interest = next(v for v in range(1, 6) if v != person.interest)
    assert view.model.setData(cell(view, person.name, "interest"), interest)
    qtbot.waitUntil(lambda: panel.line.text().startswith(f"Changed by {me} on "))

    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    dialog = panel.last_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    model = dialog.model
    rows = [
        [str(model.index(row, column).data()) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    assert [row[1:4] for row in rows] == [
        [me, "Created", "1"],
        [eda, "Changed", str(person.version + 1)],
        [me, "Changed", str(person.version + 2)],
    ]
    assert rows[1][4] == f"Power: {person.power} → {power}"
    assert rows[2][4] == f"Interest: {person.interest} → {interest}"
    dialog.close()
    window.close()
    db.close()


def test_a_local_file_says_the_history_is_for_team_plans(demo_window) -> None:
    view = demo_window.show_page("stakeholders")
    person = demo_window.service.list("stakeholder", demo_window.ctx.initiative_id)[0]
    assert view.select(person.id)
    assert view.history.line.text() == LOCAL_FILE
    assert view.history.isVisible()
    assert not view.history.button.isVisible()


def test_the_trail_model_is_a_well_behaved_table(qtmodeltester) -> None:
    from datetime import UTC, datetime

    from planner.domain.changes import Action
    from planner.domain.trail import FieldChange, TrailEntry
    from planner.ui.record_history import TrailModel

    at = datetime(2026, 12, 2, 14, 5, tzinfo=UTC)
    model = TrailModel(lambda kind, record_id: {"s1": "Sales team"}.get(record_id))
    model.set_entries(
        [
            TrailEntry(
                "risk", "r1", Action.CREATE, "alice", at, 1, (FieldChange("name", None, "Delay"),)
            ),
            TrailEntry(
                "risk",
                "r1",
                Action.UPDATE,
                "bob",
                at,
                2,
                (FieldChange("stakeholder_ids", added=("s1",), removed=("gone",)),),
            ),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, 4).data() == "Name: — → Delay"
    assert model.index(1, 4).data() == "Stakeholders: added Sales team; removed gone"
    assert [model.index(1, c).data() for c in range(4)] == [when(at), "bob", "Changed", "2"]
