"""The gap classes a seasoned change manager expects the check to catch, case by case:
per group, per date and per status, each with a plan where the rule fires and one where
it does not; and a plan's own thresholds."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from planner.domain.errors import DomainError
from planner.domain.records import Attendance, Communication, Course, Measurement, Session
from planner.services.readiness import check
from tests.conftest import run_cli
from tests.readiness_plans import (
    TODAY,
    add,
    drop,
    edit,
    edit_all,
    good_plan,
    ini_id,
    named,
    rescore,
    sid,
    week,
)

pytestmark = pytest.mark.both_engines


def fired(plan, rule, today=TODAY):
    return [f for f in check(plan, today).findings if f.rule == rule]


def names(plan, rule, today=TODAY):
    return sorted(f.record.name for f in fired(plan, rule, today))


# ------------------------------------------------------------------ training per group
def _agents_book_late(plan, when):
    """Service agents booked into a session of the shared course of their own, on `when`."""
    course = named(plan, "course", "CRM basics")
    late = Session(course_id=course.id, name="Agents only", held_on=when, capacity=10)
    plan = add(plan, late)
    return add(
        plan,
        Attendance(
            session_id=late.id, stakeholder_id=sid(plan, "Service agents"), count=10,
            status="registered",
        ),
    )  # fmt: skip


def test_a_group_is_judged_by_its_own_sessions_not_the_courses():
    """Reps trained early on the shared course; agents booked only after their wave starts,
    and the earlier sessions are full: the agents are reported, the reps are not."""
    plan = edit_all(good_plan(), "session", capacity=20)
    full = named(plan, "session", "Basics 2")
    plan = add(
        plan, Attendance(session_id=full.id, stakeholder_id=sid(plan, "Sales reps"), count=20)
    )
    plan = _agents_book_late(plan, week(13))  # Wave 1 starts in week 12
    found = fired(plan, "untrained-before-phase")
    assert [f.record.name for f in found] == ["Service agents"]
    assert "2027-01-25" in found[0].message  # the wave's start, named
    assert found[0].action == "Schedule a session for Service agents before 25 Jan 2027."
    in_time = _agents_book_late(edit_all(good_plan(), "session", capacity=20), week(11))
    assert names(in_time, "untrained-before-phase") == []


def test_spare_seats_for_one_group_do_not_seat_another():
    """A course of its own for the agents with too few seats is not helped by free seats in
    a course aimed at someone else."""
    plan = good_plan()
    plan = edit(plan, "course", "CRM basics", audience_ids=(sid(plan, "Sales reps"),))
    own = Course(
        initiative_id=ini_id(plan),
        name="Service desk CRM",
        audience_ids=(sid(plan, "Service agents"),),
    )
    plan = add(plan, own)
    plan = add(plan, Session(course_id=own.id, name="Desk 1", held_on=week(8), capacity=4))
    plan = add(
        plan, Session(course_id=plan.courses[0].id, name="Basics 9", held_on=week(9), capacity=200)
    )
    short = fired(plan, "training-capacity-short")
    assert [f.record.name for f in short] == ["Service agents"]
    assert "4 seats" in short[0].message and "for 10 people" in short[0].message
    assert short[0].action.startswith("Add 6 seats for Service agents in sessions before ")
    enough = edit(plan, "session", "Desk 1", capacity=10)
    assert names(enough, "training-capacity-short") == []
    assert names(enough, "untrained-before-phase") == []
    past = edit(enough, "session", "Desk 1", held_on=week(-1))  # empty seats in the past
    assert names(past, "untrained-before-phase") == ["Service agents"]


# ------------------------------------------------------------ communication with dates
def _only_kickoff(plan, **kickoff):
    """The plan with one message left, the kick-off, changed as given."""
    plan = drop(plan, "communication", where=lambda r: r.title == "Rollout bulletin")
    return edit(plan, "communication", "Kick-off", **kickoff)


def test_benefits_heard_only_after_the_phase_starts_do_not_count():
    plan = _only_kickoff(good_plan(), covers_benefits=False)
    plan = add(
        plan,
        Communication(
            initiative_id=ini_id(plan), name="Benefits roadshow", owner="PMO",
            audience_ids=tuple(s.id for s in plan.stakeholders), scheduled_on=week(8),
            status="planned", covers_benefits=True,
        ),
    )  # fmt: skip
    late = fired(plan, "never-hears-benefits")
    # reps go live in the pilot (week 6): too late for them; agents in wave 1 (week 12): in time
    assert "Sales reps" in [f.record.name for f in late]
    assert "Service agents" not in [f.record.name for f in late]
    reps = next(f for f in late if f.record.name == "Sales reps")
    assert "before ‘Pilot’ starts on 2026-12-14" in reps.message
    assert reps.action == (
        "Schedule a message to Sales reps covering the benefits before 14 Dec 2026."
    )
    early = edit(plan, "communication", "Benefits roadshow", scheduled_on=week(4))
    assert names(early, "never-hears-benefits") == []


@pytest.mark.parametrize(("status", "counts"), [("draft", False), ("cancelled", False),
                                                ("planned", True), ("sent", True)])  # fmt: skip
def test_only_sent_or_scheduled_messages_reach_anyone(status, counts):
    plan = _only_kickoff(good_plan(), status=status)
    reached = names(plan, "impacted-not-reached") == []
    assert reached is counts
    assert (names(plan, "key-player-not-reached") == []) is counts


def test_what_changes_and_where_to_get_help_are_read_by_the_rules():
    plan = edit_all(good_plan(), "communication", covers_what_changes=False)
    assert "Service agents" in names(plan, "never-hears-why-or-when")
    assert any("what changes for them" in f.message for f in fired(plan, "never-hears-why-or-when"))
    help_late = edit(
        edit(good_plan(), "communication", "Kick-off", covers_help=False),
        "communication", "Rollout bulletin", covers_help=False,
    )  # fmt: skip
    assert "Sales reps" in names(help_late, "never-hears-where-to-get-help")
    bulletin = add(
        help_late,
        Communication(
            initiative_id=ini_id(help_late), name="Help desk launch", owner="PMO",
            audience_ids=tuple(s.id for s in help_late.stakeholders), scheduled_on=week(29),
            status="planned", covers_help=True,
        ),
    )  # fmt: skip
    assert names(bulletin, "never-hears-where-to-get-help") == []  # before go-live (week 30)
    after = edit(bulletin, "communication", "Help desk launch", scheduled_on=week(31))
    assert "Sales reps" in names(after, "never-hears-where-to-get-help")


# ------------------------------------------------------------------ technology choice
def test_cost_above_about_30_percent_of_the_weight_is_flagged():
    at_30 = edit(edit(good_plan(), "criterion", "Cost", weight=30), "criterion", "Fit", weight=40)
    assert names(at_30, "cost-dominates") == []  # 30 of 100
    at_35 = edit(at_30, "criterion", "Cost", weight=38)  # 38 of 108: 35 %
    [found] = fired(at_35, "cost-dominates")
    assert "35%" in found.message


def test_the_chosen_options_own_scalability_is_judged():
    weak = rescore(good_plan(), ["Helix"], "Scalability", 3)
    [found] = fired(weak, "chosen-option-weak-fit")
    assert "Scalability 3/10" in found.message and found.record.name == "Helix"
    assert names(rescore(good_plan(), ["Helix"], "Scalability", 5), "chosen-option-weak-fit") == []
    # the option not chosen may score low on anything
    assert names(rescore(good_plan(), ["Cheapo"], "Scalability", 1), "chosen-option-weak-fit") == []


# ----------------------------------------------------------- stale or missing evidence
def test_a_gate_kpi_measured_before_the_pilot_is_stale_once_the_pilot_runs():
    during_pilot = week(7)
    assert names(good_plan(), "gate-kpi-stale", during_pilot) == ["Days to close"]
    plan = good_plan()
    kpi = named(plan, "kpi", "Days to close")
    fresh = add(plan, Measurement(kpi_id=kpi.id, measured_on=week(6.5), value=37))
    assert names(fresh, "gate-kpi-stale", during_pilot) == []
    wave = next(g for g in check(fresh, during_pilot).gates if g.phase == "Wave 1")
    assert wave.criteria[0].met is True and wave.criteria[0].actual == 37


def test_a_wave_gate_without_kpi_is_flagged_and_not_green():
    plan = drop(good_plan(), "gate_criterion", where=lambda r: r.title == "Faster closing")
    assert names(plan, "wave-gate-without-kpi") == ["Wave 1"]
    assert next(g for g in check(plan, TODAY).gates if g.phase == "Wave 1").status == "amber"
    assert names(good_plan(), "wave-gate-without-kpi") == []  # the pilot's gate has no KPI


def test_a_resistance_risk_needs_an_owner_as_well_as_a_mitigation():
    plan = edit_all(good_plan(), "risk", owner=None)
    [found] = fired(plan, "resistance-without-plan")
    assert "has no owner" in found.message
    assert found.action == "Give risk ‘Council objects to activity tracking’ an owner."
    assert fired(good_plan(), "resistance-without-plan") == []


def test_the_sponsor_is_a_stakeholder_and_its_side_matters():
    plan = good_plan()
    it_led = edit(plan, "initiative", "Good CRM", sponsor_id=sid(plan, "IT team"))
    [found] = fired(it_led, "sponsor-not-business-led")
    assert "IT team" in found.message and found.severity == "critical"
    assert fired(plan, "sponsor-not-business-led") == []
    gone = drop(plan, "stakeholder", where=lambda r: r.title == "CEO")
    [dangling] = fired(gone, "no-sponsor")
    assert "no longer one of its stakeholders" in dangling.message


# ---------------------------------------------------------------------- ADKAR horizon
def _knowledge_barrier(plan, last_session_week):
    plan = edit(plan, "stakeholder", "Service agents", adkar_knowledge=1)
    plan = edit(plan, "session", "Basics 2", held_on=week(last_session_week))
    agents = sid(plan, "Service agents")
    session = named(plan, "session", "Basics 2").id
    booked = Attendance(session_id=session, stakeholder_id=agents, count=10, status="registered")
    return add(plan, booked)


def test_the_adkar_horizon_follows_the_groups_training():
    """Knowledge at 1 five weeks before the wave: flagged while the group's training ends
    too late to practise; not when it ends well before; always when none is planned."""
    five_weeks_before = TODAY - timedelta(weeks=5) + (week(12) - TODAY)  # wave 1 in week 12
    late = _knowledge_barrier(good_plan(), 11)
    assert names(late, "adkar-barrier-before-phase", five_weeks_before) == ["Service agents"]
    early = _knowledge_barrier(good_plan(), 5)
    assert names(early, "adkar-barrier-before-phase", five_weeks_before) == []
    plan = edit(good_plan(), "stakeholder", "Service agents", adkar_knowledge=1)
    untrained = edit(plan, "course", "CRM basics", audience_ids=(sid(plan, "Sales reps"),))
    assert names(untrained, "adkar-barrier-before-phase") == ["Service agents"]  # 12 weeks out


def test_the_adkar_action_says_coach_when_the_training_came_in_time():
    """Trained in good time and still at Knowledge 1 close to the wave: more training of the
    same will not help, so the action asks what is missing; trained too late, bring it forward."""
    three_weeks_before = week(12) - timedelta(weeks=3)
    trained = _knowledge_barrier(good_plan(), 5)
    [found] = fired(trained, "adkar-barrier-before-phase", three_weeks_before)
    assert found.action.startswith("Find out what is still missing in the knowledge of")
    late = _knowledge_barrier(good_plan(), 11)
    [found] = fired(late, "adkar-barrier-before-phase", three_weeks_before)
    assert found.action.startswith("Bring the knowledge training of Service agents forward")


# -------------------------------------------------------------- a plan's own thresholds
def test_an_initiatives_thresholds_replace_the_defaults():
    plan = edit(good_plan(), "criterion", "Cost", weight=40)  # 40 of 120: 33 %
    assert names(plan, "cost-dominates") == ["Good CRM"]
    lenient = edit(
        plan, "initiative", "Good CRM",
        readiness_thresholds='{"cost-dominates.max_cost_share_percent": 40}',
    )  # fmt: skip
    report = check(lenient, TODAY)
    assert [f for f in report.findings if f.rule == "cost-dominates"] == []
    assert report.to_json()["thresholds"] == {"cost-dominates": {"max_cost_share_percent": 40}}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "expected an object"),
        ('{"cost-dominates": 3}', "is not of the form rule-id.threshold"),
        ('{"no-such-rule.x": 3}', "there is no rule 'no-such-rule'"),
        ('{"cost-dominates.nope": 3}', "has no threshold 'nope'"),
        ('{"cost-dominates.max_cost_share_percent": -1}', "a number of at least 0"),
        ('{"cost-dominates.max_cost_share_percent": true}', "is not a number"),
        ('{"untrained-before-phase.min_impact": "huge"}', "one of"),
        ('{"adkar-barrier-before-phase.stages": ["sleep"]}', "'sleep' is not one of"),
    ],
)
def test_bad_thresholds_are_one_clear_line_and_nothing_is_written(service, text, says):
    from tests.factories import full_plan

    ini = full_plan(service)["initiative"]
    before = ini.readiness_thresholds
    with pytest.raises(DomainError) as caught:
        service.update("initiative", ini.id, {"readiness_thresholds": text})
    message = str(caught.value)
    assert says in message and "\n" not in message
    assert message.startswith("Initiative readiness thresholds")
    assert service.plan(ini.id).initiative.readiness_thresholds == before


def test_check_names_bad_thresholds_in_a_file_in_one_line(tmp_path):
    db = tmp_path / "plan.db"
    assert run_cli("demo", "--db", str(db), "--example", "good").returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("update initiative set readiness_thresholds = '{\"nope.x\": 1}'")
    conn.commit()
    conn.close()
    result = run_cli("check", "--db", str(db))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and "there is no rule 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------- sponsor link and thresholds travel with the plan
def test_sponsor_and_thresholds_round_trip_through_excel(demo, tmp_path):
    from planner.services.excel.importer import apply_import
    from tests.excel_support import edit as edit_workbook
    from tests.excel_support import export, header_index, only_changes, preview

    ini = demo.initiatives()[0]
    thresholds = '{"communication-gap-in-phase.max_gap_weeks": 2}'
    demo.update("initiative", ini.id, {"readiness_thresholds": thresholds})
    exported = export(demo, tmp_path / "plan.xlsx")
    assert only_changes(preview(demo, exported)) == []  # re-reading changes nothing

    def change(wb):
        ws = wb["Initiative"]
        ws.cell(row=2, column=header_index(ws, "Sponsor")).value = "Sofia Romero (VP Sales)"
        ws.cell(row=2, column=header_index(ws, "Sponsor ID")).value = None
        limit = ws.cell(row=2, column=header_index(ws, "Readiness thresholds"))
        limit.value = '{"cost-dominates.max_cost_share_percent": 25}'

    result = preview(demo, edit_workbook(exported, tmp_path / "edited.xlsx", change))
    assert result.errors == []
    apply_import(demo, result)
    plan = demo.plan(ini.id)
    assert plan.by_id[plan.initiative.sponsor_id].title == "Sofia Romero (VP Sales)"
    assert check(plan, TODAY).thresholds == {"cost-dominates": {"max_cost_share_percent": 25}}

    def typo(wb):
        ws = wb["Initiative"]
        ws.cell(row=2, column=header_index(ws, "Sponsor")).value = "Sofia Romeo"
        ws.cell(row=2, column=header_index(ws, "Sponsor ID")).value = None

    bad = preview(demo, edit_workbook(exported, tmp_path / "typo.xlsx", typo))
    [problem] = bad.errors
    assert "no stakeholder named ‘Sofia Romeo’" in str(problem) and "\n" not in str(problem)


def test_an_unknown_threshold_in_a_workbook_is_one_error_and_nothing_is_imported(demo, tmp_path):
    from tests.excel_support import edit as edit_workbook
    from tests.excel_support import export, header_index, preview

    exported = export(demo, tmp_path / "plan.xlsx")

    def change(wb):
        ws = wb["Initiative"]
        ws.cell(row=2, column=header_index(ws, "Readiness thresholds")).value = '{"nope.x": 1}'

    result = preview(demo, edit_workbook(exported, tmp_path / "bad.xlsx", change))
    [problem] = result.errors
    assert "there is no rule 'nope'" in str(problem) and "\n" not in str(problem)
    assert demo.initiatives()[0].readiness_thresholds is None
