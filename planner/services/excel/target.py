"""Which initiative of the database a workbook is imported into.

Usually the workbook's own: found by the ID the export wrote, or by its name
when a person typed the Initiative sheet in. A workbook exported from another
file whose initiative merely has the same name as one here is recognised by
its different initiative ID; importing it by ID would add every record a second
time, so the user chooses: a separate initiative of its own, or the initiative
of the same name with each record matched by name.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from planner.domain.quoting import shown
from planner.domain.records import Initiative, new_id
from planner.services.excel.problems import ImportFileError, Problem, error
from planner.services.excel.reader import RawWorkbook
from planner.services.excel.record_index import RecordIndex
from planner.services.excel.rows import RowReader, StagedRow
from planner.services.excel.sheets import MappedSheet


class PlanChoice(StrEnum):
    """How a workbook's initiative is paired with one of the database."""

    SAME = "same"
    SEPARATE = "separate"
    MATCH_BY_NAME = "match-by-name"


@dataclass(frozen=True)
class Target:
    initiative_id: str
    existing: Initiative | None
    row: StagedRow | None
    use_ids: bool
    other_plan: Initiative | None = None
    """The same-named initiative of this database, while the user has not chosen how a
    workbook from another file pairs with it."""


def other_plan_message(name: str) -> str:
    return (
        f"this workbook comes from another file: its initiative ‘{name}’ is not the "
        f"initiative ‘{name}’ of this database (their IDs differ), so importing it "
        "would add every record a second time; import it as a separate initiative "
        "(--as-new) or match its records by name (--match-by-name)"
    )


def choose_target(
    initiatives: list[Initiative],
    sheets: dict[str, MappedSheet],
    raw: RawWorkbook,
    choice: PlanChoice = PlanChoice.SAME,
) -> Target:
    existing = {i.id: i for i in initiatives}
    sheet = sheets.get("initiative")
    exported_id = raw.info.initiative_id if raw.info is not None else None
    if sheet is None or not sheet.rows:
        if choice is PlanChoice.SAME and exported_id in existing:
            assert exported_id is not None
            return Target(exported_id, existing[exported_id], None, True)
        raise ImportFileError(
            f"{raw.path.name} has no Initiative sheet (or it is "
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
    index = RecordIndex()
    for initiative in initiatives:
        index.add_database_record(initiative)
    number, values = sheet.rows[0]
    staged = RowReader(sheet, "", index).read(number, values)
    record = staged.record
    if record is not None:
        assert isinstance(record, Initiative)
    given = staged.given_id or exported_id
    by_id = existing.get(given) if given else None
    wanted = record.name.casefold() if record is not None else None
    by_name = next((i for i in existing.values() if i.name.casefold() == wanted), None)
    if by_id is None and record is None:
        raise ImportFileError(
            f"{sheet.title} row {number}: the initiative cannot be read "
            f"({staged.problems[0] if staged.problems else 'no name'})"
        )
    other = by_name if by_id is None and given is not None and by_name is not None else None
    use_ids = choice is PlanChoice.SAME and other is None
    if choice is PlanChoice.SEPARATE:
        found = None
    elif use_ids:
        found = by_id or by_name
    else:
        found = by_name or by_id
    target_id = found.id if found is not None else (given if use_ids and given else new_id())
    if record is not None:
        name = record.name
        if choice is PlanChoice.SEPARATE:
            name = _free_name(record.name, initiatives)
        record = dataclasses.replace(
            record,
            id=target_id,
            name=name,
            created_at=found.created_at if found else None,
            updated_at=found.updated_at if found else None,
        )
        staged.record = record
        clash = next(
            (
                i
                for i in initiatives
                if i.id != target_id and i.name.casefold() == record.name.casefold()
            ),
            None,
        )
        if clash is not None and other is None:
            staged.problems.append(
                error(
                    f"another initiative in this database is already named ‘{shown(clash.name)}’",
                    sheet=sheet.title,
                    row=number,
                )
            )
    if other is not None and choice is PlanChoice.SAME:
        staged.problems.append(_other_plan_problem(other.name, sheet.title, number))
    staged.old = found
    if not use_ids:
        staged.given_id = None
    staged.matched_by = (
        "id"
        if found is not None and found.id == staged.given_id
        else ("name" if found is not None else "")
    )
    return Target(target_id, found, staged, use_ids, other if choice is PlanChoice.SAME else None)


def _other_plan_problem(name: str, title: str, number: int) -> Problem:
    return error(other_plan_message(name), sheet=title, row=number)


def _free_name(name: str, initiatives: list[Initiative]) -> str:
    """`name (imported)`, numbered when that is taken too."""
    taken = {i.name.casefold() for i in initiatives}
    if name.casefold() not in taken:
        return name
    count = 1
    while True:
        candidate = f"{name} (imported)" if count == 1 else f"{name} (imported {count})"
        if candidate.casefold() not in taken:
            return candidate
        count += 1
