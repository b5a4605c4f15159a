"""An owner changes a member's role while the member's window is open.

The server enforces the new role at once (PostgreSQL checks privileges on every
statement), so the member's next save is refused by the server itself. The
planner must say so in one line, keep the edit, and turn the window read-only
with the banner a viewer's window has, rather than show a driver's traceback.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QLineEdit
from test_team_roles import _as, _grant, _login

from planner.cli import main
from planner.persistence.database import ROLE_CHANGED, open_database
from planner.persistence.errors import DatabaseError
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from tests.ui_support import team_window


def _name_on_server(url: str, record_id: str) -> str:
    with psycopg.connect(url) as check:
        row = check.execute("SELECT name FROM stakeholder WHERE id = %s", (record_id,)).fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture
def team_plan(pg_url: str) -> tuple[str, str]:
    """The demo plan on the server and an editor of it (its login)."""
    db = open_database(pg_url)
    create_demo(PlanService(db))
    db.close()
    editor = _login(pg_url, "eddie")
    _grant(pg_url, editor, "editor")
    return pg_url, editor


def test_a_save_after_the_owner_made_you_a_viewer_is_refused_in_one_line(team_plan):
    url, editor = team_plan
    db = open_database(_as(url, editor))
    try:
        service = PlanService(db)
        person = service.list("stakeholder", service.initiatives()[0].id)[0]
        service.update("stakeholder", person.id, {"name": "Saved as an editor"})
        assert not db.read_only

        assert main(["team", "grant", "--db", url, "--user", editor, "--role", "viewer"]) == 0

        with pytest.raises(DatabaseError) as refused:
            service.update("stakeholder", person.id, {"name": "Saved as a viewer"})
        message = str(refused.value)
        assert "\n" not in message and ROLE_CHANGED in message
        assert "permission denied" in message  # what the server said
        assert db.read_only
        assert db.read_only_reason == (
            f"Read-only: {ROLE_CHANGED}; open it again to work with your new role"
        )
        assert _name_on_server(url, person.id) == "Saved as an editor"
        with pytest.raises(DatabaseError):
            service.update("stakeholder", person.id, {"name": "Again"})
        assert _name_on_server(url, person.id) == "Saved as an editor"
    finally:
        db.close()


def test_reading_after_the_owner_took_every_role_away_is_one_line(team_plan):
    url, editor = team_plan
    db = open_database(_as(url, editor))
    try:
        service = PlanService(db)
        initiative = service.initiatives()[0].id
        assert main(["team", "revoke", "--db", url, "--user", editor]) == 0
        with pytest.raises(DatabaseError) as refused:
            service.list("stakeholder", initiative)
        message = str(refused.value)
        assert "\n" not in message
        assert f"the server refused it, {ROLE_CHANGED}" in message
        assert message.endswith("it could not be read")
        assert db.read_only
    finally:
        db.close()


def test_the_window_turns_read_only_and_keeps_the_edit_when_the_role_changes(
    qtbot, team_plan, tmp_path: Path
):
    url, editor = team_plan
    db = open_database(_as(url, editor))
    try:
        window = team_window(qtbot, db, tmp_path / "eddie")
        assert not window.safety.banner.isVisible()
        assert window.actions_.add.isEnabled()
        view = window.show_page("stakeholders")
        person = window.service.list("stakeholder", window.ctx.initiative_id)[0]
        assert view.select(person.id)
        field = view.form.editors["name"]
        assert isinstance(field, QLineEdit)

        assert main(["team", "grant", "--db", url, "--user", editor, "--role", "viewer"]) == 0

        typed = "Typed after the owner changed my role"
        field.setText(typed)
        field.editingFinished.emit()

        assert ROLE_CHANGED in view.form.error_text("name")
        assert field.text() == typed  # the edit is kept, to copy
        assert _name_on_server(url, person.id) == person.name
        qtbot.waitUntil(window.safety.banner.isVisible)
        assert window.safety.banner.text() == (
            f"Read-only: {ROLE_CHANGED}; open it again to work with your new role. "
            "You can look, but changes cannot be saved."
        )
        assert not window.actions_.add.isEnabled()
    finally:
        db.close()
