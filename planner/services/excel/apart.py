"""Running a slow step of the Excel exchange in a child process, for a window's sake.

A window runs slow work on a worker thread, but a thread still shares the
interpreter lock and the garbage collector with the UI thread: openpyxl's
reader over lxml and matplotlib's renderer hold the lock for a quarter of a
second at a time, and a collection over the millions of objects an export
makes stops every thread. A child process (a fresh interpreter, never a fork of a Qt process) shares
neither. It is the planner's own program with `--excel-child ROLE ARGS`
(`python -m planner ...`, or the frozen executable itself), which
`planner/__main__.py` hands to `run_child` before anything else.

The child writes pickled messages to its standard output: `("progress",
fraction, text)` as it goes, then its own result messages; `("refused",
error)` for a user's mistake (a `PlannerError`, raised again in the parent)
and `("failed", text)` for anything else. The parent asks it to stop by
closing the child's standard input; the child's progress then reports
cancelled, so it stops the way the work stops on Cancel (cleaning up after
itself), and it stops too if the parent dies.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

from planner.domain.errors import Cancelled, PlannerError
from planner.services.excel.progress import Progress

Message = tuple[Any, ...]
MORE = object()
CHILD_FLAG = "--excel-child"
CANCEL_POLL_S = 0.1


class ChildFailed(PlannerError):
    """The child process stopped without finishing its work."""


def child_command(role: str, args: list[str]) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG, role, *args]
    return [sys.executable, "-m", "planner", CHILD_FLAG, role, *args]


CHILD_NICENESS = 10


def run_child(argv: list[str]) -> int:
    """The child's side: `ROLE ARGS...` after `--excel-child`."""
    role, args = argv[0], argv[1:]
    # Background work: where it must share the cores with the window (and the
    # window's worker thread), the system lets the window go first, so that a
    # thread holding the window's interpreter lock is not the one made to wait.
    if hasattr(os, "nice"):
        os.nice(CHILD_NICENESS)
    if role == "read-workbook":
        from planner.services.excel.reader_process import child_main
    elif role == "export":
        from planner.services.excel.export_process import child_main
    elif role == "draw-charts":
        from planner.services.excel.chart_images import child_main
    else:
        print(f"planner: error: unknown child role {role!r}", file=sys.stderr)
        return 2
    child_main(args)
    return 0


def run_apart(
    role: str, args: list[str], progress: Progress, receive: Callable[[Message], Any], what: str
) -> Any:
    """Run the child `role` and hand its messages to `receive` until it returns a result.

    `receive` returns `MORE` for a message that does not end the work.
    """
    command = child_command(role, args)
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as child:
        assert child.stdin is not None and child.stdout is not None
        ended = threading.Event()
        watcher = threading.Thread(
            target=_pass_on_cancel, args=(progress, child.stdin, ended), daemon=True
        )
        watcher.start()
        try:
            while True:
                try:
                    message = pickle.load(child.stdout)
                except (EOFError, pickle.UnpicklingError):
                    progress.check()
                    raise ChildFailed(
                        f"{what} stopped unexpectedly (the process doing it "
                        f"ended with status {child.wait()})"
                    ) from None
                kind = message[0]
                if kind == "progress":
                    progress.step(message[1], message[2])
                elif kind == "refused":
                    raise message[1]
                elif kind == "failed":
                    raise ChildFailed(f"{what} failed: {message[1]}")
                else:
                    result = receive(message)
                    if result is not MORE:
                        return result
        finally:
            ended.set()
            watcher.join()
            if not child.stdin.closed:
                child.stdin.close()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


def _pass_on_cancel(progress: Progress, stdin: IO[bytes], ended: threading.Event) -> None:
    """Closes the child's input (its signal to stop) as soon as the work is cancelled."""
    while not ended.wait(CANCEL_POLL_S):
        if progress.cancelled is not None and progress.cancelled():
            stdin.close()
            return


class Sender:
    """The child's side: messages to the parent, and whether the parent asked it to stop."""

    def __init__(self, out: IO[bytes], stop: int, what: str) -> None:
        self._out = out
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.progress = Progress(
            lambda fraction, text: self.send("progress", fraction, text), self._stopped.is_set, what
        )
        threading.Thread(target=self._watch, args=(stop,), daemon=True).start()

    def _watch(self, stop: int) -> None:
        # The file descriptor, not sys.stdin: a daemon thread blocked in a
        # buffered reader would hold its lock when the interpreter shuts down.
        while os.read(stop, 4096):
            pass
        self._stopped.set()

    def send(self, *message: Any) -> None:
        with self._lock:
            pickle.dump(message, self._out, protocol=pickle.HIGHEST_PROTOCOL)
            self._out.flush()


def serve(work: Callable[[Sender], None], what: str) -> None:
    """Run the child's `work`, reporting its errors to the parent as messages."""
    sender = Sender(sys.stdout.buffer, sys.stdin.fileno(), what)
    try:
        work(sender)
    except Cancelled:
        return
    except PlannerError as exc:
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an error that cannot travel goes as its message
            exc = PlannerError(str(exc))
        sender.send("refused", exc)
    except Exception as exc:  # noqa: BLE001 - a bug: one line to the parent, never lost
        sender.send("failed", f"{type(exc).__name__}: {str(exc)[:160]}")
