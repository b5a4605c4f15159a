"""The audit trail on a real PostgreSQL server: who changed a record, when, which fields.

Two editors (real logins, granted by `planner team grant`) change one record in
turn through the planner; a third change is a hand-made UPDATE on the editor's
own connection. The trail, read through the service and through `planner
history`, names each login with its fields in order; nobody but the server's
trigger may write the trail, a viewer least of all. A file keeps none.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest

from planner.cli import main
from planner.domain.changes import Action
from planner.persistence.database import open_database, run_migrations
from planner.services.planning import PlanService


def _as(url: str, user: str) -> str:
    return f"postgresql://{user}@{url.split('@', 1)[1]}"


def _login(pg_url: str, name: str, role: str) -> str:
    """A new login (unique: roles outlive databases) holding a team role of the plan."""
    user = f"{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{user}" LOGIN')
    assert main(["team", "grant", "--db", pg_url, "--user", user, "--role", role]) == 0
    return user


def _plan(pg_url: str) -> tuple[str, str]:
    """(initiative id, stakeholder id) of a plan the server's administrator made."""
    db = open_database(pg_url)
    try:
        service = PlanService(db)
        initiative = service.create("initiative", {"name": "CRM roll-out"})
        dana = service.create(
            "stakeholder",
            {"initiative_id": initiative.id, "name": "Dana Whitfield", "power": 3},
        )
    finally:
        db.close()
    return initiative.id, dana.id


def _update(url: str, kind: str, record_id: str, values: dict[str, object]) -> None:
    db = open_database(url)
    try:
        PlanService(db).update(kind, record_id, values)
    finally:
        db.close()


def _trail(url: str, kind: str, record_id: str):
    db = open_database(url)
    try:
        found = PlanService(db).record_trail(kind, record_id)
    finally:
        db.close()
    assert found is not None
    return found


def test_two_editors_and_a_hand_made_update_are_in_the_trail(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _initiative, dana = _plan(pg_url)
    with psycopg.connect(pg_url) as admin:
        me = str(admin.execute("SELECT current_user").fetchone()[0])
    eda, ed = _login(pg_url, "eda", "editor"), _login(pg_url, "ed", "editor")

    _update(_as(pg_url, eda), "stakeholder", dana, {"power": 5, "notes": "Sponsor's ally"})
    _update(_as(pg_url, ed), "stakeholder", dana, {"name": "Dana Whitfield-Ng"})
    with psycopg.connect(_as(pg_url, ed)) as by_hand:
        by_hand.execute(
            "UPDATE stakeholder SET interest = 5, version = version + 1 WHERE id = %s", [dana]
        )

    trail = _trail(_as(pg_url, eda), "stakeholder", dana)
    assert [(e.login, e.action) for e in trail] == [
        (me, Action.CREATE),
        (eda, Action.UPDATE),
        (ed, Action.UPDATE),
        (ed, Action.UPDATE),
    ]
    assert [e.version for e in trail] == [1, 2, 3, 4]
    assert {c.name: (c.old, c.new) for c in trail[1].fields} == {
        "power": (3, 5),
        "notes": (None, "Sponsor's ally"),
    }
    assert [(c.name, c.old, c.new) for c in trail[2].fields] == [
        ("name", "Dana Whitfield", "Dana Whitfield-Ng")
    ]
    assert [(c.name, c.old, c.new) for c in trail[3].fields] == [("interest", 3, 5)]
    assert trail[0].at <= trail[1].at <= trail[2].at <= trail[3].at

    capsys.readouterr()
    args = ["history", "--db", _as(pg_url, ed), "--kind", "stakeholder", "--id", dana]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert f"  {me}  created (version 1): " in lines[0]
    assert f"  {eda}  changed (version 2): " in lines[1]
    assert "Power: 3 → 5" in lines[1] and "Notes: — → Sponsor's ally" in lines[1]
    assert lines[2].endswith(
        f"  {ed}  changed (version 3): Name: Dana Whitfield → Dana Whitfield-Ng"
    )
    assert lines[3].endswith(f"  {ed}  changed (version 4): Interest: 3 → 5")


def test_a_save_of_fields_and_a_list_is_one_entry_and_a_delete_is_the_last(pg_url: str) -> None:
    initiative, dana = _plan(pg_url)
    eda = _login(pg_url, "eda", "editor")
    db = open_database(_as(pg_url, eda))
    try:
        service = PlanService(db)
        note = service.create(
            "communication", {"initiative_id": initiative, "name": "Kick-off mail"}
        )
        service.update("communication", note.id, {"name": "Kick-off", "audience_ids": [dana]})
        service.delete("communication", [note.id])
    finally:
        db.close()
    trail = _trail(pg_url, "communication", note.id)
    assert [(e.action, e.login) for e in trail] == [
        (Action.CREATE, eda),
        (Action.UPDATE, eda),
        (Action.DELETE, eda),
    ]
    changed = {c.name: c for c in trail[1].fields}
    assert set(changed) == {"name", "audience_ids"}
    assert changed["audience_ids"].added == (dana,)
    assert (changed["name"].old, changed["name"].new) == ("Kick-off mail", "Kick-off")
    removed = {c.name: c for c in trail[2].fields}
    assert removed["name"].old == "Kick-off" and removed["name"].new is None
    assert removed["audience_ids"].removed == (dana,)


def test_nobody_but_the_server_writes_the_trail(pg_url: str) -> None:
    _initiative, dana = _plan(pg_url)
    vera, eda = _login(pg_url, "vera", "viewer"), _login(pg_url, "eda", "editor")
    with psycopg.connect(_as(pg_url, vera)) as viewer:
        assert viewer.execute("SELECT count(*) FROM record_change").fetchone()[0] == 2
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            viewer.execute("DELETE FROM record_change")
    for statement in (
        "DELETE FROM record_change",
        "UPDATE record_change SET login = 'someone else'",
        (
            "INSERT INTO record_change (kind, record_id, action, fields, login, changed_at, "
            "transaction_id) VALUES ('stakeholder', 'x', 'update', '{}', 'x', now(), 1)"
        ),
    ):
        with psycopg.connect(_as(pg_url, eda)) as editor:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                editor.execute(statement)
    assert len(_trail(pg_url, "stakeholder", dana)) == 1


def test_a_server_migrated_from_the_last_revision_keeps_the_trail(pg_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from planner.paths import migrations_dir

    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005_portfolio")
    with engine.begin() as connection:
        run_migrations(connection)
    engine.dispose()
    _initiative, dana = _plan(pg_url)
    _update(pg_url, "stakeholder", dana, {"power": 4})
    assert [e.action for e in _trail(pg_url, "stakeholder", dana)] == [
        Action.CREATE,
        Action.UPDATE,
    ]
    with psycopg.connect(pg_url) as check:
        fields = check.execute("SELECT fields FROM record_change ORDER BY id").fetchall()
    assert json.loads(fields[-1][0]) == {"power": {"old": 3, "new": 4}}


def test_a_file_keeps_no_trail_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.db"
    db = open_database(path)
    try:
        service = PlanService(db)
        initiative = service.create("initiative", {"name": "CRM roll-out"})
        assert service.record_trail("initiative", initiative.id) is None
    finally:
        db.close()
    capsys.readouterr()
    args = ["history", "--db", str(path), "--kind", "initiative", "--id", initiative.id]
    assert main(args) == 1
    said = capsys.readouterr().err.strip().splitlines()
    assert said == [
        (
            f"planner: error: {path} is a local file: the history of a record is kept for "
            f"team plans only (on a PostgreSQL server)"
        )
    ]


@pytest.mark.parametrize(
    ("kind", "record_id", "message"),
    [
        ("person", "x", "unknown record kind 'person'"),
        ("stakeholder", "not an id", "no stakeholder with id 'not an id'"),
    ],
)
def test_bad_history_arguments_are_one_line(
    pg_url: str, capsys: pytest.CaptureFixture[str], kind: str, record_id: str, message: str
) -> None:
    _plan(pg_url)
    capsys.readouterr()
    assert main(["history", "--db", pg_url, "--kind", kind, "--id", record_id]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [f"planner: error: {message}"]


def test_a_record_with_no_recorded_change_is_one_line(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _plan(pg_url)
    capsys.readouterr()
    missing = str(uuid.uuid4())
    assert main(["history", "--db", pg_url, "--kind", "risk", "--id", missing]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"planner: error: no change of a risk with id {missing} is recorded on this server"
    ]


def test_doctor_names_a_table_whose_trail_trigger_was_disabled(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _plan(pg_url)
    capsys.readouterr()
    assert main(["doctor", "--db", pg_url]) == 0
    assert "  ok       audit trail: every change of every record is recorded" in (
        capsys.readouterr().out.splitlines()
    )
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("ALTER TABLE risk DISABLE TRIGGER risk_trail")
    assert main(["doctor", "--db", pg_url]) != 0
    problems = [line for line in capsys.readouterr().out.splitlines() if "audit trail" in line]
    assert len(problems) == 1
    assert "changes of risk are not recorded in the audit trail" in problems[0]
