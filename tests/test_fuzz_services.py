"""Random and adversarial values through every planning service entry point.

Whatever goes in, the service either does the edit (and undo puts the file
back exactly as it was) or raises a one-line PlannerError and writes nothing:
never another exception, never half an edit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from planner.domain import RECORD_TYPES
from planner.domain.errors import PlannerError
from planner.domain.fields import FieldKind
from planner.persistence.tables import PLAN_TABLES
from planner.services.planning import PlanService
from tests.factories import full_plan

pytestmark = pytest.mark.both_engines

NASTY_TEXT = [
    "",
    " ",
    "\t",
    "\x00",
    "a\x07b",
    "\x1b[31mred",
    "\u202eevil",
    "\ufeffbom",
    "💥" * 300,
    "x" * 100_000,
    "line\nbreak",
    "\r\n",
    "Robert'); DROP TABLE stakeholder;--",
    "%s%n",
    "\ud800",
    "a\udfffb",
    "null",
    "None",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "-0",
    "1,5",
    "1.000.000",
    "١٢٣",
    "Ⅻ",
    "9999-99-99",
    "0000-01-01",
    "1899-12-31",
    "2200-01-01",
    "2026-02-30",
    "2026-11-25T25:61:00",
    "00000000-0000-4000-8000-000000000000",
    "not-a-uuid",
    "yes",
    "no",
    "maybe",
    "supportive",
    "SUPPORTIVE",
    ";;;",
    "a;b",
]

ADVERSARIAL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -1e-320, 2.0**63]),
    st.text(max_size=300),
    st.sampled_from(NASTY_TEXT),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(),
    st.binary(max_size=20),
    st.lists(st.one_of(st.text(max_size=40), st.integers(), st.none()), max_size=4),
    st.tuples(st.sampled_from(NASTY_TEXT)),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=3),
)
KINDS = sorted(RECORD_TYPES)
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def dump(service: PlanService) -> dict[str, list[tuple[Any, ...]]]:
    with service.db.reading() as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
            for table in PLAN_TABLES  # the trail (record_change) only ever grows
        }


@pytest.fixture
def planned(service: PlanService) -> tuple[PlanService, dict[str, Any]]:
    made = full_plan(service)
    service.history.clear()
    return service, made


def _value_for(data: st.DataObject, kind: str, name: str, made: dict[str, Any]) -> Any:
    spec = RECORD_TYPES[kind].SPECS.get(name)
    if spec is not None and spec.ref and data.draw(st.booleans()):
        target = made[spec.ref].id
        return (target,) if spec.kind is FieldKind.REFS else target
    return data.draw(ADVERSARIAL)


def _values(data: st.DataObject, kind: str, made: dict[str, Any]) -> dict[Any, Any]:
    names = [*RECORD_TYPES[kind].SPECS, "bogus", "", "ID", "__class__"]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=8))
    return {name: _value_for(data, kind, name, made) for name in chosen}


def _outcome(service: PlanService, before: dict[str, Any], action: Any) -> Any:
    """Run `action`; on a PlannerError check it is one line and nothing was written."""
    try:
        return action()
    except PlannerError as exc:
        assert str(exc) and "\n" not in str(exc), repr(str(exc))
        assert dump(service) == before, "a refused edit changed the file"
        return None


def without_versions(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The dump less the row versions, which only ever grow (an undo writes the next one)."""
    out = {}
    for table in PLAN_TABLES:
        at = list(table.c.keys()).index("version") if "version" in table.c else None
        found = rows[table.name]
        if at is not None:
            found = sorted((row[:at] + row[at + 1 :] for row in found), key=repr)
        out[table.name] = found
    return out


def _undo_restores(service: PlanService, before: dict[str, Any]) -> None:
    if service.history.can_undo:
        service.history.undo()
        restored = without_versions(dump(service))
        assert restored == without_versions(before), "undo did not put the file back as it was"
        service.history.clear()


@FUZZ
@given(data=st.data())
def test_create_survives_any_values(planned, data):
    service, made = planned
    kind = data.draw(st.sampled_from(KINDS))
    values = _values(data, kind, made)
    before = dump(service)
    record = _outcome(service, before, lambda: service.create(kind, values))
    if record is not None:
        assert service.get(kind, record.id) == record
        _undo_restores(service, before)


@FUZZ
@given(data=st.data())
def test_update_survives_any_values(planned, data):
    service, made = planned
    kind = data.draw(st.sampled_from(KINDS))
    changes = _values(data, kind, made)
    before = dump(service)
    record = _outcome(service, before, lambda: service.update(kind, made[kind].id, changes))
    if record is not None:
        assert service.get(kind, record.id) == record
        _undo_restores(service, before)


ANY_KIND = st.one_of(st.sampled_from(KINDS), st.sampled_from(NASTY_TEXT), ADVERSARIAL)


@FUZZ
@given(data=st.data())
def test_every_other_entry_point_survives_any_arguments(planned, data):
    service, made = planned
    some_id = st.one_of(st.sampled_from([r.id for r in made.values()]), ADVERSARIAL)
    ids = st.one_of(st.lists(some_id, max_size=3), ADVERSARIAL)
    initiative = made["initiative"].id
    some_initiative = st.one_of(st.just(initiative), some_id)
    signatures: dict[str, tuple[Any, ...]] = {
        "get": (ANY_KIND, some_id),
        "list": (ANY_KIND, some_id),
        "delete": (ANY_KIND, ids),
        "dependents": (ANY_KIND, ids),
        "duplicate": (ANY_KIND, ids),
        "find_initiative": (ADVERSARIAL,),
        "plan": (some_id,),
        "duplicate_initiative": (some_initiative, ADVERSARIAL),
        "take_snapshot": (
            some_initiative,
            ADVERSARIAL,
            st.one_of(st.none(), st.dates(), ADVERSARIAL),
        ),
    }
    name = data.draw(st.sampled_from(sorted(signatures)))
    args = [data.draw(strategy) for strategy in signatures[name]]
    before = dump(service)
    _outcome(service, before, lambda: getattr(service, name)(*args))
    _undo_restores(service, before)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(when=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
@example(when=datetime(1, 1, 2))
@example(when=datetime(9999, 12, 30))
@example(when=datetime(1900, 2, 1))
def test_demo_at_any_date_is_whole_or_refused(service, when):
    from planner.services.demo import create_demo

    before = dump(service)
    name = f"Demo {when.isoformat()}"
    counts = _outcome(service, before, lambda: create_demo(service, name=name, today=when.date()))
    if counts is not None:
        plan = service.plan(service.find_initiative(name).id)
        assert len(plan.stakeholders) == counts["stakeholders"]
        _undo_restores(service, before)
