"""A team server for the load test: a throw-away PostgreSQL cluster, or a scratch database.

With no server given, the bench starts a cluster of its own in a temporary
folder (`initdb`, `pg_ctl start`) on a free loopback port with `trust`
authentication, and removes it afterwards; initdb refuses to run as root, so as
root the cluster belongs to, and runs as, the `postgres` user (`runuser`). With
a server given (`--team-url`), the bench makes a scratch database on it and drops
it afterwards, so that no plan of anyone's is touched.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
NOT_INSTALLED = "PostgreSQL not installed"


class ServerProblem(RuntimeError):
    """The server could not be started or used; the message is one line."""


def server_programs() -> Path | None:
    """The folder holding initdb and pg_ctl (PLANNER_POSTGRES_BIN, Debian's, PATH), or None."""
    candidates: list[Path] = []
    if os.environ.get("PLANNER_POSTGRES_BIN"):
        candidates.append(Path(os.environ["PLANNER_POSTGRES_BIN"]))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.isdigit()]
        candidates.extend(p / "bin" for p in sorted(versions, key=lambda p: -int(p.name)))
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).parent)
    for folder in candidates:
        if all((folder / name).exists() for name in SERVER_PROGRAMS):
            return folder
    return None


def why_no_server() -> str | None:
    """Why a throw-away server cannot be started here (None when it can)."""
    if server_programs() is None:
        return NOT_INSTALLED
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser is needed to start PostgreSQL as the postgres user"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowAwayCluster:
    """A cluster in a temporary folder, for one bench run; `stop()` removes it."""

    def __init__(self, programs: Path, max_connections: int) -> None:
        self.programs = programs
        self.folder = Path(tempfile.mkdtemp(prefix="planner-bench-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.max_connections = max_connections
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else _login_name()
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(
            [*prefix, *command],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=self.folder,
        )

    def start(self) -> None:
        done = self._run(
            str(self.programs / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if done.returncode != 0:
            raise ServerProblem(f"initdb failed: {_last_line(done.stderr or done.stdout)}")
        # Durable commits (fsync stays on): a save's latency includes what a real server pays.
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} "
            f"-c max_connections={self.max_connections}"
        )
        log = self.folder / "server.log"
        done = self._run(
            str(self.programs / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "start",
        )
        if done.returncode != 0:
            detail = log.read_text(errors="replace") if log.exists() else done.stderr
            raise ServerProblem(f"the PostgreSQL server did not start: {_last_line(detail)}")

    def stop(self) -> None:
        self._run(str(self.programs / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"


def _login_name() -> str:
    import getpass

    return getpass.getuser()


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _libpq(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(url), autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql)


@contextmanager
def scratch_database(server_url: str | None, *, max_connections: int) -> Iterator[str]:
    """The URL of an empty database for one run, dropped (its cluster removed) afterwards.

    `server_url` names any database on a server the user may create databases on;
    None starts a throw-away cluster (ServerProblem says why where none can be).
    """
    cluster: ThrowAwayCluster | None = None
    if server_url is None:
        reason = why_no_server()
        if reason is not None:
            raise ServerProblem(reason)
        programs = server_programs()
        assert programs is not None
        cluster = ThrowAwayCluster(programs, max_connections)
        try:
            cluster.start()
        except BaseException:
            cluster.stop()
            raise
        server_url = cluster.url()
    from sqlalchemy.engine import make_url

    name = f"planner_bench_{uuid.uuid4().hex[:12]}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        try:
            _admin(server_url, f'CREATE DATABASE "{name}"')
        except Exception as exc:  # noqa: BLE001 - any refusal is the user's server's answer
            raise ServerProblem(
                f"no scratch database could be made on the server: {_one(exc)}"
            ) from None
        try:
            yield url
        finally:
            _drop(server_url, name)
    finally:
        if cluster is not None:
            cluster.stop()


def _drop(server_url: str, name: str) -> None:
    try:
        _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception:  # noqa: BLE001 - a scratch database left behind harms nothing
        pass


def _one(exc: Any) -> str:
    return " ".join(str(exc).split())[:240] or type(exc).__name__
