"""Field descriptions shared by validation, tables, forms and the Excel exchange.

Every record field carries a `FieldSpec` so that the UI can pick an editor, the
Excel exporter a column format and dropdown, and validation a rule, from one
place.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from planner.domain.enums import Choice
from planner.domain.errors import DomainError
from planner.domain.quoting import shown

MAX_TEXT = 200
# Fields every record has, which the planner sets and nobody edits: the id, when it was
# made and last changed, and its row version (`planner.domain.records.Record.version`).
STAMPS = ("id", "created_at", "updated_at", "version")
MAX_LONG_TEXT = 32_000


class FieldKind(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    REF = "ref"
    REFS = "refs"


@dataclass(frozen=True)
class FieldSpec:
    label: str
    kind: FieldKind
    required: bool = False
    choices: type[Choice] | None = None
    minimum: float | None = None
    maximum: float | None = None
    ref: str | None = None
    help: str = ""
    name: str = ""
    enforced: bool = True
    """For a reference: whether the database holds it as a foreign key (deleting the
    record it points at deletes this one). False for a reference that may dangle."""
    money: bool = False
    """For a number: an amount in its initiative's currency (shown "€62,000")."""
    private: bool = False
    """What the team thinks and writes about a stakeholder (attitudes, notes): a team
    plan's viewers may not read it, the server withholds it (its column privileges)."""

    @property
    def editable(self) -> bool:
        return self.name not in STAMPS

    def describe_range(self) -> str:
        if self.choices is not None:
            return ", ".join(c.value for c in self.choices)
        if self.minimum is not None and self.maximum is not None:
            return f"{_num(self.minimum)}–{_num(self.maximum)}"
        if self.minimum is not None:
            return f"≥ {_num(self.minimum)}"
        return ""


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# A date, optionally with the time of day a datetime's text carries; nothing else after it.
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")
_TRUE = {"true", "yes", "y", "1", "x", "✓", "ja", "oui"}
_FALSE = {"false", "no", "n", "0", "", "nein", "non"}


def coerce(spec: FieldSpec, raw: Any, where: str) -> Any:
    """Turn a raw value (typed, or text from a form or a spreadsheet) into the field's type.

    Raises DomainError naming `where` (e.g. "Stakeholder power") when the value
    cannot be understood or breaks the field's range.
    """
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "" and spec.kind not in (FieldKind.BOOL, FieldKind.REFS):
            raw = None
    if raw is None:
        if spec.required:
            raise DomainError(f"{where} is required", field=spec.name)
        if spec.kind is FieldKind.BOOL:
            return False
        if spec.kind is FieldKind.REFS:
            return ()
        return None
    kind = spec.kind
    if kind in (FieldKind.TEXT, FieldKind.LONGTEXT):
        if not isinstance(raw, str):
            raw = _num(raw) if isinstance(raw, float) else str(raw)
        limit = MAX_TEXT if kind is FieldKind.TEXT else MAX_LONG_TEXT
        if len(raw) > limit:
            raise DomainError(
                f"{where} is {len(raw)} characters long; at most {limit} are allowed",
                field=spec.name,
            )
        if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in raw):
            raise DomainError(f"{where} contains control characters", field=spec.name)
        if any("\ud800" <= ch <= "\udfff" for ch in raw):
            raise DomainError(
                f"{where} contains broken characters (unpaired surrogates)", field=spec.name
            )
        if kind is FieldKind.TEXT and ("\n" in raw or "\r" in raw):
            raw = " ".join(raw.split())
        return raw
    if kind is FieldKind.INT:
        value = _to_number(raw, spec, where)
        if not float(value).is_integer():
            raise DomainError(f"{where}: '{shown(raw)}' is not a whole number", field=spec.name)
        return _in_range(int(value), spec, where)
    if kind is FieldKind.FLOAT:
        return _in_range(float(_to_number(raw, spec, where)), spec, where)
    if kind is FieldKind.DATE:
        return _to_date(raw, spec, where)
    if kind is FieldKind.BOOL:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, (int, float)) and raw in (0, 1):
            return bool(raw)
        text = str(raw).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise DomainError(f"{where}: '{shown(raw)}' is not yes or no", field=spec.name)
    if kind is FieldKind.CHOICE:
        assert spec.choices is not None
        try:
            return spec.choices.parse(raw)
        except ValueError:
            allowed = ", ".join(c.value for c in spec.choices)
            raise DomainError(
                f"{where}: '{shown(raw)}' is not one of {allowed}", field=spec.name
            ) from None
    if kind is FieldKind.REF:
        return _to_id(raw, spec, where)
    if kind is FieldKind.REFS:
        if isinstance(raw, str):
            items = raw.split(";")
        elif isinstance(raw, (list, tuple, set, frozenset)):
            items = list(raw)
        else:
            raise DomainError(
                f"{where}: '{shown(raw)}' is not a list of record ids", field=spec.name
            )
        ids: list[str] = []
        for item in items:
            if isinstance(item, str) and not item.strip():
                continue
            ident = _to_id(item, spec, where)
            if ident not in ids:
                ids.append(ident)
        return tuple(ids)
    raise AssertionError(kind)


_RECORD_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def parse_record_id(raw: Any) -> str | None:
    """`raw` as a record id (a UUID, written lower-case with hyphens), or None if it is not one.

    The one definition of a record id, for records, their links and the Excel
    import alike: a looser test in one place (braces, no hyphens, a `urn:`)
    would let in an id that the others never match.
    """
    text = str(raw).strip().lower()
    return text if _RECORD_ID.fullmatch(text) else None


def _to_id(raw: Any, spec: FieldSpec, where: str) -> str:
    ident = parse_record_id(raw)
    if ident is None:
        raise DomainError(f"{where}: '{shown(raw)}' is not a record id", field=spec.name)
    return ident


# One to three digits, then a separator and exactly three more: a thousands separator
# in one locale (1,250 = 1250 in English) and a decimal mark in another (1,250 = 1.25).
_AMBIGUOUS_SEPARATOR = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
# Thousands in groups of three, then perhaps a decimal part: only one reading each.
_COMMA_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_POINT_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")


def _number_text(raw: Any, spec: FieldSpec, where: str) -> str:
    """Typed number text in the form `float()` reads, where it can mean only one number.

    Spaces (and no-break spaces) between digit groups go; `12,5` is a decimal
    comma and `1,250,000` or `1.250,5` carry thousands separators, each with one
    possible reading. `1,250` or `1.250` could be either, so they are refused
    with both readings named rather than guessed.
    """
    text = str(raw).strip()
    for space in (" ", "\u00a0", "\u202f"):
        text = text.replace(space, "")
    if _AMBIGUOUS_SEPARATOR.fullmatch(text):
        whole, fraction = text.replace(",", ".").split(".")
        raise DomainError(
            f"{where}: '{shown(raw)}' could be {whole}{fraction} or {whole}.{fraction}; "
            f"write it without a thousands separator",
            field=spec.name,
        )
    if _COMMA_THOUSANDS.fullmatch(text):
        return text.replace(",", "")
    if _POINT_THOUSANDS.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if text.count(",") == 1 and "." not in text:
        return text.replace(",", ".")
    return text


def _to_number(raw: Any, spec: FieldSpec, where: str) -> float:
    if isinstance(raw, bool):
        raise DomainError(f"{where}: '{shown(raw)}' is not a number", field=spec.name)
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        try:
            value = float(_number_text(raw, spec, where))
        except ValueError:
            raise DomainError(f"{where}: '{shown(raw)}' is not a number", field=spec.name) from None
    if math.isnan(value) or math.isinf(value):
        raise DomainError(f"{where}: '{shown(raw)}' is not a finite number", field=spec.name)
    if abs(value) > 1e15:
        raise DomainError(f"{where}: '{shown(raw)}' is too large", field=spec.name)
    return int(value) if isinstance(raw, int) else value


def _in_range(value: float, spec: FieldSpec, where: str) -> Any:
    low, high = spec.minimum, spec.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        raise DomainError(
            f"{where}: {_num(value)} is outside {spec.describe_range()}", field=spec.name
        )
    return value


MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


def _to_date(raw: Any, spec: FieldSpec, where: str) -> date:
    if isinstance(raw, datetime):
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    else:
        match = _ISO_DATE.fullmatch(str(raw).strip())
        if match is None:
            raise DomainError(
                f"{where}: '{shown(raw)}' is not a date (expected YYYY-MM-DD)", field=spec.name
            )
        try:
            value = date.fromisoformat(match[1])
        except ValueError:
            raise DomainError(
                f"{where}: '{shown(raw)}' is not a valid date", field=spec.name
            ) from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise DomainError(
            f"{where}: {value.isoformat()} is outside the years 1900–2199", field=spec.name
        )
    return value
