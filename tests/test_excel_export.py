"""The exported workbook: its sheets, tables, formats, metadata, and what it refuses to write."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from planner.domain.errors import Cancelled
from planner.domain.plan import Plan
from planner.domain.records import Initiative, Stakeholder
from planner.services.excel.cells import ExportError
from planner.services.excel.export import export_plan
from planner.services.excel.layout import layouts
from planner.services.excel.progress import CancelToken, Progress
from tests.conftest import run_cli
from tests.excel_support import export, header_index, row_of, sheet_xml
from tests.factories import full_plan

pytestmark = pytest.mark.both_engines

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
DATA_SHEETS = [
    "Initiative",
    "Stakeholders",
    "Snapshots",
    "Objectives",
    "KPIs",
    "Measurements",
    "Communications",
    "Training",
    "Sessions",
    "Attendance",
    "Rollout",
    "Gate criteria",
    "Options",
    "Criteria",
    "Scores",
    "Risks",
]


def test_export_has_about_first_then_one_table_per_record_type(demo, tmp_path):
    path = export(demo, tmp_path / "plan.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "About"
    assert [s for s in wb.sheetnames if s in DATA_SHEETS] == DATA_SHEETS
    assert wb["_planner"].sheet_state == "hidden"
    plan = demo.plan(demo.initiatives()[0].id)
    for sheet in layouts():
        ws = wb[sheet.title]
        assert ws.freeze_panes == "A2"
        [table] = ws.tables.values()
        assert [c.name for c in table.tableColumns] == [c.header for c in sheet.columns]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
        assert ws.max_row == len(plan.records(sheet.kind)) + 1
        assert ws["A1"].value == "ID"
        assert ws.column_dimensions["A"].width >= 36


def test_export_writes_real_dates_names_and_ids_for_relations(tmp_path, service):
    made = full_plan(service)
    path = export(service, tmp_path / "plan.xlsx")
    wb = load_workbook(path)
    ws = wb["Communications"]
    row = row_of(ws, "Name", "Kick-off mail")
    date_cell = ws.cell(row=row, column=header_index(ws, "Date"))
    assert date_cell.value == datetime(2027, 2, 1)
    assert date_cell.number_format == "yyyy-mm-dd"
    assert (
        ws.cell(row=row, column=header_index(ws, "Audience")).value == "Sales reps; CFO"
        or ws.cell(row=row, column=header_index(ws, "Audience")).value == "CFO; Sales reps"
    )
    ids = ws.cell(row=row, column=header_index(ws, "Audience IDs")).value
    assert made["stakeholder"].id in ids
    assert ws.cell(row=row, column=header_index(ws, "Channel")).value == "Email"
    assert ws.cell(row=row, column=header_index(ws, "Covers goals")).value == "Yes"
    assert ws.cell(row=row, column=header_index(ws, "ID")).value == made["communication"].id
    kpis = wb["KPIs"]
    assert kpis.cell(row=2, column=header_index(kpis, "Objective")).value == "Faster sales"
    assert kpis.cell(row=2, column=header_index(kpis, "Objective ID")).value == made["objective"].id


def test_every_enumerated_column_has_a_dropdown(demo, tmp_path):
    wb = load_workbook(export(demo, tmp_path / "plan.xlsx"))
    for sheet in layouts():
        ws = wb[sheet.title]
        validated = {
            str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
            for dv in ws.data_validations.dataValidation
        }
        for index, column in enumerate(sheet.columns, 1):
            spec = column.spec
            if (
                spec is None
                or column.role.value != "value"
                or spec.kind.value not in ("choice", "bool")
            ):
                continue
            letter = ws.cell(row=1, column=index).column_letter
            assert letter in validated, (sheet.title, column.header)
            if spec.kind.value == "choice":
                assert all(c.label in validated[letter] for c in spec.choices)


def test_about_sheet_explains_the_file_and_every_column(demo, tmp_path):
    wb = load_workbook(export(demo, tmp_path / "plan.xlsx"))
    text = "\n".join(str(c.value) for row in wb["About"].iter_rows() for c in row if c.value)
    assert "Helix CRM rollout" in text
    assert "leave its ID blank" in text
    assert "Data dictionary" in text
    for sheet in layouts():
        for column in sheet.columns:
            assert column.header in text
    assert "Resistant" in text and "1–5" in text


def test_metadata_is_kept_three_ways(demo, tmp_path):
    path = export(demo, tmp_path / "plan.xlsx")
    initiative = demo.initiatives()[0]
    wb = load_workbook(path)
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["Planner initiative_id"] == initiative.id
    assert props["Planner format_version"] == "2"
    assert re.match(r"\d{4}-\d\d-\d\dT", props["Planner exported_at"])
    export_id = props["Planner export_id"]
    assert export_id in wb.defined_names["PlannerExport"].attr_text
    assert initiative.id in wb.defined_names["PlannerExport"].attr_text
    hidden = {r[0]: r[1] for r in wb["_planner"].iter_rows(values_only=True)}
    assert hidden["export_id"] == export_id and hidden["app_version"]
    assert hidden["fingerprints"].count("=") >= 1


DANGEROUS = [
    "=1+2",
    "+41 555",
    "-5 days",
    "@SUM(A1:A2)",
    "\tcmd",
    "\r=HYPERLINK(1)",
    "\n=2",
    "#N/A",
    "#DIV/0!",
    "=cmd|' /C calc'!A0",
]


def _plan_with_names(names: list[str]) -> Plan:
    initiative = Initiative(name="Injection test")
    people = tuple(
        Stakeholder.trusted(
            **{**Stakeholder(initiative_id=initiative.id, name="x").values(), "name": n}
        )
        for n in names
    )
    return Plan(initiative=initiative, stakeholders=people)


def test_no_user_text_is_written_as_a_formula_or_an_error(tmp_path):
    path = tmp_path / "dangerous.xlsx"
    export_plan(_plan_with_names(DANGEROUS), path)
    xml = sheet_xml(path, "Stakeholders")
    tree = etree.fromstring(xml.encode())
    assert tree.findall(".//m:f", NS) == []
    assert [c for c in tree.findall(".//m:c", NS) if c.get("t") == "e"] == []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b't="e"' not in archive.read(name)
    wb = load_workbook(path)
    ws = wb["Stakeholders"]
    col = header_index(ws, "Name")
    cells = [ws.cell(row=r, column=col) for r in range(2, len(DANGEROUS) + 2)]
    assert sorted(c.value for c in cells) == sorted(DANGEROUS)  # rows come by name
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_injection_through_the_database_and_command_line(service, tmp_path, db_target):
    ini = service.create("initiative", {"name": '=HYPERLINK("http://x")'})
    service.create(
        "stakeholder", {"initiative_id": ini.id, "name": "@evil", "notes": "-1+1", "owner": "+cmd"}
    )
    out = tmp_path / "out.xlsx"
    result = run_cli("export", "--db", str(db_target), "--no-charts", str(out))
    assert result.returncode == 0, result.stderr
    for title in ("Stakeholders", "Initiative", "About"):
        tree = etree.fromstring(sheet_xml(out, title).encode())
        assert tree.findall(".//m:f", NS) == []
    wb = load_workbook(out)
    assert wb["Initiative"]["B2"].value == '=HYPERLINK("http://x")'


def test_control_characters_do_not_crash_and_are_reported(tmp_path):
    path = tmp_path / "control.xlsx"
    result = export_plan(_plan_with_names(["bell\x07here", "fine"]), path)
    assert any("control characters" in w for w in result.warnings)
    ws = load_workbook(path)["Stakeholders"]
    assert ws.cell(row=2, column=header_index(ws, "Name")).value == "bell\ufffdhere"


def test_text_over_the_cell_limit_is_refused_not_cut(tmp_path):
    path = tmp_path / "long.xlsx"
    with pytest.raises(ExportError, match="32,767"):
        export_plan(_plan_with_names(["x" * 40_000]), path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_or_cancelled_export_leaves_no_file_and_keeps_the_old_one(demo, tmp_path):
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "plan.xlsx"
    path.write_bytes(b"previous export")
    token = CancelToken()
    seen: list[tuple[float, str]] = []

    def report(fraction: float, message: str) -> None:
        seen.append((fraction, message))
        if message.startswith("Writing Sessions"):
            token.cancel()

    plan = demo.plan(demo.initiatives()[0].id)
    with pytest.raises(Cancelled):
        export_plan(plan, path, progress=Progress(report, token, "the export"))
    assert path.read_bytes() == b"previous export"
    assert sorted(p.name for p in path.parent.iterdir()) == ["plan.xlsx"]
    assert seen and all(0 <= f <= 1 for f, _ in seen)
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


def test_export_refuses_a_wrong_target_with_one_line(demo, tmp_path, db_target):
    demo.db.close()
    for target, message in (
        (tmp_path / "plan.csv", "must end in .xlsx"),
        (tmp_path / "missing" / "plan.xlsx", "does not exist"),
    ):
        result = run_cli("export", "--db", str(db_target), str(target))
        assert result.returncode == 1
        assert message in result.stderr and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr


def test_cli_export_names_the_initiative(demo, tmp_path, db_target):
    # made later than the sample (a second apart at least, as people make them)
    later = demo.main_initiative().created_at + timedelta(seconds=5)
    demo.create("initiative", {"name": "Second", "start": date(2027, 1, 1), "created_at": later})
    out = tmp_path / "second.xlsx"
    main = tmp_path / "main.xlsx"
    result = run_cli("export", "--db", str(db_target), "--no-charts", str(main))
    assert result.returncode == 0, result.stderr
    assert "Exported ‘Helix CRM rollout’" in result.stdout  # the main (first created) one
    result = run_cli(
        "export", "--db", str(db_target), "--initiative", "second", "--no-charts", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "Exported ‘Second’" in result.stdout
    assert load_workbook(out)["Initiative"]["B2"].value == "Second"


def test_export_file_is_a_valid_package(demo, tmp_path):
    path = export(demo, tmp_path / "plan.xlsx")
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert "docProps/custom.xml" in archive.namelist()
    assert Path(path).stat().st_size > 10_000


def test_readiness_and_charts_sheets_show_the_check_and_every_chart(demo, tmp_path, db_target):
    from planner.charts import CHART_KINDS
    from planner.services.readiness import check
    from tests.conftest import DEMO_TODAY

    demo.db.close()
    out = tmp_path / "full.xlsx"
    result = run_cli("export", "--db", str(db_target), "--today", DEMO_TODAY.isoformat(), str(out))
    assert result.returncode == 0, result.stderr
    wb = load_workbook(out)
    assert wb.sheetnames[-3:] == ["Readiness", "Charts", "_planner"]
    from planner.persistence import open_database
    from planner.services.planning import PlanService

    db = open_database(db_target, read_only=True)
    try:
        service = PlanService(db)
        plan = service.plan(service.initiatives()[0].id)
    finally:
        db.close()
    report = check(plan, DEMO_TODAY)
    rows = list(wb["Readiness"].iter_rows(values_only=True))
    assert rows[0][0] == f"Readiness on 2 November 2026: {report.score} / 100"
    scores = {r[1]: r[0] for r in rows if isinstance(r[0], int)}
    assert scores == {d.label: d.score for d in report.dimensions}
    messages = {r[2] for r in rows}
    assert all(f.message in messages for f in report.findings)
    # People's words: no dimension key, severity or phase kind as the planner spells them.
    shown = {v for r in rows for v in r[:7] if isinstance(v, str)}
    internal = {d.key for d in report.dimensions}
    assert not shown & (internal | {"critical", "warning", "info", "pilot", "wave", "pending"})
    actions = {(r[2], r[3]) for r in rows}
    assert all((f.message, f.action) in actions for f in report.findings)
    header = next(r for r in rows if r[0] == "Severity")
    assert header[3] == "What to do"
    charts = wb["Charts"]
    assert len(charts._images) == len(CHART_KINDS)
    titles = {c.value for row in charts.iter_rows() for c in row if c.value}
    assert all(spec.title in titles for spec in CHART_KINDS.values())
    with zipfile.ZipFile(out) as archive:
        pngs = [n for n in archive.namelist() if n.startswith("xl/media/")]
        assert len(pngs) == len(CHART_KINDS)
        assert all(archive.read(n).startswith(b"\x89PNG") for n in pngs)
    back = run_cli("import", "--db", str(db_target), str(out), "--dry-run")
    assert back.returncode == 0 and "warning" not in back.stdout
    assert "Readiness" not in back.stdout.split("\n", 1)[1]
