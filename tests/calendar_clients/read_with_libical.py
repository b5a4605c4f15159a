"""Read an .ics file the way Evolution and GNOME Calendar do: with libical.

    /usr/bin/python3 read_with_libical.py FILE.ics

Runs under the system python3, where PyGObject and libical's introspection data
(Debian: python3-gi, gir1.2-ical-3.0) import. libical does not refuse bad input:
it keeps what it can and adds an X-LIC-ERROR property where it found something
wrong, and `check_restrictions` adds more where the file breaks what its METHOD
requires (RFC 5546). Prints JSON: every such error, and per VEVENT its UID,
start and end, SEQUENCE, DTSTAMP and the occurrences its recurrence iterator gives.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

MAX_OCCURRENCES = 1000
ANY = ICalGLib.ComponentKind.ANY_COMPONENT
ERROR = ICalGLib.PropertyKind.XLICERROR_PROPERTY


def errors(component):
    """Every X-LIC-ERROR in the component and those inside it, as written."""
    found = []
    prop = component.get_first_property(ERROR)
    while prop is not None:
        found.append(f"{component.kind_to_string(component.isa())}: {prop.get_xlicerror()}")
        prop = component.get_next_property(ERROR)
    child = component.get_first_component(ANY)
    while child is not None:
        found.extend(errors(child))
        child = component.get_next_component(ANY)
    return found


def time(value):
    return {
        "value": value.as_ical_string(),
        "isDate": bool(value.is_date()),
        "zone": value.get_tzid() or ("UTC" if value.is_utc() else "floating"),
    }


def occurrences(event):
    rule = event.get_first_property(ICalGLib.PropertyKind.RRULE_PROPERTY)
    start = event.get_dtstart()
    if rule is None:
        return [start.as_ical_string()]
    iterator = ICalGLib.RecurIterator.new(rule.get_rrule(), start)
    found = []
    moment = iterator.next()
    while not moment.is_null_time() and len(found) < MAX_OCCURRENCES:
        found.append(moment.as_ical_string())
        moment = iterator.next()
    # Extra dates (RDATE) join the rule's, as Evolution's own expansion does.
    extra = event.get_first_property(ICalGLib.PropertyKind.RDATE_PROPERTY)
    while extra is not None:
        found.append(extra.get_rdate().get_time().as_ical_string())
        extra = event.get_next_property(ICalGLib.PropertyKind.RDATE_PROPERTY)
    return sorted(set(found))


def describe(event):
    stamp = event.get_dtstamp()
    return {
        "uid": event.get_uid(),
        "summary": event.get_summary(),
        "start": time(event.get_dtstart()),
        "end": time(event.get_dtend()),
        "sequence": event.get_sequence(),
        "dtstamp": stamp.as_ical_string(),
        "occurrences": occurrences(event),
    }


def main(path):
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    calendar = ICalGLib.Component.new_from_string(text)
    if calendar is None:
        print(f"libical could not parse {path}", file=sys.stderr)
        return 2
    parse_errors = errors(calendar)
    restrictions_met = bool(calendar.check_restrictions())
    vevent = ICalGLib.ComponentKind.VEVENT_COMPONENT
    events = []
    event = calendar.get_first_component(vevent)
    while event is not None:
        events.append(describe(event))
        event = calendar.get_next_component(vevent)
    report = {
        "kind": calendar.kind_to_string(calendar.isa()),
        "method": calendar.get_method().value_nick if calendar.get_method() else None,
        "parse_errors": parse_errors,
        "restrictions_met": restrictions_met,
        "restriction_errors": errors(calendar)[len(parse_errors) :],
        "events": events,
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
