"""Reading a workbook in a child process, so that a window stays responsive meanwhile.

openpyxl's read-only reader parses each sheet with lxml, which holds the
interpreter lock for up to a quarter of a second at a time: on a worker thread
of the window, that freezes the UI thread for as long, again and again. A
child process (see `apart`) reads the workbook instead and sends back the
plain cell values in small pieces, each quick to unpickle. The result is the
same `RawWorkbook` as `read_workbook`'s.

`child_main([PATH])` is the child's side (role `read-workbook`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.services.excel.apart import MORE, Message, Sender, run_apart, serve
from planner.services.excel.progress import Progress
from planner.services.excel.reader import RawSheet, RawWorkbook, read_workbook

ROWS_PER_PIECE = 2000


def read_workbook_apart(path: Path, progress: Progress | None = None) -> RawWorkbook:
    """`read_workbook`, done by a child process; cancelling through `progress` stops it."""
    progress = progress or Progress(what="the import")
    path = Path(path)
    sheets: list[RawSheet] = []

    def receive(message: Message) -> Any:
        if message[0] == "sheet":
            sheets.append(message[1])
        elif message[0] == "rows":
            sheets[-1].rows.extend(message[1])
        else:
            return RawWorkbook(path, sheets, message[1], message[2], message[3])
        return MORE

    workbook: RawWorkbook = run_apart(
        "read-workbook", [str(path.resolve())], progress, receive, f"reading {path.name}"
    )
    return workbook


def _read(path: Path, sender: Sender) -> None:
    raw = read_workbook(path, sender.progress)
    for sheet in raw.sheets:
        rows, sheet.rows = sheet.rows, []
        sender.send("sheet", sheet)
        for start in range(0, len(rows), ROWS_PER_PIECE):
            sender.send("rows", rows[start : start + ROWS_PER_PIECE])
    sender.send("done", raw.info, raw.fingerprints, raw.hashed_fields)


def child_main(arguments: list[str]) -> None:
    serve(lambda sender: _read(Path(arguments[0]), sender), "the import")
