"""The full round trip through the real programs people use.

export → LibreOffice edit → Gnumeric re-save → import into a new database →
export → import into the first database: exactly the intended changes, no errors.
"""

from __future__ import annotations

import pytest

from planner.persistence import open_database
from planner.services.excel.importer import apply_import, preview_import
from planner.services.excel.preview import Status
from planner.services.planning import PlanService
from tests.excel_support import export
from tests.office_support import Office, differences, fields, gnumeric_resave, start_office


@pytest.fixture(scope="module")
def office():
    yield from start_office()


def _problems(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_a_libreoffice_resave_keeps_a_number_of_17_digits_unchanged(demo, office: Office, tmp_path):
    plan = demo.plan(demo.initiatives()[0].id)
    kpi = next(k for k in plan.kpis if k.direction.value == "increase" and (k.target or 1) > 0.31)
    demo.update("kpi", kpi.id, {"baseline": 0.1 + 0.2})
    source = export(demo, tmp_path / "plan.xlsx")
    resaved = office.resave(source, tmp_path / "resaved.xlsx")
    result = preview_import(demo, resaved)
    assert result.errors == [] and result.warnings == [], _problems(result)
    assert not result.has_changes, [
        (r.sheet, r.title, [(c.label, c.old, c.new) for c in r.changes])
        for r in result.rows(Status.CHANGED, Status.CONFLICT)
    ]


def test_a_row_deleted_in_libreoffice_warns_of_no_ignored_rows(demo, office: Office, tmp_path):
    """Calc shifts the rows up and writes a styled row at the sheet's very end (row
    1,048,576); nothing was typed there, so nothing was ignored."""
    plan = demo.plan(demo.initiatives()[0].id)
    source = export(demo, tmp_path / "plan.xlsx")
    edited = office.edit(
        source,
        tmp_path / "edited.xlsx",
        [
            {
                "do": "delete_row",
                "sheet": "Risks",
                "where": {"column": "Name", "is": plan.risks[0].name},
            }
        ],
    )
    result = preview_import(demo, edited)
    # The one warning is the deleted row, kept without --prune; nothing is "ignored".
    assert result.errors == [] and [str(w.message) for w in result.warnings] == [
        "1 row is not in the workbook and is kept (Risks 1); --prune removes them"
    ], _problems(result)


def test_export_libreoffice_gnumeric_new_database_export_back_is_exactly_the_edits(
    demo, office: Office, tmp_path
):
    plan = demo.plan(demo.initiatives()[0].id)
    credit = next(s for s in plan.stakeholders if s.name == "Credit control")
    briefing = next(c for c in plan.communications if c.name == "Service desk briefing")
    gone = plan.risks[0]
    source = export(demo, tmp_path / "plan.xlsx")
    steps = [
        {
            "do": "text",
            "sheet": "Stakeholders",
            "where": {"column": "Name", "is": "Credit control"},
            "column": "Name",
            "text": "Credit & collections",
        },
        {
            "do": "choose",
            "sheet": "Stakeholders",
            "where": {"column": "Name", "is": "Credit & collections"},
            "column": "Current engagement",
            "text": "Supportive",
        },
        {
            "do": "type",
            "sheet": "Communications",
            "where": {"column": "Name", "is": "Service desk briefing"},
            "column": "Date",
            "text": "2026-12-01",
        },
        {
            "do": "add_row",
            "sheet": "Risks",
            "cells": {"Name": "Key user leaves", "Stakeholders": "Credit & collections"},
        },
        {"do": "delete_row", "sheet": "Risks", "where": {"column": "Name", "is": gone.name}},
        {"do": "sort", "sheet": "Communications", "column": "Name"},
        {
            "do": "comment",
            "sheet": "Risks",
            "where": {"column": "Name", "is": "Key user leaves"},
            "column": "Name",
            "text": "Raised in the steering committee",
        },
        {"do": "new_sheet", "name": "My notes", "rows": [["Ask Jo about billing"]]},
    ]
    edited = office.edit(source, tmp_path / "edited.xlsx", steps)
    gnumeric = gnumeric_resave(edited, tmp_path / "gnumeric.xlsx")

    second_db = open_database(tmp_path / "second.db")
    try:
        second = PlanService(second_db)
        into_new = preview_import(second, gnumeric)
        assert into_new.errors == [], _problems(into_new)
        apply_import(second, into_new)
        back = export(second, tmp_path / "back.xlsx")
    finally:
        second_db.close()

    before = fields(demo)
    result = preview_import(demo, back, prune=True)
    assert result.errors == [] and result.warnings == [], _problems(result)
    assert [(r.sheet, r.title) for r in result.rows(Status.CONFLICT)] == []
    apply_import(demo, result)
    diff = differences(before, fields(demo))
    assert diff["changed"] == {
        credit.id: {
            "name": ("Credit control", "Credit & collections"),
            "engagement": (credit.engagement.value, "supportive"),
        },
        briefing.id: {"scheduled_on": (str(briefing.scheduled_on), "2026-12-01")},
    }
    assert diff["removed"] == [gone.id]
    [added] = diff["added"]
    assert added["name"] == "Key user leaves" and added["stakeholder_ids"] == credit.id
