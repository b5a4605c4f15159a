"""Probes that drive the real window, and their floors, each in its own fresh process.

The real start-up is measured by running the real `planner --db FILE` entry
point (`planner.cli.main`) unchanged. The only thing added is an application-wide
event filter, installed on a QApplication created first (the planner's own
`make_application` reuses an existing instance, as it does under pytest-qt):
it notes the moment the main window is first painted, lets the paint pass
finish, and quits the event loop. Nothing in `planner.ui` knows it is being
measured.
"""

from __future__ import annotations

import gc
import importlib
import sqlite3
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QTableView, QWidget

TIMEOUT_MS = 180_000


class PaintWatcher(QObject):
    """Notes when the main window is first painted, and when a table in it shows enough rows.

    `until` says when to quit the event loop: at the first paint, at the filled
    table, or never (the caller's `on_first_paint` takes over then).
    """

    def __init__(
        self,
        app: QApplication,
        *,
        until: str = "first",
        min_rows: int = 1,
        on_first_paint: Callable[[QMainWindow], object] | None = None,
    ) -> None:
        super().__init__()
        self.painted_at: float | None = None
        self.filled_at: float | None = None
        self.painted_cpu = 0.0
        self.filled_cpu = 0.0
        self._app = app
        self._until = until
        self._min_rows = min_rows
        self._on_first_paint = on_first_paint
        self._window: QMainWindow | None = None
        self._filled_seen = False
        app.installEventFilter(self)
        QTimer.singleShot(TIMEOUT_MS, app.quit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and not self._filled_seen
            and isinstance(watched, QWidget)
            and isinstance(watched.window(), QMainWindow)
        ):
            # Zero timers fire once the paint pass in progress has finished.
            if self._window is None:
                self._window = watched.window()  # type: ignore[assignment]
                QTimer.singleShot(0, self._first_paint)
            if self._shows_rows(watched):
                self._filled_seen = True
                QTimer.singleShot(0, self._filled_paint)
        return False

    def _shows_rows(self, widget: QWidget) -> bool:
        """A table's viewport (its paint target) showing at least `min_rows` rows."""
        view = widget.parentWidget()
        model = view.model() if isinstance(view, QAbstractItemView) else None
        return model is not None and model.rowCount() >= self._min_rows

    def _first_paint(self) -> None:
        self.painted_at = time.monotonic()
        self.painted_cpu = time.process_time()
        if self._until != "filled":
            # Watching every event of the application takes the interpreter
            # lock for each; what is measured next must not pay for that.
            self._app.removeEventFilter(self)
        if self._on_first_paint is not None and self._window is not None:
            self._on_first_paint(self._window)
        if self._until == "first":
            self._app.quit()

    def _filled_paint(self) -> None:
        self.filled_at = time.monotonic()
        self.filled_cpu = time.process_time()
        if self._until == "filled":
            self._app.quit()


def _application() -> QApplication:
    return QApplication(sys.argv[:1])


def _run_planner(db: str) -> int:
    from planner.cli import main

    return main(["--db", db])


def startup_app(db: str) -> dict[str, Any]:
    """`planner --db FILE`, from process start to the main window painted."""
    app = _application()
    watcher = PaintWatcher(app)
    code = _run_planner(db)
    if watcher.painted_at is None:
        raise SystemExit(f"the main window was never painted (exit status {code})")
    return {"at": watcher.painted_at, "cpu": watcher.painted_cpu, "exit": code}


def open_app(db: str) -> dict[str, Any]:
    """Open the file in the real window and show its stakeholder table (imports done first).

    The clock stops when a table showing every stakeholder has been painted; if
    the window opens on another page, the probe turns to the stakeholder page
    at the first paint, as a user would.
    """
    stakeholders = _stakeholder_rows(db)
    app = _application()
    watcher = PaintWatcher(
        app, until="filled", min_rows=stakeholders, on_first_paint=_show_stakeholders
    )
    _import_window()
    started, cpu = time.monotonic(), time.process_time()
    code = _run_planner(db)
    if watcher.filled_at is None:
        raise SystemExit(
            f"no table of all {stakeholders} stakeholders was painted (exit status {code})"
        )
    return {
        "seconds": watcher.filled_at - started,
        "cpu": watcher.filled_cpu - cpu,
        "rows": stakeholders,
        "exit": code,
    }


def _import_window() -> None:
    """The window's modules, imported before the clock starts (as a warm start has them)."""
    for module in (
        "planner.cli",
        "planner.commands.window",
        "planner.ui.app",
        "planner.ui.main_window",
    ):
        importlib.import_module(module)


def _show_stakeholders(window: QMainWindow) -> QWidget | None:
    show_page = getattr(window, "show_page", None)
    return show_page("stakeholders") if show_page is not None else None


def _stakeholder_rows(db: str) -> int:
    connection = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM stakeholder").fetchone()[0])
    finally:
        connection.close()


class RowsModel(QAbstractTableModel):
    """The floor's table model: rows exactly as `sqlite3` returned them."""

    def __init__(self, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self._columns = columns
        self._rows = rows

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._rows[index.row()][index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section]
        return None


def _floor_window(app: QApplication, db: str) -> QMainWindow:
    """The stakeholder rows of the file's first initiative, fetched with sqlite3, in a table."""
    connection = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    initiative = connection.execute("SELECT id FROM initiative ORDER BY name LIMIT 1").fetchone()[0]
    cursor = connection.execute(
        "SELECT * FROM stakeholder WHERE initiative_id = ? ORDER BY created_at, id", (initiative,)
    )
    columns = [d[0] for d in cursor.description]
    model = RowsModel(columns, cursor.fetchall())
    connection.close()
    window = QMainWindow()
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1000, 700)
    window.show()
    return window


def startup_floor(db: str) -> dict[str, Any]:
    """Import PySide6's widgets and SQLAlchemy, show the same rows in a QTableView."""
    import sqlalchemy  # noqa: F401  (the floor pays for the same import the planner needs)

    app = _application()
    watcher = PaintWatcher(app)
    window = _floor_window(app, db)
    app.exec()
    window.close()
    return {"at": watcher.painted_at, "cpu": watcher.painted_cpu}


def open_floor(db: str) -> dict[str, Any]:
    """sqlite3 fetch of the same rows into a QAbstractTableModel, shown in a QTableView."""
    app = _application()
    watcher = PaintWatcher(app, until="filled", min_rows=_stakeholder_rows(db))
    started, cpu = time.monotonic(), time.process_time()
    window = _floor_window(app, db)
    app.exec()
    window.close()
    if watcher.filled_at is None:
        raise SystemExit("the floor's table was never painted")
    return {"seconds": watcher.filled_at - started, "cpu": watcher.filled_cpu - cpu}


TICK_MS = 5
STALL_S = 0.05
SETTLE_MS = 500


class LoopMonitor(QObject):
    """A timer on the UI thread: the longest gap between its ticks is the longest block."""

    def __init__(self) -> None:
        super().__init__()
        self.longest = 0.0
        self.longest_began = self.longest_ended = self.longest_cpu = 0.0
        self.last = self.last_cpu = 0.0
        self.running = False
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.last = time.monotonic()
        self.last_cpu = time.thread_time()
        self.running = True
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        block = now - self.last - TICK_MS / 1000
        cpu = time.thread_time()
        if block > self.longest:
            self.longest, self.longest_ended, self.longest_began = block, now, self.last
            # The UI thread's own CPU time in the block: near zero when another
            # thread held the interpreter lock, near the block when it worked.
            self.longest_cpu = cpu - self.last_cpu
        self.last, self.last_cpu = now, cpu

    def stop(self) -> None:
        self._tick()
        self.running = False
        self._timer.stop()


class CollectorPauses:
    """Times the cyclic garbage collector, which stops every thread, the UI's included."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.over_50ms = 0
        self.spans: list[tuple[float, float]] = []
        self.longest_ended = 0.0
        self._began = 0.0
        gc.callbacks.append(self._on_collect)

    def _on_collect(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.monotonic()
            return
        ended = time.monotonic()
        pause = ended - self._began
        self.longest = max(self.longest, pause)
        self.over_50ms += pause > 0.05
        if pause > 0.005:
            self.spans.append((self._began, ended))
        if pause >= self.longest:
            self.longest_ended = ended

    def within(self, began: float, ended: float) -> float:
        """Seconds of collector pauses inside a span of time."""
        return sum(max(0.0, min(e, ended) - max(b, began)) for b, e in self.spans)


class StallSampler(threading.Thread):
    """Notes where the UI thread, and the other threads, are while the UI has not ticked.

    It can only look when it gets the interpreter lock itself, so a stall
    caused by another thread holding that lock shows as the UI thread waiting
    in the event loop, and the other thread just past what held the lock; a
    stall of the UI thread's own making shows its code.
    """

    def __init__(self, monitor: LoopMonitor) -> None:
        super().__init__(daemon=True)
        self._monitor = monitor
        self._ui_thread = threading.main_thread().ident
        self._halt = threading.Event()
        self.seen: Counter[str] = Counter()
        self.others: Counter[str] = Counter()

    def run(self) -> None:
        while not self._halt.wait(0.01):
            if self._monitor.running and time.monotonic() - self._monitor.last > STALL_S:
                frames = sys._current_frames()
                frame = frames.get(self._ui_thread or 0)
                if frame is not None:
                    self.seen[_where(frame)] += 1
                for ident, other in frames.items():
                    if ident not in (self._ui_thread, self.ident):
                        self.others[_where(other)] += 1

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _where(frame: FrameType) -> str:
    """The innermost few frames of the planner's own code (or of anything, if none)."""
    frames = [f for f, _ in traceback.walk_stack(frame)]
    own = [f for f in frames if "/planner/" in f.f_code.co_filename] or frames
    return " < ".join(
        f"{Path(f.f_code.co_filename).name}:{f.f_lineno} {f.f_code.co_name}" for f in own[:4]
    )


class ChosenFile:
    """The window's own dialogs, with the file chooser answered as a user would.

    The file chooser is the one step a probe cannot click through; every other
    question goes to the window's real dialogs.
    """

    def __init__(self, dialogs: Any, path: Path) -> None:
        self._dialogs = dialogs
        self._path = path

    def __getattr__(self, name: str) -> Any:
        return getattr(self._dialogs, name)

    def open_path(self, *_args: Any, **_kwargs: Any) -> Path:
        return self._path

    def save_path(self, *_args: Any, **_kwargs: Any) -> Path:
        return self._path


class WindowUser(QObject):
    """Uses File → Export / Import in the real window, as a person at the screen would.

    It looks at the window every `LOOK_MS` (a cheap timer on the UI thread): once
    the import preview is up and idle it clicks Apply; once the work is done and
    the Stakeholders table shows the plan, it lets the window settle and stops.
    Each moment is noted, to say in which phase the longest block fell.
    """

    def __init__(
        self,
        window: Any,
        mode: str,
        workbook: Path,
        page: QWidget | None,
        db: str,
        on_end: Callable[[], None],
    ) -> None:
        super().__init__()
        self.window = window
        self.mode = mode
        self.page = page
        self.db = db
        self.phases: list[tuple[str, float]] = []
        self.error: str | None = None
        self._on_end = on_end
        self._clicked = False
        self._expected: int | None = None
        window.dialogs = ChosenFile(window.dialogs, workbook)
        self.steps: list[tuple[str, float]] = [("", 0.0)]
        window.ctx.tasks.progressed.connect(self._progressed)
        self._timer = QTimer(self)
        self._timer.setInterval(LOOK_MS)
        self._timer.timeout.connect(self._look)

    def begin(self) -> None:
        self.phases.append(("export" if self.mode == "export" else "reading", time.monotonic()))
        action = (
            self.window.excel.export_action
            if self.mode == "export"
            else self.window.excel.import_action
        )
        action.trigger()
        if self.window.excel.job is None:
            self._fail()
            return
        self._timer.start()

    def _progressed(self, _job: Any, _done: int, _total: int, text: str) -> None:
        if text != self.steps[-1][0]:
            self.steps.append((text, time.monotonic()))

    def step_at(self, moment: float) -> str:
        """The work's progress message last shown before a moment."""
        return [text for text, began in self.steps if began <= moment][-1]

    def _phase(self, name: str) -> None:
        if self.phases[-1][0] != name:
            self.phases.append((name, time.monotonic()))

    def _look(self) -> None:
        excel = self.window.excel
        busy = bool(self.window.ctx.tasks.running)
        if self.mode == "import" and not self._clicked:
            if busy:
                return
            dialog = excel.dialog
            if dialog is None or not dialog.apply_button.isEnabled():
                self._fail(dialog.reason.text() if dialog is not None else None)
                return
            self._phase("preview")
            self._clicked = True
            # The window refreshes once the dialog has closed.
            dialog.finished.connect(lambda _result: self._phase("refresh"))

            # The user reads the preview (painted by now) before clicking Apply.
            def apply() -> None:
                self._phase("import")
                dialog.apply_button.click()

            QTimer.singleShot(READ_MS, apply)
            return
        if busy or (self.mode == "import" and excel.dialog is not None):
            return
        text = self.window.message_label.text()
        if not text.startswith("Exported" if self.mode == "export" else "Imported"):
            self._fail(text)
            return
        if self._expected is None:
            self._phase("refresh")
            self._expected = _stakeholder_rows(self.db)
        if self._shown() >= self._expected:
            self._timer.stop()
            self._phase("settle")
            QTimer.singleShot(SETTLE_MS, self._on_end)

    def _shown(self) -> int:
        table = getattr(self.page, "table", None)
        return table.model().rowCount() if isinstance(table, QTableView) else 0

    def _fail(self, why: str | None = None) -> None:
        self._timer.stop()
        self.error = why or self.window.message_label.text() or "nothing happened"
        self._on_end()

    def phase_at(self, moment: float) -> str:
        found = "before"
        for name, began in self.phases:
            if began <= moment:
                found = name
        return found


LOOK_MS = 20
READ_MS = 300


def ui_blocking(db: str, mode: str, workbook: str) -> dict[str, Any]:
    """The longest event-loop block while a user exports to, or imports from, `workbook`.

    The window opens on `db` and turns to its Stakeholders page; then the user
    chooses File → Export to Excel… (or Import from Excel…, looks at the
    preview and clicks Apply), and the clock runs until the work is done and
    the Stakeholders table shows the plan, plus a moment to settle. Only the
    file chooser is answered for the user.
    """
    app = _application()
    monitor = LoopMonitor()
    sampler = StallSampler(monitor)
    sampler.start()
    pauses = CollectorPauses()
    user: list[WindowUser] = []

    def stop() -> None:
        monitor.stop()
        app.quit()

    def opened(window: QMainWindow) -> None:
        page = _show_stakeholders(window)
        user.append(WindowUser(window, mode, Path(workbook), page, db, stop))

        # Let the page fill and paint before the user reaches for the menu.
        def reach_for_the_menu() -> None:
            monitor.start()
            user[0].begin()

        QTimer.singleShot(SETTLE_MS, reach_for_the_menu)

    watcher = PaintWatcher(app, until="never", on_first_paint=opened)
    code = _run_planner(db)
    sampler.stop()
    if not user or not user[0].phases:
        painted = "painted" if watcher.painted_at else "never painted"
        raise SystemExit(f"the {mode} never started (window {painted}, exit status {code})")
    if user[0].error:
        raise SystemExit(f"the {mode} failed: {user[0].error}")
    phases = user[0].phases
    work_end = dict(phases).get("refresh", phases[-1][1])
    return {
        "seconds": monitor.longest,
        "longest_during": user[0].phase_at(monitor.longest_ended),
        "longest_after_step": user[0].step_at(monitor.longest_began),
        "work_seconds": work_end - phases[0][1],
        "longest_gc_pause_s": pauses.longest,
        "gc_pauses_over_50ms": pauses.over_50ms,
        "longest_gc_during": user[0].phase_at(pauses.longest_ended),
        "gc_in_longest_s": pauses.within(monitor.longest_began, monitor.longest_ended),
        "ui_cpu_in_longest_s": monitor.longest_cpu,
        "ui_thread_in_stalls": [f"{n} × {where}" for where, n in sampler.seen.most_common(3)],
        "other_threads_in_stalls": [f"{n} × {where}" for where, n in sampler.others.most_common(3)],
    }


class CanvasWatcher(QObject):
    """Notes when the Portfolio page's heatmap has been painted with a computed portfolio,
    and quits (the heatmap paints in its viewport, as any scroll area)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.painted_at: float | None = None
        self.painted_cpu = 0.0
        self._app = app
        self._page: Any = None
        QTimer.singleShot(TIMEOUT_MS, app.quit)

    def watch(self, window: QMainWindow) -> None:
        self._page = window.show_page("portfolio")  # type: ignore[attr-defined]
        self._app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        page = self._page
        if (
            event.type() == QEvent.Type.Paint
            and self.painted_at is None
            and page is not None
            and getattr(page, "portfolio", None) is not None
            and watched is page.chart.viewport()
        ):
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        if self.painted_at is None:
            self.painted_at = time.monotonic()
            self.painted_cpu = time.process_time()
            self._app.removeEventFilter(self)
            self._app.quit()


def portfolio_page(db: str) -> dict[str, Any]:
    """Open a file of many initiatives in the real window and turn to its Portfolio page at
    the first paint, as a user would: the clock stops when the heatmap has been painted."""
    app = _application()
    canvas = CanvasWatcher(app)
    first = PaintWatcher(app, on_first_paint=canvas.watch, until="never")
    _import_window()
    started, cpu = time.monotonic(), time.process_time()
    code = _run_planner(db)
    if first.painted_at is None or canvas.painted_at is None:
        raise SystemExit(f"the Portfolio page's heatmap was never painted (exit status {code})")
    return {
        "seconds": canvas.painted_at - started,
        "cpu": canvas.painted_cpu - cpu,
        "exit": code,
    }
