"""Every document is read from one state of the file, even while another planner saves.

A second process (`tests/safety_worker.py scribble`) adds a stakeholder, a
snapshot of them and a message to them, then deletes them, one commit at a
time without pause; this process reads and exports the plan meanwhile. A plan read across two states
holds links to records it does not hold (a snapshot of a stakeholder added
after the stakeholders were read), and its workbook cannot be imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.domain.fields import FieldKind
from planner.domain.plan import Plan
from planner.persistence import open_database
from planner.services.excel.importer import apply_import, preview_import
from planner.services.excel.preview import Status
from planner.services.excel.workbook import export_initiative
from planner.services.planning import PlanService
from tests.conftest import REPO


@pytest.fixture
def busy_plan(db_path: Path) -> Iterator[Path]:
    db = open_database(db_path)
    service = PlanService(db)
    base = service.create("initiative", {"name": "Base"})
    for n in range(5):
        service.create("stakeholder", {"initiative_id": base.id, "name": f"First {n}"})
    db.close()
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.safety_worker", "scribble", str(db_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        yield db_path
    finally:
        writer.kill()
        writer.communicate(timeout=60)


def _dangling(plan: Plan) -> list[str]:
    """Every reference of the plan that points at a record the plan does not hold."""
    held = {r.id for r in plan.all_records()}
    missing = []
    for record in plan.all_records():
        for name, spec in record.SPECS.items():
            if spec.kind is FieldKind.REF and getattr(record, name) not in (None, *held):
                if name != "initiative_id":
                    missing.append(f"{record.KIND} {record.id} {name}")
            elif spec.kind is FieldKind.REFS:
                missing += [
                    f"{record.KIND} {record.id} {name}"
                    for v in getattr(record, name)
                    if v not in held
                ]
    return missing


def _state(plan: Plan) -> tuple[int, int, int]:
    return len(plan.stakeholders), len(plan.snapshots), len(plan.communications)


def test_plans_read_while_another_planner_saves_hold_no_dangling_link(busy_plan: Path):
    db = open_database(busy_plan, read_only=True)
    try:
        service = PlanService(db)
        base = service.find_initiative("Base")
        states = set()
        for _ in range(60):
            plan = service.plan(base.id)
            assert _dangling(plan) == []
            states.add(_state(plan))
        assert len(states) > 3, "the other planner kept saving while the plan was read"
    finally:
        db.close()


def test_an_export_taken_while_another_planner_saves_imports_whole(busy_plan: Path, tmp_path: Path):
    db = open_database(busy_plan, read_only=True)
    try:
        service = PlanService(db)
        base = service.find_initiative("Base")
        books = []
        for n in range(4):
            books.append(
                export_initiative(service, base.id, tmp_path / f"busy-{n}.xlsx", charts=False)
            )
    finally:
        db.close()
    for n, exported in enumerate(books):
        fresh = open_database(tmp_path / f"fresh-{n}.db")
        try:
            target = PlanService(fresh)
            preview = preview_import(target, exported.path)
            assert preview.errors == [], [str(p) for p in preview.errors]
            apply_import(target, preview)
            assert preview.totals()[Status.NEW] == sum(exported.counts.values())
            plan = target.plan(target.find_initiative("Base").id)
            assert _dangling(plan) == []
            assert len(list(plan.all_records())) == sum(exported.counts.values())
        finally:
            fresh.close()
