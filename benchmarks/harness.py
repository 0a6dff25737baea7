"""Timing and reporting for the benchmarks: CPU time, medians of interleaved rounds, ratios.

Every figure is CPU time (`time.process_time` in process, `getrusage(RUSAGE_CHILDREN)` for child
processes), never wall time: on a shared machine other jobs take wall time but not our CPU time.
Cases compared with each other run in interleaved rounds (A B, then B A, ...), so a slow patch of
the machine hits them alike; a ratio is the median of the per-round ratios, shown with its range.
The collector stays on (real runs have it); a full collection before each timed run keeps the
garbage of one case from being collected in the next.
"""

from __future__ import annotations

import gc
import math
import os
import resource
import statistics
import subprocess
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _no_setup() -> None:
    return None


@dataclass(frozen=True)
class Case:
    """One thing to time: `setup()` (untimed) makes the argument that `run(arg)` (timed) uses."""

    name: str
    run: Callable[[Any], object]
    setup: Callable[[], Any] = _no_setup


def cpu_seconds(case: Case, collect: bool = True) -> float:
    """The CPU time of one run of the case, after its untimed setup and (unless `collect` is
    false: many tiny cases, where a full collection would cost more than the case) a full
    collection, so that the run does not pay for the garbage of what came before."""
    argument = case.setup()
    if collect:
        gc.collect()
    start = time.process_time()
    case.run(argument)
    return time.process_time() - start


def run_child(argv: Sequence[str]) -> tuple[float, str]:
    """Run a child process to its exit: its CPU time (user + system) and its standard output.
    Raises if it fails, showing its standard error."""
    seconds, done = _child(argv)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr}")
    return seconds, done.stdout


def child_cpu_seconds(argv: Sequence[str]) -> tuple[float, int]:
    """The CPU time (user + system) of a child process, start to exit, and its exit code."""
    seconds, done = _child(argv)
    return seconds, done.returncode


def children_cpu_seconds() -> float:
    """The CPU time (user + system) of every child process ended and reaped so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# A child runs as an installed bindsim does: from byte code. With PYTHONDONTWRITEBYTECODE set
# (some shells and CI images set it), every child would compile bindsim's sources again and its
# start-up figure would be mostly the compiler's; the untimed first run of each command writes the
# byte code.
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _child(argv: Sequence[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    before = children_cpu_seconds()
    done = subprocess.run(
        list(argv),
        cwd=ROOT,
        env=CHILD_ENV,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    return children_cpu_seconds() - before, done


def rounds(measures: Sequence[Callable[[], float]], count: int) -> list[list[float]]:
    """`count` rounds of every measure, in turn; the order reverses every other round so that
    none always runs first. Returns one list of figures per measure, in round order."""
    figures: list[list[float]] = [[] for _ in measures]
    order = list(range(len(measures)))
    for number in range(count):
        for index in order if number % 2 == 0 else reversed(order):
            figures[index].append(measures[index]())
    return figures


def time_cases(cases: Sequence[Case], count: int, collect: bool = True) -> list[list[float]]:
    """CPU seconds of each case in each of `count` interleaved rounds."""
    return rounds([partial(cpu_seconds, case, collect) for case in cases], count)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@dataclass(frozen=True)
class Ratio:
    """A figure against its baseline, from interleaved rounds: the median of per-round ratios."""

    subject: Sequence[float]
    baseline: Sequence[float]

    @property
    def per_round(self) -> list[float]:
        return [s / b for s, b in zip(self.subject, self.baseline, strict=True)]

    @property
    def value(self) -> float:
        return median(self.per_round)

    @property
    def inverse(self) -> float:
        """Baseline / subject: how many times cheaper the subject is."""
        return median([b / s for s, b in zip(self.subject, self.baseline, strict=True)])

    def show(self, inverse: bool = False) -> str:
        """ "12.3 (11.9–12.8)": the median ratio and its range over the rounds."""
        values = [1 / r for r in self.per_round] if inverse else self.per_round
        middle = median(values)
        return f"{fmt_ratio(middle)} ({fmt_ratio(min(values))}–{fmt_ratio(max(values))})"


def compare(subject: Case, baseline: Case, count: int) -> Ratio:
    """Time a case against its baseline in `count` interleaved rounds."""
    subject_s, baseline_s = time_cases([subject, baseline], count)
    return Ratio(subject_s, baseline_s)


def fmt_ratio(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def fmt_time(seconds: float) -> str:
    """A duration with a unit that keeps three significant digits readable."""
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_bytes(size: float) -> str:
    if abs(size) < 1024:
        return f"{size:.0f} B"
    if abs(size) < 1024**2:
        return f"{size / 1024:.1f} KiB"
    if abs(size) < 1024**3:
        return f"{size / 1024**2:.1f} MiB"
    return f"{size / 1024**3:.2f} GiB"


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The least-squares slope of log y against log x: the growth exponent."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    num = sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True))
    den = sum((a - mx) ** 2 for a in lx)
    return num / den


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


@dataclass
class Table:
    """A section's figures: rows of cells under a header, plus notes and verdicts."""

    title: str
    header: tuple[str, ...]
    left: int = 1  # how many leading columns are text (left-aligned); the rest are figures
    rows: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append(tuple(str(c) for c in cells))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def render(self) -> str:
        widths = [len(h) for h in self.header]
        for row in self.rows:
            widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

        def line(cells: Sequence[str]) -> str:
            parts = [
                c.ljust(w) if i < self.left else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ]
            return "  ".join(parts).rstrip()

        out = [f"## {self.title}", "", line(self.header), line(["-" * w for w in widths])]
        out += [line(row) for row in self.rows]
        if self.notes:
            out.append("")
            out += [f"- {n}" for n in self.notes]
        return "\n".join(out) + "\n"


def cpu_median(setup: Callable[[], Any], run: Callable[[Any], object], count: int) -> float:
    """The median CPU time of `count` runs of one case (no baseline interleaved with it)."""
    return median(time_cases([Case("", run, setup)], count)[0])


def peak_memory(run: Callable[[], object]) -> int:
    """The peak of memory allocated by Python while `run()` runs (tracemalloc)."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
