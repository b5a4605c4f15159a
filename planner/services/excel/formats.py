"""The versions of the export format, and how each one's fingerprints are read.

The hidden sheet keeps a fingerprint of every row as exported, which is how the
import tells "edited in the workbook" from "edited in the database since the
export". A fingerprint hashes some fields, each spelt one way, so a workbook
from an older planner must be hashed the way that planner hashed it:

- format 1 (exports before the format was versioned): the fields below, each
  value spelt by `spelling_1` (floats in full binary precision);
- format 2: the hashed fields are listed per kind in the hidden sheet itself
  (a field added since is simply not part of an older workbook's fingerprints),
  and values are spelt by `spelling_2`, as a spreadsheet stores them (15
  significant digits), so a re-save by Excel, LibreOffice or Gnumeric hashes
  the same.

A new format version is a new entry in `SCHEMES`; the old ones stay, so every
workbook ever exported imports as it was meant.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from planner.domain.records import Record

FORMAT_VERSION = 2
FIELDS_KEY_PREFIX = "fields "

# The fields format 1 hashed, per kind, as that planner had them (a historical record:
# it never changes when fields are added later).
FORMAT_1_FIELDS: dict[str, tuple[str, ...]] = {
    "initiative": ("name", "summary", "sponsor", "start", "go_live", "status"),
    "stakeholder": (
        "name",
        "kind",
        "headcount",
        "function",
        "side",
        "power",
        "interest",
        "engagement",
        "desired_engagement",
        "impact",
        "adkar_awareness",
        "adkar_desire",
        "adkar_knowledge",
        "adkar_ability",
        "adkar_reinforcement",
        "involved_on",
        "owner",
        "notes",
    ),
    "snapshot": ("stakeholder_id", "taken_on", "label", "power", "interest", "engagement"),
    "objective": ("name", "description", "owner", "due"),
    "kpi": ("objective_id", "name", "unit", "baseline", "target", "direction", "due", "owner"),
    "measurement": ("kpi_id", "measured_on", "value", "note"),
    "communication": (
        "name",
        "message",
        "covers_goals",
        "covers_benefits",
        "covers_timeline",
        "covers_what_changes",
        "covers_help",
        "channel",
        "audience_ids",
        "owner",
        "scheduled_on",
        "recurrence",
        "repeat_until",
        "status",
    ),
    "course": ("name", "format", "duration_hours", "audience_ids", "description"),
    "session": ("course_id", "name", "held_on", "location", "trainer", "capacity"),
    "attendance": ("session_id", "stakeholder_id", "count", "status"),
    "phase": (
        "name",
        "kind",
        "sequence",
        "starts_on",
        "ends_on",
        "scope_ids",
        "decision",
        "decided_on",
        "rationale",
    ),
    "gate_criterion": ("phase_id", "name", "kind", "kpi_id", "threshold", "adkar_stage", "met"),
    "option": ("name", "vendor", "annual_cost", "chosen", "description"),
    "criterion": ("name", "category", "weight"),
    "score": ("option_id", "criterion_id", "score", "note"),
    "risk": (
        "name",
        "description",
        "likelihood",
        "impact",
        "mitigation",
        "owner",
        "status",
        "stakeholder_ids",
    ),
}


def compared_fields(record: Record) -> list[str]:
    """Fields an import compares; the initiative link is implied by the workbook."""
    return [
        name for name, spec in record.SPECS.items() if spec.editable and name != "initiative_id"
    ]


def spelling_1(value: Any) -> str:
    """Format 1's spelling of a value: floats in full, as Python writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(sorted(value))
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return str(value)


def spreadsheet_number(value: float) -> float:
    """The number as a spreadsheet keeps it: 15 significant digits (0.1 + 0.2 is 0.3)."""
    return float(f"{value:.15g}")


def spreadsheet_time(value: datetime) -> datetime:
    """A date-time as a spreadsheet gives it back: to the second (its serial numbers are
    floats, so 09:00 may return as 08:59:59.9999)."""
    return (value + timedelta(microseconds=500_000)).replace(microsecond=0)


def spelling_2(value: Any) -> str:
    """One spelling per value as spreadsheets keep it, so a re-save with no edit compares
    equal: numbers to 15 significant digits, date-times to the second, text in one
    Unicode form with one kind of line break and no surrounding blanks, blank as nothing."""
    if isinstance(value, float):
        value = spreadsheet_number(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return repr(spreadsheet_number(float(value)))
    if isinstance(value, datetime):
        return spreadsheet_time(value).date().isoformat()
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
        return text.strip()
    return spelling_1(value)


@dataclass(frozen=True)
class Scheme:
    """How one format version hashes a record: which fields, each value spelt how."""

    version: int
    fields: Mapping[str, tuple[str, ...]]
    spelling: Callable[[Any], str]

    def covers(self, record: Record) -> bool:
        """Whether the record still has every field this format hashed for its kind.

        A field a later migration removed (the initiative's free-text sponsor, in
        revision 0002) cannot be hashed again: such a row is judged without its
        fingerprint, by when the record was last saved.
        """
        known = self.fields.get(record.KIND)
        return known is None or all(name in record.SPECS for name in known)

    def fields_of(self, record: Record) -> tuple[str, ...]:
        known = self.fields.get(record.KIND)
        if known is None:
            return tuple(compared_fields(record))
        return tuple(name for name in known if name in record.SPECS)

    def digest(self, record: Record, values: Mapping[str, Any] | None = None) -> str:
        """The record's fingerprint; `values` overrides some of its fields' values."""
        values = values or {}
        text = "\x1f".join(
            self.spelling(values[name] if name in values else getattr(record, name))
            for name in self.fields_of(record)
        )
        return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def current_fields() -> dict[str, tuple[str, ...]]:
    from planner.domain.plan import Plan
    from planner.domain.records import record_type

    kinds = ("initiative", *Plan.KIND_ATTRS)
    return {kind: tuple(compared_fields(record_type(kind).trusted())) for kind in kinds}


def scheme(version: int, declared: Mapping[str, tuple[str, ...]] | None = None) -> Scheme:
    """The scheme of an export of `version`, with the fields its hidden sheet declared."""
    if version == 1:
        return Scheme(1, FORMAT_1_FIELDS, spelling_1)
    return Scheme(version, dict(declared) if declared else current_fields(), spelling_2)


def current_scheme() -> Scheme:
    return Scheme(FORMAT_VERSION, current_fields(), spelling_2)


def fields_rows() -> list[tuple[str, str]]:
    """The hidden sheet's rows declaring which fields this planner's fingerprints hash."""
    return [(FIELDS_KEY_PREFIX + kind, ",".join(names)) for kind, names in current_fields().items()]


def declared_fields(rows: list[tuple[Any, ...]]) -> dict[str, tuple[str, ...]]:
    """The hashed fields a hidden sheet declares (none in a format-1 workbook)."""
    out: dict[str, tuple[str, ...]] = {}
    for row in rows:
        if len(row) < 2 or not isinstance(row[0], str) or not row[0].startswith(FIELDS_KEY_PREFIX):
            continue
        kind = row[0][len(FIELDS_KEY_PREFIX) :].strip()
        out[kind] = tuple(n.strip() for n in str(row[1] or "").split(",") if n.strip())
    return out
