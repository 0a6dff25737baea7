"""1. The core (issue 9 targets): the compiled engine, copies, the library as a process, actions.

- The official-account cycle on the compiled tables against python-statemachine itself
  (`engine="statemachine"`, the reference): target at least 5× cheaper.
- `w.copy()` against `World.from_dict(w.to_dict())`: target at least 50× cheaper.
- `bindsim run scenarios/` as a process against `python -c pass` (CPU time of the children):
  target at most 12×; and where its time goes, measured inside a child that does what
  `bindsim run` does, phase by phase (benchmarks/library_phases.py).
- One World action of each kind, on both engines, so that a regression shows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import workloads
from benchmarks.harness import (
    CHILD_ENV,
    ROOT,
    Case,
    Ratio,
    Table,
    child_cpu_seconds,
    compare,
    fmt_time,
    median,
    rounds,
    run_child,
    time_cases,
    verdict,
)
from benchmarks.library_phases import RUN_MODULES
from bindsim import BindSimError, World

CYCLE_TARGET = 5.0  # the reference engine costs at least this many times the compiled one
COPY_TARGET = 50.0  # World.from_dict(w.to_dict()) costs at least this many times w.copy()
PROCESS_TARGET = 12.0  # the library as a process costs at most this many times `python -c pass`


def rounds_for(quick: bool) -> int:
    return 3 if quick else 9


# ------------------------------------------------------------------ the cycle, both engines


def cycle_case(engine: str, pairs: int) -> Case:
    return Case(
        engine,
        setup=lambda: workloads.pairs_world(pairs, engine=engine),
        run=lambda world: workloads.run_phases(world, pairs, workloads.CYCLE),
    )


def cycle_table(quick: bool) -> Table:
    pairs, count = (10, rounds_for(quick)) if quick else (25, rounds_for(quick))
    ratio = compare(cycle_case("table", pairs), cycle_case("statemachine", pairs), count)
    table = Table(
        f"1a. Official-account cycle, compiled tables vs python-statemachine "
        f"({pairs} pairs per World, median of {count} rounds)",
        ("workload", "compiled/pair", "reference/pair", "reference/compiled", "target"),
    )
    cheaper = ratio.inverse
    table.add(
        "invite → accept → 24h → 5 taps → approve",
        fmt_time(median(ratio.subject) / pairs),
        fmt_time(median(ratio.baseline) / pairs),
        ratio.show(inverse=True),
        f"≥ {CYCLE_TARGET:.0f}× {verdict(cheaper >= CYCLE_TARGET)}",
    )
    table.note(
        "reference = the same World on engine='statemachine' (python-statemachine restored at "
        "each record's state and sent the event); ratios are medians of per-round ratios, with "
        "their range over the rounds."
    )
    return table


# ------------------------------------------------------------------ copies


def copy_ratio(world: World, copies: int, round_trips: int, count: int) -> Ratio:
    """Per-call CPU time of w.copy() against World.from_dict(w.to_dict()), interleaved."""

    def copy_all(_: object) -> None:
        for _ in range(copies):
            world.copy()

    def round_trip_all(_: object) -> None:
        for _ in range(round_trips):
            World.from_dict(world.to_dict())

    copy_s, trip_s = time_cases([Case("copy", copy_all), Case("dict", round_trip_all)], count)
    return Ratio([s / copies for s in copy_s], [s / round_trips for s in trip_s])


def copy_table(quick: bool) -> Table:
    count = rounds_for(quick)
    story, story_world = workloads.longest_story()
    sizes = (50,) if quick else (100, 400)
    worlds = [(f"longest library scenario: {story} (its end)", story_world, 2000, 20)]
    for shops in sizes:
        world, _ = workloads.random_world(shops)
        round_trips = 2 if shops < 400 else 1
        worlds.append((f"seeded random World, S = {shops}", world, 4000 // shops, round_trips))
    table = Table(
        f"1b. w.copy() vs World.from_dict(w.to_dict()) (median of {count} rounds)",
        ("World", "records", "log", "copy", "to_dict+from_dict", "ratio", "target"),
    )
    for name, world, copies, round_trips in worlds:
        ratio = copy_ratio(world, copies, round_trips, count)
        table.add(
            name,
            workloads.record_count(world),
            world.logged,
            fmt_time(median(ratio.subject)),
            fmt_time(median(ratio.baseline)),
            ratio.show(inverse=True),
            f"≥ {COPY_TARGET:.0f}× {verdict(ratio.inverse >= COPY_TARGET)}",
        )
    table.note(
        "seeded random World: S shops, 10·S accounts, 10·S actions over a year "
        "(benchmarks/workloads.py); a copy shares the immutable records and copies the "
        "dictionaries, the heap and the log list."
    )
    return table


# ------------------------------------------------------------------ the library as a process


def bindsim_command() -> list[str]:
    script = Path(sys.executable).with_name("bindsim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bindsim.simulator"]


PHASES = (
    ("imports: PyYAML", "import_yaml"),
    ("imports: click", "import_click"),
    ("imports: rich", "import_rich"),
    ("imports: bindsim's own modules", "import_bindsim"),
    ("compiling the machines' tables", "compile"),
    ("loading the files (parse + validate)", "load"),
    ("running the scenarios", "run"),
    ("reporting (rich, to a buffer)", "report"),
)


def import_times() -> dict[str, float]:
    """Each bindsim module's own import time (seconds) in one child, from -X importtime."""
    argv = [sys.executable, "-X", "importtime", "-c", "import " + ", ".join(RUN_MODULES)]
    done = subprocess.run(argv, cwd=ROOT, env=CHILD_ENV, capture_output=True, text=True, check=True)
    own = {}
    for line in done.stderr.splitlines():
        # "import time:  self [us] | cumulative | imported package"
        fields = line.removeprefix("import time:").split("|")
        if len(fields) == 3 and fields[2].strip().startswith("bindsim."):
            own[fields[2].strip()] = int(fields[0]) / 1e6
    return own


def heaviest_imports(runs: int, count: int = 5) -> list[tuple[str, float]]:
    """bindsim's modules that take longest to import by themselves: the median of `runs`."""
    found = [import_times() for _ in range(runs)]
    medians = {name: median([times.get(name, 0.0) for times in found]) for name in found[0]}
    return sorted(medians.items(), key=lambda item: item[1], reverse=True)[:count]


def process_table(quick: bool) -> Table:
    count = 3 if quick else 7
    library = str(workloads.LIBRARY)
    phases_argv = [sys.executable, "-m", "benchmarks.library_phases", library]
    run_argv = [*bindsim_command(), "run", library]
    for argv in (run_argv, phases_argv):  # once untimed: byte code compiled, files cached
        child_cpu_seconds(argv)
    codes: list[int] = []
    phases: list[dict[str, float]] = []

    def bare() -> float:
        return child_cpu_seconds([sys.executable, "-c", "pass"])[0]

    def library_run() -> float:
        seconds, code = child_cpu_seconds(run_argv)
        codes.append(code)
        return seconds

    def phased() -> float:
        seconds, output = run_child(phases_argv)
        phases.append(json.loads(output))
        return seconds

    bare_s, run_s, phased_s = rounds([bare, library_run, phased], count)
    ratio = Ratio(run_s, bare_s)
    table = Table(
        f"1c. The scenario library as a process, CPU time of the child (median of {count} rounds)",
        ("process", "CPU time", "× python -c pass", "target"),
    )
    table.add("python -c pass (baseline)", fmt_time(median(bare_s)), "1.00", "")
    ok = ratio.value <= PROCESS_TARGET and set(codes) == {0}
    table.add(
        f"bindsim run scenarios/ (exit {','.join(str(c) for c in sorted(set(codes)))})",
        fmt_time(median(run_s)),
        ratio.show(),
        f"≤ {PROCESS_TARGET:.0f}× {verdict(ok)}",
    )
    table.add(
        "the same work, phase by phase (library_phases)",
        fmt_time(median(phased_s)),
        Ratio(phased_s, bare_s).show(),
        "",
    )
    table.add("", "", "", "")
    table.add("where the time goes", "", "share of the run", "")
    total = median(run_s)
    start_and_exit = median(bare_s)
    shares = [("interpreter start and exit (python -c pass)", start_and_exit)]
    shares += [(label, median([p[key] for p in phases])) for label, key in PHASES]
    rest = total - sum(seconds for _, seconds in shares)
    shares.append(("the rest (click, the console script, freeing memory at exit)", rest))
    for label, seconds in shares:
        table.add(f"  {label}", fmt_time(seconds), f"{seconds / total:.0%}", "")
    heaviest = ", ".join(f"{name} {fmt_time(seconds)}" for name, seconds in heaviest_imports(count))
    table.note(
        f"bindsim's heaviest modules to import, by their own time (python -X importtime, wall "
        f"clock, median of {count} runs; a ranking, not a figure): {heaviest}."
    )
    scenarios = int(phases[0]["scenarios"])
    steps = int(phases[0]["steps"])
    table.note(
        f"{scenarios} scenarios (a file with examples holds several), {steps} steps. The phases "
        "are CPU times measured inside a child that imports, loads, runs and reports as "
        "`bindsim run` does (the imports in dependency order, each line adding only what the "
        "lines above have not imported)."
    )
    return table


# ------------------------------------------------------------------ one action of each kind


@dataclass(frozen=True)
class Action:
    """One World call per pair, from the state the phases in `before` leave."""

    name: str
    before: tuple[workloads.Phase, ...]
    call: Callable[[World, int], object]
    repeat: int = 1  # calls per pair: cheap calls are repeated so that a round is long enough


def refused_invite(world: World, i: int) -> None:
    try:
        world.invite(f"s{i}", f"c{i}")  # R-SLOT-OPEN: the pending invitation holds the slot
    except BindSimError:
        return
    raise AssertionError("the second invitation was not refused")


INVITED = (workloads.invite_all,)
UNLOCKED = (workloads.invite_all, workloads.accept_all, workloads.unlock_all)
REQUESTED = (*UNLOCKED, workloads.request_unlink_all)

ACTIONS: tuple[Action, ...] = (
    Action("invite (4 clicks)", (), lambda w, i: w.invite(f"s{i}", f"c{i}")),
    Action("invite, refused", INVITED, refused_invite),
    Action("accept", INVITED, lambda w, i: w.accept(f"c{i}", f"s{i}")),
    Action("tap Showcase", UNLOCKED, lambda w, i: w.tap(f"c{i}", "Showcase")),
    Action("click My Account", (), lambda w, i: w.click(f"s{i}", "My Account")),
    Action("request_unlink (6 moves)", UNLOCKED, lambda w, i: w.request_unlink(f"c{i}")),
    Action("approve_unlink", REQUESTED, lambda w, i: w.approve_unlink(f"s{i}", f"c{i}")),
    Action("official(shop), a query", INVITED, lambda w, i: w.official(f"s{i}"), repeat=20),
    Action("advance 1s, nothing due", INVITED, lambda w, i: w.advance("1s"), repeat=20),
)


def action_case(action: Action, pairs: int, engine: str) -> Case:
    def setup() -> World:
        world = workloads.run_phases(workloads.pairs_world(pairs), pairs, action.before)
        return workloads.on_engine(world, engine)

    def run(world: World) -> None:
        for i in range(pairs):
            for _ in range(action.repeat):
                action.call(world, i)

    return Case(f"{action.name} [{engine}]", run, setup)


def expiry_case(due: int, engine: str) -> Case:
    """A time jump that fires `due` live invitation expiries (R-INVITE-48H), on enough Worlds
    that a run fires at least 1,000 timers."""

    def setup() -> list[World]:
        base = workloads.pending_invitations(due, "48h")
        return [workloads.on_engine(base.copy(), engine) for _ in range(expiry_worlds(due))]

    def run(worlds: list[World]) -> None:
        for world in worlds:
            world.advance("48h")

    return Case(f"advance 48h [{engine}]", run, setup)


def expiry_worlds(due: int) -> int:
    return max(1, 1000 // due)


def actions_table(quick: bool) -> Table:
    pairs, count = (30, 3) if quick else (100, 7)
    table = Table(
        f"1d. One World action of each kind, per call ({pairs} pairs, median of {count} rounds)",
        ("action", "compiled", "reference", "reference/compiled"),
    )
    for action in ACTIONS:
        ratio = compare(
            action_case(action, pairs, "table"), action_case(action, pairs, "statemachine"), count
        )
        calls = pairs * action.repeat
        table.add(
            action.name,
            fmt_time(median(ratio.subject) / calls),
            fmt_time(median(ratio.baseline) / calls),
            ratio.show(inverse=True),
        )
    for due in (10, pairs * 10) if not quick else (10, pairs):
        ratio = compare(expiry_case(due, "table"), expiry_case(due, "statemachine"), count)
        timers = due * expiry_worlds(due)
        table.add(
            f"advance 48h, k = {due:,} expiries (per timer)",
            fmt_time(median(ratio.subject) / timers),
            fmt_time(median(ratio.baseline) / timers),
            ratio.show(inverse=True),
        )
    table.note(
        "per call, CPU time; the same call from the same state on both engines. A refused "
        "invite still walks Seller Center, logs the refusal and undoes the step."
    )
    return table


def run(quick: bool) -> list[Table]:
    return [cycle_table(quick), copy_table(quick), process_table(quick), actions_table(quick)]
