"""A planner process for the multi-process safety tests (run with `python -m tests.safety_worker`).

`hold DB` opens the file and obeys lines on stdin (`add NAME`, `quit`), so a
test can keep one writer alive while it tries a second. `churn DB SEED` edits,
imports and undoes in a loop, printing `begin ...` before and `done ...` after
each committed change, until it is killed; the kill loop checks the file against
what was reported.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import date

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
        if command == "add":
            base = service.initiatives()[0]
            created = service.create("stakeholder", {"initiative_id": base.id, "name": argument})
            say(f"ok {created.id}")
        elif command == "quit":
            break
    db.close()
    say("closed")


def churn(path: str, seed: int) -> None:
    rng = random.Random(seed)
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
            made = service.create("stakeholder", {"initiative_id": base.id, "name": f"w{tag}",
                                                  "power": rng.randint(1, 5)})
            say(f"done add {tag} {made.id}")
            undoable = f"add {tag}"
        elif roll < 0.7:
            people = service.list("stakeholder", base.id)
            target = rng.choice(people).id
            say(f"begin note {target} {tag}")
            service.update("stakeholder", target, {"notes": tag})
            say(f"done note {target} {tag}")
        elif roll < 0.85:
            say(f"begin demo {tag}")
            create_demo(service, name=f"Import {tag}", today=DEMO_TODAY)
            say(f"done demo {tag}")
            undoable = f"demo {tag}"
        else:
            say(f"begin snapshot {tag}")
            count = service.take_snapshot(base.id, label=tag, taken_on=DEMO_TODAY)
            say(f"done snapshot {tag} {count}")
            undoable = f"snapshot {tag}"


if __name__ == "__main__":
    mode, target, *rest = sys.argv[1:]
    if mode == "hold":
        hold(target)
    else:
        churn(target, int(rest[0]))
