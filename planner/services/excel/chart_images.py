"""The Charts sheet's pictures, drawn in a child process while the cells are written.

Drawing the eight charts of a large plan is seconds of matplotlib work, and
writing its cells about as long again; both are pure Python, so two threads
would only take turns on one core. A child process reads the same file and
draws the pictures on another core meanwhile, and the export takes about as
long as its cells. The child is the planner program itself
(`--excel-child draw-charts`, see `apart.py`), a fresh interpreter and never a
fork (the export may run on a worker thread of a Qt window, and forking a
process that has threads is unsafe), nor multiprocessing, which would run the
caller's main script again in the child. Starting it costs about a second
(its imports and the plan read again), so small files are drawn in process.

The sheet must show the plan the workbook holds. Each side notes the file's
change counter before and after it reads the plan; when the child cannot
start, fails, or a change was saved between the two reads (an edit in the
window while it exports), the parent draws the pictures itself.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.domain.plan import Plan
from planner.persistence.inspection import change_counter
from planner.services.excel.apart import child_command
from planner.services.excel.progress import Progress
from planner.services.planning import PlanService

# Below this file size the child's start would cost more than drawing alongside saves.
CHILD_MIN_BYTES = 8_000_000
# The sheet shows each picture 900 px wide; 100 dpi (1,333 px for the normal page)
# stays sharp when zoomed in, with half the pixels of the 150 dpi of a chart file.
DPI = 100
POLL_SECONDS = 0.1
CHILD_ROLE = "draw-charts"


@dataclass(frozen=True)
class Picture:
    """One chart as PNG, or why it was left out."""

    kind: str
    png: bytes | None
    problem: str | None = None


PictureSource = Callable[[Plan, date], list[Picture]]


def draw_pictures(plan: Plan, today: date) -> list[Picture]:
    from planner.charts import CHART_KINDS, ChartError, png_bytes

    pictures = []
    for spec in CHART_KINDS.values():
        try:
            pictures.append(Picture(spec.kind, png_bytes(spec.build(plan, today=today), DPI)))
        except ChartError as exc:
            pictures.append(Picture(spec.kind, None, str(exc)))
    return pictures


def read_plan(service: PlanService, initiative_id: str) -> tuple[Plan, int | None]:
    """The plan, and the file's change counter it was read at (None when a change was
    saved during the read, or the file keeps no counter)."""
    path = service.db.path
    before = change_counter(path) if path is not None else None
    plan = service.plan(initiative_id)
    after = change_counter(path) if path is not None else None
    return plan, before if before == after else None


class ChartDrawer:
    """A child process drawing the pictures of one stored initiative."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        folder: tempfile.TemporaryDirectory[str],
        answer: Path,
    ) -> None:
        self._process = process
        self._folder = folder
        self._answer_file = answer
        self._fingerprints: list[str] | None = None

    @classmethod
    def start(cls, path: Path | None, initiative_id: str, today: date) -> ChartDrawer | None:
        """The child drawing the pictures, or None where drawing in process is as quick."""
        try:
            if path is None or path.stat().st_size < CHILD_MIN_BYTES:
                return None
        except OSError:
            return None
        folder = tempfile.TemporaryDirectory(prefix="planner-charts-")
        answer = Path(folder.name) / "pictures.pickle"
        arguments = [str(answer), str(path.resolve()), initiative_id, today.isoformat()]
        try:
            process = subprocess.Popen(
                child_command(CHILD_ROLE, arguments),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            folder.cleanup()
            return None
        return cls(process, folder, answer)

    def pictures(
        self, plan: Plan, today: date, *, read_at: int | None, progress: Progress
    ) -> list[Picture]:
        """The child's pictures once it is done, if it read the plan at the same change
        counter as `plan` was (`read_at`); else drawn here."""
        answer = self._answer(progress)
        if read_at is not None and answer is not None and answer[0] == read_at:
            self._fingerprints = answer[2]
            return answer[1]
        return draw_pictures(plan, today)

    def fingerprints(self) -> list[str] | None:
        """The plan's packed fingerprints, made by the child alongside its pictures (None
        unless `pictures()` took the child's: the parent then makes them itself)."""
        return self._fingerprints

    def _answer(self, progress: Progress) -> tuple[int | None, list[Picture], list[str]] | None:
        try:
            while self._process.poll() is None:
                progress.check()
                try:
                    self._process.wait(POLL_SECONDS)
                except subprocess.TimeoutExpired:
                    continue
            if self._process.returncode != 0:
                return None
            with self._answer_file.open("rb") as handle:
                read_at, pictures, fingerprints = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            return None
        finally:
            self.close()
        return read_at, pictures, fingerprints

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def close(self) -> None:
        """Stop the child if it is still drawing (a cancelled or failed export); idempotent."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._folder.cleanup()


def child_main(arguments: list[str]) -> None:
    """Read the plan, draw its pictures and fingerprint its records (the workbook's
    metadata needs that too, and the child has time to spare); leave them with the
    counter read at (the child's side of `ChartDrawer`)."""
    from planner.persistence.database import open_database
    from planner.services.excel.metadata import packed_fingerprints

    answer, path, initiative_id, today = arguments
    db = open_database(path, read_only=True)
    try:
        plan, read_at = read_plan(PlanService(db), initiative_id)
    finally:
        db.close()
    pictures = draw_pictures(plan, date.fromisoformat(today))
    partial = Path(f"{answer}.partial")
    with partial.open("wb") as handle:
        fingerprints = packed_fingerprints(iter(plan.all_records()))
        pickle.dump((read_at, pictures, fingerprints), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, answer)
