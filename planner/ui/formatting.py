"""How values look on screen: one place, so tables, forms and tooltips agree."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QLocale

from planner.domain.enums import Choice
from planner.domain.fields import FieldKind, FieldSpec
from planner.domain.money import CURRENCIES, DEFAULT_CURRENCY, ENGLISH, MoneyStyle, format_money

NONE_TEXT = "—"
HIDDEN_TEXT = "hidden"
"""What a cell or form shows for a private field the server withholds from this login."""
HIDDEN_TIP = (
    "Hidden: the server does not show stakeholders' notes and attitudes "
    "to viewers of this team plan"
)


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%b %Y}"


_ISO_DATE = re.compile(r"(?<![\w./\\-])(\d{4})-(\d{2})-(\d{2})(?![\w-]|\.\w)")
"""An ISO date standing alone: not part of a file name, a path or a longer token."""


_QUOTED = re.compile(r"(‘[^’]*’)")


def people_dates(text: str) -> str:
    """A message with its ISO dates written the way tables show dates ("23 Dec 2026").

    Text in ‘quotes’ is kept as it is: it is what the user typed, or an example of what
    to type ("type it like 1 Mar 2027 or ‘2027-03-01’" must keep both ways)."""

    def written(match: re.Match[str]) -> str:
        try:
            return format_date(date(*(int(part) for part in match.groups())))
        except ValueError:
            return match.group(0)

    parts = _QUOTED.split(text)
    return "".join(p if i % 2 else _ISO_DATE.sub(written, p) for i, p in enumerate(parts))


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money_style(locale: QLocale | None = None) -> MoneyStyle:
    """How the user's locale writes an amount ("€62,000", "62 000 €"); English for the C locale."""
    locale = locale or QLocale()
    if locale.language() is QLocale.Language.C:
        return ENGLISH
    probe = locale.toCurrencyString(1.0, "¤", 0)
    return MoneyStyle(
        decimal=locale.decimalPoint(),
        group=locale.groupSeparator(),
        symbol_first=probe.startswith("¤"),
        spaced=any(ch.isspace() for ch in probe),
    )


def locale_currency() -> str:
    """A new initiative's currency: the user's locale's, else euros."""
    code = QLocale().currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
    return code if code in CURRENCIES else DEFAULT_CURRENCY


def format_amount(value: float | None, currency: str | None) -> str:
    """An amount as the user's locale writes it, with the initiative's currency."""
    return format_money(value, currency, money_style())


def format_value(
    spec: FieldSpec,
    value: Any,
    titles: Mapping[str, str] | None = None,
    currency: str | None = None,
) -> str:
    """The text a cell shows; `titles` names referenced records (id -> title), `currency`
    is the initiative's, for an amount of money."""
    if value is None:
        return ""
    kind = spec.kind
    if spec.money:
        return format_amount(value, currency)
    if isinstance(value, Choice):
        return value.label
    if kind is FieldKind.DATE:
        return format_date(value)
    if kind in (FieldKind.INT, FieldKind.FLOAT):
        return format_number(value)
    if kind is FieldKind.BOOL:
        return "Yes" if value else "No"
    if kind is FieldKind.REF:
        return (titles or {}).get(value, "(missing)")
    if kind is FieldKind.REFS:
        names = [(titles or {}).get(v, "(missing)") for v in value]
        return ", ".join(sorted(names, key=str.casefold))
    if kind is FieldKind.LONGTEXT:
        first = str(value).strip().splitlines()
        return first[0] + (" …" if len(first) > 1 else "") if first else ""
    return str(value)


def sort_key_function(
    spec: FieldSpec, titles: Mapping[str, str] | None = None
) -> Callable[[Any], Any]:
    """A column's sort key: values Qt can compare (numbers stay numbers, enums keep their
    order), with the choice of how to compare made once, not per row."""
    kind = spec.kind
    if kind is FieldKind.TEXT:
        if spec.required:
            return str.casefold  # always a text: the comparison runs in C
        return lambda value: "" if value is None else str(value).casefold()
    if kind is FieldKind.CHOICE and spec.choices is not None:
        order = {member: index for index, member in enumerate(spec.choices)}
        return lambda value: -1 if value is None else order.get(value, -1)
    return lambda value: _sort_key(spec, value, titles)


def _sort_key(spec: FieldSpec, value: Any, titles: Mapping[str, str] | None) -> Any:
    kind = spec.kind
    if kind in (FieldKind.INT, FieldKind.FLOAT):
        return float("-inf") if value is None else float(value)
    if kind is FieldKind.BOOL:
        return int(bool(value))
    if kind is FieldKind.CHOICE:
        if value is None or spec.choices is None:
            return -1
        return list(spec.choices).index(value)
    if kind is FieldKind.DATE:
        return value.isoformat() if value is not None else ""
    return format_value(spec, value, titles).casefold()


def counted(count: int, label: str, plural: str) -> str:
    """ "1 session", "3 sessions", "2 attendance records": a count with its noun agreeing.

    A kind whose plural is its label (attendance) is a mass noun: its rows are
    counted as records of it, never "0 attendance".
    """
    if plural.casefold() == label.casefold():
        return f"{count:,} {readable(label)} record{'' if count == 1 else 's'}"
    return f"{count:,} {readable(label if count == 1 else plural)}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """ "1 finding", "2 findings" (`many` for irregular plurals)."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"


def readable(noun: str) -> str:
    """Lower-case a label for running text, but keep acronyms (KPI, KPIs) as they are."""
    return noun if noun.rstrip("s").isupper() else noun.lower()
