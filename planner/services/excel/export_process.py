"""Exporting an initiative in a child process, so that a window stays responsive meanwhile.

An export of a large plan makes millions of objects (the garbage collector's
passes over them stop every thread) and renders charts with matplotlib, whose
renderer holds the interpreter lock for a tenth of a second and more at a
time: on a worker thread of the window, both freeze its UI thread. A child
process (see `apart`) opens the database file read-only and exports from it;
the planner commits every edit as it is made, so the file holds what the
window shows.

`child_main([DB, INITIATIVE_ID, PATH])` is the child's side (role `export`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.services.excel.apart import Message, Sender, run_apart, serve
from planner.services.excel.export import ExportResult
from planner.services.excel.progress import Progress


def export_apart(
    database: Path, initiative_id: str, path: Path, progress: Progress | None = None
) -> ExportResult:
    """`export_initiative` of a database file, done by a child process."""
    progress = progress or Progress(what="the export")

    def receive(message: Message) -> Any:
        return message[1]

    result: ExportResult = run_apart(
        "export",
        [str(Path(database).resolve()), initiative_id, str(Path(path).absolute())],
        progress,
        receive,
        f"the export to {Path(path).name}",
    )
    return result


def _export(database: Path, initiative_id: str, path: Path, sender: Sender) -> None:
    from planner.persistence import open_database
    from planner.services.excel.workbook import export_initiative
    from planner.services.planning import PlanService

    db = open_database(database, read_only=True)
    try:
        result = export_initiative(PlanService(db), initiative_id, path, progress=sender.progress)
    finally:
        db.close()
    sender.send("done", result)


def child_main(arguments: list[str]) -> None:
    serve(
        lambda sender: _export(Path(arguments[0]), arguments[1], Path(arguments[2]), sender),
        "the export",
    )
