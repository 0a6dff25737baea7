"""10. A storyboard against `bindsim run` on the same story, from an empty picture cache (issue
26: ≤ 9× its CPU), and again from a warm one.

Each run is a process; CPU time is the process and its Graphviz children, the median of the
rounds, the runs interleaved so that a slow patch of the shared machine hits them all alike.
"""

from __future__ import annotations

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
STORY = ROOT / "src/bindsim/scenarios/stories/official_account_lifecycle.scenario.yaml"
ALL = ["-f", "html", "-f", "pdf", "-f", "pptx", "-l", "en", "-l", "zh"]
RUNS: dict[str, tuple[list[str], bool]] = {  # name: (arguments, empty cache first)
    "bindsim run (baseline)": (["run", str(STORY)], False),
    "storyboard (html, en), empty cache": (["storyboard", str(STORY)], True),
    "storyboard (html, en), warm cache": (["storyboard", str(STORY)], False),
    "storyboard (html, pdf, pptx; en, zh), empty cache": (["storyboard", str(STORY), *ALL], True),
    "storyboard (html, pdf, pptx; en, zh), warm cache": (["storyboard", str(STORY), *ALL], False),
}


def measured(arguments: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (children included) of one bindsim process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bindsim.simulator", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"bindsim {arguments[0]} failed:\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(quick: bool) -> Table:
    table = Table(
        "10. A 22-step storyboard against `bindsim run` on the same story",
        ("run", "wall", "CPU", "× run's CPU"),
    )
    if shutil.which("dot") is None:
        table.note("Graphviz `dot` is missing: nothing measured")
        return table
    rounds = 1 if quick else 3
    walls: dict[str, list[float]] = {name: [] for name in RUNS}
    cpus: dict[str, list[float]] = {name: [] for name in RUNS}
    with tempfile.TemporaryDirectory(prefix="bindsim-bench-") as scratch:
        for round_ in range(rounds):
            for name, (arguments, empty) in RUNS.items():
                cache = Path(scratch) / f"cache-{round_}"
                if empty:
                    shutil.rmtree(cache, ignore_errors=True)
                out = Path(scratch) / f"out-{round_}"
                extra = ["-o", str(out), "--cache-dir", str(cache)] if arguments[0] != "run" else []
                wall, cpu = measured([*arguments, *extra])
                walls[name].append(wall)
                cpus[name].append(cpu)
    base = statistics.median(cpus[next(iter(RUNS))])
    for name in RUNS:
        cpu = statistics.median(cpus[name])
        wall = statistics.median(walls[name])
        table.add(name, f"{wall:.2f} s", f"{cpu:.2f} s", f"{cpu / base:.1f}")
    table.note(
        "target (issue 26): the storyboard from an empty cache ≤ 9× the CPU of `bindsim run`"
    )
    return table
