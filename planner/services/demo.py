"""The sample initiative: a mid-size distributor rolling out a new CRM.

Built to look like a real plan half-way through preparation, with some things
done well and some classic gaps left in on purpose, so that the readiness check
and every chart have something to say. Dates are relative to `today` so the
sample never goes stale; pass a fixed `today` for reproducible results.

Gaps planted on purpose (the readiness check finds each of them; rule ids in brackets):
- Field service engineers are highly impacted yet get no training and no message
  [untrained-before-phase, impacted-not-reached].
- The works council has high power and resists, with no risk or mitigation recorded and
  no relationship owner [resistance-without-plan, no-relationship-owner].
- Finance controllers were first involved after the pilot started [involved-after-start];
  Credit control, in wave 2, has not been involved at all [never-involved].
- The objective "Grow cross-sell revenue" has no KPI; "Customer satisfaction" has no
  baseline and no measurement [objective-without-kpi, kpi-without-baseline-or-target,
  kpi-never-measured].
- Customer service agents are left out of the company-wide channels and never hear the
  benefits; their ADKAR barrier is Knowledge and the pilot, which includes them, starts
  within four weeks [never-hears-benefits, adkar-barrier-before-phase].
- Wave 2 has no gate criteria; the billing team's (and finance controllers') training
  comes after wave 2 starts, one session even after the planned go-live
  [phase-without-gate-criteria, untrained-before-phase, training-after-go-live].
- The sales groups have fewer seats open to them before their phase than people
  [training-capacity-short].
- Communication goes quiet for more than three weeks during wave 1
  [communication-gap-in-phase].
- One option was never scored on scalability [option-not-fully-scored].

Done well on purpose: a sponsor (the CEO, a stakeholder) and powerful business stakeholders
involved early, every
key player reached, KPIs with baselines, targets, owners and fresh measurements, a pilot
before the waves with real gate criteria, and the chosen option is the best scored on
criteria where cost carries a fifth of the weight.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from planner.domain.enums import (
    AdkarStage,
    AttendanceStatus,
    CriterionCategory,
    Engagement,
    GateCriterionKind,
    InitiativeStatus,
    PhaseKind,
    RiskStatus,
)
from planner.domain.errors import DomainError
from planner.domain.fields import MAX_DATE, MIN_DATE
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
    Snapshot,
    Stakeholder,
)
from planner.persistence import store
from planner.services.planning import PlanService

DEMO_NAME = "Helix CRM rollout"

# name, kind, headcount, function, side, power, interest, engagement, desired, impact,
# ADKAR (a, d, k, a, r), weeks since first involved (None: not yet), owner
_STAKEHOLDERS: list[tuple[Any, ...]] = [
    (
        "Dana Whitfield (CEO)",
        "person",
        1,
        "Executive",
        "executive",
        5,
        4,
        "supportive",
        "leading",
        "low",
        (5, 5, 4, 4, 3),
        20,
        "Priya Nair",
    ),
    (
        "Marcus Lee (CFO)",
        "person",
        1,
        "Finance",
        "executive",
        5,
        3,
        "neutral",
        "supportive",
        "medium",
        (4, 3, 3, 3, 2),
        20,
        "Priya Nair",
    ),
    (
        "Executive team",
        "group",
        8,
        "Executive",
        "executive",
        5,
        3,
        "supportive",
        "leading",
        "low",
        (5, 4, 3, 3, 2),
        18,
        "Priya Nair",
    ),
    (
        "Sofia Romero (VP Sales)",
        "person",
        1,
        "Sales",
        "business",
        5,
        5,
        "leading",
        "leading",
        "high",
        (5, 5, 4, 4, 3),
        18,
        "Priya Nair",
    ),
    (
        "Sales reps North",
        "group",
        45,
        "Sales",
        "business",
        2,
        4,
        "neutral",
        "supportive",
        "high",
        (4, 3, 2, 2, 1),
        12,
        "Tom Becker",
    ),
    (
        "Sales reps South",
        "group",
        38,
        "Sales",
        "business",
        2,
        4,
        "resistant",
        "supportive",
        "high",
        (4, 2, 2, 1, 1),
        12,
        "Tom Becker",
    ),
    (
        "Key account managers",
        "group",
        12,
        "Sales",
        "business",
        3,
        5,
        "supportive",
        "leading",
        "high",
        (5, 4, 4, 4, 2),
        14,
        "Tom Becker",
    ),
    (
        "Inside sales",
        "group",
        20,
        "Sales",
        "business",
        2,
        4,
        "neutral",
        "supportive",
        "high",
        (4, 4, 2, 2, 1),
        10,
        "Tom Becker",
    ),
    (
        "Sales operations",
        "group",
        6,
        "Sales",
        "business",
        3,
        5,
        "leading",
        "leading",
        "high",
        (5, 5, 4, 4, 2),
        16,
        "Tom Becker",
    ),
    (
        "Hannah Okafor (Head of Service)",
        "person",
        1,
        "Customer service",
        "business",
        4,
        4,
        "supportive",
        "leading",
        "high",
        (5, 4, 3, 3, 2),
        14,
        "Priya Nair",
    ),
    (
        "Customer service agents",
        "group",
        60,
        "Customer service",
        "business",
        2,
        3,
        "neutral",
        "supportive",
        "high",
        (4, 4, 2, 2, 1),
        8,
        "Elena Petrova",
    ),
    (
        "Service team leads",
        "group",
        8,
        "Customer service",
        "business",
        3,
        4,
        "supportive",
        "supportive",
        "high",
        (5, 4, 4, 4, 2),
        10,
        "Elena Petrova",
    ),
    (
        "Field service engineers",
        "group",
        25,
        "Customer service",
        "business",
        2,
        2,
        "resistant",
        "supportive",
        "high",
        (3, 2, 1, 1, 1),
        4,
        "Elena Petrova",
    ),
    (
        "Finance controllers",
        "group",
        10,
        "Finance",
        "business",
        4,
        3,
        "neutral",
        "supportive",
        "medium",
        (3, 3, 2, 2, 1),
        -4,
        "Priya Nair",
    ),
    (
        "Billing team",
        "group",
        14,
        "Finance",
        "business",
        2,
        3,
        "neutral",
        "supportive",
        "high",
        (4, 3, 2, 2, 1),
        6,
        "Elena Petrova",
    ),
    (
        "Credit control",
        "group",
        5,
        "Finance",
        "business",
        2,
        2,
        "unaware",
        "neutral",
        "low",
        (2, 2, 1, 1, 1),
        None,
        None,
    ),
    (
        "Marketing team",
        "group",
        12,
        "Marketing",
        "business",
        2,
        4,
        "supportive",
        "supportive",
        "medium",
        (4, 4, 3, 3, 2),
        9,
        "Tom Becker",
    ),
    (
        "Ravi Shah (Head of Marketing)",
        "person",
        1,
        "Marketing",
        "business",
        4,
        4,
        "supportive",
        "supportive",
        "medium",
        (5, 4, 4, 3, 2),
        12,
        "Priya Nair",
    ),
    (
        "Works council",
        "group",
        7,
        "Employee representation",
        "business",
        4,
        3,
        "resistant",
        "neutral",
        "medium",
        (3, 2, 2, 2, 1),
        6,
        None,
    ),
    (
        "HR business partners",
        "group",
        4,
        "HR",
        "business",
        3,
        3,
        "supportive",
        "supportive",
        "low",
        (4, 4, 3, 3, 3),
        10,
        "Elena Petrova",
    ),
    (
        "Learning & development",
        "group",
        5,
        "HR",
        "business",
        2,
        5,
        "leading",
        "leading",
        "low",
        (5, 5, 4, 4, 3),
        12,
        "Elena Petrova",
    ),
    (
        "Julia Brandt (CIO)",
        "person",
        1,
        "IT",
        "it",
        5,
        5,
        "leading",
        "leading",
        "medium",
        (5, 5, 5, 4, 3),
        22,
        "Priya Nair",
    ),
    (
        "CRM project team",
        "group",
        7,
        "IT",
        "it",
        3,
        5,
        "leading",
        "leading",
        "high",
        (5, 5, 4, 4, 3),
        22,
        "Julia Brandt",
    ),
    (
        "IT service desk",
        "group",
        15,
        "IT",
        "it",
        2,
        3,
        "neutral",
        "supportive",
        "medium",
        (4, 3, 2, 2, 1),
        8,
        "Julia Brandt",
    ),
    (
        "Integration team",
        "group",
        6,
        "IT",
        "it",
        3,
        4,
        "supportive",
        "supportive",
        "medium",
        (5, 4, 4, 3, 2),
        20,
        "Julia Brandt",
    ),
    (
        "Data & analytics",
        "group",
        5,
        "IT",
        "it",
        3,
        4,
        "supportive",
        "supportive",
        "medium",
        (5, 4, 3, 3, 2),
        16,
        "Julia Brandt",
    ),
    (
        "Information security",
        "group",
        3,
        "IT",
        "it",
        4,
        2,
        "neutral",
        "supportive",
        "low",
        (4, 3, 3, 3, 2),
        15,
        "Julia Brandt",
    ),
    (
        "Implementation partner",
        "group",
        10,
        "Consulting",
        "external",
        2,
        5,
        "leading",
        "leading",
        "low",
        (5, 5, 5, 5, 4),
        16,
        "Julia Brandt",
    ),
    (
        "CRM vendor",
        "group",
        4,
        "Vendor",
        "external",
        3,
        4,
        "supportive",
        "supportive",
        "low",
        (5, 5, 5, 5, 4),
        16,
        "Julia Brandt",
    ),
    (
        "Key customer panel",
        "group",
        6,
        "Customers",
        "external",
        3,
        2,
        "neutral",
        "supportive",
        "low",
        (3, 3, 2, 2, 1),
        5,
        "Sofia Romero",
    ),
]

# Stakeholders whose position moved since the first workshop (power, interest, engagement then).
_EARLIER = {
    "Marcus Lee (CFO)": (5, 2, "resistant"),
    "Sales reps South": (2, 3, "resistant"),
    "Sales reps North": (1, 3, "unaware"),
    "Hannah Okafor (Head of Service)": (3, 3, "neutral"),
    "Customer service agents": (2, 2, "unaware"),
    "Works council": (3, 2, "neutral"),
    "Key account managers": (3, 4, "neutral"),
    "IT service desk": (2, 2, "unaware"),
    "Information security": (4, 1, "resistant"),
    "Ravi Shah (Head of Marketing)": (3, 3, "neutral"),
}


EXAMPLES = ("gaps", "good")
"""The samples: the CRM plan with classic gaps planted, or a well-run plan (demo_good.py)."""


def create_demo(
    service: PlanService,
    *,
    name: str | None = None,
    today: date | None = None,
    example: str = "gaps",
    portfolio: bool = False,
) -> dict[str, int]:
    """Add a sample initiative as one undoable change; returns counts per record kind.

    `portfolio=True` (the gaps example, what `planner demo` makes): the CRM rollout
    plus two smaller initiatives sharing its units (`demo_portfolio.py`).
    """
    if today is not None and not MIN_DATE <= today <= MAX_DATE:
        # Its dates lie weeks either side of today: far outside the years a plan holds,
        # they would not even be dates.
        raise DomainError(f"today: {today.isoformat()} is outside the years 1900–2199")
    if example == "good":
        from planner.services.demo_good import GOOD_NAME, build_good_demo

        name = name or GOOD_NAME
        records = build_good_demo(name=name, today=today)
    else:
        name = name or DEMO_NAME
        records = build_demo(name=name, today=today)
    service._ensure_unique_name(name)
    if portfolio and example != "good":
        from planner.services.demo_portfolio import EXTRA_NAMES, build_portfolio

        for other in EXTRA_NAMES:
            service._ensure_unique_name(other)
        records = build_portfolio(records, today=today)
    changes = [c for record in records for c in store.changes_for_create(record)]
    service.execute(f"Create sample initiative ‘{name}’", changes)
    counts: dict[str, int] = {}
    for record in records:
        counts[record.PLURAL.lower()] = counts.get(record.PLURAL.lower(), 0) + 1
    return counts


def build_demo(*, name: str = DEMO_NAME, today: date | None = None) -> list[Record]:
    t0 = today or date.today()

    def week(n: float) -> date:
        return t0 + timedelta(days=round(n * 7))

    out: list[Record] = []
    initiative = Initiative(
        name=name,
        status=InitiativeStatus.EXECUTING,
        start=week(-22),
        go_live=week(20),
        summary=(
            "Replace three spreadsheets and the ageing Contactor system with one CRM "
            "for sales, customer service and billing at Meridian Supplies (420 staff)."
        ),
    )
    out.append(initiative)
    ini = initiative.id

    people: dict[str, Stakeholder] = {}
    for (
        sname,
        kind,
        headcount,
        function,
        side,
        power,
        interest,
        eng,
        desired,
        impact,
        adkar,
        involved,
        owner,
    ) in _STAKEHOLDERS:
        s = Stakeholder(
            initiative_id=ini,
            name=sname,
            kind=kind,
            headcount=headcount,
            function=function,
            side=side,
            power=power,
            interest=interest,
            engagement=eng,
            desired_engagement=desired,
            impact=impact,
            adkar_awareness=adkar[0],
            adkar_desire=adkar[1],
            adkar_knowledge=adkar[2],
            adkar_ability=adkar[3],
            adkar_reinforcement=adkar[4],
            involved_on=week(-involved) if involved is not None else None,
            owner=owner,
            notes=_NOTES.get(sname),
        )
        people[sname] = s
        out.append(s)
    for sname, (power, interest, eng) in _EARLIER.items():
        out.append(
            Snapshot(
                stakeholder_id=people[sname].id,
                taken_on=week(-10),
                label="Kick-off workshop",
                power=power,
                interest=interest,
                engagement=Engagement(eng),
            )
        )
        current = people[sname]
        out.append(
            Snapshot(
                stakeholder_id=current.id,
                taken_on=week(-1),
                label="Steering review",
                power=current.power,
                interest=current.interest,
                engagement=current.engagement,
            )
        )

    out[0] = initiative.with_changes(sponsor_id=people["Dana Whitfield (CEO)"].id)

    def ids(*names: str) -> tuple[str, ...]:
        return tuple(people[n].id for n in names)

    # Objectives and KPIs ---------------------------------------------------
    kpis: dict[str, Kpi] = {}

    def objective(
        oname: str, owner: str, due_weeks: int, description: str, kpi_rows: list[tuple[Any, ...]]
    ) -> None:
        obj = Objective(
            initiative_id=ini, name=oname, owner=owner, due=week(due_weeks), description=description
        )
        out.append(obj)
        for kname, unit, baseline, target, direction, kowner, actuals in kpi_rows:
            k = Kpi(
                objective_id=obj.id,
                name=kname,
                unit=unit,
                baseline=baseline,
                target=target,
                direction=direction,
                due=week(due_weeks),
                owner=kowner,
            )
            kpis[kname] = k
            out.append(k)
            for weeks_ago, value in actuals:
                out.append(Measurement(kpi_id=k.id, measured_on=week(-weeks_ago), value=value))

    objective(
        "Shorten the sales cycle",
        "Sofia Romero (VP Sales)",
        40,
        "Qualified lead to signed order faster, with one view of the customer.",
        [
            (
                "Median days lead to order",
                "days",
                46,
                32,
                "decrease",
                "Sales operations",
                [(16, 46), (12, 45), (8, 44), (4, 43), (1, 41)],
            ),
            (
                "Opportunities logged in CRM",
                "%",
                35,
                95,
                "increase",
                "Sales operations",
                [(12, 35), (8, 38), (4, 44), (1, 52)],
            ),
            ("Forecast accuracy", "%", 62, 85, "increase", "Marcus Lee (CFO)", [(12, 62), (4, 64)]),
        ],
    )
    objective(
        "Resolve customer cases first time",
        "Hannah Okafor (Head of Service)",
        44,
        "Agents see the whole customer history; fewer hand-offs and call-backs.",
        [
            (
                "First-contact resolution",
                "%",
                58,
                75,
                "increase",
                "Service team leads",
                [(10, 58), (6, 59), (2, 61)],
            ),
            (
                "Average handling time",
                "min",
                11.5,
                9,
                "decrease",
                "Service team leads",
                [(10, 11.5), (6, 11.8), (2, 11.2)],
            ),
            (
                "Customer satisfaction",
                "CSAT",
                None,
                4.5,
                "increase",
                "Hannah Okafor (Head of Service)",
                [],
            ),
        ],
    )
    objective(
        "Adopt the CRM across the business",
        "Julia Brandt (CIO)",
        30,
        "Everyone who serves customers works in the CRM every day.",
        [
            (
                "Weekly active users",
                "users",
                0,
                240,
                "increase",
                "CRM project team",
                [(6, 7), (4, 12), (2, 18), (1, 22)],
            ),
            ("Trained staff", "%", 0, 90, "increase", "Learning & development", [(4, 8), (1, 21)]),
        ],
    )
    objective(
        "Grow cross-sell revenue",
        "Ravi Shah (Head of Marketing)",
        60,
        "Use shared customer data for targeted campaigns.",
        [],
    )

    # Rollout ---------------------------------------------------------------
    pilot = Phase(
        initiative_id=ini,
        name="Pilot: North sales & service desk",
        kind=PhaseKind.PILOT,
        sequence=1,
        starts_on=week(3),
        ends_on=week(9),
        scope_ids=ids(
            "Sales reps North",
            "Key account managers",
            "Customer service agents",
            "Service team leads",
            "Sales operations",
        ),
        rationale="Representative mix of sales and service; friendly team leads.",
    )
    wave1 = Phase(
        initiative_id=ini,
        name="Wave 1: all sales and marketing",
        kind=PhaseKind.WAVE,
        sequence=2,
        starts_on=week(11),
        ends_on=week(17),
        scope_ids=ids(
            "Sales reps South", "Inside sales", "Marketing team", "Field service engineers"
        ),
    )
    wave2 = Phase(
        initiative_id=ini,
        name="Wave 2: finance and billing",
        kind=PhaseKind.WAVE,
        sequence=3,
        starts_on=week(19),
        ends_on=week(24),
        scope_ids=ids("Finance controllers", "Billing team", "Credit control"),
    )
    out += [pilot, wave1, wave2]
    out += [
        GateCriterion(
            phase_id=pilot.id,
            name="Pilot users trained",
            kind=GateCriterionKind.TRAINING_COVERAGE,
            threshold=90,
        ),
        GateCriterion(
            phase_id=pilot.id,
            name="Agents know how to work cases in the CRM",
            kind=GateCriterionKind.ADKAR_LEVEL,
            adkar_stage=AdkarStage.KNOWLEDGE,
            threshold=3,
        ),
        GateCriterion(
            phase_id=pilot.id,
            name="Data migration rehearsal signed off",
            kind=GateCriterionKind.MANUAL,
            met=True,
        ),
        GateCriterion(
            phase_id=wave1.id,
            name="Opportunities logged in CRM",
            kind=GateCriterionKind.KPI_THRESHOLD,
            kpi_id=kpis["Opportunities logged in CRM"].id,
            threshold=70,
        ),
        GateCriterion(
            phase_id=wave1.id,
            name="First-contact resolution holds",
            kind=GateCriterionKind.KPI_THRESHOLD,
            kpi_id=kpis["First-contact resolution"].id,
            threshold=58,
        ),
        GateCriterion(
            phase_id=wave1.id,
            name="Wave 1 audiences trained",
            kind=GateCriterionKind.TRAINING_COVERAGE,
            threshold=85,
        ),
        GateCriterion(
            phase_id=wave1.id,
            name="Overall readiness",
            kind=GateCriterionKind.READINESS_SCORE,
            threshold=70,
        ),
    ]

    # Communication plan ------------------------------------------------------
    # The front line is left out of the company-wide channels on purpose (see the gaps).
    everyone = ids(
        *[
            row[0]
            for row in _STAKEHOLDERS
            if row[4] != "external"
            and row[0] not in ("Field service engineers", "Customer service agents")
        ]
    )
    sales = ids(
        "Sales reps North",
        "Sales reps South",
        "Key account managers",
        "Inside sales",
        "Sales operations",
    )
    comms: list[tuple[Any, ...]] = [
        # name, channel, audience, week, covers (g, b, t, w, h), status, recurrence, until, owner
        (
            "Why we are changing: CEO town hall",
            "town_hall",
            everyone,
            -12,
            "gbt--",
            "sent",
            "once",
            None,
            "Dana Whitfield (CEO)",
        ),
        (
            "Steering committee update",
            "team_meeting",
            ids(
                "Executive team",
                "Julia Brandt (CIO)",
                "Marcus Lee (CFO)",
                "Sofia Romero (VP Sales)",
            ),
            -16,
            "gbt--",
            "planned",
            "monthly",
            24,
            "Priya Nair",
        ),
        (
            "Sales kick-off: what Helix means for you",
            "workshop",
            sales,
            -6,
            "gbtw-",
            "sent",
            "once",
            None,
            "Sofia Romero (VP Sales)",
        ),
        (
            "Pilot announcement",
            "email",
            ids(
                "Sales reps North",
                "Key account managers",
                "Customer service agents",
                "Service team leads",
            ),
            1,
            "--tw-",
            "planned",
            "once",
            None,
            "Tom Becker",
        ),
        (
            "Service desk briefing",
            "team_meeting",
            ids("Customer service agents", "Service team leads"),
            -2,
            "g-tw-",
            "sent",
            "once",
            None,
            "Hannah Okafor (Head of Service)",
        ),
        (
            "Helix weekly tips",
            "chat",
            ids(
                "Sales reps North",
                "Key account managers",
                "Customer service agents",
                "Service team leads",
                "Sales operations",
            ),
            3,
            "---wh",
            "planned",
            "weekly",
            9,
            "CRM project team",
        ),
        (
            "Intranet project page",
            "intranet",
            everyone,
            -10,
            "gbt-h",
            "sent",
            "once",
            None,
            "CRM project team",
        ),
        (
            "Works council consultation",
            "team_meeting",
            ids("Works council", "HR business partners"),
            -4,
            "g-tw-",
            "sent",
            "once",
            None,
            "Elena Petrova",
        ),
        (
            "Monthly newsletter",
            "newsletter",
            everyone,
            -8,
            "gbt--",
            "planned",
            "monthly",
            9,
            "Elena Petrova",
        ),
        (
            "Wave 1 go-live letter",
            "email",
            ids("Sales reps South", "Inside sales", "Marketing team"),
            10,
            "-btwh",
            "planned",
            "once",
            None,
            "Tom Becker",
        ),
        (
            "Finance walk-through of billing changes",
            "workshop",
            ids("Finance controllers", "Billing team", "Marcus Lee (CFO)"),
            17,
            "gbtwh",
            "planned",
            "once",
            None,
            "Marcus Lee (CFO)",
        ),
        (
            "Customer panel preview",
            "video",
            ids("Key customer panel"),
            6,
            "gb---",
            "draft",
            "once",
            None,
            "Sofia Romero (VP Sales)",
        ),
        (
            "IT support model briefing",
            "team_meeting",
            ids("IT service desk", "Integration team", "Information security"),
            0,
            "--twh",
            "planned",
            "once",
            None,
            "Julia Brandt (CIO)",
        ),
        (
            "Wave 2 go-live letter",
            "email",
            ids("Finance controllers", "Billing team", "Credit control"),
            18,
            "gbtwh",
            "planned",
            "once",
            None,
            "Elena Petrova",
        ),
        (
            "Wave 2 hypercare bulletin",
            "email",
            ids("Finance controllers", "Billing team", "Credit control"),
            19,
            "---wh",
            "planned",
            "weekly",
            24,
            "Elena Petrova",
        ),
    ]
    for cname, channel, audience, at, covers, status, recurrence, until, owner in comms:
        out.append(
            Communication(
                initiative_id=ini,
                name=cname,
                channel=channel,
                audience_ids=audience,
                scheduled_on=week(at),
                recurrence=recurrence,
                repeat_until=week(until) if until is not None else None,
                status=status,
                owner=owner,
                covers_goals=covers[0] == "g",
                covers_benefits=covers[1] == "b",
                covers_timeline=covers[2] == "t",
                covers_what_changes=covers[3] == "w",
                covers_help=covers[4] == "h",
                message=f"{cname}. Owner: {owner}.",
            )
        )

    # Training ----------------------------------------------------------------
    courses: list[tuple[Any, ...]] = [
        (
            "Helix for sales",
            "classroom",
            6,
            ("Sales reps North", "Sales reps South", "Key account managers", "Inside sales"),
            [
                (
                    "Sales North A",
                    -1,
                    "Leeds office",
                    "Implementation partner",
                    16,
                    [("Sales reps North", 15), ("Key account managers", 6)],
                ),
                (
                    "Sales North B",
                    1,
                    "Leeds office",
                    "Implementation partner",
                    16,
                    [("Sales reps North", 14)],
                ),
                ("Sales North C", 2, "Online", "Implementation partner", 16, []),
                ("Sales South A", 8, "Bristol office", "Implementation partner", 20, []),
                ("Sales South B", 9, "Bristol office", "Implementation partner", 20, []),
                ("Inside sales", 9, "Online", "Sales operations", 20, []),
            ],
        ),
        (
            "Helix for customer service",
            "virtual",
            4,
            ("Customer service agents", "Service team leads"),
            [
                (
                    "Service A",
                    -2,
                    "Online",
                    "Learning & development",
                    24,
                    [("Customer service agents", 12), ("Service team leads", 8)],
                ),
                ("Service B", 1, "Online", "Learning & development", 24, []),
                ("Service C", 2, "Online", "Learning & development", 24, []),
            ],
        ),
        (
            "Sales operations admin",
            "workshop",
            8,
            ("Sales operations", "CRM project team"),
            [
                (
                    "Admin bootcamp",
                    -4,
                    "Leeds office",
                    "CRM vendor",
                    14,
                    [("Sales operations", 6), ("CRM project team", 5)],
                )
            ],
        ),
        (
            "Billing in Helix",
            "classroom",
            3,
            ("Billing team", "Finance controllers"),
            [
                ("Billing A", 20, "Head office", "Implementation partner", 12, []),
                ("Billing B", 21, "Head office", "Implementation partner", 12, []),
            ],
        ),
        (
            "Helix essentials e-learning",
            "elearning",
            1.5,
            ("Marketing team", "IT service desk"),
            [
                (
                    "Self-paced (open)",
                    -3,
                    "Online",
                    "Learning & development",
                    200,
                    [("Marketing team", 7), ("IT service desk", 11)],
                )
            ],
        ),
    ]
    for course_name, fmt, hours, audience, sessions in courses:
        course = Course(
            initiative_id=ini,
            name=course_name,
            format=fmt,
            duration_hours=hours,
            audience_ids=ids(*audience),
            description=f"{course_name}: hands-on, in the trainees' own workflows.",
        )
        out.append(course)
        for sname, at, place, trainer, capacity, attended in sessions:
            session = Session(
                course_id=course.id,
                name=sname,
                held_on=week(at),
                location=place,
                trainer=trainer,
                capacity=capacity,
            )
            out.append(session)
            for who, count in attended:
                status = AttendanceStatus.ATTENDED if at <= 0 else AttendanceStatus.REGISTERED
                out.append(
                    Attendance(
                        session_id=session.id,
                        stakeholder_id=people[who].id,
                        count=count,
                        status=status,
                    )
                )

    # Technology options --------------------------------------------------------
    criteria = [
        ("Fit to sales and service processes", "fit", 30),
        ("Scalability to 1,000 users", "scalability", 15),
        ("Integration with ERP and billing", "fit", 20),
        ("Five-year total cost", "cost", 20),
        ("Vendor viability and support", "support", 10),
        ("Security and data residency", "risk", 5),
    ]
    crits = [
        Criterion(initiative_id=ini, name=n, category=CriterionCategory(c), weight=w)
        for n, c, w in criteria
    ]
    out += crits
    options = [
        (
            "Helix CRM",
            "Helix Software",
            148_000,
            True,
            [8, 8, 7, 5, 8, 8],
            "Cloud CRM with service module; strong process fit.",
        ),
        (
            "Contactor upgrade",
            "Contactor Ltd",
            62_000,
            False,
            [5, None, 6, 9, 5, 6],
            "Upgrade of the current system; cheapest, limited service features.",
        ),
        (
            "OpenDesk Suite",
            "OpenDesk",
            95_000,
            False,
            [6, 9, 5, 7, 6, 7],
            "Open-source core with paid support; needs custom development.",
        ),
    ]
    for oname, vendor, cost, chosen, scores, description in options:
        option = Option(
            initiative_id=ini,
            name=oname,
            vendor=vendor,
            annual_cost=cost,
            chosen=chosen,
            description=description,
        )
        out.append(option)
        for crit, value in zip(crits, list(scores), strict=True):  # type: ignore[call-overload]
            if value is not None:
                out.append(Score(option_id=option.id, criterion_id=crit.id, score=value))

    # Risks -----------------------------------------------------------------------
    risks = [
        (
            "Sales reps keep their own spreadsheets",
            4,
            4,
            "Managers review pipeline only in Helix from wave 1; spreadsheets retired.",
            "Sofia Romero (VP Sales)",
            "mitigating",
            ("Sales reps South", "Sales reps North"),
        ),
        (
            "Data migration quality",
            3,
            5,
            "Two rehearsals with sign-off by Sales operations.",
            "Julia Brandt (CIO)",
            "mitigating",
            ("Sales operations", "Integration team"),
        ),
        (
            "Billing integration slips",
            3,
            4,
            "Integration sprint reserved before wave 2.",
            "Integration team",
            "open",
            ("Billing team", "Integration team"),
        ),
        (
            "Trainers over-booked in wave 1",
            2,
            3,
            "Book partner trainers early; train champions.",
            "Learning & development",
            "open",
            ("Learning & development",),
        ),
        (
            "CFO withdraws budget for wave 2",
            2,
            5,
            "Monthly benefits tracking to steering.",
            "Priya Nair",
            "open",
            ("Marcus Lee (CFO)",),
        ),
        (
            "Service agents fear being monitored",
            3,
            3,
            "Explain what is and is not measured; team-lead Q&A.",
            "Hannah Okafor (Head of Service)",
            "open",
            ("Customer service agents",),
        ),
        ("Vendor release changes the UI mid-rollout", 2, 2, None, "CRM project team", "open", ()),
    ]
    for rname, likelihood, impact, mitigation, owner, status, linked in risks:
        out.append(
            Risk(
                initiative_id=ini,
                name=rname,
                likelihood=likelihood,
                impact=impact,
                mitigation=mitigation,
                owner=owner,
                status=RiskStatus(status),
                stakeholder_ids=ids(*linked),
            )
        )
    return out


_NOTES = {
    "Sales reps South": "Lost commission data in the last system change; expect pushback.",
    "Works council": "Must be consulted on anything that measures individual activity.",
    "Field service engineers": "Work offline on tablets; mobile app not in the first release.",
    "Marcus Lee (CFO)": "Convinced by the billing case; wants monthly benefits figures.",
    "Customer service agents": "Busy season starts just after the pilot.",
}
