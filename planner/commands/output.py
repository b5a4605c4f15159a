"""What the command line prints, kept to printable text.

Commands print names and values read from files other people wrote (record
names, cell values, sheet names). A terminal obeys the escape codes such text
can hold, so everything a command writes to standard output passes through
`printable`: line breaks and tabs stay, every other control or format
character is shown as an escape. Error lines are made printable in `planner.cli`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from planner.domain.quoting import printable


class PrintableStream:
    """A text stream that escapes what a terminal would act on, then writes to `target`."""

    def __init__(self, target: TextIO) -> None:
        self.target = target

    def write(self, text: str) -> int:
        lines = text.split("\n")
        self.target.write("\n".join("\t".join(map(printable, ln.split("\t"))) for ln in lines))
        return len(text)

    def flush(self) -> None:
        self.target.flush()


@contextmanager
def printable_output() -> Iterator[None]:
    """Standard output made printable for the duration of one command."""
    real = sys.stdout
    sys.stdout = PrintableStream(real)
    try:
        yield
    finally:
        sys.stdout = real
