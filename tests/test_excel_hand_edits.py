"""What people do to a workbook by hand: each edit previews right and applies exactly that."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest

from planner.services.excel.importer import ImportRefused, apply_import
from planner.services.excel.preview import Status
from planner.services.excel.problems import ImportFileError
from tests.excel_support import (
    edit,
    export,
    header_index,
    only_changes,
    preview,
    rewrite,
    row_of,
    statuses,
)

pytestmark = pytest.mark.both_engines


@pytest.fixture
def exported(demo, tmp_path):
    return export(demo, tmp_path / "plan.xlsx")


def _plan(service):
    return service.plan(service.initiatives()[0].id)


def _stakeholder(service, name):
    return next(s for s in _plan(service).stakeholders if s.name == name)


def test_unedited_workbook_changes_nothing(demo, exported):
    result = preview(demo, exported)
    assert result.errors == [] and result.warnings == []
    assert not result.has_changes
    before = _plan(demo)
    outcome = apply_import(demo, result)
    assert (outcome.created, outcome.updated, outcome.deleted) == (0, 0, 0)
    assert _plan(demo) == before and not demo.history.can_undo


def test_reordered_columns_are_read_by_header(demo, exported, tmp_path):
    def reverse_columns(rows):
        return [list(reversed(row)) for row in rows]

    path = edit(
        exported,
        tmp_path / "reordered.xlsx",
        lambda wb: rewrite(wb, "Stakeholders", reverse_columns),
    )
    result = preview(demo, path)
    assert result.errors == []
    assert statuses(result, "Stakeholders") == {Status.UNCHANGED: 30}


def test_headers_renamed_in_case_and_spacing_still_match(demo, exported, tmp_path):
    def rename(wb):
        ws = wb["Stakeholders"]
        for cell in ws[1]:
            cell.value = "  " + cell.value.upper().replace(" ", "   ") + " "
        ws.cell(row=2, column=header_index(ws, "  POWER ")).value = 1

    path = edit(exported, tmp_path / "renamed.xlsx", rename)
    result = preview(demo, path)
    assert result.errors == []
    [changed] = result.rows(Status.CHANGED)
    assert [(c.label, c.new) for c in changed.changes] == [("Power", "1")]


def test_row_added_without_id_is_created_and_matched_next_time(demo, exported, tmp_path):
    def add(wb):
        ws = wb["Stakeholders"]
        row = ws.max_row + 1
        for header, value in (
            ("Name", "Warehouse staff"),
            ("Person or group", "group"),
            ("Headcount", 80),
            ("Side", "Business"),
            ("Power", 2),
            ("Interest", "4"),
            ("Current engagement", "Neutral"),
            ("Desired engagement", "Supportive"),
            ("Impact", "High"),
            ("ADKAR awareness", 2),
            ("ADKAR desire", 2),
            ("ADKAR knowledge", 1),
            ("ADKAR ability", 1),
            ("ADKAR reinforcement", 1),
        ):
            ws.cell(row=row, column=header_index(ws, header)).value = value

    path = edit(exported, tmp_path / "added.xlsx", add)
    result = preview(demo, path)
    assert result.errors == []
    assert only_changes(result) == [("Stakeholders", Status.NEW, "Warehouse staff")]
    apply_import(demo, result)
    added = _stakeholder(demo, "Warehouse staff")
    assert (added.headcount, added.interest, added.impact.value) == (80, 4, "high")
    again = preview(demo, path)
    assert not again.has_changes
    assert [r.record_id for r in again.rows() if r.title == "Warehouse staff"] == [added.id]


def test_deleted_row_is_kept_unless_pruning_is_asked_for(demo, exported, tmp_path):
    victim = _plan(demo).risks[0]

    def delete(wb):
        ws = wb["Risks"]
        ws.delete_rows(row_of(ws, "ID", victim.id))

    path = edit(exported, tmp_path / "deleted.xlsx", delete)
    result = preview(demo, path)
    assert not result.has_changes
    kept = preview(demo, path, prune=True)
    assert kept.errors == []
    assert only_changes(kept) == [("Risks", Status.DELETED, victim.name)]
    apply_import(demo, kept)
    assert victim.id not in {r.id for r in _plan(demo).risks}
    demo.history.undo()
    assert victim.id in {r.id for r in _plan(demo).risks}


def test_pruning_a_record_other_rows_still_use_is_refused(demo, exported, tmp_path):
    def delete(wb):
        ws = wb["Stakeholders"]
        ws.delete_rows(row_of(ws, "Name", "Credit control"))

    result = preview(demo, edit(exported, tmp_path / "deleted.xlsx", delete), prune=True)
    assert result.errors
    assert all(
        "‘Credit control’, which the workbook no longer lists" in p.message for p in result.errors
    )
    assert {p.sheet for p in result.errors} == {"Communications", "Rollout"}
    with pytest.raises(ImportRefused):
        apply_import(demo, result)
    assert _stakeholder(demo, "Credit control")


def test_date_typed_as_text_is_accepted_and_an_ambiguous_one_reported(demo, exported, tmp_path):
    def retype(wb):
        ws = wb["Sessions"]
        col = header_index(ws, "Date")
        ws.cell(row=2, column=col).value = "2027-05-03"
        ws.cell(row=3, column=col).value = "25/12/2027"
        ws.cell(row=4, column=col).value = "3 Sept 2027"

    path = edit(exported, tmp_path / "dates.xlsx", retype)
    result = preview(demo, path)
    assert result.errors == []
    news = sorted(c.new for r in result.rows(Status.CHANGED) for c in r.changes)
    assert news == ["2027-05-03", "2027-09-03", "2027-12-25"]

    def ambiguous(wb):
        ws = wb["Sessions"]
        ws.cell(row=2, column=header_index(ws, "Date")).value = "03/04/2027"

    bad = edit(exported, tmp_path / "ambiguous.xlsx", ambiguous)
    result = preview(demo, bad)
    [problem] = result.errors
    assert (problem.sheet, problem.row, problem.column, problem.header) == (
        "Sessions",
        2,
        "E",
        "Date",
    )
    assert problem.found == "03/04/2027" and "YYYY-MM-DD" in problem.expected
    assert "3 April 2027" in str(problem) and "4 March 2027" in str(problem)
    before = _plan(demo)
    with pytest.raises(ImportRefused, match="1 problem"):
        apply_import(demo, result)
    assert _plan(demo) == before


def test_date_stored_as_a_number_and_number_typed_as_text(demo, exported, tmp_path):
    def retype(wb):
        ws = wb["Sessions"]
        cell = ws.cell(row=2, column=header_index(ws, "Date"))
        cell.value = (date(2027, 5, 1) - date(1899, 12, 30)).days  # a serial, General format
        cell.number_format = "General"
        ws.cell(row=2, column=header_index(ws, "Capacity")).value = " 25 "

    path = edit(exported, tmp_path / "numbers.xlsx", retype)
    result = preview(demo, path)
    assert result.errors == []
    [row] = result.rows(Status.CHANGED)
    assert {c.label: c.new for c in row.changes} == {"Date": "2027-05-01", "Capacity": "25"}
    apply_import(demo, result)
    session = next(s for s in _plan(demo).sessions if s.id == row.record_id)
    assert (session.held_on, session.capacity) == (date(2027, 5, 1), 25)


def test_extra_column_and_extra_sheet_are_ignored_and_said_so(demo, exported, tmp_path):
    def add(wb):
        ws = wb["Stakeholders"]
        ws.cell(row=1, column=ws.max_column + 1).value = "My notes"
        ws.cell(row=2, column=ws.max_column).value = "=SUM(1,2)"
        wb.create_sheet("Scratch")["A1"] = "call Tom"

    path = edit(exported, tmp_path / "extra.xlsx", add)
    result = preview(demo, path)
    assert result.errors == [] and not result.has_changes
    messages = [str(w) for w in result.warnings]
    assert any("‘My notes’ is not a planner column; ignored" in m for m in messages)
    assert any("sheet ‘Scratch’ is not a planner sheet; ignored" in m for m in messages)


def test_merged_cells_down_a_column_fill_every_row(demo, exported, tmp_path):
    def merge(wb):
        ws = wb["Stakeholders"]
        col = header_index(ws, "Relationship owner")
        ws.cell(row=2, column=col).value = "Mia Chen"
        ws.merge_cells(start_row=2, end_row=4, start_column=col, end_column=col)

    path = edit(exported, tmp_path / "merged.xlsx", merge)
    result = preview(demo, path)
    assert result.errors == []
    assert any("merged cells" in str(w) and "Mia Chen" in str(w) for w in result.warnings)
    changed = result.rows(Status.CHANGED)
    owners = {c.new for r in changed for c in r.changes if c.label == "Relationship owner"}
    assert owners == {"Mia Chen"} and 1 <= len(changed) <= 3
    apply_import(demo, result)
    assert sum(s.owner == "Mia Chen" for s in _plan(demo).stakeholders) == 3


def test_merged_cells_across_columns_are_reported(demo, exported, tmp_path):
    def merge(wb):
        wb["Stakeholders"].merge_cells("B3:C3")

    result = preview(demo, edit(exported, tmp_path / "across.xlsx", merge))
    assert {(p.sheet, p.row) for p in result.errors} == {("Stakeholders", 3)}
    assert any("B3:C3" in p.message and "unmerge" in p.message for p in result.errors)


def _with_cached_value(path, cell_ref, value):
    """Give a formula the saved result Excel or Calc would have stored."""
    patched = path.with_name("cached-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/") and f'r="{cell_ref}"'.encode() in data:
                data = data.replace(b"<v></v>", f"<v>{value}</v>".encode()).replace(
                    b"<v />", f"<v>{value}</v>".encode()
                )
            target.writestr(item, data)
    return patched


def test_formula_uses_its_saved_result_and_one_without_is_an_error(demo, exported, tmp_path):
    from openpyxl import load_workbook

    ws = load_workbook(exported)["Stakeholders"]
    row, col = row_of(ws, "Name", "Credit control"), header_index(ws, "Headcount")
    ref = ws.cell(row=row, column=col).coordinate

    def formula(wb):
        wb["Stakeholders"].cell(row=row, column=col).value = "=40+2"

    path = edit(exported, tmp_path / "formula.xlsx", formula)
    result = preview(demo, path)
    [problem] = result.errors
    assert problem.row == row and problem.header == "Headcount"
    assert "no saved result" in problem.message

    cached = _with_cached_value(path, ref, 42)
    result = preview(demo, cached)
    assert result.errors == []
    assert any("formula" in str(w) and "‘42’" in str(w) for w in result.warnings)
    [changed] = result.rows(Status.CHANGED)
    assert [(c.label, c.new) for c in changed.changes] == [("Headcount", "42")]
    apply_import(demo, result)
    assert _stakeholder(demo, "Credit control").headcount == 42


def test_edited_readable_relation_wins_over_stale_ids(demo, exported, tmp_path):
    def retarget(wb):
        ws = wb["Communications"]
        row = row_of(ws, "Name", "Service desk briefing")
        ws.cell(
            row=row, column=header_index(ws, "Audience")
        ).value = "Service team leads; credit CONTROL"

    path = edit(exported, tmp_path / "audience.xlsx", retarget)
    result = preview(demo, path)
    assert result.errors == []
    [row] = result.rows(Status.CHANGED)
    [change] = row.changes
    assert change.label == "Audience" and "Credit control" in change.new
    apply_import(demo, result)
    comm = next(c for c in _plan(demo).communications if c.name == "Service desk briefing")
    names = {demo.get("stakeholder", i).name for i in comm.audience_ids}
    assert names == {"Service team leads", "Credit control"}


def test_values_outside_the_allowed_list_are_all_reported(demo, exported, tmp_path):
    def spoil(wb):
        ws = wb["Stakeholders"]
        ws.cell(row=2, column=header_index(ws, "Side")).value = "Marketing"
        ws.cell(row=2, column=header_index(ws, "Power")).value = 9
        ws.cell(row=5, column=header_index(ws, "Current engagement")).value = "SUPPORTIVE"
        ws.cell(row=6, column=header_index(ws, "Name")).value = None

    result = preview(demo, edit(exported, tmp_path / "spoilt.xlsx", spoil))
    found = sorted((p.row, p.header, p.found) for p in result.errors)
    assert found == [(2, "Power", "9"), (2, "Side", "Marketing"), (6, "Name", "")]
    side = next(p for p in result.errors if p.header == "Side")
    assert "Business, IT, Executive, External" in side.expected
    assert statuses(result, "Stakeholders")[Status.INVALID] == 2


def test_missing_required_column_fails_the_whole_file_with_one_message(demo, exported, tmp_path):
    def drop(wb):
        wb["Stakeholders"].delete_cols(2)

    with pytest.raises(ImportFileError) as caught:
        preview(demo, edit(exported, tmp_path / "noname.xlsx", drop))
    assert (
        str(caught.value) == "Stakeholders: the required column ‘Name’ is missing "
        "(the header row is row 1)"
    )


def test_missing_optional_column_keeps_the_database_values(demo, exported, tmp_path):
    def drop(wb):
        ws = wb["Stakeholders"]
        ws.delete_cols(header_index(ws, "Notes"))

    result = preview(demo, edit(exported, tmp_path / "nonotes.xlsx", drop))
    assert result.errors == [] and not result.has_changes


def test_blank_rows_are_skipped(demo, exported, tmp_path):
    def spread(wb):
        ws = wb["Risks"]
        ws.insert_rows(3, amount=4)

    result = preview(demo, edit(exported, tmp_path / "blank.xlsx", spread))
    assert result.errors == [] and not result.has_changes


def test_cli_dry_run_shows_the_change_and_changes_nothing(demo, exported, tmp_path, db_target):
    from tests.conftest import run_cli

    def change(wb):
        ws = wb["Stakeholders"]
        ws.cell(
            row=row_of(ws, "Name", "Credit control"), column=header_index(ws, "Headcount")
        ).value = 7

    path = edit(exported, tmp_path / "changed.xlsx", change)
    demo.db.close()
    result = run_cli("import", "--db", str(db_target), str(path), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Stakeholders: 1 changed, 29 unchanged" in result.stdout
    assert "Headcount: ‘5’ → ‘7’" in result.stdout
    assert "Dry run: nothing was changed." in result.stdout
    result = run_cli("import", "--db", str(db_target), str(path))
    assert result.returncode == 0, result.stderr
    assert "Imported: 0 new, 1 changed, 0 deleted" in result.stdout
    again = run_cli("import", "--db", str(db_target), str(path))
    assert "Nothing to change" in again.stdout


def test_time_of_day_in_a_date_cell_is_dropped(demo, exported, tmp_path):
    def stamp(wb):
        ws = wb["Sessions"]
        ws.cell(row=2, column=header_index(ws, "Date")).value = datetime(2027, 6, 1, 14, 30)

    result = preview(demo, edit(exported, tmp_path / "time.xlsx", stamp))
    [row] = result.rows(Status.CHANGED)
    assert [c.new for c in row.changes] == ["2027-06-01"]


def test_new_row_with_blank_required_cells_takes_the_defaults_and_says_so(demo, exported, tmp_path):
    def add(wb):
        ws = wb["Risks"]
        row = ws.max_row + 1
        ws.cell(row=row, column=header_index(ws, "Name")).value = "Budget cut"
        old_row = 2
        ws.cell(row=old_row, column=header_index(ws, "Likelihood")).value = None

    result = preview(demo, edit(exported, tmp_path / "defaults.xlsx", add))
    [problem] = result.errors
    assert (problem.row, problem.header, problem.message) == (2, "Likelihood", "is required")
    new = next(r for r in result.rows() if r.title == "Budget cut")
    assert new.status is Status.NEW and new.new.likelihood == 3 and new.new.status.value == "open"
    notes = [str(w) for w in result.warnings if w.row == new.row]
    assert any("Likelihood" in n and "default ‘3’" in n for n in notes)
    assert any("Status" in n and "default ‘Open’" in n for n in notes)


def test_initiative_sheet_edits_change_the_initiative(demo, exported, tmp_path):
    def change(wb):
        ws = wb["Initiative"]
        ws.cell(row=2, column=header_index(ws, "Planned go-live")).value = "1 June 2027"
        summary = ws.cell(row=2, column=header_index(ws, "Summary"))
        summary.value = "=Board"  # typed as '=Board: text, not a formula
        summary.data_type = "s"
        summary.quotePrefix = True

    result = preview(demo, edit(exported, tmp_path / "initiative.xlsx", change))
    assert result.errors == []
    [row] = result.rows(Status.CHANGED)
    assert {c.label: c.new for c in row.changes} == {
        "Planned go-live": "2027-06-01",
        "Summary": "=Board",
    }
    apply_import(demo, result)
    initiative = demo.initiatives()[0]
    assert (initiative.go_live, initiative.summary) == (date(2027, 6, 1), "=Board")

    def clear_status(wb):
        wb["Initiative"].cell(row=2, column=header_index(wb["Initiative"], "Status")).value = None

    result = preview(demo, edit(exported, tmp_path / "status.xlsx", clear_status))
    assert [(p.header, p.message) for p in result.errors] == [("Status", "is required")]


@pytest.mark.sqlite_only("compares the SQLite file's bytes to show nothing was written")
def test_cli_lists_every_problem_and_refuses_in_one_line(demo, exported, tmp_path, db_path):
    from tests.conftest import run_cli

    def spoil(wb):
        ws = wb["Stakeholders"]
        ws.cell(row=2, column=header_index(ws, "Power")).value = 9
        ws.cell(row=3, column=header_index(ws, "First involved")).value = "03/04/2027"

    path = edit(exported, tmp_path / "spoilt.xlsx", spoil)
    report = tmp_path / "problems.xlsx"
    demo.db.close()
    before = db_path.read_bytes()
    for extra in (["--dry-run"], [], ["--report", str(report)]):
        result = run_cli("import", "--db", str(db_path), str(path), *extra)
        assert result.returncode == 1
        assert "error: Stakeholders, row 2, column G ‘Power’" in result.stdout
        assert "error: Stakeholders, row 3, column Q ‘First involved’" in result.stdout
        assert result.stderr.startswith("planner: error: the workbook has 2 problems")
        assert result.stderr.count("\n") == 1
    assert db_path.read_bytes() == before
    from openpyxl import load_workbook

    rows = list(load_workbook(report)["Problems"].iter_rows(min_row=2, values_only=True))
    assert sorted((r[2], r[4]) for r in rows) == [(2, "Power"), (3, "First involved")]


def test_labels_with_hyphens_are_read_back():
    from planner.domain.enums import AttendanceStatus, CourseFormat, GateDecision

    assert CourseFormat.parse("E-learning") is CourseFormat.ELEARNING
    assert CourseFormat.parse(" e-LEARNING ") is CourseFormat.ELEARNING
    assert GateDecision.parse("No-go") is GateDecision.NO_GO
    assert AttendanceStatus.parse("no show") is AttendanceStatus.NO_SHOW
    with pytest.raises(ValueError, match="e learning course"):
        CourseFormat.parse("e learning course")
