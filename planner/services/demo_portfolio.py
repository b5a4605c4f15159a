"""The sample portfolio: the CRM rollout and two smaller initiatives hitting the same people.

Meridian Supplies changes three things at once. The CRM rollout (`demo.py`) stays
the file's main initiative; beside it:

- **Spendly expense rollout**: a new expense tool for everyone who travels. Its
  go-live for Inside sales, Sales reps South and Field service engineers falls
  one week after the CRM's wave 1 takes the same people live
  [portfolio-go-live-collision], and their weeks around it are over capacity
  [portfolio-over-capacity].
- **Sales territory redesign**: new territories and reporting lines for sales.
  Its first wave moves Sales reps North and the key account managers while they
  pilot the CRM [portfolio-pilot-and-wave, portfolio-go-live-collision]; its
  second wave, for Sales reps South, comes months after everything else and
  collides with nothing.

The register of units is made from the CRM plan's groups (one unit per group, as
migrating an older file does), under three departments, and every stakeholder
group of the three plans is linked to its unit. A department's headcount is its
teams' and its capacity a team's: its load is its average person's (see
`portfolio.rollup`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from planner.domain.enums import (
    Channel,
    CourseFormat,
    Impact,
    InitiativeStatus,
    PhaseKind,
    Side,
    StakeholderKind,
    UnitKind,
)
from planner.domain.records import (
    Communication,
    Course,
    ImpactAssessment,
    Initiative,
    Phase,
    Record,
    Session,
    Stakeholder,
    Unit,
)

EXPENSE_NAME = "Spendly expense rollout"
TERRITORY_NAME = "Sales territory redesign"
EXTRA_NAMES = (EXPENSE_NAME, TERRITORY_NAME)

# Department -> the CRM plan's groups in it (the rest are units of their own, without one).
_DEPARTMENTS = {
    "Sales": (
        "Sales reps North",
        "Sales reps South",
        "Key account managers",
        "Inside sales",
        "Sales operations",
    ),
    "Customer service": (
        "Customer service agents",
        "Service team leads",
        "Field service engineers",
    ),
    "Finance": ("Finance controllers", "Billing team", "Credit control"),
}
# A dispersed team on the road absorbs less at once than the default capacity.
_CAPACITY = {"Field service engineers": 6.0}

_L, _M, _H = Impact.LOW, Impact.MEDIUM, Impact.HIGH


def build_portfolio(crm: list[Record], *, today: date | None = None) -> list[Record]:
    """The units, the CRM plan's records linked to them, and the two other initiatives.

    `crm` is the CRM sample's records (`demo.build_demo`); what comes back replaces
    them (its groups now name their units) and adds the rest, parents first.
    """
    t0 = today or date.today()

    def week(n: float) -> date:
        return t0 + timedelta(days=round(n * 7))

    units = _units(crm)
    by_name = {u.name: u for u in units}
    linked = [
        r.with_changes(unit_id=by_name[r.name].id)
        if isinstance(r, Stakeholder) and r.name in by_name
        else r
        for r in crm
    ]
    crm_initiative = linked[0]
    assert isinstance(crm_initiative, Initiative)
    # Created a second apart, so the CRM rollout stays the file's main (first created) one.
    stamp = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    linked[0] = crm_initiative.with_changes(created_at=stamp)
    out: list[Record] = [*units, *linked]
    out += _assessments(crm_initiative.id, by_name)
    out += _expense(by_name, week, stamp + timedelta(seconds=1))
    out += _territories(by_name, week, stamp + timedelta(seconds=2))
    return out


def _units(crm: list[Record]) -> list[Unit]:
    departments = {
        name: Unit(name=name, kind=UnitKind.DEPARTMENT, headcount=1) for name in _DEPARTMENTS
    }
    parent_of = {team: dept for dept, teams in _DEPARTMENTS.items() for team in teams}
    teams: list[Unit] = []
    for record in crm:
        if not isinstance(record, Stakeholder) or record.kind is not StakeholderKind.GROUP:
            continue
        dept = parent_of.get(record.name)
        teams.append(
            Unit(
                name=record.name,
                kind=UnitKind.TEAM,
                headcount=record.headcount,
                parent_unit_id=departments[dept].id if dept else None,
                capacity=_CAPACITY.get(record.name, 8.0),
            )
        )
    for dept, members in _DEPARTMENTS.items():
        size = sum(t.headcount for t in teams if t.name in members)
        departments[dept] = departments[dept].with_changes(headcount=max(1, size))
    return [*departments.values(), *teams]


def _assessment(ini: str, unit: Unit, notes: str, **aspects: Impact) -> ImpactAssessment:
    values: dict[str, Any] = {"initiative_id": ini, "unit_id": unit.id, "notes": notes, **aspects}
    return ImpactAssessment(**values)


def _assessments(ini: str, units: dict[str, Unit]) -> list[ImpactAssessment]:
    """The CRM's impact on its front-line units, aspect by aspect."""
    crm_high = {"processes": _H, "systems": _H, "skills": _M, "performance_measures": _M}
    return [
        _assessment(
            ini, units["Inside sales"], "Every call and quote moves into the CRM.", **crm_high
        ),
        _assessment(
            ini, units["Sales reps North"], "Pipeline reviews run from the CRM.", **crm_high
        ),
        _assessment(
            ini,
            units["Customer service agents"],
            "Cases, not e-mails; new first-response targets.",
            processes=_H,
            systems=_H,
            skills=_M,
            performance_measures=_H,
        ),
        _assessment(
            ini,
            units["Billing team"],
            "Invoices start from CRM orders.",
            processes=_M,
            systems=_M,
            skills=_L,
        ),
    ]


def _group(ini: str, unit: Unit, impact: Impact, **values: Any) -> Stakeholder:
    return Stakeholder(
        initiative_id=ini,
        name=unit.name,
        kind=StakeholderKind.GROUP,
        headcount=unit.headcount,
        unit_id=unit.id,
        impact=impact,
        **values,
    )


def _expense(units: dict[str, Unit], week: Any, created: datetime) -> list[Record]:
    initiative = Initiative(
        name=EXPENSE_NAME,
        status=InitiativeStatus.PLANNING,
        start=week(-6),
        go_live=week(12),
        summary="Replace paper expense forms with the Spendly app for everyone who travels.",
        created_at=created,
    )
    ini = initiative.id
    groups = {
        name: _group(ini, units[name], impact, side=Side.BUSINESS, power=2, interest=3)
        for name, impact in (
            ("Inside sales", _M),
            ("Sales reps South", _M),
            ("Field service engineers", _H),
            ("Finance controllers", _M),
        )
    }
    travellers = tuple(
        groups[n].id for n in ("Inside sales", "Sales reps South", "Field service engineers")
    )
    go_live = Phase(
        initiative_id=ini,
        name="Go-live: travelling staff",
        kind=PhaseKind.WAVE,
        sequence=1,
        starts_on=week(12),
        ends_on=week(14),
        scope_ids=travellers,
    )
    finance = Phase(
        initiative_id=ini,
        name="Finance approvals",
        kind=PhaseKind.WAVE,
        sequence=2,
        starts_on=week(16),
        ends_on=week(17),
        scope_ids=(groups["Finance controllers"].id,),
    )
    course = Course(
        initiative_id=ini,
        name="Expenses on your phone",
        format=CourseFormat.VIRTUAL,
        duration_hours=1.0,
        audience_ids=travellers,
    )
    sessions = [
        Session(course_id=course.id, name=f"Spendly session {n}", held_on=week(at), capacity=40)
        for n, at in ((1, 10), (2, 11), (3, 12))
    ]
    news = Communication(
        initiative_id=ini,
        name="Spendly is coming",
        channel=Channel.EMAIL,
        audience_ids=travellers,
        scheduled_on=week(8),
        covers_goals=True,
        covers_timeline=True,
    )
    assessments = [
        _assessment(
            ini,
            units["Field service engineers"],
            "Receipts photographed on the road; mileage from the van's tracker.",
            processes=_H,
            systems=_H,
            skills=_L,
        ),
        _assessment(ini, units["Inside sales"], "New app, same rules.", processes=_L, systems=_M),
    ]
    return [initiative, *groups.values(), go_live, finance, course, *sessions, news, *assessments]


def _territories(units: dict[str, Unit], week: Any, created: datetime) -> list[Record]:
    initiative = Initiative(
        name=TERRITORY_NAME,
        status=InitiativeStatus.PLANNING,
        start=week(-4),
        go_live=week(30),
        summary="Redraw sales territories by industry and move account ownership to match.",
        created_at=created,
    )
    ini = initiative.id
    groups = {
        name: _group(ini, units[name], _H, side=Side.BUSINESS, power=3, interest=5)
        for name in ("Sales reps North", "Key account managers", "Sales reps South")
    }
    first = Phase(
        initiative_id=ini,
        name="Wave 1: North and key accounts",
        kind=PhaseKind.WAVE,
        sequence=1,
        starts_on=week(6),
        ends_on=week(8),
        scope_ids=(groups["Sales reps North"].id, groups["Key account managers"].id),
    )
    second = Phase(
        initiative_id=ini,
        name="Wave 2: South",
        kind=PhaseKind.WAVE,
        sequence=2,
        starts_on=week(30),
        ends_on=week(32),
        scope_ids=(groups["Sales reps South"].id,),
    )
    town_hall = Communication(
        initiative_id=ini,
        name="New territories town hall",
        channel=Channel.TOWN_HALL,
        audience_ids=tuple(g.id for g in groups.values()),
        scheduled_on=week(4),
        covers_goals=True,
        covers_what_changes=True,
    )
    reorg = {"job_roles": _H, "reporting_lines": _H, "performance_measures": _M, "culture": _M}
    assessments = [
        _assessment(ini, units[name], "New territory, new manager, new targets.", **reorg)
        for name in groups
    ]
    return [initiative, *groups.values(), first, second, town_hall, *assessments]
