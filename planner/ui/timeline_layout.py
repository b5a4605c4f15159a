"""What the editable timeline shows: its rows and the dated bars and markers on them.

Pure data, no drawing: the plan's phases (one row each, in rollout order, with
their gate), training sessions (a row per course) and communications (a row per
channel). Each entry knows which date fields a drag changes, so moving or
resizing it becomes one set of field changes for the planning service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, Protocol

from planner.domain.enums import GateDecision, PhaseKind
from planner.domain.records import Communication, Course, Initiative, Phase, Session

Mode = Literal["move", "start", "end"]

PILOT = "#E69F00"
WAVE = "#0072B2"
SESSION = "#009E73"
MESSAGE = "#CC79A7"
GATE = {
    GateDecision.GO: "#009E73",
    GateDecision.GO_WITH_CONDITIONS: "#E69F00",
    GateDecision.NO_GO: "#D55E00",
}


@dataclass(frozen=True)
class Row:
    title: str
    band: str
    """The band's name on its first row (drawn as a heading above it), else ""."""


@dataclass(frozen=True)
class Entry:
    """A bar (a phase) or a marker (a session, a message) on one row."""

    kind: str
    record_id: str
    name: str
    row: int
    start: date
    end: date
    """The last day it covers (the start for a marker)."""
    colour: str
    moves: dict[str, date] = field(default_factory=dict)
    """The date fields a move shifts together, with their present values."""
    start_field: str | None = None
    end_field: str | None = None
    gate: GateDecision | None = None
    repeats: tuple[date, ...] = ()
    """Later dates of a recurring message (drawn faintly, moved with it)."""

    @property
    def resizable(self) -> bool:
        return self.start_field is not None and self.end_field is not None

    @property
    def what(self) -> str:
        noun = {"phase": "phase", "session": "session", "communication": "communication"}
        return f"{noun.get(self.kind, self.kind)} ‘{self.name}’"

    def changed(self, mode: Mode, days: int) -> tuple[date, date]:
        """Its (start, end) after a drag of `days` in `mode`."""
        shift = timedelta(days=days)
        if mode == "start":
            return self.start + shift, self.end
        if mode == "end":
            return self.start, self.end + shift
        return self.start + shift, self.end + shift

    def changes(self, mode: Mode, days: int) -> dict[str, date]:
        """The field values a drag of `days` in `mode` writes."""
        shift = timedelta(days=days)
        if mode == "start" and self.start_field:
            return {self.start_field: self.start + shift}
        if mode == "end" and self.end_field:
            return {self.end_field: self.end + shift}
        return {name: value + shift for name, value in self.moves.items()}


@dataclass(frozen=True)
class Layout:
    rows: list[Row]
    entries: list[Entry]
    first: date
    last: date
    go_live: date | None
    undated: int
    """Phases without both dates, which cannot be drawn."""


class Scheduled(Protocol):
    """What the timeline draws: a `Plan` is one, and so is `Schedule` (just these kinds)."""

    @property
    def initiative(self) -> Initiative: ...
    @property
    def phases(self) -> Sequence[Phase]: ...
    @property
    def courses(self) -> Sequence[Course]: ...
    @property
    def sessions(self) -> Sequence[Session]: ...
    @property
    def communications(self) -> Sequence[Communication]: ...


@dataclass(frozen=True)
class Schedule:
    """The dated records of one initiative, without the rest of its plan (its thousands of
    stakeholders and attendances, which the timeline never shows)."""

    initiative: Initiative
    phases: Sequence[Phase]
    courses: Sequence[Course]
    sessions: Sequence[Session]
    communications: Sequence[Communication]


KINDS = frozenset({"initiative", "phase", "course", "session", "communication"})
"""The kinds of record the timeline shows: a change to any other leaves it as it is."""


def _month_start(value: date) -> date:
    return value.replace(day=1)


def _next_month(value: date) -> date:
    return date(value.year + value.month // 12, value.month % 12 + 1, 1)


def layout(plan: Scheduled, today: date) -> Layout:
    rows: list[Row] = []
    entries: list[Entry] = []
    undated = _phases(plan, rows, entries)
    _sessions(plan, rows, entries)
    _messages(plan, rows, entries)
    dates = [today] + [e.start for e in entries] + [e.end for e in entries]
    dates += [d for e in entries for d in e.repeats]
    initiative = plan.initiative
    dates += [d for d in (initiative.start, initiative.go_live) if d is not None]
    first = _month_start(min(dates) - timedelta(days=7))
    last = _next_month(max(dates) + timedelta(days=7)) - timedelta(days=1)
    return Layout(rows, entries, first, last, initiative.go_live, undated)


def _phases(plan: Scheduled, rows: list[Row], entries: list[Entry]) -> int:
    phases = sorted(plan.phases, key=lambda p: (p.sequence, p.starts_on or date.max, p.name))
    undated = 0
    for phase in phases:
        if phase.starts_on is None or phase.ends_on is None:
            undated += 1
            continue
        rows.append(Row(phase.name, "Rollout" if not entries else ""))
        entries.append(
            Entry(
                "phase",
                phase.id,
                phase.name,
                len(rows) - 1,
                phase.starts_on,
                phase.ends_on,
                PILOT if phase.kind is PhaseKind.PILOT else WAVE,
                {"starts_on": phase.starts_on, "ends_on": phase.ends_on},
                "starts_on",
                "ends_on",
                gate=phase.decision,
            )
        )
    return undated


def _sessions(plan: Scheduled, rows: list[Row], entries: list[Entry]) -> None:
    band = "Training"
    for course in sorted(plan.courses, key=lambda c: c.name.casefold()):
        sessions = [s for s in plan.sessions if s.course_id == course.id]
        if not sessions:
            continue
        rows.append(Row(course.name, band))
        band = ""
        for session in sorted(sessions, key=lambda s: s.held_on):
            entries.append(
                Entry(
                    "session",
                    session.id,
                    f"{course.name}: {session.name}",
                    len(rows) - 1,
                    session.held_on,
                    session.held_on,
                    SESSION,
                    {"held_on": session.held_on},
                )
            )


def _messages(plan: Scheduled, rows: list[Row], entries: list[Entry]) -> None:
    band = "Communications"
    dated = [c for c in plan.communications if c.scheduled_on is not None]
    channels = sorted({c.channel for c in dated}, key=lambda c: c.label)
    for channel in channels:
        rows.append(Row(channel.label, band))
        band = ""
        for message in sorted(
            (c for c in dated if c.channel is channel), key=lambda c: c.scheduled_on or date.min
        ):
            assert message.scheduled_on is not None
            moves = {"scheduled_on": message.scheduled_on}
            if message.repeat_until is not None:
                moves["repeat_until"] = message.repeat_until
            horizon = message.repeat_until or message.scheduled_on + timedelta(days=366)
            entries.append(
                Entry(
                    "communication",
                    message.id,
                    message.name,
                    len(rows) - 1,
                    message.scheduled_on,
                    message.scheduled_on,
                    MESSAGE,
                    moves,
                    repeats=tuple(message.occurrences(horizon)[1:]),
                )
            )
