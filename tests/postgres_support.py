"""A real PostgreSQL server for the tests: a throw-away cluster on a loopback port.

Each pytest process (each xdist worker) starts one cluster of its own in a
temporary folder (`initdb`, then `pg_ctl start`), listening on 127.0.0.1 on a
free port with `trust` authentication there, and every test that asks for
`pg_url` gets a fresh, empty database on it, dropped afterwards. initdb refuses
to run as root: as root the cluster belongs to, and runs as, the `postgres` user.

`halt()` and `resume()` stop and start a cluster on the same data folder and
port, for the tests of a window that loses its server (use a server of the
test's own, `start_server()`, so the session's stays up for the others).

The server's programs are found through PLANNER_POSTGRES_BIN (set by
`packaging/bootstrap.sh test`), else in Debian's /usr/lib/postgresql/N/bin, else
on PATH. Where none is installed the tests skip, or fail under
PLANNER_REAL_CLIENTS=required (`office_support.absent`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from office_support import absent

SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")


def server_programs() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when no server is installed."""
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One running cluster; `url(name)` names a database on it, `create`/`drop` make them."""

    def __init__(self, programs: Path) -> None:
        self.programs = programs
        self.folder = Path(tempfile.mkdtemp(prefix="planner-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
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
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        self.resume()

    def resume(self) -> None:
        """Start the server on its data folder and port (again, after `halt`), and wait for it."""
        # Loopback only, sockets in the cluster's own folder, small and quick to stop.
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=off "
            f"-c max_connections=60 -c shared_buffers=16MB"
        )
        done = self._run(
            str(self.programs / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )
        if done.returncode != 0:
            log = self.folder / "server.log"
            detail = log.read_text(errors="replace")[-800:] if log.exists() else done.stderr
            raise RuntimeError(f"the PostgreSQL server did not start: {detail.strip()}")

    def halt(self) -> None:
        """Stop the server as a network drop looks to a client (its connections end), keeping
        its data: `resume()` starts it again on the same port, with every database as it was."""
        done = self._run(
            str(self.programs / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
        )
        if done.returncode != 0:
            raise RuntimeError(f"the PostgreSQL server did not stop: {done.stderr.strip()}")

    def stop(self) -> None:
        self._run(str(self.programs / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(sql)

    def create(self, template: str | None = None) -> str:
        """A new database, empty or a copy of the `template` database (which nobody may be
        connected to); its URL."""
        name = f"plan_{uuid.uuid4().hex[:12]}"
        copied = f' TEMPLATE "{template}"' if template else ""
        self._admin(f'CREATE DATABASE "{name}"{copied}')
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _login_name() -> str:
    import getpass

    return getpass.getuser()


def start_server() -> PostgresServer:
    """A running server, or skip (fail where required) naming what is missing."""
    programs = server_programs()
    if programs is None:
        absent("the PostgreSQL server (Debian package postgresql) is not installed")
        raise AssertionError("unreachable")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        absent("runuser is needed to start PostgreSQL as the postgres user")
    server = PostgresServer(programs)
    try:
        server.start()
    except RuntimeError as exc:
        server.stop()
        absent(str(exc))
    return server
