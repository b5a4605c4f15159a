"""The cyclic garbage collector's policy for the whole process, in one place.

Everything the planner does to the collector is here, for three reasons:

- **Bulk work that makes no cycles** (reading a plan builds about 70,000
  records, a readiness check tens of thousands of findings) runs `paused()`:
  left running, the collector starts pass after pass over everything alive
  while they are made and frees nothing; reference counting still frees what
  such work throws away.
- **Start-up** makes hundreds of thousands of long-lived objects (modules,
  classes, Qt wrappers) and no garbage: `planner.cli.main` calls
  `off_for_start_up()` before the imports; a command turns it back on at once
  (`start_up_done`), the window once it is painted (`settle`).
- **A window holding a large plan**: a pass of the oldest generation walks
  every tracked object and stops every thread, the UI's included (0.25–0.5 s
  with a million objects). Once the window is up, `settle()` freezes what is
  alive (start-up state that lives as long as the process: `gc.freeze()` puts
  it where the collector never looks again) and makes full passes rarer (after
  1,000 passes of the middle generation, not 10); `settle_again()` freezes
  what the window holds after an import. A process that never settled (a
  test, a command) keeps the default policy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FULL_PASS_EVERY = 1000
_settled = False


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block; the collector is left as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def off_for_start_up() -> None:
    """Start-up makes no garbage: no collector until `start_up_done` or `settle`."""
    gc.disable()


def start_up_done() -> None:
    """A command (no window) runs with the collector on, as Python sets it."""
    gc.enable()


def settle() -> None:
    """Put what is alive now out of the collector's sight, make full passes rarer, and run it."""
    global _settled
    if _settled:
        return
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_EVERY)
    gc.enable()
    _settled = True


def settle_again() -> None:
    """After a big change the window now holds (an import: its records, its undo step)."""
    if _settled:
        gc.freeze()
