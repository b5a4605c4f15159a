"""The portfolio through real files: the migration of a file made at revision 0002, the
sample's three initiatives, `planner portfolio` and `planner chart --kind portfolio`,
and the units and impact assessments through an Excel export and import."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine

from planner.paths import migrations_dir
from planner.persistence import open_database
from planner.services import portfolio
from planner.services.demo import DEMO_NAME, create_demo
from planner.services.demo_portfolio import EXPENSE_NAME, TERRITORY_NAME
from planner.services.excel.importer import apply_import, preview_import
from planner.services.excel.workbook import export_initiative
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY, run_cli

STAMP = "'2026-01-05 10:00:00'"


def _file_at_0002(path: Path) -> None:
    """A file as the planner of revision 0002 left it: two plans sharing group names."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002_sponsor_link")
    engine.dispose()
    conn = sqlite3.connect(path)
    for n, name in ((1, "CRM"), (2, "Expenses")):
        conn.execute(
            "insert into initiative (id, created_at, updated_at, name, status) values "
            f"('aaaaaaaa-0000-4000-8000-00000000000{n}', {STAMP}, {STAMP}, '{name}', 'planning')"
        )
    groups = [
        (11, 1, "Warehouse", "group", 80),
        (12, 2, "Warehouse", "group", 95),  # the same name in another plan: one unit
        (13, 2, "Warehouse team", "group", 90),  # nearly the same: kept apart, reported
        (14, 1, "Billing", "group", 12),
        (15, 1, "Warehouse", "person", 1),  # a person is no unit
    ]
    for n, ini, name, kind, headcount in groups:
        conn.execute(
            "insert into stakeholder (id, created_at, updated_at, initiative_id, name, kind, "
            "headcount, side, power, interest, engagement, desired_engagement, impact, "
            "adkar_awareness, adkar_desire, adkar_knowledge, adkar_ability, "
            f"adkar_reinforcement) values ('aaaaaaaa-0000-4000-8000-0000000000{n}', {STAMP}, "
            f"{STAMP}, 'aaaaaaaa-0000-4000-8000-00000000000{ini}', '{name}', '{kind}', "
            f"{headcount}, 'business', 2, 3, 'neutral', 'supportive', 'high', 3, 3, 2, 2, 1)"
        )
    conn.commit()
    conn.close()


def test_a_file_at_0002_gets_a_unit_per_group_name_and_near_names_are_reported(tmp_path):
    path = tmp_path / "old.db"
    _file_at_0002(path)
    db = open_database(path)
    try:
        service = PlanService(db)
        crm = service.plan(service.find_initiative("CRM").id)
        expenses = service.plan(service.find_initiative("Expenses").id)
        units = {u.name: u for u in crm.units}
        assert sorted((u.name, u.headcount, u.capacity) for u in units.values()) == [
            ("Billing", 12, 8.0),
            ("Warehouse", 95, 8.0),
            ("Warehouse team", 90, 8.0),
        ]
        linked = {
            (s.name, s.kind.value): s.unit_id for s in (*crm.stakeholders, *expenses.stakeholders)
        }
        assert linked[("Warehouse", "person")] is None
        both = [
            s.unit_id
            for s in (*crm.stakeholders, *expenses.stakeholders)
            if (s.name, s.kind.value) == ("Warehouse", "group")
        ]
        assert both == [units["Warehouse"].id] * 2
        assert linked[("Warehouse team", "group")] == units["Warehouse team"].id
        result = portfolio.read(service)
        [similar] = [f for f in result.findings if f.rule == "portfolio-similar-unit-names"]
        assert "‘Warehouse’, ‘Warehouse team’" in similar.message
        # the register is editable like any record, and a unit can be removed
        service.update("unit", units["Billing"].id, {"capacity": 5})
        team = "aaaaaaaa-0000-4000-8000-000000000013"
        service.delete("unit", [units["Warehouse team"].id])
        assert service.get("stakeholder", team).unit_id is None  # kept, with no unit
        service.history.undo()
        assert service.get("stakeholder", team).unit_id == units["Warehouse team"].id
    finally:
        db.close()


def test_the_demo_holds_three_initiatives_sharing_units_the_crm_first(tmp_path):
    db = open_database(tmp_path / "demo.db")
    try:
        service = PlanService(db)
        create_demo(service, today=DEMO_TODAY, portfolio=True)
        assert [i.name for i in service.initiatives_in_order()] == [
            DEMO_NAME,
            EXPENSE_NAME,
            TERRITORY_NAME,
        ]
        assert service.find_initiative(None).name == DEMO_NAME
        result = portfolio.read(service)
    finally:
        db.close()
    rules = {f.rule for f in result.findings}
    assert {
        "portfolio-go-live-collision",
        "portfolio-over-capacity",
        "portfolio-pilot-and-wave",
    } <= rules
    inside = result.unit("Inside sales")
    over = [w for w in inside.weeks if w.over]
    assert over and set(over[0].initiatives) == {DEMO_NAME, EXPENSE_NAME}
    # The territory redesign's second wave, months later, collides with nothing.
    late = [f for f in result.findings if "Wave 2: South" in f.message]
    assert late == []


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert EXPENSE_NAME in result.stdout
    return path


def test_planner_portfolio_json_on_the_demo(demo_file):
    result = run_cli("portfolio", "--db", str(demo_file), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["initiatives"] == [DEMO_NAME, EXPENSE_NAME, TERRITORY_NAME]
    assert {"groups", "findings"} <= set(data)
    for group in data["groups"]:
        assert set(group) == {"id", "name", "headcount", "weeks"}
        for week in group["weeks"]:
            assert set(week) == {"week", "load", "capacity", "initiatives"}
            assert re.fullmatch(r"\d{4}-W\d{2}", week["week"])
    inside = next(g for g in data["groups"] if g["name"] == "Inside sales")
    assert any(w["load"] > w["capacity"] for w in inside["weeks"])
    finding_keys = {"rule", "dimension", "severity", "message", "action", "record"}
    assert all(set(f) == finding_keys for f in data["findings"])
    assert all(f["action"] and f["dimension"] == "portfolio" for f in data["findings"])
    collision = next(f for f in data["findings"] if f["rule"] == "portfolio-go-live-collision")
    assert collision["record"]["type"] == "phase" and collision["action"].startswith("Move ")
    # The check's JSON (the main initiative, named) is what it was.
    check = run_cli("check", "--db", str(demo_file), "--format", "json")
    assert json.loads(check.stdout)["initiative"] == DEMO_NAME


def test_planner_portfolio_period_and_text(demo_file):
    wide = json.loads(run_cli("portfolio", "--db", str(demo_file), "--format", "json").stdout)
    first = wide["groups"][0]["weeks"][5]["week"]
    year, number = int(first[:4]), int(first[6:])
    from datetime import date

    start = date.fromisocalendar(year, number, 1)
    narrow = run_cli(
        "portfolio",
        "--db",
        str(demo_file),
        "--json",
        "--from",
        start.isoformat(),
        "--to",
        start.isoformat(),
    )
    data = json.loads(narrow.stdout)
    assert {len(g["weeks"]) for g in data["groups"]} == {1}
    assert data["groups"][0]["weeks"][0]["week"] == first
    text = run_cli("portfolio", "--db", str(demo_file))
    assert text.returncode == 0 and "Critical" in text.stdout and "→ Move" in text.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--from", "2027-02-01", "--to", "2027-01-01"), "before --from"),
        (("--from", "2027-13-01"), "is not a date"),
        (("--from", "1990-01-01", "--to", "2027-01-01"), "at most 520"),
    ],
)
def test_planner_portfolio_bad_input_is_one_line(demo_file, args, says):
    result = run_cli("portfolio", "--db", str(demo_file), *args)
    assert result.returncode != 0
    assert says in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_planner_chart_draws_the_portfolio(demo_file, tmp_path):
    for suffix in ("png", "svg", "pdf"):
        out = tmp_path / f"portfolio.{suffix}"
        result = run_cli("chart", "--db", str(demo_file), "--kind", "portfolio", str(out))
        assert result.returncode == 0, result.stderr
        assert "3 initiatives" in result.stdout
        assert out.stat().st_size > 5000
    svg = (tmp_path / "portfolio.svg").read_text()
    assert "Change load across initiatives" in svg and "Inside sales" in svg
    assert f"go-live: {EXPENSE_NAME}" in svg


def test_an_empty_portfolio_draws_what_to_add(tmp_path):
    from planner.charts import build_portfolio_chart, render

    out = tmp_path / "empty.svg"
    render(build_portfolio_chart(portfolio.compute([])), out)
    assert "Nothing to show yet" in out.read_text()


def _cells_with_load(result: portfolio.Portfolio) -> Counter[str]:
    """How many cells without a go-live marker show each load (as the chart writes it)."""
    return Counter(
        f"{week.load:g}"
        for unit_load in result.units
        for week in unit_load.weeks
        if week.load > 0 and not week.go_lives
    )


def test_a_small_portfolio_writes_each_cells_load_and_a_large_one_leaves_them_out(service):
    from matplotlib.lines import Line2D

    from planner.bench.portfolio_plans import build_portfolio_plans
    from planner.charts import build_portfolio_chart
    from planner.charts.portfolio_scale import MAX_NUMBERED_CELLS

    create_demo(service, today=DEMO_TODAY, portfolio=True)
    plans = [service.plan(i.id) for i in service.initiatives_in_order()]
    names = {"Inside sales", "Field service engineers", "Sales reps South", "Key account managers"}
    small = portfolio.compute(
        plans,
        [u for u in plans[0].units if u.name in names],
        start=date(2027, 1, 4),
        end=date(2027, 3, 29),
    )
    expected = _cells_with_load(small)
    assert 0 < sum(expected.values()) <= MAX_NUMBERED_CELLS
    written = Counter(t.get_text() for t in build_portfolio_chart(small).axes[0].texts)
    assert written == expected

    large = portfolio.compute(*build_portfolio_plans())
    assert len(large.initiatives) == 20
    axes = build_portfolio_chart(large).axes[0]
    assert len(axes.texts) == 0  # hundreds of cells: the colours and their key carry the load
    assert axes.images and "over capacity" in [t.get_text() for t in axes.get_legend().get_texts()]
    drawn = {label.get_text().rsplit(" (", 1)[0] for label in axes.get_yticklabels()}
    go_lives = [n for u in large.units if u.unit.name in drawn for w in u.weeks for n in w.go_lives]
    assert len(go_lives) > 100
    # one line of markers per initiative, every go-live of the drawn units on it
    assert all(isinstance(line, Line2D) for line in axes.lines)
    assert len(axes.lines) == len(set(go_lives))
    assert sum(len(line.get_xdata()) for line in axes.lines) == len(go_lives)


def test_units_and_impact_assessments_round_trip_through_excel(tmp_path):
    source = open_database(tmp_path / "demo.db")
    try:
        service = PlanService(source)
        create_demo(service, today=DEMO_TODAY, portfolio=True)
        expenses = service.find_initiative(EXPENSE_NAME)
        before = service.plan(expenses.id)
        workbook = tmp_path / "expenses.xlsx"
        export_initiative(service, expenses.id, workbook, today=DEMO_TODAY, charts=False)
    finally:
        source.close()
    wb = load_workbook(workbook, read_only=True)
    assert {"Units", "Impact", "Portfolio"} <= set(wb.sheetnames)
    wb.close()

    def shape(plan):
        names = {u.id: u.name for u in plan.units}
        units = sorted(
            (u.name, u.kind.value, u.headcount, u.capacity, names.get(u.parent_unit_id))
            for u in plan.units
        )
        impact = sorted(
            (names[a.unit_id], *(d.value for d in a.aspects.values()), a.notes)
            for a in plan.impact_assessments
        )
        groups = sorted((s.name, names.get(s.unit_id)) for s in plan.stakeholders)
        return units, impact, groups

    target = open_database(tmp_path / "other.db")
    try:
        service = PlanService(target)
        for _ in range(2):  # the second import finds everything already there
            apply_import(service, preview_import(service, workbook))
            after = service.plan(service.find_initiative(EXPENSE_NAME).id)
            assert shape(after) == shape(before)
        assert len(after.units) == 27 and len(after.impact_assessments) == 2
    finally:
        target.close()


def _numbered_by_the_rule(units):
    """The README's rule, cell by cell: every loaded cell without a go-live on a small
    grid, else only the over-capacity ones if they are few, else none."""
    from planner.charts.portfolio_scale import MAX_NUMBERED_CELLS

    loaded = [
        (x, y, week)
        for y, unit_load in enumerate(units)
        for x, week in enumerate(unit_load.weeks)
        if week.load > 0 and not week.go_lives
    ]
    if len(loaded) > MAX_NUMBERED_CELLS:
        loaded = [cell for cell in loaded if cell[2].over]
    return loaded if len(loaded) <= MAX_NUMBERED_CELLS else []


def test_the_numbered_cells_follow_the_rule_on_small_middling_and_large_grids(service):
    from planner.bench.portfolio_plans import build_portfolio_plans
    from planner.charts.portfolio_scale import numbered_cells, rows

    create_demo(service, today=DEMO_TODAY, portfolio=True)
    plans = service.plans([i.id for i in service.initiatives_in_order()])
    grids = [portfolio.compute(plans)]
    for count in (2, 4, 8, 16):
        grids.append(portfolio.compute(plans, list(plans[0].units)[:count]))
    grids.append(portfolio.compute(*build_portfolio_plans(4)))
    grids.append(portfolio.compute(*build_portfolio_plans(shape="flat")))
    kinds = set()
    for grid in grids:
        units = rows(grid).units
        found = numbered_cells(units)
        assert found == _numbered_by_the_rule(units)
        kinds.add("none" if not found else "over" if all(c[2].over for c in found) else "all")
    assert "none" in kinds and "all" in kinds
