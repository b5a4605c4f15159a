"""Reading the plans of many initiatives together (`PlanService.plans`): one query per kind
for all of them, and each plan exactly what `PlanService.plan` reads on its own."""

from __future__ import annotations

import pytest
from conftest import DEMO_TODAY

from planner.domain.errors import NotFoundError
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from tests.factories import full_plan

pytestmark = pytest.mark.both_engines


def test_the_plans_read_together_are_the_plans_read_one_by_one(service: PlanService):
    create_demo(service, today=DEMO_TODAY, portfolio=True)
    full_plan(service)  # every kind of record, links and children of children included
    ids = [i.id for i in service.initiatives_in_order()]
    assert len(ids) >= 4
    together = service.plans(ids)
    assert together == [service.plan(i) for i in ids]
    # Each record is in the plan of the initiative it is under, and in no other.
    for plan in together:
        assert all(s.initiative_id == plan.initiative.id for s in plan.stakeholders)
        for course in plan.courses:
            assert course.initiative_id == plan.initiative.id
    sessions = [s.id for plan in together for s in plan.sessions]
    assert len(sessions) == len(set(sessions)) > 0
    # The file's own register is the same in every plan.
    assert len({plan.units for plan in together}) == 1 and together[0].units


def test_a_subset_in_any_order_and_an_unknown_id(service: PlanService):
    create_demo(service, today=DEMO_TODAY, portfolio=True)
    ids = [i.id for i in service.initiatives_in_order()]
    chosen = [ids[2], ids[0]]
    assert [p.initiative.id for p in service.plans(chosen)] == chosen
    assert service.plans(chosen) == [service.plan(i) for i in chosen]
    assert service.plans([]) == []
    with pytest.raises(NotFoundError, match="no initiative with id"):
        service.plans([ids[0], "0" * 32])
