"""Probes of the Qt-free core (plan loading, readiness, charts, Excel), and their floors.

Each runs in a fresh process. Imports of the libraries involved happen before
the clock starts, for the planner and its floor alike, so that the figures
compare the work itself; start-up cost is measured on its own.
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from typing import Any

from planner.bench.generator import BENCH_TODAY
from planner.bench.probe import Stopwatch
from planner.domain.plan import Plan
from planner.persistence.database import open_database
from planner.persistence.tables import metadata
from planner.services.planning import PlanService

# Every table one initiative's plan is read from (single-initiative files: all rows).
PLAN_TABLES = tuple(metadata.tables)


def _plan(db: str) -> Plan:
    database = open_database(db)
    try:
        service = PlanService(database)
        return service.plan(service.find_initiative(None).id)
    finally:
        database.close()


def load_plan(db: str) -> dict[str, Any]:
    """Open the file and read the whole plan as domain records (`PlanService.plan`)."""
    watch = Stopwatch()
    plan = _plan(db)
    return {**watch.read(), "records": len(plan.all_records())}


def load_plan_floor(db: str) -> dict[str, Any]:
    """sqlite3 fetch of every row of the same tables."""
    watch = Stopwatch()
    connection = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    rows = sum(
        len(connection.execute(f"SELECT * FROM {table}").fetchall()) for table in PLAN_TABLES
    )
    connection.close()
    return {**watch.read(), "rows": rows}


def readiness(db: str) -> dict[str, Any]:
    """The readiness check on a plan already read (the window holds it when it checks)."""
    from planner.services.readiness import check

    plan = _plan(db)
    watch = Stopwatch()
    report = check(plan, BENCH_TODAY)
    return {**watch.read(), "findings": len(report.findings), "score": report.score}


def export(db: str, out: str) -> dict[str, Any]:
    """`planner export`'s work: open the file, read the plan, write the workbook."""
    import openpyxl  # noqa: F401  (imported before the clock, as the floor's is)

    from planner.services.excel.workbook import export_initiative

    watch = Stopwatch()
    database = open_database(db, read_only=True)
    try:
        service = PlanService(database)
        result = export_initiative(
            service, service.find_initiative(None).id, Path(out), today=BENCH_TODAY
        )
    finally:
        database.close()
    return {**watch.read(), "rows": sum(result.counts.values())}


def export_floor(cells: str, out: str) -> dict[str, Any]:
    """openpyxl write_only writing the same cell values, sheet by sheet."""
    from openpyxl import Workbook

    with open(cells, "rb") as handle:
        sheets: list[tuple[str, list[tuple[Any, ...]]]] = pickle.load(handle)
    watch = Stopwatch()
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(out)
    return {**watch.read(), "rows": sum(len(r) for _, r in sheets)}


def import_workbook(workbook: str, db: str, mode: str) -> dict[str, Any]:
    """`planner import [--dry-run]`'s work: read, check and compare; with `apply`, write."""
    import openpyxl  # noqa: F401  (imported before the clock, as the floor's is)

    from planner.services.excel.importer import apply_import, preview_import

    watch = Stopwatch()
    database = open_database(db, read_only=mode == "dry-run")
    try:
        service = PlanService(database)
        preview = preview_import(service, Path(workbook))
        created = 0
        if mode == "apply":
            created = apply_import(service, preview).created
    finally:
        database.close()
    return {**watch.read(), "created": created, "errors": len(preview.errors)}


def import_floor(workbook: str, rows: str, db: str) -> dict[str, Any]:
    """openpyxl read_only reading the workbook, plus sqlite3 executemany of the same rows."""
    from openpyxl import load_workbook

    with open(rows, "rb") as handle:
        tables: list[tuple[str, list[str], list[tuple[Any, ...]]]] = pickle.load(handle)
    watch = Stopwatch()
    book = load_workbook(workbook, read_only=True)
    cells = sum(len(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    book.close()
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("PRAGMA foreign_keys=ON")
        for table, columns, values in tables:
            marks = ", ".join("?" * len(columns))
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values
            )
    connection.close()
    return {**watch.read(), "cells": cells}


def prepare_excel(db: str, workbook: str, cells: str, rows: str, empty: str) -> dict[str, Any]:
    """Once per run, untimed: the real export, and what the Excel floors need from it."""
    from openpyxl import load_workbook

    export(db, workbook)
    book = load_workbook(workbook, read_only=True)
    sheets = [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
    book.close()
    with open(cells, "wb") as handle:
        pickle.dump(sheets, handle)
    connection = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    tables = []
    for table in PLAN_TABLES:
        cursor = connection.execute(f"SELECT * FROM {table}")
        tables.append((table, [d[0] for d in cursor.description], cursor.fetchall()))
    connection.close()
    with open(rows, "wb") as handle:
        pickle.dump(tables, handle)
    Path(empty).unlink(missing_ok=True)
    open_database(empty).close()
    return {"seconds": 0.0, "sheets": len(sheets)}


def chart(db: str, kind: str, out: str) -> dict[str, Any]:
    """One chart of a plan already read, built and rendered to PNG (matplotlib imported first)."""
    watch = Stopwatch()
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401

    imported = watch.read()["seconds"]
    from planner.charts import build_chart, render

    plan = _plan(db)
    watch = Stopwatch()
    render(build_chart(kind, plan, today=BENCH_TODAY), out)
    return {**watch.read(), "matplotlib_import_s": imported}


def prepare_names(out: str, rows: str, empty: str, unknown: str = "0") -> dict[str, Any]:
    """Once per run, untimed: a workbook of `rows` stakeholders with only a name each
    (and a number in each of `unknown` columns the planner does not know, for a wide
    workbook), and the empty file its dry run reads against."""
    from openpyxl import Workbook

    from planner.services.excel.layout import SHEET_TITLES, layouts

    workbook = Workbook(write_only=True)
    initiative = workbook.create_sheet(SHEET_TITLES["initiative"])
    initiative.append(["Name", "Status"])
    initiative.append(["Name-only import", "Planning"])
    stakeholders = next(item for item in layouts() if item.kind == "stakeholder")
    headers = [column.header for column in stakeholders.columns]
    extra = int(unknown)
    sheet = workbook.create_sheet(SHEET_TITLES["stakeholder"])
    sheet.append([*headers, *(f"Extra {n + 1}" for n in range(extra))])
    blank: list[Any] = [None] * len(headers)
    at = headers.index("Name")
    for number in range(int(rows)):
        row = list(blank)
        row[at] = f"Stakeholder {number:06d}"
        sheet.append([*row, *(number * 1.5 + n for n in range(extra))])
    workbook.save(out)
    if not Path(empty).exists():
        open_database(empty).close()
    return {"seconds": 0.0, "rows": int(rows), "unknown_columns": extra}


def import_names(workbook: str, db: str) -> dict[str, Any]:
    """`planner import --dry-run` of a big name-only workbook, refused or not: what it
    costs is the point (peak memory per data row), so a refusal is a result too."""
    import openpyxl  # noqa: F401  (imported before the clock)

    from planner.domain.errors import PlannerError
    from planner.services.excel.importer import preview_import

    watch = Stopwatch()
    database = open_database(db, read_only=True)
    try:
        preview = preview_import(PlanService(database), Path(workbook))
        outcome: dict[str, Any] = {"problems": len(preview.problems), "refused": ""}
    except PlannerError as exc:
        outcome = {"problems": 0, "refused": str(exc)}
    finally:
        database.close()
    return {**watch.read(), **outcome}


def portfolio_check(shape: str = "tree") -> dict[str, Any]:
    """The portfolio's load and check over 20 initiatives' plans already read, their
    units a tree (or, given "flat", the earlier benchmark's 120 teams with no parent)."""
    from planner.bench.portfolio_plans import build_portfolio_plans
    from planner.services import portfolio

    plans, units = build_portfolio_plans(shape="flat" if shape == "flat" else "tree")
    watch = Stopwatch()
    result = portfolio.compute(plans, units)
    return {
        **watch.read(),
        "initiatives": len(plans),
        "units": len(units),
        "findings": len(result.findings),
    }
