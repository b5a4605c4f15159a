"""Long work off the UI thread, with progress, a cancel flag and results on the main thread.

Extension point for anything slow (Excel import/export, saving a copy, charts of
a big plan)::

    def work(job: Job) -> Path:
        for i, row in enumerate(rows):
            if job.cancelled:
                raise Cancelled("the export")
            job.progress(i, len(rows), "Writing stakeholders")
        return out_path

    window.tasks.start("Exporting", work, on_done=show_result)

`work` runs on a pool thread and must not touch widgets; it may open its own
database session (SQLite connections are per thread). `on_done(result)` and
`on_error(message)` run on the main thread. A `PlannerError` raised by `work`
becomes its one-line message, `Cancelled` (the domain's) too: "… was cancelled;
nothing was changed". A cancel noticed only after the work returned drops its
result quietly. The window's
status bar shows a progress bar and a Cancel button for the running tasks.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from planner.domain.errors import PlannerError


class _Signals(QObject):
    progressed = Signal(object, int, int, str)
    finished = Signal(object, object)
    failed = Signal(object, str)
    cancelled = Signal(object)


@dataclass(eq=False)
class Job:
    """What the work function sees: a cancel flag and a way to report progress."""

    title: str
    _signals: _Signals = field(repr=False)
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._signals.progressed.emit(self, done, total, text)


class _Runnable(QRunnable):
    def __init__(self, job: Job, work: Callable[[Job], Any], signals: _Signals) -> None:
        super().__init__()
        self._job = job
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work(self._job)
        except PlannerError as exc:
            self._signals.failed.emit(self._job, str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: report it, never lose it in a thread
            traceback.print_exc()
            self._signals.failed.emit(self._job, f"unexpected error: {exc}")
        else:
            if self._job.cancelled:
                self._signals.cancelled.emit(self._job)
            else:
                self._signals.finished.emit(self._job, result)


@dataclass
class _Callbacks:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[str], None] | None
    quiet: bool = False


class TaskRunner(QObject):
    """Starts jobs on a thread pool and relays their outcome to the main thread.

    `started`, `progressed` and `ended` let a progress indicator follow along.
    """

    started = Signal(object)
    progressed = Signal(object, int, int, str)
    ended = Signal(object)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        # Not a child of the runner: a job still running when the window closes reports
        # into signals that outlive it (the runnable holds them), with nobody listening.
        self._signals = _Signals()
        self._signals.progressed.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._running: dict[Job, _Callbacks] = {}

    @property
    def running(self) -> list[Job]:
        """The jobs a progress indicator shows (not the quiet ones)."""
        return [job for job, callbacks in self._running.items() if not callbacks.quiet]

    def start(
        self,
        title: str,
        work: Callable[[Job], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        quiet: bool = False,
    ) -> Job:
        """Run `work` on the pool; `quiet` work (a moment's check the window does of its
        own accord) is not announced, so no progress bar flashes for it."""
        job = Job(title, self._signals)
        self._running[job] = _Callbacks(on_done, on_error, quiet)
        if not quiet:
            self.started.emit(job)
        self._pool.start(_Runnable(job, work, self._signals))
        return job

    def cancel_all(self) -> None:
        for job in self._running:
            job.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return bool(self._pool.waitForDone(msecs))

    def _on_progress(self, job: Job, done: int, total: int, text: str) -> None:
        callbacks = self._running.get(job)
        if callbacks is not None and not callbacks.quiet:
            self.progressed.emit(job, done, total, text)

    def _on_finished(self, job: Job, result: Any) -> None:
        callbacks = self._running.pop(job, None)
        self._end(job, callbacks)
        if callbacks and callbacks.on_done:
            callbacks.on_done(result)

    def _on_failed(self, job: Job, message: str) -> None:
        callbacks = self._running.pop(job, None)
        self._end(job, callbacks)
        if callbacks and callbacks.on_error:
            callbacks.on_error(message)

    def _on_cancelled(self, job: Job) -> None:
        self._end(job, self._running.pop(job, None))

    def _end(self, job: Job, callbacks: _Callbacks | None) -> None:
        if callbacks is None or not callbacks.quiet:
            self.ended.emit(job)
