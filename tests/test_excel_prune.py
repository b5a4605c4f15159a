"""`import --prune` deletes only records the exported workbook held and the person removed."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.persistence import open_database
from planner.services.planning import PlanService
from tests.conftest import run_cli
from tests.excel_support import export, header_index

pytestmark = pytest.mark.both_engines


def _plan(target: str) -> None:
    db = open_database(target)
    try:
        service = PlanService(db)
        ini = service.create("initiative", {"name": "Rollout"})
        for name in ("Sales", "Service", "Finance", "Legal"):
            service.create("stakeholder", {"initiative_id": ini.id, "name": name})
            service.create("risk", {"initiative_id": ini.id, "name": f"{name} resists"})
    finally:
        db.close()


def _names(target: str, kind: str) -> set[str]:
    db = open_database(target, read_only=True)
    try:
        service = PlanService(db)
        plan = service.plan(service.initiatives()[0].id)
        return {r.title for r in plan.records(kind)}
    finally:
        db.close()


def _add_after_export(target: str) -> None:
    """Records a colleague adds in the database after the workbook went out."""
    db = open_database(target)
    try:
        service = PlanService(db)
        ini = service.initiatives()[0]
        service.create("stakeholder", {"initiative_id": ini.id, "name": "New team"})
        service.create("risk", {"initiative_id": ini.id, "name": "New risk"})
        plan = service.plan(ini.id)
        legal = next(s for s in plan.stakeholders if s.name == "Legal")
        service.update("stakeholder", legal.id, {"notes": "changed after the export"})
    finally:
        db.close()


def _delete_rows(source: Path, target: Path, sheet: str, names: set[str]) -> Path:
    wb = load_workbook(source)
    ws = wb[sheet]
    column = header_index(ws, "Name")
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row=row, column=column).value in names:
            ws.delete_rows(row)
    wb.save(target)
    return target


def _exported(target: str, tmp_path: Path) -> Path:
    _plan(target)
    db = open_database(target, read_only=True)
    try:
        return export(PlanService(db), tmp_path / "plan.xlsx")
    finally:
        db.close()


def test_prune_of_an_old_export_deletes_only_rows_deleted_in_the_workbook(db_target, tmp_path):
    workbook = _exported(db_target, tmp_path)
    _add_after_export(db_target)
    edited = _delete_rows(workbook, tmp_path / "edited.xlsx", "Stakeholders", {"Sales", "Legal"})
    edited = _delete_rows(edited, edited, "Risks", {"Service resists"})

    dry = run_cli("import", "--db", str(db_target), str(edited), "--prune", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    listed = [
        line.strip() for line in dry.stdout.splitlines() if line.strip().startswith("deleted")
    ]
    assert sorted(listed) == ["deleted: Risks ‘Service resists’", "deleted: Stakeholders ‘Sales’"]
    assert "‘Legal’ is not in the workbook but was changed in the database" in dry.stdout

    applied = run_cli("import", "--db", str(db_target), str(edited), "--prune")
    assert applied.returncode == 0, applied.stderr
    assert "2 deleted" in applied.stdout
    assert _names(db_target, "stakeholder") == {"Service", "Finance", "Legal", "New team"}
    assert _names(db_target, "risk") == {
        "Sales resists",
        "Finance resists",
        "Legal resists",
        "New risk",
    }


def test_a_workbook_without_its_export_record_prunes_nothing(db_target, tmp_path):
    workbook = _exported(db_target, tmp_path)
    edited = _delete_rows(workbook, tmp_path / "edited.xlsx", "Stakeholders", {"Sales"})
    wb = load_workbook(edited)
    del wb["_planner"]
    wb.save(edited)

    result = run_cli("import", "--db", str(db_target), str(edited), "--prune")
    assert result.returncode == 0, result.stderr
    assert "so --prune deletes nothing" in result.stdout
    assert _names(db_target, "stakeholder") == {"Sales", "Service", "Finance", "Legal"}
