"""Round trips: export → import into an empty database → export gives the same data."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.records import build
from planner.persistence import open_database, store
from planner.services.excel.importer import apply_import, preview_import
from planner.services.excel.metadata import fingerprint
from planner.services.excel.preview import Status
from planner.services.planning import PlanService
from tests.excel_support import data_of, export

pytestmark = pytest.mark.both_engines

TRICKY = [
    "=1+2",
    "+44 20 7946",
    "-3 dB",
    "@here",
    "#N/A",
    "a; b",
    "Ünïcødé ✓",
    "0042",
    "TRUE",
    "2027-01-01",
    "x" * 200,
    "multi\nline",
]
text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")), min_size=1, max_size=40),
).filter(lambda s: bool(s.strip()))
maybe_text = st.none() | text
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
maybe_day = st.none() | days
level = st.integers(1, 5)
amount = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@st.composite
def plans(draw):
    records = []

    def add(record_kind, /, **values):
        record = build(record_kind, values)
        records.append(record)
        return record

    ini = add(
        "initiative",
        name=draw(text),
        summary=draw(maybe_text),
        start=draw(maybe_day),
        status=draw(st.sampled_from(["planning", "executing", "on_hold"])),
    )
    people = [
        add(
            "stakeholder",
            initiative_id=ini.id,
            name=draw(text),
            headcount=draw(st.integers(1, 100_000)),
            power=draw(level),
            interest=draw(level),
            side=draw(st.sampled_from(["business", "it"])),
            engagement=draw(st.sampled_from(["unaware", "resistant", "leading"])),
            adkar_desire=draw(level),
            involved_on=draw(maybe_day),
            notes=draw(maybe_text),
            function=draw(maybe_text),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    pick = st.lists(st.sampled_from([p.id for p in people]), unique=True, max_size=3)
    for snap_day in draw(st.lists(days, unique=True, max_size=2)):
        add("snapshot", stakeholder_id=people[0].id, taken_on=snap_day, power=draw(level))
    for _ in range(draw(st.integers(0, 2))):
        objective = add("objective", initiative_id=ini.id, name=draw(text), due=draw(maybe_day))
        low, high = sorted([draw(amount), draw(amount)])
        kpi = add(
            "kpi",
            objective_id=objective.id,
            name=draw(text),
            baseline=low,
            target=high,
            unit=draw(maybe_text),
        )
        for day in draw(st.lists(days, unique=True, max_size=2)):
            add("measurement", kpi_id=kpi.id, measured_on=day, value=draw(amount))
    for _ in range(draw(st.integers(0, 2))):
        add(
            "communication",
            initiative_id=ini.id,
            name=draw(text),
            message=draw(maybe_text),
            covers_benefits=draw(st.booleans()),
            audience_ids=tuple(draw(pick)),
            channel=draw(st.sampled_from(["email", "town_hall", "chat"])),
            scheduled_on=draw(maybe_day),
        )
    if draw(st.booleans()):
        course = add(
            "course",
            initiative_id=ini.id,
            name=draw(text),
            audience_ids=tuple(draw(pick)),
            duration_hours=draw(st.none() | st.sampled_from([0.25, 1.5, 3.0])),
        )
        session = add("session", course_id=course.id, name=draw(text), held_on=draw(days))
        for person in draw(pick):
            add(
                "attendance",
                session_id=session.id,
                stakeholder_id=person,
                count=draw(st.integers(0, 50)),
                status="no_show",
            )
    if draw(st.booleans()):
        phase = add(
            "phase",
            initiative_id=ini.id,
            name=draw(text),
            kind="pilot",
            scope_ids=tuple(draw(pick)),
            starts_on=draw(maybe_day),
        )
        add(
            "gate_criterion",
            phase_id=phase.id,
            name=draw(text),
            kind="manual",
            met=draw(st.booleans()),
        )
    if draw(st.booleans()):
        option = add(
            "option",
            initiative_id=ini.id,
            name=draw(text),
            chosen=True,
            annual_cost=draw(st.none() | st.floats(0, 1e7)),
        )
        criterion = add(
            "criterion", initiative_id=ini.id, name=draw(text), weight=draw(st.floats(0, 100))
        )
        add(
            "score",
            option_id=option.id,
            criterion_id=criterion.id,
            score=draw(st.floats(0, 10)),
            note=draw(maybe_text),
        )
    for _ in range(draw(st.integers(0, 2))):
        add(
            "risk",
            initiative_id=ini.id,
            name=draw(text),
            likelihood=draw(level),
            stakeholder_ids=tuple(draw(pick)),
            mitigation=draw(maybe_text),
        )
    return records


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=plans())
def test_export_import_export_gives_the_same_data(records):
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source_db = open_database(work / "source.db")
        empty_db = open_database(work / "empty.db")
        try:
            source, empty = PlanService(source_db), PlanService(empty_db)
            source.execute("seed", [c for r in records for c in store.changes_for_create(r)])
            first = export(source, work / "first.xlsx")
            result = preview_import(empty, first)
            assert result.errors == [], [str(p) for p in result.errors]
            assert result.totals()[Status.NEW] == len(records)
            apply_import(empty, result)
            second = export(empty, work / "second.xlsx")
            assert data_of(second) == data_of(first)
            ini = records[0].id
            assert _prints(empty.plan(ini)) == _prints(source.plan(ini))
            for service in (source, empty):
                again = preview_import(service, first)
                assert again.errors == [] and not again.has_changes, [
                    (r.sheet, r.status, r.changes)
                    for r in again.rows(Status.NEW, Status.CHANGED, Status.CONFLICT)
                ]
        finally:
            source_db.close()
            empty_db.close()


def _prints(plan):
    """Every record's values as compared by the importer (floats to Excel's 15 digits)."""
    return {r.id: fingerprint(r) for r in plan.all_records()}


def test_demo_plan_round_trips_through_the_command_line(demo, tmp_path, db_target):
    from tests.conftest import run_cli

    records = len(demo.plan(demo.initiatives()[0].id).all_records())
    demo.db.close()
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    other = tmp_path / "other.db"
    assert run_cli("export", "--db", str(db_target), "--no-charts", str(first)).returncode == 0
    imported = run_cli("import", "--db", str(other), str(first))
    assert imported.returncode == 0, imported.stderr
    assert f"Imported: {records} new, 0 changed, 0 deleted" in imported.stdout
    assert run_cli("export", "--db", str(other), "--no-charts", str(second)).returncode == 0
    assert data_of(first) == data_of(second)
    back = run_cli("import", "--db", str(db_target), str(second), "--prune")
    assert back.returncode == 0 and "Nothing to change" in back.stdout
