"""Counting things in people's words: "1 session", "3 sessions", "no sessions"."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None, *, zero: str | None = None) -> str:
    """`count` and `word`, in the plural unless it is one; `zero` words the empty case.

    `many` is the plural where adding an "s" is wrong ("criteria", "people").
    """
    form = word if count == 1 else (many or word + "s")
    if count == 0 and zero is not None:
        return f"{zero} {form}"
    return f"{count} {form}"
