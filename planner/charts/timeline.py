"""When things happen in a plan: the span worth drawing and every dated event.

Shared by the roadmap and the communication heatmap so both agree on which
weeks a plan covers and on when each message goes out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from planner.domain.enums import CommunicationStatus
from planner.domain.plan import Plan
from planner.domain.records import Communication


def plan_dates(plan: Plan) -> Iterator[date]:
    """Every date that anchors the plan in time (not the recurrences of messages)."""
    initiative = plan.initiative
    for value in (initiative.start, initiative.go_live):
        if value is not None:
            yield value
    for phase in plan.phases:
        for value in (phase.starts_on, phase.ends_on):
            if value is not None:
                yield value
    for session in plan.sessions:
        yield session.held_on
    for communication in plan.communications:
        for value in (communication.scheduled_on, communication.repeat_until):
            if value is not None:
                yield value


def plan_span(plan: Plan) -> tuple[date, date] | None:
    dates = list(plan_dates(plan))
    if not dates:
        return None
    start, end = min(dates), max(dates)
    if end - start < timedelta(days=28):
        end = start + timedelta(days=28)
    return start, end


def live_communications(plan: Plan) -> list[Communication]:
    """Messages that go out or went out: cancelled ones never reach anyone."""
    return [
        c
        for c in plan.communications
        if c.status is not CommunicationStatus.CANCELLED and c.scheduled_on is not None
    ]


def occurrences(communication: Communication, horizon: date) -> list[date]:
    return [d for d in communication.occurrences(horizon) if d <= horizon]
