"""The link rules on their own: one link cell pair read against a record index, no
workbook file and no database (the staging step `links` is testable alone)."""

from __future__ import annotations

import pytest

from planner.domain.records import new_id, record_type
from planner.services.excel.layout import layout
from planner.services.excel.links import LinkColumns, read_link
from planner.services.excel.record_index import RecordIndex
from planner.services.excel.sheets import MappedSheet

A, B, C = new_id(), new_id(), new_id()


def _sheet() -> MappedSheet:
    """A Communications sheet with only Name, Audience and Audience IDs."""
    sheet_layout = layout("communication")
    wanted = ("Name", "Audience", "Audience IDs")
    columns = [c for c in sheet_layout.columns if c.header in wanted]
    positions = {column: index for index, column in enumerate(columns)}
    return MappedSheet(sheet_layout, "Communications", positions, list(wanted), [])


def _index() -> RecordIndex:
    """A and B in the database (A since renamed in the workbook), C only in the workbook."""
    index = RecordIndex()
    index.add("stakeholder", A, "Sales reps")
    index.add("stakeholder", A, "Sales team")
    index.add("stakeholder", B, "Billing")
    index.add("stakeholder", C, "Night shift")
    return index


def _read(names, ids, *, use_ids=True):
    sheet = _sheet()
    spec = record_type("communication").SPECS["audience_ids"]
    where = LinkColumns.of(sheet, spec)
    assert where is not None
    return read_link(sheet, 7, ["Briefing", names, ids], where, _index(), use_ids=use_ids)


@pytest.mark.parametrize(
    ("names", "ids", "expected", "warned"),
    [
        ("Sales reps; Billing", f"{A}; {B}", {A, B}, False),  # as exported
        ("Sales team; Billing", f"{A}; {B}", {A, B}, False),  # target renamed
        ("Old name; Billing", f"{A}; {B}", {A, B}, False),  # a name that names nothing
        ("Billing", f"{A}", {B}, False),  # the name edited: it wins
        ("Night shift", "", {C}, False),  # a new record without an ID
        ("Sales reps; Billing", "garbled", {A, B}, True),  # the IDs edited badly
        ("Sales reps", new_id(), {A}, True),  # an unknown ID, a name that places it
        ("", f"{A}", set(), False),  # names cleared: the link is cleared
    ],
    # Named cases: the IDs are made afresh in each process, and pytest-xdist's workers
    # must collect the same test names.
    ids=[
        "as-exported",
        "target-renamed",
        "name-names-nothing",
        "name-edited",
        "new-without-id",
        "ids-garbled",
        "unknown-id",
        "names-cleared",
    ],
)
def test_a_link_resolves_as_a_person_meant(names, ids, expected, warned):
    link = _read(names, ids)
    assert not link.failed, [str(p) for p in link.problems]
    assert set(link.value) == expected
    assert bool(link.problems) == warned


def test_only_a_link_neither_side_places_is_an_error():
    link = _read("Nobody", new_id())
    [problem] = link.problems
    assert link.failed and link.value is None
    assert (problem.sheet, problem.row, problem.column, problem.header) == (
        "Communications",
        7,
        "B",
        "Audience",
    )
    assert problem.message == "no stakeholder named ‘Nobody’ in the plan or the workbook"


def test_ids_are_ignored_when_matching_by_name():
    assert _read("Old name", f"{A}", use_ids=False).failed
    assert set(_read("Billing", f"{A}", use_ids=False).value) == {B}
