"""Team roles on a real PostgreSQL server: a viewer cannot write, even by hand."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from planner.cli import main
from planner.persistence.database import open_database
from planner.persistence.errors import ReadOnlyError
from planner.services.planning import PlanService


def _as(url: str, user: str) -> str:
    rest = url.split("@", 1)[1]
    return f"postgresql://{user}@{rest}"


def test_viewer_cannot_write_and_opens_read_only(pg_url: str) -> None:
    open_database(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("DROP ROLE IF EXISTS vera")
        admin.execute("CREATE ROLE vera LOGIN")
    assert main(["team", "grant", "--db", pg_url, "--user", "vera", "--role", "viewer"]) == 0
    with psycopg.connect(_as(pg_url, "vera")) as viewer:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            viewer.execute("DELETE FROM initiative")
    db = open_database(_as(pg_url, "vera"))
    try:
        assert db.read_only
        assert db.read_only_reason == "Read-only: you are a viewer of this team plan"
        with pytest.raises(ReadOnlyError, match=r"open read-only \(you are a viewer of this"):
            PlanService(db).create("initiative", {"name": "Not mine to add"})
    finally:
        db.close()


def test_unknown_role_changes_nothing(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    open_database(pg_url).close()
    assert main(["team", "grant", "--db", pg_url, "--user", "nobody", "--role", "boss"]) != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def _login(pg_url: str, name: str) -> str:
    """A new login role on the test server, its name made unique (roles outlive databases)."""
    user = f"{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{user}" LOGIN')
    return user


def _grant(pg_url: str, user: str, role: str) -> None:
    assert main(["team", "grant", "--db", pg_url, "--user", user, "--role", role]) == 0


def _members(pg_url: str) -> list[tuple[str, str]]:
    with psycopg.connect(pg_url) as admin:
        rows = admin.execute(
            "SELECT m.rolname, g.rolname FROM pg_auth_members a "
            "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
            "WHERE g.rolname LIKE 'planner\\_%' AND m.rolcanlogin ORDER BY 1"
        ).fetchall()
    return [(str(user), str(role)) for user, role in rows]


def test_an_editor_edits_and_the_change_lands_on_the_server(pg_url: str) -> None:
    admin = open_database(pg_url)
    try:
        made = PlanService(admin).create("initiative", {"name": "CRM roll-out"})
    finally:
        admin.close()
    eda = _login(pg_url, "eda")
    _grant(pg_url, eda, "editor")

    db = open_database(_as(pg_url, eda))
    try:
        assert not db.read_only and db.read_only_reason is None
        PlanService(db).update("initiative", made.id, {"name": "CRM roll-out, wave 2"})
    finally:
        db.close()

    with psycopg.connect(pg_url) as check:
        row = check.execute("SELECT name, version FROM initiative WHERE id = %s", [made.id])
        assert row.fetchone() == ("CRM roll-out, wave 2", made.version + 1)


@pytest.mark.parametrize("action", ["grant", "revoke"])
def test_an_editor_cannot_hand_out_roles(
    pg_url: str, capsys: pytest.CaptureFixture[str], action: str
) -> None:
    open_database(pg_url).close()
    eda, vera = _login(pg_url, "eda"), _login(pg_url, "vera")
    _grant(pg_url, eda, "editor")
    _grant(pg_url, vera, "viewer")
    before = _members(pg_url)
    capsys.readouterr()

    role = ["--role", "owner"] if action == "grant" else []
    args = ["team", action, "--db", _as(pg_url, eda), "--user", vera, *role]
    assert main(args) != 0

    said = capsys.readouterr().err.strip().splitlines()
    refusal = (
        f"planner: error: the server refused: {eda!r} may not {action} team roles on this "
        f"team plan (only its owners can); nothing was changed"
    )
    assert said == [refusal]
    assert _members(pg_url) == before


def test_an_owner_hands_out_roles(pg_url: str) -> None:
    open_database(pg_url).close()
    olga, vera = _login(pg_url, "olga"), _login(pg_url, "vera")
    _grant(pg_url, olga, "owner")
    assert (
        main(["team", "grant", "--db", _as(pg_url, olga), "--user", vera, "--role", "viewer"]) == 0
    )
    database = pg_url.rsplit("/", 1)[1]
    assert (vera, f"planner_{database}_viewer") in _members(pg_url)


def _doctor(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], list[str]]:
    code = main(["doctor", "--db", url])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.strip().splitlines()


def _team(pg_url: str) -> dict[str, str]:
    """A plan with one member of each role; {role: login}."""
    open_database(pg_url).close()
    team = {role: _login(pg_url, role[:3]) for role in ("viewer", "editor", "owner")}
    for role, user in team.items():
        _grant(pg_url, user, role)
    return team


def test_doctor_lists_the_team_and_passes_clean_grants(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    team = _team(pg_url)
    capsys.readouterr()

    code, out, err = _doctor(pg_url, capsys)

    assert (code, err) == (0, [])
    people = ", ".join(
        f"{user} ({role})" for role, user in sorted(team.items(), key=lambda p: p[1])
    )
    assert f"  ok       team: 3 members: {people}" in out
    assert "  ok       team roles: viewer, editor and owner hold their grants" in out
    assert not [line for line in out if "PROBLEM" in line]


def test_doctor_without_team_roles_says_so(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    open_database(pg_url).close()
    code, out, _err = _doctor(pg_url, capsys)
    assert code == 0
    assert "  ok       team: no team roles granted: only the plan's administrators use it" in out


def test_doctor_finds_a_viewer_role_given_update_by_hand(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _team(pg_url)
    viewer_role = f"planner_{pg_url.rsplit('/', 1)[1]}_viewer"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'GRANT UPDATE ON stakeholder TO "{viewer_role}"')
    capsys.readouterr()

    code, out, err = _doctor(pg_url, capsys)

    problems = [line for line in out if "PROBLEM" in line]
    expected = (
        f"  PROBLEM  team roles: {viewer_role} holds UPDATE on stakeholder, "
        f"but a viewer may only read"
    )
    assert problems == [expected]
    assert code != 0 and len(err) == 1 and viewer_role in err[0]


def test_doctor_finds_logins_that_write_without_a_writing_role(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    team = _team(pg_url)
    mallory = _login(pg_url, "mallory")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'GRANT INSERT, DELETE ON initiative TO "{mallory}"')
        admin.execute(f'GRANT UPDATE ON objective TO "{team["viewer"]}"')
    capsys.readouterr()

    code, out, _err = _doctor(pg_url, capsys)

    assert code != 0
    stray = (
        f"  PROBLEM  writers: {mallory!r} holds no team role but may change the plan: "
        f"DELETE on initiative; INSERT on initiative"
    )
    viewer = (
        f"  PROBLEM  writers: {team['viewer']!r} is a viewer but may change the plan: "
        f"UPDATE on objective"
    )
    expected = sorted([stray, viewer], key=lambda line: line.split("'")[1])
    assert [line for line in out if "PROBLEM" in line] == expected


def test_a_login_the_server_does_not_know_is_one_line(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(pg_url).close()
    assert main(["team", "list", "--db", _as(pg_url, "nobody_at_all")]) != 0
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "nobody_at_all" in said[0] and said[0].endswith("nothing was changed")


def test_the_plan_owner_of_the_readme_sets_up_the_team_in_a_few_commands(
    pg_server, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's server set-up, as written: a plain login owns the database and
    publishes into it; its first grant says in one line what the administrator does once
    (CREATEROLE), then it grants; a member without a role is told in one line at open."""
    alice, bob, carl = (_login(pg_server.url(), name) for name in ("alice", "bob", "carl"))
    database = f"helix_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}" OWNER "{alice}"')
    plan = _as(pg_server.url(database), alice)
    try:
        assert main(["demo", "--db", plan]) == 0
        capsys.readouterr()
        assert main(["team", "grant", "--db", plan, "--user", bob, "--role", "editor"]) == 1
        said = capsys.readouterr().err.strip().splitlines()
        assert said == [
            (
                "planner: error: this team plan has no team roles yet, and making them takes a "
                "login that may create roles: the server's administrator runs once "
                f'ALTER ROLE "{alice}" CREATEROLE (or grants with a superuser login); '
                "nothing was changed"
            )
        ]
        assert main(["doctor", "--db", plan]) == 0  # nothing half made

        assert main(["history", "--db", _as(plan, carl), "--kind", "stakeholder", "--id", "x"]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"'{carl}' has no role on this team plan" in err[0]
        assert err[0].endswith(
            f"planner team grant --user {carl} --role editor (or viewer); nothing was opened"
        )

        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute(f'ALTER ROLE "{alice}" CREATEROLE')
        assert main(["team", "grant", "--db", plan, "--user", bob, "--role", "editor"]) == 0
        db = open_database(_as(plan, bob))
        try:
            service = PlanService(db)
            person = service.list("stakeholder", service.initiatives()[0].id)[0]
            service.update("stakeholder", person.id, {"name": "Edited by bob"})
        finally:
            db.close()
        assert (bob, f"planner_{database}_editor") in _members(pg_server.url(database))
    finally:
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
