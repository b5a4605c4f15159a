"""Backups: taken when needed, verified before pruning, rotated, listed and restored."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from planner.persistence import DatabaseError, open_database
from planner.persistence.backup import (
    KEEP_RECENT,
    backup_folder,
    copy_database,
    list_backups,
    make_backup,
    prune_backups,
)
from planner.persistence.lock import LockedError
from planner.persistence.restore import restore_backup
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY, run_cli


def _edit(path: Path, name: str) -> None:
    db = open_database(path)
    try:
        PlanService(db).create("initiative", {"name": name})
    finally:
        db.close()


def _names(path: Path) -> set[str]:
    db = open_database(path, read_only=True)
    try:
        return {i.name for i in PlanService(db).initiatives()}
    finally:
        db.close()


def test_a_backup_is_taken_on_open_only_when_the_file_changed(db_path: Path):
    _edit(db_path, "First")
    assert list_backups(db_path) == [], "a brand-new file has nothing to protect yet"
    open_database(db_path).close()
    first = list_backups(db_path)
    assert [b.reason for b in first] == ["on-open"]
    open_database(db_path).close()
    open_database(db_path).close()
    assert list_backups(db_path) == first, "an unchanged file is not copied again"
    _edit(db_path, "Second")
    assert list_backups(db_path) == first, "the file was unchanged when opened for the edit"
    open_database(db_path).close()
    taken = list_backups(db_path)
    assert len(taken) == 2 and taken[1] == first[0]
    assert _names(taken[1].path) == {"First"}
    assert _names(taken[0].path) == {"First", "Second"}


def test_a_backup_taken_in_the_background_holds_the_file_as_opened(db_path: Path):
    _edit(db_path, "First")
    db = open_database(db_path, backup_on_open="background")
    try:
        # An edit made at once waits for the backup: it never ends up in it.
        PlanService(db).create("initiative", {"name": "Made while backing up"})
        assert db.wait_for_checks() is None and not db.checking
    finally:
        db.close()
    [taken] = list_backups(db_path)
    assert taken.reason == "on-open"
    assert _names(taken.path) == {"First"}
    assert _names(db_path) == {"First", "Made while backing up"}


def test_a_background_backup_that_fails_says_why_and_the_file_still_opens(db_path: Path):
    _edit(db_path, "First")
    backup_folder(db_path).parent.mkdir(parents=True, exist_ok=True)
    backup_folder(db_path).write_text("a file where the backup folder should be")
    db = open_database(db_path, backup_on_open="background")
    try:
        problem = db.wait_for_checks()
        assert problem is not None and problem.startswith("no backup could be taken")
        PlanService(db).create("initiative", {"name": "Second"})
    finally:
        db.close()
    assert _names(db_path) == {"First", "Second"}


def test_a_read_only_open_takes_no_backup(db_path: Path):
    _edit(db_path, "First")
    open_database(db_path, read_only=True).close()
    assert list_backups(db_path) == []


def test_backups_are_made_with_sqlite_and_pass_quick_check(db_path: Path):
    _edit(db_path, "First")
    path = make_backup(db_path, "manual")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [r[0] for r in conn.execute("select name from initiative")] == ["First"]
    finally:
        conn.close()
    assert not list(backup_folder(db_path).glob("*.partial"))


def _planted(db_path: Path, when: datetime, reason: str = "on-open") -> Path:
    """A real backup file of a state of its own, named as if it had been taken at `when`."""
    target = backup_folder(db_path) / f"plan-{when:%Y%m%dT%H%M%S%f}Z-{reason}.db"
    copy_database(db_path, target)
    conn = sqlite3.connect(target)
    try:
        conn.execute("UPDATE initiative SET summary = ?", (f"as of {when.isoformat()}",))
        conn.commit()
    finally:
        conn.close()
    return target


def test_rotation_keeps_recent_daily_weekly_and_the_last_upgrade(db_path: Path):
    _edit(db_path, "First")
    now = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    hourly = [_planted(db_path, now - timedelta(hours=h)) for h in range(1, 25)]
    daily = [_planted(db_path, now - timedelta(days=d, hours=3)) for d in range(1, 30)]
    upgrade = _planted(db_path, now - timedelta(days=200), "before-upgrade-from-0001_initial")
    ancient = _planted(db_path, now - timedelta(days=300))

    removed = set(prune_backups(db_path, now))
    kept = {b.path for b in list_backups(db_path)}

    assert set(hourly[:KEEP_RECENT]) <= kept, "the ten newest are kept"
    for day in range(1, 7):
        that_day = (now - timedelta(days=day)).date()
        assert any(_taken(b).date() == that_day for b in kept), f"nothing kept of {that_day}"
    assert upgrade in kept, "the last backup before an upgrade is kept"
    assert ancient in removed and ancient not in kept
    weeks_kept = {_taken(b).isocalendar()[:2] for b in kept}
    for back in range(8):
        week = (now - timedelta(weeks=back)).isocalendar()[:2]
        if any(_taken(b).isocalendar()[:2] == week for b in daily + hourly):
            assert week in weeks_kept, f"week {week} lost its last backup"
    assert len(kept) <= KEEP_RECENT + 7 + 8 + 1
    assert removed and removed.isdisjoint(kept)
    assert all(not path.exists() for path in removed)


def _taken(path: Path) -> datetime:
    return datetime.strptime(path.name.split("-")[1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


def test_no_backup_is_pruned_when_the_new_one_fails_its_check(db_path: Path):
    _edit(db_path, "First")
    now = datetime.now(UTC)
    old = [_planted(db_path, now - timedelta(days=100 + d)) for d in range(KEEP_RECENT + 3)]
    data = bytearray(db_path.read_bytes())
    data[4096 * 2 : 4096 * 3] = b"\xa5" * 4096
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError):
        make_backup(db_path, "manual")
    assert {b.path for b in list_backups(db_path)} == set(old)
    assert not list(backup_folder(db_path).glob("*.partial"))


def test_restore_from_the_command_line_brings_back_the_plan(db_path: Path):
    db = open_database(db_path)
    create_demo(PlanService(db), today=DEMO_TODAY)
    db.close()
    open_database(db_path).close()
    good = list_backups(db_path)[0]
    _edit(db_path, "Mistake")
    assert "Mistake" in _names(db_path)

    listed = run_cli("backups", "--db", str(db_path))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1] == f"    1  {good.describe()}  {good.path}"

    result = run_cli("restore", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert f"Restored {db_path} from the backup of {good.describe()}" in result.stdout
    assert "Mistake" not in _names(db_path)
    assert _names(db_path) == {"Helix CRM rollout"}
    safety = [b for b in list_backups(db_path) if b.reason == "before-restore"]
    assert len(safety) == 1 and "Mistake" in _names(safety[0].path), (
        "the replaced file can itself be restored"
    )


def test_restore_a_chosen_backup_by_number(db_path: Path):
    _edit(db_path, "One")
    open_database(db_path).close()
    _edit(db_path, "Two")
    open_database(db_path).close()
    backups = list_backups(db_path)
    assert len(backups) == 2
    result = run_cli("restore", "--db", str(db_path), "2")
    assert result.returncode == 0, result.stderr
    assert _names(db_path) == {"One"}
    bad = run_cli("restore", "--db", str(db_path), "7")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
    assert "there is no backup number 7 of plan.db" in bad.stderr


def test_restore_is_refused_while_the_file_is_open(db_path: Path):
    _edit(db_path, "One")
    open_database(db_path).close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    db = open_database(db_path)
    try:
        with pytest.raises(LockedError, match="close it there before restoring"):
            restore_backup(db_path)
    finally:
        db.close()
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_restore_skips_a_backup_that_rotted_on_disk(db_path: Path):
    _edit(db_path, "One")
    open_database(db_path).close()
    _edit(db_path, "Two")
    open_database(db_path).close()
    newest = list_backups(db_path)[0]
    data = bytearray(newest.path.read_bytes())
    data[4096:] = b"\x5a" * (len(data) - 4096)
    newest.path.write_bytes(bytes(data))
    result = restore_backup(db_path)
    assert result.restored.path == list_backups(db_path)[-1].path != newest.path
    assert _names(db_path) == {"One"}


def test_backups_command_with_no_backups_says_so(db_path: Path):
    result = run_cli("backups", "--db", str(db_path))
    assert result.returncode == 0
    assert result.stdout.startswith(f"No backups of {db_path} yet")


def test_backup_now_is_verified_and_refused_when_read_only(db_path: Path):
    _edit(db_path, "One")
    db = open_database(db_path)
    try:
        taken = db.backup_now("before-import")
        assert [b.path for b in list_backups(db_path)] == [taken], "the on-open one holds it"
        assert list_backups(db_path)[0].reason == "on-open"
        assert _names(taken) == {"One"}
        PlanService(db).create("initiative", {"name": "Two"})
        again = db.backup_now("before-import")
        assert list_backups(db_path)[0].path == again
        assert list_backups(db_path)[0].reason == "before-import"
        assert _names(again) == {"One", "Two"}
    finally:
        db.close()
    reader = open_database(db_path, read_only=True)
    try:
        with pytest.raises(DatabaseError, match="open read-only; no backup was taken"):
            reader.backup_now("before-import")
    finally:
        reader.close()
