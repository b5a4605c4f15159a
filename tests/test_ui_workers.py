"""Background work: results and errors arrive on the main thread, progress is shown, cancel works."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from planner.domain.errors import Cancelled, DomainError
from planner.ui.workers import Job, TaskRunner


def test_result_and_progress_arrive_on_the_main_thread(qtbot):
    runner = TaskRunner()
    seen: dict = {}
    progress: list[tuple[int, int, str]] = []
    runner.progressed.connect(lambda job, done, total, text: progress.append((done, total, text)))

    def work(job: Job) -> str:
        seen["worker"] = threading.get_ident()
        for i in range(3):
            job.progress(i + 1, 3, f"step {i + 1}")
        return "built"

    def done(result: str) -> None:
        seen["result"] = result
        seen["on_main"] = QThread.currentThread() is qtbot_app_thread

    qtbot_app_thread = QThread.currentThread()
    runner.start("Building", work, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=10_000)
    assert seen["result"] == "built" and seen["on_main"]
    assert seen["worker"] != threading.get_ident()
    qtbot.waitUntil(lambda: len(progress) == 3)
    assert progress[-1] == (3, 3, "step 3")
    assert runner.running == []


def test_a_planner_error_becomes_its_message_and_cancel_ends_quietly(qtbot):
    runner = TaskRunner()
    errors: list[str] = []
    runner.start(
        "Failing",
        lambda job: (_ for _ in ()).throw(DomainError("sheet 'Risks': bad")),
        on_error=errors.append,
    )
    qtbot.waitUntil(lambda: errors == ["sheet 'Risks': bad"], timeout=10_000)

    gate = threading.Event()
    finished: list[object] = []

    def slow(job: Job) -> None:
        gate.wait(10)
        if job.cancelled:
            raise Cancelled()

    job = runner.start("Slow", slow, on_done=finished.append, on_error=finished.append)
    ended: list[Job] = []
    runner.ended.connect(ended.append)
    job.cancel()
    gate.set()
    qtbot.waitUntil(lambda: ended == [job], timeout=10_000)
    # Said in one line like any planner error, and never as a result.
    assert finished == ["the operation was cancelled; nothing was changed"]
    assert runner.running == []
