"""The export as Gnumeric re-saves it and as pandas reads it.

Gnumeric's writer keeps the cells but drops the Excel tables, the custom
document properties, the quote prefixes and the frozen header, and shows the
hidden metadata sheet; the import must need none of them.
"""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.services.excel.importer import preview_import
from planner.services.excel.layout import layouts
from planner.services.excel.metadata import META_SHEET, PROPERTY_PREFIX
from planner.services.excel.preview import Status
from tests.excel_support import export
from tests.office_support import gnumeric_resave


def test_a_gnumeric_resave_imports_as_nothing_to_change(demo, tmp_path):
    source = export(demo, tmp_path / "plan.xlsx")
    resaved = gnumeric_resave(source, tmp_path / "gnumeric.xlsx")
    with zipfile.ZipFile(resaved) as archive:
        names = archive.namelist()
        styles = archive.read("xl/styles.xml").decode()
        custom = (
            archive.read("docProps/custom.xml").decode() if "docProps/custom.xml" in names else ""
        )
    assert not any(n.startswith("xl/tables/") for n in names)
    assert PROPERTY_PREFIX not in custom
    assert 'quotePrefix="1"' not in styles
    with pytest.warns(UserWarning, match="no default style"):
        wb = load_workbook(resaved, read_only=True)
    assert wb[META_SHEET].sheet_state == "visible"
    wb.close()
    # filterwarnings = error: the same remark from the import's openpyxl would fail here.
    result = preview_import(demo, resaved)
    assert result.errors == [] and result.warnings == [], [str(p) for p in result.problems]
    assert result.info is not None
    assert not result.has_changes
    assert result.totals()[Status.UNCHANGED] == sum(
        len(demo.plan(demo.initiatives()[0].id).records(s.kind)) for s in layouts()
    )


def test_pandas_reads_every_sheet_as_a_clean_typed_table(demo, tmp_path):
    source = export(demo, tmp_path / "plan.xlsx", charts=True)
    frames = pd.read_excel(source, sheet_name=None)
    plan = demo.plan(demo.initiatives()[0].id)
    for sheet in layouts():
        frame = frames[sheet.title]
        assert list(frame.columns) == [c.header for c in sheet.columns], sheet.title
        # Spare formatted rows for new records are not read as rows of blanks.
        assert len(frame) == len(plan.records(sheet.kind)), sheet.title
        assert frame["ID"].notna().all(), sheet.title
    stakeholders = frames["Stakeholders"]
    assert stakeholders["Headcount"].dtype.kind == "i"
    assert stakeholders["Power"].between(1, 5).all()
    assert stakeholders["First involved"].dtype.kind == "M"
    assert set(stakeholders["Side"]) <= {"Business", "IT", "Executive", "External"}
    kpis = frames["KPIs"]
    assert kpis["Baseline"].dtype.kind == "f"
    communications = frames["Communications"]
    assert communications["Date"].dtype.kind == "M"
    assert set(communications["Covers benefits"]) <= {"Yes", "No"}
