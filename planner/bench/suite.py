"""What is measured, against which floor and which target (the issue's table, row by row)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.bench.harness import Measurement, Result, run_probe

STARTUP_RATIO = 1.5
OPEN_RATIO = 3.0
EXPORT_RATIO = 1.5
IMPORT_RATIO = 2.5
READINESS_SECONDS = 0.1
PORTFOLIO_SECONDS = 0.2
BLOCKING_SECONDS = 0.1
PEAK_MB = 300.0
IMPORT_PEAK_MB = 500.0
IMPORT_KB_PER_ROW = 2.0
# Name-only workbooks: the 250,000 rows (over the reader's row limits, so
# refused) and the biggest one accepted (100,000 rows in all, the initiative's included).
NAME_ONLY_ROWS = (250_000, 99_999)
# A wide workbook: the biggest name-only sheet accepted with numbers in 128 columns the
# planner does not know (about 400 MB of sheet XML, just under the zip guard's 512 MB).
WIDE_ROWS, WIDE_COLUMNS = 99_999, 128
# Rows that start from the large plan's export (made once per run, untimed).
EXCEL_ROWS = ("excel.", "ui.")
# Rows that need some untimed set-up before they run (the Excel rows and the memory rows).
PREPARED_ROWS = (*EXCEL_ROWS, "memory.")
WIDE_KEY = "memory.wide"
TEAM_KEY = "team.load"
TEAM_SECONDS = 60.0


@dataclass(frozen=True)
class Team:
    """Where the team load test runs: `url` a server to make a scratch database on (None:
    a throw-away cluster of the bench's own), for `seconds`."""

    url: str | None = None
    seconds: float = TEAM_SECONDS


@dataclass(frozen=True)
class Files:
    demo: Path
    large: Path
    work: Path
    portfolio: Path | None = None
    """The 20-initiative portfolio as a planner file (for the Portfolio page's probe)."""

    @property
    def workbook(self) -> Path:
        """The large plan's export, which the imports read."""
        return self.work / "large.xlsx"

    @property
    def cells(self) -> Path:
        """That export's cell values, for the export floor."""
        return self.work / "cells.pickle"

    @property
    def rows(self) -> Path:
        """The large plan's table rows, for the import floor."""
        return self.work / "rows.pickle"

    @property
    def empty(self) -> Path:
        """A new, empty planner file: the import target."""
        return self.work / "empty.db"

    def names(self, rows: int) -> Path:
        """A workbook of `rows` stakeholders with only a name each."""
        return self.work / f"names-{rows}.xlsx"

    @property
    def wide(self) -> Path:
        """The name-only workbook with `WIDE_COLUMNS` unknown number columns as well."""
        return self.work / f"wide-{WIDE_ROWS}x{WIDE_COLUMNS}.xlsx"

    @property
    def export_out(self) -> Path:
        return self.work / "export.xlsx"

    @property
    def floor_out(self) -> Path:
        return self.work / "export-floor.xlsx"


def available(module: str) -> bool:
    """Whether a feature has landed (its module exists), without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def measurements(files: Files, team: Team | None = None) -> list[Measurement]:
    demo, large = str(files.demo), str(files.large)
    return [
        Measurement(
            "startup.demo",
            "start-up to main window painted, demo plan",
            ("startup-app", demo),
            ("startup-floor", demo),
            max_ratio=STARTUP_RATIO,
            warmup=True,
        ),
        Measurement(
            "startup.large",
            "start-up to main window painted, large plan",
            ("startup-app", large),
            ("startup-floor", large),
            max_ratio=STARTUP_RATIO,
            warmup=True,
        ),
        Measurement(
            "open.large",
            "open the large plan, stakeholder table painted",
            ("open-app", large),
            ("open-floor", large),
            max_ratio=OPEN_RATIO,
            max_peak_mb=PEAK_MB,
        ),
        Measurement(
            "load.large",
            "read the whole large plan (PlanService.plan)",
            ("load-plan", large),
            ("load-plan-floor", large),
        ),
        *_readiness(files),
        *_charts(files),
        *_excel(files),
        *_blocking(files),
        _team_load(team or Team()),
    ]


def _readiness(files: Files) -> list[Measurement]:
    if not available("planner.services.readiness"):
        return []
    return [
        Measurement(
            "readiness.large",
            "readiness check, large plan",
            ("readiness", str(files.large)),
            max_seconds=READINESS_SECONDS,
        ),
        *_portfolio(files),
    ]


def _portfolio(files: Files) -> list[Measurement]:
    if not available("planner.services.portfolio"):
        return []
    page = []
    if files.portfolio is not None and available("planner.ui.portfolio_view"):
        page.append(
            Measurement(
                "portfolio.page",
                "open the 20-initiative file, Portfolio page's heatmap painted (vs the large "
                "plan's open floor: the open target)",
                ("portfolio-page", str(files.portfolio)),
                ("open-floor", str(files.large)),
                max_ratio=OPEN_RATIO,
            )
        )
    return [
        Measurement(
            "portfolio.20",
            "portfolio load and check, 20 initiatives sharing 120 units in a tree",
            ("portfolio-check",),
            max_seconds=PORTFOLIO_SECONDS,
        ),
        *page,
    ]


def _charts(files: Files) -> list[Measurement]:
    if not available("planner.charts.export"):
        return []
    from planner.charts import CHART_KINDS

    return [
        Measurement(
            f"chart.{kind}",
            f"chart {kind} to PNG, large plan",
            ("chart", str(files.large), kind, str(files.work / f"{kind}.png")),
        )
        for kind in CHART_KINDS
    ]


def _excel(files: Files) -> list[Measurement]:
    if not available("planner.services.excel.importer"):
        return []
    book, empty = str(files.workbook), str(files.empty)
    import_floor = ("import-floor", book, str(files.rows), empty)
    return [
        Measurement(
            "excel.export",
            "Excel export, large plan",
            ("export", str(files.large), str(files.export_out)),
            ("export-floor", str(files.cells), str(files.floor_out)),
            max_ratio=EXPORT_RATIO,
        ),
        Measurement(
            "excel.import.dry",
            "Excel import dry run of that export, into an empty file",
            ("import", book, empty, "dry-run"),
            import_floor,
            max_ratio=IMPORT_RATIO,
            fresh=(empty,),
        ),
        Measurement(
            "excel.import.apply",
            "Excel import of that export, applied to an empty file",
            ("import", book, empty, "apply"),
            import_floor,
            max_ratio=IMPORT_RATIO,
            fresh=(empty,),
        ),
        *(
            Measurement(
                f"memory.names.{rows}",
                f"Excel import dry run, {rows:,} name-only stakeholder rows, peak memory",
                ("import-names", str(files.names(rows)), empty),
                max_peak_mb=IMPORT_PEAK_MB,
            )
            for rows in NAME_ONLY_ROWS
        ),
        Measurement(
            WIDE_KEY,
            f"Excel import dry run, {WIDE_ROWS:,} name-only rows with {WIDE_COLUMNS} unknown "
            "number columns, peak memory",
            ("import-names", str(files.wide), empty),
            max_peak_mb=IMPORT_PEAK_MB,
        ),
    ]


def _blocking(files: Files) -> list[Measurement]:
    if not (available("planner.services.excel.importer") and available("planner.ui.workers")):
        return []
    empty = str(files.empty)
    return [
        Measurement(
            "ui.export",
            "longest event-loop block, export from the window",
            ("ui-blocking", str(files.large), "export", str(files.export_out)),
            max_seconds=BLOCKING_SECONDS,
        ),
        Measurement(
            "ui.import",
            "longest event-loop block, import into the window's empty file",
            ("ui-blocking", empty, "import", str(files.workbook)),
            max_seconds=BLOCKING_SECONDS,
            fresh=(empty,),
        ),
    ]


def _team_load(team: Team) -> Measurement:
    from planner.bench.team_load import EDITORS
    from planner.bench.team_server import why_no_server

    return Measurement(
        TEAM_KEY,
        f"{EDITORS} editors saving one team plan for {team.seconds:g} s",
        ("team-load", team.url or "", f"{team.seconds:g}", str(EDITORS)),
        runs=1,
        limits=(("lost", 0, "edits lost or silently overwritten"),),
        skip=None if team.url else why_no_server(),
    )


def prepare(files: Files, rows: Sequence[Measurement], env: dict[str, str]) -> None:
    """Untimed set-up some rows need (the export their floors and imports start from)."""
    if any(m.key.startswith(EXCEL_ROWS) for m in rows):
        run_probe(
            (
                "prepare-excel",
                str(files.large),
                str(files.workbook),
                str(files.cells),
                str(files.rows),
                str(files.empty),
            ),
            env,
        )
    for count in NAME_ONLY_ROWS:
        if any(m.key == f"memory.names.{count}" for m in rows):
            run_probe(("prepare-names", str(files.names(count)), str(count), str(files.empty)), env)
    if any(m.key == WIDE_KEY for m in rows):
        run_probe(
            ("prepare-names", str(files.wide), str(WIDE_ROWS), str(files.empty), str(WIDE_COLUMNS)),
            env,
        )


def annotate(results: Sequence[Result]) -> None:
    """Notes that relate rows to each other (the readiness check's share of start-up)."""
    by_key = {r.key: r for r in results}
    startup = by_key.get("startup.large")
    readiness = by_key.get("readiness.large")
    if startup and readiness and startup.median_s and readiness.median_s:
        share = readiness.median_s / startup.median_s
        readiness.note = f"{share:.0%} of the large plan's start-up"
    for key, count in (
        *((f"memory.names.{count}", count) for count in NAME_ONLY_ROWS),
        (WIDE_KEY, WIDE_ROWS),
    ):
        names = by_key.get(key)
        if names and names.peak_rss_mb:
            per_row = names.peak_rss_mb * 1024 / count
            names.note = f"{per_row:.2f} KB per data row, target ≤ {IMPORT_KB_PER_ROW:g} KB"
            if per_row > IMPORT_KB_PER_ROW:
                names.misses.append(f"{per_row:.2f} KB per row > {IMPORT_KB_PER_ROW:g} KB")
    team = by_key.get(TEAM_KEY)
    if team and team.extra:
        team.note = team_note(team.extra)
        team.broken += [f"lost: {problem}" for problem in team.extra.get("problems", [])]


def team_note(figures: dict[str, Any]) -> str:
    """The load test's figures in one line of the table."""

    def ms(name: str) -> str:
        value = figures.get(name)
        return "—" if value is None else f"{value:.0f} ms"

    return (
        f"{figures['edits_per_s']:.1f} edits/s ({figures['edits']} saves); "
        f"save p50 {ms('save_p50_ms')}, p95 {ms('save_p95_ms')}; "
        f"refresh reaching the others p50 {ms('refresh_p50_ms')}, p95 {ms('refresh_p95_ms')} "
        f"({figures['refreshes']} heard, {figures['refreshes_missed']} missed); "
        f"{figures['conflicts']} conflicts retried; {figures['lost']} lost"
    )
