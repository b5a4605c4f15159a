"""Team mode's foundation, on a file and on a real PostgreSQL server (tests/postgres_support.py).

The same services over both engines (`any_target`): a plan round-trips, every
save is compare-and-set on the record's row version, a stale edit or delete is
refused naming the record with nothing written, and undo refuses, saying why,
where someone else changed the record since. Two real planner processes edit
one record: the second gets the conflict line and the first one's save stays.
On the server: the migrations, a newer schema refused, no password in a URL,
and `planner publish` of a file whose check and export then equal the file's.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, REPO, run_cli
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from planner.domain.errors import ConflictError, DomainError
from planner.persistence.database import open_database, run_migrations
from planner.persistence.errors import DatabaseError, NewerSchemaError
from planner.persistence.schema import HEAD_REVISION
from planner.services.demo import create_demo
from planner.services.planning import PlanService


def _demo(target: str) -> None:
    db = open_database(target)
    try:
        create_demo(PlanService(db), today=DEMO_TODAY)
    finally:
        db.close()


def _someone_else_saves(target: str, record_id: str, notes: str) -> None:
    """Another planner saves the stakeholder's notes: on a server through its own connection
    and the planner's services; a file is held by its one writer, so there by hand, as the
    store writes it (the next version)."""
    if target.startswith("postgresql://"):
        other = open_database(target)
        try:
            PlanService(other).update("stakeholder", record_id, {"notes": notes})
        finally:
            other.close()
        return
    with sqlite3.connect(target) as connection:
        connection.execute(
            "update stakeholder set notes = ?, version = version + 1 where id = ?",
            (notes, record_id),
        )
    connection.close()


def test_a_plan_round_trips_with_compare_and_set_saves(any_target: str):
    _demo(any_target)
    db = open_database(any_target)
    try:
        service = PlanService(db)
        initiative = service.find_initiative(None)
        plan = service.plan(initiative.id)
        assert {r.version for r in plan.all_records()} == {1}
        dana = plan.stakeholders[0]

        changed = service.update("stakeholder", dana.id, {"notes": "first"}, version=1)
        assert (changed.notes, changed.version) == ("first", 2)
        with pytest.raises(ConflictError, match=r"^stakeholder ‘.*’ was changed by someone else"):
            service.update("stakeholder", dana.id, {"notes": "from version 1"}, version=1)
        with pytest.raises(ConflictError) as refused:
            service.delete("stakeholder", [dana.id], versions={dana.id: 1})
        assert (refused.value.kind, refused.value.record_id) == ("stakeholder", dana.id)
        assert service.get("stakeholder", dana.id).notes == "first"

        assert service.history.undo() is not None
        assert (service.get("stakeholder", dana.id).notes, dana.notes) == (dana.notes, dana.notes)
        assert service.get("stakeholder", dana.id).version == 3  # versions only ever grow
        assert service.history.redo() is not None
        assert service.get("stakeholder", dana.id).version == 4

        _someone_else_saves(any_target, dana.id, "theirs")
        with pytest.raises(DomainError, match=r"^cannot undo ‘Edit stakeholder ‘.*’ notes’: "):
            service.history.undo()
        assert service.get("stakeholder", dana.id).notes == "theirs"
    finally:
        db.close()

    again = open_database(any_target, read_only=True)
    try:
        reread = PlanService(again).plan(initiative.id)
    finally:
        again.close()
    assert reread.records("risk") == plan.records("risk")
    assert len(reread.all_records()) == len(plan.all_records())


def test_a_save_lost_in_the_race_is_refused_not_written(any_target: str):
    """The store's own check: an update whose row version moved between the read and the
    save (another planner saved in between) writes nothing."""
    from planner.persistence import store

    _demo(any_target)
    db = open_database(any_target)
    try:
        service = PlanService(db)
        risk = service.list("risk")[0]
        changes = store.changes_for_update(risk, risk.with_changes(mitigation="mine"))
        _someone_else_saves(any_target, service.list("stakeholder")[0].id, "unrelated")
        bump = "update risk set version = version + 1 where id = :id"
        with db.transaction() as session:
            session.execute(text(bump), {"id": risk.id})
        with pytest.raises(ConflictError, match=r"^risk ‘.*’ was changed by someone else"):
            service.execute("Edit risk", changes)
        assert service.get("risk", risk.id).mitigation == risk.mitigation
    finally:
        db.close()


def _worker(target: str, record_id: str, notes: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.team_worker", "edit", target, record_id, notes],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _go(process: subprocess.Popen[str]) -> tuple[str, int]:
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()
    out, err = process.communicate(timeout=120)
    assert err == "", err
    return out.splitlines()[-1], process.returncode


def test_two_planners_editing_one_record_lose_nothing(any_target: str):
    _demo(any_target)
    db = open_database(any_target, read_only=True)
    try:
        target = PlanService(db).list("stakeholder")[0]
    finally:
        db.close()
    first, second = _worker(any_target, target.id, "Ann's"), _worker(any_target, target.id, "Bo's")
    for process in (first, second):
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "seen 1"

    assert _go(first) == ("saved 2", 0)
    line, status = _go(second)
    assert status == 1
    assert line == (
        f"error stakeholder ‘{target.name}’ was changed by someone else since you read it; "
        f"nothing was saved (reload to see the change, then make yours again)"
    )
    db = open_database(any_target, read_only=True)
    try:
        kept = PlanService(db).get("stakeholder", target.id)
    finally:
        db.close()
    assert (kept.notes, kept.version) == ("Ann's", 2)


def test_the_migrations_run_on_postgresql(pg_url: str):
    """A server database made at the first revision, with a plan in it, is migrated to the
    head: its sponsor text becomes a stakeholder, every row gets version 1, and the tables
    then equal the planner's own, every one with its audit trigger (the doctor checks both)."""
    from planner.persistence.server import server_url
    from planner.persistence.server_doctor import server_doctor

    engine = create_engine(server_url(pg_url))
    with engine.begin() as connection:
        run_migrations(connection, "0001_initial")
        connection.execute(
            text(
                "insert into initiative (id, name, sponsor, status, created_at, updated_at) "
                "values ('9b0c3a52-6f51-4a8e-9c1e-0a3f5d2e8b11', 'ERP', 'Dana (CFO)', "
                "'planning', now(), now())"
            )
        )
    engine.dispose()

    db = open_database(pg_url)
    try:
        assert db.migrated_from == "0001_initial"
        service = PlanService(db)
        erp = service.find_initiative("ERP")
        sponsor = service.get("stakeholder", erp.sponsor_id or "")
    finally:
        db.close()
    assert (sponsor.name, sponsor.version, erp.version) == ("Dana (CFO)", 1, 1)
    report = server_doctor(pg_url)
    assert report.healthy, report.lines()
    assert [c.name for c in report.checks] == [
        "server",
        "schema",
        "tables",
        "row versions",
        "audit trail",
        "team",
        "writers",
    ]


def test_a_newer_server_schema_is_refused_and_left_alone(pg_url: str):
    open_database(pg_url).close()
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text("update alembic_version set version_num = '0099_future'"))
    with pytest.raises(NewerSchemaError, match=r"newer version of the planner .*0099_future"):
        open_database(pg_url)
    with engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == (
            "0099_future"
        )
    engine.dispose()
    assert HEAD_REVISION != "0099_future"


def test_a_password_never_goes_in_the_url(pg_url: str):
    with_password = pg_url.replace("@", ":secret@", 1)
    with pytest.raises(DatabaseError, match=r"must not hold the password .*~/.pgpass"):
        open_database(with_password)
    result = run_cli("check", "--db", with_password)
    assert result.returncode == 1
    assert "secret" not in result.stderr
    assert result.stderr.count("\n") == 1


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path)
    return {
        sheet.title: list(sheet.iter_rows(values_only=True))
        for sheet in book.worksheets
        if sheet.sheet_state == "visible"
    }


def test_publish_then_check_and_export_from_the_server_equal_the_files(tmp_path: Path, pg_url: str):
    plan_file = tmp_path / "plan.db"
    assert run_cli("demo", "--db", str(plan_file)).returncode == 0
    published = run_cli("publish", "--db", str(plan_file), "--to", pg_url)
    assert published.returncode == 0, published.stderr
    assert published.stdout.startswith(f"Published {plan_file} to {pg_url}: 3 initiatives, ")

    checks = []
    for where in (str(plan_file), pg_url):
        result = run_cli("check", "--db", where, "--format", "json", "--today", "2026-11-02")
        assert result.returncode == 0, result.stderr
        checks.append(json.loads(result.stdout))
    assert checks[0] == checks[1]
    assert checks[0]["findings"]

    books = []
    for name, where in (("file.xlsx", str(plan_file)), ("server.xlsx", pg_url)):
        out = tmp_path / name
        result = run_cli("export", "--db", where, "--no-charts", str(out))
        assert result.returncode == 0, result.stderr
        books.append(_sheets(out))
    about = [{row[0]: row[1:] for row in book.pop("About")} for book in books]
    differing = {label for label in about[0] if about[0][label] != about[1].get(label)}
    assert differing <= {"Export ID", "Exported at", "Exported"}, differing
    assert books[0] == books[1]
    assert len(books[0]["Stakeholders"]) > 10

    again = run_cli("publish", "--db", str(plan_file), "--to", pg_url)
    assert again.returncode == 1
    assert again.stderr.startswith(f"planner: error: {pg_url} already holds a plan (")
    assert again.stderr.endswith(
        "publish copies only into an empty database, so nothing was copied\n"
    )


def test_what_is_no_planner_database_is_refused_in_one_line():
    """Other databases are named as such; a window on an unreachable server says so at once."""
    other = run_cli("check", "--db", "mysql://ann@db.example/plans")
    assert other.returncode == 1
    assert other.stderr == (
        "planner: error: mysql://ann@db.example/plans: the planner keeps plans in SQLite "
        "files and on PostgreSQL servers (postgresql://user@host/database), not there\n"
    )
    window = run_cli("--db", "postgresql://ann@db.example/plans")
    assert window.returncode == 1
    assert window.stderr.startswith(
        "planner: error: postgresql://ann@db.example/plans: the server refused or lost "
        "the connection ("
    )
    assert window.stderr.endswith("; nothing was opened\n")
    assert window.stderr.count("\n") == 1
    listing = run_cli("backups", "--db", "postgresql://ann@db.example/plans")
    assert listing.returncode == 1
    assert "is a server database: this command works on planner files" in listing.stderr
