"""4. Growth (issue 14): what a long history costs, in memory and in time.

- A long run (10⁶ steps; --quick: 2·10⁴) in a child process of its own, with the log kept whole
  and with `World(log_limit=1_000)`: memory and CPU time per step between checkpoints.
- A bad call (an unknown id, a mistyped label) costs the same with 10³ records as with 10⁵;
  refused actions are shown beside them.
- A seeded random World of S shops: how its cost grows with S.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from benchmarks import workloads
from benchmarks.harness import (
    ROOT,
    Case,
    Ratio,
    Table,
    fmt_bytes,
    fmt_time,
    loglog_slope,
    median,
    time_cases,
    verdict,
)
from benchmarks.long_run import checkpoints
from bindsim import BindSimError, World

LOG_LIMIT = 1_000  # the log then holds 1,000 to 2,000 entries: full long before 5% of a run
FLAT = 1.25  # "flat" / "the same cost": at most this many times the first figure
SCALING_TARGET = 1.1  # growth exponent of a random World's cost in its size


# ------------------------------------------------------------------ the long run


def long_runs(steps: int, limits: dict[str, int | None]) -> dict[str, list[dict[str, Any]]]:
    """One child per log limit, run side by side (each reports its own CPU time and memory):
    the checkpoints each one printed."""
    children = {}
    for name, limit in limits.items():
        argv = [sys.executable, "-m", "benchmarks.long_run", str(steps)]
        argv += [str(limit)] if limit is not None else []
        children[name] = subprocess.Popen(
            argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    found = {}
    for name, child in children.items():
        output, errors = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"the long run {name} exited {child.returncode}:\n{errors}")
        found[name] = [json.loads(line) for line in output.splitlines()]
    return found


@dataclass(frozen=True)
class Interval:
    """The steps between two checkpoints of a long run, and what each step cost there."""

    start: int
    end: int
    memory: float  # bytes per step
    cpu: float  # CPU seconds per step


def intervals_of(points: list[dict[str, Any]]) -> list[Interval]:
    found = []
    for before, after in zip(points, points[1:], strict=False):
        steps = after["steps"] - before["steps"]
        grown = after["resident"] - before["resident"]
        found.append(Interval(before["steps"], after["steps"], grown / steps, after["cpu"] / steps))
    return found


def long_run_table(quick: bool) -> Table:
    steps = 20_000 if quick else 1_000_000
    runs = long_runs(steps, {"whole log": None, f"log_limit={LOG_LIMIT:,}": LOG_LIMIT})
    table = Table(
        f"4a. A long run: the official-account cycle over 100 pairs, {steps:,} steps "
        "(a child process per log setting, side by side)",
        (
            "steps",
            *(f"{name}: {what}" for name in runs for what in ("memory/step", "CPU/step")),
        ),
    )
    intervals = {name: intervals_of(points) for name, points in runs.items()}
    for row in zip(*intervals.values(), strict=True):
        cells = [cell for each in row for cell in (fmt_bytes(each.memory), fmt_time(each.cpu))]
        table.add(f"{row[0].start:,} → {row[0].end:,}", *cells)
    for name, found in intervals.items():
        first, last, end = found[0], found[-1], runs[name][-1]
        table.note(
            f"{name}: CPU per step, last interval / first = {last.cpu / first.cpu:.2f} "
            f"[{verdict(last.cpu <= FLAT * first.cpu)}]; memory per step, last / first = "
            f"{last.memory / first.memory:.2f} [{verdict(last.memory <= FLAT * first.memory)}]; "
            f"at {end['steps']:,} steps the process holds {fmt_bytes(end['resident'])}, the log "
            f"{end['log']:,} entries, the state {end['records']:,} records and "
            f"{end['timers']:,} live timers pending."
        )
    whole, capped = (runs[name][-1] for name in runs)
    span = whole["steps"] - runs["whole log"][0]["steps"]
    log_share = (whole["resident"] - capped["resident"]) / span
    table.note(
        f"the log costs ≈ {fmt_bytes(log_share)} per entry (whole minus capped, over the run). "
        "With the log capped, what still grows is the state: every invitation and binding ever "
        "made stays in it (2 records per pair and cycle)."
    )
    table.note(
        f"memory per step = growth of the child's resident memory between checkpoints "
        f"({', '.join(f'{c:,}' for c in checkpoints(steps))}) over the steps between them; "
        f"'flat': the last interval at most {FLAT}× the first. A step is one log entry; the "
        "cycle lifts R-OFFICIAL-UNBIND-3 so that it can repeat."
    )
    return table


# ------------------------------------------------------------------ bad calls vs history


def expect_error(call: Callable[[World], object]) -> Callable[[World], None]:
    def checked(world: World) -> None:
        try:
            call(world)
        except BindSimError:
            return
        raise AssertionError("the call was meant to be refused")

    return checked


@dataclass(frozen=True)
class Call:
    name: str
    call: Callable[[World], object]
    repeat: int  # calls per timed run
    bad_input: bool = True


CALLS: tuple[Call, ...] = (
    Call("unknown shop id", expect_error(lambda w: w.invite("s0x", "c0")), 100),
    Call("unknown invitation (no such pair)", expect_error(lambda w: w.accept("c0", "s1")), 1000),
    Call("mistyped label", expect_error(lambda w: w.tap("c0", "Showcse")), 1000),
    Call(
        "refused: invite a bound account", expect_error(lambda w: w.invite("s0", "c1")), 50, False
    ),
    Call(
        "refused: click a hidden label", expect_error(lambda w: w.click("s0", "Agree")), 50, False
    ),
    Call("a valid query: official(shop)", lambda w: w.official("s0"), 1000, False),
)


def calls_case(world: World, call: Call) -> Case:
    def run(_: object) -> None:
        for _ in range(call.repeat):
            call.call(world)

    return Case(call.name, run)


def bad_calls_table(quick: bool) -> Table:
    count = 3 if quick else 5
    sizes = (200, 2_000) if quick else (200, 2_000, 20_000)
    worlds = [workloads.history_world(pairs) for pairs in sizes]
    records = [workloads.record_count(world) for world in worlds]
    table = Table(
        f"4b. The cost of a call against the size of the history (median of {count} rounds)",
        (
            "call",
            *(f"{n:,} records" for n in records),
            f"{records[-1]:,} / {records[0]:,}",
            "same cost",
        ),
    )
    cases = [calls_case(world, call) for call in CALLS for world in worlds]
    gc.collect()  # once: each case is small, and a full collection of these Worlds is not
    figures = time_cases(cases, count, collect=False)
    for index, call in enumerate(CALLS):
        mine = figures[index * len(worlds) : (index + 1) * len(worlds)]
        ratio = Ratio(mine[-1], mine[0])
        table.add(
            call.name + ("" if call.bad_input else " *"),
            *(fmt_time(median(seconds) / call.repeat) for seconds in mine),
            ratio.show(),
            verdict(ratio.value <= FLAT),
        )
    table.note(
        f"a World of n pairs, each invited and bound (5 records a pair, 2 timers pending); "
        f"'same cost': the largest at most {FLAT}× the smallest. * not bad input: a refused "
        "action (logged, then undone) and a valid query, for comparison."
    )
    return table


# ------------------------------------------------------------------ a random World's size


def random_world_of(shops: int, _: object) -> None:
    workloads.random_world(shops)


def scaling_table(quick: bool) -> Table:
    count = 3
    sizes = (25, 50, 100) if quick else (100, 200, 400)
    cases = [Case(f"S={s}", partial(random_world_of, s)) for s in sizes]
    figures = time_cases(cases, count)
    table = Table(
        f"4c. A seeded random World: S shops, 10·S accounts, 10·S actions over a year "
        f"(median of {count} rounds)",
        ("S", "CPU time", "per action", "per action vs first", "records", "refused or invalid"),
    )
    times = [median(seconds) for seconds in figures]
    for size, seconds in zip(sizes, times, strict=True):
        world, refused = workloads.random_world(size)
        table.add(
            size,
            fmt_time(seconds),
            fmt_time(seconds / (10 * size)),
            f"{(seconds / size) / (times[0] / sizes[0]):.2f}",
            workloads.record_count(world),
            refused,
        )
    slope = loglog_slope(sizes, times)
    table.note(
        f"growth exponent of the CPU time in S: {slope:.2f} [{verdict(slope <= SCALING_TARGET)}] "
        f"(target ≤ {SCALING_TARGET}: linear)."
    )
    return table


def run(quick: bool) -> list[Table]:
    return [long_run_table(quick), bad_calls_table(quick), scaling_table(quick)]
