"""Damaged files: detected, never written to, set aside unchanged, and a good backup offered."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from planner.persistence import DatabaseError, ReadOnlyError, open_database
from planner.persistence.backup import list_backups
from planner.persistence.errors import CorruptDatabaseError
from planner.services.demo import DEMO_NAME, create_demo
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY, run_cli
from tests.safety_worker import leave_interrupted_change

PAGE = 4096


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damage(path: Path, first_page: int, last_page: int) -> None:
    """Overwrite whole pages (1-based, as SQLite counts them) with garbage."""
    data = bytearray(path.read_bytes())
    start, end = (first_page - 1) * PAGE, min(len(data), last_page * PAGE)
    data[start:end] = b"\xa5" * (end - start)
    path.write_bytes(bytes(data))


@pytest.fixture
def backed_up_demo(db_path: Path) -> Path:
    db = open_database(db_path)
    create_demo(PlanService(db), today=DEMO_TODAY)
    db.close()
    open_database(db_path).close()
    assert len(list_backups(db_path)) == 1
    return db_path


def test_damaged_pages_are_detected_and_a_backup_offered_untouched(backed_up_demo: Path):
    path = backed_up_demo
    _damage(path, 4, 12)
    before = _digest(path)
    siblings = sorted(p.name for p in path.parent.iterdir())

    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(path)
    message = str(caught.value)
    good = list_backups(path)[0]
    assert "\n" not in message
    assert message.startswith(f"{path} is damaged (")
    assert message.endswith(
        f"it was left untouched, and the newest good backup is from "
        f"{good.describe()}: restore it with `planner restore --db {path}`"
    )
    assert caught.value.backup == good

    cli = run_cli("demo", "--db", str(path))
    assert cli.returncode == 1 and cli.stderr.count("\n") == 1
    assert "is damaged" in cli.stderr and "Traceback" not in cli.stderr

    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def test_doctor_reports_damage_in_plain_words_and_changes_nothing(backed_up_demo: Path):
    path = backed_up_demo
    healthy = run_cli("doctor", "--db", str(path))
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert "ok       integrity: integrity_check found no damage" in healthy.stdout
    assert "ok       foreign keys: every reference points at a record" in healthy.stdout

    _damage(path, 4, 12)
    before = _digest(path)
    sick = run_cli("doctor", "--db", str(path))
    assert sick.returncode == 1
    assert "PROBLEM  integrity: damaged:" in sick.stdout
    assert sick.stdout.count("backups: 1 backup; newest good one:") == 1
    assert sick.stderr.count("\n") == 1 and "has 1 problem; integrity: damaged" in sick.stderr
    report = json.loads(run_cli("doctor", "--db", str(path), "--format", "json").stdout)
    assert report["healthy"] is False
    assert [c["status"] for c in report["checks"] if c["name"] == "integrity"] == ["problem"]
    assert _digest(path) == before


def test_doctor_finds_broken_references(backed_up_demo: Path):
    conn = sqlite3.connect(backed_up_demo)
    conn.execute(
        "update stakeholder set initiative_id = '00000000-0000-4000-8000-000000000000'"
        " where rowid = (select min(rowid) from stakeholder)"
    )
    conn.commit()
    conn.close()
    result = run_cli("doctor", "--db", str(backed_up_demo))
    assert result.returncode == 1
    assert (
        "PROBLEM  foreign keys: 1 row points at records that do not exist (in stakeholder)"
    ) in result.stdout


def test_restore_sets_the_damaged_file_aside_unchanged(backed_up_demo: Path):
    path = backed_up_demo
    _damage(path, 4, 12)
    damaged = _digest(path)

    result = run_cli("restore", "--db", str(path))
    assert result.returncode == 0, result.stderr
    aside = [p for p in path.parent.iterdir() if p.name.startswith("plan.db.corrupt-")]
    assert len(aside) == 1
    assert f"The damaged file it replaced was kept unchanged as {aside[0]}" in result.stdout
    assert _digest(aside[0]) == damaged

    db = open_database(path)
    try:
        assert [i.name for i in PlanService(db).initiatives()] == [DEMO_NAME]
    finally:
        db.close()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_damage_found_while_open_stops_all_writing(backed_up_demo: Path):
    path = backed_up_demo
    db = open_database(path)
    try:
        service = PlanService(db)
        initiative = service.find_initiative(None)
        db.engine.dispose()
        _damage(path, 4, 40)
        before = _digest(path)
        with pytest.raises(CorruptDatabaseError, match=r"is damaged .*restore it from a backup"):
            service.plan(initiative.id)
        assert db.read_only and db.read_only_reason == "plan.db is damaged"
        with (
            pytest.raises(ReadOnlyError, match=r"read-only \(plan.db is damaged\)"),
            db.transaction(),
        ):
            pass
        with pytest.raises(DatabaseError, match="is damaged"):
            service.create("initiative", {"name": "Into the void"})
        assert _digest(path) == before
    finally:
        db.close()


def test_an_interrupted_change_over_damage_is_refused_untouched(backed_up_demo: Path):
    path = backed_up_demo
    conn = sqlite3.connect(path)
    risk_page = conn.execute("select rootpage from sqlite_master where name = 'risk'").fetchone()[0]
    conn.close()
    leave_interrupted_change(path)
    journal = path.with_name(path.name + "-journal")
    assert journal.exists()
    _damage(path, risk_page, risk_page)
    before = (_digest(path), _digest(journal))

    with pytest.raises(
        CorruptDatabaseError, match="an interrupted change could not be rolled back"
    ):
        open_database(path)
    assert (_digest(path), _digest(journal)) == before


def test_restore_moves_a_stale_journal_aside_with_the_damaged_file(backed_up_demo: Path):
    path = backed_up_demo
    _damage(path, 4, 12)
    journal = path.with_name(path.name + "-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 504)
    damaged, journal_bytes = _digest(path), journal.read_bytes()

    from planner.persistence.restore import restore_backup

    result = restore_backup(path)
    assert result.set_aside is not None and _digest(result.set_aside) == damaged
    kept_journal = result.set_aside.with_name(result.set_aside.name + "-journal")
    assert kept_journal.read_bytes() == journal_bytes
    assert not journal.exists(), "a journal left beside the restored file would be replayed"
    db = open_database(path)
    try:
        assert [i.name for i in PlanService(db).initiatives()] == [DEMO_NAME]
    finally:
        db.close()


def test_restore_brings_back_a_deleted_file(backed_up_demo: Path):
    backed_up_demo.unlink()
    result = run_cli("restore", "--db", str(backed_up_demo))
    assert result.returncode == 0, result.stderr
    db = open_database(backed_up_demo)
    try:
        assert [i.name for i in PlanService(db).initiatives()] == [DEMO_NAME]
    finally:
        db.close()


def test_damage_found_by_the_check_on_open_in_the_background_stops_all_writing(
    backed_up_demo: Path,
):
    path = backed_up_demo
    _damage(path, 4, 12)
    before = _digest(path)
    backups = list_backups(path)
    db = open_database(path, backup_on_open="background")
    try:
        with pytest.raises(ReadOnlyError, match=r"read-only \(plan.db is damaged\)"):
            PlanService(db).create("initiative", {"name": "Into the void"})
        assert db.damage is not None and db.damage.backup == backups[0]
        assert str(db.damage).startswith(f"{path} is damaged (SQLite reports: ")
    finally:
        db.close()
    assert _digest(path) == before
    assert list_backups(path) == backups, "a damaged file is not backed up"


def test_the_window_says_when_the_check_on_open_finds_damage(
    qtbot, backed_up_demo: Path, tmp_path: Path
):
    from tests.ui_support import make_window

    path = backed_up_demo
    _damage(path, 4, 12)
    before = _digest(path)
    service = PlanService(open_database(path, backup_on_open="background"))
    window = make_window(qtbot, service, tmp_path)
    qtbot.waitUntil(lambda: bool(window.dialogs.errors), timeout=10_000)
    assert "is damaged (SQLite reports:" in window.dialogs.errors[0]
    assert window.safety.banner.isVisible()
    assert window.safety.banner.text().startswith("Read-only: plan.db is damaged.")
    assert not window.actions_.undo.isEnabled()
    assert not any(action.isEnabled() for action in window.actions_.editing())
    service.db.close()
    assert _digest(path) == before
