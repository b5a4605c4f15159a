"""Which sheet holds which record kind, and which column holds which field.

Export and import read the same layout, so a column exported is a column
understood on the way back. A reference to another record is two columns: the
readable side (names, which people edit) and the ID side (UUIDs, which make
matching exact); the importer reconciles the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from planner.domain.fields import FieldKind, FieldSpec
from planner.domain.records import RECORD_TYPES, record_type


class Role(StrEnum):
    ID = "id"
    VALUE = "value"
    REF_NAME = "ref_name"
    REF_ID = "ref_id"


@dataclass(frozen=True)
class Column:
    header: str
    role: Role
    field: str = ""
    spec: FieldSpec | None = None
    width: float = 14.0
    meaning: str = ""
    allowed: str = ""
    required: bool = False

    @property
    def key(self) -> str:
        return header_key(self.header)


@dataclass(frozen=True)
class SheetLayout:
    kind: str
    title: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]

    @property
    def label(self) -> str:
        return record_type(self.kind).LABEL

    @property
    def parent_field(self) -> str | None:
        parent = record_type(self.kind).PARENT
        return parent[0] if parent else None

    def column_for(self, field_name: str, role: Role = Role.VALUE) -> Column | None:
        for column in self.columns:
            if column.field == field_name and column.role is role:
                return column
        return None


# Sheet titles in workbook order (the order the kinds are declared: parents first).
SHEET_TITLES: dict[str, str] = {kind: cls.SHEET for kind, cls in RECORD_TYPES.items()}

# How a row typed in by hand (no ID) is recognised as a record already in the database.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    kind: cls.NATURAL_KEY for kind, cls in RECORD_TYPES.items()
}

BOOL_LABELS = ("Yes", "No")
REF_SEPARATOR = "; "

_WIDTHS = {
    FieldKind.TEXT: 22.0,
    FieldKind.LONGTEXT: 40.0,
    FieldKind.INT: 11.0,
    FieldKind.FLOAT: 12.0,
    FieldKind.DATE: 12.0,
    FieldKind.BOOL: 10.0,
    FieldKind.CHOICE: 16.0,
}


def header_key(text: str) -> str:
    """Headers match whatever their case and spacing."""
    return re.sub(r"\s+", "", text).casefold()


def _value_column(spec: FieldSpec) -> Column:
    if spec.kind is FieldKind.BOOL:
        allowed = " or ".join(BOOL_LABELS)
    elif spec.kind is FieldKind.CHOICE:
        assert spec.choices is not None
        allowed = ", ".join(c.label for c in spec.choices)
    elif spec.kind is FieldKind.DATE:
        allowed = "a date (YYYY-MM-DD)"
    elif spec.kind is FieldKind.INT:
        allowed = "a whole number" + (f" {spec.describe_range()}" if spec.describe_range() else "")
    elif spec.kind is FieldKind.FLOAT:
        allowed = "a number" + (f" {spec.describe_range()}" if spec.describe_range() else "")
    elif spec.kind is FieldKind.LONGTEXT:
        allowed = "text, up to 32,000 characters"
    else:
        allowed = "text, up to 200 characters"
    width = max(
        _WIDTHS.get(spec.kind, 14.0),
        min(len(spec.label) + 4, 30),
        30.0 if spec.name == "name" else 0.0,
    )
    return Column(
        spec.label,
        Role.VALUE,
        spec.name,
        spec,
        width,
        spec.help or spec.label,
        allowed,
        spec.required,
    )


def _ref_columns(spec: FieldSpec) -> tuple[Column, Column]:
    assert spec.ref is not None
    target = record_type(spec.ref)
    many = spec.kind is FieldKind.REFS
    what = f"{target.PLURAL.lower()}" if many else f"the {target.LABEL.lower()}"
    names = Column(
        spec.label,
        Role.REF_NAME,
        spec.name,
        spec,
        30.0 if many else 22.0,
        f"{spec.label}: {what} by name" + (", separated by ;" if many else ""),
        f"names from the {SHEET_TITLES[spec.ref]} sheet",
        spec.required,
    )
    ids = Column(
        f"{spec.label} {'IDs' if many else 'ID'}",
        Role.REF_ID,
        spec.name,
        spec,
        38.0,
        f"{spec.label}: the same as IDs; leave blank or clear it after editing the names",
        f"IDs from the {SHEET_TITLES[spec.ref]} sheet",
        False,
    )
    return names, ids


@cache
def layout(kind: str) -> SheetLayout:
    cls = record_type(kind)
    columns: list[Column] = [
        Column(
            "ID",
            Role.ID,
            "id",
            None,
            38.0,
            f"The {cls.LABEL.lower()}'s unique ID; leave blank for a new row",
            "an ID from the planner, or blank",
        )
    ]
    for name, spec in cls.SPECS.items():
        if not spec.editable or name == "initiative_id":
            continue
        if spec.kind in (FieldKind.REF, FieldKind.REFS):
            columns.extend(_ref_columns(spec))
        else:
            columns.append(_value_column(spec))
    return SheetLayout(kind, SHEET_TITLES[kind], tuple(columns), NATURAL_KEYS[kind])


def layouts() -> list[SheetLayout]:
    return [layout(kind) for kind in SHEET_TITLES]


def layout_by_title() -> dict[str, SheetLayout]:
    return {header_key(item.title): item for item in layouts()}


def read_columns(title: str, headers: list[str | None]) -> frozenset[int] | None:
    """The indices of a sheet's columns that the import reads (those whose header names a
    planner column), or None when the sheet is not a planner sheet and nothing of it is read."""
    found = layout_by_title().get(header_key(title))
    if found is None:
        return None
    keys = {column.key for column in found.columns}
    return frozenset(i for i, h in enumerate(headers) if h is not None and header_key(h) in keys)
