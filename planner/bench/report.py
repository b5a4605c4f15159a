"""The results as one table for people and one JSON document for comparing runs over time."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from planner.bench.harness import Result

COLUMNS = ("what", "median", "floor", "ratio", "CPU ratio", "peak MB", "target", "verdict")
_PACKAGES = ("PySide6-Essentials", "SQLAlchemy", "matplotlib", "openpyxl")


def machine() -> dict[str, Any]:
    """What the figures were measured on: they mean little without it."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": versions,
    }


def git_commit(folder: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _target(result: Result) -> str:
    parts = []
    if "max_ratio" in result.targets:
        parts.append(f"≤ {result.targets['max_ratio']:g}×")
    if "max_seconds" in result.targets:
        parts.append(f"≤ {_seconds(result.targets['max_seconds'])}")
    if "max_peak_mb" in result.targets:
        parts.append(f"≤ {result.targets['max_peak_mb']:g} MB")
    known = ("max_ratio", "max_seconds", "max_peak_mb")
    parts += [f"{name} ≤ {bound:g}" for name, bound in result.targets.items() if name not in known]
    return ", ".join(parts) or "—"


def _verdict(result: Result) -> str:
    if result.skipped:
        return f"skipped: {result.skipped}"
    if result.error:
        return f"not measured: {result.error}"
    if result.broken:
        return "FAILED: " + "; ".join(result.broken)
    if result.misses:
        return "MISSED: " + "; ".join(result.misses)
    return "met" if result.targets else ""


def table_rows(results: Sequence[Result]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for r in results:
        what = f"{r.what} ({r.note})" if r.note else r.what
        rows.append(
            (
                what,
                _seconds(r.median_s),
                _seconds(r.floor_median_s),
                "—" if r.ratio is None else f"{r.ratio:.2f}×",
                "—" if r.cpu_ratio is None else f"{r.cpu_ratio:.2f}×",
                "—" if r.peak_rss_mb is None else f"{r.peak_rss_mb:.0f}",
                _target(r),
                _verdict(r),
            )
        )
    return rows


def markdown_table(results: Sequence[Result]) -> str:
    """The table as Markdown, which reads well in a terminal and pastes into the README."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    return "\n".join(lines)


def document(
    results: Sequence[Result], *, runs: int, scale: float, counts: dict[str, int], folder: Path
) -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(folder),
        "machine": machine(),
        "runs": runs,
        "scale": scale,
        "large_plan": counts,
        "results": [r.as_json() for r in results],
    }


def write(doc: dict[str, Any], out_dir: Path) -> Path:
    """Write the run's JSON (timestamped) and `latest.json`; returns the timestamped file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = doc["when"].replace(":", "").replace("-", "").replace("+0000", "Z")
    path = out_dir / f"bench-{stamp}.json"
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    (out_dir / "latest.json").write_text(text, encoding="utf-8")
    return path
