"""Limits: dates outside the supported range, a full disk, and workbooks too big to check.

Each is met through the real command line and ends in one line, nothing
written and no traceback.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from planner.cli import main
from planner.domain.fields import MAX_DATE, MIN_DATE
from planner.persistence import open_database
from planner.services.excel import reader
from planner.services.excel.layout import layout
from planner.services.planning import PlanService
from tests.conftest import run_cli
from tests.excel_support import export, header_index

RANGE = f"is outside the supported dates, {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"


def _plan(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        service = PlanService(db)
        ini = service.create("initiative", {"name": "Rollout"})
        service.create("stakeholder", {"initiative_id": ini.id, "name": "Sales"})
        service.create(
            "communication",
            {"initiative_id": ini.id, "name": "Kick-off", "scheduled_on": date(2027, 1, 4)},
        )
    finally:
        db.close()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2200-01-01", "1899-12-31"])
@pytest.mark.parametrize("command", ["check", "chart", "export"])
def test_a_date_option_out_of_range_is_refused_in_one_line(db_path, tmp_path, day, command):
    _plan(db_path)
    before = db_path.read_bytes()
    out = tmp_path / ("out.png" if command == "chart" else "out.xlsx")
    extra = {"chart": ["--kind", "communication-heatmap", str(out)], "export": [str(out)]}
    result = run_cli(command, "--db", str(db_path), "--today", day, *extra.get(command, []))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"planner {command}: error: argument --today: {day} {RANGE} (see planner {command} --help)"
    ]
    assert result.stdout == "" and not out.exists() and db_path.read_bytes() == before


def test_the_edges_of_the_range_are_accepted(db_path):
    _plan(db_path)
    for day in (MIN_DATE, MAX_DATE):
        result = run_cli("check", "--db", str(db_path), "--today", day.isoformat())
        assert result.returncode == 0, result.stderr
        assert f"on {day.isoformat()}" in result.stdout


def test_a_date_cell_out_of_range_is_named_by_its_place(db_path, tmp_path):
    _plan(db_path)
    db = open_database(db_path, read_only=True)
    try:
        workbook = export(PlanService(db), tmp_path / "plan.xlsx")
    finally:
        db.close()
    wb = load_workbook(workbook)
    ws = wb["Stakeholders"]
    column = header_index(ws, "First involved")
    ws.cell(row=2, column=column, value=date(9999, 12, 31))
    wb.save(workbook)
    before = db_path.read_bytes()
    result = run_cli("import", "--db", str(db_path), str(workbook))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Stakeholders, row 2, column" in result.stdout
    assert "9999-12-31 is outside the years 1900–2199" in result.stdout
    assert db_path.read_bytes() == before


@pytest.fixture
def full_disk(tmp_path: Path):
    """A real file system with almost no room left: a small tmpfs, filled up."""
    mount = tmp_path / "full"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command on this machine")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        (mount / "filler").write_bytes(b"\0" * 60 * 1024)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("charts", [False, True])
def test_an_export_onto_a_full_disk_prints_only_its_one_line(db_path, full_disk, charts):
    _plan(db_path)
    out = full_disk / "plan.xlsx"
    result = run_cli("export", "--db", str(db_path), *([] if charts else ["--no-charts"]), str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"planner: error: cannot write {out}: No space left on device"
    ]
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"], "nothing left behind"


def test_an_import_report_onto_a_full_disk_prints_only_its_one_line(db_path, full_disk, tmp_path):
    _plan(db_path)
    db = open_database(db_path, read_only=True)
    try:
        workbook = export(PlanService(db), tmp_path / "plan.xlsx")
    finally:
        db.close()
    report = full_disk / "report.xlsx"
    result = run_cli(
        "import", "--db", str(db_path), str(workbook), "--dry-run", "--report", str(report)
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"planner: error: cannot write {report}: No space left on device"
    ]
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def _names_workbook(path: Path, sheets: dict[str, int]) -> Path:
    wb = Workbook(write_only=True)
    initiative = wb.create_sheet("Initiative")
    initiative.append(["Name", "Status"])
    initiative.append(["Big", "Planning"])
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(["ID", "Name"])
        for number in range(rows):
            ws.append([str(uuid.UUID(int=number + 1)), f"{title} {number}"])
    wb.save(path)
    return path


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_sheet_over_the_row_limit_is_refused_in_one_line(db_path, tmp_path, capsys, monkeypatch):
    """The limits are lowered here so that the test stays small; the check is the same."""
    monkeypatch.setattr(reader, "MAX_ROWS_PER_SHEET", 40)
    monkeypatch.setattr(reader, "MAX_ROWS_PER_WORKBOOK", 60)
    _plan(db_path)
    before = db_path.read_bytes()
    at_limit = _names_workbook(tmp_path / "at.xlsx", {"Stakeholders": 40})
    code, out, err = _cli(capsys, "import", "--db", str(db_path), str(at_limit), "--dry-run")
    assert "rows, the most" not in err, "a sheet at the limit is read"

    over = _names_workbook(tmp_path / "over.xlsx", {"Stakeholders": 41})
    for args in (["--dry-run"], []):
        code, out, err = _cli(capsys, "import", "--db", str(db_path), str(over), *args)
        assert code == 1 and out == ""
        assert err.splitlines() == [
            (
                "planner: error: Stakeholders has more than 40 rows, the most the planner "
                "imports from one sheet; split the plan into smaller workbooks"
            )
        ]
    many = _names_workbook(tmp_path / "many.xlsx", {"Stakeholders": 35, "Risks": 35})
    code, out, err = _cli(capsys, "import", "--db", str(db_path), str(many))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        (
            "planner: error: the sheets up to Risks hold more than 60 rows, the most the "
            "planner imports from one workbook; split the plan into smaller workbooks"
        )
    ]
    assert db_path.read_bytes() == before


def test_a_workbook_over_the_text_limit_is_refused_in_one_line(
    db_path, tmp_path, capsys, monkeypatch
):
    """A workbook the zip guard accepts may hold half a gigabyte of text; what the reader
    holds is bounded (lowered here; each row holds an ID and a name, about 50 characters)."""
    monkeypatch.setattr(reader, "MAX_TEXT_PER_WORKBOOK", 1000)
    _plan(db_path)
    before = db_path.read_bytes()
    small = _names_workbook(tmp_path / "small.xlsx", {"Stakeholders": 10})
    code, out, err = _cli(capsys, "import", "--db", str(db_path), str(small), "--dry-run")
    assert "characters of text" not in err, "a workbook under the limit is read"

    big = _names_workbook(tmp_path / "big.xlsx", {"Stakeholders": 15, "Risks": 15})
    for args in (["--dry-run"], []):
        code, out, err = _cli(capsys, "import", "--db", str(db_path), str(big), *args)
        assert code == 1 and out == ""
        (line,) = err.splitlines()
        assert line.startswith("planner: error: Risks, row "), line
        assert line.endswith(
            "the workbook holds more than 1,000 characters of text up to here, the most the "
            "planner imports from one workbook; split the plan into smaller workbooks"
        )
    assert db_path.read_bytes() == before


def test_cells_of_columns_the_planner_does_not_read_are_not_kept(db_path, tmp_path, capsys):
    """A wide sheet of unknown number columns (before, between and after the planner's
    columns) and a sheet that is not a planner sheet: the reader keeps only the planner
    columns' cells, and the dry run still reads every planner value and names the rest."""
    _plan(db_path)
    wb = Workbook()
    initiatives = wb.active
    initiatives.title = "Initiative"
    initiatives.append(["Name", "Status"])
    initiatives.append(["Rollout", "Planning"])
    stakeholders = wb.create_sheet("Stakeholders")
    planner_headers = [c.header for c in layout("stakeholder").columns if c.header != "ID"]
    headers = [
        "Before",
        "Name",
        "Between",
        *planner_headers[1:],
        *(f"After {n}" for n in range(40)),
    ]
    width = len(planner_headers) + 2
    for number in range(30):
        planner_values = [None] * (width - 3)
        planner_values[planner_headers.index("Headcount") - 1] = number + 1
        row = [9.5, f"Team {number}", "noise " * 50, *planner_values, *range(40)]
        stakeholders.append(row)
    stakeholders.insert_rows(1)
    for at, header in enumerate(headers, 1):
        stakeholders.cell(row=1, column=at, value=header)
    stakeholders["A2"] = "=1+1"  # a formula in a column the planner does not read
    notes = wb.create_sheet("Notes")
    notes.append(["Anything"])
    for number in range(50):
        notes.append([f"note {number}", *range(20)])
    workbook = tmp_path / "wide.xlsx"
    wb.save(workbook)

    raw = reader.read_workbook(workbook)
    sheets = {sheet.title: sheet for sheet in raw.sheets}
    wide = sheets["Stakeholders"]
    assert wide.headers == headers, "the header row is kept whole (it says what is ignored)"
    assert len(wide.rows) == 30
    headcount = headers.index("Headcount")
    expected = [(None, f"Team {n}", *[None] * (headcount - 2), n + 1) for n in range(30)]
    assert [values for _, values in wide.rows] == expected
    assert wide.formulas == set() and wide.characters == sum(len(f"Team {n}") for n in range(30))
    assert sheets["Notes"].headers == ["Anything"] and sheets["Notes"].rows == []

    before = db_path.read_bytes()
    code, out, err = _cli(capsys, "import", "--db", str(db_path), str(workbook), "--dry-run")
    assert code == 0, out + err
    assert "Stakeholders: 30 new" in out, out
    assert "column ‘Between’ is not a planner column; ignored" in out
    assert db_path.read_bytes() == before
