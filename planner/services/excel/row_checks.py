"""Checks across the rows of a sheet, once every row has been read on its own.

Each record appears once (by ID, or by the record a row without an ID was
matched to); attendance and scores appear once per pair; and a row may not
carry the ID of a record that belongs to another initiative of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from planner.domain.errors import DomainError
from planner.domain.plan import Plan
from planner.domain.records import Unit, record_type, unit_loop, unit_loop_text
from planner.services.excel.layout import Role
from planner.services.excel.problems import error
from planner.services.excel.rows import StagedRow
from planner.services.excel.sheets import MappedSheet
from planner.services.readiness.overrides import checked_overrides

UNIQUE_PAIRS = {
    "attendance": ("session_id", "stakeholder_id"),
    "score": ("option_id", "criterion_id"),
}


def check_each_record_once(kind: str, staged_rows: list[StagedRow]) -> None:
    first_row: dict[str, int] = {}
    for staged in staged_rows:
        if staged.record is None:
            if staged.given_id:
                first_row.setdefault(staged.given_id, staged.row)
            continue
        record_id = staged.record.id
        if record_id not in first_row:
            first_row[record_id] = staged.row
            continue
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


def check_unit_loops(
    sheet: MappedSheet | None, staged_rows: list[StagedRow], plan: Plan | None
) -> None:
    """No unit ends up inside itself (A in B in A), counting the file's units the workbook
    leaves as they are; each row of a loop is an error at its Parent unit cell."""
    if sheet is None:
        return
    units: dict[str, Unit] = {u.id: u for u in plan.units} if plan is not None else {}
    units.update((s.record.id, s.record) for s in staged_rows if isinstance(s.record, Unit))
    parents = {u.id: u.parent_unit_id for u in units.values()}
    column = sheet.layout.column_for("parent_unit_id", Role.REF_NAME)
    where = sheet.locate(column) if column in sheet.positions else {"sheet": sheet.title}
    for staged in staged_rows:
        if staged.record is None:
            continue
        loop = unit_loop(staged.record.id, parents)
        if loop is not None:
            text = unit_loop_text([units[i].name for i in loop])
            staged.problems.append(error(text, row=staged.row, **where))


def check_unique_pairs(kind: str, staged_rows: list[StagedRow]) -> None:
    pair = UNIQUE_PAIRS.get(kind)
    if pair is None:
        return
    label = record_type(kind).LABEL.lower()
    seen: dict[tuple[str, str], int] = {}
    for staged in staged_rows:
        if staged.record is None:
            continue
        key = (getattr(staged.record, pair[0]), getattr(staged.record, pair[1]))
        if key in seen:
            staged.problems.append(
                error(f"the same {label} as row {seen[key]}", sheet=staged.sheet, row=staged.row)
            )
        else:
            seen[key] = staged.row


def check_ids_of_other_initiatives(
    rows: dict[str, list[StagedRow]],
    existing_ids: Callable[[str, Sequence[str]], set[str]],
) -> None:
    """New rows with an ID: the ID must not be a record of the file already (of another plan).

    `existing_ids(kind, ids)` answers which IDs the file holds (the planning service's).
    """
    for kind, staged_rows in rows.items():
        if kind == "initiative":
            continue
        fresh = {
            s.given_id: s
            for s in staged_rows
            if s.record is not None and s.old is None and s.given_id
        }
        if not fresh:
            continue
        for taken in existing_ids(kind, list(fresh)):
            staged = fresh[taken]
            staged.problems.append(
                error(
                    "this ID belongs to a record of another initiative in this "
                    "database; clear the ID to add the row as a new record",
                    sheet=staged.sheet,
                    row=staged.row,
                    found=taken,
                )
            )


def check_thresholds(sheet: MappedSheet | None, staged_rows: Sequence[StagedRow]) -> None:
    """An initiative's own readiness thresholds must name real rules and thresholds."""
    if sheet is None:
        return
    for staged in staged_rows:
        if staged.record is None:
            continue
        try:
            checked_overrides(getattr(staged.record, "readiness_thresholds", None))
        except DomainError as exc:
            column = sheet.layout.column_for("readiness_thresholds")
            where = sheet.locate(column) if column in sheet.positions else {"sheet": sheet.title}
            staged.problems.append(error(exc.message, row=staged.row, **where))
            staged.record = None
