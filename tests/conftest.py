import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from planner.persistence.database import Database, open_database
from planner.services.planning import PlanService

REPO = Path(__file__).resolve().parent.parent
DEMO_TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data folder (backups, default database, settings)."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("PLANNER_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return data


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "plan.db"


ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A `both_engines` module's database tests run once on a file and once on a server.

    Only tests that reach the `engine` fixture (through `db`, `db_target`, `service`
    or `demo`) are doubled; `sqlite_only("reason")` keeps one on the file, as are
    the tests of every unmarked module (their IDs unchanged).
    """
    if "engine" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("both_engines") is None:
        return
    only = metafunc.definition.get_closest_marker("sqlite_only")
    if only is not None:
        if not (only.args and isinstance(only.args[0], str) and only.args[0].strip()):
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: sqlite_only needs a reason")
        return
    metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """Where the test's plan lives: "sqlite" unless a `both_engines` module doubled it."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def db_target(engine: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    """What `--db` names for the test's plan: the file, or a fresh database on the server."""
    if engine != "postgresql":
        return str(db_path)
    if "demo" in request.fixturenames:
        return str(request.getfixturevalue("pg_demo_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def db(db_target: str) -> Iterator[Database]:
    database = open_database(db_target)
    yield database
    database.close()


@pytest.fixture
def service(db: Database) -> PlanService:
    return PlanService(db)


@pytest.fixture
def demo(service: PlanService, engine: str) -> PlanService:
    from planner.services.demo import create_demo

    if engine == "sqlite":  # on the server, db_target is a copy of pg_demo_template
        create_demo(service, today=DEMO_TODAY)
    service.history.clear()
    return service


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """Run the real `planner` command line in a fresh process."""
    import subprocess

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=timeout,
    )


def _running_server() -> Iterator[object]:
    from postgres_support import start_server

    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """This test process's own PostgreSQL cluster (tests/postgres_support.py)."""
    yield from _running_server()


@pytest.fixture(scope="module")
def own_server() -> Iterator[object]:
    """A cluster of the test module's own, for tests that stop it or cut it off (the
    session's server, which other tests use, is never disturbed)."""
    yield from _running_server()


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped after the test."""
    url = pg_server.create()
    yield url
    pg_server.drop(url)


@pytest.fixture(scope="session")
def pg_demo_template(pg_server) -> str:
    """The demo plan, built once per test process on the server (the name of its database).

    A `demo` test on PostgreSQL gets a copy (CREATE DATABASE … TEMPLATE): its setup
    then takes what the same test's does on SQLite (measured: 1.1 s instead of 1.4 s
    for tests/test_excel_hand_edits.py, where the export fixture is most of it).
    """
    from planner.services.demo import create_demo

    url = pg_server.create()
    database = open_database(url)
    try:
        create_demo(PlanService(database), today=DEMO_TODAY)
    finally:
        database.close()
    return url.rsplit("/", 1)[1]


@pytest.fixture
def pg_demo_url(pg_server, pg_demo_template: str) -> Iterator[str]:
    """A fresh copy of the demo template on the test server, dropped after the test."""
    url = pg_server.create(template=pg_demo_template)
    yield url
    pg_server.drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a plan lives, once as a file and once on a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "plan.db")
    return str(request.getfixturevalue("pg_url"))
