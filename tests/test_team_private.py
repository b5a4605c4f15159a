"""Stakeholders' notes and attitudes on a team plan: the server withholds them from viewers.

A real PostgreSQL server (`pg_url`), the demo plan with a recognisable note
planted on a powerful, resistant stakeholder; viewers, editors and owners are
real logins granted by `planner team grant`.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path

import psycopg
import pytest
from conftest import DEMO_TODAY
from openpyxl import load_workbook

from planner.charts.privacy import Privacy
from planner.charts.stakeholder_map import build_map
from planner.charts.style import NORMAL
from planner.cli import main
from planner.domain.enums import Engagement
from planner.domain.records import Stakeholder
from planner.persistence.database import open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService

PLANTED = "Confided-7Q: Marcus will block the budget unless the pilot slips"
PERSON = "Marcus Lee (CFO)"
WITHHELD = {
    ("stakeholder", "engagement"),
    ("stakeholder", "desired_engagement"),
    ("stakeholder", "notes"),
    ("snapshot", "engagement"),
}


def _as(url: str, user: str) -> str:
    return f"postgresql://{user}@{url.split('@', 1)[1]}"


def _member(pg_url: str, role: str) -> str:
    """The URL of a new login holding `role` on the plan, granted by the real CLI."""
    user = f"{role[:3]}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{user}" LOGIN')
    assert main(["team", "grant", "--db", pg_url, "--user", user, "--role", role]) == 0
    return _as(pg_url, user)


@pytest.fixture
def plan_url(pg_url: str) -> str:
    """The demo plan on the server, its CFO resistant again and the planted note on him."""
    db = open_database(pg_url)
    try:
        service = PlanService(db)
        create_demo(service, today=DEMO_TODAY)
        person = _person(service)
        assert person.power == 5
        service.update(
            "stakeholder",
            person.id,
            {
                "notes": PLANTED,
                "interest": 5,
                "engagement": "resistant",
                "desired_engagement": "leading",
            },
        )
    finally:
        db.close()
    return pg_url


def _person(service: PlanService) -> Stakeholder:
    plan = service.plan(service.main_initiative().id)
    return next(s for s in plan.stakeholders if s.name == PERSON)


def test_a_viewers_own_sql_cannot_read_notes_or_attitudes(plan_url: str) -> None:
    viewer = _member(plan_url, "viewer")
    for sql in (
        "SELECT notes FROM stakeholder",
        "SELECT engagement FROM stakeholder",
        "SELECT desired_engagement FROM stakeholder",
        "SELECT * FROM stakeholder",
        "SELECT engagement FROM snapshot",
    ):
        with psycopg.connect(viewer) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(sql)
    with psycopg.connect(viewer) as connection:
        names = connection.execute("SELECT name, power FROM stakeholder").fetchall()
        taken = connection.execute("SELECT taken_on, power FROM snapshot").fetchall()
    assert (PERSON, 5) in names and taken


def test_the_planner_opens_the_plan_for_a_viewer_with_private_fields_hidden(
    plan_url: str,
) -> None:
    db = open_database(_member(plan_url, "viewer"))
    try:
        assert db.read_only and db.hidden == WITHHELD
        service = PlanService(db)
        plan = service.plan(service.main_initiative().id)
        person = next(s for s in plan.stakeholders if s.name == PERSON)
        assert plan.hidden == WITHHELD and plan.attitudes_hidden
        assert person.power == 5 and person.notes is None
        assert {s.engagement for s in plan.stakeholders} == {Engagement.NEUTRAL}
        assert {s.engagement for s in plan.snapshots} == {Engagement.NEUTRAL}
        assert service.get("stakeholder", person.id).notes is None

        figure = build_map(plan, today=DEMO_TODAY, style=NORMAL, privacy=Privacy.OFF).figure
        legend = figure.legends[0].get_title().get_text()
        assert legend.startswith("Colour: attitudes hidden (not shown to viewers)")
        texts = " ".join(t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")))
        assert PERSON in texts and "resistant" not in texts.lower()
    finally:
        db.close()


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_check_as_a_viewer_leaves_attitudes_out(
    plan_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    editor = _member(plan_url, "editor")
    viewer = _member(plan_url, "viewer")
    capsys.readouterr()
    today = ["--today", DEMO_TODAY.isoformat()]

    _code, as_editor, _err = _cli(["check", "--db", editor, *today], capsys)
    told = " ".join(as_editor.split())
    assert f"{PERSON}: currently resistant" in told  # what a viewer must not be told

    code, out, err = _cli(["check", "--db", viewer, *today], capsys)
    assert (code, err) == (0, "")
    assert "Resistance from" not in out and PLANTED not in out
    assert "currently" not in out and "resistant" not in out.lower()
    assert "resistance-without-plan" not in out.split("Not checked:")[0]
    note = " ".join(out.split("Not checked:")[1].split())
    assert note.startswith(
        "3 rules about stakeholders' attitudes (key-player-engagement-gap, "
        "resistance-without-plan, adkar-barrier-before-phase); the server withholds"
    )

    code, out, err = _cli(["check", "--db", viewer, "--format", "json", *today], capsys)
    report = json.loads(out)
    assert code == 0 and "currently resistant" not in out and PLANTED not in out
    assert report["not_run"] == [
        "key-player-engagement-gap",
        "resistance-without-plan",
        "adkar-barrier-before-phase",
    ]


def test_export_as_a_viewer_holds_no_notes_or_attitudes(
    plan_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    viewer = _member(plan_url, "viewer")
    out_file = tmp_path / "plan.xlsx"
    capsys.readouterr()

    code, out, err = _cli(
        ["export", "--db", viewer, "--today", DEMO_TODAY.isoformat(), str(out_file)], capsys
    )

    assert code == 0, err
    assert "notes and attitudes are left blank" in out + err
    with zipfile.ZipFile(out_file) as workbook:
        for name in workbook.namelist():
            text = workbook.read(name).decode("utf-8", "replace")
            assert PLANTED not in text and "Confided-7Q" not in text, name
            assert "Resistance from" not in text, name
    book = load_workbook(out_file, read_only=True)
    rows = book["Stakeholders"].iter_rows(values_only=True)
    headers = [str(h) for h in next(rows)]
    people = [dict(zip(headers, row, strict=False)) for row in rows if any(row)]
    person = next(p for p in people if p["Name"] == PERSON)
    assert person["Power"] == 5
    for header in ("Current engagement", "Desired engagement", "Notes"):
        assert {p[header] for p in people} == {None}, header
    snapshots = book["Snapshots"].iter_rows(values_only=True)
    column = [str(h) for h in next(snapshots)].index("Engagement")
    assert {row[column] for row in snapshots if any(row)} == {None}
    book.close()


def test_an_editor_still_reads_and_edits_notes(plan_url: str) -> None:
    db = open_database(_member(plan_url, "editor"))
    try:
        assert db.hidden == frozenset()
        service = PlanService(db)
        person = _person(service)
        assert person.notes == PLANTED and person.engagement is Engagement.RESISTANT
        service.update(
            "stakeholder", person.id, {"notes": "Agreed a pilot date", "engagement": "neutral"}
        )
    finally:
        db.close()
    with psycopg.connect(plan_url) as admin:
        row = admin.execute(
            "SELECT notes, engagement FROM stakeholder WHERE name = %s", [PERSON]
        ).fetchone()
    assert row == ("Agreed a pilot date", "neutral")


def test_a_viewers_backup_is_refused_in_one_line(
    plan_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    viewer = _member(plan_url, "viewer")
    copy = tmp_path / "copy.db"
    capsys.readouterr()

    code, _out, err = _cli(["backup", "--db", viewer, "--to", str(copy)], capsys)

    assert code != 0 and not copy.exists()
    refusal = (
        "planner: error: the server withholds stakeholders' notes and attitudes from your "
        "login (a viewer of this team plan), so no whole copy can be made; nothing was "
        "copied (an editor or owner can make it)"
    )
    assert err.strip().splitlines() == [refusal]


def test_doctor_finds_a_viewer_role_that_may_read_notes(
    plan_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    vera = _member(plan_url, "viewer").split("//", 1)[1].split("@", 1)[0]
    capsys.readouterr()
    clean = "  ok       team roles: viewer, editor and owner hold their grants"
    assert clean in _cli(["doctor", "--db", plan_url], capsys)[1].splitlines()

    role = f"planner_{plan_url.rsplit('/', 1)[1]}_viewer"
    with psycopg.connect(plan_url, autocommit=True) as admin:
        admin.execute(f'GRANT SELECT (notes) ON stakeholder TO "{role}"')
    code, out, _err = _cli(["doctor", "--db", plan_url], capsys)

    problems = [line for line in out.splitlines() if "PROBLEM" in line]
    assert code != 0
    expected = (
        f"  PROBLEM  team roles: {role} may read stakeholder.notes, but a viewer may not "
        f"read stakeholders' notes and attitudes (planner team grant withholds them again)"
    )
    assert problems == [expected]
    assert main(["team", "grant", "--db", plan_url, "--user", vera, "--role", "viewer"]) == 0
    capsys.readouterr()
    assert clean in _cli(["doctor", "--db", plan_url], capsys)[1].splitlines()


def test_a_viewers_export_imported_by_an_editor_overwrites_no_attitudes(
    plan_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    viewer, editor = _member(plan_url, "viewer"), _member(plan_url, "editor")
    out_file = tmp_path / "plan.xlsx"
    assert main(["export", "--db", viewer, "--no-charts", str(out_file)]) == 0
    capsys.readouterr()

    code, _out, err = _cli(["import", "--db", editor, str(out_file)], capsys)

    with psycopg.connect(plan_url) as admin:
        row = admin.execute(
            "SELECT notes, engagement FROM stakeholder WHERE name = %s", [PERSON]
        ).fetchone()
    assert row == (PLANTED, "resistant")
    assert code != 0 and "‘Current engagement’: is required" in err
    assert err.strip().splitlines()[-1].endswith("nothing was imported")


def test_the_audit_trail_shows_a_viewer_who_and_when_but_no_old_notes(plan_url: str) -> None:
    viewer, editor = _member(plan_url, "viewer"), _member(plan_url, "editor")
    with psycopg.connect(viewer) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT fields FROM record_change")
    with psycopg.connect(viewer) as connection:
        assert connection.execute("SELECT count(*) FROM record_change").fetchone()[0] > 0

    def trail_of(url: str) -> list:
        db = open_database(url)
        try:
            service = PlanService(db)
            found = service.record_trail("stakeholder", _person(service).id)
        finally:
            db.close()
        assert found
        return found

    def values(entries: list) -> str:
        return repr([(c.old, c.new) for entry in entries for c in entry.fields])

    assert PLANTED in values(trail_of(editor))
    seen = trail_of(viewer)
    assert PLANTED not in values(seen) and all(entry.login for entry in seen)
