"""Links edited by hand: every mix of edited names, edited IDs, renamed, deleted and new
targets resolves to the record a person meant, into a new database and into the same one
twice; only a link that neither its names nor its IDs can place is an error."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from planner.persistence import open_database
from planner.services.excel.importer import apply_import
from planner.services.planning import PlanService
from tests.excel_support import edit, export, header_index, preview, row_of

pytestmark = pytest.mark.both_engines

MESSAGE = "Service desk briefing"


def _cell(wb: Workbook, sheet: str, key: tuple[str, str], header: str):
    ws = wb[sheet]
    return ws.cell(row=row_of(ws, *key), column=header_index(ws, header))


def _audience(wb: Workbook, names: str | None = None, ids: str | None = None) -> None:
    if names is not None:
        _cell(wb, "Communications", ("Name", MESSAGE), "Audience").value = names
    if ids is not None:
        _cell(wb, "Communications", ("Name", MESSAGE), "Audience IDs").value = ids


def _id_of(wb: Workbook, name: str) -> str:
    return str(_cell(wb, "Stakeholders", ("Name", name), "ID").value)


def _rename(wb: Workbook, old: str, new: str) -> None:
    _cell(wb, "Stakeholders", ("Name", old), "Name").value = new


def _delete_stakeholder(wb: Workbook, name: str) -> None:
    ws = wb["Stakeholders"]
    ws.delete_rows(row_of(ws, "Name", name))


def _add_stakeholder(wb: Workbook, name: str) -> None:
    """A new row filled in like the one above it, with no ID, as a person adds one."""
    ws = wb["Stakeholders"]
    last = max(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=2).value)
    for column in range(2, ws.max_column + 1):
        ws.cell(row=last + 1, column=column).value = ws.cell(row=last, column=column).value
    ws.cell(row=last + 1, column=header_index(ws, "Name")).value = name


def renamed_target(wb: Workbook) -> None:
    _rename(wb, "Service team leads", "Service supervisors")


def renamed_target_and_link_says_new_name(wb: Workbook) -> None:
    current = _cell(wb, "Communications", ("Name", MESSAGE), "Audience").value
    _rename(wb, "Service team leads", "Service supervisors")
    _audience(wb, names=current.replace("Service team leads", "Service supervisors"))


def edited_name(wb: Workbook) -> None:
    _audience(wb, names="Credit control")


def edited_id_to_another_record(wb: Workbook) -> None:
    _audience(wb, ids=_id_of(wb, "Credit control"))


def edited_id_to_garbage(wb: Workbook) -> None:
    _audience(wb, ids="not-an-id")


def renamed_target_and_ids_retyped(wb: Workbook) -> None:
    names = _cell(wb, "Communications", ("Name", MESSAGE), "Audience").value
    ids = _cell(wb, "Communications", ("Name", MESSAGE), "Audience IDs").value
    _rename(wb, "Service team leads", "Service supervisors")
    _audience(wb, names=names, ids=ids.upper().replace(";", ","))


def new_target_without_id(wb: Workbook) -> None:
    _add_stakeholder(wb, "Night shift")
    _audience(wb, names="Night shift")


def deleted_target(wb: Workbook) -> None:
    _delete_stakeholder(wb, "Service team leads")


def both_disagree(wb: Workbook) -> None:
    _audience(wb, names="Nobody of that name", ids=str(uuid.uuid4()))


def renamed_target_and_ids_cleared(wb: Workbook) -> None:
    _rename(wb, "Service team leads", "Service supervisors")
    _audience(wb, ids="")


Edit = Callable[[Workbook], None]
BOTH = {"Customer service agents", "Service team leads"}
RENAMED = {"Customer service agents", "Service supervisors"}
# (edit, the message's audience after the import (None: an error), whether only a new
# database lacks what resolves the link): before, it is "Customer service agents; Service
# team leads".
CASES: list[tuple[Edit, set[str] | None, bool]] = [
    (renamed_target, RENAMED, False),
    (renamed_target_and_link_says_new_name, RENAMED, False),
    (edited_name, {"Credit control"}, False),
    (edited_id_to_another_record, BOTH, False),
    (edited_id_to_garbage, BOTH, False),
    (renamed_target_and_ids_retyped, RENAMED, False),
    (new_target_without_id, {"Night shift"}, False),
    (deleted_target, BOTH, True),
    (both_disagree, None, False),
    (renamed_target_and_ids_cleared, RENAMED, True),
]


def _audience_names(service: PlanService) -> set[str]:
    plan = service.plan(service.initiatives()[0].id)
    message = next(c for c in plan.communications if c.name == MESSAGE)
    return {service.get("stakeholder", i).name for i in message.audience_ids}


def _import_twice(
    service: PlanService, path: Path, expected: set[str] | None, *, then_unplaced: bool = False
) -> None:
    """Import, check the audience, and import again: nothing to change (or, when only the
    database's old name placed the link, the now unplaceable name is the one error)."""
    result = preview(service, path)
    if expected is None:
        [problem] = list(result.errors)
        assert (problem.sheet, problem.header) == ("Communications", "Audience")
        assert problem.row and problem.column
        assert "no stakeholder named ‘Nobody of that name’" in problem.message
        return
    assert result.errors == [], [str(p) for p in result.errors]
    apply_import(service, result)
    assert _audience_names(service) == expected
    again = preview(service, path)
    if then_unplaced:
        [problem] = again.errors
        assert (problem.sheet, problem.header) == ("Communications", "Audience")
        assert "no stakeholder named ‘Service team leads’" in problem.message
        return
    assert again.errors == [] and not again.has_changes, [
        (r.sheet, r.status, r.title, r.changes) for r in again.rows() if r.status != "unchanged"
    ]


@pytest.fixture
def exported(demo, tmp_path):
    return export(demo, tmp_path / "plan.xlsx")


def _name(case: object) -> str:
    return getattr(case, "__name__", "")


@pytest.mark.parametrize(("change", "expected", "new_only"), CASES, ids=_name)
def test_link_into_the_same_database_twice(demo, exported, tmp_path, change, expected, new_only):
    path = edit(exported, tmp_path / "edited.xlsx", change)
    _import_twice(demo, path, expected, then_unplaced=change is renamed_target_and_ids_cleared)


@pytest.mark.parametrize(("change", "expected", "new_only"), CASES, ids=_name)
def test_link_into_a_new_database_twice(demo, exported, tmp_path, change, expected, new_only):
    path = edit(exported, tmp_path / "edited.xlsx", change)
    db = open_database(tmp_path / "fresh.db")
    try:
        fresh = PlanService(db)
        if not new_only:
            _import_twice(fresh, path, expected)
            imported = [i.id for i in fresh.initiatives()]
            assert imported == ([] if expected is None else [demo.initiatives()[0].id])
            return
        errors = preview(fresh, path).errors
        assert errors and all("‘Service team leads’" in p.message for p in errors)
        [here] = [
            p
            for p in errors
            if p.sheet == "Communications"
            and p.found
            and "Customer service agents" in p.found
            and p.found.count(";") == 1
        ]
        assert here.header == "Audience" and here.row and here.column
        assert "no stakeholder named ‘Service team leads’" in here.message
        assert fresh.initiatives() == []
    finally:
        db.close()
