"""The export reads and prints as a document for people: order, print setup, pictures."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from planner.domain.records import RECORD_TYPES
from planner.services.excel.layout import layouts
from planner.services.excel.reading_order import READING_ORDER
from tests.excel_support import export, header_index

pytestmark = pytest.mark.both_engines


def _column(ws, header: str) -> list:
    col = header_index(ws, header)
    return [
        ws.cell(row=r, column=col).value
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=1).value is not None
    ]


def test_every_kind_has_a_reading_order_of_its_own_fields():
    assert set(READING_ORDER) == set(RECORD_TYPES)
    for kind, names in READING_ORDER.items():
        assert set(names) <= set(RECORD_TYPES[kind].SPECS), kind


def test_rows_come_by_name_date_or_phase(demo, tmp_path):
    wb = load_workbook(export(demo, tmp_path / "plan.xlsx"))
    names = _column(wb["Stakeholders"], "Name")
    assert names == sorted(names, key=str.casefold)
    dates = [d for d in _column(wb["Communications"], "Date") if d is not None]
    assert dates == sorted(dates) and len(dates) > 5
    starts = _column(wb["Rollout"], "Start")
    assert starts == sorted(starts)
    phases = _column(wb["Rollout"], "Name")
    criteria_phases = _column(wb["Gate criteria"], "Phase")
    assert criteria_phases == sorted(criteria_phases, key=phases.index)
    sessions = list(
        zip(_column(wb["Sessions"], "Course"), _column(wb["Sessions"], "Date"), strict=True)
    )
    courses = _column(wb["Training"], "Name")
    assert sessions == sorted(sessions, key=lambda s: (courses.index(s[0]), s[1]))


def test_every_sheet_has_a_print_setup(demo, tmp_path):
    wb = load_workbook(export(demo, tmp_path / "plan.xlsx", charts=True))
    data = {sheet.title for sheet in layouts()}
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":
            continue
        setup = ws.page_setup
        assert str(setup.paperSize) == ws.PAPERSIZE_A4, ws.title
        assert setup.orientation in ("landscape", "portrait"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.fitToHeight == 0 and 1 <= setup.fitToWidth <= 2, ws.title
        assert ws.page_margins.left == 0.5 and ws.page_margins.bottom == 0.7, ws.title
        footer = ws.oddFooter
        assert footer.left.text == "Helix CRM rollout", ws.title
        assert footer.right.text == "Page &P of &N", ws.title
        if ws.title in data:
            assert ws.print_title_rows == "$1:$1", ws.title


def test_chart_pictures_fit_a_printed_page(demo, tmp_path):
    wb = load_workbook(export(demo, tmp_path / "plan.xlsx", charts=True))
    images = wb["Charts"]._images
    assert len(images) == 8
    # A4 portrait within half-inch margins is 7.27 in wide; column A takes a third of one.
    emu_per_inch = 914_400
    sizes = [
        (i.anchor.ext.width / emu_per_inch, i.anchor.ext.height / emu_per_inch) for i in images
    ]
    assert all(width <= 6.9 for width, _ in sizes), sizes
    # Two to a page: A4 is 11.69 in high, 10.4 within the margins, less the titles.
    pairs = [sizes[i][1] + sizes[i + 1][1] for i in range(0, len(sizes), 2)]
    assert all(height <= 9.4 for height in pairs), sizes


def test_an_ampersand_in_the_initiative_name_prints_as_such(service, tmp_path):
    service.create("initiative", {"name": "Sales & Service"})
    wb = load_workbook(export(service, tmp_path / "plan.xlsx"))
    assert wb["Stakeholders"].oddFooter.left.text == "Sales && Service"


def test_a_long_message_gets_a_row_tall_enough_to_show_it(demo, tmp_path):
    """Calc keeps a row's stored height and does not grow it for wrapped text: without a
    height, a long message printed over the rows below it."""
    plan = demo.plan(demo.initiatives()[0].id)
    first = plan.communications[0]
    demo.update("communication", first.id, {"message": "\n".join(["A line of the message"] * 4)})
    wb = load_workbook(export(demo, tmp_path / "plan.xlsx"))
    ws = wb["Communications"]
    row = _column(ws, "ID").index(first.id) + 2
    cell = ws.cell(row=row, column=header_index(ws, "Message"))
    assert cell.alignment.wrap_text
    assert ws.row_dimensions[row].height >= 4 * 15


def test_tabs_and_line_breaks_in_the_initiative_name_do_not_reach_the_footer(tmp_path):
    from planner.domain.plan import Plan
    from planner.domain.records import Initiative
    from planner.services.excel.export import export_plan

    # The domain refuses such a name; a database file from elsewhere can still hold one.
    stored = Initiative.trusted(**{**Initiative(name="x").values(), "name": "Roll\tout\nnorth"})
    plan = Plan(initiative=stored)
    export_plan(plan, tmp_path / "plan.xlsx")
    wb = load_workbook(tmp_path / "plan.xlsx")
    assert wb["Stakeholders"].oddFooter.left.text == "Roll out north"
