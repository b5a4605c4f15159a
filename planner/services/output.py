"""Writing a document whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_whole(out: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `out`, flush it to disk, rename it over `out`.

    A reader never sees half a file, and a failure (a full disk, a vanished
    folder) leaves any earlier file of that name as it was. Raises OSError.
    """
    handle, name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=out.suffix, dir=out.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
