"""The merge plan of an import: what would change, row by row, before anything does.

A row is new, changed (each field with its old and new value), unchanged, in
conflict, or invalid; with pruning, a record missing from the workbook is
deleted. "Conflict" means both sides moved since the export: the workbook
differs from the values exported (their fingerprints are kept in the hidden
sheet) and so does the database. A row the workbook left as exported while
the database moved on is unchanged: the newer database value stays.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from planner.domain.fields import FieldKind
from planner.domain.plan import Plan
from planner.domain.quoting import shown
from planner.domain.records import Record, record_type
from planner.services.excel.formats import Scheme, current_scheme
from planner.services.excel.layout import BOOL_LABELS, REF_SEPARATOR, SHEET_TITLES
from planner.services.excel.metadata import ExportInfo, canonical, compared_fields
from planner.services.excel.problems import Problem, error, warning
from planner.services.excel.prune import records_to_prune
from planner.services.excel.staging import StagedRow, Staging


class Status(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    INVALID = "invalid"
    DELETED = "deleted"


class Side(StrEnum):
    WORKBOOK = "workbook"
    DATABASE = "database"


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(slots=True)
class RowPlan:
    """What an import does with one row; a preview holds one per row, hence slots."""

    kind: str
    sheet: str
    row: int | None
    record_id: str
    title: str
    status: Status
    changes: tuple[FieldChange, ...] = ()
    problems: tuple[Problem, ...] = ()
    note: str = ""
    old: Record | None = field(default=None, repr=False)
    new: Record | None = field(default=None, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.record_id)


@dataclass
class SheetPlan:
    kind: str
    title: str
    rows: list[RowPlan] = field(default_factory=list)

    def with_status(self, status: Status) -> list[RowPlan]:
        return [r for r in self.rows if r.status is status]

    def counts(self) -> dict[Status, int]:
        out = dict.fromkeys(Status, 0)
        for row in self.rows:
            out[row.status] += 1
        return out


@dataclass
class ImportPreview:
    path: Path
    info: ExportInfo | None
    initiative_id: str
    initiative_name: str
    initiative_exists: bool
    prune: bool
    sheets: list[SheetPlan]
    problems: list[Problem]
    kept: dict[str, int] = field(default_factory=dict)
    other_plan: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def conflicts(self) -> list[RowPlan]:
        return [r for s in self.sheets for r in s.with_status(Status.CONFLICT)]

    def rows(self, *statuses: Status) -> list[RowPlan]:
        return [r for s in self.sheets for r in s.rows if not statuses or r.status in statuses]

    @property
    def has_changes(self) -> bool:
        return any(
            r.status in (Status.NEW, Status.CHANGED, Status.CONFLICT, Status.DELETED)
            for s in self.sheets
            for r in s.rows
        )

    def totals(self) -> dict[Status, int]:
        out = dict.fromkeys(Status, 0)
        for sheet in self.sheets:
            for status, count in sheet.counts().items():
                out[status] += count
        return out


def display(record: Record, name: str, by_id: dict[str, Record]) -> str:
    """A field's value as a person reads it (labels, names, ISO dates)."""
    spec = record.SPECS[name]
    value = getattr(record, name)
    if value is None:
        return ""
    if spec.kind is FieldKind.BOOL:
        return BOOL_LABELS[0] if value else BOOL_LABELS[1]
    if spec.kind is FieldKind.CHOICE:
        return str(value.label)
    if spec.kind in (FieldKind.REF, FieldKind.REFS):
        ids = value if isinstance(value, tuple) else (value,)
        return REF_SEPARATOR.join(str(getattr(by_id.get(i), "name", i)) for i in ids)
    return canonical(value)


def build_preview(
    staging: Staging,
    info: ExportInfo | None,
    fingerprints: dict[str, str],
    path: Path,
    *,
    prune: bool,
    scheme: Scheme | None = None,
) -> ImportPreview:
    """`scheme`: how the workbook's fingerprints were made (its export format's)."""
    scheme = scheme or current_scheme()
    if not staging.used_ids:
        fingerprints = {}
    by_id: dict[str, Record] = dict(staging.db_plan.by_id) if staging.db_plan else {}
    for staged_rows in staging.rows.values():
        for staged in staged_rows:
            if staged.record is not None:
                by_id[staged.record.id] = staged.record
    problems: list[Problem] = list(staging.notes)
    if prune:
        pruned, kept_back = records_to_prune(staging, info, fingerprints)
        problems.extend(kept_back)
    else:
        pruned = {}
    if pruned:
        _check_pruned_references(staging, pruned)
    kept = (
        {}
        if prune
        else {kind: len(records) for kind, records in _not_listed(staging).items() if records}
    )
    if kept:
        problems.append(warning(_kept_message(kept)))
    sheets: list[SheetPlan] = []
    for kind, title in SHEET_TITLES.items():
        staged_rows = staging.rows.get(kind, [])
        if not staged_rows and kind not in pruned:
            continue
        sheet = SheetPlan(kind, staging.sheets[kind].title if kind in staging.sheets else title)
        for staged in staged_rows:
            row = _plan_row(staged, info, fingerprints, by_id, scheme)
            sheet.rows.append(row)
            problems.extend(row.problems)
        for record in pruned.get(kind, ()):
            sheet.rows.append(
                RowPlan(
                    kind, sheet.title, None, record.id, record.title, Status.DELETED, old=record
                )
            )
        sheets.append(sheet)
    initiative = next((s.record for s in staging.rows.get("initiative", []) if s.record), None)
    name = (
        initiative.title
        if initiative
        else (staging.db_plan.initiative.name if staging.db_plan else "")
    )
    return ImportPreview(
        path,
        info,
        staging.target_id,
        name,
        staging.initiative_exists,
        prune,
        sheets,
        problems,
        kept,
        staging.other_plan.name if staging.other_plan is not None else None,
    )


def _kept_message(kept: dict[str, int]) -> str:
    total = sum(kept.values())
    parts = ", ".join(f"{SHEET_TITLES[kind]} {count}" for kind, count in kept.items())
    rows = "row is" if total == 1 else "rows are"
    return (
        f"{total} {rows} not in the workbook and "
        f"{'is' if total == 1 else 'are'} kept ({parts}); --prune removes them"
    )


def _plan_row(
    staged: StagedRow,
    info: ExportInfo | None,
    fingerprints: dict[str, str],
    by_id: dict[str, Record],
    scheme: Scheme,
) -> RowPlan:
    problems = tuple(staged.problems)
    new, old = staged.record, staged.old
    if new is None or any(p.is_error for p in problems):
        title = new.title if new is not None else (old.title if old else f"row {staged.row}")
        return RowPlan(
            staged.kind,
            staged.sheet,
            staged.row,
            staged.given_id or "",
            title,
            Status.INVALID,
            problems=problems,
            old=old,
        )
    if old is None:
        return RowPlan(
            staged.kind,
            staged.sheet,
            staged.row,
            new.id,
            new.title,
            Status.NEW,
            problems=problems,
            new=new,
        )
    changes = tuple(
        FieldChange(
            name, new.SPECS[name].label, display(old, name, by_id), display(new, name, by_id)
        )
        for name in compared_fields(new)
        if canonical(getattr(old, name)) != canonical(getattr(new, name))
    )
    if not changes:
        return RowPlan(
            staged.kind,
            staged.sheet,
            staged.row,
            new.id,
            new.title,
            Status.UNCHANGED,
            problems=problems,
            old=old,
            new=new,
        )
    exported = fingerprints.get(new.id)
    if exported is not None and scheme.covers(old):
        workbook_moved = scheme.digest(new, _same_as_database(old, new)) != exported
        database_moved = scheme.digest(old) != exported
        if database_moved and not _saved_since(old, info):
            # The record differs from what the workbook was exported with, yet was not
            # saved since the export: the workbook went through another planner file
            # (imported there and exported again), and its values are the edit.
            workbook_moved, database_moved = True, False
    else:
        workbook_moved = True
        database_moved = bool(
            info
            and old.updated_at
            and old.updated_at >= info.exported_at
            and staged.matched_by == "id"
        )
    if workbook_moved and database_moved:
        return RowPlan(
            staged.kind,
            staged.sheet,
            staged.row,
            new.id,
            new.title,
            Status.CONFLICT,
            changes,
            problems,
            "changed in the database since the export, and in the workbook",
            old,
            new,
        )
    if not workbook_moved:
        return RowPlan(
            staged.kind,
            staged.sheet,
            staged.row,
            new.id,
            new.title,
            Status.UNCHANGED,
            problems=problems,
            note="changed in the database since the export; the database is kept",
            old=old,
            new=new,
        )
    return RowPlan(
        staged.kind,
        staged.sheet,
        staged.row,
        new.id,
        new.title,
        Status.CHANGED,
        changes,
        problems,
        old=old,
        new=new,
    )


def _saved_since(record: Record, info: ExportInfo | None) -> bool:
    """Whether the record may have been saved after the workbook was exported."""
    if info is None or record.updated_at is None:
        return True
    return record.updated_at >= info.exported_at.replace(tzinfo=None)


def _same_as_database(old: Record, new: Record) -> dict[str, Any]:
    """The database's values of the fields the workbook holds as the database does (a
    spreadsheet's 0.3 for 0.30000000000000004), so that an older format's fingerprint of
    the workbook's row sees what was exported, not how a spreadsheet rounded it."""
    return {
        name: getattr(old, name)
        for name in compared_fields(new)
        if canonical(getattr(old, name)) == canonical(getattr(new, name))
    }


def _not_listed(staging: Staging) -> dict[str, list[Record]]:
    """Records of the database the workbook does not list, for kinds whose sheet is there."""
    if staging.db_plan is None:
        return {}
    out: dict[str, list[Record]] = defaultdict(list)
    for kind in Plan.KIND_ATTRS:
        if kind not in staging.sheets:
            continue
        listed = {s.record.id for s in staging.rows.get(kind, []) if s.record is not None}
        listed |= {s.given_id for s in staging.rows.get(kind, []) if s.given_id}
        for record in staging.db_plan.records(kind):
            if record.id not in listed:
                out[kind].append(record)
    return dict(out)


def _check_pruned_references(staging: Staging, pruned: dict[str, list[Record]]) -> None:
    gone = {r.id: r for records in pruned.values() for r in records}
    for staged_rows in staging.rows.values():
        for staged in staged_rows:
            record = staged.record
            if record is None:
                continue
            for name, spec in record.SPECS.items():
                if spec.kind not in (FieldKind.REF, FieldKind.REFS) or name == "initiative_id":
                    continue
                value = getattr(record, name)
                for target in value if isinstance(value, tuple) else (value,):
                    if target in gone:
                        what = record_type(gone[target].KIND).LABEL.lower()
                        staged.problems.append(
                            error(
                                f"refers to the {what} ‘{shown(gone[target].title)}’, which the workbook no "
                                "longer lists and removal would delete",
                                sheet=staged.sheet,
                                row=staged.row,
                            )
                        )
