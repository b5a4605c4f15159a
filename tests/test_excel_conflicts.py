"""Edits on both sides since the export, moving a plan between databases, progress and cancel."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from planner.domain.errors import Cancelled
from planner.persistence import open_database
from planner.persistence.backup import backup_folder
from planner.services.excel.importer import ImportRefused, apply_import, preview_import
from planner.services.excel.preview import Side, Status
from planner.services.excel.progress import CancelToken, Progress
from planner.services.excel.report import save_report
from planner.services.planning import PlanService
from tests.conftest import run_cli
from tests.excel_support import edit, export, header_index, preview, row_of

pytestmark = pytest.mark.both_engines


@pytest.fixture
def exported(demo, tmp_path):
    return export(demo, tmp_path / "plan.xlsx")


def _stakeholder(service, name):
    plan = service.plan(service.initiatives()[0].id)
    return next(s for s in plan.stakeholders if s.name == name)


def _set(ws, name, header, value):
    ws.cell(row=row_of(ws, "Name", name), column=header_index(ws, header)).value = value


def test_change_on_both_sides_is_a_conflict_the_user_must_settle(demo, exported, tmp_path):
    target = _stakeholder(demo, "Credit control")
    demo.update("stakeholder", target.id, {"power": 4})
    path = edit(
        exported,
        tmp_path / "both.xlsx",
        lambda wb: _set(wb["Stakeholders"], "Credit control", "Power", 5),
    )
    result = preview(demo, path)
    [conflict] = result.conflicts
    assert conflict.title == "Credit control"
    assert [(c.label, c.old, c.new) for c in conflict.changes] == [("Power", "4", "5")]
    with pytest.raises(ImportRefused, match="--prefer"):
        apply_import(demo, result)
    assert _stakeholder(demo, "Credit control").power == 4
    outcome = apply_import(demo, result, prefer=Side.DATABASE)
    assert (outcome.updated, outcome.kept) == (0, 1)
    assert _stakeholder(demo, "Credit control").power == 4
    apply_import(demo, result, choices={conflict.key: Side.WORKBOOK})
    assert _stakeholder(demo, "Credit control").power == 5


def test_change_only_in_the_database_is_not_undone_by_a_stale_workbook(demo, exported, tmp_path):
    target = _stakeholder(demo, "Credit control")
    demo.update("stakeholder", target.id, {"power": 4})
    path = edit(
        exported,
        tmp_path / "other.xlsx",
        lambda wb: _set(wb["Stakeholders"], "Sales operations", "Interest", 1),
    )
    result = preview(demo, path)
    assert result.conflicts == []
    kept = next(r for r in result.rows() if r.record_id == target.id)
    assert kept.status is Status.UNCHANGED and "database is kept" in kept.note
    [changed] = result.rows(Status.CHANGED)
    assert changed.title == "Sales operations"
    apply_import(demo, result)
    assert _stakeholder(demo, "Credit control").power == 4
    assert _stakeholder(demo, "Sales operations").interest == 1


def test_conflict_is_detected_from_timestamps_when_fingerprints_are_lost(demo, exported, tmp_path):
    target = _stakeholder(demo, "Credit control")
    demo.update("stakeholder", target.id, {"power": 4})

    def edit_and_lose_fingerprints(wb):
        _set(wb["Stakeholders"], "Credit control", "Power", 5)
        ws = wb["_planner"]
        for row in ws.iter_rows():
            if row[0].value == "fingerprints":
                row[1].value = None

    result = preview(demo, edit(exported, tmp_path / "lost.xlsx", edit_and_lose_fingerprints))
    assert [c.title for c in result.conflicts] == ["Credit control"]


def test_cli_refuses_conflicts_unless_told_which_side_wins(demo, exported, tmp_path, db_target):
    target = _stakeholder(demo, "Credit control")
    demo.update("stakeholder", target.id, {"power": 4})
    path = edit(
        exported,
        tmp_path / "both.xlsx",
        lambda wb: _set(wb["Stakeholders"], "Credit control", "Power", 5),
    )
    demo.db.close()
    refused = run_cli("import", "--db", str(db_target), str(path))
    assert refused.returncode == 1
    assert "--prefer workbook or --prefer database" in refused.stderr
    assert refused.stderr.count("\n") == 1
    applied = run_cli("import", "--db", str(db_target), str(path), "--prefer", "workbook")
    assert applied.returncode == 0, applied.stderr
    db = open_database(db_target)
    try:
        assert _stakeholder(PlanService(db), "Credit control").power == 5
    finally:
        db.close()


def test_plan_travels_to_another_database_and_back(demo, exported, tmp_path):
    other_db = open_database(tmp_path / "other.db")
    try:
        other = PlanService(other_db)
        result = preview_import(other, exported)
        assert not result.initiative_exists and result.errors == []
        totals = result.totals()
        assert totals[Status.NEW] == len(demo.plan(demo.initiatives()[0].id).all_records())
        outcome = apply_import(other, result)
        assert outcome.backup is not None and outcome.backup.exists()
        assert outcome.backup.parent == backup_folder(tmp_path / "other.db")
        copied, original = (
            other.plan(other.initiatives()[0].id),
            demo.plan(demo.initiatives()[0].id),
        )
        assert copied.by_id == original.by_id  # records in creation order may differ
        assert not preview_import(other, exported).has_changes
        other.history.undo()
        assert other.initiatives() == []
    finally:
        other_db.close()


def test_hand_made_initiative_sheet_matches_an_existing_initiative_by_name(
    demo, exported, tmp_path
):
    def clear_ids(wb):
        ws = wb["Initiative"]
        ws["A2"].value = None
        ws["B2"].value = "  helix crm ROLLOUT "

    result = preview(demo, edit(exported, tmp_path / "byname.xlsx", clear_ids))
    assert result.initiative_exists and result.errors == []
    [change] = [c for r in result.rows(Status.CHANGED) for c in r.changes]
    assert (change.label, change.new) == ("Name", "helix crm ROLLOUT")


def test_import_reports_progress_and_can_be_cancelled_with_nothing_applied(
    demo, exported, tmp_path
):
    path = edit(
        exported,
        tmp_path / "changed.xlsx",
        lambda wb: _set(wb["Stakeholders"], "Credit control", "Power", 5),
    )
    seen: list[tuple[float, str]] = []
    result = preview_import(demo, path, progress=Progress(lambda f, m: seen.append((f, m))))
    assert seen[-1] == (1.0, "Ready")
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    assert any(m.startswith("Reading Stakeholders") for _, m in seen)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled, match="nothing was changed"):
        apply_import(demo, result, progress=Progress(cancelled=token))
    with pytest.raises(Cancelled):
        preview_import(demo, path, progress=Progress(cancelled=token))
    assert _stakeholder(demo, "Credit control").power != 5
    assert not demo.history.can_undo


def test_problem_report_is_saved_as_a_safe_workbook(demo, exported, tmp_path):
    def spoil(wb):
        ws = wb["Stakeholders"]
        ws.cell(row=2, column=header_index(ws, "Power")).value = "=cmd|' /C calc'!A0"
        ws.cell(row=3, column=header_index(ws, "Side")).value = "@SUM(1)"

    result = preview(demo, edit(exported, tmp_path / "spoilt.xlsx", spoil))
    report = save_report(result, tmp_path / "report.xlsx")
    wb = load_workbook(report)
    rows = list(wb["Problems"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Severity", "Sheet", "Row", "Column")
    found = {r[5] for r in rows[1:]}
    assert "@SUM(1)" in found
    for row in wb["Problems"].iter_rows():
        for cell in row:
            assert cell.data_type != "f" and cell.data_type != "e"


def test_an_edit_made_after_the_preview_stops_the_import(demo, exported, tmp_path):
    path = edit(
        exported,
        tmp_path / "changed.xlsx",
        lambda wb: _set(wb["Stakeholders"], "Credit control", "Power", 5),
    )
    result = preview(demo, path)
    target = _stakeholder(demo, "Credit control")
    demo.update("stakeholder", target.id, {"interest": 5})
    with pytest.raises(ImportRefused, match="preview the workbook again"):
        apply_import(demo, result)
    assert _stakeholder(demo, "Credit control").power != 5
    apply_import(demo, preview(demo, path), prefer=Side.WORKBOOK)
    assert _stakeholder(demo, "Credit control").power == 5
