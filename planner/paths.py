"""Where the planner keeps its files: in a checkout, an installed wheel and a frozen build."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from planner import APP_ID

DATA_DIR_ENV = "PLANNER_DATA_DIR"
SMOKE_TEST_ENV = "PLANNER_SMOKE_TEST"


def _shipped_folder(name: str) -> Path:
    """`migrations/` or `resources/`: inside the installed package, or at the checkout's top.

    A wheel (pip, pipx) and the frozen build carry them as package data in
    `planner/` (setup.py maps them in); a checkout keeps them beside `planner/`,
    where Alembic and the packaging scripts expect them.
    """
    packaged = files("planner") / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def migrations_dir() -> Path:
    return _shipped_folder("migrations")


def resources_dir() -> Path:
    return _shipped_folder("resources")


def data_dir() -> Path:
    """The user data folder (overridable with PLANNER_DATA_DIR, as the tests do)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_ID, appauthor=False))


def default_database() -> Path:
    return data_dir() / "planner.db"


def backups_dir() -> Path:
    return data_dir() / "backups"


def smoke_test_screenshot() -> Path | None:
    """Where to save the window before quitting at once, when a smoke test starts the app.

    Only tests/test_packaging.py sets it: the frozen build must show its window
    and then exit cleanly with nobody there to close it.
    """
    value = os.environ.get(SMOKE_TEST_ENV)
    return Path(value) if value else None
