"""The child side of the benchmark: one measurement in a fresh process.

`python -m planner.bench.probe TASK ARGS...` runs one task and prints one line,
`BENCH {json}`, as its last output: the seconds it measured (or, for start-up,
the monotonic clock reading when the window was painted, which the parent
subtracts from the moment it spawned the process; Linux's monotonic clock is
shared by all processes), the CPU seconds of the same span, and its own peak
resident memory. Only the standard
library is imported here, so that a floor process pays for nothing it does not
need.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MARKER = "BENCH "


def peak_rss_mb() -> float:
    """This process's peak resident set size so far.

    /proc's VmHWM belongs to this program alone; `ru_maxrss` would not do, as
    Linux carries the parent's high-water mark over a fork and exec into it.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Stopwatch:
    """Wall-clock and CPU seconds since it was made.

    CPU time is reported next to wall time because, on a shared machine, it
    moves far less with the neighbours' load.
    """

    def __init__(self) -> None:
        self._wall = time.perf_counter()
        self._cpu = _cpu_seconds()

    def read(self) -> dict[str, float]:
        return {"seconds": time.perf_counter() - self._wall, "cpu": _cpu_seconds() - self._cpu}


def _cpu_seconds() -> float:
    """This process's CPU time and that of the children it has waited for (the Excel
    export draws its charts in one), so that work moved to a child still counts."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def report(**values: Any) -> None:
    values.setdefault("peak_rss_mb", round(peak_rss_mb(), 1))
    sys.stdout.write(MARKER + json.dumps(values) + "\n")
    sys.stdout.flush()


def _tasks() -> dict[str, Callable[..., dict[str, Any]]]:
    """Task name -> function; the modules holding them are imported only for their own tasks."""

    def qt(name: str) -> Callable[..., dict[str, Any]]:
        def call(*args: str) -> dict[str, Any]:
            from planner.bench.qt import probes as qt_probes

            return getattr(qt_probes, name)(*args)  # type: ignore[no-any-return]

        return call

    def core(name: str) -> Callable[..., dict[str, Any]]:
        def call(*args: str) -> dict[str, Any]:
            from planner.bench import core_probes

            return getattr(core_probes, name)(*args)  # type: ignore[no-any-return]

        return call

    def team_load(*args: str) -> dict[str, Any]:
        from planner.bench.team_load import LoadFailed, team_load

        try:
            return team_load(*args)
        except LoadFailed as exc:
            raise SystemExit(str(exc)) from None

    return {
        "startup-app": qt("startup_app"),
        "startup-floor": qt("startup_floor"),
        "open-app": qt("open_app"),
        "open-floor": qt("open_floor"),
        "portfolio-page": qt("portfolio_page"),
        "ui-blocking": qt("ui_blocking"),
        "load-plan": core("load_plan"),
        "load-plan-floor": core("load_plan_floor"),
        "readiness": core("readiness"),
        "portfolio-check": core("portfolio_check"),
        "chart": core("chart"),
        "export": core("export"),
        "export-floor": core("export_floor"),
        "import": core("import_workbook"),
        "import-floor": core("import_floor"),
        "prepare-excel": core("prepare_excel"),
        "prepare-names": core("prepare_names"),
        "import-names": core("import_names"),
        "team-load": team_load,
    }


def main(argv: list[str]) -> int:
    tasks = _tasks()
    if not argv or argv[0] not in tasks:
        print(
            f"usage: python -m planner.bench.probe {{{','.join(tasks)}}} ARGS...", file=sys.stderr
        )
        return 2
    report(**tasks[argv[0]](*argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
