"""The steering-committee pack of an initiative, as PDF or PowerPoint.

    write_report(plan, "pack.pdf", today=..., privacy=Privacy.CODES, paper="letter")

One `Pack` (content.py) says what the committee sees; pdf.py and slides.py lay
it out. The file is written whole or not at all: a temporary file beside the
target is renamed over it only once complete.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path

from planner.charts.privacy import Privacy
from planner.domain.errors import PlannerError
from planner.domain.plan import Plan
from planner.services.output import write_whole

REPORT_SUFFIXES = (".pdf", ".pptx")

Progress = Callable[[str], None]


class ReportError(PlannerError):
    """A pack cannot be written as asked."""


def check_report_output(path: str | Path) -> Path:
    """Refuse an output the pack cannot be written to, before any work is done."""
    out = Path(path)
    if out.suffix.lower() not in REPORT_SUFFIXES:
        shown = out.suffix or "no suffix"
        raise ReportError(f"cannot write a report to {out.name} ({shown}): name it .pdf or .pptx")
    if out.is_dir():
        raise ReportError(f"cannot write the report to {out}: it is a folder")
    if not out.parent.is_dir():
        raise ReportError(f"cannot write the report to {out}: folder {out.parent} does not exist")
    return out


def write_report(
    plan: Plan,
    path: str | Path,
    *,
    today: date | None = None,
    privacy: Privacy = Privacy.OFF,
    paper: str = "a4",
    progress: Progress | None = None,
) -> Path:
    """Check the plan, lay out its pack and write it to `path` (.pdf or .pptx)."""
    from planner.services.readiness import check
    from planner.services.report.content import build_pack

    out = check_report_output(path)
    say = progress or (lambda _step: None)
    say("Checking readiness")
    report = check(plan, today)
    pack = build_pack(plan, report, privacy)
    say("Drawing charts and laying out pages")
    with warnings.catch_warnings():
        # matplotlib's layout advice on a crowded panel is for developers, not users.
        warnings.filterwarnings("ignore", message="constrained_layout not applied")
        if out.suffix.lower() == ".pdf":
            from planner.services.report.pdf import PAPERS, pdf_bytes

            if paper not in PAPERS:
                raise ReportError(f"unknown paper size {paper!r} (use {' or '.join(PAPERS)})")
            data = pdf_bytes(pack, plan, paper)
        else:
            from planner.services.report.slides import pptx_bytes

            data = pptx_bytes(pack, plan)
    say("Writing the file")
    try:
        write_whole(out, data)
    except OSError as exc:
        raise ReportError(f"cannot write the report to {out}: {exc.strerror or exc}") from None
    return out
