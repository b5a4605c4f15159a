"""The `planner` command line: one sub-command module each, in `planner.commands`.

Every user mistake ends as one line on stderr and a non-zero exit status;
a traceback means a bug.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from planner import __version__, collector
from planner.commands.output import printable_output
from planner.domain.errors import PlannerError
from planner.domain.quoting import one_line

# Each module defines `register(subparsers)` and `run(args) -> int`.
COMMAND_MODULES = (
    "demo",
    "check",
    "portfolio",
    "chart",
    "export",
    "import_",
    "report",
    "calendar",
    "doctor",
    "backups",
    "restore",
    "publish",
    "backup",
    "team",
    "history",
)

EXIT_USAGE = 2
EXIT_ERROR = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="planner", description="Change Readiness Planner")
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    parser.add_argument(
        "--db",
        metavar="DB",
        help="planner database: a file (default: planner.db in the user data folder) or a "
        "team server's postgresql://user@host[:port]/database",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"planner.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    collector.off_for_start_up()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        collector.start_up_done()
    try:
        if args.command is None:
            from planner.commands.window import run_window

            return run_window(args)
        with printable_output():
            return int(args.run(args))
    except PlannerError as exc:
        print(f"planner: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("planner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_ERROR
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"planner: error: {one_line(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
