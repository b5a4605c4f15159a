"""A workbook saved again by LibreOffice Calc imports with nothing lost."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from planner.persistence import open_database
from planner.services.excel.importer import apply_import, preview_import
from planner.services.excel.metadata import fingerprint
from planner.services.excel.preview import Status
from planner.services.planning import PlanService
from tests.excel_support import export

FIXTURES = Path(__file__).parent / "fixtures"
ORIGINAL = FIXTURES / "demo-export.xlsx"
RESAVED = FIXTURES / "demo-export-libreoffice.xlsx"


def _imported(path: Path, db_file: Path) -> dict[str, str]:
    db = open_database(db_file)
    try:
        service = PlanService(db)
        result = preview_import(service, path)
        assert result.errors == [] and result.warnings == [], [str(p) for p in result.problems]
        assert result.info is not None and result.info.format_version == 1
        apply_import(service, result)
        plan = service.plan(service.initiatives()[0].id)
        return {r.id: fingerprint(r) for r in plan.all_records()}
    finally:
        db.close()


def test_committed_libreoffice_workbook_imports_with_nothing_lost(tmp_path):
    original = _imported(ORIGINAL, tmp_path / "original.db")
    resaved = _imported(RESAVED, tmp_path / "resaved.db")
    assert len(original) == 170
    assert resaved == original
    db = open_database(tmp_path / "original.db")
    try:
        again = preview_import(PlanService(db), RESAVED)
        assert again.errors == [] and not again.has_changes
        assert again.totals()[Status.UNCHANGED] == 170
    finally:
        db.close()


@pytest.mark.skipif(
    shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed (Debian: libreoffice-calc-nogui)",
)
def test_live_libreoffice_round_trip_changes_nothing(demo, tmp_path):
    source = export(demo, tmp_path / "plan.xlsx")
    out = tmp_path / "converted"
    result = subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "HOME": str(tmp_path / "lohome")},
    )
    assert result.returncode == 0, result.stderr
    converted = out / "plan.xlsx"
    assert converted.read_bytes() != source.read_bytes()
    preview = preview_import(demo, converted)
    assert preview.errors == [] and preview.warnings == []
    assert preview.info is not None and not preview.has_changes


@pytest.mark.skipif(
    shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed (Debian: libreoffice-calc-nogui)",
)
def test_edits_saved_by_libreoffice_arrive_exactly(demo, tmp_path):
    from tests.excel_support import edit, header_index, row_of

    source = export(demo, tmp_path / "plan.xlsx")

    def change(wb):
        ws = wb["Stakeholders"]
        ws.cell(
            row=row_of(ws, "Name", "Credit control"), column=header_index(ws, "Interest")
        ).value = 4
        comms = wb["Communications"]
        comms.cell(
            row=row_of(comms, "Name", "Service desk briefing"), column=header_index(comms, "Date")
        ).value = "2026-12-01"
        risks = wb["Risks"]
        row = risks.max_row + 1
        risks.cell(row=row, column=header_index(risks, "Name")).value = "Key user leaves"
        risks.cell(row=row, column=header_index(risks, "Stakeholders")).value = "Credit control"

    edited = edit(source, tmp_path / "edited.xlsx", change)
    out = tmp_path / "converted"
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(edited)],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
        env={**os.environ, "HOME": str(tmp_path / "lohome")},
    )
    result = preview_import(demo, out / "edited.xlsx")
    assert result.errors == []
    changes = sorted(
        (r.sheet, r.status.value, tuple((c.label, c.new) for c in r.changes))
        for r in result.rows(Status.NEW, Status.CHANGED, Status.CONFLICT)
    )
    assert changes == [
        ("Communications", "changed", (("Date", "2026-12-01"),)),
        ("Risks", "new", ()),
        ("Stakeholders", "changed", (("Interest", "4"),)),
    ]
    apply_import(demo, result)
    plan = demo.plan(demo.initiatives()[0].id)
    risk = next(r for r in plan.risks if r.name == "Key user leaves")
    assert [demo.get("stakeholder", i).name for i in risk.stakeholder_ids] == ["Credit control"]
