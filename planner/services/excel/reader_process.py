"""Reading a workbook in a child process, so that a window stays responsive meanwhile.

openpyxl's read-only reader parses each sheet with lxml, which holds the
interpreter lock for up to a quarter of a second at a time: on a worker thread
of the window, that freezes the UI thread for as long, again and again. A
child process (a fresh interpreter started with `sys.executable`, never a fork
of a Qt process) reads the workbook instead and sends back the plain cell
values in small pickled pieces, each quick to unpickle, with its progress
between them. The result is the same `RawWorkbook` as `read_workbook`'s.

`python -m planner.services.excel.reader_process PATH` is the child's side: it
writes the pieces to its standard output.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from planner.domain.errors import PlannerError
from planner.services.excel.guards import UnsafeWorkbookError
from planner.services.excel.progress import Progress
from planner.services.excel.reader import RawSheet, RawWorkbook, read_workbook

ROWS_PER_PIECE = 2000


def read_workbook_apart(path: Path, progress: Progress | None = None) -> RawWorkbook:
    """`read_workbook`, done by a child process; cancelling through `progress` stops it."""
    progress = progress or Progress(what="the import")
    path = Path(path)
    command = [sys.executable, "-m", __name__, str(path.resolve())]
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE) as child:
        assert child.stdout is not None
        try:
            return _receive(path, child.stdout, progress)
        finally:
            if child.poll() is None:
                child.kill()


def _receive(path: Path, stream: IO[bytes], progress: Progress) -> RawWorkbook:
    sheets: list[RawSheet] = []
    while True:
        progress.check()
        try:
            message = pickle.load(stream)
        except (EOFError, pickle.UnpicklingError):
            raise UnsafeWorkbookError(f"{path.name} could not be read: the process reading it "
                                      "stopped unexpectedly") from None
        kind = message[0]
        if kind == "progress":
            progress.step(message[1], message[2])
        elif kind == "sheet":
            sheets.append(message[1])
        elif kind == "rows":
            sheets[-1].rows.extend(message[1])
        elif kind == "refused":
            raise message[1]
        elif kind == "failed":
            raise UnsafeWorkbookError(f"{path.name} cannot be read as an Excel workbook "
                                      f"({message[1]})")
        else:
            return RawWorkbook(path, sheets, message[1], message[2])


def _serve(path: Path, out: IO[bytes]) -> None:
    def send(*message: Any) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        raw = read_workbook(path, Progress(lambda fraction, text: send("progress", fraction, text),
                                           what="the import"))
    except PlannerError as exc:
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an error that cannot travel goes as its message
            exc = PlannerError(str(exc))
        send("refused", exc)
        return
    except Exception as exc:  # noqa: BLE001 - a bug in a reader: report it, one line
        send("failed", f"{type(exc).__name__}: {str(exc)[:120]}")
        return
    for sheet in raw.sheets:
        rows, sheet.rows = sheet.rows, []
        send("sheet", sheet)
        for start in range(0, len(rows), ROWS_PER_PIECE):
            send("rows", rows[start:start + ROWS_PER_PIECE])
    send("done", raw.info, raw.fingerprints)


if __name__ == "__main__":
    _serve(Path(sys.argv[1]), sys.stdout.buffer)
