"""Workbooks edited and saved by a real LibreOffice Calc, through UNO, import exactly.

One office serves the whole module (`office`); each test exports the demo
plan, has Calc make a person's edits through the cell API and save as .xlsx,
imports the result and compares the database field by field with what was
meant to change.
"""

from __future__ import annotations

import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.persistence import open_database
from planner.services.excel.importer import apply_import, preview_import
from planner.services.excel.metadata import canonical, fingerprint
from planner.services.excel.preview import Status
from planner.services.planning import PlanService
from tests.excel_support import export, header_index, sheet_xml
from tests.office_support import Office, differences, fields, pdf_pages, start_office

FIXTURES = Path(__file__).parent / "fixtures"
ORIGINAL = FIXTURES / "demo-export.xlsx"
RESAVED = FIXTURES / "demo-export-libreoffice.xlsx"


@pytest.fixture(scope="module")
def office():
    yield from start_office()


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


def test_a_libreoffice_resave_with_no_edit_is_nothing_to_change(demo, office: Office, tmp_path):
    source = export(demo, tmp_path / "plan.xlsx")
    resaved = office.resave(source, tmp_path / "resaved.xlsx")
    assert resaved.read_bytes() != source.read_bytes()
    # What Calc drops, which the import must not need: the frozen header, the quote prefixes.
    assert 'state="frozen"' in sheet_xml(source, "Stakeholders")
    assert 'state="frozen"' not in sheet_xml(resaved, "Stakeholders")
    assert 'quotePrefix="1"' not in zipfile.ZipFile(resaved).read("xl/styles.xml").decode()
    result = preview_import(demo, resaved)
    assert result.errors == [] and result.warnings == [], [str(p) for p in result.problems]
    assert not result.has_changes
    assert result.totals()[Status.UNCHANGED] == len(fields(demo))


def test_the_import_does_not_need_what_libreoffice_drops(demo, office: Office, tmp_path):
    """Calc drops the quote prefix of every protected cell; the text stays text, and a
    value starting with `=` typed back in as text is stored as text, and exported
    protected again."""
    plan = demo.plan(demo.initiatives()[0].id)
    risk = plan.risks[0]
    demo.update("risk", risk.id, {"mitigation": "=weekly check with the CFO"})
    source = export(demo, tmp_path / "plan.xlsx")
    assert 'quotePrefix="1"' in zipfile.ZipFile(source).read("xl/styles.xml").decode()
    edited = office.edit(
        source,
        tmp_path / "edited.xlsx",
        [
            {
                "do": "text",
                "sheet": "Risks",
                "where": {"column": "Name", "is": plan.risks[1].name},
                "column": "Mitigation",
                "text": "=SUM(A1:A9) is what finance asks for",
            },
        ],
    )
    wb = load_workbook(edited)
    assert not any(c.quotePrefix for row in wb["Risks"].iter_rows() for c in row if c.value)
    before = fields(demo)
    result = preview_import(demo, edited)
    assert result.errors == [], [str(p) for p in result.problems]
    apply_import(demo, result)
    assert differences(before, fields(demo)) == {
        "changed": {
            plan.risks[1].id: {
                "mitigation": (
                    canonical(plan.risks[1].mitigation),
                    "=SUM(A1:A9) is what finance asks for",
                )
            }
        },
        "added": [],
        "removed": [],
    }
    again = export(demo, tmp_path / "again.xlsx")
    risks = load_workbook(again)["Risks"]
    name_column, mitigation_column = header_index(risks, "Name"), header_index(risks, "Mitigation")
    mitigations = {
        risks.cell(row=r, column=name_column).value: risks.cell(row=r, column=mitigation_column)
        for r in range(2, risks.max_row + 1)
    }
    for name in (risk.name, plan.risks[1].name):
        protected = mitigations[name]
        assert protected.data_type == "s" and protected.value.startswith("=")
        assert protected.quotePrefix


def test_a_persons_edits_in_libreoffice_arrive_exactly(demo, office: Office, tmp_path):
    """A dropdown value, a typed date, a row with no ID, a sorted sheet, a comment and a
    sheet of personal notes: the database changes in exactly the edited fields."""
    plan = demo.plan(demo.initiatives()[0].id)
    credit = next(s for s in plan.stakeholders if s.name == "Credit control")
    briefing = next(c for c in plan.communications if c.name == "Service desk briefing")
    source = export(demo, tmp_path / "plan.xlsx")
    steps = [
        {
            "do": "choose",
            "sheet": "Stakeholders",
            "where": {"column": "Name", "is": "Credit control"},
            "column": "Current engagement",
            "text": "Leading",
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
            "cells": {"Name": "Key user leaves", "Stakeholders": "Credit control", "Impact": "4"},
        },
        {"do": "sort", "sheet": "Stakeholders", "column": "Headcount", "descending": True},
        {
            "do": "comment",
            "sheet": "Stakeholders",
            "where": {"column": "Name", "is": "Credit control"},
            "column": "Name",
            "text": "Ask Jo before the pilot",
        },
        {"do": "new_sheet", "name": "My notes", "rows": [["Call Jo"], ["=not a formula"]]},
    ]
    edited = office.edit(source, tmp_path / "edited.xlsx", steps)
    assert "<f>" not in sheet_xml(edited, "Communications")
    before = fields(demo)
    result = preview_import(demo, edited)
    assert result.errors == [], [str(p) for p in result.problems]
    assert [str(p) for p in result.warnings] == [
        "sheet ‘My notes’ is not a planner sheet; ignored",
        "Risks, row 9, column D ‘Likelihood’: blank; a new risk gets the default ‘3’",
        "Risks, row 9, column H ‘Status’: blank; a new risk gets the default ‘Open’",
    ]
    apply_import(demo, result)
    diff = differences(before, fields(demo))
    assert diff["changed"] == {
        credit.id: {"engagement": (credit.engagement.value, "leading")},
        briefing.id: {"scheduled_on": (canonical(briefing.scheduled_on), "2026-12-01")},
    }
    assert diff["removed"] == []
    [added] = diff["added"]
    assert added["name"] == "Key user leaves"
    assert added["impact"] == "4" and added["stakeholder_ids"] == credit.id
    assert demo.plan(demo.initiatives()[0].id).communications
    assert demo.get("communication", briefing.id).scheduled_on == date(2026, 12, 1)


def test_a_row_deleted_in_libreoffice_is_removed_only_with_prune(demo, office: Office, tmp_path):
    plan = demo.plan(demo.initiatives()[0].id)
    gone = plan.risks[2]
    source = export(demo, tmp_path / "plan.xlsx")
    edited = office.edit(
        source,
        tmp_path / "edited.xlsx",
        [{"do": "delete_row", "sheet": "Risks", "where": {"column": "Name", "is": gone.name}}],
    )
    kept = preview_import(demo, edited)
    assert kept.errors == [] and not kept.has_changes
    before = fields(demo)
    pruned = preview_import(demo, edited, prune=True)
    assert pruned.errors == []
    assert [(r.sheet, r.title) for r in pruned.rows(Status.DELETED)] == [("Risks", gone.name)]
    apply_import(demo, pruned)
    assert differences(before, fields(demo)) == {"changed": {}, "added": [], "removed": [gone.id]}


def test_the_export_prints_on_a_bounded_number_of_pages(demo, office: Office, tmp_path):
    """Printed by LibreOffice (it was 98 A4 pages with no print setup): every page has the
    footer with the initiative, the sheet and the page, and no sheet is wider than two
    pages."""
    source = export(demo, tmp_path / "plan.xlsx", charts=True)
    pdf = office.print_pdf(source, tmp_path / "plan.pdf")
    pages = pdf_pages(pdf)
    assert pages <= 36  # 18 sheets (32 before the Units and Impact sheets)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    footers = [next((ln for ln in page.splitlines() if "Page " in ln), "") for page in text[:pages]]
    sheets = []
    for number, footer in enumerate(footers, 1):
        assert "Helix CRM rollout" in footer and f"Page {number} of {pages}" in footer, footer
        sheets.append(footer.split("Helix CRM rollout", 1)[1].split("Page ")[0].strip())
    wide = {name for name in set(sheets) if name not in ("About", "Readiness", "Charts")}
    assert all(sheets.count(name) <= 2 for name in wide), sheets
    assert sheets.count("Charts") == 4  # eight charts, two to a page


def test_spare_rows_keep_the_formats_and_dropdowns_after_libreoffice(
    demo, office: Office, tmp_path
):
    """A row typed below the data gets the column's date format and dropdown, also after
    a LibreOffice save."""
    source = export(demo, tmp_path / "plan.xlsx")
    resaved = office.resave(source, tmp_path / "resaved.xlsx")
    for path in (source, resaved):
        wb = load_workbook(path)
        ws = wb["Communications"]
        spare = len(demo.plan(demo.initiatives()[0].id).communications) + 6
        assert ws.cell(row=spare, column=1).value is None
        date_column = header_index(ws, "Date")
        channel = header_index(ws, "Channel")
        ws.cell(row=spare, column=date_column).value = date(2027, 1, 4)
        letter = ws.cell(row=spare, column=date_column).column_letter
        assert ws.column_dimensions[letter].number_format.replace("\\", "") == "yyyy-mm-dd"
        covered = [
            dv
            for dv in ws.data_validations.dataValidation
            if ws.cell(row=spare, column=channel).coordinate in dv.sqref
        ]
        assert covered and "Email" in covered[0].formula1, path.name


def test_a_linked_stakeholder_renamed_in_libreoffice_keeps_its_links(
    demo, office: Office, tmp_path
):
    """The communications naming it still hold its ID (resolved by ID, not by the old name)."""
    plan = demo.plan(demo.initiatives()[0].id)
    credit = next(s for s in plan.stakeholders if s.name == "Credit control")
    linked = [c.id for c in plan.communications if credit.id in c.audience_ids]
    assert linked
    source = export(demo, tmp_path / "plan.xlsx")
    edited = office.edit(
        source,
        tmp_path / "renamed.xlsx",
        [
            {
                "do": "text",
                "sheet": "Stakeholders",
                "where": {"column": "Name", "is": "Credit control"},
                "column": "Name",
                "text": "Credit & collections",
            }
        ],
    )
    before = fields(demo)
    result = preview_import(demo, edited)
    assert result.errors == [] and result.warnings == [], [str(p) for p in result.problems]
    apply_import(demo, result)
    assert differences(before, fields(demo)) == {
        "changed": {credit.id: {"name": ("Credit control", "Credit & collections")}},
        "added": [],
        "removed": [],
    }
    assert all(credit.id in demo.get("communication", c).audience_ids for c in linked)
