"""A workbook saved again with no edit imports as nothing to change, whatever the program
did to its numbers, dates and text; and the preview says what matters (rows kept, empty
rows below the data, a dry run into a file that does not exist yet)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from openpyxl.styles import Font

from planner.services.excel.importer import apply_import
from planner.services.excel.preview import Status
from tests.conftest import run_cli
from tests.excel_support import edit, export, header_index, preview, row_of

pytestmark = pytest.mark.both_engines

AWKWARD = 0.30000000000000004


def _kpi(service, name):
    plan = service.plan(service.initiatives()[0].id)
    return next(k for k in plan.kpis if k.name == name)


def _first_kpi_name(service):
    return service.plan(service.initiatives()[0].id).kpis[0].name


def _as_a_spreadsheet_saves_it(wb, kpi_name):
    """What Excel, LibreOffice and Gnumeric give back: 15 significant digits, a date a
    hair before midnight, text in another Unicode form, an emptied cell as ''."""
    ws = wb["KPIs"]
    row = row_of(ws, "Name", kpi_name)
    cell = ws.cell(row=row, column=header_index(ws, "Baseline"))
    assert cell.value == AWKWARD
    cell.value = float(f"{AWKWARD:.15g}")
    due = ws.cell(row=row, column=header_index(ws, "Due"))
    assert isinstance(due.value, datetime)
    serial = (due.value - datetime(1899, 12, 30)).days
    due.value = serial - 1e-8  # the float a program stored: 23:59:59.999 the day before
    due.number_format = "yyyy-mm-dd"
    stakeholders = wb["Stakeholders"]
    row = row_of(stakeholders, "Name", "Zoë Müller")
    name = stakeholders.cell(row=row, column=header_index(stakeholders, "Name"))
    name.value = unicodedata.normalize("NFD", "Zoë Müller")
    notes = stakeholders.cell(row=row, column=header_index(stakeholders, "Notes"))
    assert notes.value is None
    notes.value = ""


def test_a_resave_that_changes_nothing_imports_as_nothing_to_change(demo, tmp_path):
    kpi_name = _first_kpi_name(demo)
    kpi = _kpi(demo, kpi_name)
    demo.update(
        "kpi",
        kpi.id,
        {"baseline": AWKWARD, "target": 0.9, "direction": "increase", "due": date(2027, 3, 1)},
    )
    quiet = next(
        s for s in demo.plan(demo.initiatives()[0].id).stakeholders if s.notes in (None, "")
    )
    demo.update("stakeholder", quiet.id, {"name": "Zoë Müller"})
    exported = export(demo, tmp_path / "plan.xlsx")
    path = edit(
        exported, tmp_path / "resaved.xlsx", lambda wb: _as_a_spreadsheet_saves_it(wb, kpi_name)
    )
    result = preview(demo, path)
    assert result.errors == [] and not result.has_changes, [
        (r.sheet, r.title, r.changes) for r in result.rows(Status.CHANGED, Status.CONFLICT)
    ]


def test_a_rounded_number_is_never_a_conflict_with_a_colleagues_edit(demo, tmp_path):
    kpi_name = _first_kpi_name(demo)
    kpi = _kpi(demo, kpi_name)
    demo.update("kpi", kpi.id, {"baseline": AWKWARD, "target": 0.9, "direction": "increase"})
    exported = export(demo, tmp_path / "plan.xlsx")

    def round_it(wb):
        ws = wb["KPIs"]
        cell = ws.cell(row=row_of(ws, "Name", kpi_name), column=header_index(ws, "Baseline"))
        cell.value = 0.3

    path = edit(exported, tmp_path / "resaved.xlsx", round_it)
    demo.update("kpi", kpi.id, {"unit": "share of cases"})
    result = preview(demo, path, prune=False)
    assert result.errors == [] and result.conflicts == []
    [row] = [r for r in result.rows() if r.kind == "kpi" and r.record_id == kpi.id]
    assert row.status is Status.UNCHANGED and "database is kept" in row.note
    apply_import(demo, result, prefer=None)
    assert _kpi(demo, kpi_name).unit == "share of cases"
    assert _kpi(demo, kpi_name).baseline == AWKWARD


def test_rows_missing_from_the_workbook_are_said_to_be_kept(demo, tmp_path):
    exported = export(demo, tmp_path / "plan.xlsx")

    def delete(wb):
        ws = wb["Stakeholders"]
        ws.delete_rows(row_of(ws, "Name", "Works council"))
        risks = wb["Risks"]
        risks.delete_rows(2, 2)

    path = edit(exported, tmp_path / "deleted.xlsx", delete)
    result = preview(demo, path)
    [note] = [p for p in result.warnings if "not in the workbook" in p.message]
    assert note.message == (
        "3 rows are not in the workbook and are kept (Stakeholders 1, Risks 2); "
        "--prune removes them"
    )
    assert result.kept == {"stakeholder": 1, "risk": 2}
    pruned = preview(demo, path, prune=True)
    assert not [p for p in pruned.problems if "not in the workbook" in p.message]


def test_empty_formatted_rows_below_the_data_are_no_warning(demo, tmp_path):
    """A row deleted in LibreOffice leaves formatted empty rows (the table's spares, shrunk
    table refs) far below the data: nothing was ignored, so nothing is said."""
    exported = export(demo, tmp_path / "plan.xlsx")

    def far_blank(wb):
        ws = wb["Stakeholders"]
        ws.delete_rows(row_of(ws, "Name", "Works council"))
        for row in range(ws.max_row + 1, ws.max_row + 12_000, 7):
            ws.cell(row=row, column=2).font = Font(bold=True)

    path = edit(exported, tmp_path / "blank.xlsx", far_blank)
    result = preview(demo, path)
    assert not [p for p in result.problems if "ignored" in p.message], [
        str(p) for p in result.problems
    ]

    def far_value(wb):
        far_blank(wb)
        ws = wb["Stakeholders"]
        ws.cell(row=ws.max_row + 1, column=2).value = "Someone far below"

    path = edit(exported, tmp_path / "far.xlsx", far_value)
    result = preview(demo, path)
    [note] = [p for p in result.problems if "ignored" in p.message]
    assert note.sheet == "Stakeholders"


def test_cli_dry_run_into_a_file_that_does_not_exist_yet(demo, tmp_path):
    exported = export(demo, tmp_path / "plan.xlsx")
    target = tmp_path / "new" / "fresh.db"
    target.parent.mkdir()
    result = run_cli("import", "--db", str(target), str(exported), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "does not exist yet; the import would create it" in result.stdout
    assert "Stakeholders: 30 new" in result.stdout
    assert "(new initiative)" in result.stdout
    assert list(target.parent.iterdir()) == []
    missing = run_cli("import", "--db", str(tmp_path / "no" / "x.db"), str(exported), "--dry-run")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    real = run_cli("import", "--db", str(target), str(exported))
    assert real.returncode == 0, real.stderr
    assert "Imported: " in real.stdout and target.exists()
