"""Reading one row of a planner sheet into a validated record, matched to the database.

A `RowReader` is made once per sheet: it works out which column holds which
field, then reads each row in three steps a reader can follow:

1. the cells: the row's ID, each value and each link, every problem collected;
2. the match: the database record the row stands for, by its ID, or (a row
   typed in without one) by what identifies it, its name say;
3. the record: fields the sheet lacks keep the database value, required cells
   left blank take a new record's default (said so) or are an error, and the
   record checks its cross-field rules.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.domain.errors import DomainError
from planner.domain.fields import FieldKind, FieldSpec, coerce, parse_record_id
from planner.domain.money import DEFAULT_CURRENCY, parse_money
from planner.domain.records import RECORD_TYPES, Record, new_id, record_type
from planner.services.excel.layout import Column, Role
from planner.services.excel.links import LinkColumns, read_link
from planner.services.excel.problems import Problem, error, shown, warning
from planner.services.excel.record_index import RecordIndex
from planner.services.excel.sheets import MappedSheet, cell
from planner.services.excel.values import CellError, interpret

_PLAIN_NUMBER = re.compile(r"[\d\s.,+-]*")


def _names_a_currency(text: str) -> bool:
    """ "€62,000" or "EUR 62,000" is read as money; a bare "1,250" stays ambiguous and is refused."""
    return bool(text.strip()) and _PLAIN_NUMBER.fullmatch(text) is None


_BLANK = object()  # a required cell left blank, settled once the row's match is known


@dataclass(slots=True)
class StagedRow:
    """One row as read, kept for every row of a sheet (hence slots: 60 bytes less a row)."""

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


def new_record_defaults(cls: type[Record]) -> dict[str, Any]:
    """What a record made from nothing gets for each field that has a default."""
    out: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        if item.default is not dataclasses.MISSING:
            out[item.name] = item.default
        elif item.default_factory is not dataclasses.MISSING:
            out[item.name] = ()
    return out


@dataclass(frozen=True)
class _ValueColumn:
    spec: FieldSpec
    column: Column
    at: int
    label: str


LISTED_DEFAULTS = 20
"""New rows whose blank cell in one column is listed with its default; the rest are counted.

A sheet of a hundred thousand name-only rows would otherwise carry a dozen notes
a row (one per blank required column), several hundred megabytes of preview
that says the same thing: the first rows show where, one line says how many more.
"""


class RowReader:
    """Reads the rows of one sheet; `use_ids=False` ignores every ID the sheet holds."""

    def __init__(
        self,
        sheet: MappedSheet,
        target_id: str,
        index: RecordIndex,
        *,
        use_ids: bool = True,
        currency: str | None = None,
    ) -> None:
        self.sheet, self.target_id, self.index, self.use_ids = sheet, target_id, index, use_ids
        self.currency = currency or DEFAULT_CURRENCY
        """The initiative's currency: an amount typed as text ("€62,000") must be in it."""
        self.kind = sheet.layout.kind
        self.cls = record_type(self.kind)
        self.defaults = new_record_defaults(self.cls)
        id_column = sheet.layout.columns[0]
        self.id_at = sheet.positions.get(id_column) if use_ids else None
        self.id_column = id_column
        self.values: list[_ValueColumn] = []
        self.defaulted: dict[str, int] = {}
        self.links: list[LinkColumns] = []
        self.late: list[LinkColumns] = []
        self.absent: list[str] = []
        for name, spec in self.cls.SPECS.items():
            if not spec.editable or name == "initiative_id":
                continue
            if spec.kind in (FieldKind.REF, FieldKind.REFS):
                link = LinkColumns.of(sheet, spec)
                if link is None:
                    self.absent.append(name)
                elif spec.ref is not None and _declared_after(spec.ref, self.kind):
                    self.late.append(link)
                else:
                    self.links.append(link)
                continue
            column = sheet.layout.column_for(name)
            if column is None or column not in sheet.positions:
                self.absent.append(name)
            else:
                label = f"{self.cls.LABEL} {spec.label.lower()}"
                self.values.append(_ValueColumn(spec, column, sheet.positions[column], label))
        self.takes_initiative = "initiative_id" in self.cls.SPECS
        name_column = sheet.layout.column_for("name")
        self.name_at = sheet.positions.get(name_column) if name_column is not None else None

    def name_in(self, values: Sequence[Any]) -> str | None:
        """The row's name as typed, for a row that could not be read into a record."""
        name = cell(values, self.name_at) if self.name_at is not None else None
        if name is None:
            return None
        return str(name).strip() or None

    def read(self, number: int, values: Sequence[Any]) -> StagedRow:
        problems = list(self.sheet.problems.get(number, ()))
        given = self._given_id(number, values, problems)
        fields: dict[str, Any] = {"initiative_id": self.target_id} if self.takes_initiative else {}
        blank: list[str] = []
        for slot in self.values:
            value = self._value(number, values, slot, problems)
            if value is _BLANK:
                blank.append(slot.spec.name)
            else:
                fields[slot.spec.name] = value
        for link in self.links:
            found = read_link(self.sheet, number, values, link, self.index, use_ids=self.use_ids)
            problems.extend(found.problems)
            fields[link.spec.name] = found.value
        old, matched_by = self._match(number, given, fields, problems)
        record = self._record(number, old, given, fields, blank, problems)
        return StagedRow(
            self.kind, self.sheet.title, number, record, old, given, matched_by, problems
        )

    def read_late(self, staged: StagedRow, values: Sequence[Any]) -> None:
        """The row's references to kinds whose sheets come after its own (an initiative's
        sponsor, a stakeholder), read once every sheet's records are known."""
        for link in self.late:
            found = read_link(
                self.sheet, staged.row, values, link, self.index, use_ids=self.use_ids
            )
            staged.problems.extend(found.problems)
            if staged.record is None:
                continue
            if any(p.is_error for p in found.problems):
                staged.record = None
                continue
            try:
                staged.record = dataclasses.replace(staged.record, **{link.spec.name: found.value})
            except DomainError as exc:  # a cross-field rule: a unit that is its own parent
                staged.problems.append(self._refusal(staged.row, exc))
                staged.record = None

    # ---------------------------------------------------------------- cells
    def _given_id(self, number: int, values: Sequence[Any], problems: list[Problem]) -> str | None:
        if self.id_at is None:
            return None
        raw = cell(values, self.id_at)
        if raw is None or not str(raw).strip():
            return None
        ident = parse_record_id(raw)
        if ident is not None:
            return ident
        problems.append(
            error(
                "not a record ID; leave the ID blank for a new row",
                row=number,
                found=shown(raw),
                expected="an ID from the planner, or blank",
                **self.sheet.locate(self.id_column),
            )
        )
        return None

    def _value(
        self, number: int, values: Sequence[Any], slot: _ValueColumn, problems: list[Problem]
    ) -> Any:
        raw = cell(values, slot.at)
        where = self.sheet.locate(slot.column)
        if any(p.column == where["column"] and p.is_error for p in problems):
            return None
        if slot.spec.required and (raw is None or (isinstance(raw, str) and not raw.strip())):
            return _BLANK
        try:
            if slot.spec.money and isinstance(raw, str) and _names_a_currency(raw):
                return parse_money(raw, self.currency, where=slot.label, field=slot.spec.name)
            return coerce(slot.spec, interpret(slot.spec, raw), slot.label)
        except CellError as exc:
            problems.append(
                error(exc.message, row=number, found=shown(raw), expected=exc.expected, **where)
            )
        except DomainError as exc:
            message = exc.message.removeprefix(slot.label).lstrip(": ") or exc.message
            problems.append(
                error(
                    message,
                    row=number,
                    found=None if raw is None else shown(raw),
                    expected=slot.column.allowed,
                    **where,
                )
            )
        return None

    # ---------------------------------------------------------------- match
    def _match(
        self, number: int, given: str | None, fields: dict[str, Any], problems: list[Problem]
    ) -> tuple[Record | None, str]:
        if given is not None:
            old = self.index.in_database(self.kind, given)
            return old, ("id" if old is not None else "")
        if any(p.is_error for p in problems):
            return None, ""
        candidates = self.index.matching(self.kind, fields)
        if len(candidates) == 1:
            return candidates[0], "name"
        if candidates:
            problems.append(
                error(
                    f"{len(candidates)} {self.cls.PLURAL.lower()} in the plan match this row; "
                    "copy the ID of the one you mean into the ID column",
                    sheet=self.sheet.title,
                    row=number,
                )
            )
        return None, ""

    # --------------------------------------------------------------- record
    def _record(
        self,
        number: int,
        old: Record | None,
        given: str | None,
        fields: dict[str, Any],
        blank: list[str],
        problems: list[Problem],
    ) -> Record | None:
        for name in self.absent:
            fields[name] = getattr(old, name) if old is not None else self.defaults[name]
        for name in blank:
            fields[name] = self._blank_required(number, name, old, problems)
        if any(p.is_error for p in problems):
            return None
        record = self.cls.trusted(
            id=old.id if old is not None else (given or new_id()),
            created_at=old.created_at if old else None,
            updated_at=old.updated_at if old else None,
            **fields,
        )
        try:
            record.check()
        except DomainError as exc:
            problems.append(self._refusal(number, exc))
            return None
        return record

    def _refusal(self, number: int, exc: DomainError) -> Problem:
        """A record's own rule broken by row `number`, placed at the cell of its field."""
        layout = self.sheet.layout
        column = layout.column_for(exc.field or "") or layout.column_for(
            exc.field or "", Role.REF_NAME
        )
        where = (
            self.sheet.locate(column)
            if column in self.sheet.positions
            else {"sheet": self.sheet.title}
        )
        return error(exc.message, row=number, **where)

    def unlisted_defaults(self) -> list[Problem]:
        """One note per column for the blank cells beyond the first `LISTED_DEFAULTS`."""
        out = []
        for name, count in self.defaulted.items():
            if count <= LISTED_DEFAULTS:
                continue
            column = self.sheet.layout.column_for(name)
            assert column is not None
            out.append(
                warning(
                    f"blank in {count - LISTED_DEFAULTS} more new rows, which get the default "
                    f"‘{_label(self.defaults[name])}’",
                    **self.sheet.locate(column),
                )
            )
        return out

    def _blank_required(
        self, number: int, name: str, old: Record | None, problems: list[Problem]
    ) -> Any:
        """A required cell left blank: a new row takes the default a new record gets."""
        column = self.sheet.layout.column_for(name)
        assert column is not None
        default = self.defaults.get(name)
        if old is None and default is not None:
            count = self.defaulted[name] = self.defaulted.get(name, 0) + 1
            if count <= LISTED_DEFAULTS:
                problems.append(
                    warning(
                        f"blank; a new {self.cls.LABEL.lower()} gets the default "
                        f"‘{_label(default)}’",
                        row=number,
                        **self.sheet.locate(column),
                    )
                )
            return default
        problems.append(
            error(
                "is required",
                row=number,
                found="",
                expected=column.allowed,
                **self.sheet.locate(column),
            )
        )
        return None


def _label(value: Any) -> str:
    """A default as the sheet's dropdown shows it (a choice's label)."""
    return str(getattr(value, "label", value))


_ORDER = {kind: n for n, kind in enumerate(RECORD_TYPES)}


def _declared_after(ref: str, kind: str) -> bool:
    """Whether `ref`'s records are staged after `kind`'s (the kinds' declared order), or
    with them (a unit's parent unit, on the same sheet, perhaps further down)."""
    return _ORDER[ref] >= _ORDER[kind]
