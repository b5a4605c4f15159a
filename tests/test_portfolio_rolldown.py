"""The load rolled down the units' tree: what lands on a unit as a whole lands whole on
every unit below it, is seen by the check there, and is never counted twice."""

from __future__ import annotations

import pytest

from planner.domain.enums import Impact
from planner.domain.records import Unit
from planner.services import portfolio
from tests.portfolio_support import Builder, loads, week


@pytest.fixture
def department() -> tuple[Unit, Unit, Unit]:
    """Sales (50 people) with two teams: Inside sales (20) and Field sales (30)."""
    sales = Unit(name="Sales", headcount=50, capacity=8)
    inside = Unit(name="Inside sales", headcount=20, capacity=8, parent_unit_id=sales.id)
    field = Unit(name="Field sales", headcount=30, capacity=8, parent_unit_id=sales.id)
    return sales, inside, field


def _found(result: portfolio.Portfolio, rule: str) -> list[str]:
    return [f.message for f in result.findings if f.rule == rule]


def test_a_message_to_the_parent_lands_whole_on_each_team_and_once_on_the_parent(department):
    sales, inside, field = department
    reorg = Builder("Reorg", [sales, inside, field]).message(sales, week(0))
    result = portfolio.compute([reorg.plan()])
    assert loads(result, "Inside sales") == {"2027-W09": 0.25}
    assert loads(result, "Field sales") == {"2027-W09": 0.25}
    assert loads(result, "Sales") == {"2027-W09": 0.25}  # not 0.25 + 0.25 back from its teams
    [reached] = result.unit("Inside sales").weeks[0].items
    assert reached.above == sales and reached.via is None and reached.points == 0.25
    [group] = [g for g in result.to_json()["groups"] if g["name"] == "Inside sales"]
    assert group["weeks"] == [
        {"week": "2027-W09", "load": 0.25, "capacity": 8.0, "initiatives": ["Reorg"]}
    ]


def test_what_reaches_a_team_twice_counts_once(department):
    sales, inside, field = department
    units = [sales, inside, field]
    reorg = (
        Builder("Reorg", units)
        .phase(sales, week(0))
        .assess(sales, job_roles=Impact.HIGH)
        .assess(inside, job_roles=Impact.MEDIUM)
        .message(sales, week(0))
    )
    # one wave and one message, each addressed to Sales and to Inside sales
    both = (reorg.group(sales).id, reorg.group(inside).id)
    reorg.phases[0] = reorg.phases[0].with_changes(scope_ids=both)
    reorg.communications[0] = reorg.communications[0].with_changes(audience_ids=both)
    result = portfolio.compute([reorg.plan()])
    # go-live 4 + high impact 2 (not high 2 + medium 1) + the message 0.25, on every person
    for name in ("Sales", "Inside sales", "Field sales"):
        assert loads(result, name)["2027-W09"] == 6.25, name
        assert loads(result, name)["2027-W10"] == 4.0, name
    assert _found(result, "portfolio-go-live-collision") == []


def test_a_team_assessed_higher_than_its_parent_adds_only_the_difference(department):
    sales, inside, field = department
    units = [sales, inside, field]
    reorg = (
        Builder("Reorg", units)
        .phase(sales, week(0))
        .assess(sales, job_roles=Impact.MEDIUM)
        .assess(inside, job_roles=Impact.HIGH)
    )
    result = portfolio.compute([reorg.plan()])
    assert loads(result, "Inside sales")["2027-W12"] == 2.0  # high, not medium + high
    assert loads(result, "Field sales")["2027-W12"] == 1.0  # medium, from Sales
    # the average person of Sales: 20 at 2 points and 30 at 1
    assert loads(result, "Sales")["2027-W12"] == 1.4


def test_a_go_live_on_the_parent_collides_with_a_teams_two_weeks_later(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0))
    reorg = Builder("Reorg", units).phase(sales, week(2))
    result = portfolio.compute([crm.plan(), reorg.plan()])
    [finding] = [f for f in result.findings if f.rule == "portfolio-go-live-collision"]
    assert finding.severity == "critical"  # the same people go live twice
    assert finding.message == (
        "Inside sales go live with CRM (Wave 1, 2027-03-01) and Reorg "
        "(Wave 1 for all of Sales, 2027-03-15), 2 weeks apart"
    )
    assert finding.action == (
        "Move Reorg's Wave 1 for Sales to after 2027-03-29 (4 weeks after CRM's), "
        "or give Inside sales a later wave of its own"
    )
    assert finding.record is not None and finding.record.id == reorg.phases[0].id
    assert loads(result, "Inside sales") == {
        "2027-W09": 4.0,
        "2027-W10": 2.0,
        "2027-W11": 4.0,
        "2027-W12": 2.0,
    }
    weeks = {w.week: w for w in result.unit("Inside sales").weeks}
    assert weeks["2027-W11"].go_lives == ("Reorg",)  # the heatmap's marker on the team's row


def test_a_teams_go_live_before_the_parents_collides_on_the_team_too(department):
    sales, inside, field = department
    units = [sales, inside, field]
    reorg = Builder("Reorg", units).phase(sales, week(0))
    crm = Builder("CRM", units).phase(field, week(1))
    result = portfolio.compute([reorg.plan(), crm.plan()])
    [finding] = _found(result, "portfolio-go-live-collision")
    assert finding.startswith(
        "Field sales go live with Reorg (Wave 1 for all of Sales, 2027-03-01) and CRM (Wave 1,"
    )


def test_two_go_lives_on_the_parent_are_named_on_the_parent_alone(department):
    sales, inside, field = department
    units = [sales, inside, field]
    reorg = Builder("Reorg", units).phase(sales, week(0))
    crm = Builder("CRM", units).phase(sales, week(1))
    result = portfolio.compute([reorg.plan(), crm.plan()])
    assert [m.split(" go live")[0] for m in _found(result, "portfolio-go-live-collision")] == [
        "Sales"
    ]
    assert loads(result, "Inside sales")["2027-W10"] == 6.0  # both reach its people: 2 + 4


def test_a_team_is_over_capacity_with_what_lands_on_its_department(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0)).assess(inside, systems=Impact.HIGH)
    reorg = Builder("Reorg", units).phase(sales, week(1)).assess(sales, job_roles=Impact.HIGH)
    result = portfolio.compute([crm.plan(), reorg.plan()])
    # W10: CRM's week after 2 + its impact 2, Reorg's go-live 4 + its impact 2, all whole
    assert loads(result, "Inside sales")["2027-W10"] == 10.0
    # Sales: Reorg 4 + 2 whole, CRM's 2 + 2 from Inside sales × 20/50
    assert loads(result, "Sales")["2027-W10"] == 7.6
    assert loads(result, "Field sales")["2027-W10"] == 6.0
    [finding] = [f for f in result.findings if f.rule == "portfolio-over-capacity"]
    assert finding.message == (
        "Inside sales carry 10 change points in 2027-W10 (capacity 8), over capacity in "
        "2027-W10, from CRM, Reorg (through Sales)"
    )
    assert finding.action.startswith("Move Reorg's Wave 1 for Sales to after 2027-03-15")


def test_a_department_over_capacity_is_not_repeated_on_teams_that_only_inherit_it(department):
    sales, inside, field = department
    units = [
        sales.with_changes(capacity=4),
        inside.with_changes(capacity=4),
        field.with_changes(capacity=2),
    ]
    reorg = Builder("Reorg", units).phase(sales, week(0)).assess(sales, job_roles=Impact.HIGH)
    result = portfolio.compute([reorg.plan()])
    # everyone carries 6 in W09 and 4 in W10, all of it Sales's: Sales (capacity 4) says
    # so for all of it; Field sales (capacity 2) is over in W10 too, and says so
    over = _found(result, "portfolio-over-capacity")
    assert [m.split(" carry")[0] for m in over] == ["Field sales", "Sales"]


def test_a_division_department_and_team_share_what_lands_on_each():
    division = Unit(name="Division", headcount=100)
    sales = Unit(name="Sales", headcount=50, parent_unit_id=division.id)
    finance = Unit(name="Finance", headcount=50, parent_unit_id=division.id)
    inside = Unit(name="Inside sales", headcount=20, parent_unit_id=sales.id)
    field = Unit(name="Field sales", headcount=30, parent_unit_id=sales.id)
    units = [division, sales, finance, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0)).message(division, week(0))
    reorg = Builder("Reorg", units).phase(sales, week(2))
    result = portfolio.compute([crm.plan(), reorg.plan()])
    assert loads(result, "Inside sales") == {
        "2027-W09": 4.25,  # its go-live and the division's message
        "2027-W10": 2.0,
        "2027-W11": 4.0,  # Sales's wave
        "2027-W12": 2.0,
    }
    assert loads(result, "Field sales") == {"2027-W09": 0.25, "2027-W11": 4.0, "2027-W12": 2.0}
    assert loads(result, "Finance") == {"2027-W09": 0.25}
    # Sales: the message whole, Inside sales's go-live × 20/50; then its own wave
    assert loads(result, "Sales") == {
        "2027-W09": 1.85,
        "2027-W10": 0.8,
        "2027-W11": 4.0,
        "2027-W12": 2.0,
    }
    # Division: its message, Sales's own and below × 50/100 (the message does not come back)
    assert loads(result, "Division") == {
        "2027-W09": 1.05,
        "2027-W10": 0.4,
        "2027-W11": 2.0,
        "2027-W12": 1.0,
    }
    # a parent whose people are all in its units carries their average
    assert loads(result, "Division")["2027-W09"] == pytest.approx(1.85 / 2 + 0.25 / 2)
    message = next(i for i in result.unit("Inside sales").weeks[0].items if i.source != "go_live")
    assert message.above == division
    [collision] = _found(result, "portfolio-go-live-collision")
    assert collision.startswith("Inside sales go live with CRM (Wave 1, 2027-03-01) and Reorg")


def test_a_unit_with_no_phase_of_its_own_goes_live_with_its_teams_not_on_its_own(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0))
    crm.group(sales, impact=Impact.HIGH)  # Sales as a whole: in no phase, highly impacted
    crm.initiative = crm.initiative.with_changes(go_live=week(8))
    result = portfolio.compute([crm.plan()])
    assert [(g.unit_id, g.kind) for g in result.go_lives] == [(inside.id, "wave")]
    # Sales's transition runs with Inside sales's wave: W05 to W12, on all of Sales
    assert loads(result, "Field sales") == {f"2027-W{n:02d}": 2.0 for n in range(5, 13)}
    assert loads(result, "Inside sales")["2027-W09"] == 6.0
    assert loads(result, "Sales")["2027-W09"] == 3.6  # 2 + 4 × 20/50


def test_a_team_piloting_while_its_departments_wave_takes_it_live(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0), week(3), pilot=True)
    reorg = Builder("Reorg", units).phase(sales, week(2), week(5))
    result = portfolio.compute([crm.plan(), reorg.plan()])
    [finding] = [f for f in result.findings if f.rule == "portfolio-pilot-and-wave"]
    assert finding.message == (
        "Inside sales pilot CRM (Pilot 1, 2027-03-01 to 2027-03-22) while Reorg's Wave 1 "
        "for all of Sales takes them live (2027-03-15 to 2027-04-05)"
    )
    assert finding.action.startswith("Move Reorg's Wave 1 for Sales to after 2027-03-22")


def test_a_loop_of_units_stays_finite_and_passes_down_to_the_units_below_it():
    a = Unit(name="A", headcount=10)
    b = Unit(name="B", headcount=10, parent_unit_id=a.id)
    a = a.with_changes(parent_unit_id=b.id)  # A in B in A
    c = Unit(name="C", headcount=10, parent_unit_id=a.id)
    units = [a, b, c]
    crm = Builder("CRM", units).phase(a, week(0)).message(a, week(0))
    reorg = Builder("Reorg", units).phase(c, week(1))
    result = portfolio.compute([crm.plan(), reorg.plan()])
    assert loads(result, "B") == {}  # the loop is cut: A is not above B
    assert loads(result, "C") == {"2027-W09": 4.25, "2027-W10": 6.0, "2027-W11": 2.0}
    [finding] = _found(result, "portfolio-go-live-collision")
    assert finding.startswith("C go live with CRM (Wave 1 for all of A, 2027-03-01)")


def test_a_well_spaced_portfolio_over_a_department_says_nothing(department):
    sales, inside, field = department
    units = [sales, inside, field]
    reorg = (
        Builder("Reorg", units)
        .phase(sales, week(0))
        .message(sales, week(-2))
        .assess(sales, reporting_lines=Impact.MEDIUM)
    )
    crm = (
        Builder("CRM", units)
        .phase(inside, week(6))
        .phase(field, week(12))
        .session(inside, week(5))
        .message(sales, week(4))
        .assess(inside, systems=Impact.HIGH)
    )
    result = portfolio.compute([reorg.plan(), crm.plan()])
    assert result.findings == ()
    # two initiatives' impacts add up: Reorg's medium 1 from Sales, CRM's high 2
    assert loads(result, "Inside sales")["2027-W12"] == 3.0
    assert max(w.load for w in result.unit("Inside sales").weeks) == 6.0


def test_the_department_still_warns_of_its_teams_go_lives_around_its_own(department):
    sales, inside, field = department
    units = [sales, inside, field]
    crm = Builder("CRM", units).phase(inside, week(0))
    reorg = Builder("Reorg", units).phase(sales, week(1))
    expenses = Builder("Expenses", units).phase(field, week(3))
    result = portfolio.compute([crm.plan(), reorg.plan(), expenses.plan()])
    collisions = sorted(_found(result, "portfolio-go-live-collision"))
    assert [m.split(" go live")[0] for m in collisions] == ["Field sales", "Inside sales", "Sales"]
    # Reorg sits between them on Sales itself; CRM and Expenses still meet only on Sales
    assert collisions[2] == (
        "Sales go live with CRM (Wave 1 for Inside sales, 2027-03-01) and Expenses "
        "(Wave 1 for Field sales, 2027-03-22), 3 weeks apart, on different units of it"
    )
