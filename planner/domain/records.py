"""The plan's records as immutable, self-validating values.

A record validates itself when built: each field is coerced through its
`FieldSpec` (so text typed in a form or a spreadsheet is accepted where it is
unambiguous), then cross-field rules run. Any violation raises `DomainError`
naming the record kind and the field. Records read back from the database are
built with `trusted()`, which skips the checks they passed when written.
"""

from __future__ import annotations

import dataclasses
import json
import math
import uuid
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, Self

from planner.domain.enums import (
    AdkarStage,
    AttendanceStatus,
    Channel,
    CommunicationStatus,
    CourseFormat,
    CriterionCategory,
    Direction,
    Engagement,
    GateCriterionKind,
    GateDecision,
    Impact,
    InitiativeStatus,
    PhaseKind,
    Recurrence,
    RiskStatus,
    Side,
    StakeholderKind,
    UnitKind,
)
from planner.domain.errors import DomainError
from planner.domain.fields import FieldKind, FieldSpec, coerce, parse_record_id
from planner.domain.money import DEFAULT_CURRENCY, currency_code
from planner.domain.quoting import shown

K = FieldKind


def new_id() -> str:
    return str(uuid.uuid4())


def _f(label: str, kind: FieldKind, default: Any = None, **spec: Any) -> Any:
    if kind is K.REFS:
        return field(default=(), metadata={"spec": FieldSpec(label, kind, **spec)})
    return field(default=default, metadata={"spec": FieldSpec(label, kind, **spec)})


@dataclass(frozen=True, kw_only=True, slots=True)
class Record:
    """One record kind's single declaration: everything that lists kinds or fields derives from it.

    The fields (with their `FieldSpec`s) give the table's columns, the row
    readers, the workbook's columns and the forms; the class constants below
    give the rest. The tables, the plan's attributes, the workbook's sheets and
    their order, the import's order and the window's pages are all built from
    `RECORD_TYPES`, in the order the kinds are declared here (parents first).
    """

    KIND: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    PLURAL: ClassVar[str] = ""
    PARENT: ClassVar[tuple[str, str] | None] = None
    TABLE: ClassVar[str] = ""
    """The database table's name; the kind's own when left empty (three differ, from 0001)."""
    SHEET: ClassVar[str] = ""
    """The title of its sheet in an exported workbook; `PLURAL` when left empty."""
    NATURAL_KEY: ClassVar[tuple[str, ...]] = ()
    """Fields that recognise a row typed in by hand (no ID) among its parent's records.

    Left empty: the name, for a record directly under an initiative; nothing otherwise.
    """
    UNIQUE: ClassVar[tuple[str, ...]] = ()
    """Fields that together are unique in the database."""
    ADDED: ClassVar[tuple[str, ...]] = ()
    """Fields a later migration added with ALTER TABLE, in the order it added them.

    SQLite puts an added column after the existing ones (the id and timestamps
    included), so the table declares these last too, and a new file is built with
    the same column order as a migrated one.
    """
    EVERY_KIND_ADDED: ClassVar[tuple[str, ...]] = ("version",)
    """Fields a later migration added to every kind's table, after the kind's own
    `ADDED` (revision 0004 the row version); `_register` appends them to `ADDED`."""
    SPECS: ClassVar[dict[str, FieldSpec]] = {}
    DEFAULTS: ClassVar[dict[str, Any]] = {}

    id: str = field(default_factory=new_id, metadata={"spec": FieldSpec("ID", K.TEXT)})
    created_at: datetime | None = field(
        default=None, compare=False, metadata={"spec": FieldSpec("Created", K.TEXT)}
    )
    updated_at: datetime | None = field(
        default=None, compare=False, metadata={"spec": FieldSpec("Updated", K.TEXT)}
    )
    version: int = field(
        default=1, compare=False, metadata={"spec": FieldSpec("Version", K.INT, required=True)}
    )
    """The row's version: 1 when made, one more on every saved change (the store's
    compare-and-set, `planner.persistence.store.apply_changes`). An edit carries the
    version it was made from, and a row with another version is somebody else's since."""

    def __post_init__(self) -> None:
        for name, spec in self.SPECS.items():
            if not spec.editable:
                continue
            value = coerce(spec, getattr(self, name), f"{self.LABEL} {spec.label.lower()}")
            object.__setattr__(self, name, value)
        ident = parse_record_id(self.id) if isinstance(self.id, str) else None
        if ident is None:
            raise DomainError(
                f"{self.LABEL} id: '{shown(self.id)}' is not a record id",
                field="id",
                kind=self.KIND,
            )
        object.__setattr__(self, "id", ident)
        if type(self.version) is not int or self.version < 1:
            raise DomainError(
                f"{self.LABEL} version is set by the planner, not by hand",
                field="version",
                kind=self.KIND,
            )
        for stamp in ("created_at", "updated_at"):
            if not isinstance(getattr(self, stamp), (datetime, type(None))):
                raise DomainError(
                    f"{self.LABEL} {stamp} is set by the planner, not by hand",
                    field=stamp,
                    kind=self.KIND,
                )
        self.check()

    def check(self) -> None:
        """Cross-field rules; subclasses raise DomainError naming the field."""

    def fail(self, field_name: str, message: str) -> DomainError:
        label = self.SPECS[field_name].label.lower()
        return DomainError(f"{self.LABEL} {label}: {message}", field=field_name, kind=self.KIND)

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """Build from values already validated (read from the database).

        Fields left out take their declared defaults; other names (such as the
        class constants a form may pass along) are not fields and are left out.
        Records have slots rather than a `__dict__`: a large plan holds 70,000 of
        them, and slots make each smaller, quicker to read and one object for the
        garbage collector, not two.
        """
        obj = cls.__new__(cls)
        specs = cls.SPECS
        if len(values) != len(specs):
            values = {
                **cls.DEFAULTS,
                **{name: value for name, value in values.items() if name in specs},
            }
        setter = object.__setattr__
        for name, value in values.items():
            setter(obj, name, value)
        return obj

    @classmethod
    def fields(cls) -> list[FieldSpec]:
        return list(cls.SPECS.values())

    @property
    def title(self) -> str:
        return str(getattr(self, "name", "") or self.id[:8])

    def parent_id(self) -> str | None:
        return getattr(self, self.PARENT[0]) if self.PARENT else None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.SPECS}

    def with_changes(self, **changes: Any) -> Self:
        """A validated copy with some fields changed."""
        unknown = set(changes) - set(self.SPECS)
        if unknown:
            raise DomainError(f"{self.LABEL} has no field {sorted(unknown)[0]!r}", kind=self.KIND)
        return dataclasses.replace(self, **changes)


def _register(cls: type[Record]) -> type[Record]:
    specs: dict[str, FieldSpec] = {}
    for f in dataclasses.fields(cls):
        spec = f.metadata["spec"]
        specs[f.name] = dataclasses.replace(spec, name=f.name)
    cls.SPECS = specs
    cls.DEFAULTS = {
        f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING
    }
    cls.TABLE = cls.TABLE or cls.KIND
    # Where a kind names one of them itself, it stands where that kind's migrations put it.
    cls.ADDED = (*cls.ADDED, *(a for a in Record.EVERY_KIND_ADDED if a not in cls.ADDED))
    cls.SHEET = cls.SHEET or cls.PLURAL
    if not cls.NATURAL_KEY and (cls.PARENT is None or cls.PARENT[1] == "initiative"):
        cls.NATURAL_KEY = ("name",)
    RECORD_TYPES[cls.KIND] = cls
    return cls


RECORD_TYPES: dict[str, type[Record]] = {}


def _order(record: Record, first: str, last: str) -> None:
    start, end = getattr(record, first), getattr(record, last)
    if start is not None and end is not None and end < start:
        raise record.fail(
            last,
            f"{end.isoformat()} is before the {record.SPECS[first].label.lower()} "
            f"{start.isoformat()}",
        )


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Initiative(Record):
    KIND = "initiative"
    LABEL = "Initiative"
    PLURAL = "Initiatives"
    SHEET = "Initiative"
    UNIQUE = ("name",)
    ADDED = ("sponsor_id", "readiness_thresholds", "currency")  # by revisions 0002, 0003

    name: str = _f("Name", K.TEXT, required=True)
    summary: str | None = _f("Summary", K.LONGTEXT)
    sponsor_id: str | None = _f(
        "Sponsor",
        K.REF,
        ref="stakeholder",
        help="The stakeholder who sponsors the change (add them as a stakeholder first)",
        # No foreign key: a cascade would delete the initiative with its sponsor, and
        # SET NULL would change the initiative behind the undo history's back. A sponsor
        # deleted since reads as "no sponsor", and the readiness check says so.
        enforced=False,
    )
    start: date | None = _f("Start", K.DATE)
    go_live: date | None = _f("Planned go-live", K.DATE)
    status: InitiativeStatus = _f(
        "Status", K.CHOICE, InitiativeStatus.PLANNING, choices=InitiativeStatus, required=True
    )
    readiness_thresholds: str | None = _f(
        "Readiness thresholds",
        K.LONGTEXT,
        help=(
            "This plan's own readiness thresholds as JSON, e.g. {\"cost-dominates."
            'max_cost_share_percent": 25}; blank: the documented defaults'
        ),
    )

    currency: str | None = _f(
        "Currency",
        K.TEXT,
        DEFAULT_CURRENCY,
        help="The ISO 4217 code the initiative's money is in (EUR, USD, GBP...); blank: EUR",
    )

    def check(self) -> None:
        _order(self, "start", "go_live")
        code = currency_code(self.currency) if self.currency else DEFAULT_CURRENCY
        object.__setattr__(self, "currency", code)
        if self.readiness_thresholds is not None:
            threshold_overrides(self.readiness_thresholds)


ThresholdOverride = float | str | tuple[str, ...]


def threshold_overrides(text: str | None) -> dict[str, dict[str, ThresholdOverride]]:
    """An initiative's own readiness thresholds: {rule id: {threshold: value}}.

    Stored as one JSON object, `{"rule-id.threshold": value}`, so that it travels with
    the initiative (one column, one spreadsheet cell). Only the shape is checked here;
    which rules and thresholds exist is the readiness check's to say.
    """
    if text is None or not text.strip():
        return {}
    where = "Initiative readiness thresholds"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(
            f"{where}: not JSON ({exc.msg} at character {exc.pos})",
            field="readiness_thresholds",
            kind="initiative",
        ) from None
    if not isinstance(data, dict):
        raise DomainError(
            f'{where}: expected an object like {{"rule-id.threshold": 3}}',
            field="readiness_thresholds",
            kind="initiative",
        )
    out: dict[str, dict[str, ThresholdOverride]] = {}
    for key, value in data.items():
        rule, dot, name = key.partition(".")
        if not (rule and dot and name):
            raise DomainError(
                f"{where}: {key!r} is not of the form rule-id.threshold",
                field="readiness_thresholds",
                kind="initiative",
            )
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            value = tuple(value)
        elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise DomainError(
                f"{where}: {key} = {value!r} is not a number, a word or a list of words",
                field="readiness_thresholds",
                kind="initiative",
            )
        elif isinstance(value, float) and not math.isfinite(value):
            raise DomainError(
                f"{where}: {key} is not a finite number",
                field="readiness_thresholds",
                kind="initiative",
            )
        out.setdefault(rule, {})[name] = value
    return out


ADKAR_FIELDS = (
    "adkar_awareness",
    "adkar_desire",
    "adkar_knowledge",
    "adkar_ability",
    "adkar_reinforcement",
)


def _adkar(label: str) -> Any:
    return _f(
        label,
        K.INT,
        3,
        minimum=1,
        maximum=5,
        required=True,
        help="1 (absent) to 5 (fully there); the first stage at 3 or below is the barrier",
    )


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Stakeholder(Record):
    KIND = "stakeholder"
    LABEL = "Stakeholder"
    PLURAL = "Stakeholders"
    PARENT = ("initiative_id", "initiative")
    ADDED = ("version", "unit_id")  # by revisions 0004, 0005

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    kind: StakeholderKind = _f(
        "Person or group", K.CHOICE, StakeholderKind.GROUP, choices=StakeholderKind, required=True
    )
    headcount: int = _f("Headcount", K.INT, 1, minimum=1, maximum=10_000_000, required=True)
    function: str | None = _f("Function", K.TEXT, help="Department or business function")
    side: Side = _f("Side", K.CHOICE, Side.BUSINESS, choices=Side, required=True)
    power: int = _f("Power", K.INT, 3, minimum=1, maximum=5, required=True)
    interest: int = _f("Interest", K.INT, 3, minimum=1, maximum=5, required=True)
    engagement: Engagement = _f(
        "Current engagement",
        K.CHOICE,
        Engagement.NEUTRAL,
        choices=Engagement,
        required=True,
        private=True,
    )
    desired_engagement: Engagement = _f(
        "Desired engagement",
        K.CHOICE,
        Engagement.SUPPORTIVE,
        choices=Engagement,
        required=True,
        private=True,
    )
    impact: Impact = _f("Impact", K.CHOICE, Impact.MEDIUM, choices=Impact, required=True)
    adkar_awareness: int = _adkar("ADKAR awareness")
    adkar_desire: int = _adkar("ADKAR desire")
    adkar_knowledge: int = _adkar("ADKAR knowledge")
    adkar_ability: int = _adkar("ADKAR ability")
    adkar_reinforcement: int = _adkar("ADKAR reinforcement")
    involved_on: date | None = _f("First involved", K.DATE)
    owner: str | None = _f("Relationship owner", K.TEXT)
    notes: str | None = _f("Notes", K.LONGTEXT, private=True)
    unit_id: str | None = _f(
        "Organisational unit",
        K.REF,
        ref="unit",
        help="The unit of the organisation these people belong to, shared by every initiative",
        # No foreign key: the units are declared after the stakeholders (they are the
        # file's, not one plan's), and deleting a unit must not delete anyone. A unit
        # deleted since reads as "no unit".
        enforced=False,
    )

    def check(self) -> None:
        if self.kind is StakeholderKind.PERSON and self.headcount != 1:
            raise self.fail("headcount", f"a person has a headcount of 1, not {self.headcount}")

    @property
    def adkar(self) -> tuple[int, int, int, int, int]:
        return (
            self.adkar_awareness,
            self.adkar_desire,
            self.adkar_knowledge,
            self.adkar_ability,
            self.adkar_reinforcement,
        )

    @property
    def adkar_barrier(self) -> AdkarStage | None:
        """The first ADKAR stage scored 3 or below: where the change will stall."""
        for stage, level in zip(AdkarStage, self.adkar, strict=True):
            if level <= 3:
                return stage
        return None


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Snapshot(Record):
    KIND = "snapshot"
    LABEL = "Snapshot"
    PLURAL = "Snapshots"
    PARENT = ("stakeholder_id", "stakeholder")
    NATURAL_KEY = ("stakeholder_id", "taken_on")

    stakeholder_id: str = _f("Stakeholder", K.REF, ref="stakeholder", required=True)
    taken_on: date = _f("Taken on", K.DATE, required=True)
    label: str | None = _f("Label", K.TEXT)
    power: int = _f("Power", K.INT, 3, minimum=1, maximum=5, required=True)
    interest: int = _f("Interest", K.INT, 3, minimum=1, maximum=5, required=True)
    engagement: Engagement = _f(
        "Engagement", K.CHOICE, Engagement.NEUTRAL, choices=Engagement, required=True, private=True
    )

    @property
    def title(self) -> str:
        return f"{self.taken_on.isoformat()} {self.label or ''}".strip()


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Objective(Record):
    KIND = "objective"
    LABEL = "Objective"
    PLURAL = "Objectives"
    PARENT = ("initiative_id", "initiative")

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    description: str | None = _f("Description", K.LONGTEXT)
    owner: str | None = _f("Owner", K.TEXT)
    due: date | None = _f("Due", K.DATE)


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Kpi(Record):
    KIND = "kpi"
    LABEL = "KPI"
    PLURAL = "KPIs"
    PARENT = ("objective_id", "objective")
    NATURAL_KEY = ("objective_id", "name")

    objective_id: str = _f("Objective", K.REF, ref="objective", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    unit: str | None = _f("Unit", K.TEXT)
    baseline: float | None = _f("Baseline", K.FLOAT)
    target: float | None = _f("Target", K.FLOAT)
    direction: Direction = _f(
        "Direction", K.CHOICE, Direction.INCREASE, choices=Direction, required=True
    )
    due: date | None = _f("Due", K.DATE)
    owner: str | None = _f("Owner", K.TEXT)

    def check(self) -> None:
        if self.baseline is not None and self.target is not None:
            if self.direction is Direction.INCREASE and self.target < self.baseline:
                raise self.fail(
                    "target",
                    f"{self.target:g} is below the baseline "
                    f"{self.baseline:g} for a KPI that should increase",
                )
            if self.direction is Direction.DECREASE and self.target > self.baseline:
                raise self.fail(
                    "target",
                    f"{self.target:g} is above the baseline "
                    f"{self.baseline:g} for a KPI that should decrease",
                )

    def progress(self, actual: float) -> float | None:
        """Share of the way from baseline to target, 0 at baseline, 1 at target."""
        if self.baseline is None or self.target is None or self.target == self.baseline:
            return None
        return (actual - self.baseline) / (self.target - self.baseline)


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Measurement(Record):
    KIND = "measurement"
    LABEL = "Measurement"
    PLURAL = "Measurements"
    PARENT = ("kpi_id", "kpi")
    NATURAL_KEY = ("kpi_id", "measured_on")

    kpi_id: str = _f("KPI", K.REF, ref="kpi", required=True)
    measured_on: date = _f("Measured on", K.DATE, required=True)
    value: float = _f("Value", K.FLOAT, required=True)
    note: str | None = _f("Note", K.TEXT)

    @property
    def title(self) -> str:
        return f"{self.measured_on.isoformat()}: {self.value:g}"


COVERS_FIELDS = (
    "covers_goals",
    "covers_benefits",
    "covers_timeline",
    "covers_what_changes",
    "covers_help",
)


def months_later(first: date, months: int) -> date:
    """A monthly repeat's date: the same day `months` later, or that month's last day
    when it is shorter (a series from 31 January goes out on 28 February, 31 March)."""
    year, index = divmod(first.month - 1 + months, 12)
    year += first.year
    return date(year, index + 1, min(first.day, monthrange(year, index + 1)[1]))


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Communication(Record):
    KIND = "communication"
    LABEL = "Communication"
    PLURAL = "Communications"
    PARENT = ("initiative_id", "initiative")

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    message: str | None = _f("Message", K.LONGTEXT)
    covers_goals: bool = _f("Covers goals", K.BOOL, False)
    covers_benefits: bool = _f("Covers benefits", K.BOOL, False)
    covers_timeline: bool = _f("Covers timeline", K.BOOL, False)
    covers_what_changes: bool = _f("Covers what changes for me", K.BOOL, False)
    covers_help: bool = _f("Covers where to get help", K.BOOL, False)
    channel: Channel = _f("Channel", K.CHOICE, Channel.EMAIL, choices=Channel, required=True)
    audience_ids: tuple[str, ...] = _f("Audience", K.REFS, ref="stakeholder")
    owner: str | None = _f("Owner", K.TEXT)
    scheduled_on: date | None = _f("Date", K.DATE)
    recurrence: Recurrence = _f(
        "Recurrence", K.CHOICE, Recurrence.ONCE, choices=Recurrence, required=True
    )
    repeat_until: date | None = _f("Repeat until", K.DATE)
    status: CommunicationStatus = _f(
        "Status", K.CHOICE, CommunicationStatus.PLANNED, choices=CommunicationStatus, required=True
    )

    def check(self) -> None:
        _order(self, "scheduled_on", "repeat_until")
        if self.recurrence is not Recurrence.ONCE and self.scheduled_on is None:
            raise self.fail("scheduled_on", "a recurring communication needs a first date")

    def occurrences(self, horizon: date | None = None) -> list[date]:
        """Every date this communication goes out, up to `repeat_until` or `horizon`."""
        if self.scheduled_on is None:
            return []
        if self.recurrence is Recurrence.ONCE:
            return [self.scheduled_on]
        end = self.repeat_until or horizon
        if end is None:
            return [self.scheduled_on]
        out: list[date] = []
        current = self.scheduled_on
        step = {Recurrence.WEEKLY: 7, Recurrence.FORTNIGHTLY: 14}.get(self.recurrence)
        month = 0
        while current <= end and len(out) < 1000:
            out.append(current)
            if step is not None:
                current = date.fromordinal(current.toordinal() + step)
            else:
                month += 1
                current = months_later(self.scheduled_on, month)
        return out

    @property
    def covers(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in COVERS_FIELDS}


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Course(Record):
    KIND = "course"
    LABEL = "Course"
    PLURAL = "Courses"
    PARENT = ("initiative_id", "initiative")
    SHEET = "Training"

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    format: CourseFormat = _f(
        "Format", K.CHOICE, CourseFormat.CLASSROOM, choices=CourseFormat, required=True
    )
    duration_hours: float | None = _f("Duration (hours)", K.FLOAT, minimum=0.25, maximum=500)
    audience_ids: tuple[str, ...] = _f("Audience", K.REFS, ref="stakeholder")
    description: str | None = _f("Description", K.LONGTEXT)


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Session(Record):
    KIND = "session"
    LABEL = "Session"
    PLURAL = "Sessions"
    PARENT = ("course_id", "course")
    TABLE = "training_session"
    NATURAL_KEY = ("course_id", "name")

    course_id: str = _f("Course", K.REF, ref="course", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    held_on: date = _f("Date", K.DATE, required=True)
    location: str | None = _f("Place", K.TEXT)
    trainer: str | None = _f("Trainer", K.TEXT)
    capacity: int = _f("Capacity", K.INT, 12, minimum=1, maximum=100_000, required=True)


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Attendance(Record):
    KIND = "attendance"
    LABEL = "Attendance"
    PLURAL = "Attendance"
    PARENT = ("session_id", "session")
    NATURAL_KEY = ("session_id", "stakeholder_id")
    UNIQUE = ("session_id", "stakeholder_id")

    session_id: str = _f("Session", K.REF, ref="session", required=True)
    stakeholder_id: str = _f("Stakeholder", K.REF, ref="stakeholder", required=True)
    count: int = _f(
        "People",
        K.INT,
        1,
        minimum=0,
        maximum=10_000_000,
        required=True,
        help="How many people of the stakeholder (1 for a person) this covers",
    )
    status: AttendanceStatus = _f(
        "Status", K.CHOICE, AttendanceStatus.ATTENDED, choices=AttendanceStatus, required=True
    )

    @property
    def title(self) -> str:
        return f"{self.count} × {self.status.label}"


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Phase(Record):
    KIND = "phase"
    LABEL = "Phase"
    PLURAL = "Phases"
    PARENT = ("initiative_id", "initiative")
    SHEET = "Rollout"

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    kind: PhaseKind = _f(
        "Pilot or wave", K.CHOICE, PhaseKind.WAVE, choices=PhaseKind, required=True
    )
    sequence: int = _f("Order", K.INT, 1, minimum=0, maximum=1000, required=True)
    starts_on: date | None = _f("Start", K.DATE)
    ends_on: date | None = _f("End", K.DATE)
    scope_ids: tuple[str, ...] = _f("Scope (audiences)", K.REFS, ref="stakeholder")
    decision: GateDecision = _f(
        "Gate decision", K.CHOICE, GateDecision.PENDING, choices=GateDecision, required=True
    )
    decided_on: date | None = _f("Decision date", K.DATE)
    rationale: str | None = _f("Rationale", K.LONGTEXT)

    def check(self) -> None:
        _order(self, "starts_on", "ends_on")
        if self.decision is not GateDecision.PENDING and self.decided_on is None:
            raise self.fail("decided_on", "a gate decision needs the date it was taken")


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class GateCriterion(Record):
    KIND = "gate_criterion"
    LABEL = "Gate criterion"
    PLURAL = "Gate criteria"
    PARENT = ("phase_id", "phase")
    NATURAL_KEY = ("phase_id", "name")

    phase_id: str = _f("Phase", K.REF, ref="phase", required=True)
    name: str = _f("Description", K.TEXT, required=True)
    kind: GateCriterionKind = _f(
        "Kind", K.CHOICE, GateCriterionKind.MANUAL, choices=GateCriterionKind, required=True
    )
    kpi_id: str | None = _f("KPI", K.REF, ref="kpi")
    threshold: float | None = _f(
        "Threshold", K.FLOAT, help="KPI value; % trained; ADKAR level 1–5; readiness score"
    )
    adkar_stage: AdkarStage | None = _f("ADKAR stage", K.CHOICE, choices=AdkarStage)
    met: bool = _f("Met (manual)", K.BOOL, False)

    def check(self) -> None:
        kind = self.kind
        if kind is GateCriterionKind.KPI_THRESHOLD:
            if self.kpi_id is None:
                raise self.fail("kpi_id", "a KPI threshold criterion needs a KPI")
            if self.threshold is None:
                raise self.fail("threshold", "a KPI threshold criterion needs a threshold")
        elif kind in (GateCriterionKind.TRAINING_COVERAGE, GateCriterionKind.READINESS_SCORE):
            if self.threshold is None or not 0 <= self.threshold <= 100:
                raise self.fail("threshold", "needs a percentage between 0 and 100")
        elif kind is GateCriterionKind.ADKAR_LEVEL:
            if self.threshold is None or not 1 <= self.threshold <= 5:
                raise self.fail("threshold", "needs an ADKAR level between 1 and 5")


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Option(Record):
    KIND = "option"
    LABEL = "Option"
    PLURAL = "Options"
    PARENT = ("initiative_id", "initiative")
    TABLE = "tech_option"

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    vendor: str | None = _f("Vendor", K.TEXT)
    annual_cost: float | None = _f(
        "Annual cost", K.FLOAT, minimum=0, money=True, help="In the initiative's currency"
    )
    chosen: bool = _f("Chosen", K.BOOL, False)
    description: str | None = _f("Description", K.LONGTEXT)


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Criterion(Record):
    KIND = "criterion"
    LABEL = "Criterion"
    PLURAL = "Criteria"
    PARENT = ("initiative_id", "initiative")

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    category: CriterionCategory = _f(
        "Category", K.CHOICE, CriterionCategory.FIT, choices=CriterionCategory, required=True
    )
    weight: float = _f("Weight", K.FLOAT, 1.0, minimum=0, maximum=100, required=True)


SCORE_MAX = 10


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Score(Record):
    KIND = "score"
    LABEL = "Score"
    PLURAL = "Scores"
    PARENT = ("option_id", "option")
    TABLE = "option_score"
    NATURAL_KEY = ("option_id", "criterion_id")
    UNIQUE = ("option_id", "criterion_id")

    option_id: str = _f("Option", K.REF, ref="option", required=True)
    criterion_id: str = _f("Criterion", K.REF, ref="criterion", required=True)
    score: float = _f(
        "Score",
        K.FLOAT,
        minimum=0,
        maximum=SCORE_MAX,
        required=True,
        help="0 (does not meet it) to 10 (excellent)",
    )
    note: str | None = _f("Note", K.TEXT)

    @property
    def title(self) -> str:
        return f"{self.score:g}"


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Risk(Record):
    KIND = "risk"
    LABEL = "Risk"
    PLURAL = "Risks"
    PARENT = ("initiative_id", "initiative")

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    name: str = _f("Name", K.TEXT, required=True)
    description: str | None = _f("Description", K.LONGTEXT)
    likelihood: int = _f("Likelihood", K.INT, 3, minimum=1, maximum=5, required=True)
    impact: int = _f("Impact", K.INT, 3, minimum=1, maximum=5, required=True)
    mitigation: str | None = _f("Mitigation", K.LONGTEXT)
    owner: str | None = _f("Owner", K.TEXT)
    status: RiskStatus = _f("Status", K.CHOICE, RiskStatus.OPEN, choices=RiskStatus, required=True)
    stakeholder_ids: tuple[str, ...] = _f("Stakeholders", K.REFS, ref="stakeholder")

    @property
    def exposure(self) -> int:
        return self.likelihood * self.impact


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class Unit(Record):
    """A unit of the organisation (a department, team, site or role) in the file's register.

    Shared by every initiative of the file: stakeholders and impact assessments of
    different initiatives that name the same unit are the same people, which is
    what lets the portfolio add up the change that lands on them.
    """

    KIND = "unit"
    LABEL = "Organisational unit"
    PLURAL = "Organisational units"
    SHEET = "Units"
    UNIQUE = ("name",)

    name: str = _f("Name", K.TEXT, required=True)
    kind: UnitKind = _f("Kind", K.CHOICE, UnitKind.TEAM, choices=UnitKind, required=True)
    headcount: int = _f("Headcount", K.INT, 1, minimum=1, maximum=10_000_000, required=True)
    parent_unit_id: str | None = _f(
        "Parent unit",
        K.REF,
        ref="unit",
        help="The unit this one belongs to (a team's department)",
        # No foreign key: deleting a department must not delete its teams.
        enforced=False,
    )
    capacity: float = _f(
        "Change capacity",
        K.FLOAT,
        8.0,
        minimum=0.5,
        maximum=1000,
        required=True,
        help="Change load points per week this unit absorbs (see the README's load model)",
    )
    notes: str | None = _f("Notes", K.LONGTEXT)

    def check(self) -> None:
        if self.parent_unit_id is not None and self.parent_unit_id == self.id:
            raise self.fail("parent_unit_id", "a unit cannot be its own parent")


def unit_loop(unit_id: str, parents: Mapping[str, str | None]) -> list[str] | None:
    """The units from `unit_id` up its parents and back to it, when its parents come round to
    it (A in B in A), else None. `parents` maps each unit's id to its parent's; a parent
    that is not there ends the walk (a dangling reference is another check's business)."""
    path = [unit_id]
    seen = {unit_id}
    parent = parents.get(unit_id)
    while parent is not None and parent in parents:
        if parent == unit_id:
            return [*path, unit_id]
        if parent in seen:
            return None  # a loop higher up that `unit_id` is not part of
        path.append(parent)
        seen.add(parent)
        parent = parents[parent]
    return None


def unit_loop_text(names: list[str], verb: str = "this would put") -> str:
    """What is wrong with a loop of units, named in order (the first again at the end)."""
    quoted = [f"‘{shown(name)}’" for name in names]
    if len(quoted) > 6:
        quoted = [*quoted[:3], f"… ({len(names) - 4} more)", quoted[-1]]
    return f"{verb} {' in '.join(quoted)}; a unit cannot be inside itself"


IMPACT_ASPECTS = (
    "processes",
    "systems",
    "job_roles",
    "skills",
    "reporting_lines",
    "performance_measures",
    "location",
    "culture",
)
"""The aspects of a unit's work an impact assessment rates, in the order practitioners list them."""


def _aspect(label: str) -> Any:
    return _f(label, K.CHOICE, Impact.NONE, choices=Impact, required=True)


@_register
@dataclass(frozen=True, kw_only=True, slots=True)
class ImpactAssessment(Record):
    """How much one initiative changes one unit's work, aspect by aspect."""

    KIND = "impact_assessment"
    LABEL = "Impact assessment"
    PLURAL = "Impact assessments"
    SHEET = "Impact"
    PARENT = ("initiative_id", "initiative")
    NATURAL_KEY = ("initiative_id", "unit_id")
    UNIQUE = ("initiative_id", "unit_id")

    initiative_id: str = _f("Initiative", K.REF, ref="initiative", required=True)
    unit_id: str = _f("Unit", K.REF, ref="unit", required=True)
    processes: Impact = _aspect("Processes")
    systems: Impact = _aspect("Systems and tools")
    job_roles: Impact = _aspect("Job roles")
    skills: Impact = _aspect("Skills")
    reporting_lines: Impact = _aspect("Reporting lines")
    performance_measures: Impact = _aspect("Performance measures")
    location: Impact = _aspect("Location")
    culture: Impact = _aspect("Culture")
    notes: str | None = _f("Notes", K.LONGTEXT)

    @property
    def aspects(self) -> dict[str, Impact]:
        return {name: getattr(self, name) for name in IMPACT_ASPECTS}

    @property
    def overall(self) -> Impact:
        """The highest degree of any aspect, one step higher when four or more aspects share it.

        A unit whose processes, tools, roles and skills all change a little is more
        than a little changed; a single high aspect is already high.
        """
        degrees = list(self.aspects.values())
        top = max(degrees, key=lambda d: d.rank)
        if top is not Impact.HIGH and top is not Impact.NONE:
            if sum(1 for d in degrees if d is top) >= 4:
                return list(Impact)[top.rank + 1]
        return top

    @property
    def title(self) -> str:
        return f"{self.overall.label} impact"


def record_type(kind: str) -> type[Record]:
    try:
        return RECORD_TYPES[kind]
    except (KeyError, TypeError):
        raise DomainError(f"unknown record kind {kind!r}") from None


def build(kind: str, values: dict[str, Any]) -> Record:
    """Build a validated record of `kind` from raw values, rejecting unknown fields."""
    cls = record_type(kind)
    if not isinstance(values, dict):
        raise DomainError(
            f"{cls.LABEL}: expected field values, got {type(values).__name__}", kind=kind
        )
    unknown = set(values) - set(cls.SPECS)
    if unknown:
        raise DomainError(f"{cls.LABEL} has no field {sorted(unknown)[0]!r}", kind=kind)
    try:
        return cls(**values)
    except DomainError as exc:
        exc.kind = kind
        raise
