"""Turning the rows of a workbook into validated records matched to the database.

Every row is read in full and every problem in it collected, so one pass
reports everything there is to fix. Rows are matched to records by ID; a row a
person typed in without an ID is matched by name within the initiative (or,
for records without a name, by what identifies them: a session and a
stakeholder for attendance, say). A reference is read from its readable side
when a person edited it, and from its ID side otherwise.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from planner.domain.errors import DomainError
from planner.domain.fields import FieldKind, FieldSpec, coerce
from planner.domain.plan import Plan
from planner.domain.records import Initiative, Record, new_id, record_type
from planner.persistence import store
from planner.services.excel.layout import REF_SEPARATOR, Role, SheetLayout, layout
from planner.services.excel.problems import ImportFileError, Problem, error, shown, warning
from planner.services.excel.progress import Progress
from planner.services.excel.reader import RawWorkbook
from planner.services.excel.sheets import MappedSheet, map_workbook
from planner.services.excel.values import CellError, interpret
from planner.services.planning import PlanService
from planner.services.readiness.overrides import checked_overrides

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_MISSING = object()
_BLANK = object()
UNIQUE_PAIRS = {
    "attendance": ("session_id", "stakeholder_id"),
    "score": ("option_id", "criterion_id"),
}


@dataclass
class StagedRow:
    kind: str
    sheet: str
    row: int
    record: Record | None
    old: Record | None
    given_id: str | None
    matched_by: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.record is not None and not any(p.is_error for p in self.problems)


@dataclass
class Staging:
    target_id: str
    initiative_exists: bool
    db_plan: Plan | None
    sheets: dict[str, MappedSheet]
    rows: dict[str, list[StagedRow]]
    notes: list[Problem]


def _defaults(cls: type[Record]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        if item.default is not dataclasses.MISSING:
            out[item.name] = item.default
        elif item.default_factory is not dataclasses.MISSING:
            out[item.name] = ()
    return out


LATE_REFERENCES = (("initiative", "sponsor_id"),)
"""References from a row to records of a sheet staged after it."""


class _Stager:
    def __init__(self, service: PlanService, raw: RawWorkbook, progress: Progress) -> None:
        self.service, self.raw, self.progress = service, raw, progress
        self.notes: list[Problem] = []
        self.sheets = map_workbook(raw, self.notes)
        self.rows: dict[str, list[StagedRow]] = defaultdict(list)
        self.names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.name_of: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.known: dict[str, set[str]] = defaultdict(set)
        self.db: dict[str, dict[str, Record]] = defaultdict(dict)
        self.db_keys: dict[str, dict[tuple[str, ...], list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )

    # ------------------------------------------------------------ initiative
    def target(self) -> tuple[str, Initiative | None, Initiative | None]:
        """(target id, the database's initiative or None, the workbook's or None)."""
        existing = {i.id: i for i in self.service.initiatives()}
        sheet = self.sheets.get("initiative")
        if sheet is None or not sheet.rows:
            info = self.raw.info
            if info is not None and info.initiative_id in existing:
                return info.initiative_id, existing[info.initiative_id], None
            raise ImportFileError(
                f"{self.raw.path.name} has no Initiative sheet (or it is "
                "empty), so it is not known which initiative to import into"
            )
        for number, _ in sheet.rows[1:]:
            sheet.add(
                number,
                error(
                    "the Initiative sheet holds one initiative; extra row",
                    sheet=sheet.title,
                    row=number,
                ),
            )
        number, values = sheet.rows[0]
        self.db["initiative"] = dict(existing)
        staged = self.stage_row(sheet, number, values, target_id="")
        given = staged.given_id
        found = existing.get(given) if given else None
        if found is None and staged.record is not None:
            wanted = staged.record.title.casefold()
            found = next((i for i in existing.values() if i.name.casefold() == wanted), None)
        if found is None and staged.record is None:
            for problem in staged.problems:
                self.notes.append(problem)
            raise ImportFileError(
                f"{sheet.title} row {number}: the initiative cannot be read "
                f"({staged.problems[0] if staged.problems else 'no name'})"
            )
        target_id = found.id if found is not None else (given or new_id())
        if staged.record is not None:
            record = dataclasses.replace(staged.record, id=target_id)
            object.__setattr__(record, "created_at", found.created_at if found else None)
            object.__setattr__(record, "updated_at", found.updated_at if found else None)
            staged.record = record
            clash = next(
                (
                    i
                    for i in existing.values()
                    if i.id != target_id and i.name.casefold() == record.title.casefold()
                ),
                None,
            )
            if clash is not None:
                staged.problems.append(
                    error(
                        f"another initiative in this database is already named ‘{clash.name}’",
                        sheet=sheet.title,
                        row=number,
                    )
                )
        staged.old = found
        staged.matched_by = (
            "id"
            if found is not None and found.id == given
            else ("name" if found is not None else "")
        )
        self.rows["initiative"].append(staged)
        return target_id, found, staged.record  # type: ignore[return-value]

    # ------------------------------------------------------------------ rows
    def run(self) -> Staging:
        target_id, found, _ = self.target()
        plan = self.service.plan(target_id) if found is not None else None
        if plan is not None:
            self._index_database(plan)
        kinds = [k for k in Plan.KIND_ATTRS if k in self.sheets]
        total = sum(len(self.sheets[k].rows) for k in kinds) or 1
        done = 0
        for kind in kinds:
            sheet = self.sheets[kind]
            self.progress.step(done / total, f"Checking {sheet.title}")
            for count, (number, values) in enumerate(sheet.rows, 1):
                staged = self.stage_row(sheet, number, values, target_id)
                self.rows[kind].append(staged)
                if staged.record is not None:
                    self._remember(kind, staged.record.id, getattr(staged.record, "name", None))
                if count % 2000 == 0:
                    self.progress.step((done + count) / total, f"Checking {sheet.title}")
            done += len(sheet.rows)
        self._late_references()
        self._check_thresholds()
        self._cross_checks()
        return Staging(target_id, found is not None, plan, self.sheets, dict(self.rows), self.notes)

    def _late_references(self) -> None:
        """Resolve the references of rows staged before the records they point at (the
        initiative's sponsor, a stakeholder), now that every sheet's names are known."""
        for kind, name in LATE_REFERENCES:
            sheet = self.sheets.get(kind)
            staged_rows = self.rows.get(kind, [])
            if sheet is None or not sheet.rows or not staged_rows:
                continue
            staged = staged_rows[0]
            number, values = sheet.rows[0]
            spec = record_type(kind).SPECS[name]
            value = self._reference(sheet, number, values, spec, staged.problems)
            if staged.record is None or value is _MISSING:
                continue
            if any(p.is_error for p in staged.problems):
                staged.record = None
            else:
                staged.record = dataclasses.replace(
                    staged.record, **{name: None if value is _BLANK else value}
                )

    def _check_thresholds(self) -> None:
        """The initiative's own readiness thresholds must name real rules and thresholds."""
        sheet = self.sheets.get("initiative")
        staged = (self.rows.get("initiative") or [None])[0]
        if sheet is None or staged is None or staged.record is None:
            return
        try:
            checked_overrides(staged.record.readiness_thresholds)
        except DomainError as exc:
            column = sheet.layout.column_for("readiness_thresholds")
            where = sheet.locate(column) if column in sheet.positions else {"sheet": sheet.title}
            staged.problems.append(error(exc.message, row=staged.row, **where))
            staged.record = None

    def _index_database(self, plan: Plan) -> None:
        for kind in Plan.KIND_ATTRS:
            for record in plan.records(kind):
                self.db[kind][record.id] = record
                self._remember(kind, record.id, getattr(record, "name", None))
                key = self._key(kind, record.values())
                if key is not None:
                    self.db_keys[kind][key].append(record.id)

    def _remember(self, kind: str, record_id: str, name: str | None) -> None:
        self.known[kind].add(record_id)
        if name:
            self.names[kind][name.casefold()].add(record_id)
            self.name_of[kind][record_id].add(name.casefold())

    @staticmethod
    def _key(kind: str, values: dict[str, Any]) -> tuple[str, ...] | None:
        parts = []
        for name in layout(kind).natural_key:
            value = values.get(name)
            if value is None or value == "":
                return None
            if isinstance(value, date):
                parts.append(value.isoformat())
            else:
                parts.append(value.casefold() if name == "name" else str(value))
        return tuple(parts) if parts else None

    def stage_row(
        self, sheet: MappedSheet, number: int, values: list[Any], target_id: str
    ) -> StagedRow:
        kind = sheet.layout.kind
        cls = record_type(kind)
        problems = list(sheet.problems.get(number, ()))
        given: str | None = None
        id_column = sheet.layout.columns[0]
        if id_column in sheet.positions:
            raw = values[sheet.positions[id_column]]
            if raw is not None and str(raw).strip():
                text = str(raw).strip().lower()
                if _UUID.match(text):
                    given = text
                else:
                    problems.append(
                        error(
                            "not a record ID; leave the ID blank for a new row",
                            row=number,
                            found=shown(raw),
                            expected="an ID from the planner, or blank",
                            **sheet.locate(id_column),
                        )
                    )
        fields: dict[str, Any] = {}
        missing: list[str] = []
        blank: list[str] = []
        for name, spec in cls.SPECS.items():
            if not spec.editable:
                continue
            if name == "initiative_id":
                fields[name] = target_id
                continue
            if (kind, name) in LATE_REFERENCES:
                value = _MISSING  # resolved by `_late_references`, once its targets are known
            elif spec.kind in (FieldKind.REF, FieldKind.REFS):
                value = self._reference(sheet, number, values, spec, problems)
            else:
                value = self._value(sheet, number, values, spec, problems)
            if value is _MISSING:
                missing.append(name)
            elif value is _BLANK:
                blank.append(name)
            else:
                fields[name] = value
        old: Record | None = None
        matched_by = ""
        if given is not None:
            old = self.db[kind].get(given)
            matched_by = "id" if old is not None else ""
        elif not any(p.is_error for p in problems):
            key = self._key(kind, fields)
            candidates = self.db_keys[kind].get(key, []) if key else []
            if len(candidates) == 1:
                old = self.db[kind][candidates[0]]
                matched_by = "name"
            elif len(candidates) > 1:
                problems.append(
                    error(
                        f"{len(candidates)} {cls.PLURAL.lower()} in the plan match "
                        "this row; copy the ID of the one you mean into the ID "
                        "column",
                        sheet=sheet.title,
                        row=number,
                    )
                )
        record_id = old.id if old is not None else (given or new_id())
        for name in missing:
            fields[name] = getattr(old, name) if old is not None else _defaults(cls)[name]
        for name in blank:
            self._blank_required(sheet, number, cls, name, old, fields, problems)
        record = None
        if not any(p.is_error for p in problems):
            record = cls.trusted(
                id=record_id,
                created_at=old.created_at if old else None,
                updated_at=old.updated_at if old else None,
                **fields,
            )
            try:
                record.check()
            except DomainError as exc:
                record = None
                column = sheet.layout.column_for(exc.field or "") or sheet.layout.column_for(
                    exc.field or "", Role.REF_NAME
                )
                where = (
                    sheet.locate(column) if column in sheet.positions else {"sheet": sheet.title}
                )
                problems.append(error(exc.message, row=number, **where))
        return StagedRow(kind, sheet.title, number, record, old, given, matched_by, problems)

    def _value(
        self,
        sheet: MappedSheet,
        number: int,
        values: list[Any],
        spec: FieldSpec,
        problems: list[Problem],
    ) -> Any:
        column, position, where = _value_slot(sheet, spec.name)
        if column is None:
            return _MISSING
        raw = values[position]
        letter = sheet.locate(column)["column"]
        if any(p.column == letter and p.is_error for p in problems):
            return None
        if spec.required and (raw is None or (isinstance(raw, str) and not raw.strip())):
            return _BLANK
        try:
            return coerce(spec, interpret(spec, raw), where)
        except CellError as exc:
            problems.append(
                error(
                    exc.message,
                    row=number,
                    found=shown(raw),
                    expected=exc.expected,
                    **sheet.locate(column),
                )
            )
        except DomainError as exc:
            message = exc.message.removeprefix(where).lstrip(": ") or exc.message
            problems.append(
                error(
                    message,
                    row=number,
                    found=None if raw is None else shown(raw),
                    expected=column.allowed,
                    **sheet.locate(column),
                )
            )
        return None

    @staticmethod
    def _blank_required(
        sheet: MappedSheet,
        number: int,
        cls: type[Record],
        name: str,
        old: Record | None,
        fields: dict[str, Any],
        problems: list[Problem],
    ) -> None:
        """A required cell left blank: a new row takes the default a new record gets."""
        column = sheet.layout.column_for(name)
        assert column is not None
        default = _defaults(cls).get(name)
        if old is None and default is not None:
            fields[name] = default
            shown_default = getattr(default, "label", default)
            problems.append(
                warning(
                    f"blank; a new {cls.LABEL.lower()} gets the default ‘{shown_default}’",
                    row=number,
                    **sheet.locate(column),
                )
            )
            return
        fields[name] = None
        problems.append(
            error(
                "is required", row=number, found="", expected=column.allowed, **sheet.locate(column)
            )
        )

    def _reference(
        self,
        sheet: MappedSheet,
        number: int,
        values: list[Any],
        spec: FieldSpec,
        problems: list[Problem],
    ) -> Any:
        names_column = sheet.layout.column_for(spec.name, Role.REF_NAME)
        ids_column = sheet.layout.column_for(spec.name, Role.REF_ID)
        has_names = names_column in sheet.positions
        has_ids = ids_column in sheet.positions
        if not has_names and not has_ids:
            return _MISSING
        assert spec.ref is not None and names_column is not None and ids_column is not None
        many = spec.kind is FieldKind.REFS
        target = spec.ref
        target_cls = record_type(target)
        ids: list[str] = []
        if has_ids:
            raw_ids = values[sheet.positions[ids_column]]
            for item in re.split(r"[;,\s]+", str(raw_ids or "").strip().lower()):
                if not item:
                    continue
                if not _UUID.match(item):
                    problems.append(
                        error(
                            "not a record ID",
                            row=number,
                            found=shown(item),
                            expected=ids_column.allowed,
                            **sheet.locate(ids_column),
                        )
                    )
                    return None
                ids.append(item)
        names: list[str] = []
        raw_names = values[sheet.positions[names_column]] if has_names else None
        if raw_names is not None:
            parts = str(raw_names).split(";") if many else [str(raw_names)]
            names = [p.strip() for p in parts if p.strip()]
        ids_known = bool(ids) and all(i in self.known[target] for i in ids)
        use_ids = ids_known and (
            not has_names
            or (not names and spec.required)
            or self._names_match(target, ids, names, raw_names)
        )
        if use_ids:
            resolved = ids
        elif names:
            resolved = []
            for name in names:
                candidates = self.names[target].get(name.casefold(), set())
                if len(candidates) == 1:
                    resolved.append(next(iter(candidates)))
                    continue
                chosen = candidates & set(ids)
                if len(chosen) == 1:
                    resolved.append(next(iter(chosen)))
                    continue
                what = target_cls.LABEL.lower()
                message = (
                    f"no {what} named ‘{shown(name)}’ in the plan or the workbook"
                    if not candidates
                    else f"{len(candidates)} {target_cls.PLURAL.lower()} are named "
                    f"‘{shown(name)}’; put the one you mean in ‘{ids_column.header}’"
                )
                problems.append(
                    error(
                        message,
                        row=number,
                        found=shown(name),
                        expected=names_column.allowed,
                        **sheet.locate(names_column),
                    )
                )
                return None
        elif ids:
            problems.append(
                error(
                    f"no {target_cls.LABEL.lower()} with this ID in the plan or the workbook",
                    row=number,
                    found=shown(ids[0]),
                    expected=ids_column.allowed,
                    **sheet.locate(ids_column),
                )
            )
            return None
        else:
            resolved = []
        if not many and len(resolved) > 1:
            column = names_column if has_names else ids_column
            problems.append(
                error(
                    f"one {target_cls.LABEL.lower()} only",
                    row=number,
                    found=shown(raw_names),
                    expected=column.allowed,
                    **sheet.locate(column),
                )
            )
            return None
        if not resolved:
            if spec.required:
                column = names_column if has_names else ids_column
                problems.append(
                    error(
                        f"{spec.label} is required",
                        row=number,
                        found="",
                        expected=column.allowed,
                        **sheet.locate(column),
                    )
                )
                return None
            return () if many else None
        deduped = tuple(dict.fromkeys(resolved))
        return tuple(sorted(deduped)) if many else deduped[0]

    def _names_match(self, kind: str, ids: list[str], names: list[str], raw: Any) -> bool:
        """Whether the readable side still says what the IDs say (so it was not edited)."""
        known = self.name_of[kind]
        exported = [sorted(known.get(i, ())) for i in ids]
        if all(len(options) == 1 for options in exported) and str(
            raw
        ).strip().casefold() == REF_SEPARATOR.join(o[0] for o in exported):
            return True
        wanted = sorted(n.casefold() for n in names)
        if len(wanted) != len(ids):
            return False
        remaining = list(wanted)
        for record_id in ids:
            hit = next((n for n in remaining if n in self.name_of[kind].get(record_id, ())), None)
            if hit is None:
                return False
            remaining.remove(hit)
        return True

    # ---------------------------------------------------------- whole sheets
    def _cross_checks(self) -> None:
        for kind, staged_rows in self.rows.items():
            label = record_type(kind).LABEL.lower()
            first_row: dict[str, int] = {}
            for staged in staged_rows:
                if staged.record is None:
                    if staged.given_id:
                        first_row.setdefault(staged.given_id, staged.row)
                    continue
                record_id = staged.record.id
                if record_id in first_row:
                    how = (
                        "has the same ID as"
                        if staged.matched_by != "name"
                        else "matches by name the same record as"
                    )
                    staged.problems.append(
                        error(
                            f"this row {how} row {first_row[record_id]}; each record appears once",
                            sheet=staged.sheet,
                            row=staged.row,
                        )
                    )
                else:
                    first_row[record_id] = staged.row
            pair = UNIQUE_PAIRS.get(kind)
            if pair:
                seen: dict[tuple[str, str], int] = {}
                for staged in staged_rows:
                    if staged.record is None:
                        continue
                    key = (getattr(staged.record, pair[0]), getattr(staged.record, pair[1]))
                    if key in seen:
                        staged.problems.append(
                            error(
                                f"the same {label} as row {seen[key]}",
                                sheet=staged.sheet,
                                row=staged.row,
                            )
                        )
                    else:
                        seen[key] = staged.row
        self._ids_of_other_initiatives()

    def _ids_of_other_initiatives(self) -> None:
        fresh: dict[str, dict[str, StagedRow]] = defaultdict(dict)
        for kind, staged_rows in self.rows.items():
            if kind == "initiative":
                continue
            for staged in staged_rows:
                if staged.record is not None and staged.old is None and staged.given_id:
                    fresh[kind][staged.given_id] = staged
        if not fresh:
            return
        with self.service.db.reading() as session:
            for kind, by_id in fresh.items():
                table = store.TABLES[kind]
                ids = list(by_id)
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    for (taken,) in session.execute(
                        select(table.c.id).where(table.c.id.in_(chunk))
                    ):
                        staged = by_id[taken]
                        staged.problems.append(
                            error(
                                "this ID belongs to a record of another initiative in this "
                                "database; clear the ID to add the row as a new record",
                                sheet=staged.sheet,
                                row=staged.row,
                                found=taken,
                            )
                        )


def _value_slot(sheet: MappedSheet, name: str) -> tuple[Any, int, str]:
    """(column, position, label for messages) of a field, worked out once per sheet."""
    slots = sheet.slots
    if name not in slots:
        column = sheet.layout.column_for(name)
        cls = record_type(sheet.layout.kind)
        where = f"{cls.LABEL} {cls.SPECS[name].label.lower()}"
        if column is None or column not in sheet.positions:
            slots[name] = (None, -1, where)
        else:
            slots[name] = (column, sheet.positions[column], where)
    return slots[name]


def stage(service: PlanService, raw: RawWorkbook, progress: Progress | None = None) -> Staging:
    return _Stager(service, raw, progress or Progress(what="the import")).run()


__all__ = ["SheetLayout", "StagedRow", "Staging", "stage"]
