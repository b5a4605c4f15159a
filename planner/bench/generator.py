"""A large organisation's plan, generated deterministically and cached between runs.

The benchmark needs a plan the size of a big company's roll-out (10,000
stakeholders, 50,000 attendance records...). Going through the planning
service would take 70,000 validated, undoable commands; instead the records
are built with `Record.trusted` from values that are valid by construction
(the tests rebuild a small one with full validation to prove it) and written
with Core executemany in one transaction. The same seed always gives the same
file, so figures from different days measure the same plan.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import MISSING, fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from sqlalchemy import insert

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
)
from planner.domain.records import (
    Attendance,
    Communication,
    Course,
    Criterion,
    GateCriterion,
    Initiative,
    Kpi,
    Measurement,
    Objective,
    Option,
    Phase,
    Record,
    Risk,
    Score,
    Session,
    Stakeholder,
)
from planner.persistence import store
from planner.persistence.database import open_database
from planner.persistence.schema import HEAD_REVISION
from planner.persistence.tables import TABLES, metadata

SEED = 20261102
R = TypeVar("R", bound=Record)
BENCH_TODAY = date(2026, 11, 2)
LARGE_NAME = "Global ERP rollout (benchmark)"

# The large plan of the issue, at scale 1.
LARGE_COUNTS: dict[str, int] = {
    "stakeholder": 10_000,
    "objective": 200,
    "kpi": 600,
    "measurement": 6_000,
    "communication": 3_000,
    "course": 300,
    "session": 1_500,
    "attendance": 50_000,
    "phase": 20,
    "gate_criterion": 100,
    "option": 20,
    "criterion": 12,
    "risk": 500,
}

_FUNCTIONS = (
    "Sales",
    "Customer service",
    "Finance",
    "Operations",
    "Logistics",
    "HR",
    "Marketing",
    "Procurement",
    "Manufacturing",
    "Legal",
    "IT",
    "Executive",
)
_OWNERS = tuple(f"Owner {n:02d}" for n in range(1, 41))
_STAMP = datetime(2026, 1, 1)


def plan_counts(scale: float = 1.0) -> dict[str, int]:
    """Records per kind at `scale` (every kind at least one; scores are options × criteria)."""
    counts = {kind: max(1, round(n * scale)) for kind, n in LARGE_COUNTS.items()}
    per_session = -(-counts["attendance"] // counts["session"])
    if per_session > counts["stakeholder"]:
        counts["attendance"] = counts["session"] * counts["stakeholder"]
    counts["score"] = counts["option"] * counts["criterion"]
    return counts


def _spread(total: int, parents: int) -> Iterator[tuple[int, int]]:
    """(parent index, children of that parent), spreading `total` as evenly as possible."""
    base, extra = divmod(total, parents)
    for index in range(parents):
        yield index, base + (1 if index < extra else 0)


class _Builder:
    """Draws valid values from one seeded generator and collects the records."""

    def __init__(self, today: date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.records: list[Record] = []

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def day(self, low_weeks: float, high_weeks: float) -> date:
        return self.today + timedelta(
            days=self.rng.randint(round(low_weeks * 7), round(high_weeks * 7))
        )

    def pick(self, items: Any) -> Any:
        return items[self.rng.randrange(len(items))]

    def add(self, cls: type[R], **values: Any) -> R:
        """A record from values valid by construction; unspecified fields take their defaults."""
        for spec in fields(cls):
            if spec.name in values:
                continue
            if spec.default is not MISSING:
                values[spec.name] = spec.default
            elif spec.default_factory is not MISSING:
                values[spec.name] = spec.default_factory()
        values["id"] = self.new_id()
        stamp = _STAMP + timedelta(seconds=len(self.records))
        values["created_at"] = values["updated_at"] = stamp
        record = cls.trusted(**values)
        self.records.append(record)
        return record


def build_large(scale: float = 1.0, today: date = BENCH_TODAY) -> list[Record]:
    """Every record of the large plan, parents before children."""
    counts = plan_counts(scale)
    b = _Builder(today)
    rng = b.rng
    ini = b.add(
        Initiative,
        name=LARGE_NAME,
        status=InitiativeStatus.EXECUTING,
        start=today - timedelta(weeks=30),
        go_live=today + timedelta(weeks=40),
        summary="A generated plan the size of a large organisation's roll-out.",
    ).id
    stakeholders = [_stakeholder(b, ini, n) for n in range(counts["stakeholder"])]
    ids = [s.id for s in stakeholders]
    sponsor = next((s for s in stakeholders if s.side is Side.EXECUTIVE), stakeholders[0])
    b.records[0] = b.records[0].with_changes(sponsor_id=sponsor.id)

    def some(low: int, high: int) -> tuple[str, ...]:
        return tuple(sorted(rng.sample(ids, min(len(ids), rng.randint(low, high)))))

    kpis: list[Kpi] = []
    objectives = [
        b.add(
            Objective,
            initiative_id=ini,
            name=f"Objective {n + 1:03d}",
            owner=b.pick(_OWNERS),
            due=b.day(10, 60),
            description="Outcome the roll-out must deliver.",
        )
        for n in range(counts["objective"])
    ]
    for index, n_kpis in _spread(counts["kpi"], len(objectives)):
        for k in range(n_kpis):
            kpis.append(_kpi(b, objectives[index].id, f"KPI {index + 1:03d}.{k + 1}"))
    for index, n_values in _spread(counts["measurement"], len(kpis)):
        kpi = kpis[index]
        for m in range(n_values):
            b.add(
                Measurement,
                kpi_id=kpi.id,
                measured_on=today - timedelta(weeks=n_values - m),
                value=round((kpi.baseline or 0) + rng.uniform(-5, 25), 2),
            )
    for n in range(counts["communication"]):
        _communication(b, ini, n, some(1, 4))
    courses = [
        b.add(
            Course,
            initiative_id=ini,
            name=f"Course {n + 1:03d}",
            format=b.pick(list(CourseFormat)),
            duration_hours=rng.choice((0.5, 1.0, 2.0, 4.0, 8.0, 16.0)),
            audience_ids=some(1, 8),
        )
        for n in range(counts["course"])
    ]
    sessions: list[Session] = []
    for index, n_sessions in _spread(counts["session"], len(courses)):
        for s in range(n_sessions):
            sessions.append(
                b.add(
                    Session,
                    course_id=courses[index].id,
                    name=f"{courses[index].name} session {s + 1}",
                    held_on=b.day(-20, 30),
                    location=f"Room {rng.randint(1, 60)}",
                    trainer=b.pick(_OWNERS),
                    capacity=rng.randint(10, 40),
                )
            )
    for index, n_attending in _spread(counts["attendance"], len(sessions)):
        for who in rng.sample(stakeholders, n_attending):
            b.add(
                Attendance,
                session_id=sessions[index].id,
                stakeholder_id=who.id,
                count=rng.randint(1, who.headcount),
                status=b.pick(list(AttendanceStatus)),
            )
    phases = [_phase(b, ini, n, some(20, 80)) for n in range(counts["phase"])]
    for index, n_criteria in _spread(counts["gate_criterion"], len(phases)):
        for c in range(n_criteria):
            _gate_criterion(b, phases[index].id, c, b.pick(kpis).id)
    options = [
        b.add(
            Option,
            initiative_id=ini,
            name=f"Option {n + 1:02d}",
            vendor=f"Vendor {n + 1:02d}",
            annual_cost=float(rng.randint(50, 900) * 1000),
            chosen=n == 0,
        )
        for n in range(counts["option"])
    ]
    categories = list(CriterionCategory)
    criteria = [
        b.add(
            Criterion,
            initiative_id=ini,
            name=f"Criterion {n + 1:02d}",
            category=categories[n % len(categories)],
            weight=float(rng.randint(1, 10)),
        )
        for n in range(counts["criterion"])
    ]
    for option in options:
        for criterion in criteria:
            b.add(
                Score,
                option_id=option.id,
                criterion_id=criterion.id,
                score=float(rng.randint(0, 10)),
            )
    for n in range(counts["risk"]):
        b.add(
            Risk,
            initiative_id=ini,
            name=f"Risk {n + 1:03d}",
            description="What could go wrong.",
            likelihood=rng.randint(1, 5),
            impact=rng.randint(1, 5),
            mitigation=rng.choice((None, "Mitigation planned.")),
            owner=b.pick(_OWNERS),
            status=b.pick(list(RiskStatus)),
            stakeholder_ids=some(1, 3),
        )
    return b.records


def _stakeholder(b: _Builder, ini: str, n: int) -> Stakeholder:
    rng = b.rng
    group = rng.random() < 0.3
    function = b.pick(_FUNCTIONS)
    side = (
        Side.IT
        if function == "IT"
        else (
            Side.EXECUTIVE
            if function == "Executive"
            else rng.choice((Side.BUSINESS, Side.EXTERNAL))
        )
    )
    adkar = [rng.randint(1, 5) for _ in range(5)]
    return b.add(
        Stakeholder,
        initiative_id=ini,
        name=f"{function} team {n + 1:05d}" if group else f"Person {n + 1:05d}",
        kind=StakeholderKind.GROUP if group else StakeholderKind.PERSON,
        headcount=rng.randint(5, 400) if group else 1,
        function=function,
        side=side,
        power=rng.randint(1, 5),
        interest=rng.randint(1, 5),
        engagement=b.pick(list(Engagement)),
        desired_engagement=b.pick(list(Engagement)),
        impact=b.pick(list(Impact)),
        adkar_awareness=adkar[0],
        adkar_desire=adkar[1],
        adkar_knowledge=adkar[2],
        adkar_ability=adkar[3],
        adkar_reinforcement=adkar[4],
        involved_on=None if rng.random() < 0.1 else b.day(-30, 4),
        owner=b.pick(_OWNERS),
    )


def _kpi(b: _Builder, objective_id: str, name: str) -> Kpi:
    rng = b.rng
    direction = rng.choice((Direction.INCREASE, Direction.DECREASE))
    baseline = float(rng.randint(10, 60))
    step = float(rng.randint(5, 30))
    target = baseline + step if direction is Direction.INCREASE else baseline - step
    return b.add(
        Kpi,
        objective_id=objective_id,
        name=name,
        unit=rng.choice(("%", "days", "€k", "count")),
        baseline=baseline,
        target=target,
        direction=direction,
        due=b.day(10, 60),
        owner=b.pick(_OWNERS),
    )


def _communication(b: _Builder, ini: str, n: int, audience: tuple[str, ...]) -> None:
    rng = b.rng
    recurrence = (
        Recurrence.ONCE
        if rng.random() < 0.8
        else rng.choice((Recurrence.WEEKLY, Recurrence.FORTNIGHTLY, Recurrence.MONTHLY))
    )
    first = b.day(-20, 30)
    covers = [rng.random() < 0.6 for _ in range(5)]
    b.add(
        Communication,
        initiative_id=ini,
        name=f"Message {n + 1:04d}",
        message="Why we change, what it brings, and when.",
        covers_goals=covers[0],
        covers_benefits=covers[1],
        covers_timeline=covers[2],
        covers_what_changes=covers[3],
        covers_help=covers[4],
        channel=b.pick(list(Channel)),
        audience_ids=audience,
        owner=b.pick(_OWNERS),
        scheduled_on=first,
        recurrence=recurrence,
        repeat_until=None if recurrence is Recurrence.ONCE else first + timedelta(weeks=12),
        status=b.pick(list(CommunicationStatus)),
    )


def _phase(b: _Builder, ini: str, n: int, scope: tuple[str, ...]) -> Phase:
    starts = b.today + timedelta(weeks=-8 + 4 * n)
    decided = starts < b.today
    return b.add(
        Phase,
        initiative_id=ini,
        name="Pilot" if n == 0 else f"Wave {n}",
        kind=PhaseKind.PILOT if n == 0 else PhaseKind.WAVE,
        sequence=n,
        starts_on=starts,
        ends_on=starts + timedelta(weeks=4),
        scope_ids=scope,
        decision=GateDecision.GO if decided else GateDecision.PENDING,
        decided_on=starts - timedelta(days=3) if decided else None,
        rationale="Criteria met." if decided else None,
    )


def _gate_criterion(b: _Builder, phase_id: str, n: int, kpi_id: str) -> None:
    kinds: list[tuple[GateCriterionKind, dict[str, Any]]] = [
        (GateCriterionKind.KPI_THRESHOLD, {"kpi_id": kpi_id, "threshold": 40.0}),
        (GateCriterionKind.TRAINING_COVERAGE, {"threshold": 80.0}),
        (GateCriterionKind.ADKAR_LEVEL, {"threshold": 3.0, "adkar_stage": AdkarStage.KNOWLEDGE}),
        (GateCriterionKind.READINESS_SCORE, {"threshold": 70.0}),
        (GateCriterionKind.MANUAL, {"met": b.rng.random() < 0.5}),
    ]
    kind, values = kinds[n % len(kinds)]
    b.add(GateCriterion, phase_id=phase_id, name=f"{kind.label} {n + 1}", kind=kind, **values)


def write_records(path: Path, records: list[Record]) -> None:
    """Write records into a new planner file with one executemany per table, in one transaction."""
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        row, links = store.record_rows(record)
        row["created_at"], row["updated_at"] = record.created_at, record.updated_at
        rows[TABLES[record.KIND].name].append(row)
        for link_table, link in links:
            rows[link_table].append(link)
    db = open_database(path)
    try:
        with db.engine.begin() as connection:
            for table in metadata.sorted_tables:
                if rows.get(table.name):
                    connection.execute(insert(table), rows[table.name])
    finally:
        db.close()


def _cached(cache_dir: Path, name: str, make: Callable[[Path], None]) -> Path:
    """The cached file `name`, made (atomically) if it is not there yet."""
    target = cache_dir / name
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        make(partial)
        os.replace(partial, target)
    return target


def _source_key(module: ModuleType) -> str:
    """A short hash of a module's source: editing the generator (or the demo) renews the cache."""
    return hashlib.sha256(Path(str(module.__file__)).read_bytes()).hexdigest()[:10]


def portfolio_plan_file(cache_dir: Path) -> Path:
    """The benchmark's 20-initiative portfolio (`portfolio_plans`) as one planner file."""
    from planner.bench import portfolio_plans

    def make(path: Path) -> None:
        plans, units = portfolio_plans.build_portfolio_plans()
        stamp = datetime(2026, 11, 2, 9, 0)
        # Each plan holds the file's register of units too: every record once.
        records = {r.id: r for r in [*units, *(r for plan in plans for r in plan.all_records())]}
        stamped = [replace(r, created_at=stamp, updated_at=stamp) for r in records.values()]
        write_records(path, stamped)

    name = f"portfolio-{_source_key(portfolio_plans)}-{HEAD_REVISION}.db"
    return _cached(cache_dir, name, make)


def large_plan_file(cache_dir: Path, scale: float = 1.0) -> Path:
    """The large plan's file, keyed on this generator's source, the schema and the scale."""
    name = f"large-{_source_key(sys.modules[__name__])}-{HEAD_REVISION}-x{scale:g}.db"
    return _cached(cache_dir, name, lambda p: write_records(p, build_large(scale)))


def demo_plan_file(cache_dir: Path) -> Path:
    """The sample plan of `planner demo`, dated from the benchmark's fixed day."""
    from planner.services import demo
    from planner.services.planning import PlanService

    def make(path: Path) -> None:
        db = open_database(path)
        try:
            demo.create_demo(PlanService(db), today=BENCH_TODAY)
        finally:
            db.close()

    return _cached(cache_dir, f"demo-{_source_key(demo)}-{HEAD_REVISION}.db", make)
