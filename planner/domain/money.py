"""Money: an initiative's currency (an ISO 4217 code), amounts written and read in it.

One place for how an amount looks ("€62,000" in English, "62 000 €" in French) and
how a typed amount is read back. The way a locale writes numbers is a `MoneyStyle`:
the window builds one from the user's locale, the report pack and charts use the
English one. Reading is strict where a reading could be wrong: "62.000" typed where
the point is a decimal mark could be sixty-two thousand written the German way, so
it is refused with the reason rather than stored as 62.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from planner.domain.errors import DomainError
from planner.domain.quoting import shown

DEFAULT_CURRENCY = "EUR"

# The active ISO 4217 codes (funds and precious metals left out).
_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST
    XAF XCD XOF XPF YER ZAR ZMW ZWL
"""
CURRENCIES = frozenset(_CODES.split())

# Symbols people recognise; a currency not listed is written with its code ("SEK 500").
SYMBOLS = {
    "EUR": "€",
    "USD": "$",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "CN¥",
    "INR": "₹",
    "KRW": "₩",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "BRL": "R$",
    "MXN": "MX$",
    "ILS": "₪",
    "PLN": "zł",
    "TRY": "₺",
    "UAH": "₴",
    "VND": "₫",
    "NGN": "₦",
    "PHP": "₱",
    "THB": "฿",
}


def currency_code(raw: str, where: str = "Initiative currency") -> str:
    """`raw` as an ISO 4217 code ("eur" -> "EUR"), or DomainError saying what is wrong."""
    text = raw.strip().upper()
    if text in CURRENCIES:
        return text
    named = {symbol: code for code, symbol in SYMBOLS.items()}.get(raw.strip())
    if named is not None:
        return named
    if re.fullmatch(r"[A-Z]{3}", text):
        message = f"'{shown(raw)}' is not an ISO 4217 currency code"
    else:
        message = f"'{shown(raw)}' is not a currency code; write three letters such as EUR or USD"
    raise DomainError(f"{where}: {message}", field="currency", kind="initiative")


def symbol(currency: str) -> str:
    return SYMBOLS.get(currency, currency)


@dataclass(frozen=True)
class MoneyStyle:
    """How a locale writes an amount: its decimal mark, digit grouping and where the
    currency goes ("€62,000": before, no space; "62 000 €": after, with a space)."""

    decimal: str = "."
    group: str = ","
    symbol_first: bool = True
    spaced: bool = False


ENGLISH = MoneyStyle()


def _digits(amount: float, style: MoneyStyle) -> str:
    whole_amount = round(abs(amount), 2)
    cents = round(whole_amount * 100) % 100
    whole = f"{int(whole_amount):,}".replace(",", style.group)
    text = whole if cents == 0 else f"{whole}{style.decimal}{cents:02d}"
    return ("-" if amount < 0 else "") + text


def format_money(amount: float | None, currency: str | None, style: MoneyStyle = ENGLISH) -> str:
    """ "€62,000", "62 000 €", "SEK 500": whole amounts without cents, others with two."""
    if amount is None:
        return ""
    digits = _digits(amount, style)
    if not currency:
        return digits
    mark = symbol(currency)
    gap = "\u00a0" if style.spaced or (len(mark) > 1 and mark.isalpha()) else ""
    if style.symbol_first:
        return f"{mark}{gap}{digits}"
    return f"{digits}\u00a0{mark}"


_SPACES = (" ", "\u00a0", "\u202f")


def _marks() -> list[tuple[str, str]]:
    """(currency, how it may be written) for every symbol and code, longest first."""
    pairs = [*SYMBOLS.items(), *((code, code) for code in CURRENCIES)]
    return sorted(pairs, key=lambda pair: (-len(pair[1]), pair[1]))


def _strip_currency(text: str, currency: str | None, fail: Callable[[str], DomainError]) -> str:
    """The amount's text without its currency mark; another currency's mark is refused."""
    folded = text.casefold()
    for code, mark in _marks():
        key = mark.casefold()
        if folded.startswith(key) or folded.endswith(key):
            if currency is not None and code != currency and mark != symbol(currency):
                raise fail(f"is in {code}, but this initiative counts in {currency}")
            rest = text[len(mark) :] if folded.startswith(key) else text[: -len(mark)]
            return rest.strip()
    return text


def parse_money(
    raw: str,
    currency: str | None,
    style: MoneyStyle = ENGLISH,
    *,
    where: str = "Amount",
    field: str | None = None,
) -> float | None:
    """A typed amount in the user's way of writing numbers ("62,000", "62000", "62 000 €").

    Refused, with the reason: another currency's mark, digits grouped other than in
    threes, a second decimal mark, and a decimal mark followed by three digits (in
    English "62.000" is more likely sixty-two thousand written the German way than 62).
    """

    def fail(reason: str) -> DomainError:
        return DomainError(f"{where}: '{shown(raw)}' {reason}", field=field)

    text = raw.strip()
    if not text:
        return None
    text = _strip_currency(text, currency, fail)
    group = " " if style.group in _SPACES else style.group
    for space in _SPACES:
        text = text.replace(space, group)
    sign = ""
    if text and text[0] in "+-":
        sign, text = text[0].replace("+", ""), text[1:].strip()
    if not text:
        raise fail("is not an amount")
    whole, mark, fraction = text.partition(style.decimal)
    grouped = re.escape(group)
    if not re.fullmatch(rf"\d{{1,3}}(?:{grouped}\d{{3}})+|\d+", whole):
        if re.fullmatch(rf"\d+{grouped}\d{{1,2}}", whole):
            raise fail(
                f"has a decimal part after '{group}'; here decimals follow '{style.decimal}'"
            )
        if re.fullmatch(rf"[\d{grouped}]+", whole) and whole[0].isdigit():
            return_plain = whole.replace(group, "")
            raise fail(f"groups its digits oddly; write {return_plain} or group them in threes")
        raise fail("is not an amount")
    number = whole.replace(group, "")
    if mark and not re.fullmatch(r"\d{1,2}", fraction):
        if re.fullmatch(r"\d{3}", fraction):
            decimals = fraction.rstrip("0")
            small = f"{number}{style.decimal}{decimals}" if decimals else number
            raise fail(f"could mean {number}{fraction} or {small}; write one of those")
        raise fail("is not an amount")
    return float(sign + number + ("." + fraction if mark else ""))
