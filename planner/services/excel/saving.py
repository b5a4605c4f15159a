"""Writing a finished workbook to disk so that a failure is one clean error.

openpyxl's `Workbook.save` opens its own zip archive on the file name; when
the disk fills up half-way it raises, and the half-open archive then fails
again from its finaliser, which Python reports as a second traceback after
the planner's one-line message. Here the archive belongs to the caller's
`with` block and is closed (its failure swallowed, the first error kept)
before the error travels on.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def save_workbook(wb: Workbook, target: Path) -> None:
    """`wb.save(target)`, raising OSError once and leaving nothing open when it fails."""
    wb.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    with target.open("wb") as handle:
        archive = ZipFile(handle, "w", ZIP_DEFLATED, allowZip64=True)
        try:
            ExcelWriter(wb, archive).save()
        except BaseException:
            with contextlib.suppress(OSError, ValueError):
                archive.close()
            raise
