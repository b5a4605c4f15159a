"""Numbers, dates and record ids as people type them: one reading, or a refusal naming why.

`1,250` is 1250 to an English reader and 1.25 to a German one; the planner
used to store 1.25 without a word. A date with anything after it was read
as the date. Three checks of what a record id is let different things in.
"""

from __future__ import annotations

import uuid

import pytest

from planner.domain.errors import DomainError
from planner.domain.records import Initiative, Option, new_id
from planner.services.excel.importer import ImportRefused, apply_import
from planner.services.excel.preview import Status
from tests.excel_support import edit, export, header_index, preview


def _option(annual_cost: object) -> Option:
    return Option(initiative_id=new_id(), name="Helix", annual_cost=annual_cost)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12,5", 12.5),
        ("0,125", 0.125),
        ("1250", 1250.0),
        ("1 250", 1250.0),
        ("1\u00a0250,75", 1250.75),
        ("1,250,000", 1_250_000.0),
        ("1,250.5", 1250.5),
        ("1.250.000", 1_250_000.0),
        ("1.250,5", 1250.5),
        ("1.5", 1.5),
        ("1.2500", 1.25),
    ],
)
def test_a_number_with_one_reading_is_read_so(typed: str, stored: float) -> None:
    assert _option(typed).annual_cost == stored


@pytest.mark.parametrize(
    ("typed", "readings"), [("1,250", "1250 or 1.250"), ("12.500", "12500 or 12.500")]
)
def test_a_thousands_separator_that_could_be_a_decimal_mark_is_refused(
    typed: str, readings: str
) -> None:
    with pytest.raises(DomainError) as refused:
        _option(typed)
    message = str(refused.value)
    assert message == (
        f"Option annual cost: {typed!r} could be {readings}; write it without a thousands separator"
    )


def test_an_ambiguous_cost_in_a_workbook_is_one_problem_at_its_cell_and_nothing_is_applied(
    demo, tmp_path
) -> None:
    exported = export(demo, tmp_path / "plan.xlsx")

    def retype(wb):
        ws = wb["Options"]
        ws.cell(row=2, column=header_index(ws, "Annual cost")).value = "1,250"

    result = preview(demo, edit(exported, tmp_path / "cost.xlsx", retype))

    [problem] = result.errors
    assert (problem.sheet, problem.row, problem.header) == ("Options", 2, "Annual cost")
    assert "1250 or 1.250" in str(problem) and "\n" not in str(problem)
    before = demo.plan(demo.initiatives()[0].id)
    with pytest.raises(ImportRefused):
        apply_import(demo, result)
    assert demo.plan(demo.initiatives()[0].id) == before


def test_an_unambiguous_cost_in_a_workbook_is_imported(demo, tmp_path) -> None:
    exported = export(demo, tmp_path / "plan.xlsx")

    def retype(wb):
        ws = wb["Options"]
        ws.cell(row=2, column=header_index(ws, "Annual cost")).value = "1,250,000"

    result = preview(demo, edit(exported, tmp_path / "cost.xlsx", retype))

    assert result.errors == []
    [row] = result.rows(Status.CHANGED)
    apply_import(demo, result)
    option = next(o for o in demo.plan(demo.initiatives()[0].id).options if o.id == row.record_id)
    assert option.annual_cost == 1_250_000


@pytest.mark.parametrize(
    "typed", ["2027-05-03junk", "2027-05-0312", "2027-05-03T25", "2027-05-03 x"]
)
def test_a_date_with_anything_after_it_is_refused(typed: str) -> None:
    with pytest.raises(DomainError, match=r"is not a date \(expected YYYY-MM-DD\)"):
        Initiative(name="Helix", start=typed)


@pytest.mark.parametrize("typed", ["2027-05-03", "2027-05-03 00:00:00", "2027-05-03T09:30"])
def test_a_date_or_a_datetimes_text_is_read_as_its_day(typed: str) -> None:
    assert Initiative(name="Helix", start=typed).start.isoformat() == "2027-05-03"


def test_a_record_id_is_one_form_everywhere() -> None:
    ident = uuid.uuid4()
    assert Initiative(id=str(ident).upper(), name="Helix").id == str(ident)
    for loose in (f"{{{ident}}}", ident.hex, f"urn:uuid:{ident}"):
        with pytest.raises(DomainError, match="is not a record id"):
            Initiative(id=loose, name="Helix")
        with pytest.raises(DomainError, match="is not a record id"):
            Option(initiative_id=loose, name="Helix")
