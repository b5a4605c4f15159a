"""Progress and cancellation for long exports and imports run on a worker thread.

The worker calls `step()` between units of work; the UI hands in a callback
(fraction, message) that posts to its own thread, and a cancel check (for
example a `CancelToken` set by the dialog's Cancel button). Cancelling raises
`Cancelled` before anything is written, so nothing is half done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from planner.domain.errors import Cancelled

ProgressCallback = Callable[[float, str], None]
CancelCheck = Callable[[], bool]


class CancelToken:
    """A thread-safe flag: the UI thread sets it, the worker checks it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()


@dataclass
class Progress:
    report: ProgressCallback | None = None
    cancelled: CancelCheck | None = None
    what: str = "the operation"
    start: float = 0.0
    span: float = 1.0

    def step(self, fraction: float, message: str) -> None:
        self.check()
        if self.report is not None:
            self.report(min(1.0, self.start + self.span * max(0.0, fraction)), message)

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled(self.what)

    def part(self, start: float, end: float) -> Progress:
        """A view that maps 0..1 onto [start, end] of this one, for a sub-task."""
        return Progress(
            self.report,
            self.cancelled,
            self.what,
            self.start + self.span * start,
            self.span * (end - start),
        )
