from datetime import date

import pytest
from sqlalchemy import text

from planner.domain import RECORD_TYPES, DomainError, NotFoundError
from planner.persistence.tables import LINKS, TABLES
from planner.services.planning import PlanService
from tests.factories import full_plan

pytestmark = pytest.mark.both_engines


def test_every_record_kind_round_trips(service: PlanService):
    made = full_plan(service)
    assert set(made) == set(RECORD_TYPES), "the factory must cover every record kind"
    for kind, record in made.items():
        again = service.get(kind, record.id)
        assert again == record, kind
        assert again.created_at is not None and again.updated_at is not None


def test_round_trip_survives_reopening(db_target, service: PlanService):
    made = full_plan(service)
    service.db.close()
    from planner.persistence import open_database

    reopened = PlanService(open_database(db_target))
    try:
        for kind, record in made.items():
            assert reopened.get(kind, record.id) == record
    finally:
        reopened.db.close()


def test_whole_plan_and_lists_read_back_typed_records(service: PlanService):
    import gc

    from planner.domain.fields import FieldKind

    made = full_plan(service)
    plan = service.plan(made["initiative"].id)
    assert gc.isenabled(), "reading in bulk must leave the garbage collector as it was"
    for kind, record in made.items():
        assert record in plan.records(kind), kind
        listed = service.list(kind, record.parent_id())
        assert record in listed, kind
        read = next(r for r in plan.records(kind) if r.id == record.id)
        for name, spec in read.SPECS.items():
            value = getattr(read, name)
            if spec.kind is FieldKind.CHOICE and value is not None:
                assert type(value) is spec.choices, (kind, name)
            if spec.kind is FieldKind.BOOL:
                assert type(value) is bool, (kind, name)


def test_table_columns_match_domain_fields():
    for kind, cls in RECORD_TYPES.items():
        columns = {c.name for c in TABLES[kind].columns}
        fields = set(cls.SPECS) - set(LINKS.get(kind, {}))
        assert columns == fields, kind


def test_update_changes_only_what_was_asked(service: PlanService):
    made = full_plan(service)
    s = made["stakeholder"]
    updated = service.update("stakeholder", s.id, {"power": "5", "notes": "Now on board"})
    assert (updated.power, updated.notes) == (5, "Now on board")
    assert updated.interest == s.interest and updated.created_at == s.created_at
    with service.db.reading() as session:
        assert (
            session.execute(text("select power from stakeholder where id=:i"), {"i": s.id}).scalar()
            == 5
        )


def test_invalid_update_writes_nothing(service: PlanService):
    made = full_plan(service)
    s = made["stakeholder"]
    with pytest.raises(DomainError, match="Stakeholder power: 9 is outside 1–5"):
        service.update("stakeholder", s.id, {"power": 9})
    assert service.get("stakeholder", s.id) == s
    assert service.history.undo_label == "Add impact assessment ‘High impact’"


def test_references_must_exist_and_stay_in_the_initiative(service: PlanService):
    made = full_plan(service)
    other = full_plan(service, name="ERP")
    with pytest.raises(DomainError, match="another initiative"):
        service.update(
            "communication",
            made["communication"].id,
            {"audience_ids": (made["stakeholder"].id, other["stakeholder"].id)},
        )
    with pytest.raises(DomainError, match="no stakeholder with id"):
        service.create(
            "attendance",
            {
                "session_id": made["session"].id,
                "stakeholder_id": "00000000-0000-4000-8000-000000000000",
            },
        )


def test_delete_cascades_and_undo_restores_everything(service: PlanService):
    made = full_plan(service)
    s = made["stakeholder"]
    assert service.dependents("stakeholder", [s.id]) == {"snapshot": 1, "attendance": 1}
    before = service.plan(made["initiative"].id)
    service.delete("stakeholder", [s.id])
    after = service.plan(made["initiative"].id)
    assert s.id not in {x.id for x in after.stakeholders}
    assert after.attendance == () and after.snapshots == ()
    assert s.id not in service.get("communication", made["communication"].id).audience_ids
    service.history.undo()
    assert service.plan(made["initiative"].id) == before
    service.history.redo()
    assert service.plan(made["initiative"].id) == after


def test_deleting_an_initiative_removes_its_whole_plan_undoably(service: PlanService):
    made = full_plan(service)
    ini = made["initiative"].id
    service.delete("initiative", [ini])
    with service.db.reading() as session:
        for table in ("stakeholder", "communication_audience", "attendance", "option_score"):
            assert session.execute(text(f"select count(*) from {table}")).scalar() == 0
    with pytest.raises(NotFoundError):
        service.get("initiative", ini)
    service.history.undo()
    assert service.plan(ini).stakeholders


def test_duplicate_initiative_as_template(service: PlanService):
    made = full_plan(service)
    copy = service.duplicate_initiative(made["initiative"].id, "CRM rollout 2")
    plan = service.plan(copy.id)
    assert len(plan.stakeholders) == 2 and plan.measurements == () and plan.attendance == ()
    stakeholder_ids = {s.id for s in plan.stakeholders}
    assert set(plan.communications[0].audience_ids) == stakeholder_ids
    assert plan.gate_criteria[0].kpi_id == plan.kpis[0].id
    assert plan.phases[0].decision.value == "pending"
    with pytest.raises(DomainError, match="already exists"):
        service.duplicate_initiative(made["initiative"].id, "crm ROLLOUT 2")


def test_snapshot_records_every_stakeholder(service: PlanService):
    made = full_plan(service)
    assert service.take_snapshot(made["initiative"].id, "Workshop", date(2027, 5, 1)) == 2
    plan = service.plan(made["initiative"].id)
    assert len(plan.snapshots) == 3
    service.history.undo()
    assert len(service.plan(made["initiative"].id).snapshots) == 1


@pytest.mark.sqlite_only("PRAGMA foreign_keys is SQLite's switch; a server always enforces them")
def test_foreign_keys_are_enforced(service: PlanService):
    with service.db.reading() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_new_file_in_a_folder_that_does_not_exist_yet_is_created(tmp_path):
    """A first start: the user data folder is made along with the database and its lock."""
    from planner.persistence.database import open_database

    path = tmp_path / "not" / "yet" / "plan.db"

    database = open_database(path)
    try:
        PlanService(database).create("initiative", {"name": "First", "status": "planning"})
    finally:
        database.close()

    reopened = open_database(path, read_only=True)
    try:
        assert [i.name for i in PlanService(reopened).initiatives()] == ["First"]
    finally:
        reopened.close()
