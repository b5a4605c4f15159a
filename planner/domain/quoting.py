"""Quoting text that came from a file someone else wrote, in a one-line message.

A workbook or a database file is untrusted: a sheet name, a cell, a record
name or a schema revision can hold terminal escape codes (which would
recolour, retitle or rewrite the user's terminal), line breaks (a second,
forged line), bidirectional overrides (text that reads backwards) or a
million characters. Every message that quotes such text passes it through
`shown`, which makes each non-printable character visible as an escape and
caps the length; `printable` is the last line of defence for a whole message,
and `one_line` the window's: every status-bar message, dialog text and label
that can carry a file's content passes through it.
"""

from __future__ import annotations

from typing import Any

QUOTE_LIMIT = 60
MESSAGE_LIMIT = 500


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` with every character that is not printable (controls, escapes, line and
    paragraph breaks, bidirectional and other format characters) written as an escape."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


def shown(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """A value found in a file, printable and at most `limit` characters, for a message."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if len(text) > 4 * limit:
        text = text[: 4 * limit]
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """A whole message as one printable line of at most `limit` characters, so that a value
    that reached it unquoted (in an exception's own text, say) still cannot break the line,
    recolour the screen or fill it."""
    text = message[: 4 * limit] if len(message) > 4 * limit else message
    text = printable(text.replace("\r", "\\r").replace("\n", "\\n"))
    return text if len(text) <= limit else text[: limit - 1] + "…"
