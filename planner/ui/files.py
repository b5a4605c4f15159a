"""File menu work: a new database, opening another, recent files, a checked copy.

A mixin of the main window, so that other parts can call `window.open_path(path)`
(restoring a backup, say) and be notified through `window.database_opened`.
Switching files replaces `ctx.service`; the file left behind is closed, and a
file that cannot be opened leaves the current one in place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.domain.errors import PlannerError
from planner.services.files import (
    ForeignSchemaError,
    RepairResult,
    copy_database,
    describe_server,
    is_server_url,
    repair,
)
from planner.services.files import open_database as open_db_file
from planner.services.planning import PlanService
from planner.ui.workers import Job

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from planner.services.history import Command, Direction
    from planner.ui.actions import Actions
    from planner.ui.context import PlanContext
    from planner.ui.dialogs import Dialogs
    from planner.ui.initiatives import Initiatives
    from planner.ui.team import LiveRefresh


if TYPE_CHECKING:
    # For the type checker the mixin is what it is mixed into: a main window.
    _Window = QMainWindow
else:
    _Window = object


class DatabaseFiles(_Window):
    """Needs the window's `ctx`, `dialogs`, `initiatives`, `actions_` and message helpers."""

    ctx: PlanContext
    dialogs: Dialogs
    initiatives: Initiatives
    actions_: Actions
    live: LiveRefresh
    database_opened: Any
    guided_start: Any
    _unsubscribe: Callable[[], None]

    if TYPE_CHECKING:
        # What the window defines for the mixin (planner.ui.main_window.MainWindow).
        def _show_message(self, text: str, error: bool) -> None: ...
        def _on_history(self, command: Command, direction: Direction) -> None: ...
        def _after_database_change(self) -> None: ...

    def new_database(self) -> None:
        path = self.dialogs.save_path(self, "New planner database")
        if path is None:
            return
        if path.suffix == "":
            path = path.with_suffix(".db")
        if path.exists():
            self._show_message(f"{path} already exists; use File → Open to open it", True)
            return
        if self.open_path(path):
            where = (
                "type its first initiative above (the cursor is in its name)"
                if self.guided_start is not None
                else "add an initiative with Initiative → New initiative (Ctrl+Alt+N)"
            )
            self._show_message(f"Created {path.name}: {where}", False)

    def open_database(self) -> None:
        path = self.dialogs.open_path(self, "Open planner database")
        if path is not None:
            self.open_path(path)

    def open_team_database(self) -> bool:
        """File → Open a team database…: a plan on a PostgreSQL server."""
        url = self.dialogs.team_database(self)
        return self.open_path(url) if url else False

    def open_path(self, path: Path | str) -> bool:
        """Switch the window to another database (a file, or a team database's URL);
        the current one stays untouched on error.

        The file this window already writes to is not opened again: a second
        connection would find the window's own writer lock and come up
        read-only. A caller that closed the file first (a restore) reopens it.
        """
        current = self.ctx.service.db
        if isinstance(path, str) and is_server_url(path):
            if current.on_server and current.describe() == describe_server(path):
                self._show_message(f"{current.describe()} is already open in this window", False)
                return True
        elif not isinstance(path, Path):
            path = Path(path)
        lock = current.lock
        if (
            isinstance(path, Path)
            and current.path is not None
            and lock is not None
            and lock.held
            and Path(path).resolve() == current.path.resolve()
        ):
            self._show_message(f"{current.path.name} is already open in this window", False)
            return True
        try:
            db = open_db_file(path, backup_on_open="background")
        except ForeignSchemaError as exc:
            self._show_message(str(exc), True)
            if isinstance(path, Path):
                self._offer_clean_copy(path, exc)
            return False
        except PlannerError as exc:
            self._show_message(str(exc), True)
            self.dialogs.error(self, "Cannot open the file", str(exc))
            return False
        old = self.ctx.service
        self.live.stop()
        self._unsubscribe()
        service = PlanService(db)
        self.ctx.service = service
        self._unsubscribe = service.history.subscribe(self._on_history)
        old.db.close()
        self.ctx.initiative_id = None
        self.ctx.notify_changed()
        self._after_database_change()
        self.database_opened.emit(service)
        return True

    def _offer_clean_copy(self, path: Path, refused: ForeignSchemaError) -> Job | None:
        """A file refused for its schema: offer to copy its data into a new, clean file."""
        reason = str(refused).split("; the planner runs nothing")[0]
        if not self.dialogs.confirm(
            self,
            "The file was refused",
            f"{reason}. Nothing in it was run and it was left as it is. Copy its data "
            f"into a new, clean planner file (the file itself is only read)?",
            "Copy into a clean file",
        ):
            return None
        target = self.dialogs.save_path(
            self, "Clean copy of the data", start=str(path.with_name(f"{path.stem} clean.db"))
        )
        if target is None:
            return None
        if target.suffix == "":
            target = target.with_suffix(".db")

        def done(result: RepairResult) -> None:
            if self.open_path(result.target):
                self._show_message(" — ".join(result.lines()), False)

        return self.ctx.tasks.start(
            f"Copying the data of {path.name} into {target.name}",
            lambda _job: repair(path, target),
            on_done=done,
            on_error=lambda message: self.dialogs.error(self, "Clean copy of the data", message),
        )

    def _fill_recent(self) -> None:
        menu = self.actions_.recent_menu
        menu.clear()
        current = self.ctx.service.db.path
        for path in self.ctx.settings.recent_files():
            if current is not None and path == current.resolve():
                continue
            action = menu.addAction(str(path))
            action.triggered.connect(lambda _c=False, p=path: self._open_recent(p))
        for url in self.ctx.settings.recent_servers():
            if self.ctx.service.db.on_server and url == self.ctx.service.db.describe():
                continue
            action = menu.addAction(f"Team plan: {url}")
            action.triggered.connect(lambda _c=False, u=url: self.open_path(u))
        if menu.isEmpty():
            menu.addAction("No other recent files").setEnabled(False)

    def _open_recent(self, path: Path) -> None:
        if not path.exists():
            self.ctx.settings.remove_recent(path)
            self._show_message(f"{path} no longer exists", True)
            return
        self.open_path(path)

    def save_copy(self) -> Job | None:
        source = self.ctx.service.db.path
        if source is None:
            self._show_message(
                "A team database is copied on the server (pg_dump), or exported to a "
                "workbook with File → Export to Excel…",
                True,
            )
            return None
        target = self.dialogs.save_path(
            self,
            "Save a copy of the database",
            start=str(source.with_name(f"{source.stem} copy.db")),
        )
        if target is None:
            return None
        if target.resolve() == source.resolve():
            self._show_message("a copy cannot replace the file it is copied from", True)
            return None
        return self.ctx.tasks.start(
            f"Saving a copy to {target.name}",
            lambda _job: copy_database(source, target),
            on_done=lambda path: self._show_message(f"Saved a checked copy to {path}", False),
            on_error=lambda message: self._show_message(message, True),
        )
