"""The calendar file against what Outlook documents it needs ([MS-OXCICAL]) and RFC 5545's syntax.

Outlook cannot run here, so these are the requirements, one test each, checked
on the raw bytes the planner wrote: CRLF line ends, lines folded at 75 octets
without splitting a character, VERSION and PRODID, METHOD absent or PUBLISH
(MS-OXCICAL 2.1.3.1.1.1: "for exports of calendars, the METHOD property MUST be
left unset or set to 'PUBLISH'"), a VTIMEZONE for every TZID used, and per event
one UID, one DTSTAMP in UTC, a floating all-day DTSTART/DTEND pair (2.1.3.1.1.20.10:
imported as an all-day appointment) and a recurrence that fits Outlook's templates
(2.1.3.2.2.2 weekly, 2.1.3.2.2.3 monthly).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.services.invitations import write_calendar
from planner.services.planning import PlanService

LONG_CJK = "東京本社 第三会議室（研修センター）" * 4
LONG_TEXT = "Überblick über die Änderungen — was sich für Sie ändert 🚀 " * 3


@pytest.fixture
def ics(demo: PlanService, tmp_path: Path) -> bytes:
    """The demo's calendar, with long non-ASCII text so that folding meets multi-byte characters."""
    plan = demo.plan(demo.initiatives()[0].id)
    demo.update("session", plan.sessions[0].id, {"location": LONG_CJK})
    message = next(c for c in plan.communications if c.scheduled_on)
    demo.update("communication", message.id, {"message": LONG_TEXT})
    path = write_calendar(demo.plan(plan.initiative.id), tmp_path / "plan.ics").path
    return path.read_bytes()


def _physical_lines(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\r\n")
    return raw[:-2].split(b"\r\n")


def _logical_lines(raw: bytes) -> list[str]:
    """Lines unfolded (RFC 5545 3.1): a CRLF followed by one space or tab joins."""
    return re.sub(rb"\r\n[ \t]", b"", raw).decode("utf-8").split("\r\n")[:-1]


def _events(raw: bytes) -> list[list[str]]:
    events: list[list[str]] = []
    for line in _logical_lines(raw):
        if line == "BEGIN:VEVENT":
            events.append([])
        elif events and line != "END:VEVENT":
            events[-1].append(line)
    return events


def _values(lines: list[str], name: str) -> list[str]:
    """Each `name` property's whole text after the name (parameters included)."""
    return [line[len(name) :] for line in lines if re.match(rf"{name}[;:]", line)]


def test_every_line_ends_in_crlf(ics):
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert b"\r" not in ics.replace(b"\r\n", b"")


def test_lines_are_folded_at_75_octets_between_characters(ics):
    lines = _physical_lines(ics)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "the long texts were folded"
    for line in lines:
        line.decode("utf-8")  # a fold inside a multi-byte character would not decode
    assert LONG_CJK in "".join(_logical_lines(ics))


def test_the_calendar_names_its_version_and_product_and_no_scheduling_method(ics):
    head = _logical_lines(ics)[: _logical_lines(ics).index("BEGIN:VEVENT")]
    assert head[0] == "BEGIN:VCALENDAR"
    assert _values(head, "VERSION") == [":2.0"]
    assert len(_values(head, "PRODID")) == 1
    assert _values(head, "METHOD") in ([], [":PUBLISH"])


def test_every_time_zone_used_is_defined(ics):
    text = "\r\n".join(_logical_lines(ics))
    used = set(re.findall(r';TZID=("[^"]*"|[^;:]*)', text))
    defined = set(re.findall(r"^TZID:(.*)$", text, re.MULTILINE))
    assert used <= defined


def test_each_event_has_one_uid_and_a_utc_stamp(ics):
    events = _events(ics)
    assert len(events) > 20
    uids = [_values(e, "UID") for e in events]
    assert all(len(u) == 1 for u in uids)
    assert len({u[0] for u in uids}) == len(events)
    for event in events:
        (stamp,) = _values(event, "DTSTAMP")
        assert re.fullmatch(r":\d{8}T\d{6}Z", stamp), stamp
        (sequence,) = _values(event, "SEQUENCE")
        assert 0 <= int(sequence[1:]) < 2**31  # Outlook keeps a 32-bit integer


def _date(value: str) -> date:
    assert re.fullmatch(r";VALUE=DATE:\d{8}", value), value
    digits = value.rsplit(":", 1)[1]
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def test_each_event_is_a_floating_all_day_event(ics):
    for event in _events(ics):
        (start,) = _values(event, "DTSTART")
        (end,) = _values(event, "DTEND")
        assert _date(end) == _date(start) + timedelta(days=1)


def test_recurrences_fit_outlooks_templates(ics):
    rules = 0
    for event in _events(ics):
        for rule in _values(event, "RRULE"):
            rules += 1
            parts = dict(part.split("=", 1) for part in rule[1:].split(";"))
            start = _date(_values(event, "DTSTART")[0])
            assert set(parts) <= {"FREQ", "INTERVAL", "UNTIL", "BYDAY", "BYMONTHDAY"}, rule
            if parts["FREQ"] == "WEEKLY":
                assert parts["BYDAY"] == ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
            else:
                assert parts["FREQ"] == "MONTHLY"
                assert parts["BYMONTHDAY"] == str(start.day)
            assert int(parts.get("INTERVAL", "1")) >= 1
            until = parts["UNTIL"]  # a DATE, as DTSTART is (RFC 5545 3.3.10)
            assert _date(f";VALUE=DATE:{until}") >= start
    assert rules >= 3
