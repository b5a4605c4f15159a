"""Hostile and broken files: refused at once with one line, the database untouched."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.services.excel import guards
from planner.services.excel.guards import UnsafeWorkbookError
from planner.services.excel.reader import BLANK_RUN_LIMIT, read_workbook
from tests.conftest import run_cli
from tests.excel_support import export, preview

pytestmark = pytest.mark.both_engines

BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheets>&lol9;</sheets></workbook>"
)
EXTERNAL = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
    b"<si><t>&secret;</t></si></sst>"
)


def _replace(source: Path, target: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, data if item.filename == member else old.read(item))
        if member not in old.namelist():
            new.writestr(member, data)
    return target


@pytest.fixture
def exported(demo, tmp_path):
    return export(demo, tmp_path / "plan.xlsx")


def _refused(demo, path, fragment):
    before = demo.plan(demo.initiatives()[0].id)
    with pytest.raises(UnsafeWorkbookError) as caught:
        preview(demo, path)
    message = str(caught.value)
    assert fragment in message and "\n" not in message
    assert demo.plan(demo.initiatives()[0].id) == before
    return message


def test_entity_bomb_is_refused(demo, exported, tmp_path):
    path = _replace(exported, tmp_path / "bomb.xlsx", "xl/workbook.xml", BOMB)
    _refused(demo, path, "declares XML entities")


def test_external_entity_is_refused(demo, exported, tmp_path):
    path = _replace(exported, tmp_path / "xxe.xlsx", "xl/sharedStrings.xml", EXTERNAL)
    _refused(demo, path, "declares XML entities")


def test_entities_hidden_behind_a_long_comment_are_found(demo, exported, tmp_path):
    noise = os.urandom(3 * guards.CHUNK_BYTES // 2).hex().encode()
    padded = BOMB.replace(b"<!DOCTYPE", b"<!--" + noise + b"-->\n<!DOCTYPE", 1)
    path = _replace(exported, tmp_path / "padded.xlsx", "xl/workbook.xml", padded)
    _refused(demo, path, "declares XML entities")


def test_openpyxl_parses_worksheets_through_defusedxml(demo, exported, tmp_path, monkeypatch):
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    path = _replace(exported, tmp_path / "sheet.xlsx", "xl/worksheets/sheet2.xml", sheet)
    monkeypatch.setattr("planner.services.excel.reader.inspect_workbook", lambda path: None)
    _refused(demo, path, "contains unsafe XML (EntitiesForbidden)")


def test_defusedxml_is_required(monkeypatch):
    guards.require_defusedxml()
    import openpyxl

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(UnsafeWorkbookError, match="defusedxml"):
        guards.require_defusedxml()


def test_zip_bomb_is_refused(demo, exported, tmp_path):
    path = _replace(
        exported, tmp_path / "zipbomb.xlsx", "xl/media/padding.bin", b"\0" * (20 * 1024 * 1024)
    )
    _refused(demo, path, "possible zip bomb")


def test_too_many_parts_are_refused(demo, exported, tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(exported) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item))
        for index in range(guards.MAX_MEMBERS + 1):
            new.writestr(f"xl/junk/{index}.txt", b"x")
    _refused(demo, path, "parts")


def test_renamed_pdf_and_other_non_workbooks_say_what_they_are(demo, tmp_path):
    pdf = tmp_path / "report.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert (
        _refused(demo, pdf, "is a PDF document")
        == "report.xlsx is a PDF document, not an Excel workbook (.xlsx)"
    )
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    _refused(demo, empty, "is empty")
    text = tmp_path / "notes.xlsx"
    text.write_text("name,power\nSales,3\n")
    _refused(demo, text, "not an Excel workbook")
    plain_zip = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(demo, plain_zip, "a zip file but not an Excel workbook")
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    _refused(demo, truncated, "damaged or incomplete")


def test_far_away_formatted_cell_does_not_walk_a_million_rows(demo, exported, tmp_path):
    far = tmp_path / "far.xlsx"
    wb = load_workbook(exported)
    ws = wb["Risks"]
    ws.cell(row=1_048_576, column=1).number_format = "0.00"
    ws.cell(row=1_048_576, column=16_384).number_format = "0.00"
    wb.save(far)
    raw = read_workbook(far)
    risks = next(s for s in raw.sheets if s.title == "Risks")
    assert risks.stopped_at is None, "a formatted empty cell holds nothing to ignore"
    assert len(risks.headers) == 10
    result = preview(demo, far)
    assert result.errors == [] and not result.has_changes
    assert not any("empty rows" in str(w) for w in result.warnings)
    ws.cell(row=1_048_576, column=2).value = "far below"
    wb.save(far)
    raw = read_workbook(far)
    risks = next(s for s in raw.sheets if s.title == "Risks")
    assert risks.stopped_at is not None and risks.stopped_at <= 20 + BLANK_RUN_LIMIT
    result = preview(demo, far)
    assert any("empty rows" in str(w) for w in result.warnings)


@pytest.mark.sqlite_only("compares the SQLite file's bytes to show nothing was written")
def test_cli_refuses_a_hostile_file_with_one_line_and_no_change(demo, exported, tmp_path, db_path):
    path = _replace(exported, tmp_path / "bomb.xlsx", "xl/workbook.xml", BOMB)
    demo.db.close()
    before = db_path.read_bytes()
    result = run_cli("import", "--db", str(db_path), str(path))
    assert result.returncode == 1
    assert result.stderr.startswith("planner: error: bomb.xlsx") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert db_path.read_bytes() == before
    missing = run_cli("import", "--db", str(db_path), str(tmp_path / "nope.xlsx"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def _units_plan(target: Path | str) -> None:
    from planner.persistence import open_database
    from planner.services.planning import PlanService

    db = open_database(target)
    try:
        service = PlanService(db)
        ini = service.create("initiative", {"name": "Rollout"})
        sales = service.create("unit", {"name": "Sales", "kind": "department"})
        service.create("unit", {"name": "Field", "parent_unit_id": sales.id})
        service.create("stakeholder", {"initiative_id": ini.id, "name": "Reps"})
    finally:
        db.close()


@pytest.mark.parametrize("loop", ["itself", "each other"])
def test_units_inside_themselves_in_a_workbook_are_refused_at_their_cells(
    db_path: Path, tmp_path: Path, loop: str
):
    from planner.persistence import open_database
    from planner.services.planning import PlanService

    _units_plan(db_path)
    db = open_database(db_path, read_only=True)
    try:
        workbook = export(PlanService(db), tmp_path / "plan.xlsx")
    finally:
        db.close()
    wb = load_workbook(workbook)
    ws = wb["Units"]
    headers = [c.value for c in ws[1]]
    name_at, parent_at = headers.index("Name") + 1, headers.index("Parent unit") + 1
    rows = {ws.cell(row=r, column=name_at).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(row=rows["Sales"], column=parent_at, value="Sales" if loop == "itself" else "Field")
    wb.save(workbook)
    before = db_path.read_bytes()
    result = run_cli("import", "--db", str(db_path), str(workbook))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    letter = chr(ord("A") + parent_at - 1)
    where = f"Units, row {rows['Sales']}, column {letter} ‘Parent unit’: "
    expected = (
        "Organisational unit parent unit: a unit cannot be its own parent"
        if loop == "itself"
        else "this would put ‘Sales’ in ‘Field’ in ‘Sales’; a unit cannot be inside itself"
    )
    assert f"error: {where}{expected}" in result.stdout, result.stdout
    assert db_path.read_bytes() == before


def test_an_edit_that_puts_a_unit_inside_itself_is_refused(db_target: str):
    from planner.domain.errors import DomainError
    from planner.persistence import open_database
    from planner.services.planning import PlanService

    _units_plan(db_target)
    db = open_database(db_target)
    try:
        service = PlanService(db)
        units = {u.name: u for u in service.plan(service.find_initiative(None).id).units}
        with pytest.raises(DomainError, match="‘Sales’ in ‘Field’ in ‘Sales’"):
            service.update("unit", units["Sales"].id, {"parent_unit_id": units["Field"].id})
        assert service.get("unit", units["Sales"].id).parent_unit_id is None
    finally:
        db.close()
