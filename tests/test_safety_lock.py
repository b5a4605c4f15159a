"""One writer per file: a second planner gets the file read-only or is refused, never both writing."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from planner.persistence import ReadOnlyError, open_database
from planner.persistence.lock import LockedError, lock_path
from planner.services.planning import PlanService
from tests.conftest import REPO, run_cli


def _worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.safety_worker", *args],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


def _ask(worker: subprocess.Popen[str], line: str) -> str:
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(line + "\n")
    worker.stdin.flush()
    return worker.stdout.readline().strip()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def plan_file(db_path: Path) -> Path:
    db = open_database(db_path)
    PlanService(db).create("initiative", {"name": "Base"})
    db.close()
    return db_path


def test_second_process_gets_read_only_and_the_first_keeps_writing(plan_file: Path):
    first = _worker("hold", str(plan_file))
    try:
        assert first.stdout is not None
        status = json.loads(first.stdout.readline())
        assert status["read_only"] is False
        assert _ask(first, "add Before").startswith("ok ")

        second = open_database(plan_file)
        try:
            assert second.read_only
            assert re.fullmatch(
                rf"plan\.db is open in another planner \(process {status['pid']} on "
                rf"{re.escape(socket.gethostname())} since \d{{4}}-\d\d-\d\d \d\d:\d\d\)",
                second.read_only_reason or "",
            )
            service = PlanService(second)
            names = {s.name for s in service.list("stakeholder")}
            assert names == {"Before"}
            base = service.find_initiative("Base")
            with pytest.raises(ReadOnlyError, match="open in another planner"):
                service.create("stakeholder", {"initiative_id": base.id, "name": "Intruder"})

            refused = run_cli("demo", "--db", str(plan_file))
            assert refused.returncode == 1
            assert refused.stderr.count("\n") == 1
            assert "is open in another planner" in refused.stderr
            assert "close it there first, nothing was changed" in refused.stderr

            assert _ask(first, "add After").startswith("ok ")
            assert {s.name for s in service.list("stakeholder")} == {"Before", "After"}
        finally:
            second.close()
        assert _ask(first, "quit") == "closed"
    finally:
        first.kill()
        first.communicate()
    reopened = open_database(plan_file)
    try:
        assert not reopened.read_only
        assert {s.name for s in PlanService(reopened).list("stakeholder")} == {"Before", "After"}
    finally:
        reopened.close()


def test_a_second_window_in_the_same_process_is_read_only(plan_file: Path):
    first = open_database(plan_file)
    try:
        second = open_database(plan_file)
        try:
            assert second.read_only
            assert (
                second.read_only_reason
                == "plan.db is already open in another window of this planner"
            )
        finally:
            second.close()
        with pytest.raises(LockedError, match="another window"):
            open_database(plan_file, if_locked="refuse")
        PlanService(first).create("initiative", {"name": "Still writable"})
    finally:
        first.close()
    again = open_database(plan_file)
    assert not again.read_only
    again.close()


def test_lock_of_a_killed_planner_is_stale_and_taken_over(plan_file: Path):
    holder = _worker("hold", str(plan_file))
    assert holder.stdout is not None
    pid = json.loads(holder.stdout.readline())["pid"]
    os.kill(pid, signal.SIGKILL)
    holder.communicate()
    assert json.loads(lock_path(plan_file).read_text())["pid"] == pid, "the lock file remains"

    db = open_database(plan_file)
    try:
        assert not db.read_only
        assert db.lock is not None and db.lock.took_over is not None
        assert db.lock.took_over.pid == pid
        assert json.loads(lock_path(plan_file).read_text())["pid"] == os.getpid()
        PlanService(db).create("initiative", {"name": "After the crash"})
    finally:
        db.close()
    assert not lock_path(plan_file).exists(), "a clean close removes the lock file"


def test_read_only_open_creates_and_changes_nothing(plan_file: Path):
    before = _digest(plan_file)
    listing = sorted(p.name for p in plan_file.parent.iterdir())
    db = open_database(plan_file, read_only=True)
    try:
        service = PlanService(db)
        assert service.find_initiative("Base").name == "Base"
        assert db.read_only_reason == "opened read-only"
        with pytest.raises(ReadOnlyError):
            service.create("initiative", {"name": "Nope"})
        assert sorted(p.name for p in plan_file.parent.iterdir()) == listing
    finally:
        db.close()
    assert _digest(plan_file) == before
    assert sorted(p.name for p in plan_file.parent.iterdir()) == listing


_PROBE = """
import json, sys
from planner.persistence import open_database
from planner.services.planning import PlanService
db = open_database(sys.argv[1])
names = [i.name for i in PlanService(db).initiatives()]
db.close()
try:
    open_database(sys.argv[1] + ".new.db")
    created = "created"
except Exception as exc:
    created = f"{type(exc).__name__}: {exc}"
print(json.dumps({"read_only": db.read_only, "reason": db.read_only_reason, "names": names,
                  "new": created}))
"""


def test_a_file_on_a_read_only_disk_opens_read_only(plan_file: Path):
    """A real read-only mount, made in a private user and mount namespace."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to mount a folder read-only")
    folder = plan_file.parent
    before = _digest(plan_file)
    mount = f'mount --bind -o ro "{folder}" "{folder}"'
    trial = subprocess.run(
        ["unshare", "-rm", "sh", "-c", mount],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if trial.returncode != 0:
        pytest.skip(f"this machine does not allow a private read-only mount: {trial.stderr}")
    script = f'{mount} && exec "{sys.executable}" -c \'{_PROBE}\' "{plan_file}"'
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen == {
        "read_only": True,
        "reason": "plan.db is on a read-only disk",
        "names": ["Base"],
        "new": f"DatabaseError: cannot create {plan_file}.new.db: "
        f"plan.db.new.db is on a read-only disk",
    }
    assert _digest(plan_file) == before
    assert not lock_path(plan_file).exists()


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root may write any file, so permissions cannot make it read-only",
)
def test_a_file_without_write_permission_opens_read_only(plan_file: Path):
    plan_file.chmod(0o444)
    try:
        db = open_database(plan_file)
        try:
            assert db.read_only
            assert db.read_only_reason == "you do not have permission to change plan.db"
        finally:
            db.close()
    finally:
        plan_file.chmod(0o644)


def test_doctor_names_the_planner_holding_the_file_and_changes_nothing(plan_file: Path):
    holder = _worker("hold", str(plan_file))
    try:
        assert holder.stdout is not None
        pid = json.loads(holder.stdout.readline())["pid"]
        before = _digest(plan_file)
        result = run_cli("doctor", "--db", str(plan_file))
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"lock: open for writing by process {pid} on " in result.stdout
        assert _digest(plan_file) == before
        assert _ask(holder, "add Still here").startswith("ok ")
    finally:
        holder.kill()
        holder.communicate()
    stale = run_cli("doctor", "--db", str(plan_file))
    assert f"lock: a lock left by process {pid} on " in stale.stdout
    assert "which has stopped; the next planner to open the file takes it over" in stale.stdout


def test_two_links_to_one_file_share_one_lock(plan_file: Path, tmp_path: Path):
    link = tmp_path / "elsewhere" / "same-plan.db"
    link.parent.mkdir()
    link.symlink_to(plan_file)
    first = open_database(link)
    try:
        second = open_database(plan_file)
        assert second.read_only
        second.close()
    finally:
        first.close()
