"""A child process that runs one World for a long time and reports, at checkpoints, its memory
and CPU time: `python -m benchmarks.long_run STEPS [LOG_LIMIT]`, one JSON line per checkpoint.

The workload is the official-account cycle (benchmarks/workloads.py) repeated over a fixed cast
of 100 pairs; a step is one log entry (an action or a timer firing). It runs in a process of its
own so that its resident memory is its own, and is given back when it ends.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time

from benchmarks import workloads

PAIRS = 100


def resident_bytes() -> int:
    """The process's resident memory now (Linux: /proc/self/statm), else its peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def checkpoints(steps: int) -> list[int]:
    """Where to look: at 10%, 20%, 40%, 70% and 100% of the run (a capped log is full by then)."""
    return [steps // 10, steps // 5, steps * 2 // 5, steps * 7 // 10, steps]


def main(argv: list[str]) -> int:
    steps = int(argv[0])
    log_limit = int(argv[1]) if len(argv) > 1 else None
    world = workloads.pairs_world(PAIRS, rules=workloads.ENDLESS_UNBINDS, log_limit=log_limit)
    cpu = time.process_time()
    for checkpoint in checkpoints(steps):
        while world.logged < checkpoint:
            workloads.run_phases(world, PAIRS, workloads.REPEATABLE_CYCLE)
        spent = time.process_time() - cpu
        gc.collect()
        figures = {
            "steps": world.logged,
            "cpu": spent,
            "resident": resident_bytes(),
            "log": len(world.log),
            "records": workloads.record_count(world),
            "timers": len(world.pending_timers()),
        }
        print(json.dumps(figures), flush=True)
        cpu = time.process_time()  # the collection and the counts above are not steps
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
