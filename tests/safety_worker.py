"""A planner process for the multi-process safety tests (run with `python -m tests.safety_worker`).

`hold DB` opens the file and obeys lines on stdin (`add NAME`, `undo`, `quit`),
answering `ok ...` or `error <the one line>`, so a test can keep one writer
alive while it tries a second. `churn DB SEED` edits,
imports and undoes in a loop, printing `begin ...` before and `done ...` after
each committed change, until it is killed; the kill loop checks the file against
what was reported. `window-churn DB SEED` does the same through the real
window (offscreen): a Relationship owner cell typed, a row duplicated, Ctrl+Z. `scribble DB` saves
linked records one commit at a time until killed. `die-mid-change DB` is killed inside a large transaction.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import text

from planner.domain.errors import PlannerError
from planner.persistence.database import open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService

DEMO_TODAY = date(2026, 11, 2)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def hold(path: str) -> None:
    db = open_database(path)
    service = PlanService(db)
    say(json.dumps({"pid": os.getpid(), "read_only": db.read_only}))
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "quit":
            break
        try:
            if command == "add":
                base = service.initiatives()[0]
                made = service.create("stakeholder", {"initiative_id": base.id, "name": argument})
                say(f"ok {made.id}")
            elif command == "undo":
                undone = service.history.undo()
                say(f"ok {undone.label if undone else 'nothing'}")
        except PlannerError as exc:
            say(f"error {exc}")
    db.close()
    say("closed")


def import_workbook(service: PlanService, book: Path) -> None:
    """Bring an Excel workbook in, as `planner import` does: one transaction."""
    from planner.services.excel.importer import apply_import, preview_import

    apply_import(service, preview_import(service, book))


def churn(path: str, seed: int, workbooks: str | None = None) -> None:
    rng = random.Random(seed)
    books = sorted(Path(workbooks).glob("*.xlsx")) if workbooks else []
    db = open_database(path, if_locked="refuse")
    service = PlanService(db)
    base = service.find_initiative("Base")
    say("ready")
    step = 0
    undoable: str | None = None
    while True:
        step += 1
        tag = f"{seed}-{step}"
        roll = rng.random()
        if undoable is not None and roll < 0.1:
            say(f"begin undo {undoable}")
            service.history.undo()
            say(f"done undo {undoable}")
            undoable = None
            continue
        undoable = None
        if roll < 0.45:
            say(f"begin add {tag}")
            made = service.create(
                "stakeholder",
                {"initiative_id": base.id, "name": f"w{tag}", "power": rng.randint(1, 5)},
            )
            say(f"done add {tag} {made.id}")
            undoable = f"add {tag}"
        elif roll < 0.7:
            people = service.list("stakeholder", base.id)
            target = rng.choice(people).id
            say(f"begin note {target} {tag}")
            service.update("stakeholder", target, {"notes": tag})
            say(f"done note {target} {tag}")
        elif roll < 0.8:
            say(f"begin demo {tag}")
            create_demo(service, name=f"Import {tag}", today=DEMO_TODAY)
            say(f"done demo {tag}")
            undoable = f"demo {tag}"
        elif roll < 0.9 and books:
            book = rng.choice(books)
            say(f"begin xlimport {book.stem}")
            import_workbook(service, book)
            say(f"done xlimport {book.stem}")
        else:
            say(f"begin snapshot {tag}")
            count = service.take_snapshot(base.id, label=tag, taken_on=DEMO_TODAY)
            say(f"done snapshot {tag} {count}")
            undoable = f"snapshot {tag}"


def window_churn(path: str, seed: int) -> None:
    """The real window edited as a person would, each edit reported once the window has it."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from planner.ui.dialogs import Dialogs
    from planner.ui.main_window import MainWindow
    from planner.ui.settings import Settings

    app = QApplication.instance() or QApplication([])
    rng = random.Random(seed)
    service = PlanService(open_database(path, if_locked="refuse"))
    settings = Settings(Path(tempfile.mkdtemp(prefix="window-churn-")) / "settings.ini")
    window = MainWindow(service, settings=settings, dialogs=Dialogs())
    window.resize(1200, 760)
    window.show()
    base = service.find_initiative("Base")
    window.show_record("stakeholder", service.list("stakeholder", base.id)[0].id)
    app.processEvents()
    view = window.active_view()
    assert view is not None and view.kind == "stakeholder"
    owner = view.model.columns.index("owner")
    say("ready")
    step = 0
    undoable: str | None = None
    while True:
        step += 1
        tag = f"{seed}-{step}"
        roll = rng.random()
        rows = view.proxy.rowCount()
        if undoable is not None and roll < 0.15:
            say(f"begin undo {undoable}")
            window.undo()
            say(f"done undo {undoable}")
            undoable = None
        elif roll < 0.6:
            index = view.proxy.index(rng.randrange(rows), owner)
            target = view.proxy.record(index).id
            say(f"begin note {target} {tag}")
            assert view.proxy.setData(index, tag, Qt.ItemDataRole.EditRole)
            say(f"done note {target} {tag}")
            undoable = None
        else:
            picked = view.proxy.record(view.proxy.index(rng.randrange(rows), 0))
            view.select(picked.id)
            say(f"begin dup {tag}")
            [copy] = view.duplicate()
            say(f"done dup {tag} {copy.id}")
            undoable = f"dup {tag}"
        app.processEvents()


def scribble(path: str) -> None:
    """Save linked records one commit at a time, without pause, keeping the plan small:
    a stakeholder, then a snapshot of them, then a message to them, then delete them
    (which takes the snapshot and the audience link with it)."""
    db = open_database(path, if_locked="refuse")
    service = PlanService(db)
    base = service.find_initiative("Base")
    say("ready")
    step = 0
    while True:
        step += 1
        person = service.create("stakeholder", {"initiative_id": base.id, "name": f"s{step}"})
        service.create(
            "snapshot", {"stakeholder_id": person.id, "taken_on": DEMO_TODAY, "power": 4}
        )
        service.create(
            "communication",
            {"initiative_id": base.id, "name": f"m{step}", "audience_ids": (person.id,)},
        )
        service.delete("stakeholder", [person.id])


def die_mid_change(path: str) -> None:
    """Be killed inside a transaction big enough to spill into the file: a hot journal."""
    db = open_database(path)
    with db.transaction() as session:
        session.execute(
            text(
                "insert into initiative (id, name, status, summary, created_at, updated_at) "
                "with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000) "
                "select printf('%08d-1111-4111-8111-111111111111', i), 'Ghost ' || i, 'executing', "
                "hex(randomblob(400)), '2026-01-01', '2026-01-01' from n"
            )
        )
        os.kill(os.getpid(), signal.SIGKILL)


def leave_interrupted_change(path: Path) -> None:
    """Run `die-mid-change` in its own process (for tests): leaves a hot journal beside `path`."""
    subprocess.run(
        [sys.executable, "-m", "tests.safety_worker", "die-mid-change", str(path)],
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
        env=dict(os.environ),
        capture_output=True,
        check=False,
    )


if __name__ == "__main__":
    mode, target, *rest = sys.argv[1:]
    if mode == "hold":
        hold(target)
    elif mode == "die-mid-change":
        die_mid_change(target)
    elif mode == "scribble":
        scribble(target)
    elif mode == "window-churn":
        window_churn(target, int(rest[0]))
    else:
        churn(target, int(rest[0]), rest[1] if len(rest) > 1 else None)
