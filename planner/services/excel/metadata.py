"""What an export knows about itself, kept three ways so that one survives.

Excel keeps custom document properties; LibreOffice keeps defined names and
sheets but may drop the properties. The metadata is written to all three and
read from whichever is found first. The hidden sheet also keeps a fingerprint
of every row as exported, which is how the importer tells "edited in the
workbook" from "edited in the database since the export"; `formats` says how
each version of the export format made them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from planner.domain.records import Record
from planner.services.excel.formats import FORMAT_VERSION, compared_fields, current_scheme
from planner.services.excel.formats import spelling_2 as canonical

_CURRENT = cache(current_scheme)
META_SHEET = "_planner"
DEFINED_NAME = "PlannerExport"
PROPERTY_PREFIX = "Planner"
FINGERPRINT_CELL = 30_000


@dataclass(frozen=True)
class ExportInfo:
    format_version: int
    export_id: str
    exported_at: datetime
    app_version: str
    initiative_id: str
    initiative_name: str = ""
    fingerprints: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def pairs(self) -> list[tuple[str, str]]:
        return [
            ("format_version", str(self.format_version)),
            ("export_id", self.export_id),
            ("exported_at", self.exported_at.isoformat(timespec="seconds")),
            ("app_version", self.app_version),
            ("initiative_id", self.initiative_id),
            ("initiative_name", self.initiative_name),
        ]

    def compact(self) -> str:
        """The defined name's text: short, no initiative name (255-character limit)."""
        return ";".join(f"{k}={v}" for k, v in self.pairs() if k != "initiative_name")

    @classmethod
    def from_pairs(cls, pairs: dict[str, str]) -> ExportInfo | None:
        try:
            return cls(
                int(pairs["format_version"]),
                pairs["export_id"],
                datetime.fromisoformat(pairs["exported_at"]).replace(tzinfo=None),
                pairs.get("app_version", ""),
                pairs["initiative_id"],
                pairs.get("initiative_name", ""),
            )
        except (KeyError, ValueError, TypeError):
            return None

    @classmethod
    def from_compact(cls, text: str) -> ExportInfo | None:
        pairs = dict(part.split("=", 1) for part in text.strip('"').split(";") if "=" in part)
        return cls.from_pairs(pairs)


def fingerprint(record: Record) -> str:
    """The record's fingerprint as this planner's exports write it."""
    return _CURRENT().digest(record)


def packed_fingerprints(records: Iterator[Record]) -> list[str]:
    """`id=fingerprint` pairs packed into cells well under Excel's cell limit."""
    cells: list[str] = []
    current: list[str] = []
    size = 0
    for record in records:
        item = f"{record.id}={fingerprint(record)}"
        if size + len(item) + 1 > FINGERPRINT_CELL:
            cells.append(";".join(current))
            current, size = [], 0
        current.append(item)
        size += len(item) + 1
    if current:
        cells.append(";".join(current))
    return cells


def unpack_fingerprints(cells: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for cell in cells:
        for item in cell.split(";"):
            record_id, _, print_ = item.partition("=")
            if record_id and print_:
                out[record_id.strip().lower()] = print_.strip()
    return out


__all__ = [
    "FORMAT_VERSION",
    "ExportInfo",
    "canonical",
    "compared_fields",
    "fingerprint",
    "packed_fingerprints",
    "unpack_fingerprints",
]
