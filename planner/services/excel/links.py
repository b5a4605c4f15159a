"""Reading one link of a row: its readable names and its IDs, reconciled.

A link is exported twice, as names (which people edit) and as IDs (which
nobody reads). The rules, in order:

- names that still say what the IDs say: the IDs are used (the usual case);
- a name that names a record (by its name in the workbook or in the plan)
  is that record, so an edited name wins over stale IDs, and IDs only
  settle which of several records of the same name is meant;
- a name that names nothing (its record was renamed, in this workbook or
  since) takes a valid ID of the cell that no other name claimed;
- only a name that neither its text nor an ID can place is an error.

A garbled or unknown ID is ignored, with a warning, when the names place
every record anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.domain.fields import FieldKind, FieldSpec, parse_record_id
from planner.domain.records import record_type
from planner.services.excel.layout import REF_SEPARATOR, Column, Role
from planner.services.excel.problems import Problem, error, shown, warning
from planner.services.excel.record_index import RecordIndex
from planner.services.excel.sheets import MappedSheet, cell

_ID_SPLIT = re.compile(r"[;,\s]+")


@dataclass(frozen=True)
class LinkColumns:
    """Where one link field sits on a sheet (either side may be missing)."""

    spec: FieldSpec
    names: Column
    ids: Column
    names_at: int | None
    ids_at: int | None

    @classmethod
    def of(cls, sheet: MappedSheet, spec: FieldSpec) -> LinkColumns | None:
        """None when the sheet has neither column (the field keeps its database value)."""
        names = sheet.layout.column_for(spec.name, Role.REF_NAME)
        ids = sheet.layout.column_for(spec.name, Role.REF_ID)
        assert names is not None and ids is not None
        names_at = sheet.positions.get(names)
        ids_at = sheet.positions.get(ids)
        if names_at is None and ids_at is None:
            return None
        return cls(spec, names, ids, names_at, ids_at)


@dataclass
class Link:
    """The result: the value for the record (None when unreadable) and what was found."""

    value: Any
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)


def read_link(
    sheet: MappedSheet,
    number: int,
    values: Sequence[Any],
    where: LinkColumns,
    index: RecordIndex,
    *,
    use_ids: bool = True,
) -> Link:
    """The link's value from one row; `use_ids=False` reads the names alone."""
    spec = where.spec
    assert spec.ref is not None
    many = spec.kind is FieldKind.REFS
    raw_names = cell(values, where.names_at) if where.names_at is not None else None
    raw_ids = cell(values, where.ids_at) if where.ids_at is not None and use_ids else None
    ids, bad = _split_ids(raw_ids)
    names = _split_names(raw_names, many)
    result = Link(None)

    def fail(message: str, column: Column, found: str) -> Link:
        result.problems.append(
            error(
                message,
                row=number,
                found=found,
                expected=column.allowed,
                **sheet.locate(column),
            )
        )
        result.value = None
        return result

    target = spec.ref
    label = record_type(target).LABEL.lower()
    known = [i for i in ids if index.is_known(target, i)]
    if where.names_at is None:
        if bad or len(known) != len(ids):
            return fail(
                f"no {label} with this ID in the plan or the workbook",
                where.ids,
                shown(bad[0] if bad else next(i for i in ids if i not in known)),
            )
        resolved = ids
    elif not names:
        resolved = known if spec.required and not bad and len(known) == len(ids) else []
    elif (
        not bad and len(known) == len(ids) and _names_say_ids(index, target, ids, names, raw_names)
    ):
        resolved = ids
    else:
        placed = _place_names(index, target, names, ids, known)
        if isinstance(placed, str):
            return fail(placed, where.names, shown(raw_names))
        resolved = placed
        if bad or len(known) != len(ids):
            odd = bad[0] if bad else next(i for i in ids if i not in known)
            result.problems.append(
                warning(
                    f"not an ID of a {label} in the plan or the workbook; the names were used",
                    row=number,
                    found=shown(odd),
                    **sheet.locate(where.ids),
                )
            )
    column = where.names if where.names_at is not None else where.ids
    if not many and len(resolved) > 1:
        return fail(f"one {label} only", column, shown(raw_names if names else raw_ids))
    if not resolved:
        if spec.required:
            return fail(f"{spec.label} is required", column, "")
        result.value = () if many else None
        return result
    unique = tuple(dict.fromkeys(resolved))
    result.value = tuple(sorted(unique)) if many else unique[0]
    return result


def _split_ids(raw: Any) -> tuple[list[str], list[str]]:
    """(well-formed IDs, tokens that are not IDs)."""
    ids: list[str] = []
    bad: list[str] = []
    for item in _ID_SPLIT.split(str(raw or "").strip().lower()):
        if item:
            (ids if parse_record_id(item) == item else bad).append(item)
    return ids, bad


def _split_names(raw: Any, many: bool) -> list[str]:
    if raw is None:
        return []
    parts = str(raw).split(";") if many else [str(raw)]
    return [p.strip() for p in parts if p.strip()]


def _names_say_ids(
    index: RecordIndex, kind: str, ids: list[str], names: list[str], raw: Any
) -> bool:
    """Whether the readable side still says what the IDs say (so it was not edited)."""
    exported = [sorted(index.names_of(kind, i)) for i in ids]
    if all(len(options) == 1 for options in exported) and str(
        raw
    ).strip().casefold() == REF_SEPARATOR.join(o[0] for o in exported):
        return True
    if len(names) != len(ids):
        return False
    remaining = [n.casefold() for n in names]
    for record_id in ids:
        options = index.names_of(kind, record_id)
        hit = next((n for n in remaining if n in options), None)
        if hit is None:
            return False
        remaining.remove(hit)
    return True


def _place_names(
    index: RecordIndex, kind: str, names: list[str], ids: list[str], known: list[str]
) -> list[str] | str:
    """Each name's record, or the message saying which name cannot be placed."""
    cls = record_type(kind)
    placed: list[str | None] = []
    for name in names:
        candidates = index.named(kind, name)
        if len(candidates) == 1:
            placed.append(next(iter(candidates)))
            continue
        chosen = candidates & set(known)
        if len(chosen) == 1:
            placed.append(next(iter(chosen)))
        elif candidates:
            return (
                f"{len(candidates)} {cls.PLURAL.lower()} are named ‘{shown(name)}’; "
                "put the ID of the one you mean in the ID column"
            )
        else:
            placed.append(None)
    unplaced = [k for k, found in enumerate(placed) if found is None]
    if not unplaced:
        return [p for p in placed if p is not None]
    spare = [i for i in known if i not in placed]
    if len(names) == len(ids):
        # Names and IDs as the export wrote them, side by side: each name that names
        # nothing takes the ID in its place, and only one whose ID is gone too is an error.
        for k in unplaced:
            if ids[k] in spare:
                placed[k] = ids[k]
    elif len(unplaced) == len(spare):
        for k, record_id in zip(unplaced, spare, strict=True):
            placed[k] = record_id
    missing = [k for k, found in enumerate(placed) if found is None]
    if missing:
        first = names[missing[0]]
        return f"no {cls.LABEL.lower()} named ‘{shown(first)}’ in the plan or the workbook"
    return [p for p in placed if p is not None]
