"""Remembered preferences (window layout, recent files, hidden columns) in an INI file.

The file lives in the user's config folder (honouring XDG_CONFIG_HOME on each
call, so every test gets its own) or in PLANNER_CONFIG_DIR when that is set. An
explicit file is used instead of QSettings' native location because Qt caches
that location once per process and tests must never touch the real user's
configuration.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from planner import APP_ID

CONFIG_DIR_ENV = "PLANNER_CONFIG_DIR"
MAX_RECENT = 8


def settings_file() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override) / "planner.ini"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_ID, appauthor=False)) / "planner.ini"


class Settings:
    """Typed access to the few things the window remembers between runs."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_file()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def recent_files(self) -> list[Path]:
        return [Path(item) for item in _texts(self._qs.value("files/recent", [])) if item]

    def add_recent(self, path: Path) -> None:
        resolved = path.resolve()
        items = [resolved] + [p for p in self.recent_files() if p != resolved]
        self._qs.setValue("files/recent", [str(p) for p in items[:MAX_RECENT]])

    def remove_recent(self, path: Path) -> None:
        resolved = path.resolve()
        self._qs.setValue("files/recent", [str(p) for p in self.recent_files() if p != resolved])

    def recent_servers(self) -> list[str]:
        """Team databases opened lately, as URLs (which never hold a password)."""
        return [item for item in _texts(self._qs.value("files/recent_servers", [])) if item]

    def add_recent_server(self, url: str) -> None:
        items = [url] + [u for u in self.recent_servers() if u != url]
        self._qs.setValue("files/recent_servers", items[:MAX_RECENT])

    def remove_recent_server(self, url: str) -> None:
        self._qs.setValue("files/recent_servers", [u for u in self.recent_servers() if u != url])

    def hidden_columns(self, key: str) -> set[str]:
        return {item for item in _texts(self._qs.value(f"columns/{key}", [])) if item}

    def set_hidden_columns(self, key: str, names: set[str]) -> None:
        self._qs.setValue(f"columns/{key}", sorted(names))

    def blob(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) else None

    def set_blob(self, key: str, value: QByteArray) -> None:
        self._qs.setValue(key, value)

    def text(self, key: str) -> str | None:
        value = self._qs.value(key)
        return str(value) if value else None

    def set_text(self, key: str, value: str) -> None:
        self._qs.setValue(key, value)

    def sync(self) -> None:
        self._qs.sync()


def _texts(raw: object) -> list[str]:
    """A list setting as texts: QSettings gives one text for a one-item list, and a file
    edited by hand may hold anything at all."""
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, (list, tuple)):
        return [item for item in raw if isinstance(item, str)]
    return []
