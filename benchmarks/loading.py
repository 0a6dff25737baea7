"""6. Loading scenario files: hostile files refused, large files read, a folder of scenarios run.

Figures, not assertions (a wall-clock check in tests/ would be a defect): CPU time, median of
rounds, each set against a baseline measured in the same run:
- a hostile file (alias bomb, recursive alias, deep nesting) against loading a valid file of
  the same size: refusing it must cost what reading a normal file costs, never more;
- a large generated scenario (5 MB; 0.5 MB with --quick) against PyYAML's own event scan of the
  same text (what bindsim cannot do faster than), with the peak memory of loading and running;
- a folder of 100 scenarios run by `bindsim run` in process against one of them alone (the
  test `test_a_folder_of_100_scenarios_runs_in_well_under_a_second_each` that measured this
  with a wall clock moved here).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from benchmarks.harness import Table, cpu_median, fmt_bytes, fmt_time, peak_memory

VALID = """\
name: the lock holds for 24 hours
rules: [R-LOCK-24H]
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
steps:
  - invite: {shop: gb, creator: alice}
  - accept: {creator: alice, shop: gb}
  - request_unlink: {creator: alice}
    expect_error: UNBIND_LOCKED
  - advance: 24h
  - request_unlink: {creator: alice}
"""
CYCLE = """\
  - invite: {shop: gb, creator: alice}
  - advance: 47h59m59s
  - accept: {creator: alice, shop: gb}
  - request_unlink: {creator: alice}
    expect_error: UNBIND_LOCKED
  - advance: 24h
  - request_unlink: {creator: alice}
  - approve_unlink: {shop: gb, creator: alice}
  - expect: {shop: gb, official: null}
"""
HEAD = """\
name: a long run
ruleset: {official_unbind_limit: 1000000}
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
steps:
"""


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["name: x", 'a0: &a0 ["lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join([*lines, "steps: [{advance: 1s}]"]) + "\n"


HOSTILE = {
    "billion laughs (9 × 9 aliases)": billion_laughs(),
    "recursive alias (steps: &s [*s])": "name: x\nsteps: &s [*s]\n",
    "500 levels of [": "name: x\nsteps: " + "[" * 500 + "]" * 500 + "\n",
    "5000 levels of {a:": "name: x\nsteps: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
}


def _load(path: Path) -> object:
    from bindsim.simulator.scenario.suite import load_suite

    return load_suite([str(path)])


def hostile(folder: Path, rounds: int) -> Table:
    table = Table(
        "6a. Hostile files refused (exit 2): CPU, median",
        ("file", "bytes", "refused in", "valid file, same size", "ratio", "peak memory"),
    )
    for name, text in HOSTILE.items():
        bad = folder / "hostile.scenario.yaml"
        bad.write_text(text, encoding="utf-8")
        good = folder / "valid.scenario.yaml"
        padding = max(0, len(text) - len(VALID))
        good.write_text(VALID + "# " + "x" * padding + "\n", encoding="utf-8")
        refused = cpu_median(lambda b=bad: b, _load, rounds)
        baseline = cpu_median(lambda g=good: g, _load, rounds)
        peak = peak_memory(lambda b=bad: _load(b))
        table.add(
            name,
            len(text),
            fmt_time(refused),
            fmt_time(baseline),
            f"{refused / baseline:.2f}",
            fmt_bytes(peak),
        )
    table.note(
        "Before (issue 14): a 414-byte billion-laughs file grew past 2.8 GB in 120 s; a recursive "
        "alias or 500 levels ended in a RecursionError traceback."
    )
    return table


def large(folder: Path, megabytes: float, rounds: int) -> Table:
    from bindsim.simulator.scenario.runner import run
    from bindsim.simulator.scenario.validate import load_cases

    cycles = int(megabytes * 1024 * 1024 / len(CYCLE))
    text = HEAD + CYCLE * cycles
    path = folder / "large.scenario.yaml"
    path.write_text(text, encoding="utf-8")
    steps = 8 * cycles
    scan = cpu_median(
        lambda: None, lambda _: sum(1 for _ in yaml.parse(text, yaml.CSafeLoader)), rounds
    )
    load = cpu_median(lambda: None, lambda _: load_cases(path), rounds)
    (scenario,) = load_cases(path)
    ran = cpu_median(lambda: None, lambda _: run(scenario), 1)  # one long run is many steps
    small = HEAD + CYCLE * 10
    small_path = folder / "small.scenario.yaml"
    small_path.write_text(small, encoding="utf-8")
    (short,) = load_cases(small_path)
    ran_small = cpu_median(lambda: None, lambda _: run(short), rounds * 4)
    load_peak = peak_memory(lambda: load_cases(path))
    table = Table(
        f"6b. A {len(text) / 1e6:.1f} MB scenario ({steps} steps): CPU, median",
        ("phase", "time", "baseline", "ratio", "peak memory"),
    )
    table.add("PyYAML event scan (baseline)", fmt_time(scan), "", "1.00", "")
    table.add(
        "read + validate",
        fmt_time(load),
        fmt_time(scan),
        f"{load / scan:.2f}",
        fmt_bytes(load_peak),
    )
    per_step, per_step_small = ran / steps, ran_small / (8 * 10)
    table.add(
        "run, per step",
        fmt_time(per_step),
        fmt_time(per_step_small),
        f"{per_step / per_step_small:.2f}",
        "",
    )
    table.note(
        "`run, per step` is set against the same steps in an 80-step scenario; the memory of a "
        "long run is the World's (benchmarks of issue 14, item 7)."
    )
    table.note(
        "Before (issue 12): a 5 MB file took 52 s and 660 MB, and the summary said 2.4 s "
        "(validation was not counted); durations now include reading and validating."
    )
    return table


def folder_of_100(folder: Path, rounds: int) -> Table:
    from bindsim.simulator.scenario.suite import load_suite

    many = folder / "many"
    many.mkdir()
    for index in range(100):
        (many / f"s{index:03}.scenario.yaml").write_text(VALID, encoding="utf-8")
    one = folder / "one"
    one.mkdir()
    (one / "s.scenario.yaml").write_text(VALID, encoding="utf-8")
    hundred = cpu_median(lambda: None, lambda _: load_suite([str(many)]).run(), rounds)
    single = cpu_median(lambda: None, lambda _: load_suite([str(one)]).run(), rounds * 4)
    table = Table(
        "6c. A folder of 100 scenarios, loaded and run in process: CPU, median",
        ("what", "time", "per scenario", "one scenario alone", "ratio"),
    )
    table.add(
        "100 files",
        fmt_time(hundred),
        fmt_time(hundred / 100),
        fmt_time(single),
        f"{hundred / 100 / single:.2f}",
    )
    return table


def run(quick: bool) -> list[Table]:
    rounds = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        return [
            hostile(folder, rounds),
            large(folder, 0.5 if quick else 5.0, 1 if quick else 3),
            folder_of_100(folder, rounds),
        ]
