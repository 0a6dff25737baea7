"""Timing and reporting helpers shared by the benchmarks: best-of-N timings, ratios, tables."""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

# A case is set up untimed, then run timed: setup() -> state, run(state) -> anything.
Setup = Callable[[], Any]
Run = Callable[[Any], object]


def time_once(setup: Setup, run: Run) -> float:
    """Seconds taken by one run(state) after an untimed setup(), with the collector paused."""
    state = setup()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        run(state)
        return time.perf_counter() - start
    finally:
        if gc_was_enabled:
            gc.enable()


def best_of(setup: Setup, run: Run, repeat: int) -> float:
    """The fastest of `repeat` runs: on a shared machine, noise only ever adds time."""
    return min(time_once(setup, run) for _ in range(repeat))


def best_of_interleaved(cases: Sequence[tuple[Setup, Run]], repeat: int) -> list[float]:
    """Best-of-N for several cases run in turn, so that a slow patch hits them all alike."""
    best = [math.inf] * len(cases)
    for _ in range(repeat):
        for index, (setup, run) in enumerate(cases):
            best[index] = min(best[index], time_once(setup, run))
    return best


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
    if size < 1024:
        return f"{size:.0f} B"
    if size < 1024**2:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024**2:.1f} MiB"


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The least-squares slope of log y against log x: the growth exponent."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    num = sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True))
    den = sum((a - mx) ** 2 for a in lx)
    return num / den


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


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def cpu_median(setup: Setup, run: Run, rounds: int) -> float:
    """The median CPU time (process_time) of `rounds` runs: robust to other jobs on the machine."""
    times = []
    for _ in range(rounds):
        state = setup()
        start = time.process_time()
        run(state)
        times.append(time.process_time() - start)
    times.sort()
    return times[len(times) // 2]


def peak_memory(run: Callable[[], object]) -> int:
    """The peak of memory allocated by Python while `run()` runs (tracemalloc)."""
    import tracemalloc

    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
