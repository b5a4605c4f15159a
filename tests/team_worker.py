"""One planner user for the team-mode tests (run with `python -m tests.team_worker`).

`edit DB STAKEHOLDER_ID NOTES` reads the stakeholder (its version is what the
user sees), says `seen <version>`, waits for a line on stdin (the user typing),
then saves the notes from the version it saw and says `saved <version>`, or
`error <the one line>` and exits 1. The database may be a file or a server URL.
"""

from __future__ import annotations

import sys

from planner.domain.errors import PlannerError
from planner.persistence.database import open_database
from planner.services.planning import PlanService


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def edit(target: str, record_id: str, notes: str) -> int:
    reader = open_database(target, read_only=True)
    try:
        seen = PlanService(reader).get("stakeholder", record_id).version
    finally:
        reader.close()
    say(f"seen {seen}")
    sys.stdin.readline()
    db = open_database(target, if_locked="refuse")
    try:
        saved = PlanService(db).update("stakeholder", record_id, {"notes": notes}, version=seen)
    except PlannerError as exc:
        say(f"error {exc}")
        return 1
    finally:
        db.close()
    say(f"saved {saved.version}")
    return 0


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    assert command == "edit", command
    sys.exit(edit(*arguments))
