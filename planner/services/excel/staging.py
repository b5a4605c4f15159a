"""Turning the rows of a workbook into validated records matched to the database.

Every row is read in full and every problem in it collected, so one pass
reports everything there is to fix. The steps, each in its own module:

1. `sheets`: recognise the planner sheets and their columns;
2. `target`: choose the initiative the workbook goes into;
3. `record_index`: index that initiative's records (IDs, names, keys);
4. `rows` (and `links` for each link): read each row into a record matched to
   the database, sheet by sheet with parents first, so that a link finds the
   rows of the sheets before it;
5. `row_checks`: checks across rows (each record once, IDs of other plans).

Nothing here writes: the preview is built from the result, and the import
applies it through the planning service.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.plan import Plan
from planner.domain.records import Initiative
from planner.services.excel.problems import Problem
from planner.services.excel.progress import Progress
from planner.services.excel.reader import RawWorkbook
from planner.services.excel.record_index import RecordIndex
from planner.services.excel.row_checks import (
    check_each_record_once,
    check_ids_of_other_initiatives,
    check_thresholds,
    check_unique_pairs,
    check_unit_loops,
)
from planner.services.excel.rows import RowReader, StagedRow
from planner.services.excel.sheets import MappedSheet, map_workbook
from planner.services.excel.target import PlanChoice, Target, choose_target
from planner.services.planning import PlanService


@dataclass
class Staging:
    target_id: str
    initiative_exists: bool
    db_plan: Plan | None
    sheets: dict[str, MappedSheet]
    rows: dict[str, list[StagedRow]]
    notes: list[Problem]
    used_ids: bool = True
    other_plan: Initiative | None = None


def stage(
    service: PlanService,
    raw: RawWorkbook,
    progress: Progress | None = None,
    *,
    choice: PlanChoice = PlanChoice.SAME,
) -> Staging:
    progress = progress or Progress(what="the import")
    notes: list[Problem] = []
    sheets = map_workbook(raw, notes)
    target = choose_target(service.initiatives(), sheets, raw, choice)
    plan = service.plan(target.initiative_id) if target.existing is not None else None
    index = RecordIndex()
    if plan is not None:
        index.add_database(plan)
    rows: dict[str, list[StagedRow]] = {"initiative": [target.row]} if target.row else {}
    kinds = [k for k in Plan.KIND_ATTRS if k in sheets]
    currency = _currency(target)
    total = sum(len(sheets[k].rows) for k in kinds) or 1
    done = 0
    for kind in kinds:
        sheet = sheets[kind]
        progress.step(done / total, f"Checking {sheet.title}")
        reader = RowReader(
            sheet, target.initiative_id, index, use_ids=target.use_ids, currency=currency
        )
        rows[kind] = _read_sheet(sheet, reader, index, progress, done, total)
        notes.extend(reader.unlisted_defaults())
        done += len(sheet.rows)
    _read_late_links(sheets, rows, index, target.use_ids)
    check_thresholds(sheets.get("initiative"), rows.get("initiative", []))
    check_unit_loops(sheets.get("unit"), rows.get("unit", []), plan)
    for kind, staged_rows in rows.items():
        check_each_record_once(kind, staged_rows)
        check_unique_pairs(kind, staged_rows)
    if target.use_ids:
        check_ids_of_other_initiatives(rows, service.existing_ids)
    for sheet in sheets.values():
        sheet.rows = []  # every cell is read: the preview needs only what the rows became
    return Staging(
        target.initiative_id,
        target.existing is not None,
        plan,
        sheets,
        rows,
        notes,
        target.use_ids,
        target.other_plan,
    )


def _read_sheet(
    sheet: MappedSheet,
    reader: RowReader,
    index: RecordIndex,
    progress: Progress,
    done: int,
    total: int,
) -> list[StagedRow]:
    """Every row of one sheet; each record read is indexed for the links of later sheets
    (an invalid row by its ID and name too, so that its own error is not repeated by every
    row linking to it)."""
    out: list[StagedRow] = []
    kind = sheet.layout.kind
    for count, (number, values) in enumerate(sheet.rows, 1):
        staged = reader.read(number, values)
        out.append(staged)
        if staged.record is not None:
            index.add(kind, staged.record.id, getattr(staged.record, "name", None))
        elif staged.given_id is not None:
            index.add(kind, staged.given_id, reader.name_in(values))
        if count % 2000 == 0:
            progress.step((done + count) / total, f"Checking {sheet.title}")
    return out


def _read_late_links(
    sheets: dict[str, MappedSheet],
    rows: dict[str, list[StagedRow]],
    index: RecordIndex,
    use_ids: bool,
) -> None:
    """Links to records of a sheet read later (the initiative's sponsor, a stakeholder)."""
    for kind, staged_rows in rows.items():
        sheet = sheets.get(kind)
        if sheet is None:
            continue
        reader = RowReader(sheet, "", index, use_ids=use_ids)
        if not reader.late:
            continue
        values = dict(sheet.rows)
        for staged in staged_rows:
            if staged.row in values:
                reader.read_late(staged, values[staged.row])


__all__ = ["PlanChoice", "StagedRow", "Staging", "stage"]


def _currency(target: Target) -> str | None:
    """The currency amounts are read in: the workbook's initiative row's, else the database's."""
    record = target.row.record if target.row is not None else None
    if record is not None:
        return str(getattr(record, "currency", "") or "") or None
    if target.existing is not None:
        return target.existing.currency
    return None
