"""Messages that quote a hostile file stay one short line of plain text, and say where.

Terminal escape codes, line breaks, bidirectional overrides and huge strings
are planted where a file's author controls the text (a database's schema
revision, a sheet name, cell values, record names); NaN and infinite number
cells and a zip holding a part twice are refused with their place named.
Everything runs through the real command line.
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.domain.quoting import QUOTE_LIMIT, printable, shown
from planner.persistence import open_database
from planner.services.planning import PlanService
from tests.conftest import run_cli
from tests.excel_support import export, header_index

ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "\x1b]0;owned\x07\x1b[2J\u009b31m\u202eevil\nforged line"
# What a worksheet can hold (XML 1.0 allows no C0 controls but line breaks and tabs).
IN_A_CELL = "\u009b31m\u202eevil\nforged\u2066 line\x85"


def _plan(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        service = PlanService(db)
        ini = service.create("initiative", {"name": "Rollout"})
        service.create("stakeholder", {"initiative_id": ini.id, "name": "Sales", "headcount": 5})
    finally:
        db.close()


def _exported(db_path: Path, tmp_path: Path) -> Path:
    _plan(db_path)
    db = open_database(db_path, read_only=True)
    try:
        return export(PlanService(db), tmp_path / "plan.xlsx")
    finally:
        db.close()


def _clean(text: str, longest: int = 400) -> None:
    assert "Traceback" not in text
    assert not ESCAPES.search(text), repr(ESCAPES.search(text))
    assert all(len(line) <= longest for line in text.splitlines()), max(map(len, text.splitlines()))


def _one_line_refusal(result, db_path: Path, before: bytes) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    _clean(result.stderr)
    assert db_path.read_bytes() == before
    return lines[0]


def test_the_shared_helper_escapes_and_caps():
    assert shown(HOSTILE).startswith("\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eevil\\x0aforged")
    assert len(shown("x" * 1_000_000)) == QUOTE_LIMIT and shown("x" * 1_000_000).endswith("…")
    assert printable("plain ‘text’ — 中文") == "plain ‘text’ — 中文"


def test_a_hostile_schema_revision_is_quoted_escaped_and_short(db_path: Path, tmp_path: Path):
    _plan(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = ?", (HOSTILE + "A" * 1_000_000,))
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    for args in (
        ["check", "--db", str(db_path)],
        ["export", "--db", str(db_path), str(tmp_path / "out.xlsx")],
        ["import", "--db", str(db_path), str(tmp_path / "none.xlsx")],
        ["doctor", "--db", str(db_path)],
    ):
        result = run_cli(*args)
        if args[0] == "doctor":
            _clean(result.stdout + result.stderr)
            continue
        line = _one_line_refusal(result, db_path, before)
        assert "newer version of the planner" in line and "\\x1b]0;owned" in line
    assert not (tmp_path / "out.xlsx").exists()


def test_hostile_cells_sheet_names_and_record_names_reach_the_terminal_escaped(
    db_path: Path, tmp_path: Path
):
    workbook = _exported(db_path, tmp_path)
    wb = load_workbook(workbook)
    ws = wb["Stakeholders"]
    name = header_index(ws, "Name")
    ws.cell(row=2, column=name, value=IN_A_CELL + "y" * 100_000)
    ws.cell(row=3, column=name, value="Newcomer " + IN_A_CELL)
    ws.cell(row=4, column=name, value="Too many " + IN_A_CELL)
    ws.cell(row=4, column=header_index(ws, "Headcount"), value="\u009b" + "9" * 5000)
    extra = wb.create_sheet("\u009b31m\u202eNotes\u2066")
    extra.append(["x"])
    hostile = tmp_path / "hostile.xlsx"
    wb.save(hostile)
    before = db_path.read_bytes()

    result = run_cli("import", "--db", str(db_path), str(hostile), "--dry-run")
    _clean(result.stdout + result.stderr)
    assert "\\x9b31m\\u202eNotes\\u2066" in result.stdout, "the sheet name is shown, escaped"
    assert "Newcomer \\x9b31m\\u202eevil forged\\u2066" in result.stdout, "a name, escaped"
    assert "…" in result.stdout, "long values are cut"
    assert db_path.read_bytes() == before


def _with_number(source: Path, target: Path, text: str) -> Path:
    """The Stakeholders headcount of the first row (5) replaced in the sheet's XML itself."""
    cell = re.compile(rb'(<c r="D2"[^>]*>)<v>5</v>')
    replaced = 0
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and cell.search(data):
                data = cell.sub(rb"\g<1><v>" + text.encode() + rb"</v>", data)
                replaced += 1
            new.writestr(item.filename, data)
    assert replaced == 1
    return target


@pytest.mark.parametrize("text", ["NaN", "nan", "INF", "-Infinity", "1e400"])
def test_a_nan_or_infinite_cell_is_named_by_sheet_row_and_column(db_path, tmp_path, text):
    workbook = _exported(db_path, tmp_path)
    bad = _with_number(workbook, tmp_path / "bad.xlsx", text)
    before = db_path.read_bytes()
    result = run_cli("import", "--db", str(db_path), str(bad))
    line = _one_line_refusal(result, db_path, before) if text != "1e400" else None
    if line is None:  # openpyxl reads 1e400 as inf: the row check names it
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "Stakeholders, row 2, column D ‘Headcount’" in result.stdout
        assert "not a finite number" in result.stdout
        assert db_path.read_bytes() == before
        return
    assert line.startswith("planner: error: Stakeholders, row 2, column D ‘Headcount’: ")
    assert f"‘{text}’" in line


def test_a_zip_holding_a_part_twice_is_refused(db_path: Path, tmp_path: Path):
    workbook = _exported(db_path, tmp_path)
    twice = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(workbook) as old, zipfile.ZipFile(twice, "w") as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item.filename))
        with pytest.warns(UserWarning, match="Duplicate name"):
            new.writestr("XL/Workbook.xml".lower(), old.read("xl/workbook.xml"))
    before = db_path.read_bytes()
    for args in (["--dry-run"], []):
        result = run_cli("import", "--db", str(db_path), str(twice), *args)
        line = _one_line_refusal(result, db_path, before)
        assert "holds the part xl/workbook.xml twice" in line


def _malformed_schema_entry(db_path: Path, name: str) -> None:
    """A schema entry SQLite cannot parse, under a hostile name: SQLite's own error names
    it ("malformed database schema (NAME)"), so the name reaches the planner unquoted."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute(
        "INSERT INTO sqlite_master(type, name, tbl_name, rootpage, sql) VALUES ('table', ?, ?, 0, ?)",
        (name, name, "CREATE TABLE not valid sql at all"),
    )
    conn.commit()
    conn.close()


def test_what_sqlite_says_about_a_hostile_file_is_escaped_and_short(db_path: Path, tmp_path: Path):
    _plan(db_path)
    _malformed_schema_entry(db_path, HOSTILE + "N" * 1_000_000)
    before = db_path.read_bytes()
    workbook = tmp_path / "none.xlsx"
    for args in (
        ["check", "--db", str(db_path)],
        ["import", "--db", str(db_path), str(workbook), "--dry-run"],
        ["export", "--db", str(db_path), str(tmp_path / "out.xlsx")],
        ["doctor", "--db", str(db_path)],
    ):
        result = run_cli(*args)
        line = _one_line_refusal(result, db_path, before)
        assert "\\x1b]0;owned" in line and "…" in line, line
        assert len(line) <= 500 + len("planner: error: "), len(line)
        _clean(result.stdout)
        if args[0] == "doctor":
            assert "PROBLEM  integrity: damaged: malformed database schema" in result.stdout
    assert not (tmp_path / "out.xlsx").exists()


def test_the_command_line_caps_a_message_that_reached_it_unquoted(
    db_path: Path, capsys, monkeypatch
):
    """The last defence, for a message that quotes a file's text without `shown`: the
    command line prints every error through `quoting.one_line`, as the window does."""
    from planner.cli import main
    from planner.commands import check
    from planner.domain.errors import PlannerError
    from planner.domain.quoting import MESSAGE_LIMIT

    def hostile(_args):
        raise PlannerError("bad value " + HOSTILE + "x" * 1_000_000)

    monkeypatch.setattr(check, "run", hostile)
    assert main(["check", "--db", str(db_path)]) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith("planner: error: bad value \\x1b]0;owned") and line.endswith("…")
    assert len(line) == len("planner: error: ") + MESSAGE_LIMIT
    _clean(captured.err, longest=600)
