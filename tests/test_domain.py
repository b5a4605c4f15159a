import dataclasses
from datetime import date, datetime

import pytest

from planner.domain import (
    Communication,
    DomainError,
    GateCriterion,
    Initiative,
    Kpi,
    Measurement,
    Phase,
    Score,
    Session,
    Stakeholder,
    build,
    new_id,
)
from planner.domain.enums import AdkarStage, Engagement, Impact, Side

INI = new_id()


def error_of(factory, **values) -> DomainError:
    with pytest.raises(DomainError) as caught:
        factory(**values)
    return caught.value


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"power": 9}, "power", "9 is outside 1–5"),
        ({"interest": 0}, "interest", "0 is outside 1–5"),
        ({"power": "high"}, "power", "'high' is not a number"),
        ({"power": 2.5}, "power", "not a whole number"),
        ({"name": "  "}, "name", "name is required"),
        ({"kind": "person", "headcount": 12}, "headcount", "a person has a headcount of 1"),
        ({"headcount": 0}, "headcount", "0 is outside"),
        ({"side": "finance"}, "side", "'finance' is not one of business, it, executive, external"),
        ({"engagement": "angry"}, "engagement", "'angry' is not one of"),
        ({"adkar_knowledge": 6}, "adkar_knowledge", "6 is outside 1–5"),
        ({"involved_on": "31/02/2027"}, "involved_on", "is not a date"),
        ({"involved_on": "2027-02-31"}, "involved_on", "is not a valid date"),
        ({"notes": "bell\x07"}, "notes", "control characters"),
    ],
)
def test_stakeholder_rules_name_the_field(values, field, words):
    error = error_of(Stakeholder, initiative_id=INI, **{"name": "Sales", **values})
    assert error.field == field
    assert words in str(error)
    assert str(error).startswith("Stakeholder ")


def test_phase_that_ends_before_it_starts():
    error = error_of(
        Phase, initiative_id=INI, name="Pilot", starts_on=date(2027, 3, 1), ends_on=date(2027, 2, 1)
    )
    assert error.field == "ends_on"
    assert str(error) == "Phase end: 2027-02-01 is before the start 2027-03-01"


def test_initiative_go_live_before_start():
    error = error_of(Initiative, name="X", start="2027-05-01", go_live="2027-01-01")
    assert error.field == "go_live"


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"target": "abc"}, "target", "KPI target: 'abc' is not a number"),
        ({"baseline": float("nan")}, "baseline", "not a finite number"),
        ({"baseline": 10, "target": 5, "direction": "increase"}, "target", "below the baseline"),
        ({"baseline": 5, "target": 10, "direction": "decrease"}, "target", "above the baseline"),
        ({"direction": "sideways"}, "direction", "not one of increase, decrease"),
    ],
)
def test_kpi_rules(values, field, words):
    error = error_of(Kpi, objective_id=new_id(), name="NPS", **values)
    assert error.field == field
    assert words in str(error)


def test_other_record_rules():
    assert error_of(Measurement, kpi_id=new_id(), measured_on="2027-01-01").field == "value"
    assert (
        error_of(Session, course_id=new_id(), name="A", held_on="2027-01-01", capacity=0).field
        == "capacity"
    )
    assert error_of(Score, option_id=new_id(), criterion_id=new_id(), score=11).field == "score"
    assert (
        error_of(Communication, initiative_id=INI, name="Tips", recurrence="weekly").field
        == "scheduled_on"
    )
    assert error_of(Phase, initiative_id=INI, name="P", decision="go").field == "decided_on"
    assert (
        error_of(
            GateCriterion, phase_id=new_id(), name="KPI", kind="kpi_threshold", threshold=3
        ).field
        == "kpi_id"
    )
    assert (
        error_of(
            GateCriterion,
            phase_id=new_id(),
            name="Trained",
            kind="training_coverage",
            threshold=140,
        ).field
        == "threshold"
    )
    assert error_of(Stakeholder, initiative_id="not-an-id", name="X").field == "initiative_id"


def test_text_from_forms_and_spreadsheets_is_understood():
    s = Stakeholder(
        initiative_id=INI,
        name=" Sales reps ",
        power="4",
        interest=5.0,
        side="IT",
        engagement="Supportive",
        involved_on="2027-01-05",
    )
    assert (s.name, s.power, s.interest) == ("Sales reps", 4, 5)
    assert s.side is Side.IT and s.engagement is Engagement.SUPPORTIVE
    assert s.involved_on == date(2027, 1, 5)
    kpi = Kpi(objective_id=new_id(), name="Rate", baseline="12,5", target="20")
    assert kpi.baseline == 12.5


def test_adkar_barrier_is_first_stage_at_three_or_below():
    s = Stakeholder(
        initiative_id=INI,
        name="Agents",
        adkar_awareness=5,
        adkar_desire=4,
        adkar_knowledge=2,
        adkar_ability=1,
        adkar_reinforcement=1,
    )
    assert s.adkar_barrier is AdkarStage.KNOWLEDGE
    ready = Stakeholder(
        initiative_id=INI,
        name="Leads",
        adkar_awareness=5,
        adkar_desire=5,
        adkar_knowledge=4,
        adkar_ability=4,
        adkar_reinforcement=4,
    )
    assert ready.adkar_barrier is None


def test_build_rejects_unknown_fields_and_kinds():
    with pytest.raises(DomainError, match="has no field 'colour'"):
        build("stakeholder", {"initiative_id": INI, "name": "X", "colour": "red"})
    with pytest.raises(DomainError, match="unknown record kind"):
        build("spaceship", {})


def test_recurring_communication_occurrences():
    comm = Communication(
        initiative_id=INI,
        name="Tips",
        scheduled_on="2027-01-04",
        recurrence="weekly",
        repeat_until="2027-01-25",
    )
    assert [d.day for d in comm.occurrences()] == [4, 11, 18, 25]
    monthly = Communication(
        initiative_id=INI,
        name="News",
        scheduled_on="2027-01-31",
        recurrence="monthly",
        repeat_until="2027-04-30",
    )
    assert [d.month for d in monthly.occurrences()] == [1, 2, 3, 4]


def test_trusted_records_take_defaults_for_fields_left_out():
    """The record form builds its defaults from every dataclass entry, class constants too."""
    values = {
        name: (f.default if f.default is not dataclasses.MISSING else None)
        for name, f in Stakeholder.__dataclass_fields__.items()
    }
    defaults = Stakeholder.trusted(**values)
    assert (defaults.KIND, defaults.power, defaults.side) == ("stakeholder", 3, Side.BUSINESS)
    partial = Stakeholder.trusted(name="Reps", adkar_awareness=5, adkar_desire=2)
    assert (partial.name, partial.headcount, partial.impact) == ("Reps", 1, Impact.MEDIUM)
    assert partial.adkar_barrier is AdkarStage.DESIRE
    assert not hasattr(partial, "__dict__")


def test_row_reader_makes_the_record_the_constructor_makes():
    from planner.persistence.rows import make_reader

    record = Communication(
        initiative_id=INI,
        name="Tips",
        scheduled_on="2027-01-04",
        recurrence="weekly",
        audience_ids=(new_id(), new_id()),
        created_at=datetime(2027, 1, 1, 9, 30),
        updated_at=datetime(2027, 1, 2, 9, 30),
    )
    stored = {**record.values(), "recurrence": "weekly", "channel": "email", "status": "planned"}
    del stored["audience_ids"]
    keys = tuple(sorted(stored, reverse=True))
    read, at = make_reader("communication", keys)
    built = read([stored[key] for key in keys], {"audience_ids": record.audience_ids})
    assert keys[at] == "id"
    assert built == record and built.values() == record.values()
    assert built.status is record.status and built.covers_goals is False
