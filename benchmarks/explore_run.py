"""A child process that explores the benchmark cast to a bound and reports its CPU time and
memory: `python -m benchmarks.explore_run MAX_STATES [edges|deadlines]`, one JSON line.

It runs in a process of its own so that its peak resident memory is the search's alone: memory per
visited state = (peak resident memory − resident memory before the search) / states.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.harness import ROOT
from benchmarks.long_run import resident_bytes
from bindsim.simulator.explore import space
from bindsim.simulator.explore.search import Explorer, Limits
from bindsim.simulator.scenario import load_file
from bindsim.simulator.scenario.runner import build_world, caught_up

CAST = ROOT / "benchmarks" / "casts" / "two_shops_three_creators.scenario.yaml"
VARY = ("network", "status")  # `bindsim explore`'s default --vary


def explorer(time_moves: str = "edges", cast_file: Path = CAST) -> Explorer:
    """The Explorer `bindsim explore CAST_FILE --time-moves TIME_MOVES` runs (default --vary)."""
    world = build_world(load_file(cast_file, require_steps=False))
    now: datetime = caught_up(world)
    cast = space.cast_of(world.state, VARY, edges=time_moves == "edges")
    return Explorer(world.state.copy(), now, world.rules, cast)


def measure(max_states: int, time_moves: str) -> dict[str, Any]:
    search = explorer(time_moves)
    gc.collect()
    before = resident_bytes()
    widest = 0

    def progress(states: int, depth: int, frontier: int, seconds: float) -> None:
        nonlocal widest
        widest = max(widest, frontier)

    cpu, wall = time.process_time(), time.perf_counter()
    report = search.run(Limits(max_states=max_states), progress=progress)
    spent, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return {
        "states": report.states,
        "transitions": report.transitions,
        "depth": report.depth,
        "cpu": spent,
        "wall": wall,
        "before": before,
        "peak": peak,
        "frontier": widest,  # the most states held whole at once (the next level's)
    }


def main(argv: list[str]) -> int:
    time_moves = argv[1] if len(argv) > 1 else "edges"
    print(json.dumps(measure(int(argv[0]), time_moves)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
