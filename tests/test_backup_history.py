"""Backups keep the plan's history: distinct states, no duplicates, nothing lost to a refusal.

Dozens of operations a team really does (imports accepted and refused, edits
through the planning service, restores good and bad) run against one file
through the real command line; the test works out itself, from a dump of
each state, which distinct states the backups must hold, and counts them.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.persistence import open_database
from planner.persistence.backup import (
    KEEP_RECENT,
    backup_folder,
    list_backups,
    make_backup,
)
from planner.services.planning import PlanService
from tests.excel_support import header_index


def _state(path: Path) -> str:
    """What the file holds, independent of page layout: its dump, sorted."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        lines = sorted(conn.iterdump())
    finally:
        conn.close()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


def _folder(db_path: Path) -> dict[str, bytes]:
    folder = backup_folder(db_path)
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def _edit(db_path: Path, name: str) -> None:
    """An edit as the window makes it: open (with its on-open backup), change, close."""
    db = open_database(db_path)
    try:
        PlanService(db).create("initiative", {"name": name})
    finally:
        db.close()


def _workbook(source: Path, target: Path, summary: str) -> Path:
    wb = load_workbook(source)
    ws = wb["Initiative"]
    ws.cell(row=2, column=header_index(ws, "Summary"), value=summary)
    wb.save(target)
    return target


def test_dozens_of_operations_keep_every_distinct_state_once(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(db_path, "Rollout")
    exported = tmp_path / "plan.xlsx"
    assert _cli(capsys, "export", "--db", str(db_path), "--no-charts", str(exported))[0] == 0
    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_text("just some notes")
    bad_value = tmp_path / "bad.xlsx"
    wb = load_workbook(exported)
    ws = wb["Initiative"]
    ws.cell(row=2, column=header_index(ws, "Status"), value="bogus")
    wb.save(bad_value)

    expected: list[str] = []  # the state before every operation that must back it up

    def refused(*args: str) -> None:
        before_file, before_folder = db_path.read_bytes(), _folder(db_path)
        code, err = _cli(capsys, *args)
        assert code != 0 and len(err.strip().splitlines()) == 1, err
        assert db_path.read_bytes() == before_file
        assert _folder(db_path) == before_folder, f"{args} changed the backups"

    def accepted(*args: str, backs_up: bool = True) -> None:
        before = _state(db_path)
        code, err = _cli(capsys, *args)
        assert code == 0, err
        if backs_up:
            expected.append(before)

    for turn in range(12):
        refused("import", "--db", str(db_path), str(not_a_workbook))
        refused("import", "--db", str(db_path), str(bad_value))
        changed = _workbook(exported, tmp_path / f"turn{turn}.xlsx", f"summary {turn}")
        if turn:
            refused("import", "--db", str(db_path), str(changed))  # a conflict to decide
        accepted("import", "--db", str(db_path), str(changed), "--prefer", "workbook")
        accepted("import", "--db", str(db_path), str(changed), backs_up=False)
        refused("import", "--db", str(db_path), str(changed), "--prune", "--prefer", "nowhere")
        expected.append(_state(db_path))
        _edit(db_path, f"Edit {turn}")
        refused("restore", "--db", str(db_path), "999")
        if turn % 4 == 3:
            accepted("restore", "--db", str(db_path), "3")

    kept = list_backups(db_path)
    states = [_state(info.path) for info in kept]
    assert len(states) == len(set(states)), "two backups hold the same state"
    distinct_in_order = list(dict.fromkeys(expected))
    assert len(distinct_in_order) > KEEP_RECENT, "the run must overflow the rotation"
    assert set(states) <= set(expected), "a backup holds a state no operation backed up"
    assert len(states) == KEEP_RECENT
    assert set(states) == set(distinct_in_order[-KEEP_RECENT:]), "a newer state was lost"


def test_an_import_takes_one_backup_not_two(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(db_path, "Rollout")
    exported = tmp_path / "plan.xlsx"
    _cli(capsys, "export", "--db", str(db_path), "--no-charts", str(exported))
    before = _state(db_path)
    changed = _workbook(exported, tmp_path / "changed.xlsx", "a new summary")
    assert _cli(capsys, "import", "--db", str(db_path), str(changed))[0] == 0
    [taken] = list_backups(db_path)
    assert taken.reason == "before-import" and _state(taken.path) == before


def test_a_backup_of_an_already_kept_state_is_not_copied_again(db_path: Path) -> None:
    _edit(db_path, "Rollout")
    first = make_backup(db_path, "manual")
    open_database(db_path, backup_on_open="no").close()
    again = make_backup(db_path, "before-upgrade-from-0001_initial")
    [only] = list_backups(db_path)
    assert again == only.path and only.reason == "before-upgrade-from-0001_initial"
    assert only.taken_at.strftime("%Y%m%dT%H%M%S%f") in first.name, "the first copy is kept"
    assert _state(only.path) == _state(db_path)
    _edit(db_path, "Another")
    third = make_backup(db_path, "manual")
    assert [b.path for b in list_backups(db_path)] == [third, only.path]


def test_duplicates_left_by_an_older_planner_are_dropped_first(db_path: Path) -> None:
    _edit(db_path, "Rollout")
    folder = backup_folder(db_path)
    distinct = []
    for turn in range(KEEP_RECENT - 1):
        distinct.append(make_backup(db_path, "on-open", rotate=False))
        _edit(db_path, f"Edit {turn}")
    newest = make_backup(db_path, "on-open", rotate=False)
    wanted = {_state(p) for p in [*distinct[1:], newest]}
    taken = list_backups(db_path)[0].taken_at
    for copy in range(1, 6):
        stamp = f"{taken + timedelta(microseconds=copy):%Y%m%dT%H%M%S%f}Z"
        (folder / f"plan-{stamp}-on-open.db").write_bytes(newest.read_bytes())
    _edit(db_path, "Last")
    last = make_backup(db_path, "on-open")
    states = [_state(info.path) for info in list_backups(db_path)]
    assert len(states) == len(set(states)) == KEEP_RECENT
    assert set(states) == wanted | {_state(last)}
