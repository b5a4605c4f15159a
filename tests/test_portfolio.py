"""The portfolio: change load per unit and week on hand-built plans with known answers,
collisions found and not found, the derived overall impact."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.domain.enums import Impact
from planner.domain.errors import DomainError
from planner.domain.records import ImpactAssessment, Initiative, Unit
from planner.services import portfolio
from planner.services.portfolio.check import name_key
from tests.portfolio_support import Builder, loads, week


@pytest.fixture
def sales() -> Unit:
    return Unit(name="Inside sales", headcount=20, capacity=8)


def test_load_per_week_adds_the_documented_weights(sales):
    crm = (
        Builder("CRM", [sales])
        .phase(sales, week(0), week(1))
        .session(sales, week(-2) + timedelta(days=2))
        .message(sales, week(-1) + timedelta(days=4))
        .assess(sales, systems=Impact.HIGH)
    )
    result = portfolio.compute([crm.plan()])
    # impact high: 2 points a week from 4 weeks before the go-live's week to 4 after its end
    # (W05..W13 exclusive of W14: the end week W10 + 4 = W14); go-live 4, the week after 2;
    # a training session 1; a communication 0.25.
    assert loads(result, "Inside sales") == {
        "2027-W05": 2.0,
        "2027-W06": 2.0,
        "2027-W07": 3.0,
        "2027-W08": 2.25,
        "2027-W09": 6.0,
        "2027-W10": 4.0,
        "2027-W11": 2.0,
        "2027-W12": 2.0,
        "2027-W13": 2.0,
    }
    first = result.unit("Inside sales").weeks[0]
    assert (first.week, first.capacity, first.initiatives) == ("2027-W05", 8.0, ("CRM",))
    assert result.findings == ()  # one initiative, under capacity: nothing to say


def test_without_an_assessment_the_stakeholders_impact_counts(sales):
    plan = Builder("CRM", [sales]).phase(sales, week(0))
    plan.groups["Inside sales"] = plan.groups["Inside sales"].with_changes(impact=Impact.MEDIUM)
    result = portfolio.compute([plan.plan()])
    assert loads(result, "Inside sales")["2027-W08"] == 1.0  # medium: 1 point a week
    assert loads(result, "Inside sales")["2027-W09"] == 5.0  # go-live 4 + impact 1


def test_a_unit_in_no_phase_goes_live_with_the_initiative(sales):
    plan = Builder("Expenses", [sales]).assess(sales, processes=Impact.LOW)
    plan.initiative = plan.initiative.with_changes(go_live=week(2))
    result = portfolio.compute([plan.plan()])
    assert loads(result, "Inside sales")["2027-W11"] == 4.5  # go-live 4 + low impact 0.5
    [live] = result.go_lives
    assert (live.kind, live.starts, live.record.kind) == ("go_live", week(2), "initiative")


def test_the_period_is_cut_to_the_weeks_asked_for(sales):
    plan = Builder("CRM", [sales]).phase(sales, week(0)).plan()
    result = portfolio.compute([plan], start=week(-1), end=week(3) + timedelta(days=3))
    assert [w.week for w in result.unit("Inside sales").weeks] == [
        "2027-W08",
        "2027-W09",
        "2027-W10",
        "2027-W11",
        "2027-W12",
    ]
    with pytest.raises(DomainError, match="ends"):
        portfolio.compute([plan], start=week(3), end=week(0))
    with pytest.raises(DomainError, match="at most 520"):
        portfolio.compute([plan], start=date(2000, 1, 3), end=date(2020, 1, 6))


def _rules(result: portfolio.Portfolio) -> list[str]:
    return [f.rule for f in result.findings]


def test_two_go_lives_within_four_weeks_collide_and_say_what_to_move(sales):
    crm = Builder("CRM", [sales]).phase(sales, week(0))
    expenses = Builder("Expenses", [sales]).phase(sales, week(2))
    result = portfolio.compute([crm.plan(), expenses.plan()])
    [finding] = [f for f in result.findings if f.rule == "portfolio-go-live-collision"]
    assert finding.severity == "critical" and finding.dimension == "portfolio"
    assert "2 weeks apart" in finding.message
    assert finding.action.startswith(
        f"Move Expenses's Wave 1 for Inside sales to after {week(4).isoformat()}"
    )
    assert finding.record is not None and finding.record.id == expenses.phases[0].id


@pytest.mark.parametrize("weeks_apart", [4, 10])
def test_go_lives_four_weeks_apart_or_more_do_not_collide(sales, weeks_apart):
    crm = Builder("CRM", [sales]).phase(sales, week(0))
    expenses = Builder("Expenses", [sales]).phase(sales, week(weeks_apart))
    assert "portfolio-go-live-collision" not in _rules(
        portfolio.compute([crm.plan(), expenses.plan()])
    )


def test_waves_of_one_initiative_never_collide_with_each_other(sales):
    crm = Builder("CRM", [sales]).phase(sales, week(0)).phase(sales, week(1))
    assert _rules(portfolio.compute([crm.plan()])) == []


def test_load_above_capacity_is_found_with_the_weeks_and_the_initiatives(sales):
    crm = Builder("CRM", [sales]).phase(sales, week(0)).assess(sales, systems=Impact.HIGH)
    expenses = Builder("Expenses", [sales]).phase(sales, week(0)).assess(sales, skills=Impact.LOW)
    result = portfolio.compute([crm.plan(), expenses.plan()])
    [finding] = [f for f in result.findings if f.rule == "portfolio-over-capacity"]
    # W09: 4 + 4 (two go-lives) + 2 + 0.5 (impact) = 10.5; W10: 2 + 2 + 2 + 0.5 = 6.5
    assert finding.message.startswith("Inside sales carry 10.5 change points in 2027-W09")
    assert "over capacity in 2027-W09," in finding.message and "CRM, Expenses" in finding.message
    assert finding.severity == "warning"  # 10.5 < 1.5 × 8
    assert "to after 2027-03-08 (week 2027-W10)" in finding.action


def test_load_at_half_as_much_again_as_capacity_is_critical():
    small = Unit(name="Credit control", capacity=4)
    crm = Builder("CRM", [small]).phase(small, week(0)).assess(small, systems=Impact.HIGH)
    result = portfolio.compute([crm.plan()])
    [finding] = result.findings
    assert (finding.rule, finding.severity) == ("portfolio-over-capacity", "critical")


def test_load_at_capacity_is_not_over_it(sales):
    # go-live 4 + go-live 4 = 8, exactly the capacity, in W09 (no impact recorded)
    crm = Builder("CRM", [sales]).phase(sales, week(0))
    crm2 = Builder("ERP", [sales]).phase(sales, week(0))
    result = portfolio.compute([crm.plan(), crm2.plan()])
    assert loads(result, "Inside sales")["2027-W09"] == 8.0
    assert "portfolio-over-capacity" not in _rules(result)


def test_a_unit_piloting_one_initiative_while_another_takes_it_live(sales):
    crm = Builder("CRM", [sales]).phase(sales, week(0), week(3), pilot=True)
    reorg = Builder("Reorg", [sales]).phase(sales, week(2), week(5))
    result = portfolio.compute([crm.plan(), reorg.plan()])
    [finding] = [f for f in result.findings if f.rule == "portfolio-pilot-and-wave"]
    assert finding.message.startswith("Inside sales pilot CRM (Pilot 1,")
    assert finding.action.startswith(
        f"Move Reorg's Wave 1 for Inside sales to after {week(3).isoformat()}"
    )


def test_a_wave_after_the_pilot_ends_is_no_clash(sales):
    crm = Builder("CRM", [sales]).phase(sales, week(0), week(3), pilot=True)
    reorg = Builder("Reorg", [sales]).phase(sales, week(3) + timedelta(days=1), week(5))
    assert "portfolio-pilot-and-wave" not in _rules(portfolio.compute([crm.plan(), reorg.plan()]))


def test_units_of_nearly_the_same_name_are_reported_not_merged():
    units = [Unit(name="Inside sales"), Unit(name="Inside Sales team"), Unit(name="Field sales")]
    result = portfolio.compute([Builder("CRM", units).plan()])
    [finding] = result.findings
    assert finding.rule == "portfolio-similar-unit-names" and finding.severity == "info"
    assert "‘Inside Sales team’, ‘Inside sales’" in finding.message
    assert len(result.units) == 3
    assert name_key("Learning & Development") == name_key("learning and development")
    assert name_key("Sales reps North") != name_key("Sales reps South")


@pytest.mark.parametrize(
    ("aspects", "overall"),
    [
        ({}, Impact.NONE),
        ({"culture": Impact.HIGH}, Impact.HIGH),
        ({"processes": Impact.MEDIUM, "skills": Impact.LOW}, Impact.MEDIUM),
        (dict.fromkeys(("processes", "systems", "skills", "culture"), Impact.LOW), Impact.MEDIUM),
        (dict.fromkeys(("processes", "systems", "skills"), Impact.MEDIUM), Impact.MEDIUM),
        (dict.fromkeys(("processes", "systems", "skills", "location"), Impact.MEDIUM), Impact.HIGH),
    ],
)
def test_overall_impact_is_derived_from_the_aspects(aspects, overall):
    unit = Unit(name="Billing")
    assessment = ImpactAssessment(initiative_id=Initiative(name="X").id, unit_id=unit.id, **aspects)
    assert assessment.overall is overall


def test_a_unit_cannot_be_its_own_parent():
    unit = Unit(name="Billing")
    with pytest.raises(DomainError, match="own parent"):
        unit.with_changes(parent_unit_id=unit.id)


def test_the_json_keeps_the_documented_keys(sales):
    crm = Builder("CRM", [sales]).phase(sales, week(0))
    expenses = Builder("Expenses", [sales]).phase(sales, week(1))
    data = portfolio.compute([crm.plan(), expenses.plan()]).to_json()
    [group] = data["groups"]
    assert set(group) == {"id", "name", "headcount", "weeks"}
    assert group["weeks"][0] == {
        "week": "2027-W09",
        "load": 4.0,
        "capacity": 8.0,
        "initiatives": ["CRM"],
    }
    assert group["weeks"][1]["initiatives"] == ["CRM", "Expenses"]
    assert {f["rule"] for f in data["findings"]} == {"portfolio-go-live-collision"}
    assert set(data["findings"][0]) == {
        "rule",
        "dimension",
        "severity",
        "message",
        "action",
        "record",
    }


def test_the_benchmark_portfolio_has_twenty_initiatives_and_collisions():
    from planner.bench.portfolio_plans import build_portfolio_plans

    plans, units = build_portfolio_plans()
    result = portfolio.compute(plans, units)
    assert len(result.initiatives) == 20 and len(result.units) == 120
    assert {"portfolio-go-live-collision", "portfolio-over-capacity"} <= set(_rules(result))


@pytest.fixture
def department() -> tuple[Unit, Unit, Unit]:
    """Sales (50 people) with two teams: Inside sales (20) and Field sales (30)."""
    sales = Unit(name="Sales", headcount=50, capacity=8)
    inside = Unit(name="Inside sales", headcount=20, capacity=8, parent_unit_id=sales.id)
    field = Unit(name="Field sales", headcount=30, capacity=8, parent_unit_id=sales.id)
    return sales, inside, field


def test_a_parent_carries_its_teams_load_weighted_by_their_share_of_its_people(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0))
    expenses = Builder("Expenses", units).phase(field, week(2)).message(sales, week(2))
    result = portfolio.compute([crm.plan(), expenses.plan()])
    # the message to all of Sales reaches every person of both teams: 0.25 whole on each
    assert loads(result, "Inside sales") == {"2027-W09": 4.0, "2027-W10": 2.0, "2027-W11": 0.25}
    assert loads(result, "Field sales") == {"2027-W11": 4.25, "2027-W12": 2.0}
    # Inside sales is 20 of 50: 4 × 0.4 and 2 × 0.4; Field sales 30 of 50: 4 × 0.6 and
    # 2 × 0.6; the message to all of Sales counts whole (0.25) in its week.
    assert loads(result, "Sales") == {
        "2027-W09": 1.6,
        "2027-W10": 0.8,
        "2027-W11": 2.65,
        "2027-W12": 1.2,
    }
    weeks = {w.week: w for w in result.unit("Sales").weeks}
    assert weeks["2027-W09"].initiatives == ("CRM",)
    assert weeks["2027-W09"].go_lives == ("CRM",)
    assert weeks["2027-W11"].initiatives == ("Expenses",)
    [landed] = weeks["2027-W09"].items
    assert landed.via == inside and landed.points == pytest.approx(1.6)
    data = result.to_json()
    [group] = [g for g in data["groups"] if g["name"] == "Sales"]
    assert set(group) == {"id", "name", "headcount", "weeks"}
    assert group["weeks"][0] == {
        "week": "2027-W09",
        "load": 1.6,
        "capacity": 8.0,
        "initiatives": ["CRM"],
    }


def test_a_grandparent_adds_up_the_whole_tree_and_a_small_parent_counts_its_teams_people():
    company = Unit(name="Company", headcount=1)  # fewer than its departments: theirs count
    sales = Unit(name="Sales", headcount=40, parent_unit_id=company.id)
    finance = Unit(name="Finance", headcount=10, parent_unit_id=company.id)
    inside = Unit(name="Inside sales", headcount=10, parent_unit_id=sales.id)
    units = [company, sales, finance, inside]
    crm = Builder("CRM", units).phase(inside, week(0)).phase(finance, week(0))
    result = portfolio.compute([crm.plan()])
    assert loads(result, "Sales")["2027-W09"] == 1.0  # 4 × 10/40
    # Sales 40 of 50 carries 1.0, Finance 10 of 50 carries 4: 0.8 + 0.8
    assert loads(result, "Company")["2027-W09"] == 1.6


def test_a_parent_over_capacity_names_the_team_whose_go_live_to_move(department):
    sales, inside, field = department
    units = [sales.with_changes(capacity=2), inside, field]
    crm = Builder("CRM", units).phase(inside, week(0)).phase(field, week(0))
    result = portfolio.compute([crm.plan()])
    assert loads(result, "Sales")["2027-W09"] == 4.0  # everyone goes live: 4 × 0.4 + 4 × 0.6
    [finding] = [f for f in result.findings if f.rule == "portfolio-over-capacity"]
    assert finding.message.startswith("Sales carry 4 change points in 2027-W09 (capacity 2)")
    assert finding.action.startswith("Move CRM's Wave 2 for Field sales to after 2027-03-08")
    assert finding.action.endswith("or raise the change capacity of Sales to 4")


def test_go_lives_on_two_teams_of_a_parent_collide_on_the_parent_once(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0))
    expenses = Builder("Expenses", units).phase(field, week(2))
    result = portfolio.compute([crm.plan(), expenses.plan()])
    [finding] = [f for f in result.findings if f.rule == "portfolio-go-live-collision"]
    assert finding.severity == "warning"  # different people; the department carries both
    assert finding.message == (
        "Sales go live with CRM (Wave 1 for Inside sales, 2027-03-01) and Expenses "
        "(Wave 1 for Field sales, 2027-03-15), 2 weeks apart, on different units of it"
    )
    assert finding.action.startswith(
        f"Move Expenses's Wave 1 for Field sales to after {week(4).isoformat()}"
    )
    assert finding.record is not None and finding.record.id == expenses.phases[0].id


def test_a_collision_on_one_team_is_not_repeated_on_its_parent(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0)).phase(field, week(0))
    expenses = Builder("Expenses", units).phase(inside, week(1)).phase(field, week(2))
    result = portfolio.compute([crm.plan(), expenses.plan()])
    collisions = [f.message for f in result.findings if f.rule == "portfolio-go-live-collision"]
    assert len(collisions) == 2
    assert {m.split(" go live")[0] for m in collisions} == {"Inside sales", "Field sales"}


def test_one_unit_shown_still_carries_its_teams(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0))
    expenses = Builder("Expenses", units).phase(field, week(2))
    plans = [crm.plan(), expenses.plan()]
    result = portfolio.compute(plans, [sales])
    assert [u.unit.name for u in result.units] == ["Sales"]
    assert loads(result, "Sales")["2027-W09"] == 1.6
    assert [f.message.split(" go live")[0] for f in result.findings] == ["Sales"]
    assert result.go_lives == ()  # none is on Sales itself
    alone = portfolio.compute(plans, [inside])
    assert [f.rule for f in alone.findings] == []


def test_units_inside_each_other_count_their_own_load_and_do_not_hang():
    a = Unit(name="A", headcount=10)
    b = Unit(name="B", headcount=10, parent_unit_id=a.id)
    a = a.with_changes(parent_unit_id=b.id)  # A in B in A
    c = Unit(name="C", headcount=10, parent_unit_id=a.id)  # under the loop, not in it
    units = [a, b, c]
    crm = Builder("CRM", units).phase(a, week(0)).phase(b, week(1)).phase(c, week(2))
    result = portfolio.compute([crm.plan()])
    assert loads(result, "B") == {"2027-W10": 4.0, "2027-W11": 2.0}  # its own, A's not added
    # C is under A: A's go-live takes C's people live too
    assert loads(result, "C") == {
        "2027-W09": 4.0,
        "2027-W10": 2.0,
        "2027-W11": 4.0,
        "2027-W12": 2.0,
    }
    # A counts itself and C (its only child, as many people as it): 4 and 2 of each
    assert loads(result, "A") == {
        "2027-W09": 4.0,
        "2027-W10": 2.0,
        "2027-W11": 4.0,
        "2027-W12": 2.0,
    }
