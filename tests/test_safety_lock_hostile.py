"""A lock file someone else made, removed or replaced never turns against the data.

Every case is what a colleague, a sync tool or an attacker with write access to
the shared folder could leave beside a plan: a symbolic link (to the plan, to
another file), a hard link, a folder, a pipe, a file of other text; or a lock
deleted or replaced while a planner (a real second process) holds the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planner.domain.errors import DomainError
from planner.persistence import open_database
from planner.persistence.lock import lock_path
from planner.services.planning import PlanService
from tests.conftest import REPO, run_cli


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def plan_file(db_path: Path) -> Path:
    db = open_database(db_path)
    service = PlanService(db)
    base = service.create("initiative", {"name": "Base"})
    service.create("stakeholder", {"initiative_id": base.id, "name": "Ada"})
    db.close()
    return db_path


def _beside(plan: Path) -> list[str]:
    """What the plan's folder holds (the test's user data folder sits there too)."""
    return sorted(p.name for p in plan.parent.iterdir() if p.name != "userdata")


def _symlink_to_plan(plan: Path, lock: Path) -> Path:
    lock.symlink_to(plan)
    return plan


def _symlink_to_other(plan: Path, lock: Path) -> Path:
    victim = plan.with_name("precious.txt")
    victim.write_text("someone's notes\n" * 100)
    lock.symlink_to(victim)
    return victim


def _hard_link_to_other(plan: Path, lock: Path) -> Path:
    victim = plan.with_name("precious.txt")
    victim.write_text('{"pid": 1, "host": "x", "since": null}\n')
    os.link(victim, lock)
    return victim


def _dangling_symlink(plan: Path, lock: Path) -> Path:
    target = plan.with_name("would-be-created.txt")
    lock.symlink_to(target)
    return lock


def _other_text(plan: Path, lock: Path) -> Path:
    lock.write_text("line one\nline two\n")
    return lock


def _pipe(plan: Path, lock: Path) -> Path:
    os.mkfifo(lock)
    return plan


def _folder(plan: Path, lock: Path) -> Path:
    lock.mkdir()
    (lock / "inside.txt").write_text("x")
    return lock / "inside.txt"


HOSTILE_LOCKS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "symlink to the plan": (_symlink_to_plan, "is a symbolic link"),
    "symlink to another file": (_symlink_to_other, "is a symbolic link"),
    "dangling symlink": (_dangling_symlink, "is a symbolic link"),
    "hard link to another file": (_hard_link_to_other, "hard link"),
    "other text": (_other_text, "does not hold a planner's lock line"),
    "named pipe": (_pipe, "is not a regular file"),
    "folder": (_folder, "is not a regular file"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_LOCKS))
def test_a_foreign_lock_file_is_refused_and_nothing_is_written(plan_file: Path, case: str):
    make, reason = HOSTILE_LOCKS[case]
    lock = lock_path(plan_file)
    watched = make(plan_file, lock)
    plan_before = _digest(plan_file)
    watched_before = _digest(watched) if watched.is_file() else None
    listing = _beside(plan_file)

    db = open_database(plan_file)
    try:
        assert db.read_only
        assert reason in (db.read_only_reason or "")
        assert [s.name for s in PlanService(db).list("stakeholder")] == ["Ada"]
    finally:
        db.close()
    for command in (["demo"], ["import", str(plan_file.with_name("none.xlsx"))]):
        refused = run_cli(*command, "--db", str(plan_file), timeout=60)
        assert refused.returncode == 1
        assert refused.stderr.count("\n") == 1, refused.stderr
        assert reason in refused.stderr or "does not exist" in refused.stderr
        assert "Traceback" not in refused.stderr
    doctor = run_cli("doctor", "--db", str(plan_file), timeout=60)
    assert doctor.returncode == 1
    assert reason in doctor.stdout

    assert _digest(plan_file) == plan_before
    if watched_before is not None:
        assert _digest(watched) == watched_before
    assert os.path.lexists(lock)
    assert _beside(plan_file) == listing


def test_a_stale_lock_is_replaced_not_rewritten(plan_file: Path):
    """A lock a stopped planner left is removed and a new one made: the old file is never written."""
    lock = lock_path(plan_file)
    stale = '{"pid": 999999, "host": "gone", "since": "2026-01-01T00:00:00"}\n'
    lock.write_text(stale)
    old = os.open(lock, os.O_RDONLY)
    try:
        db = open_database(plan_file)
        try:
            assert not db.read_only
            assert db.lock is not None and db.lock.took_over is not None
            assert db.lock.took_over.pid == 999999
            assert json.loads(lock.read_text())["pid"] == os.getpid()
        finally:
            db.close()
        assert os.fstat(old).st_nlink == 0, "the stale file was unlinked, not reused"
        assert os.pread(old, 4096, 0).decode() == stale
    finally:
        os.close(old)


def _holder(plan: Path) -> Iterator[subprocess.Popen[str]]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.safety_worker", "hold", str(plan)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert worker.stdout is not None
        assert json.loads(worker.stdout.readline())["read_only"] is False
        yield worker
    finally:
        worker.kill()
        worker.communicate(timeout=60)


@pytest.fixture
def holder(plan_file: Path) -> Iterator[subprocess.Popen[str]]:
    yield from _holder(plan_file)


def _ask(worker: subprocess.Popen[str], line: str) -> str:
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(line + "\n")
    worker.stdin.flush()
    return worker.stdout.readline().strip()


def _names(plan: Path) -> list[str]:
    with sqlite3.connect(f"{plan.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return sorted(r[0] for r in conn.execute("select name from stakeholder"))


def _vanish(lock: Path) -> None:
    lock.unlink()


def _replace(lock: Path) -> None:
    fake = lock.with_name("fake")
    fake.write_text('{"pid": 1, "host": "elsewhere", "since": null}\n')
    os.replace(fake, lock)


@pytest.mark.parametrize("tamper", [_vanish, _replace], ids=["vanished", "replaced"])
def test_a_lock_removed_under_a_running_planner_still_keeps_one_writer(
    plan_file: Path, holder: subprocess.Popen[str], tamper: Callable[[Path], None]
):
    assert _ask(holder, "add Before").startswith("ok ")
    tamper(lock_path(plan_file))

    second = open_database(plan_file)
    try:
        assert second.read_only, "the database file itself is still locked by the first planner"
        assert "open in another planner" in (second.read_only_reason or "")
    finally:
        second.close()
    refused = run_cli("demo", "--db", str(plan_file), timeout=60)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "open in another planner" in refused.stderr

    answer = _ask(holder, "add After")
    assert answer.startswith("error the lock file plan.db.lock was "), answer
    assert "nothing more is written here" in answer
    assert _names(plan_file) == ["Ada", "Before"]


def test_undo_never_reverts_a_change_saved_by_someone_else(plan_file: Path):
    """Another program (a second writer, a hand edit in an SQLite tool) changed the row."""
    db = open_database(plan_file)
    try:
        service = PlanService(db)
        ada = service.list("stakeholder")[0]
        service.update("stakeholder", ada.id, {"notes": "mine"})
        made = service.create("stakeholder", {"initiative_id": ada.initiative_id, "name": "Bo"})
        with sqlite3.connect(plan_file) as other:
            other.execute("update stakeholder set notes = 'theirs' where id = ?", (ada.id,))
            other.execute("update stakeholder set headcount = 7 where id = ?", (made.id,))

        with pytest.raises(DomainError, match=r"^cannot undo ‘Add stakeholder ‘Bo’’: .*changed"):
            service.history.undo()
        with pytest.raises(DomainError, match=r"^cannot undo ‘Edit stakeholder ‘Ada’ notes’"):
            service.history.undo()
        assert not service.history.can_undo
        kept = {s.name: s for s in service.list("stakeholder")}
        assert kept["Ada"].notes == "theirs"
        assert kept["Bo"].headcount == 7

        service.update("stakeholder", ada.id, {"notes": "again"})
        assert service.history.undo() is not None
        assert service.get("stakeholder", ada.id).notes == "theirs"
    finally:
        db.close()


def test_redo_never_overwrites_a_change_saved_since_the_undo(plan_file: Path):
    db = open_database(plan_file)
    try:
        service = PlanService(db)
        ada = service.list("stakeholder")[0]
        service.update("stakeholder", ada.id, {"notes": "mine"})
        service.history.undo()
        with sqlite3.connect(plan_file) as other:
            other.execute("update stakeholder set notes = 'theirs' where id = ?", (ada.id,))
        with pytest.raises(DomainError, match=r"^cannot redo"):
            service.history.redo()
        assert service.get("stakeholder", ada.id).notes == "theirs"
    finally:
        db.close()


def test_the_database_file_lock_is_left_to_the_lock_file_on_a_network_share():
    """Linux turns flock into a whole-file record lock on NFS/SMB, which would stop readers."""
    from planner.persistence.lock import file_system_of

    mountinfo = (
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "40 22 0:35 / /srv/team\\040plans rw,relatime shared:20 - nfs4 nas:/plans rw,vers=4.2\n"
        "41 22 0:36 / /srv/team rw,relatime shared:21 - cifs //nas/team rw\n"
    )
    assert file_system_of("/home/ana/plan.db", mountinfo) == "ext4"
    assert file_system_of("/srv/team plans/crm.db", mountinfo) == "nfs4"
    assert file_system_of("/srv/team/crm.db", mountinfo) == "cifs"
    assert file_system_of("/srv/teamwork/crm.db", mountinfo) == "ext4"
