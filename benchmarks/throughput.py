"""2. Scenario throughput, in process: each library scenario loaded and run, on both engines.

Loading (YAML parse, validation, building the steps) is set against the YAML parse alone;
running against the same steps on the reference engine (python-statemachine itself). The
library as a whole process is in section 1 (core).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import workloads
from benchmarks.harness import Case, Ratio, Table, fmt_time, median, time_cases, verdict
from bindsim.simulator.scenario import Scenario, build_world, load_file, run_step
from bindsim.simulator.scenario.loader import parse_yaml

ENGINES = ("table", "statemachine")


def run_on(scenario: Scenario, engine: str) -> bool:
    """Run a scenario's steps as the runner does (stopping at the first failure) on `engine`;
    whether every step held."""
    world = workloads.on_engine(build_world(scenario), engine)
    for index, step in enumerate(scenario.steps, start=1):
        if run_step(world, step, index).passed is False:
            return False
    return True


@dataclass
class Measured:
    """One scenario's CPU times, one figure per round for each phase."""

    path: Path
    scenario: Scenario
    passed: dict[str, bool] = field(default_factory=dict)
    seconds: dict[str, list[float]] = field(default_factory=dict)

    def median(self, phase: str) -> float:
        return median(self.seconds[phase])

    @property
    def name(self) -> str:
        return str(self.path.relative_to(workloads.LIBRARY)).removesuffix(".scenario.yaml")


def phases(path: Path, scenario: Scenario, held: dict[str, list[bool]]) -> list[Case]:
    """The timed phases of one scenario; the runs note in `held` whether every step held."""
    text = path.read_text(encoding="utf-8")

    def on(engine: str) -> Case:
        return Case(engine, lambda _: held[engine].append(run_on(scenario, engine)))

    return [
        Case("parse", lambda _: parse_yaml(text, str(path))),
        Case("load", lambda _: load_file(path)),
        *(on(engine) for engine in ENGINES),
    ]


def measure(files: list[Path], count: int) -> list[Measured]:
    """Every scenario's phases: parse, load, run on each engine, interleaved within a round;
    and whether the scenario held in every timed run on each engine."""
    measured = []
    for path in files:
        item = Measured(path, load_file(path))
        held: dict[str, list[bool]] = {engine: [] for engine in ENGINES}
        cases = phases(path, item.scenario, held)
        gc.collect()  # once per scenario: a collection before each tiny case would cost more
        figures = time_cases(cases, count, collect=False)
        item.seconds = {case.name: seconds for case, seconds in zip(cases, figures, strict=True)}
        item.passed = {engine: all(outcomes) for engine, outcomes in held.items()}
        measured.append(item)
    return measured


def run(quick: bool) -> list[Table]:
    files = workloads.library_files()
    if not files:
        table = Table("2. Scenario throughput", ("", ""))
        table.note(f"no scenario library at {workloads.LIBRARY}: nothing to measure")
        return [table]
    count = 3 if quick else 7
    measured = measure(files, count)
    steps = sum(len(item.scenario.steps) for item in measured)

    def total(phase: str) -> list[float]:
        return [sum(values) for values in zip(*(m.seconds[phase] for m in measured), strict=True)]

    load = Ratio(total("load"), total("parse"))
    running = Ratio(total("table"), total("statemachine"))
    library = Table(
        f"2a. The scenario library in process ({len(files)} files, {steps} steps, "
        f"median of {count} rounds)",
        ("phase", "CPU time", "per step", "baseline", "baseline time", "ratio"),
    )
    rows = (
        ("load: parse + validate", load, "the YAML parse alone", f"{load.show()} × parse"),
        (
            "run, compiled tables",
            running,
            "the same on python-statemachine",
            f"{running.show(inverse=True)} × cheaper",
        ),
    )
    for label, ratio, baseline, shown in rows:
        seconds = median(ratio.subject)
        library.add(
            label,
            fmt_time(seconds),
            fmt_time(seconds / steps),
            baseline,
            fmt_time(median(ratio.baseline)),
            shown,
        )
    failed = [m.name for m in measured if not all(m.passed.values())]
    library.note(
        f"{steps / median(running.subject):,.0f} steps per second on the compiled tables; "
        f"every scenario holds on both engines [{verdict(not failed)}]"
        + (f": failing: {', '.join(failed)}" if failed else "")
    )
    library.note(
        "run = a World built from the scenario, then each step run and judged as "
        "`bindsim run` does (scenario.run_step); the reference runs the same World state "
        "through World.from_state(..., engine='statemachine')."
    )

    slowest = Table(
        f"2b. The ten slowest scenarios to load and run (median of {count} rounds)",
        ("scenario", "steps", "load", "run", "run, reference", "reference/compiled"),
    )
    for item in sorted(measured, key=lambda m: m.median("load") + m.median("table"))[::-1][:10]:
        ratio = Ratio(item.seconds["table"], item.seconds["statemachine"])
        slowest.add(
            item.name,
            len(item.scenario.steps),
            fmt_time(item.median("load")),
            fmt_time(item.median("table")),
            fmt_time(item.median("statemachine")),
            ratio.show(inverse=True),
        )
    per = sorted(m.median("load") + m.median("table") for m in measured)
    slowest.note(f"the median scenario loads and runs in {fmt_time(per[len(per) // 2])}.")
    return [library, slowest]
