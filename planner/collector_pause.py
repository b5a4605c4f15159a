"""Pausing the cyclic garbage collector around bulk work that makes no cycles.

Reading a large plan builds about 70,000 records and a readiness check tens of
thousands of findings, sets and lists; none of them is in a reference cycle.
Left running, the collector starts pass after pass over everything alive while
they are made, and frees nothing. Reference counting still frees whatever
such work throws away.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection inside the block; the collector is left as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
