"""Team mode in the window: opening a team database, hearing the others' changes live.

- `TeamDatabaseDialog`: File → Open a team database… asks for host, port,
  database and user. No password field: libpq finds it in ~/.pgpass or
  PGPASSWORD, so it is never in the settings nor in a recent-files entry.
- `LiveRefresh`: the window's ONE listening connection to the server (the
  core's listener thread), turned into Qt signals. A change someone else
  committed reloads what the window shows within a second, keeping the
  selection and scroll position; while the user is typing into a cell or a
  form field the reload waits until the edit is saved or dropped, so it is
  never lost.
- Offline (the listening connection lost, so the server cannot be reached):
  the window turns read-only with `OfflineBanner` above the pages rather
  than queueing edits, so no hidden pile of changes can meet someone else's
  later. Nothing is reloaded then, so a cell or form field being edited
  stays open with its text; saving it is refused in one line and the edit is
  held. Once back, the banner goes, editing is on again, each held edit is
  saved by the window itself under the usual version checks (the conflict
  choice where someone changed the record meanwhile), and the window reloads
  (changes made meanwhile were not heard).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.ui.record_form import RecordForm
from planner.ui.theme import banner_style

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

DEFAULT_PORT = 5432
IDLE_POLL_MS = 200
"""How often a reload waiting for an edit in progress looks again."""


def team_url(host: str, port: int, database: str, user: str) -> str:
    """postgresql://user@host:port/database, each part quoted; never a password."""
    who = f"{quote(user, safe='')}@" if user else ""
    return f"postgresql://{who}{quote(host, safe='')}:{port}/{quote(database, safe='')}"


class TeamDatabaseDialog(QDialog):
    """Host, port, database and user of a team plan on a PostgreSQL server."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a team database")
        self.host = QLineEdit("localhost", self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.database.setPlaceholderText("plans")
        self.user = QLineEdit(self)
        self.user.setPlaceholderText("your user name on the server")
        form = QFormLayout()
        form.addRow("&Host:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        note = QLabel(
            "The password is not asked here and never stored by the planner: "
            "put it in your ~/.pgpass file (or PGPASSWORD).",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if self.host.text().strip() and self.database.text().strip():
            self.accept()
        else:
            (self.host if not self.host.text().strip() else self.database).setFocus()

    def url(self) -> str:
        return team_url(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
        )


OFFLINE = (
    "Offline: the team server cannot be reached — changes are paused until it is back; "
    "an edit in progress is kept"
)


class OfflineBanner(QLabel):
    """Says, above the pages, that the window is read-only until the server is back."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(OFFLINE, parent)
        self.setObjectName("offline_banner")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(banner_style(parent.palette(), "warning"))
        self.hide()


class LiveRefresh(QObject):
    """Hears the changes others commit to the team plan and has the window follow them."""

    changed = Signal(object)
    lost = Signal(str)
    back = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._listener: Any = None
        self._writer_id = ""
        self._pending: set[str] | None = None
        self._waiting = QTimer(self)
        self._waiting.setSingleShot(True)
        self._waiting.setInterval(IDLE_POLL_MS)
        self._waiting.timeout.connect(self._apply_when_idle)
        self.banner = OfflineBanner(window)
        window.add_banner(self.banner)
        # Emitted on the listener's thread, delivered on the window's (queued).
        self.changed.connect(self._on_change)
        self.lost.connect(self._on_lost)
        self.back.connect(self._on_back)

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def follow(self, db: Any) -> None:
        """Listen to this database (a team one; a file has no others to hear)."""
        self.stop()
        self.banner.hide()
        self._writer_id = db.writer_id
        self._listener = db.listen(self.changed.emit, self.lost.emit, self.back.emit)

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        self._pending = None
        self._waiting.stop()

    @property
    def waiting(self) -> bool:
        """Whether a change heard waits for the edit in progress to end."""
        return self._pending is not None

    def _on_change(self, change: dict[str, Any]) -> None:
        if change.get("by") == self._writer_id or self._listener is None:
            return
        kinds = change.get("kinds")
        named = {k for k in kinds if isinstance(k, str)} if isinstance(kinds, list) else set()
        self._pending = (self._pending or set()) | named
        self._apply_when_idle()

    def _apply_when_idle(self) -> None:
        if self._pending is None:
            return
        if editing_in_progress(self._window):
            self._waiting.start()
            return
        kinds, self._pending = self._pending, None
        self._window.follow_others(frozenset(kinds))

    def _on_lost(self, detail: str) -> None:
        if self._listener is None:
            return
        self.banner.show()
        self._window.writable_changed()
        self._window.show_team_status(
            f"Offline: lost the connection to the team plan ({detail}); reconnecting…",
            error=True,
        )

    def _on_back(self) -> None:
        if self._listener is None:
            return
        self.banner.hide()
        self._window.writable_changed()
        self._pending = set()
        self._apply_when_idle()
        later = " once you leave the field you are editing" if self.waiting else ""
        self._window.show_team_status(
            f"Back online: editing is on again; what others changed meanwhile shows{later}",
            error=False,
        )


def editing_in_progress(window: QWidget) -> bool:
    """Whether the user is typing into a table cell or a record form's field right now."""
    for table in window.findChildren(QTableView):
        if table.state() == QAbstractItemView.State.EditingState:
            return True
    focus = QApplication.focusWidget()
    if focus is None or not window.isAncestorOf(focus):
        return False
    while focus is not None:
        if isinstance(focus, RecordForm):
            return True
        focus = focus.parentWidget()
    return False
