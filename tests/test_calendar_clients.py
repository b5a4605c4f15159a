"""The calendar file as real calendar programs read it: Thunderbird's ical.js and Evolution's libical.

Each reader runs in its own process on the file the planner wrote, and the test
compares what the program made of it with the plan: one event per training
session and per dated communication, under the record's UID, on the planned day
as an all-day (floating date) event, and every occurrence of a repeating one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from planner.domain.plan import Plan
from planner.persistence import store
from planner.services.invitations import UID_DOMAIN, write_calendar
from planner.services.planning import PlanService
from tests.calendar_support import read_with_icaljs, read_with_libical


def _expected(plan: Plan) -> dict[str, list[date]]:
    """UID -> the days the event happens, as the plan reckons them (Communication.occurrences)."""
    days = {f"{s.id}@{UID_DOMAIN}": [s.held_on] for s in plan.sessions}
    for message in plan.communications:
        if message.scheduled_on is not None:
            days[f"{message.id}@{UID_DOMAIN}"] = message.occurrences()
    return days


def _day(text: str) -> date:
    """A DATE as either program prints it (2026-10-05 or 20261005)."""
    return date.fromisoformat(text if "-" in text else f"{text[:4]}-{text[4:6]}-{text[6:]}")


def _check_events(events: list[dict[str, Any]], plan: Plan) -> None:
    expected = _expected(plan)
    assert len(events) == len(expected)
    by_uid = {e["uid"]: e for e in events}
    assert set(by_uid) == set(expected)
    for uid, days in expected.items():
        event = by_uid[uid]
        assert event["start"]["isDate"] and event["start"]["zone"] == "floating", event
        assert _day(event["start"]["value"]) == days[0]
        assert event["end"]["isDate"] and event["end"]["zone"] == "floating", event
        assert _day(event["end"]["value"]) == days[0] + timedelta(days=1)
        assert [_day(d) for d in event["occurrences"]] == days, event["summary"]
    assert any(len(days) > 1 for days in expected.values()), "the demo has repeating events"


@pytest.fixture
def demo_calendar(demo: PlanService, tmp_path: Path) -> tuple[Plan, Path]:
    plan = demo.plan(demo.initiatives()[0].id)
    return plan, write_calendar(plan, tmp_path / "demo.ics").path


def test_thunderbirds_parser_reads_every_event_on_its_days(demo_calendar):
    plan, path = demo_calendar
    calendar = read_with_icaljs(path)
    assert calendar["name"] == "vcalendar"
    assert calendar["version"] == "2.0"
    assert calendar["prodid"] == "-//Change Readiness Planner//Calendar export//EN"
    assert calendar["method"] is None
    _check_events(calendar["events"], plan)


def test_evolutions_parser_finds_no_error_and_the_same_events(demo_calendar):
    plan, path = demo_calendar
    calendar = read_with_libical(path)
    assert calendar["kind"] == "VCALENDAR"
    assert calendar["parse_errors"] == []
    assert calendar["restriction_errors"] == []
    assert calendar["restrictions_met"]
    _check_events(calendar["events"], plan)


def test_libical_reports_what_is_wrong_in_a_broken_file(tmp_path):
    """The check above can fail: libical flags a bad date and a PUBLISH without ORGANIZER."""
    broken = tmp_path / "broken.ics"
    broken.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nMETHOD:PUBLISH\r\n"
        b"BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART;VALUE=DATE:2026130\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = read_with_libical(broken)
    assert calendar["parse_errors"]
    assert any("ORGANIZER" in e for e in calendar["restriction_errors"])


def test_a_later_export_updates_the_events_thunderbird_holds(
    demo: PlanService, tmp_path, monkeypatch
):
    initiative = demo.initiatives()[0]
    plan = demo.plan(initiative.id)
    before = {
        e["uid"]: e
        for e in read_with_icaljs(write_calendar(plan, tmp_path / "a.ics").path)["events"]
    }
    # Edits half a minute after the demo was made: saves are stamped to the second.
    later = store.now() + timedelta(seconds=30)
    monkeypatch.setattr(store, "now", lambda: later)
    session = plan.sessions[0]
    demo.update("session", session.id, {"location": "Room 4.12, Leeds"})
    message = next(c for c in plan.communications if c.scheduled_on is not None)
    assert message.scheduled_on is not None
    demo.update(
        "communication", message.id, {"scheduled_on": message.scheduled_on + timedelta(days=1)}
    )
    after = {
        e["uid"]: e
        for e in read_with_icaljs(
            write_calendar(demo.plan(initiative.id), tmp_path / "b.ics").path
        )["events"]
    }
    assert set(after) == set(before)
    edited = {f"{session.id}@{UID_DOMAIN}", f"{message.id}@{UID_DOMAIN}"}
    for uid, old in before.items():
        new = after[uid]
        if uid in edited:
            assert new["sequence"] > old["sequence"], new["summary"]
            assert _stamp(new["dtstamp"]) > _stamp(old["dtstamp"])
        else:
            assert (new["sequence"], new["dtstamp"]) == (old["sequence"], old["dtstamp"])
    moved = after[f"{message.id}@{UID_DOMAIN}"]
    assert _day(moved["start"]["value"]) == message.scheduled_on + timedelta(days=1)


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


READERS = pytest.mark.parametrize(
    "reader", [read_with_icaljs, read_with_libical], ids=["ical.js", "libical"]
)


def _repeating(service: PlanService, *rules) -> tuple[Plan, dict[str, list[date]]]:
    """A plan of repeating communications (name, first day, recurrence, until), and their days."""
    initiative = service.create("initiative", {"name": "Expense tool"})
    for name, start, recurrence, until in rules:
        service.create(
            "communication",
            {
                "initiative_id": initiative.id,
                "name": name,
                "scheduled_on": start,
                "recurrence": recurrence,
                "repeat_until": until,
                "status": "planned",
            },
        )
    plan = service.plan(initiative.id)
    return plan, {m.name: m.occurrences() for m in plan.communications}


def _read_days(reader, plan: Plan, tmp_path: Path) -> dict[str, list[date]]:
    """Event summary less its channel -> the days the program expanded."""
    calendar = reader(write_calendar(plan, tmp_path / "rules.ics").path)
    return {
        e["summary"].split(": ", 1)[1]: [_day(d) for d in e["occurrences"]]
        for e in calendar["events"]
    }


@READERS
def test_fortnightly_and_monthly_rules_expand_as_the_plan_means(
    service: PlanService, tmp_path, reader
):
    plan, planned = _repeating(
        service,
        ("Fortnightly update", date(2027, 1, 4), "fortnightly", date(2027, 3, 1)),
        ("Monthly note", date(2027, 1, 28), "monthly", date(2027, 7, 31)),
    )
    assert planned["Fortnightly update"] == [
        date(2027, 1, 4),
        date(2027, 1, 18),
        date(2027, 2, 1),
        date(2027, 2, 15),
        date(2027, 3, 1),
    ]
    assert len(planned["Monthly note"]) == 7
    assert _read_days(reader, plan, tmp_path) == planned


@READERS
@pytest.mark.parametrize("start", [date(2027, 1, 31), date(2027, 1, 30), date(2028, 1, 29)])
def test_a_monthly_rule_from_the_29th_on_expands_as_the_plan_means(
    service: PlanService, tmp_path, reader, start
):
    """That day each month, or the month's last day when the month is shorter."""
    plan, planned = _repeating(
        service, ("Month-end note", start, "monthly", start.replace(month=7))
    )
    days = planned["Month-end note"]
    assert len(days) == 7
    assert days[1] == date(start.year, 2, 29 if start.year % 4 == 0 else 28)
    assert days[2] == start.replace(month=3)
    assert _read_days(reader, plan, tmp_path) == planned
