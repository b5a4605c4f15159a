"""Restoring a plan reached through a symbolic link restores the real file and keeps the link."""

from __future__ import annotations

import os
from pathlib import Path

from planner.persistence import open_database
from planner.persistence.backup import list_backups
from planner.services.planning import PlanService
from tests.conftest import run_cli


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


def _plan_behind_links(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A real plan in a shared folder, a link to it, and a link to that link."""
    real = tmp_path / "shared" / "plan.db"
    real.parent.mkdir()
    _edit(real, "First")
    open_database(real).close()  # the on-open backup holds {"First"}
    _edit(real, "Second")
    link = tmp_path / "desk" / "my plan.db"
    link.parent.mkdir()
    link.symlink_to(real)
    chain = tmp_path / "chain.db"
    chain.symlink_to(link)
    return real, link, chain


def test_restore_through_a_link_restores_the_real_file_and_keeps_the_link(tmp_path: Path):
    real, link, chain = _plan_behind_links(tmp_path)
    result = run_cli("restore", "--db", str(chain))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"Restored {real} (the file {chain} links to; the link is kept)" in result.stdout
    assert chain.is_symlink() and os.readlink(chain) == str(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert not real.is_symlink()
    assert _names(real) == {"First"}, "the real file holds the backup now"
    assert _names(chain) == {"First"}
    assert not list(link.parent.glob("*.restoring")) and not list(tmp_path.glob("*.restoring"))
    [newest, *_] = list_backups(real)
    assert newest.reason == "before-restore" and _names(newest.path) == {"First", "Second"}
    assert list_backups(link) == list_backups(real), "one plan, one set of backups"


def test_restore_through_a_link_is_refused_while_the_real_file_is_open(tmp_path: Path):
    real, link, _chain = _plan_behind_links(tmp_path)
    before = real.read_bytes()
    holder = open_database(real)
    try:
        result = run_cli("restore", "--db", str(link))
    finally:
        holder.close()
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "nothing was changed" in result.stderr
    assert real.read_bytes() == before and link.is_symlink()


def test_restore_through_a_dangling_link_is_refused_in_one_line(tmp_path: Path):
    real, link, _chain = _plan_behind_links(tmp_path)
    moved = real.with_name("moved.db")
    real.rename(moved)
    result = run_cli("restore", "--db", str(link), "1")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"planner: error: {link} is a link to {real}, which does not exist; nothing was changed"
    ]
    assert link.is_symlink() and not real.exists()
