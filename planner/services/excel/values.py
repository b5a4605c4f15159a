"""What a person typed into a cell, turned into what the field expects, or refused.

Dates are where spreadsheets go wrong: a date may arrive as a real date, as a
serial number under General format, or as text. Text in ISO form or a form
that can only mean one day is accepted; `03/04/2027` could be 3 April or
4 March and is refused with both readings named, never guessed. A date-time is
taken to the nearest second first: its serial number is a float, and a program may
give midnight back as 23:59:59.9999 of the day before.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from planner.domain.fields import FieldKind, FieldSpec
from planner.services.excel.formats import spreadsheet_time

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}

_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{4})$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?[\s\-/.]*(\d{1,2})(?:st|nd|rd|th)?[\s,\-/.]+(\d{4})$")
EXCEL_EPOCH = date(1899, 12, 30)
LAST_SERIAL = 109_574  # 2199-12-31, the domain's last date


class CellError(ValueError):
    def __init__(self, message: str, expected: str) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected


def interpret(spec: FieldSpec, value: Any) -> Any:
    """The cell value made ready for the domain's coercion (which checks ranges)."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if spec.kind is FieldKind.DATE:
        return _date(value)
    if spec.kind in (FieldKind.TEXT, FieldKind.LONGTEXT):
        if isinstance(value, datetime):
            value = spreadsheet_time(value)
            return (
                value.date().isoformat()
                if value.time() == datetime.min.time()
                else value.isoformat(sep=" ")
            )
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, bool):
            return "Yes" if value else "No"
    if spec.kind in (FieldKind.INT, FieldKind.FLOAT) and isinstance(value, (datetime, date)):
        raise CellError("a date where a number belongs", "a number")
    return value


def _date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return spreadsheet_time(value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("not a date", "a date (YYYY-MM-DD)")
    if isinstance(value, (int, float)):
        if 1 <= value <= LAST_SERIAL:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError("a number that is not a date", "a date (YYYY-MM-DD)")
    return parse_date_text(str(value))


def parse_date_text(text: str) -> date:
    raw = text.strip()
    lowered = raw.casefold()
    match = _ISO.match(lowered)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]))
    match = _NUMERIC.match(lowered)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 >= second:
            return _make(year, second, first)
        if second > 12 >= first:
            return _make(year, first, second)
        if first == second:
            return _make(year, first, second)
        day_first = _make(year, second, first)
        month_first = _make(year, first, second)
        raise CellError(
            f"an ambiguous date: {day_first.day} {day_first:%B %Y} "
            f"or {month_first.day} {month_first:%B %Y}",
            "a date written as YYYY-MM-DD",
        )
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.match(lowered)
        if match and match[month_group] in MONTHS:
            return _make(int(match[3]), MONTHS[match[month_group]], int(match[day_group]))
    raise CellError("not a date", "a date (YYYY-MM-DD)")


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError("not a valid calendar date", "a date (YYYY-MM-DD)") from None
