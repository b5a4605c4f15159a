"""Training sessions and communications as an iCalendar file (RFC 5545).

Each session and each dated communication is one event whose UID is the
record's own id, so importing an updated file into Outlook, Thunderbird or a
phone's calendar updates the events it already holds instead of adding copies.
SEQUENCE and LAST-MODIFIED follow the record's last save, which is what those
programs compare to decide that an event changed.

The file has no METHOD: it is a snapshot of the plan's calendar, not a
scheduling message (RFC 5545 3.7.2), so DTSTAMP is each event's last revision
and no ORGANIZER is needed (METHOD:PUBLISH would demand one per event, RFC 5546
3.2.1, and libical reports its absence). Outlook reads a file without METHOD as
PUBLISH ([MS-OXCICAL] V0078), which is what a calendar export is to it. A cancelled communication
stays in the file as a cancelled event, so that re-importing removes it from
calendars rather than leaving a stale invitation behind.

The plan records days, not hours, so every event is an all-day event
(`DTSTART;VALUE=DATE`): such events are the same calendar day in every time
zone, which is what a date in the plan means. Time stamps (DTSTAMP,
LAST-MODIFIED) are UTC, as the standard requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from planner.domain.enums import CommunicationStatus, Recurrence
from planner.domain.errors import PlannerError
from planner.domain.plan import Plan
from planner.domain.records import Communication, Record, Session, Stakeholder
from planner.services.output import write_whole

UID_DOMAIN = "change-readiness-planner"
PRODUCT_ID = "-//Change Readiness Planner//Calendar export//EN"

_RULES: dict[Recurrence, dict[str, str | int]] = {
    Recurrence.WEEKLY: {"FREQ": "WEEKLY"},
    Recurrence.FORTNIGHTLY: {"FREQ": "WEEKLY", "INTERVAL": 2},
    Recurrence.MONTHLY: {"FREQ": "MONTHLY"},
}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STATUS = {
    CommunicationStatus.DRAFT: "TENTATIVE",
    CommunicationStatus.PLANNED: "CONFIRMED",
    CommunicationStatus.SENT: "CONFIRMED",
    CommunicationStatus.CANCELLED: "CANCELLED",
}


class CalendarError(PlannerError):
    """A calendar cannot be made or written as asked."""


@dataclass(frozen=True)
class CalendarResult:
    path: Path
    sessions: int
    communications: int
    undated: int
    """Communications left out because they have no date yet."""


def uid(record: Record) -> str:
    return f"{record.id}@{UID_DOMAIN}"


def build_calendar(plan: Plan, audience: str | None = None) -> tuple[Calendar, CalendarResult]:
    """The plan's sessions and dated communications, for everyone or for one audience."""
    group = _audience(plan, audience) if audience else None
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = plan.initiative.name + (f" — {group.name}" if group else "")
    cal.add("x-wr-calname", name)
    names = {s.id: s.name for s in plan.stakeholders}
    sessions = [s for s in plan.sessions if group is None or _session_reaches(plan, s, group)]
    for session in sorted(sessions, key=lambda s: (s.held_on, s.name)):
        cal.add_component(_session_event(plan, session, names))
    messages = [c for c in plan.communications if group is None or group.id in c.audience_ids]
    dated = [c for c in messages if c.scheduled_on is not None]
    for message in sorted(dated, key=lambda c: (c.scheduled_on or date.min, c.name)):
        cal.add_component(_communication_event(message, names))
    result = CalendarResult(Path(), len(sessions), len(dated), len(messages) - len(dated))
    return cal, result


def _audience(plan: Plan, name: str) -> Stakeholder:
    wanted = name.strip().casefold()
    for stakeholder in plan.stakeholders:
        if stakeholder.name.casefold() == wanted:
            return stakeholder
    raise CalendarError(
        f"‘{plan.initiative.name}’ has no stakeholder named {name!r} "
        "(name a group or person exactly as the Stakeholders page shows it)"
    )


def _session_reaches(plan: Plan, session: Session, group: Stakeholder) -> bool:
    if any(a.stakeholder_id == group.id for a in plan.attendance_by_session.get(session.id, ())):
        return True
    course = plan.by_id.get(session.course_id)
    return course is not None and group.id in getattr(course, "audience_ids", ())


def _stamp(record: Record) -> datetime:
    moment = record.updated_at or record.created_at or datetime(2000, 1, 1)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _sequence(record: Record) -> int:
    """Seconds between creation and the last save: grows with every later edit, as RFC 5545 asks.

    Saves are stamped to the second, so any edit made a second or more after the
    one before raises it; 2**31 seconds (the 32-bit integer Outlook keeps) is 68 years.
    """
    if record.created_at is None or record.updated_at is None:
        return 0
    return max(0, int((record.updated_at - record.created_at).total_seconds()))


def _day_event(record: Record, summary: str, day: date) -> Event:
    event = Event()
    event.add("uid", uid(record))
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("dtstamp", _stamp(record))
    event.add("last-modified", _stamp(record))
    event.add("sequence", _sequence(record))
    return event


def _session_event(plan: Plan, session: Session, names: dict[str, str]) -> Event:
    course = plan.by_id.get(session.course_id)
    course_name = getattr(course, "name", "Training")
    event = _day_event(session, f"Training: {course_name} — {session.name}", session.held_on)
    lines = [f"Course: {course_name}"]
    if course is not None:
        lines.append(f"Format: {course.format.label}")  # type: ignore[attr-defined]
        hours = getattr(course, "duration_hours", None)
        if hours:
            lines.append(f"Duration: {hours:g} hours")
    lines.append(f"Trainer: {session.trainer or 'not named yet'}")
    lines.append(f"Capacity: {session.capacity} seats")
    booked = [
        names.get(a.stakeholder_id, "?") for a in plan.attendance_by_session.get(session.id, ())
    ]
    if booked:
        lines.append("Booked: " + ", ".join(sorted(booked)))
    lines.append(f"Initiative: {plan.initiative.name}")
    event.add("description", "\n".join(lines))
    if session.location:
        event.add("location", session.location)
    event.add("categories", ["Training"])
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _communication_event(message: Communication, names: dict[str, str]) -> Event:
    assert message.scheduled_on is not None
    event = _day_event(message, f"{message.channel.label}: {message.name}", message.scheduled_on)
    rule = _RULES.get(message.recurrence)
    if rule is not None:
        recur: dict[str, str | int | date] = {**rule, **_anchor(rule, message.scheduled_on)}
        if message.repeat_until is not None:
            recur["UNTIL"] = message.repeat_until
        event.add("rrule", recur)
        extra = _shorter_months(message)
        if extra:
            event.add("rdate", extra)
    lines = []
    if message.message:
        lines.append(message.message)
    covers = [
        label
        for flag, label in (
            (message.covers_goals, "why (goals)"),
            (message.covers_benefits, "benefits"),
            (message.covers_timeline, "timeline"),
            (message.covers_what_changes, "what changes for me"),
            (message.covers_help, "where to get help"),
        )
        if flag
    ]
    if covers:
        lines.append("Covers: " + ", ".join(covers))
    audience = sorted(names.get(i, "?") for i in message.audience_ids)
    if audience:
        lines.append("Audience: " + ", ".join(audience))
    if message.owner:
        lines.append(f"Owner: {message.owner}")
    if lines:
        event.add("description", "\n".join(lines))
    event.add("categories", ["Communication"])
    event.add("transp", "TRANSPARENT")
    event.add("status", _STATUS[message.status])
    return event


def _anchor(rule: dict[str, str | int], start: date) -> dict[str, str | int]:
    """The start's weekday or day of month, written out as Outlook's recurrence templates have it.

    RFC 5545 takes both from DTSTART when absent; [MS-OXCICAL] 2.1.3.2.2.3 maps a
    monthly rule's day only from BYMONTHDAY, so the rule names it.
    """
    if rule["FREQ"] == "WEEKLY":
        return {"BYDAY": _WEEKDAYS[start.weekday()]}
    # The plan means "that day, or the month's last day when the month is shorter"
    # (Communication.occurrences); BYMONTHDAY=31 would skip shorter months (RFC 5545
    # 3.3.10), -1 is every month's last day. The 29th and 30th: see _shorter_months.
    return {"BYMONTHDAY": -1 if start.day == 31 else start.day}


def _shorter_months(message: Communication) -> list[date]:
    """A monthly series from the 29th or 30th: the Februaries that move to their last day.

    RFC 5545 skips a month without the rule's day, so these go in as extra dates
    (RDATE); ical.js (Thunderbird) ignores BYSETPOS in a monthly rule by day, which
    would otherwise say it in the rule. A series without an end has no list.
    """
    if message.recurrence is not Recurrence.MONTHLY or message.repeat_until is None:
        return []
    assert message.scheduled_on is not None
    day = message.scheduled_on.day
    return [d for d in message.occurrences() if d.day != day] if 29 <= day <= 30 else []


def write_calendar(plan: Plan, path: str | Path, audience: str | None = None) -> CalendarResult:
    """Write the calendar whole: a reader never sees half a file."""
    out = Path(path)
    if out.suffix.lower() != ".ics":
        raise CalendarError(f"cannot write a calendar to {out.name}: name it .ics")
    if not out.parent.is_dir():
        raise CalendarError(
            f"cannot write the calendar to {out}: folder {out.parent} does not exist"
        )
    cal, result = build_calendar(plan, audience)
    try:
        write_whole(out, cal.to_ical())
    except OSError as exc:
        raise CalendarError(f"cannot write the calendar to {out}: {exc.strerror or exc}") from None
    return CalendarResult(out, result.sessions, result.communications, result.undated)
