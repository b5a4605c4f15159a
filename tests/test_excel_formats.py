"""Every version of the export format imports as it was meant, and a workbook of another
plan with the same name is recognised, never added a second time."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.persistence import open_database
from planner.services.demo import create_demo
from planner.services.excel.formats import FORMAT_VERSION, scheme
from planner.services.excel.importer import apply_import, preview_import
from planner.services.excel.preview import Status
from planner.services.excel.problems import ImportFileError
from planner.services.excel.reader import read_workbook
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY, run_cli
from tests.excel_support import edit, export, header_index, preview, row_of

pytestmark = pytest.mark.both_engines

FIXTURES = Path(__file__).parent / "fixtures"
VERSIONS = {1: FIXTURES / "demo-export.xlsx", 2: FIXTURES / "demo-export-format-2.xlsx"}


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_every_format_version_imports_and_reads_its_own_fingerprints(version, tmp_path):
    raw = read_workbook(VERSIONS[version])
    assert raw.info is not None and raw.info.format_version == version
    db = open_database(tmp_path / "fresh.db")
    try:
        service = PlanService(db)
        result = preview_import(service, VERSIONS[version])
        assert result.errors == [] and result.warnings == [], [str(p) for p in result.problems]
        assert result.totals()[Status.NEW] == sum(len(s.rows) for s in result.sheets)
        apply_import(service, result)
        plan = service.plan(service.initiatives()[0].id)
        rows = {s.kind: len(s.rows) for s in result.sheets}
        assert len(plan.stakeholders) == rows["stakeholder"] == 30
        assert len(plan.communications) == rows["communication"] > 10
        reading = scheme(version, raw.hashed_fields)
        # Only the initiative lost a hashed field since (its free-text sponsor, 0002).
        covered = [r for r in plan.all_records() if reading.covers(r)]
        assert {r.KIND for r in plan.all_records()} - {r.KIND for r in covered} <= {"initiative"}
        assert {r.id: reading.digest(r) for r in covered} == {
            key: value for key, value in raw.fingerprints.items() if key in {r.id for r in covered}
        }
        again = preview_import(service, VERSIONS[version])
        assert not again.has_changes and again.errors == []
    finally:
        db.close()


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_an_edit_in_an_older_export_is_a_change_not_a_conflict(version, tmp_path):
    db = open_database(tmp_path / "fresh.db")
    try:
        service = PlanService(db)
        apply_import(service, preview_import(service, VERSIONS[version]))
        plan = service.plan(service.initiatives()[0].id)
        colleague = next(s for s in plan.stakeholders if s.name == "Works council")
        service.update("stakeholder", colleague.id, {"headcount": 12})

        def change(wb):
            ws = wb["Stakeholders"]
            row = row_of(ws, "Name", "Credit control")
            ws.cell(row=row, column=header_index(ws, "Headcount")).value = 7

        path = edit(VERSIONS[version], tmp_path / "edited.xlsx", change)
        result = preview_import(service, path)
        assert result.conflicts == []
        assert [(r.title, r.status) for r in result.rows(Status.CHANGED)] == [
            ("Credit control", Status.CHANGED)
        ]
        [kept] = [r for r in result.rows() if r.title == "Works council"]
        assert kept.status is Status.UNCHANGED and "database is kept" in kept.note
    finally:
        db.close()


def test_a_workbook_from_a_newer_planner_is_refused_in_one_line(demo, tmp_path):
    exported = export(demo, tmp_path / "plan.xlsx")
    newer = str(FORMAT_VERSION + 1)

    def bump(wb):
        for prop in wb.custom_doc_props:
            if prop.name == "Planner format_version":
                prop.value = newer
        name = wb.defined_names["PlannerExport"]
        name.attr_text = name.attr_text.replace(
            f"format_version={FORMAT_VERSION}", f"format_version={newer}"
        )
        ws = wb["_planner"]
        ws.cell(row=row_of(ws, "key", "format_version"), column=2).value = newer

    path = edit(exported, tmp_path / "newer.xlsx", bump)
    with pytest.raises(ImportFileError, match=f"export format {newer}; this one reads formats 1"):
        preview(demo, path)


def test_the_current_export_declares_what_its_fingerprints_hash(demo, tmp_path):
    exported = export(demo, tmp_path / "plan.xlsx")
    raw = read_workbook(exported)
    assert raw.info is not None and raw.info.format_version == FORMAT_VERSION == 2
    assert raw.hashed_fields["stakeholder"][:2] == ("name", "kind")
    ws = load_workbook(exported)["_planner"]
    assert ws.sheet_state == "hidden"


def _other_file_with_the_same_plan(tmp_path: Path) -> Path:
    """The sample plan made afresh in another file: same names, other IDs."""
    db = open_database(tmp_path / "other.db")
    try:
        other = PlanService(db)
        create_demo(other, today=DEMO_TODAY)
        return export(other, tmp_path / "other.xlsx")
    finally:
        db.close()


def _counts(db_target: str) -> list[tuple[str, int, int]]:
    db = open_database(db_target)
    try:
        service = PlanService(db)
        out = []
        for initiative in service.initiatives():
            plan = service.plan(initiative.id)
            out.append((initiative.name, len(plan.stakeholders), len(plan.risks)))
        return sorted(out)
    finally:
        db.close()


def test_another_plan_of_the_same_name_is_said_plainly_and_never_duplicated(
    demo, tmp_path, db_target
):
    workbook = _other_file_with_the_same_plan(tmp_path)
    name = demo.initiatives()[0].name
    result = preview(demo, workbook)
    [problem] = result.errors
    assert result.other_plan == name
    assert "comes from another file" in problem.message and "--as-new" in problem.message
    assert "--match-by-name" in problem.message
    demo.db.close()
    before = _counts(db_target)
    refused = run_cli("import", "--db", str(db_target), str(workbook))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert _counts(db_target) == before

    matched = run_cli("import", "--db", str(db_target), str(workbook), "--match-by-name")
    assert matched.returncode == 0, matched.stderr
    assert _counts(db_target) == before
    again = run_cli("import", "--db", str(db_target), str(workbook), "--match-by-name")
    assert "Nothing to change" in again.stdout, again.stdout

    separate = run_cli("import", "--db", str(db_target), str(workbook), "--as-new")
    assert separate.returncode == 0, separate.stderr
    assert f"‘{name} (imported)’ (new initiative)" in separate.stdout
    assert _counts(db_target) == sorted([*before, (f"{name} (imported)", 30, before[0][2])])
