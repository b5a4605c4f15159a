"""The audit trail of a team plan: who changed which record, when, and what changed.

On a PostgreSQL server every insert, update and delete of a record's row (and
of a link row: a communication's audience...) runs a trigger that writes
`record_change` in the same transaction: the change and its entry commit
together or not at all, and a hand-made UPDATE in psql is recorded like the
window's. The trigger functions are SECURITY DEFINER, owned by whoever made the
schema: they write the table for every login, while the team roles only ever
hold SELECT on it (`team_roles`), so no member can add, alter or remove an
entry. The login is `session_user`, the role that connected (a SET ROLE does
not hide it); the time is the server's transaction time, so every entry of one
save carries the same moment.

One entry per record per transaction: a save of a record's fields and of its
list fields (which are link rows) is one entry, whatever the number of rows.
`fields` is JSON: field -> {"old": …, "new": …}, and for a list field
{"added": [ids], "removed": [ids]}; the stamps (created_at, updated_at,
version) are left out, the row version is a column of its own.

A local file keeps no trail (it has one writer, and no logins): the table is
there, so that both engines share one schema, but stays empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from planner.domain.changes import Action
from planner.domain.records import RECORD_TYPES
from planner.domain.trail import FieldChange, TrailEntry
from planner.persistence.tables import LINKS, RECORD_CHANGES, TABLES

_NOTE = """
CREATE OR REPLACE FUNCTION planner_note_change(
    p_kind text, p_id text, p_action text, p_fields jsonb, p_version integer
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
    earlier record_change%ROWTYPE;
    merged jsonb;
    change jsonb;
    field text;
    side text;
BEGIN
    SELECT * INTO earlier FROM record_change
     WHERE transaction_id = txid_current() AND kind = p_kind AND record_id = p_id
     ORDER BY id DESC LIMIT 1;
    IF NOT FOUND THEN
        IF p_action = 'update' AND p_fields = '{}'::jsonb THEN
            RETURN;
        END IF;
        INSERT INTO record_change
            (kind, record_id, action, fields, login, changed_at, version, transaction_id)
        VALUES (p_kind, p_id, p_action, p_fields::text, session_user, now(), p_version,
                txid_current());
        RETURN;
    END IF;
    merged := earlier.fields::jsonb;
    FOR field IN SELECT jsonb_object_keys(p_fields) LOOP
        IF NOT merged ? field THEN
            merged := merged || jsonb_build_object(field, p_fields -> field);
            CONTINUE;
        END IF;
        change := merged -> field;
        IF p_fields -> field ? 'new' THEN
            change := change || jsonb_build_object('new', p_fields -> field -> 'new');
        END IF;
        FOREACH side IN ARRAY ARRAY['added', 'removed'] LOOP
            IF p_fields -> field ? side THEN
                change := change || jsonb_build_object(
                    side, coalesce(change -> side, '[]'::jsonb) || (p_fields -> field -> side));
            END IF;
        END LOOP;
        merged := merged || jsonb_build_object(field, change);
    END LOOP;
    UPDATE record_change
       SET fields = merged::text,
           action = CASE WHEN earlier.action = 'update' THEN p_action ELSE earlier.action END,
           version = coalesce(p_version, earlier.version)
     WHERE id = earlier.id;
END
$fn$
"""

_RECORD = """
CREATE OR REPLACE FUNCTION planner_record_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
    before jsonb := CASE WHEN TG_OP = 'INSERT' THEN '{}'::jsonb ELSE to_jsonb(OLD) END;
    after jsonb := CASE WHEN TG_OP = 'DELETE' THEN '{}'::jsonb ELSE to_jsonb(NEW) END;
    fields jsonb := '{}'::jsonb;
    field text;
BEGIN
    FOR field IN SELECT jsonb_object_keys(before || after) LOOP
        CONTINUE WHEN field IN ('id', 'created_at', 'updated_at', 'version');
        CONTINUE WHEN coalesce(before -> field, 'null'::jsonb)
                    = coalesce(after -> field, 'null'::jsonb);
        fields := fields || jsonb_build_object(field, jsonb_build_object(
            'old', coalesce(before -> field, 'null'::jsonb),
            'new', coalesce(after -> field, 'null'::jsonb)));
    END LOOP;
    PERFORM planner_note_change(
        TG_ARGV[0],
        coalesce(after ->> 'id', before ->> 'id'),
        CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'DELETE' THEN 'delete' ELSE 'update' END,
        fields,
        (CASE WHEN TG_OP = 'DELETE' THEN before ELSE after END ->> 'version')::integer);
    RETURN NULL;
END
$fn$
"""

# TG_ARGV: the owner's kind, its list field, the owner column, the target column, the
# owner's table (whose row version the entry takes).
_LINK = """
CREATE OR REPLACE FUNCTION planner_link_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
    link jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    owner text := link ->> TG_ARGV[2];
    owner_version integer;
BEGIN
    EXECUTE format('SELECT version FROM %I WHERE id = $1', TG_ARGV[4])
       INTO owner_version USING owner;
    PERFORM planner_note_change(
        TG_ARGV[0], owner, 'update',
        jsonb_build_object(TG_ARGV[1], jsonb_build_object(
            CASE WHEN TG_OP = 'DELETE' THEN 'removed' ELSE 'added' END,
            jsonb_build_array(link ->> TG_ARGV[3]))),
        owner_version);
    RETURN NULL;
END
$fn$
"""

RecordTables = Iterable[tuple[str, str]]
"""(table, kind) of every record table."""
LinkTables = Iterable[tuple[str, str, str, str, str, str]]
"""(link table, owner kind, list field, owner column, target column, owner table)."""


def head_tables() -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str, str, str]]]:
    """The record and link tables of this planner's schema, for `install`."""
    records = [(table.name, kind) for kind, table in TABLES.items()]
    links = [
        (table.name, kind, name, owner, target, TABLES[kind].name)
        for kind, fields in LINKS.items()
        for name, (table, owner, target) in fields.items()
    ]
    return records, links


def install(connection: Connection, records: RecordTables, links: LinkTables) -> None:
    """The trail's functions and a trigger on every table named (PostgreSQL only).

    The tables are passed in, so that a migration names them as they are at its
    revision; the functions are replaced, the triggers made again, so running it
    twice leaves one of each.
    """
    for statement in (_NOTE, _RECORD, _LINK):
        connection.execute(text(statement))
    for table, kind in records:
        _trigger(connection, table, "planner_record_changed", [kind])
    for table, kind, field, owner, target, owner_table in links:
        _trigger(
            connection, table, "planner_link_changed", [kind, field, owner, target, owner_table]
        )
    for function in (
        "planner_note_change(text, text, text, jsonb, integer)",
        "planner_record_changed()",
        "planner_link_changed()",
    ):
        connection.execute(text(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC"))


def _trigger(connection: Connection, table: str, function: str, arguments: list[str]) -> None:
    quoted = ", ".join("'" + argument.replace("'", "''") + "'" for argument in arguments)
    name = f'"{table}_trail"'
    connection.execute(text(f'DROP TRIGGER IF EXISTS {name} ON "{table}"'))
    connection.execute(
        text(
            f'CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}({quoted})"
        )
    )


def untracked_tables(connection: Connection) -> list[str]:
    """The plan's tables whose trail trigger is missing or disabled (what the doctor names)."""
    records, links = head_tables()
    names = [table for table, _kind in records] + [link[0] for link in links]
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' "
            "AND t.tgname = c.relname || '_trail'"
        )
    )
    tracked = {str(row[0]) for row in rows}
    return [name for name in names if name not in tracked]


def install_head(connection: Connection) -> None:
    """The trail on a team database made at the head revision."""
    records, links = head_tables()
    install(connection, records, links)


def trail(connection: Connection, kind: str, record_id: str) -> list[TrailEntry]:
    """Every recorded change of one record, oldest first; its fields in the kind's order."""
    table = RECORD_CHANGES
    columns = list(table.c)
    if not _may_read_values(connection):
        # A viewer: who changed the record and when, not the values (team_roles).
        columns = [c for c in columns if c.name != "fields"]
    rows = connection.execute(
        select(*columns)
        .where(table.c.kind == kind, table.c.record_id == record_id)
        .order_by(table.c.id)
    ).mappings()
    return [_entry(row) for row in rows]


def _may_read_values(connection: Connection) -> bool:
    """Whether this login may read the trail's changed values (a viewer may not)."""
    if connection.dialect.name != "postgresql":
        return True
    allowed = connection.execute(
        text("SELECT has_column_privilege(:table, 'fields', 'SELECT')"),
        {"table": RECORD_CHANGES.name},
    ).scalar()
    return bool(allowed)


def _entry(row: Any) -> TrailEntry:
    try:
        fields = json.loads(row.get("fields") or "{}")
    except ValueError:
        fields = {}
    if not isinstance(fields, dict):
        fields = {}
    kind = str(row["kind"])
    order = list(RECORD_TYPES[kind].SPECS) if kind in RECORD_TYPES else []
    changes = []
    for name in sorted(fields, key=lambda n: (order.index(n) if n in order else len(order), n)):
        change = fields[name]
        if not isinstance(change, dict):
            continue
        changes.append(
            FieldChange(
                name,
                change.get("old"),
                change.get("new"),
                tuple(str(i) for i in change.get("added") or ()),
                tuple(str(i) for i in change.get("removed") or ()),
            )
        )
    at = row["changed_at"]
    if isinstance(at, datetime) and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return TrailEntry(
        kind=kind,
        record_id=str(row["record_id"]),
        action=Action(row["action"]),
        login=str(row["login"]),
        at=at,
        version=row["version"],
        fields=tuple(changes),
    )
