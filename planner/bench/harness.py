"""Running probes in fresh processes, interleaved with their floors, and taking medians.

A shared machine's speed drifts from minute to minute, so the planner and its
floor run alternately (planner first on even runs, floor first on odd ones)
and only the ratio of their medians is compared with a target.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from planner.bench.probe import MARKER

PROBE_TIMEOUT_S = 900


class ProbeFailed(RuntimeError):
    """A probe process failed; the message is one line naming the task and the cause."""


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu_seconds: float | None
    peak_rss_mb: float
    extra: dict[str, Any]


@dataclass(frozen=True)
class Measurement:
    """One row of the table: a probe, its floor (if any) and the targets it is held to.

    `fresh` names files the probe may change: each run gets its own copy of them,
    substituted for the same path in the arguments. `runs` fixes the number of
    runs (a minute-long load test runs once). `limits` are figures the probe
    reports that must not exceed a bound, as (figure, bound, what it counts): a
    correctness check, so breaking one fails the row and the bench. `skip` says
    why the row cannot be measured here (nothing is run).
    """

    key: str
    what: str
    probe: tuple[str, ...]
    floor: tuple[str, ...] | None = None
    max_ratio: float | None = None
    max_seconds: float | None = None
    max_peak_mb: float | None = None
    fresh: tuple[str, ...] = ()
    warmup: bool = False
    note: str = ""
    runs: int | None = None
    limits: tuple[tuple[str, float, str], ...] = ()
    skip: str | None = None


@dataclass
class Result:
    key: str
    what: str
    median_s: float | None = None
    floor_median_s: float | None = None
    ratio: float | None = None
    cpu_median_s: float | None = None
    floor_cpu_median_s: float | None = None
    cpu_ratio: float | None = None
    peak_rss_mb: float | None = None
    floor_peak_rss_mb: float | None = None
    samples_s: list[float] = field(default_factory=list)
    floor_samples_s: list[float] = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    error: str | None = None
    skipped: str | None = None
    broken: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def probe_environment(scratch: Path) -> dict[str, str]:
    """The children's environment: no display needed, and no user settings or data touched."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PLANNER_DATA_DIR"] = str(scratch / "userdata")
    env["XDG_CONFIG_HOME"] = str(scratch / "config")
    return env


def run_probe(
    args: Sequence[str], env: dict[str, str], *, profile_to: Path | None = None
) -> Sample:
    """One probe in a fresh process; start-up probes report the clock, others their seconds.

    With `profile_to`, the probe runs under pyinstrument, which writes its call
    tree there as text (the figures of such a run are slowed by the profiler).
    """
    profiler = (
        [] if profile_to is None else ["-m", "pyinstrument", "-r", "text", "-o", str(profile_to)]
    )
    command = [sys.executable, *profiler, "-m", "planner.bench.probe", *args]
    spawned = time.monotonic()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, check=False, timeout=PROBE_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        raise ProbeFailed(f"{args[0]} did not finish within {PROBE_TIMEOUT_S} s") from None
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        errors = [line for line in done.stderr.strip().splitlines() if line.strip()]
        cause = errors[-1] if errors else f"exit status {done.returncode}"
        raise ProbeFailed(f"{args[0]} failed: {cause}")
    values = json.loads(lines[-1][len(MARKER) :])
    peak = float(values.pop("peak_rss_mb"))
    seconds = values.pop("at") - spawned if "at" in values else values.pop("seconds")
    cpu = values.pop("cpu", None)
    return Sample(float(seconds), None if cpu is None else float(cpu), peak, values)


def _with_fresh_copies(args: Sequence[str], fresh: Sequence[str], folder: Path) -> list[str]:
    out = list(args)
    for index, original in enumerate(fresh):
        copy = folder / f"{index}-{Path(original).name}"
        shutil.copyfile(original, copy)
        out = [str(copy) if arg == original else arg for arg in out]
    return out


def profile(measurement: Measurement, out_dir: Path) -> list[Path]:
    """Run the probe (and its floor) once each under pyinstrument; returns the profiles."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
        scratch = Path(tmp)
        env = probe_environment(scratch)
        for suffix, args in (("", measurement.probe), (".floor", measurement.floor)):
            if args:
                target = out_dir / f"{measurement.key}{suffix}.txt"
                run_dir = Path(tempfile.mkdtemp(dir=scratch))
                run_probe(
                    _with_fresh_copies(args, measurement.fresh, run_dir), env, profile_to=target
                )
                written.append(target)
    return written


def measure(
    measurement: Measurement, runs: int, *, progress: Callable[[str], None] = lambda _: None
) -> Result:
    """Median of `runs` fresh-process runs of the probe and of its floor, interleaved."""
    result = Result(measurement.key, measurement.what, note=measurement.note)
    if measurement.skip is not None:
        result.skipped = measurement.skip
        return result
    runs = measurement.runs or runs
    for name in ("max_ratio", "max_seconds", "max_peak_mb"):
        if getattr(measurement, name) is not None:
            result.targets[name] = getattr(measurement, name)
    for name, bound, _counted in measurement.limits:
        result.targets[name] = bound
    samples: list[Sample] = []
    floors: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as tmp:
        scratch = Path(tmp)

        def one(args: tuple[str, ...]) -> Sample:
            # Each run starts as a first start: no settings left by the run before.
            run_dir = Path(tempfile.mkdtemp(dir=scratch))
            return run_probe(
                _with_fresh_copies(args, measurement.fresh, run_dir), probe_environment(run_dir)
            )

        try:
            if measurement.warmup:
                one(measurement.probe)
                if measurement.floor:
                    one(measurement.floor)
            for run in range(runs):
                progress(f"{measurement.what}: run {run + 1}/{runs}")
                order = [(measurement.probe, samples), (measurement.floor, floors)]
                for args, into in order if run % 2 == 0 else reversed(order):
                    if args:
                        into.append(one(args))
        except ProbeFailed as exc:
            result.error = str(exc)
            return result
    _summarise(result, measurement, samples, floors)
    return result


def _median_cpu(samples: list[Sample]) -> float | None:
    cpu = [s.cpu_seconds for s in samples if s.cpu_seconds is not None]
    return statistics.median(cpu) if cpu and len(cpu) == len(samples) else None


def _median_extras(samples: list[Sample]) -> dict[str, Any]:
    """Each figure a probe reported besides its time, as the median over the runs."""
    out: dict[str, Any] = {}
    for key, value in samples[-1].extra.items():
        numbers = [s.extra.get(key) for s in samples]
        if isinstance(value, int | float) and all(isinstance(n, int | float) for n in numbers):
            out[key] = statistics.median(numbers)  # type: ignore[type-var]
        else:
            out[key] = value
    return out


def _summarise(
    result: Result, measurement: Measurement, samples: list[Sample], floors: list[Sample]
) -> None:
    result.samples_s = [round(s.seconds, 4) for s in samples]
    result.median_s = statistics.median(s.seconds for s in samples)
    result.peak_rss_mb = max(s.peak_rss_mb for s in samples)
    result.extra = _median_extras(samples)
    if floors:
        result.floor_samples_s = [round(s.seconds, 4) for s in floors]
        result.floor_median_s = statistics.median(s.seconds for s in floors)
        result.floor_peak_rss_mb = max(s.peak_rss_mb for s in floors)
        if result.floor_median_s > 0:
            result.ratio = result.median_s / result.floor_median_s
    result.cpu_median_s = _median_cpu(samples)
    result.floor_cpu_median_s = _median_cpu(floors)
    if result.cpu_median_s is not None and result.floor_cpu_median_s:
        result.cpu_ratio = result.cpu_median_s / result.floor_cpu_median_s
    if (
        measurement.max_ratio is not None
        and result.ratio is not None
        and result.ratio > measurement.max_ratio
    ):
        result.misses.append(f"ratio {result.ratio:.2f} > {measurement.max_ratio:g}")
    if measurement.max_seconds is not None and result.median_s > measurement.max_seconds:
        result.misses.append(f"{result.median_s:.3f} s > {measurement.max_seconds:g} s")
    if measurement.max_peak_mb is not None and result.peak_rss_mb > measurement.max_peak_mb:
        result.misses.append(f"peak {result.peak_rss_mb:.0f} MB > {measurement.max_peak_mb:g} MB")
    for name, bound, counted in measurement.limits:
        value = result.extra.get(name)
        if not isinstance(value, int | float) or value > bound:
            result.broken.append(f"{value} {counted} (must be at most {bound:g})")
