"""What `planner doctor` checks of a team plan's roles: who may change the plan, and
whether the planner's group roles still hold exactly the grants `team_roles` gives.

A grant made by hand on the server (`GRANT UPDATE ... TO` the viewer role, a
login given INSERT directly) goes around the team roles: the window would open
such a viewer read-only, while the server lets the same login write. Reads only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ARRAY, bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.types import Text

from planner.domain.quoting import shown
from planner.persistence.private_columns import PRIVATE
from planner.persistence.tables import PLAN_TABLES, TABLES
from planner.persistence.team_roles import ROLES, group_role, members

WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
_EXPECTED = {
    "viewer": ("SELECT",),
    "editor": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "owner": ("SELECT", "INSERT", "UPDATE", "DELETE"),
}
_MAX_NAMED = 4


@dataclass
class TeamAudit:
    """The team's members and what is wrong with the grants (one line per problem)."""

    members: list[tuple[str, str]]
    roles_made: bool
    role_problems: list[str]
    writer_problems: list[str]


def audit(connection: Connection) -> TeamAudit:
    tables = _existing_tables(connection)
    database = str(connection.execute(text("SELECT current_database()")).scalar())
    made = [role for role in ROLES if _role_exists(connection, group_role(database, role))]
    role_problems: list[str] = []
    writing_roles: set[str] = set()
    for role in ROLES:
        name = group_role(database, role)
        if role not in made:
            if made:
                role_problems.append(
                    f"{name} is missing (planner team grant makes it again); "
                    f"nothing a {role} should be able to do is granted"
                )
            continue
        held = _privileges(connection, name, tables)
        if any(privilege in WRITES for privilege, _ in held):
            writing_roles.add(role)
        private = _private_readable(connection, name, tables) if role == "viewer" else []
        if role == "viewer":
            # On the tables with private fields a viewer reads the other columns only.
            held |= {("SELECT", table) for table in _partly_readable(connection, name, tables)}
        problem = _role_problem(role, name, held, tables)
        if problem:
            role_problems.append(problem)
        if private:
            role_problems.append(
                f"{name} may read {', '.join(private)}, but a viewer may not read "
                f"stakeholders' notes and attitudes (planner team grant withholds them again)"
            )
    team = members(connection) if made else []
    return TeamAudit(
        team, bool(made), role_problems, _stray_writers(connection, team, writing_roles, tables)
    )


def _existing_tables(connection: Connection) -> list[str]:
    """The plan's tables that are there (the doctor's table check names any missing)."""
    names = [table.name for table in PLAN_TABLES]  # the trail (record_change) is its own check
    rows = connection.execute(
        text(
            "SELECT t.name FROM unnest(:names) AS t(name) "
            "WHERE to_regclass(quote_ident(t.name)) IS NOT NULL"
        ).bindparams(bindparam("names", type_=ARRAY(Text))),
        {"names": names},
    )
    return sorted(str(row[0]) for row in rows)


def _role_exists(connection: Connection, name: str) -> bool:
    found = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
    ).first()
    return found is not None


def _privileges(connection: Connection, role: str, tables: list[str]) -> set[tuple[str, str]]:
    """(privilege, table) the role holds on the plan's tables, its memberships included."""
    rows = connection.execute(
        text(
            "SELECT p.privilege, t.name FROM unnest(:tables) AS t(name) "
            "CROSS JOIN unnest(:privileges) AS p(privilege) "
            "WHERE has_table_privilege(CAST(:role AS name), quote_ident(t.name), p.privilege)"
        ).bindparams(
            bindparam("tables", type_=ARRAY(Text)), bindparam("privileges", type_=ARRAY(Text))
        ),
        {"tables": tables, "privileges": ["SELECT", *WRITES], "role": role},
    )
    return {(str(row[0]), str(row[1])) for row in rows}


def _private_columns(tables: list[str]) -> tuple[list[str], list[str]]:
    pairs = [
        (TABLES[kind].name, name)
        for kind, names in PRIVATE.items()
        if TABLES[kind].name in tables
        for name in names
    ]
    return [t for t, _ in pairs], [c for _, c in pairs]


def _private_readable(connection: Connection, role: str, tables: list[str]) -> list[str]:
    """'stakeholder.notes', ... : the private columns the role may read."""
    names, columns = _private_columns(tables)
    rows = connection.execute(
        text(
            "SELECT x.t, x.c FROM unnest(:tables, :columns) AS x(t, c) "
            "JOIN pg_attribute a ON a.attrelid = to_regclass(quote_ident(x.t)) "
            "AND a.attname = x.c AND NOT a.attisdropped "
            "WHERE has_column_privilege(CAST(:role AS name), a.attrelid, a.attnum, 'SELECT')"
        ).bindparams(
            bindparam("tables", type_=ARRAY(Text)), bindparam("columns", type_=ARRAY(Text))
        ),
        {"tables": names, "columns": columns, "role": role},
    )
    return [f"{row[0]}.{row[1]}" for row in rows]


def _partly_readable(connection: Connection, role: str, tables: list[str]) -> set[str]:
    """The tables with private fields of which the role may read some columns."""
    private_tables = [TABLES[kind].name for kind in PRIVATE if TABLES[kind].name in tables]
    rows = connection.execute(
        text(
            "SELECT t.name FROM unnest(:tables) AS t(name) "
            "WHERE has_any_column_privilege(CAST(:role AS name), quote_ident(t.name), 'SELECT')"
        ).bindparams(bindparam("tables", type_=ARRAY(Text))),
        {"tables": private_tables, "role": role},
    )
    return {str(row[0]) for row in rows}


def _role_problem(
    role: str, name: str, held: set[tuple[str, str]], tables: list[str]
) -> str | None:
    expected = _EXPECTED[role]
    extra = sorted(pair for pair in held if pair[0] not in expected)
    missing = sorted(
        (privilege, table)
        for privilege in expected
        for table in tables
        if (privilege, table) not in held
    )
    one = f"an {role}" if role[0] in "aeiou" else f"a {role}"
    parts = []
    if extra:
        what = "may only read" if role == "viewer" else f"may not {_verbs(extra)}"
        parts.append(f"holds {_described(extra)}, but {one} {what}")
    if missing:
        parts.append(f"lacks {_described(missing)}, which {one} needs")
    return f"{name} " + "; ".join(parts) if parts else None


def _stray_writers(
    connection: Connection,
    team: list[tuple[str, str]],
    writing_roles: set[str],
    tables: list[str],
) -> list[str]:
    """Logins that can change the plan although no team role lets them.

    The server's superusers and whoever holds the tables' owner's rights are the
    plan's administrators, not stray writers. A viewer whose group role itself can
    write is told of once, under the roles, not again for each viewer.
    """
    rows = connection.execute(
        text(
            "SELECT r.rolname, p.privilege, t.name FROM pg_roles r "
            "CROSS JOIN unnest(:tables) AS t(name) "
            "CROSS JOIN unnest(:privileges) AS p(privilege) "
            "JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name)) "
            "WHERE r.rolcanlogin AND NOT r.rolsuper "
            "AND NOT pg_has_role(r.oid, c.relowner, 'USAGE') "
            "AND has_table_privilege(r.oid, c.oid, p.privilege)"
        ).bindparams(
            bindparam("tables", type_=ARRAY(Text)), bindparam("privileges", type_=ARRAY(Text))
        ),
        {"tables": tables, "privileges": list(WRITES)},
    )
    writes: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for login, privilege, table in rows:
        writes[str(login)].add((str(privilege), str(table)))
    roles_of: dict[str, set[str]] = defaultdict(set)
    for login, role in team:
        roles_of[login].add(role)
    problems = []
    for login in sorted(writes):
        roles = roles_of[login]
        if roles & {"editor", "owner"} or roles & writing_roles:
            continue
        who = f"{shown(login)!r} is a viewer" if roles else f"{shown(login)!r} holds no team role"
        problems.append(f"{who} but may change the plan: {_described(sorted(writes[login]))}")
    return problems


def _verbs(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(sorted({privilege for privilege, _ in pairs}))


def _described(pairs: list[tuple[str, str]]) -> str:
    """'UPDATE on stakeholder, INSERT on initiative and 3 more', short enough for one line."""
    by_privilege: dict[str, list[str]] = defaultdict(list)
    for privilege, table in pairs:
        by_privilege[privilege].append(table)
    parts = []
    for privilege in sorted(by_privilege):
        named = by_privilege[privilege]
        more = f" and {len(named) - _MAX_NAMED} more" if len(named) > _MAX_NAMED else ""
        parts.append(f"{privilege} on {', '.join(named[:_MAX_NAMED])}{more}")
    return "; ".join(parts)
