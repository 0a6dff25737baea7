"""2. Scenario throughput: `bindsim run scenarios/` as a process, and each scenario in process.

The process is timed against a bare interpreter start; in process, each scenario's time is split
into reading and validating the file, building its World, and running its steps, and the steps are
set against the python-statemachine calls they make (recorded and replayed, as in section 1).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import Table, fmt_time, verdict
from benchmarks.overhead import Recorder, replay

TARGET = 1.0  # seconds for the whole library, interpreter start included
ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios"


def bindsim_command() -> list[str]:
    script = Path(sys.executable).with_name("bindsim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "simulator"]


def time_process(argv: list[str], repeat: int) -> tuple[float, int]:
    """Best wall time of a whole process (start, imports, work, exit) and its exit code."""
    best, code = float("inf"), 0
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
        code = done.returncode
    return best, code


def library_files() -> list[Path]:
    from bindsim.simulator.scenario import find_files

    return find_files([LIBRARY]) if LIBRARY.is_dir() else []


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def per_scenario(path: Path, repeat: int) -> dict[str, Any]:
    """One scenario's phases, best of `repeat` each."""
    from bindsim.simulator.scenario import build_world, load_file, run
    from bindsim.simulator.scenario.loader import parse_yaml

    text = path.read_text(encoding="utf-8")
    scenario = load_file(path)
    recorder = Recorder()
    with recorder.phase() as ops:
        result = run(scenario)
    new_ops = [op for op in ops if op[0] == "new"]
    return {
        "path": path.relative_to(ROOT),
        "steps": len(scenario.steps),
        "passed": result.passed,
        "ops": len(ops),
        "parse": best(lambda: parse_yaml(text, str(path)), repeat),
        "load": best(lambda: load_file(path), repeat),
        "world": best(lambda: build_world(scenario), repeat),
        "run": best(lambda: run(scenario), repeat),
        "machines": best(lambda: replay(ops, []), repeat),
        "instantiation": best(lambda: replay(new_ops, []), repeat),
    }


def run_section(quick: bool) -> list[Table]:
    files = library_files()
    if not files:
        table = Table("2. Scenario throughput", ("", ""))
        table.note(f"no scenario library at {LIBRARY}: nothing to measure")
        return [table]
    repeat = 3 if quick else 7
    python = sys.executable
    start_s, _ = time_process([python, "-c", "pass"], repeat)
    import_s, _ = time_process([python, "-c", "import simulator.cli"], repeat)
    whole_s, code = time_process([*bindsim_command(), "run", str(LIBRARY)], repeat)

    process = Table(
        f"2a. `bindsim run scenarios/` as a process ({len(files)} files, best of {repeat})",
        ("process", "wall time", "× interpreter start", "check"),
    )
    process.add("python -c pass (baseline)", fmt_time(start_s), "1.00", "")
    process.add(
        "python -c 'import simulator.cli'", fmt_time(import_s), f"{import_s / start_s:.1f}", ""
    )
    process.add(
        f"bindsim run scenarios/ (exit {code})",
        fmt_time(whole_s),
        f"{whole_s / start_s:.1f}",
        verdict(whole_s < TARGET and code == 0) + f" (< {TARGET:.0f} s)",
    )

    rows = [per_scenario(path, repeat) for path in files]
    total = {key: sum(r[key] for r in rows) for key in ("parse", "load", "world", "run")}
    machines = sum(r["machines"] for r in rows)
    instantiation = sum(r["instantiation"] for r in rows)
    steps_only = total["run"] - total["world"]
    validation = total["load"] - total["parse"]
    process.note(
        "where the time goes (in process, whole library): "
        f"interpreter start {fmt_time(start_s)}, imports {fmt_time(import_s - start_s)}, "
        f"YAML parse {fmt_time(total['parse'])}, validation {fmt_time(validation)}, "
        f"World construction {fmt_time(total['world'])}, steps {fmt_time(steps_only)} "
        f"(of which python-statemachine: instantiation {fmt_time(instantiation)}, "
        f"sends {fmt_time(machines - instantiation)}); the rest is reporting and exit."
    )

    detail = Table(
        f"2b. Per scenario, in process (slowest 10 of {len(rows)}; best of {repeat})",
        ("scenario", "steps", "load", "run", "machines", "run/machines"),
    )
    for r in sorted(rows, key=lambda r: r["load"] + r["run"], reverse=True)[:10]:
        detail.add(
            str(r["path"]).removeprefix("scenarios/").removesuffix(".scenario.yaml"),
            r["steps"],
            fmt_time(r["load"]),
            fmt_time(r["run"]),
            fmt_time(r["machines"]),
            f"{r['run'] / r['machines']:.2f}" if r["machines"] else "-",
        )
    per = sorted(r["load"] + r["run"] for r in rows)
    detail.add(
        f"all {len(rows)}: total",
        sum(r["steps"] for r in rows),
        fmt_time(total["load"]),
        fmt_time(total["run"]),
        fmt_time(machines),
        f"{total['run'] / machines:.2f}",
    )
    detail.note(
        f"median scenario (load + run): {fmt_time(per[len(per) // 2])}; "
        f"run/machines = whole run (World, steps, expects) / the python-statemachine calls alone."
    )
    failed = [str(r["path"]) for r in rows if not r["passed"]]
    if failed:
        detail.note(f"failing scenarios (timed anyway): {', '.join(failed)}")
    return [process, detail]
