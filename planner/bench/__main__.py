"""`python -m planner.bench`: measure, print one table, write the same as JSON."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from planner.bench import generator, report, suite
from planner.bench.harness import (
    Measurement,
    ProbeFailed,
    Result,
    measure,
    probe_environment,
    profile,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m planner.bench",
        description="Measure the planner against the floor of the same work, as ratios.",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="fresh-process runs per figure; the median is reported (default 5)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 runs per figure: a rough look in a third of the time",
    )
    parser.add_argument(
        "--only",
        metavar="TEXT",
        action="append",
        default=[],
        help="only rows whose key contains TEXT (repeatable), e.g. startup",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size of the large plan relative to the issue's (default 1)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("bench-results"),
        help="folder for the JSON results and the cached plans",
    )
    parser.add_argument(
        "--team-url",
        metavar="URL",
        help="a PostgreSQL server (postgresql://user@host/db) for the team load test to make "
        "a scratch database on; by default it starts a throw-away server of its own",
    )
    parser.add_argument(
        "--team-seconds",
        type=float,
        default=suite.TEAM_SECONDS,
        help=f"how long the team load test's editors edit (default {suite.TEAM_SECONDS:g})",
    )
    parser.add_argument("--list", action="store_true", help="list the rows and exit")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of timing, run each selected row once under pyinstrument "
        "(pip install pyinstrument) and save its call tree in OUT/profiles",
    )
    return parser


def _prepare(files: suite.Files, rows: list[Measurement], out: Path) -> str | None:
    """Run the untimed set-up; a failure there is reported on the rows that needed it."""
    if not any(m.key.startswith(suite.PREPARED_ROWS) for m in rows):
        return None
    print("preparing the workbooks and the floors' inputs ...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as scratch:
        try:
            suite.prepare(files, rows, probe_environment(Path(scratch)))
        except ProbeFailed as exc:
            return str(exc)
    return None


def _profile(rows: list[Measurement], out_dir: Path, setup_error: str | None) -> int:
    if importlib.util.find_spec("pyinstrument") is None:
        print(
            "python -m planner.bench: error: --profile needs pyinstrument "
            "(pip install pyinstrument)",
            file=sys.stderr,
        )
        return 2
    failed = False
    for m in rows:
        if setup_error and m.key.startswith(suite.EXCEL_ROWS):
            print(f"{m.key}: not profiled: {setup_error}")
            failed = True
            continue
        try:
            for path in profile(m, out_dir):
                print(f"{m.key}: {path}")
        except ProbeFailed as exc:
            print(f"{m.key}: not profiled: {exc}")
            failed = True
    return 1 if failed else 0


def _compile_planner() -> None:
    """Measure the planner as installed: with its modules compiled to bytecode.

    pip and the frozen build compile every module when they install it, and
    Python caches what it compiles on import; but where PYTHONDONTWRITEBYTECODE
    is set (as on some build machines) nothing is cached, and every fresh
    process would compile the planner's hundred modules from source again,
    which is not what a user's start-up costs. The libraries in the virtual
    environment were compiled by pip already.
    """
    import compileall

    import planner

    compileall.compile_dir(Path(planner.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    runs = 3 if args.quick else args.runs
    if runs < 1 or args.scale <= 0 or not args.team_seconds > 0:
        print(
            "python -m planner.bench: error: --runs, --scale and --team-seconds must be positive",
            file=sys.stderr,
        )
        return 2
    if args.team_url is not None and not args.team_url.startswith(("postgresql:", "postgres:")):
        print(
            f"python -m planner.bench: error: --team-url {args.team_url!r} is not a PostgreSQL "
            "URL (postgresql://user@host/database)",
            file=sys.stderr,
        )
        return 2
    cache = args.out / "cache"
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    _compile_planner()
    print(f"preparing the plans in {cache} (cached between runs) ...", file=sys.stderr)
    files = suite.Files(
        demo=generator.demo_plan_file(cache),
        large=generator.large_plan_file(cache, args.scale),
        work=work,
        portfolio=generator.portfolio_plan_file(cache),
    )
    rows = [
        m
        for m in suite.measurements(files, suite.Team(args.team_url, args.team_seconds))
        if not args.only or any(text in m.key for text in args.only)
    ]
    if args.list:
        for m in rows:
            print(f"{m.key:28} {m.what}")
        return 0
    setup_error = _prepare(files, rows, args.out)
    if args.profile:
        return _profile(rows, args.out / "profiles", setup_error)
    results = []
    for m in rows:
        if setup_error and m.key.startswith(suite.EXCEL_ROWS):
            results.append(Result(m.key, m.what, error=setup_error))
            continue
        results.append(measure(m, runs, progress=lambda text: print(text, file=sys.stderr)))
    suite.annotate(results)
    doc = report.document(
        results,
        runs=runs,
        scale=args.scale,
        counts=generator.plan_counts(args.scale),
        folder=Path.cwd(),
    )
    path = report.write(doc, args.out)
    machine = doc["machine"]
    print(
        f"\n{runs} runs per figure, median; {machine['cpu']}, {machine['cores']} cores, "
        f"Python {machine['python']}; {time.monotonic() - started:.0f} s in all\n"
    )
    print(report.markdown_table(results))
    print(f"\nwritten to {path}")
    return 1 if any(r.error or r.broken for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
