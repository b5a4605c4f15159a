"""Reading records and turning edits into reversible row changes.

Every change to the database is expressed as a list of `RowChange`s (a table,
a primary key, the row before and the row after); `describe` tells what they
do in the domain's words (records of a kind, by id, and their fields), which
is all that the rest of the planner sees of them. Applying the list forwards
makes the edit; applying it backwards undoes it. Deletes walk the foreign-key
graph first, so a delete records every row it removes (children, attendance,
audience links) and its undo puts all of them back. All of it is plain
SQLAlchemy Core over the session's connection, with nothing SQLite-specific.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection as DbSession
from sqlalchemy.exc import IntegrityError

from planner import collector
from planner.domain.changes import Action, RecordChange
from planner.domain.errors import ConflictError, DomainError, NotFoundError
from planner.domain.fields import FieldKind
from planner.domain.plan import Plan
from planner.domain.quoting import shown
from planner.domain.records import Initiative, Record, record_type
from planner.persistence.private_columns import hidden_fields, readable
from planner.persistence.rows import read_rows
from planner.persistence.tables import KIND_OF_TABLE, LINKS, TABLES, metadata

Row = dict[str, Any]
# Parents before children, and records before the link rows that point at them.
TABLE_ORDER: dict[str, int] = {
    table.name: index for index, table in enumerate(metadata.sorted_tables)
}


@dataclass(frozen=True)
class RowChange:
    table: str
    before: Row | None
    after: Row | None

    def inverse(self) -> RowChange:
        return RowChange(self.table, self.after, self.before)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _pk(table: Table, row: Row) -> Any:
    return and_(*(col == row[col.name] for col in table.primary_key.columns))


class ChangedSinceError(DomainError):
    """A row is no longer as this planner left it: someone else changed it since."""


VERSION = "version"


def apply_changes(
    db: DbSession,
    changes: Sequence[RowChange],
    *,
    forward: bool = True,
    exact: bool = False,
) -> None:
    """Apply row changes in order (or their inverses in reverse order) in the open transaction.

    Every change of a record's row is compare-and-set on its version: it is
    written only where the row still holds the version it was made from, and
    sets the next one (`UPDATE … SET version = version + 1 WHERE id = ? AND
    version = ?`); deletes likewise. Where someone else saved the record
    meanwhile, or removed it, ConflictError names it and the caller's
    transaction rolls back, so nothing is written. `exact=True` (undo and
    redo) changes or removes a row only while every column but the version
    still holds what the change expects (the state this planner left), and
    puts a row back only where none is; otherwise ChangedSinceError. An undo
    writes a new version too: versions only ever grow, so a planner that read
    the record before the undo cannot save over it.

    Runs of inserts into one table go to the driver as one executemany, so that
    an import of tens of thousands of rows costs about what a bulk insert does.
    """
    steps = changes if forward else [c.inverse() for c in reversed(changes)]
    metadata_tables = metadata.tables
    try:
        pending: list[Row] = []
        for index, change in enumerate(steps):
            table = metadata_tables[change.table]
            if change.before is None and change.after is not None:
                pending.append(change.after)
                following = steps[index + 1] if index + 1 < len(steps) else None
                if (
                    following is None
                    or following.before is not None
                    or following.table != change.table
                    or following.after is None
                    or following.after.keys() != change.after.keys()
                ):
                    db.execute(insert(table), pending)
                    pending = []
            elif change.after is None and change.before is not None:
                result = db.execute(delete(table).where(_match(table, change.before, exact)))
                if result.rowcount != 1:
                    _missing(db, table, change.before, exact, "remove")
            elif change.before is not None and change.after is not None:
                result = db.execute(
                    update(table)
                    .where(_match(table, change.before, exact))
                    .values(_next_version(table, change.after))
                )
                if result.rowcount != 1:
                    _missing(db, table, change.before, exact, "change")
    except IntegrityError as exc:
        if exact:
            raise ChangedSinceError("a record it would put back exists again") from None
        raise DomainError(_integrity_message(exc)) from None


def _next_version(table: Table, after: Row) -> dict[str, Any]:
    """The values to write: a record's row gets the version after the one it holds."""
    if VERSION not in table.c:
        return after
    return {**after, VERSION: table.c[VERSION] + 1}


def _match(table: Table, row: Row, exact: bool) -> Any:
    """The row by its key and version, or (exact) by every column it names but the version
    (which an undo moves on too, so the state this planner left is its columns)."""
    if exact:
        return and_(*(table.c[name] == value for name, value in row.items() if name != VERSION))
    condition = _pk(table, row)
    if VERSION in table.c and VERSION in row:
        condition = and_(condition, table.c[VERSION] == row[VERSION])
    return condition


def _missing(db: DbSession, table: Table, row: Row, exact: bool, verb: str) -> None:
    """Why a row to change or remove was not as expected, naming its record."""
    what = _record_named(table, row)
    if "id" not in table.c:
        if exact:
            raise ChangedSinceError(f"{what} was changed or removed since")
        raise DomainError(f"the record to {verb} is no longer there")
    current = db.execute(select(table.c[VERSION]).where(table.c.id == row["id"])).scalar()
    happened = "was removed" if current is None else "was changed"
    if exact:
        raise ChangedSinceError(f"{what} {happened} since")
    raise conflict(KIND_OF_TABLE[table.name], str(row["id"]), what, happened)


def conflict(kind: str, record_id: str, what: str, happened: str = "was changed") -> ConflictError:
    """The one line for an edit or delete made from a version someone else has replaced."""
    return ConflictError(
        f"{what} {happened} by someone else since you read it; nothing was saved "
        f"(reload to see the change, then make yours again)",
        kind=kind,
        record_id=record_id,
    )


def changed_since(record: Record, version: int | None) -> ConflictError | None:
    """The conflict of an edit made from `version` of a record now at `record.version`."""
    if version is None or version == record.version:
        return None
    return conflict(record.KIND, record.id, _record_named(TABLES[record.KIND], record.values()))


def _record_named(table: Table, row: Row) -> str:
    """'stakeholder ‘Dana Whitfield’' for a record's row; its kind's label for a link row."""
    kind = KIND_OF_TABLE.get(table.name)
    if kind is None:
        owner = _LINK_OWNERS.get(table.name)
        kind = owner[0] if owner else None
        return f"a link of a {record_type(kind).LABEL.lower()}" if kind else "a record"
    cls = record_type(kind)
    name = row.get("name")
    title = shown(" ".join(str(name).split()), 80) if name else str(row.get("id", ""))[:8]
    return f"{cls.LABEL.lower()} ‘{title}’"


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc.orig).lower()
    if "unique" in text or "duplicate" in text:
        if "initiative.name" in text or "uq_initiative_name" in text:
            return "an initiative with that name already exists"
        if "attendance" in text:
            return "that stakeholder is already recorded for this session"
        if "option_score" in text:
            return "that option already has a score for this criterion"
        return "a record like this already exists"
    if "foreign key" in text:
        return "a referenced record does not exist (it may have been deleted)"
    return "the database refused the change"


def record_rows(record: Record) -> tuple[Row, list[tuple[str, Row]]]:
    """The record's own row and its link rows (audiences, scope, linked stakeholders)."""
    links = LINKS.get(record.KIND, {})
    row: Row = {}
    for name, spec in record.SPECS.items():
        if name in links:
            continue
        value = getattr(record, name)
        if spec.kind is FieldKind.CHOICE and value is not None:
            value = value.value
        row[name] = value
    link_rows: list[tuple[str, Row]] = []
    for name, (link_table, owner_col, target_col) in links.items():
        for target in getattr(record, name):
            link_rows.append((link_table.name, {owner_col: record.id, target_col: target}))
    return row, link_rows


def _read_all(db: DbSession, kind: str, query: Any) -> list[Record]:
    """Run a query over one kind's table and build its records, links included."""
    with collector.paused():
        return _read_rows(db, kind, query)


# Rows fetched per call. One fetch of 50,000 rows runs in compiled code that holds
# the interpreter lock for a tenth of a second, freezing the window while a
# worker thread reads a large plan; in batches, other threads get their turn.
FETCH_BATCH = 2000


def _read_rows(db: DbSession, kind: str, query: Any) -> list[Record]:
    return read_rows(db, kind, query, _links_for, FETCH_BATCH)


def _links_for(
    db: DbSession, kind: str, ids: Iterable[str] | None
) -> dict[str, dict[str, tuple[str, ...]]]:
    """owner id -> field -> target ids, for the link fields of `kind`."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    id_list = None if ids is None else list(ids)
    for name, (table, owner_col, target_col) in LINKS.get(kind, {}).items():
        query = select(table.c[owner_col], table.c[target_col])
        if id_list is not None:
            for chunk in _chunks(id_list):
                for owner, target in db.execute(query.where(table.c[owner_col].in_(chunk))):
                    out[owner][name].append(target)
        else:
            for owner, target in db.execute(query):
                out[owner][name].append(target)
    return {
        owner: {f: tuple(sorted(t)) for f, t in fields.items()} for owner, fields in out.items()
    }


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _select(db: DbSession, kind: str) -> Any:
    """SELECT of `kind`'s table: the columns this login may read, a withheld private
    one as its field's default (`planner.persistence.private_columns`)."""
    table = TABLES[kind]
    return select(*readable(table, kind, hidden_fields(db))).select_from(table)


def get(db: DbSession, kind: str, record_id: str) -> Record:
    table = TABLES[kind]
    found = _read_rows(db, kind, _select(db, kind).where(table.c.id == record_id))
    if not found:
        raise NotFoundError(f"no {record_type(kind).LABEL.lower()} with id {record_id}")
    return found[0]


def find(db: DbSession, kind: str, record_id: str) -> Record | None:
    try:
        return get(db, kind, record_id)
    except NotFoundError:
        return None


def list_records(db: DbSession, kind: str, **where: Any) -> list[Record]:
    table = TABLES[kind]
    query = _select(db, kind)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    return _read_all(db, kind, query.order_by(table.c.created_at, table.c.id))


def list_in_initiative(db: DbSession, kind: str, initiative_id: str) -> list[Record]:
    """Every record of `kind` below one initiative, however deep (one query, not one per
    parent), in the order they were made."""
    table = TABLES[kind]
    query = _select_in_initiative(db, kind, initiative_id)
    return _read_all(db, kind, query.order_by(table.c.created_at, table.c.id))


def initiatives(db: DbSession) -> list[Initiative]:
    found = [r for r in list_records(db, "initiative") if isinstance(r, Initiative)]
    return sorted(found, key=lambda i: i.name.casefold())


def initiative_of(db: DbSession, kind: str, record_id: str) -> str | None:
    """The id of the initiative a record belongs to, walking up its parents.

    None for a record of the file's own (an organisational unit), which belongs to none.
    """
    while kind != "initiative":
        parent = record_type(kind).PARENT
        if parent is None:
            return None
        table = TABLES[kind]
        value = db.execute(select(table.c[parent[0]]).where(table.c.id == record_id)).scalar()
        if value is None:
            return None
        kind, record_id = parent[1], value
    return record_id


# Which tables hang below an initiative, and through which column, for bulk loading.
_PATHS: dict[str, list[tuple[str, str]]] = {}


def _path_to_initiative(kind: str) -> list[tuple[str, str]]:
    """[(kind, parent column), ...] from `kind` up to the initiative."""
    if kind not in _PATHS:
        path: list[tuple[str, str]] = []
        current = kind
        while current != "initiative":
            parent = record_type(current).PARENT
            assert parent is not None
            path.append((current, parent[0]))
            current = parent[1]
        _PATHS[kind] = path
    return _PATHS[kind]


def _select_in_initiative(db: DbSession, kind: str, initiative_id: str) -> Any:
    """A kind's records below the initiative; all of them for a kind of the file's own."""
    return _select_in_initiatives(db, kind, [initiative_id])


def _select_in_initiatives(db: DbSession, kind: str, initiative_ids: Sequence[str]) -> Any:
    """A kind's records below any of the initiatives; all of them for a kind of the file's
    own. Joined up the kind's parents to the initiative's column."""
    table = TABLES[kind]
    query = _select(db, kind)
    if kind != "initiative" and record_type(kind).PARENT is None:
        return query
    path = _path_to_initiative(kind)
    current_table, column = table, path[0][1]
    for parent_kind, parent_col in path[1:]:
        parent_table = TABLES[parent_kind]
        query = query.join(parent_table, current_table.c[column] == parent_table.c.id)
        current_table, column = parent_table, parent_col
    if len(initiative_ids) == 1:
        return query.where(current_table.c[column] == initiative_ids[0])
    return query.where(current_table.c[column].in_(list(initiative_ids)))


def load_plan(db: DbSession, initiative_id: str) -> Plan:
    initiative = get(db, "initiative", initiative_id)
    assert isinstance(initiative, Initiative)
    parts: dict[str, tuple[Record, ...]] = {}
    with collector.paused():
        for kind, attr in Plan.KIND_ATTRS.items():
            table = TABLES[kind]
            query = _select_in_initiative(db, kind, initiative_id).order_by(
                table.c.created_at, table.c.id
            )
            parts[attr] = tuple(_read_rows(db, kind, query))
    return Plan(initiative=initiative, hidden=hidden_fields(db), **parts)  # type: ignore[arg-type]


def load_plans(db: DbSession, initiative_ids: Sequence[str]) -> list[Plan]:
    """The plans of several initiatives, each as `load_plan` reads it, in the queries of one:
    each kind's table is read once for all of them and its records shared out by the
    initiative they are under (a portfolio of twenty initiatives reads in one pass, not
    twenty). A kind of the file's own (the units) is read once and is in every plan."""
    wanted = list(dict.fromkeys(initiative_ids))
    if not wanted:
        return []
    table = TABLES["initiative"]
    found = {
        r.id: r
        for r in _read_rows(
            db, "initiative", _select(db, "initiative").where(table.c.id.in_(wanted))
        )
    }
    for initiative_id in wanted:
        if initiative_id not in found:
            raise NotFoundError(f"no initiative with id {initiative_id}")
    parts: dict[str, dict[str, list[Record]]] = {i: defaultdict(list) for i in wanted}
    shared: dict[str, tuple[Record, ...]] = {}
    owner: dict[str, dict[str, str]] = {"initiative": {i: i for i in wanted}}
    # Parents before their children: a record's initiative is its parent's.
    kinds = sorted(
        Plan.KIND_ATTRS,
        key=lambda k: 0 if record_type(k).PARENT is None else len(_path_to_initiative(k)),
    )
    with collector.paused():
        for kind in kinds:
            table = TABLES[kind]
            query = _select_in_initiatives(db, kind, wanted).order_by(
                table.c.created_at, table.c.id
            )
            records = _read_rows(db, kind, query)
            parent = record_type(kind).PARENT
            if parent is None:
                shared[kind] = tuple(records)
                continue
            above, mine = owner[parent[1]], owner.setdefault(kind, {})
            for record in records:
                initiative_id = above[record.parent_id()]  # type: ignore[index]
                mine[record.id] = initiative_id
                parts[initiative_id][kind].append(record)
    hidden = hidden_fields(db)
    plans: list[Plan] = []
    for i in wanted:
        by_attr = {
            attr: shared[kind] if kind in shared else tuple(parts[i][kind])
            for kind, attr in Plan.KIND_ATTRS.items()
        }
        initiative = found[i]
        assert isinstance(initiative, Initiative)
        plans.append(Plan(initiative=initiative, hidden=hidden, **by_attr))  # type: ignore[arg-type]
    return plans


def changes_for_create(record: Record, stamp: datetime | None = None) -> list[RowChange]:
    stamp = stamp or now()
    row, links = record_rows(record)
    row["created_at"] = row.get("created_at") or stamp
    row["updated_at"] = stamp
    row[VERSION] = 1
    changes = [RowChange(TABLES[record.KIND].name, None, row)]
    changes.extend(RowChange(table, None, link) for table, link in links)
    return changes


def changes_for_update(old: Record, new: Record, stamp: datetime | None = None) -> list[RowChange]:
    old_row, old_links = record_rows(old)
    new_row, new_links = record_rows(new)
    old_row["created_at"] = old.created_at
    old_row["updated_at"] = old.updated_at
    new_row["created_at"] = old.created_at
    new_row["updated_at"] = stamp or now()
    new_row[VERSION] = old.version + 1
    link_changes: list[RowChange] = []
    old_set = {(t, tuple(sorted(r.items()))) for t, r in old_links}
    new_set = {(t, tuple(sorted(r.items()))) for t, r in new_links}
    for table, items in sorted(old_set - new_set):
        link_changes.append(RowChange(table, dict(items), None))
    for table, items in sorted(new_set - old_set):
        link_changes.append(RowChange(table, None, dict(items)))
    unchanged = all(old_row[k] == new_row[k] for k in old_row if k not in ("updated_at", VERSION))
    if unchanged and not link_changes:
        return []
    return [RowChange(TABLES[old.KIND].name, old_row, new_row), *link_changes]


def _referencing(table: Table) -> list[tuple[Table, str]]:
    """(child table, column) for every foreign key that points at `table`."""
    out = []
    for child in metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is table:
                out.append((child, fk.parent.name))
    return out


def changes_for_delete(db: DbSession, kind: str, record_ids: Sequence[str]) -> list[RowChange]:
    """Row changes removing the records and everything that depends on them, children first."""
    table = TABLES[kind]
    collected: list[RowChange] = []
    seen: set[tuple[str, tuple[Any, ...]]] = set()

    def visit(current: Table, rows: list[Row]) -> None:
        fresh = []
        for row in rows:
            key = (current.name, tuple(row[c.name] for c in current.primary_key.columns))
            if key not in seen:
                seen.add(key)
                fresh.append(row)
        if not fresh:
            return
        if "id" in current.c:
            ids = [row["id"] for row in fresh]
            for child, column in _referencing(current):
                child_rows: list[Row] = []
                for chunk in _chunks(ids):
                    child_rows.extend(
                        dict(r._mapping)
                        for r in db.execute(select(child).where(child.c[column].in_(chunk)))
                    )
                visit(child, child_rows)
        collected.extend(RowChange(current.name, row, None) for row in fresh)

    rows: list[Row] = []
    for chunk in _chunks(list(record_ids)):
        rows.extend(
            dict(r._mapping) for r in db.execute(select(table).where(table.c.id.in_(chunk)))
        )
    if len(rows) != len(set(record_ids)):
        raise NotFoundError(f"some {record_type(kind).PLURAL.lower()} to delete no longer exist")
    visit(table, rows)
    return _unlinked(db, collected) + collected


def _unlinked(db: DbSession, deleting: list[RowChange]) -> list[RowChange]:
    """Row changes clearing the references without a foreign key to a deleted unit.

    A unit is the file's, not one plan's: deleting it leaves the stakeholders of every
    initiative that named it (and its child units) with no unit, in the same undoable
    change, rather than pointing at nothing.
    """
    gone: dict[str, set[str]] = defaultdict(set)
    for change in deleting:
        kind = KIND_OF_TABLE.get(change.table)
        if kind is not None and kind != "initiative" and record_type(kind).PARENT is None:
            assert change.before is not None
            gone[kind].add(change.before["id"])
    out: list[RowChange] = []
    deleted = {(c.table, (c.before or {}).get("id")) for c in deleting}
    for kind, table in TABLES.items():
        for name, spec in record_type(kind).SPECS.items():
            if spec.kind is not FieldKind.REF or spec.enforced or spec.ref not in gone:
                continue
            for chunk in _chunks(sorted(gone[spec.ref])):
                for row in db.execute(select(table).where(table.c[name].in_(chunk))):
                    before = dict(row._mapping)
                    if (table.name, before["id"]) not in deleted:
                        out.append(RowChange(table.name, before, {**before, name: None}))
    return out


# Link table name -> (owner kind, its list field, the column holding the owner's id).
_LINK_OWNERS: dict[str, tuple[str, str, str]] = {
    table.name: (kind, name, owner)
    for kind, fields in LINKS.items()
    for name, (table, owner, _target) in fields.items()
}
_STAMPS = frozenset({"created_at", "updated_at", VERSION})


def describe(changes: Iterable[RowChange]) -> tuple[RecordChange, ...]:
    """The records row changes create, change or remove, one entry per record, in order.

    A link row (a communication's audience...) is a change of its owner's list
    field; a record both changed and created or removed counts as created or removed.
    """
    found: dict[tuple[str, str], RecordChange] = {}
    for change in changes:
        row = change.after if change.after is not None else change.before
        assert row is not None
        link = _LINK_OWNERS.get(change.table)
        if link is not None:
            kind, name, owner = link
            described = RecordChange(kind, row[owner], Action.UPDATE, frozenset({name}))
        else:
            kind = KIND_OF_TABLE[change.table]
            if change.before is None:
                action = Action.CREATE
            elif change.after is None:
                action = Action.DELETE
            else:
                action = Action.UPDATE
            if action is Action.UPDATE:
                assert change.before is not None and change.after is not None
                before = change.before
                names = {k for k, v in change.after.items() if before.get(k) != v}
            else:
                names = set(row)
            described = RecordChange(kind, row["id"], action, frozenset(names - _STAMPS))
        key = (described.kind, described.id)
        earlier = found.get(key)
        if earlier is not None:
            action = earlier.action if earlier.action is not Action.UPDATE else described.action
            described = RecordChange(
                described.kind, described.id, action, earlier.fields | described.fields
            )
        found[key] = described
    return tuple(found.values())


def count_rows(db: DbSession, kind: str) -> int:
    return int(db.execute(select(func.count()).select_from(TABLES[kind])).scalar() or 0)


def existing_ids(db: DbSession, kind: str, record_ids: Sequence[str]) -> set[str]:
    """Which of `record_ids` are records of `kind` in the file, in any initiative."""
    table = TABLES[kind]
    found: set[str] = set()
    for chunk in _chunks(list(record_ids)):
        found.update(db.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    return found


__all__ = [
    "ChangedSinceError",
    "RowChange",
    "apply_changes",
    "changed_since",
    "changes_for_create",
    "changes_for_delete",
    "changes_for_update",
    "conflict",
    "count_rows",
    "describe",
    "existing_ids",
    "find",
    "get",
    "initiative_of",
    "initiatives",
    "list_records",
    "load_plan",
    "now",
    "record_rows",
]
