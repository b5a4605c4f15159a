"""Undo commands speak the domain's words: records of a kind, by id, and their fields."""

import pytest

from planner.domain.changes import Action, RecordChange
from planner.persistence.tables import TABLES
from tests.factories import full_plan

pytestmark = pytest.mark.both_engines

TABLE_NAMES = {table.name for table in TABLES.values()} - set(TABLES)


def _heard(service):
    heard = []
    service.history.subscribe(lambda command, _direction: heard.append(command))
    return heard


def test_an_edit_names_the_kind_and_the_fields_not_the_table(service):
    made = full_plan(service)
    session = made["session"]
    heard = _heard(service)
    service.update("session", session.id, {"name": "Session B", "capacity": 20})
    [command] = heard
    assert command.records == (
        RecordChange("session", session.id, Action.UPDATE, frozenset({"name", "capacity"})),
    )
    assert command.kinds == {"session"}
    assert {"training_session", "tech_option", "option_score"} == TABLE_NAMES
    assert not command.kinds & TABLE_NAMES


def test_a_list_field_change_is_a_change_of_its_owner(service):
    made = full_plan(service)
    course = made["course"]
    heard = _heard(service)
    service.update("course", course.id, {"audience_ids": ()})
    [command] = heard
    assert command.records == (
        RecordChange("course", course.id, Action.UPDATE, frozenset({"audience_ids"})),
    )
    assert service.get("course", course.id).audience_ids == ()


def test_a_delete_names_every_record_it_removes_and_undo_follows_it(service):
    made = full_plan(service)
    option = made["option"]
    command = service.delete("option", [option.id])
    assert {(c.kind, c.id, c.action) for c in command.records} == {
        ("option", option.id, Action.DELETE),
        ("score", made["score"].id, Action.DELETE),
    }
    assert command.touching("score")[0].fields >= {"score", "option_id", "criterion_id"}
    service.history.undo()
    assert service.get("score", made["score"].id).score == 8


def test_a_delete_counts_what_it_also_removes_by_kind(service):
    made = full_plan(service)
    counts = service.dependents("stakeholder", [made["stakeholder"].id])
    assert counts == {"snapshot": 1, "attendance": 1}
