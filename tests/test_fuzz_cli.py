"""Adversarial file names and arguments for the safety commands: a one-line error, never a traceback."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main

NAMES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            ".",
            "..",
            "/",
            "a/b/c.db",
            "plan.db\x00.txt",
            "\ud800.db",
            "x" * 5000,
            "-",
            "--db",
            "~nobody/plan.db",
            "/proc/self/mem",
            "/dev/null",
            "con",
        ]
    ),
)
COMMANDS = st.sampled_from(
    [
        ["doctor"],
        ["doctor", "--format", "json"],
        ["backups"],
        ["restore"],
        ["restore", "1"],
        ["restore", "/nonexistent.db"],
    ]
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=COMMANDS, name=NAMES)
def test_safety_commands_survive_any_file_name(tmp_path: Path, command: list[str], name: str):
    # Only the read-only commands may look outside the test's folder.
    absolute = name.startswith("/") and command[0] != "restore"
    target = name if absolute else str(tmp_path / name.lstrip("/"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(
                [*command, "--db", target]
                if command[0] != "restore"
                else [command[0], "--db", target, *command[1:]]
            )
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    if code != 0:
        assert err.getvalue().startswith("planner: "), err.getvalue()
        assert err.getvalue().count("\n") == 1, err.getvalue()
