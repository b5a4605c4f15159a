"""`planner calendar`: sessions and communications as events a calendar program accepts and updates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from planner.domain.enums import CommunicationStatus, Recurrence
from planner.services.invitations import UID_DOMAIN, write_calendar
from planner.services.planning import PlanService
from tests.conftest import run_cli


def _events(path: Path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _uid(record_id: str) -> str:
    return f"{record_id}@{UID_DOMAIN}"


def test_one_event_per_session_and_dated_communication(demo: PlanService, tmp_path):
    initiative = demo.initiatives()[0]
    plan = demo.plan(initiative.id)
    assert demo.db.path is not None
    out = tmp_path / "plan.ics"
    done = run_cli("calendar", "--db", str(demo.db.path), str(out))
    assert done.returncode == 0, done.stderr
    events = _events(out)
    dated = [c for c in plan.communications if c.scheduled_on]
    assert len(events) == len(plan.sessions) + len(dated)
    for session in plan.sessions:
        event = events[_uid(session.id)]
        assert event.decoded("DTSTART") == session.held_on
        assert event.decoded("DTEND") == session.held_on + timedelta(days=1)
        description = str(event["DESCRIPTION"])
        assert f"Capacity: {session.capacity} seats" in description
        if session.trainer:
            assert session.trainer in description
        if session.location:
            assert str(event["LOCATION"]) == session.location
    for message in dated:
        event = events[_uid(message.id)]
        assert event.decoded("DTSTART") == message.scheduled_on
        expected = {
            CommunicationStatus.CANCELLED: "CANCELLED",
            CommunicationStatus.DRAFT: "TENTATIVE",
        }.get(message.status, "CONFIRMED")
        assert str(event["STATUS"]) == expected
        rule = event.get("RRULE")
        if message.recurrence is Recurrence.ONCE:
            assert rule is None
        else:
            assert rule is not None
            freq = {"weekly": "WEEKLY", "fortnightly": "WEEKLY", "monthly": "MONTHLY"}
            assert rule["FREQ"] == [freq[message.recurrence.value]]
            if message.recurrence is Recurrence.FORTNIGHTLY:
                assert rule["INTERVAL"] == [2]
            if message.repeat_until:
                assert rule["UNTIL"][0] == message.repeat_until
    assert any(m.recurrence is not Recurrence.ONCE for m in dated), "the demo has recurring ones"


def test_recurrence_expands_to_the_right_dates(service: PlanService, tmp_path):
    initiative = service.create("initiative", {"name": "Expense tool"})
    start = date(2027, 1, 4)
    message = service.create(
        "communication",
        {
            "initiative_id": initiative.id,
            "name": "Fortnightly update",
            "scheduled_on": start,
            "recurrence": "fortnightly",
            "repeat_until": date(2027, 2, 28),
            "status": "planned",
        },
    )
    out = write_calendar(service.plan(initiative.id), tmp_path / "x.ics").path
    from dateutil.rrule import rrulestr

    event = _events(out)[_uid(message.id)]
    assert event.decoded("DTSTART") == start
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    assert [d.date() for d in rule] == [
        date(2027, 1, 4),
        date(2027, 1, 18),
        date(2027, 2, 1),
        date(2027, 2, 15),
    ]


def test_an_updated_export_keeps_every_uid_and_raises_the_sequence(demo: PlanService, tmp_path):
    initiative = demo.initiatives()[0]
    plan = demo.plan(initiative.id)
    first = _events(write_calendar(plan, tmp_path / "a.ics").path)
    session = plan.sessions[0]
    demo.update("session", session.id, {"location": "Room 4.12, Leeds"})
    course = plan.courses[0]
    added = demo.create(
        "session",
        {"course_id": course.id, "name": "Extra session", "held_on": date(2027, 3, 1)},
    )
    second = _events(write_calendar(demo.plan(initiative.id), tmp_path / "b.ics").path)
    assert set(first) <= set(second)
    assert set(second) - set(first) == {_uid(added.id)}
    before, after = first[_uid(session.id)], second[_uid(session.id)]
    assert str(after["LOCATION"]) == "Room 4.12, Leeds"
    assert int(after["SEQUENCE"]) >= int(before["SEQUENCE"])
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    unchanged = plan.sessions[1]
    assert first[_uid(unchanged.id)].to_ical() == second[_uid(unchanged.id)].to_ical()


def test_audience_filter_keeps_only_that_groups_events(demo: PlanService, tmp_path):
    initiative = demo.initiatives()[0]
    plan = demo.plan(initiative.id)
    group = next(s for s in plan.stakeholders if s.name == "Sales reps North")
    out = tmp_path / "north.ics"
    assert demo.db.path is not None
    done = run_cli(
        "calendar", "--db", str(demo.db.path), "--audience", "sales reps north", str(out)
    )
    assert done.returncode == 0, done.stderr
    events = _events(out)
    assert events
    for message in plan.communications:
        if message.scheduled_on:
            assert (_uid(message.id) in events) == (group.id in message.audience_ids)
    courses = {c.id: c for c in plan.courses}
    for session in plan.sessions:
        booked = any(
            a.stakeholder_id == group.id for a in plan.attendance_by_session.get(session.id, ())
        )
        expected = booked or group.id in courses[session.course_id].audience_ids
        assert (_uid(session.id) in events) == expected
    assert "Sales reps North" in str(Calendar.from_ical(out.read_bytes())["X-WR-CALNAME"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--audience", "Nobody here", "x.ics"], "no stakeholder named 'Nobody here'"),
        (["x.txt"], "name it .ics"),
        (["nowhere/x.ics"], "does not exist"),
    ],
)
def test_mistakes_give_one_line(demo: PlanService, tmp_path, args, message):
    assert demo.db.path is not None
    *options, target = args
    done = run_cli("calendar", "--db", str(demo.db.path), *options, str(tmp_path / target))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert not (tmp_path / target).exists()


def test_the_window_exports_a_calendar(qtbot, demo: PlanService, tmp_path):
    from tests.ui_support import make_window

    window = make_window(qtbot, demo, tmp_path)
    window.dialogs.paths.append(tmp_path / "team")
    window.pack.calendar_action.trigger()
    qtbot.waitUntil(lambda: not window.ctx.tasks.running, timeout=60000)
    written = tmp_path / "team.ics"
    plan = demo.plan(demo.initiatives()[0].id)
    events = _events(written)
    assert len(events) == len(plan.sessions) + sum(1 for c in plan.communications if c.scheduled_on)
    assert window.message_label.text().startswith(f"Wrote {len(plan.sessions)} training sessions")
