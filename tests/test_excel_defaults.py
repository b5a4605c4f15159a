"""New rows typed with blank required cells: the first are listed with their default, the rest counted."""

from __future__ import annotations

import pytest

from planner.services.excel.rows import LISTED_DEFAULTS
from tests.excel_support import edit, export, header_index, preview

pytestmark = pytest.mark.both_engines


def test_many_name_only_rows_list_the_first_defaults_and_count_the_rest(demo, tmp_path):
    extra = LISTED_DEFAULTS + 40

    def add_names(wb):
        ws = wb["Risks"]
        name = header_index(ws, "Name")
        first = ws.max_row + 1
        for n in range(extra):
            ws.cell(row=first + n, column=name).value = f"Typed risk {n}"

    book = edit(export(demo, tmp_path / "plan.xlsx"), tmp_path / "typed.xlsx", add_names)
    result = preview(demo, book)
    assert not result.errors
    likelihood = [w for w in result.warnings if w.header == "Likelihood"]
    per_row = [w for w in likelihood if w.row is not None]
    counted = [w for w in likelihood if w.row is None]
    assert len(per_row) == LISTED_DEFAULTS
    assert [str(w.message) for w in counted] == [
        "blank in 40 more new rows, which get the default ‘3’"
    ]
    new = [r for s in result.sheets if s.title == "Risks" for r in s.rows if r.status == "new"]
    assert len(new) == extra
    assert {r.new.likelihood for r in new if r.new is not None} == {3}
