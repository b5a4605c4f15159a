"""Planning use cases: create, change, duplicate and delete any record, undoably.

The CLI, the window and the importer all go through here. Every method opens
its own unit of work and returns plain, immutable domain records; no database
row or connection leaves persistence.
"""

from __future__ import annotations

import builtins
import dataclasses
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.domain.changes import Action
from planner.domain.errors import DomainError, NotFoundError
from planner.domain.fields import STAMPS, FieldKind
from planner.domain.plan import Plan
from planner.domain.quoting import shown
from planner.domain.records import (
    Initiative,
    Record,
    Snapshot,
    Stakeholder,
    Unit,
    build,
    new_id,
    record_type,
    unit_loop,
    unit_loop_text,
)
from planner.domain.trail import TrailEntry
from planner.persistence import record_trail, store
from planner.persistence.database import Database
from planner.services.history import Command, History


class PlanService:
    def __init__(self, db: Database, history: History | None = None) -> None:
        self.db = db
        self.history = history or History(db)

    # ----------------------------------------------------------------- reading
    def initiatives(self) -> list[Initiative]:
        with self.db.reading() as session:
            return store.initiatives(session)

    def initiatives_in_order(self) -> list[Initiative]:
        """The file's initiatives in the order they were created: the main one first.

        Initiatives made in the same second (a script's) go by name, so the order never
        depends on their random IDs.
        """
        return sorted(
            self.initiatives(),
            key=lambda i: (i.created_at or datetime.min, i.name.casefold(), i.id),
        )

    def main_initiative(self) -> Initiative:
        """The file's main initiative: the first created (the CRM rollout in the sample)."""
        found = self.initiatives_in_order()
        if not found:
            raise NotFoundError(f"{self.db.describe()} holds no initiative yet")
        return found[0]

    def find_initiative(self, name: str | None) -> Initiative:
        """The initiative called `name`; with no name, the file's main initiative."""
        if name is not None and not isinstance(name, str):
            raise DomainError("an initiative name must be text", field="name", kind="initiative")
        if name is None:
            return self.main_initiative()
        found = self.initiatives()
        wanted = name.strip().casefold()
        for initiative in found:
            if initiative.name.casefold() == wanted:
                return initiative
        names = ", ".join(shown(i.name) for i in found[:20]) or "none"
        more = f" and {len(found) - 20} more" if len(found) > 20 else ""
        raise NotFoundError(f"no initiative named '{shown(name)}' (the file holds: {names}{more})")

    def plan(self, initiative_id: str) -> Plan:
        initiative_id = checked_id(initiative_id, "initiative")
        with self.db.reading() as session:
            return store.load_plan(session, initiative_id)

    def plans(self, initiative_ids: Sequence[str]) -> builtins.list[Plan]:
        """The plans of these initiatives, read together in one pass (as `plan` reads each)."""
        ids = [checked_id(i, "initiative") for i in initiative_ids]
        with self.db.reading() as session:
            return store.load_plans(session, ids)

    def get(self, kind: str, record_id: str) -> Record:
        record_id = checked_id(record_id, kind)
        with self.db.reading() as session:
            return store.get(session, kind, record_id)

    def list(self, kind: str, parent_id: str | None = None) -> list[Record]:
        cls = record_type(kind)
        if parent_id is not None and cls.PARENT:
            parent_id = checked_id(parent_id, cls.PARENT[1])
        where = {cls.PARENT[0]: parent_id} if parent_id is not None and cls.PARENT else {}
        with self.db.reading() as session:
            return store.list_records(session, kind, **where)

    def in_initiative(self, kind: str, initiative_id: str) -> builtins.list[Record]:
        """Every record of `kind` below an initiative (sessions under all its courses...)."""
        initiative_id = checked_id(initiative_id, "initiative")
        with self.db.reading() as session:
            return store.list_in_initiative(session, kind, initiative_id)

    def existing_ids(self, kind: str, record_ids: Sequence[str]) -> set[str]:
        """Which of `record_ids` are already records of `kind` in the file, in any initiative."""
        with self.db.reading() as session:
            return store.existing_ids(session, kind, record_ids)

    def record_trail(self, kind: str, record_id: str) -> builtins.list[TrailEntry] | None:
        """Who changed the record and when, oldest first; None where no trail is kept
        (a local file: only a team server records it)."""
        record_id = checked_id(record_id, kind)
        if not self.db.on_server:
            return None
        with self.db.reading() as session:
            return record_trail.trail(session, kind, record_id)

    def backup(self, reason: str, *, rotate: bool = True) -> Path | None:
        """A checked backup of the file before a large change (None for a server database)."""
        if self.db.path is None:
            return None
        return self.db.backup_now(reason, rotate=rotate)

    # ----------------------------------------------------------------- editing
    def create(self, kind: str, values: dict[str, Any], *, label: str | None = None) -> Record:
        record = build(kind, values)
        with self.db.reading() as session:
            self._check_references(session, record)
        self.history.execute(
            Command.of(
                label or f"Add {record.LABEL.lower()} ‘{shown(record.title)}’",
                store.changes_for_create(record),
            )
        )
        return self.get(kind, record.id)

    def update(
        self,
        kind: str,
        record_id: str,
        changes: dict[str, Any],
        *,
        label: str | None = None,
        version: int | None = None,
    ) -> Record:
        """Change fields of a record; `version` is the one the user saw, if known.

        The save is compare-and-set on the record's version: where someone else
        saved it since (since `version`, or since it was read here), ConflictError
        names the record and nothing is written.
        """
        if not isinstance(changes, dict):
            raise DomainError(f"expected field values to change, got {type(changes).__name__}")
        record_id = checked_id(record_id, kind)
        with self.db.reading() as session:
            old = store.get(session, kind, record_id)
            protected = {name for name in changes if name in STAMPS}
            if protected:
                raise DomainError(
                    f"{old.LABEL} {sorted(protected)[0]} cannot be changed", kind=kind
                )
            stale = store.changed_since(old, version)
            if stale is not None:
                raise stale
            new = old.with_changes(**changes)
            self._check_references(session, new)
        row_changes = store.changes_for_update(old, new)
        if row_changes:
            what = _describe_change(old, changes)
            self.history.execute(Command.of(label or f"Edit {what}", row_changes))
        return self.get(kind, record_id)

    def delete(
        self,
        kind: str,
        record_ids: Sequence[str],
        *,
        label: str | None = None,
        versions: dict[str, int] | None = None,
    ) -> Command:
        """Delete records and what hangs on them; `versions` (id -> version) those the user saw.

        Compare-and-set like `update`: a record someone else changed since is not
        deleted, ConflictError names it, and nothing is removed.
        """
        record_ids = checked_ids(record_ids, kind)
        if not record_ids:
            raise DomainError("nothing to delete")
        with self.db.reading() as session:
            changes = store.changes_for_delete(session, kind, record_ids)
            for record_id, seen in (versions or {}).items():
                stale = store.changed_since(store.get(session, kind, record_id), seen)
                if stale is not None:
                    raise stale
            first = store.get(session, kind, record_ids[0])
        cls = record_type(kind)
        if label is None:
            label = (
                f"Delete {cls.LABEL.lower()} ‘{shown(first.title)}’"
                if len(record_ids) == 1
                else f"Delete {len(record_ids)} {cls.PLURAL.lower()}"
            )
        return self.history.execute(Command.of(label, changes))

    def delete_changes(
        self, ids_by_kind: dict[str, builtins.list[str]]
    ) -> builtins.list[store.RowChange]:
        """The row changes that delete these records and what hangs on them, each row once,
        not yet applied (the importer's pruning, applied with the rest of an import)."""
        seen: set[tuple[str, tuple[tuple[str, Any], ...]]] = set()
        out: builtins.list[store.RowChange] = []
        with self.db.reading() as session:
            for kind, ids in ids_by_kind.items():
                for change in store.changes_for_delete(session, kind, checked_ids(ids, kind)):
                    assert change.before is not None
                    key = (change.table, tuple(sorted(change.before.items())))
                    if key not in seen:
                        seen.add(key)
                        out.append(change)
        return out

    def dependents(self, kind: str, record_ids: Sequence[str]) -> dict[str, int]:
        """How many records of each kind a delete would also remove (for the confirmation)."""
        record_ids = checked_ids(record_ids, kind)
        with self.db.reading() as session:
            changes = store.changes_for_delete(session, kind, record_ids)
        counts: dict[str, int] = {}
        for change in store.describe(changes):
            if change.action is Action.DELETE and not (
                change.kind == kind and change.id in record_ids
            ):
                counts[change.kind] = counts.get(change.kind, 0) + 1
        return counts

    def duplicate(self, kind: str, record_ids: Sequence[str]) -> builtins.list[Record]:
        """Copies of the records (not of their children), named '… (copy)'."""
        record_ids = checked_ids(record_ids, kind)
        copies: builtins.list[Record] = []
        changes = []
        with self.db.reading() as session:
            for record_id in record_ids:
                original = store.get(session, kind, record_id)
                values = original.values()
                values.update(id=new_id(), created_at=None, updated_at=None, version=1)
                if "name" in values:
                    values["name"] = _copy_name(values["name"], original.SPECS["name"].kind)
                if kind == "option":
                    values["chosen"] = False
                copy = build(kind, values)
                self._check_references(session, copy)
                copies.append(copy)
                changes.extend(store.changes_for_create(copy))
        cls = record_type(kind)
        label = (
            f"Duplicate {cls.LABEL.lower()} ‘{shown(copies[0].title)}’"
            if len(copies) == 1
            else f"Duplicate {len(copies)} {cls.PLURAL.lower()}"
        )
        self.history.execute(Command.of(label, changes))
        return [self.get(kind, c.id) for c in copies]

    def duplicate_initiative(self, initiative_id: str, new_name: str) -> Initiative:
        """A new initiative holding a copy of the whole plan, minus what was measured and done."""
        plan = self.plan(initiative_id)
        self._ensure_unique_name(new_name)
        changes, new_id_of = _copy_plan(plan, new_name)
        self.history.execute(Command.of(f"Duplicate initiative as ‘{new_name}’", changes))
        result = self.get("initiative", new_id_of[plan.initiative.id])
        assert isinstance(result, Initiative)
        return result

    def start_initiative(
        self,
        values: dict[str, Any],
        stakeholders: Sequence[str] = (),
        sponsor: str | None = None,
    ) -> Initiative:
        """A new initiative with its first stakeholders and its sponsor, as one undoable step.

        The sponsor is one of the stakeholders named (ignoring case) or else a new person
        stakeholder. A value that is refused refuses the whole start: nothing is written.
        """
        ident = new_id()
        people: dict[str, Record] = {}
        for name in stakeholders:
            if name.strip() and name.strip().casefold() not in people:
                people[name.strip().casefold()] = build(
                    "stakeholder", {"initiative_id": ident, "name": name.strip()}
                )
        sponsor_id = None
        if sponsor and sponsor.strip():
            key = sponsor.strip().casefold()
            if key not in people:
                people[key] = build(
                    "stakeholder",
                    {
                        "initiative_id": ident,
                        "name": sponsor.strip(),
                        "kind": "person",
                        "side": "executive",
                        "power": 5,
                    },
                )
            sponsor_id = people[key].id
        initiative = build("initiative", {**values, "id": ident, "sponsor_id": sponsor_id})
        assert isinstance(initiative, Initiative)
        self._ensure_unique_name(initiative.name)
        changes = store.changes_for_create(initiative)
        for person in people.values():
            changes.extend(store.changes_for_create(person))
        self.history.execute(Command.of(f"Start initiative ‘{shown(initiative.name)}’", changes))
        result = self.get("initiative", ident)
        assert isinstance(result, Initiative)
        return result

    def take_snapshot(
        self, initiative_id: str, label: str | None = None, taken_on: date | None = None
    ) -> int:
        """Record every stakeholder's position and engagement today, for movement trails."""
        taken_on = taken_on or date.today()
        stakeholders = self.list("stakeholder", initiative_id)
        changes = []
        for s in stakeholders:
            assert isinstance(s, Stakeholder)
            snap = Snapshot(
                stakeholder_id=s.id,
                taken_on=taken_on,
                label=label,
                power=s.power,
                interest=s.interest,
                engagement=s.engagement,
            )
            changes.extend(store.changes_for_create(snap))
        self.history.execute(Command.of(f"Snapshot of {len(stakeholders)} stakeholders", changes))
        return len(stakeholders)

    def execute(
        self, label: str, changes: builtins.list[store.RowChange], *, announce: bool = True
    ) -> Command:
        """Apply row changes prepared elsewhere (the importer) as one undoable command.

        `announce=False`: see `History.execute`; the caller announces it later.
        """
        return self.history.execute(Command.of(label, changes), announce=announce)

    # ---------------------------------------------------------------- checking
    def _ensure_unique_name(self, name: str) -> None:
        if not isinstance(name, str):
            raise DomainError("an initiative name must be text", field="name", kind="initiative")
        if any(i.name.casefold() == name.strip().casefold() for i in self.initiatives()):
            raise DomainError(
                f"an initiative named {name!r} already exists", field="name", kind="initiative"
            )

    def _check_references(self, session: Any, record: Record) -> None:
        """Every reference must point at an existing record of the same initiative."""
        if isinstance(record, Initiative):
            for other in store.initiatives(session):
                if other.id != record.id and other.name.casefold() == record.name.casefold():
                    raise DomainError(
                        f"an initiative named {record.name!r} already exists",
                        field="name",
                        kind="initiative",
                    )
            if record.readiness_thresholds:
                # The rule catalogue is loaded only for a plan that changes its thresholds:
                # the window's first screen does not need it (see the start-up test).
                from planner.services.readiness.overrides import checked_overrides

                checked_overrides(record.readiness_thresholds)
            if record.sponsor_id and store.initiative_of(
                session, "stakeholder", record.sponsor_id
            ) not in (record.id,):
                raise DomainError(
                    "Initiative sponsor: not one of this initiative's stakeholders",
                    field="sponsor_id",
                    kind="initiative",
                )
            return
        home: str | None = None
        for name, spec in record.SPECS.items():
            if spec.kind not in (FieldKind.REF, FieldKind.REFS) or spec.ref is None:
                continue
            value = getattr(record, name)
            targets = value if spec.kind is FieldKind.REFS else ((value,) if value else ())
            shared = spec.ref != "initiative" and record_type(spec.ref).PARENT is None
            for target in targets:
                if shared:
                    # A record of the file's own (a unit): any initiative may point at it.
                    if store.find(session, spec.ref, target) is None:
                        label = record_type(spec.ref).LABEL.lower()
                        raise DomainError(
                            f"{record.LABEL} {spec.label.lower()}: no {label} with id {target}",
                            field=name,
                            kind=record.KIND,
                        )
                    continue
                owner = store.initiative_of(session, spec.ref, target)
                if owner is None:
                    label = record_type(spec.ref).LABEL.lower()
                    raise DomainError(
                        f"{record.LABEL} {spec.label.lower()}: no {label} with id {target}",
                        field=name,
                        kind=record.KIND,
                    )
                if home is None:
                    home = owner
                elif owner != home:
                    raise DomainError(
                        f"{record.LABEL} {spec.label.lower()}: refers to a record "
                        f"of another initiative",
                        field=name,
                        kind=record.KIND,
                    )
        if isinstance(record, Unit) and record.parent_unit_id:
            self._check_unit_loop(session, record)

    def _check_unit_loop(self, session: Any, unit: Unit) -> None:
        """A unit may not end up inside itself (A in B in A)."""
        units: dict[str, Unit] = {
            u.id: u for u in store.list_records(session, "unit") if isinstance(u, Unit)
        }
        units[unit.id] = unit
        loop = unit_loop(unit.id, {u.id: u.parent_unit_id for u in units.values()})
        if loop is not None:
            raise DomainError(
                f"{unit.LABEL} parent unit: {unit_loop_text([units[i].name for i in loop])}",
                field="parent_unit_id",
                kind="unit",
            )


def checked_id(value: Any, kind: str) -> str:
    """A record id as the store expects it; anything else cannot name a record."""
    cls = record_type(kind)
    if isinstance(value, str) and _RECORD_ID.match(value):
        return value
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    raise NotFoundError(f"no {cls.LABEL.lower()} with id {shown}")


def checked_ids(values: Any, kind: str) -> list[str]:
    cls = record_type(kind)
    if isinstance(values, str) or not isinstance(values, (list, tuple, set, frozenset)):
        raise DomainError(f"expected a list of {cls.LABEL.lower()} ids", kind=kind)
    return [checked_id(value, kind) for value in values]


_RECORD_ID = re.compile(r"^[0-9a-fA-F-]{32,36}$")


def _describe_change(old: Record, changes: dict[str, Any]) -> str:
    fields = [old.SPECS[name].label.lower() for name in changes if name in old.SPECS]
    what = fields[0] if len(fields) == 1 else "fields"
    return f"{old.LABEL.lower()} ‘{shown(old.title)}’ {what}"


def _copy_name(name: str, _kind: FieldKind) -> str:
    candidate = f"{name} (copy)"
    return candidate[:200]


def _copy_plan(plan: Plan, new_name: str) -> tuple[list[store.RowChange], dict[str, str]]:
    """Row changes creating a template copy of `plan`: new ids, references remapped.

    Measurements, attendance, snapshots and gate decisions are history of the
    original and are not copied; the organisational units are the file's, shared by
    the copy (its stakeholders and impact assessments name the same units).
    """
    shared = {k for k in Plan.KIND_ATTRS if record_type(k).PARENT is None}
    skip = {"measurement", "attendance", "snapshot", *shared}
    mapping: dict[str, str] = {r.id: new_id() for r in plan.all_records() if r.KIND not in shared}
    changes: list[store.RowChange] = []
    ordered: Iterable[Record] = [plan.initiative] + [
        r for kind in Plan.KIND_ATTRS if kind not in skip for r in plan.records(kind)
    ]
    for record in ordered:
        values = record.values()
        values.update(id=mapping[record.id], created_at=None, updated_at=None, version=1)
        for name, spec in record.SPECS.items():
            if spec.kind is FieldKind.REF and values[name] is not None:
                values[name] = mapping.get(values[name], values[name])
            elif spec.kind is FieldKind.REFS:
                values[name] = tuple(mapping[v] for v in values[name] if v in mapping)
        if isinstance(record, Initiative):
            values["name"] = new_name
        if record.KIND == "phase":
            values.update(decision="pending", decided_on=None)
        if record.KIND == "communication" and values["status"] == "sent":
            values["status"] = "planned"
        copy = dataclasses.replace(record, **values)
        changes.extend(store.changes_for_create(copy))
    return changes, mapping
