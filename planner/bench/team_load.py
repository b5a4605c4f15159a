"""The team load test: simulated editors saving one demo plan on one server at once.

`team_load` (the probe task `team-load`) makes a scratch database, puts the demo
plan on it, and starts the editors, each a process of its own
(`python -m planner.bench.team_load editor ...`) with its own connection and
its own listener. For the given seconds each edits as fast as it can: it picks
a stakeholder (mostly its own; now and then one of a few that all share), reads
it, sets one field to a value unique to the editor and the edit, and saves from
the version it read; on a conflict it reads again and retries. Afterwards the
saves are checked against the versions the server stored (`team_verify`).

Times that cross processes are wall-clock (`time.time()`), one machine's clock;
a save's commit is stamped when its COMMIT is sent, so a refresh's delay
includes the commit itself.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from sqlalchemy import event, text

from planner.bench.team_server import ServerProblem, scratch_database
from planner.bench.team_verify import Save, lost_edits, percentile, refresh_delays
from planner.domain.errors import ConflictError
from planner.persistence.database import open_database
from planner.persistence.server import CHANNEL
from planner.services.planning import PlanService

EDITORS = 20
SHARED_RECORDS = 3
SHARED_SHARE = 0.15
"""How often an editor picks a shared record: enough that saves collide now and then."""
FIELDS = ("notes", "owner", "function")
KIND = "stakeholder"
GRACE_SECONDS = 3.0
"""How long the editors go on listening after the last edit, for the last changes to arrive."""
MAX_ATTEMPTS = 100
READY_TIMEOUT_S = 300.0

_AUDIT = (
    "CREATE SCHEMA bench_audit",
    (
        "CREATE TABLE bench_audit.versions "
        "(record_id text NOT NULL, version integer NOT NULL, row jsonb NOT NULL)"
    ),
    (
        "CREATE FUNCTION bench_audit.keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO bench_audit.versions VALUES (NEW.id, NEW.version, to_jsonb(NEW)); "
        "RETURN NEW; END $$"
    ),
    (
        f"CREATE TRIGGER bench_audit AFTER UPDATE ON {KIND} FOR EACH ROW "
        "EXECUTE FUNCTION bench_audit.keep()"
    ),
)


class LoadFailed(RuntimeError):
    """The load test could not run; the message is one line."""


def team_load(server: str, seconds: str, editors: str = str(EDITORS)) -> dict[str, Any]:
    """Run the load test on `server` (a URL, or '' for a throw-away cluster); its figures."""
    count, duration = int(editors), float(seconds)
    try:
        with scratch_database(server or None, max_connections=count * 4 + 20) as url:
            return _run(url, count, duration)
    except ServerProblem as exc:
        raise LoadFailed(str(exc)) from None


def _run(url: str, count: int, duration: float) -> dict[str, Any]:
    from planner.services.demo import create_demo

    db = open_database(url)
    try:
        service = PlanService(db)
        create_demo(service)
        records = sorted(service.list(KIND), key=lambda r: r.id)
        if len(records) < count + SHARED_RECORDS:
            raise LoadFailed(f"the demo plan has {len(records)} stakeholders, too few to share")
        with db.engine.begin() as connection:
            for statement in _AUDIT:
                connection.exec_driver_sql(statement)
        initial = {r.id: r.version for r in records}
        with tempfile.TemporaryDirectory(prefix="planner-team-load-") as tmp:
            folder = Path(tmp)
            (folder / "records.json").write_text(json.dumps([r.id for r in records]))
            started, ended, outcomes = _drive(url, folder, count, duration)
        with db.engine.connect() as connection:
            audit = {
                (str(r[0]), int(r[1])): dict(r[2])
                for r in connection.execute(
                    text("SELECT record_id, version, row FROM bench_audit.versions")
                )
            }
        final = {r.id: {**r.values(), "version": r.version} for r in service.list(KIND)}
    finally:
        db.close()
    return _figures(outcomes, audit, initial, final, ended - started)


def _drive(
    url: str, folder: Path, count: int, duration: float
) -> tuple[float, float, list[dict[str, Any]]]:
    """Start the editors, wait until each listens, let them edit; what each reports."""
    processes = []
    logs = []
    try:
        for index in range(count):
            log = open(folder / f"editor-{index}.log", "w+")  # noqa: SIM115 - closed below
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "planner.bench.team_load",
                        "editor",
                        url,
                        str(index),
                        str(folder),
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                )
            )
        deadline = time.time() + READY_TIMEOUT_S
        for index, process in enumerate(processes):
            assert process.stdout is not None
            if process.stdout.readline().strip() != "ready" or time.time() > deadline:
                raise LoadFailed(f"editor {index} did not start: {_last_line(logs[index])}")
        started = time.time() + 0.2
        ended = started + duration
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(f"{started} {ended}\n")
            process.stdin.flush()
        for index, process in enumerate(processes):
            if process.wait(timeout=duration + GRACE_SECONDS + 120) != 0:
                raise LoadFailed(f"editor {index} failed: {_last_line(logs[index])}")
        outcomes = [
            json.loads((folder / f"editor-{index}.json").read_text()) for index in range(count)
        ]
        return started, ended, outcomes
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def _last_line(log: IO[str]) -> str:
    log.flush()
    log.seek(0)
    lines = [line.strip() for line in log.read().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _figures(
    outcomes: list[dict[str, Any]],
    audit: dict[tuple[str, int], dict[str, Any]],
    initial: dict[str, int],
    final: dict[str, dict[str, Any]],
    seconds: float,
) -> dict[str, Any]:
    fields = ("editor", "seq", "record_id", "field", "value", "version")
    saves = [Save(**{name: s[name] for name in fields}) for o in outcomes for s in o["saves"]]
    problems = lost_edits(saves, audit, initial, final)
    commits = {o["writer"]: [s["committed_at"] for s in o["saves"]] for o in outcomes}
    heard = {o["writer"]: [(w, at) for w, at in o["heard"]] for o in outcomes}
    delays, missed = refresh_delays(commits, heard)
    latencies = [s["seconds"] for o in outcomes for s in o["saves"]]

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "seconds": seconds,
        "editors": len(outcomes),
        "edits": len(saves),
        "edits_per_s": round(len(saves) / seconds, 1),
        "save_p50_ms": ms(percentile(latencies, 0.5)),
        "save_p95_ms": ms(percentile(latencies, 0.95)),
        "refresh_p50_ms": ms(percentile(delays, 0.5)),
        "refresh_p95_ms": ms(percentile(delays, 0.95)),
        "refreshes": len(delays),
        "refreshes_missed": missed,
        "conflicts": sum(o["conflicts"] for o in outcomes),
        "shared_edits": sum(1 for s in saves if s.record_id not in _own_records(outcomes)),
        "gave_up": sum(o["gave_up"] for o in outcomes),
        "lost": len(problems),
        "problems": problems[:5],
    }


def _own_records(outcomes: list[dict[str, Any]]) -> set[str]:
    return {o["own"] for o in outcomes}


# ------------------------------------------------------------------ an editor
def editor(url: str, index: str, folder: str) -> int:
    """One editor: listen, say 'ready', wait for the start line, edit until its end; report."""
    me = int(index)
    records = json.loads((Path(folder) / "records.json").read_text())
    own, shared = records[me], records[-SHARED_RECORDS:]
    db = open_database(url)
    service = PlanService(db)
    heard: list[tuple[str, float]] = []
    listening = threading.Event()
    probe = f"ready-{db.writer_id}"

    def on_change(change: dict[str, Any]) -> None:
        at = time.time()
        by = change.get("by")
        if by == probe:
            listening.set()
        elif isinstance(by, str):
            heard.append((by, at))

    listener = db.listen(on_change, lambda _detail: None, lambda: None)
    assert listener is not None
    _wait_until_heard(db, probe, listening)
    commit_sent: list[float] = []
    event.listen(db.engine, "commit", lambda _connection: commit_sent.append(time.time()))
    print("ready", flush=True)
    started, ended = map(float, sys.stdin.readline().split())
    time.sleep(max(0.0, started - time.time()))
    rng = random.Random(me)
    saves: list[dict[str, Any]] = []
    conflicts = gave_up = seq = 0
    while time.time() < ended:
        seq += 1
        record_id = rng.choice(shared) if rng.random() < SHARED_SHARE else own
        name = rng.choice(FIELDS)
        value = f"editor {me} edit {seq}"
        for _attempt in range(MAX_ATTEMPTS):
            read = service.get(KIND, record_id)
            commit_sent.clear()
            began = time.perf_counter()
            try:
                service.update(KIND, record_id, {name: value}, version=read.version)
            except ConflictError:
                conflicts += 1
                continue
            took = time.perf_counter() - began
            saves.append(
                {
                    "editor": me,
                    "seq": seq,
                    "record_id": record_id,
                    "field": name,
                    "value": value,
                    "version": read.version + 1,
                    "seconds": took,
                    "committed_at": commit_sent[-1],
                }
            )
            break
        else:
            gave_up += 1
    time.sleep(max(0.0, ended + GRACE_SECONDS - time.time()))
    listener.stop()
    db.close()
    outcome = {
        "writer": db.writer_id,
        "own": own,
        "saves": saves,
        "conflicts": conflicts,
        "gave_up": gave_up,
        "heard": heard,
    }
    (Path(folder) / f"editor-{me}.json").write_text(json.dumps(outcome))
    return 0


def _wait_until_heard(db: Any, probe: str, listening: threading.Event) -> None:
    """Announce a probe until this editor's own listener hears it: then it is listening."""
    payload = json.dumps({"kinds": [], "ids": [], "by": probe})
    deadline = time.time() + READY_TIMEOUT_S
    while not listening.is_set():
        if time.time() > deadline:
            raise LoadFailed("the editor's listener never heard the server")
        with db.engine.begin() as connection:
            connection.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANNEL, "payload": payload},
            )
        listening.wait(0.5)


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "editor":
        print("usage: python -m planner.bench.team_load editor URL INDEX FOLDER", file=sys.stderr)
        sys.exit(2)
    sys.exit(editor(*sys.argv[2:]))
