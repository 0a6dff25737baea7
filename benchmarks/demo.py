"""6. `make demo`: the whole gallery, cold (parallel, empty cache) and warm (cache filled), set
against `--jobs 1 --no-cache` measured in the same run.

Each run is `bindsim demo` as a process into a fresh folder; wall time and CPU time (the process
and its Graphviz children) are the median of the rounds, the three kinds of run interleaved so that
a slow patch of the shared machine hits them all alike.
"""

from __future__ import annotations

import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Table

ROOT = Path(__file__).resolve().parent.parent
RUNS = {
    "--jobs 1 --no-cache (baseline)": ["--jobs", "1", "--no-cache"],
    "cold: parallel, empty cache": [],
    "warm: cache filled": [],
}


def demo(out: Path, extra: list[str], cache: Path) -> tuple[float, float, str]:
    """One `bindsim demo`: wall seconds, CPU seconds (children included), its summary line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bindsim.simulator",
            "demo",
            "--out",
            str(out),
            "--cache-dir",
            str(cache),
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"bindsim demo failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return wall, cpu, done.stdout.strip().splitlines()[-1]


def run(quick: bool) -> Table:
    if shutil.which("dot") is None:
        table = Table("6. make demo", ("", ""))
        table.note("Graphviz `dot` is missing: nothing measured")
        return table
    rounds = 1 if quick else 3
    walls: dict[str, list[float]] = {name: [] for name in RUNS}
    cpus: dict[str, list[float]] = {name: [] for name in RUNS}
    lines: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bindsim-bench-") as scratch:
        for round_ in range(rounds):
            cache = Path(scratch) / f"cache-{round_}"
            for name, extra in RUNS.items():
                out = Path(scratch) / f"out-{round_}-{len(walls[name])}-{name[:4]}"
                wall, cpu, line = demo(out, extra, cache)
                walls[name].append(wall)
                cpus[name].append(cpu)
                lines[name] = line
    base_wall = statistics.median(walls[next(iter(RUNS))])
    base_cpu = statistics.median(cpus[next(iter(RUNS))])
    table = Table(
        f"6. make demo: the whole gallery (median of {rounds})",
        ("run", "wall", "× faster", "CPU", "× less CPU", "Graphviz calls", "from cache"),
    )
    for name in RUNS:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        calls = re.search(r"\((\d+) Graphviz calls, (\d+) pictures from the cache\)", lines[name])
        table.add(
            name,
            f"{wall:.1f} s",
            f"{base_wall / wall:.2f}",
            f"{cpu:.1f} s",
            f"{base_cpu / cpu:.2f}",
            calls.group(1) if calls else "?",
            calls.group(2) if calls else "?",
        )
    table.note("targets: cold ≥ 1.7× faster, warm ≥ 5× faster than the baseline (wall time)")
    table.note(f"last summary line: {lines['cold: parallel, empty cache']}")
    return table
