"""A full check of a database file, for `planner doctor` and Help → Check database.

Everything here reads: the file is opened read-only and nothing beside it is
created, so the doctor can be run on a damaged file, on a file another planner
has open, or on a read-only disk. Opening the file in the planner runs only
`quick_check`; the doctor adds `integrity_check` (every page, every index) and
`foreign_key_check`, compares every schema object with the planner's own
(a table replaced by a view, a trigger, a changed column), and looks at the
lock, the journal and the backups.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from planner.domain.quoting import one_line, shown
from planner.domain.records import unit_loop, unit_loop_text
from planner.domain.unit_names import similar_pairs
from planner.domain.wording import plural
from planner.persistence.backup import list_backups, quick_check
from planner.persistence.errors import DatabaseError, sqlite_said
from planner.persistence.inspection import check_file_kind, file_path, has_hot_journal
from planner.persistence.lock import ForeignLockError, current_holder
from planner.persistence.rows import diagnose
from planner.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from planner.persistence.schema_objects import foreign_objects
from planner.persistence.tables import TABLES
from planner.persistence.untrusted import interrupted, open_read_only, too_long

_MAX_PROBLEMS = 20
_MAX_SHOWN = 5
_MARKS = {"ok": "ok     ", "warning": "warning", "problem": "PROBLEM"}


class Status(StrEnum):
    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


@dataclass
class DoctorReport:
    path: Path | str
    """The file checked, or a server database's URL (`server_doctor`)."""
    checks: list[Check] = field(default_factory=list)

    @property
    def file(self) -> Path:
        """The file checked (the checks of a file only)."""
        assert isinstance(self.path, Path)
        return self.path

    @property
    def healthy(self) -> bool:
        return all(check.status is not Status.PROBLEM for check in self.checks)

    @property
    def problems(self) -> list[Check]:
        return [check for check in self.checks if check.status is Status.PROBLEM]

    def add(self, name: str, status: Status, detail: str) -> None:
        """One check; its detail is kept to one printable line (the last defence, should
        a file's text reach it unquoted)."""
        self.checks.append(Check(name, status, one_line(detail)))

    def lines(self) -> list[str]:
        """The report as the command line prints it and Help → Check database shows it."""
        return [f"Checking {self.path}"] + [
            f"  {_MARKS[check.status]}  {check.name}: {check.detail}" for check in self.checks
        ]

    def summary(self) -> str:
        """One line: healthy, or the first problem."""
        if self.healthy:
            name = self.path.name if isinstance(self.path, Path) else self.path
            return f"{name} passed every check"
        first = self.problems[0]
        return (
            f"{self.path} has {plural(len(self.problems), 'problem')}; {first.name}: {first.detail}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "healthy": self.healthy,
            "checks": [
                {"name": c.name, "status": str(c.status), "detail": c.detail} for c in self.checks
            ],
        }


def doctor(path: Path) -> DoctorReport:
    """Check `path` thoroughly without changing it; raises DatabaseError only if it is missing."""
    path = file_path(path)
    report = DoctorReport(path)
    try:
        exists = check_file_kind(path)
    except DatabaseError as exc:
        report.add("file", Status.PROBLEM, str(exc))
        _check_backups(report)
        return report
    if not exists:
        raise DatabaseError(f"{path} does not exist")
    report.add("file", Status.OK, f"an SQLite file of {path.stat().st_size} bytes")
    locked = _check_lock(report)
    if has_hot_journal(path) and not locked:
        report.add(
            "journal",
            Status.WARNING,
            "a change was interrupted by a crash; it is rolled back the next time the "
            "planner opens the file",
        )
        _check_backups(report)
        return report
    _check_contents(report)
    _check_backups(report)
    return report


def _check_lock(report: DoctorReport) -> bool:
    """Report the lock; whether a planner holds the file now."""
    try:
        locked, holder = current_holder(report.file)
    except ForeignLockError as exc:
        report.add("lock", Status.PROBLEM, str(exc))
        return False
    if locked:
        who = holder.describe() if holder else "another process"
        report.add("lock", Status.OK, f"open for writing by {who}")
    elif holder is not None:
        report.add(
            "lock",
            Status.OK,
            f"a lock left by {holder.describe()}, which has stopped; "
            f"the next planner to open the file takes it over",
        )
    else:
        report.add("lock", Status.OK, "not open in any planner")
    return locked


def _check_contents(report: DoctorReport) -> None:
    path = report.file
    try:
        conn, deadline = open_read_only(path)
    except sqlite3.Error as exc:
        report.add("integrity", Status.PROBLEM, f"cannot open the file: {exc}")
        return
    try:
        # The schema first: it reads only the schema, and names what a hand-edited
        # file changed even where that also shows as damage below.
        schema_ok = _check_schema(report, conn)
        deadline.start()
        rows = [
            " ".join(str(r[0]).split())
            for r in conn.execute(f"PRAGMA integrity_check({_MAX_PROBLEMS})")
        ]
        if rows == ["ok"]:
            report.add("integrity", Status.OK, "integrity_check found no damage")
        else:
            report.add(
                "integrity",
                Status.PROBLEM,
                f"damaged: {plural(len(rows), 'problem')}, first: {sqlite_said(rows[0])}",
            )
            return
        deadline.start()
        violations = conn.execute("PRAGMA foreign_key_check").fetchall()
        if violations:
            tables = sorted({str(v[0]) for v in violations})
            report.add(
                "foreign keys",
                Status.PROBLEM,
                f"{plural(len(violations), 'row')} {'points' if len(violations) == 1 else 'point'} at records that do not exist "
                f"(in {', '.join(tables)})",
            )
        else:
            report.add("foreign keys", Status.OK, "every reference points at a record")
        if schema_ok:
            deadline.start()
            _check_values(report, conn)
            _check_unit_loops(report, conn)
            _check_unit_names(report, conn)
    except sqlite3.Error as exc:
        if interrupted(exc):
            report.add("integrity", Status.PROBLEM, str(too_long(str(path))))
        else:
            report.add("integrity", Status.PROBLEM, f"damaged: {sqlite_said(exc)}")
    finally:
        conn.close()


def _check_schema(report: DoctorReport, conn: sqlite3.Connection) -> bool:
    """Whether the file holds the planner's own schema at the current revision."""
    kinds = dict(
        conn.execute(
            "SELECT name, type FROM sqlite_schema WHERE name IN ('alembic_version', 'initiative')"
        ).fetchall()
    )
    if not kinds.keys() >= {"alembic_version", "initiative"}:
        report.add("schema", Status.PROBLEM, "an SQLite database, but not a planner database")
        return False
    if set(kinds.values()) != {"table"}:
        report.add("schema", Status.PROBLEM, "the version table or the initiatives are not tables")
        return False
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = str(row[0]) if row else None
    if revision == HEAD_REVISION:
        report.add("schema", Status.OK, f"revision {revision}, current")
    elif revision in KNOWN_REVISIONS:
        report.add(
            "schema",
            Status.WARNING,
            f"revision {revision}, older: upgraded (after a backup) when next opened",
        )
    else:
        report.add(
            "schema",
            Status.PROBLEM,
            f"revision {shown(revision)}, written by a newer planner or unknown",
        )
        return False
    problems = foreign_objects(conn, revision, remembered=False)
    if problems:
        listed = "; ".join(problems[:_MAX_SHOWN])
        more = f"; and {len(problems) - _MAX_SHOWN} more" if len(problems) > _MAX_SHOWN else ""
        report.add(
            "schema objects",
            Status.PROBLEM,
            f"{plural(len(problems), 'difference')} from the planner's own schema: {listed}{more}; "
            f"nothing in the file was run: `planner doctor --db {report.path} --repair "
            f"CLEAN.db` copies its data into a clean file",
        )
    else:
        report.add(
            "schema objects",
            Status.OK,
            "tables, columns, keys and indexes are the planner's own; no trigger, no view",
        )
    return not problems and revision == HEAD_REVISION


_MAX_BAD_VALUES = 1000


def _check_values(report: DoctorReport, conn: sqlite3.Connection) -> None:
    """Every stored value no record could hold (a choice, a date, a NULL, a missing column)."""
    bad = 0
    for kind in TABLES:
        for problem in diagnose(conn.execute, kind):
            bad += 1
            if bad <= _MAX_BAD_VALUES:
                report.add("values", Status.PROBLEM, str(problem))
    if bad > _MAX_BAD_VALUES:
        report.add("values", Status.PROBLEM, f"{bad} bad values in all; the first are listed")
    elif not bad:
        report.add("values", Status.OK, "every stored value can be read")


def _check_unit_loops(report: DoctorReport, conn: sqlite3.Connection) -> None:
    """Units inside themselves (a unit its own parent, A in B in A), each loop once."""
    rows = conn.execute("SELECT id, name, parent_unit_id FROM unit").fetchall()
    names = {str(row[0]): str(row[1]) for row in rows}
    parents = {str(row[0]): (str(row[2]) if row[2] is not None else None) for row in rows}
    reported: set[str] = set()
    for unit_id in parents:
        if unit_id in reported:
            continue
        loop = unit_loop(unit_id, parents)
        if loop is not None:
            reported.update(loop)
            text = unit_loop_text([names[i] for i in loop], "the file puts")
            report.add("units", Status.PROBLEM, f"{text}; change a parent unit")


_MAX_NAME_PAIRS = 50


def _check_unit_names(report: DoctorReport, conn: sqlite3.Connection) -> None:
    """Units whose names differ only in case, spacing, punctuation or a typo: perhaps the
    same people twice, whose change load the portfolio then splits. A warning, one line a
    pair: the file is sound, and only the user knows whether they are one unit."""
    names = [str(row[0]) for row in conn.execute("SELECT name FROM unit")]
    pairs = similar_pairs(names)
    for first, second in pairs[:_MAX_NAME_PAIRS]:
        report.add(
            "unit names",
            Status.WARNING,
            f"‘{shown(first)}’ and ‘{shown(second)}’ are nearly the same name; if they are "
            f"the same people, link their stakeholders to one and delete the other, "
            f"else rename one",
        )
    if len(pairs) > _MAX_NAME_PAIRS:
        report.add(
            "unit names",
            Status.WARNING,
            f"{len(pairs)} pairs of nearly the same name in all; the first are listed",
        )


def _check_backups(report: DoctorReport) -> None:
    backups = list_backups(report.file)
    if not backups:
        report.add(
            "backups",
            Status.WARNING,
            "no backup yet (one is taken when the file is next opened after a change)",
        )
        return
    for info in backups:
        if quick_check(info.path) == "ok":
            report.add(
                "backups",
                Status.OK,
                f"{plural(len(backups), 'backup')}; newest good one: {info.describe()} at {info.path}",
            )
            return
    report.add(
        "backups",
        Status.PROBLEM,
        f"none of the {plural(len(backups), 'backup')} passes quick_check",
    )
