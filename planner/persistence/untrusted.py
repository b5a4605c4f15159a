"""SQLite connections that a file's contents cannot turn into running code or endless work.

Every connection the planner opens sets `trusted_schema=OFF` (functions with
side effects are refused inside a schema's views, triggers and defaults) and
`foreign_keys=ON`, and carries a progress handler that interrupts any one
statement after `STATEMENT_SECONDS`: the schema check refuses triggers and
views before anything runs, and the time limit is the second line of defence,
so no file can hang the command line or the window (and keep its lock).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from planner.persistence.errors import DatabaseError

# Far above any statement of the largest plan (a full import writes 50,000 rows
# in about a second), far below forever.
STATEMENT_SECONDS = 60.0
_CHECK_EVERY = 10_000  # SQLite virtual-machine steps between looks at the clock


class Deadline:
    """When the statement running now must stop; `start()` before each statement."""

    def __init__(self) -> None:
        self.until = float("inf")

    def start(self) -> None:
        self.until = time.monotonic() + STATEMENT_SECONDS

    def stop(self) -> None:
        self.until = float("inf")

    def expired(self) -> int:
        return 1 if time.monotonic() > self.until else 0


def harden(conn: sqlite3.Connection, deadline: Deadline) -> None:
    """The pragmas and the time limit every planner connection carries."""
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.set_progress_handler(deadline.expired, _CHECK_EVERY)


def open_read_only(path: Path) -> tuple[sqlite3.Connection, Deadline]:
    """A read-only connection to a file not yet known to be safe, its deadline already running.

    The caller does a short piece of work (inspection, a check) and closes it.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    deadline = Deadline()
    try:
        harden(conn, deadline)
        conn.execute("PRAGMA query_only=ON")
    except sqlite3.Error:
        conn.close()
        raise
    deadline.start()
    return conn, deadline


def interrupted(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc)


def too_long(where: str, outcome: str = "nothing was changed") -> DatabaseError:
    return DatabaseError(
        f"{where}: a step took longer than {STATEMENT_SECONDS:g} s and was stopped "
        f"(the file may hold a query that never ends); {outcome}"
    )
