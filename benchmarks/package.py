"""11. The package's shape (issue 20): the installed size of the core and of each extra, the
start-up of `bindsim --help` and `bindsim run` as processes, loading a snapshot against saving it.

- Installed closure: the files that pip recorded for every distribution that bindsim's
  requirements pull in (for bindsim itself, its source tree: an editable install records none),
  for the core and with each extra, read from this venv's metadata; the venv's own pip and
  setuptools are in no closure. Target: the core ≤ 40 MiB.
- `bindsim --help` and `bindsim run` of one scenario as processes against `python -c pass`,
  CPU time of the children, interleaved rounds: targets ≤ 6× and ≤ 15×. (The whole library as a
  process, ≤ 12×, is section 1c.)
- `World.from_dict` against `w.to_dict()` on a World of about 3,500 records: target ≤ 3×.
"""

from __future__ import annotations

import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from benchmarks import workloads
from benchmarks.core import bindsim_command
from benchmarks.harness import (
    ROOT,
    Case,
    Ratio,
    Table,
    child_cpu_seconds,
    fmt_bytes,
    fmt_time,
    median,
    rounds,
    time_cases,
    verdict,
)
from bindsim import World

CORE_TARGET = 40 * 2**20
HELP_TARGET = 6.0
RUN_ONE_TARGET = 15.0
LOAD_TARGET = 3.0
ONE_SCENARIO = workloads.LIBRARY / "invitations" / "expired_at_exactly_48h.scenario.yaml"


def closure(extras: set[str]) -> dict[str, int]:
    """Every distribution that `pip install bindsim[extras]` brings in, with its installed size."""
    sizes: dict[str, int] = {}
    todo = [Requirement(f"bindsim[{','.join(sorted(extras))}]" if extras else "bindsim")]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        dist = metadata.distribution(name)
        sizes[name] = sum(f.size or 0 for f in dist.files or ())
        if name == "bindsim":  # an editable install records no package files: count the tree
            sizes[name] = sum(
                path.stat().st_size
                for path in (ROOT / "src" / "bindsim").rglob("*")
                if path.is_file() and "__pycache__" not in path.parts
            )
        for needed in map(Requirement, dist.requires or ()):
            wanted = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
            if needed.marker and not any(needed.marker.evaluate(env) for env in wanted):
                continue
            if needed.extras or canonicalize_name(needed.name) not in sizes:
                todo.append(needed)
    return sizes


def closure_table() -> Table:
    table = Table(
        "11a. Installed closure of bindsim (files recorded by pip, this venv)",
        ("install", "distributions", "size", "target"),
    )
    for label, extras in (
        ("bindsim (the core)", set()),
        ("bindsim[slides]", {"slides"}),
        ("bindsim[serve]", {"serve"}),
        ("bindsim[all]", {"all"}),
    ):
        sizes = closure(extras)
        total = sum(sizes.values())
        target = f"≤ 40 MiB {verdict(total <= CORE_TARGET)}" if not extras else ""
        table.add(label, len(sizes), fmt_bytes(total), target)
    core = closure(set())
    heaviest = sorted(core.items(), key=lambda item: item[1], reverse=True)[:4]
    table.note("the core's largest: " + ", ".join(f"{n} {fmt_bytes(s)}" for n, s in heaviest))
    return table


def startup_table(quick: bool) -> Table:
    count = 3 if quick else 9
    command = bindsim_command()
    help_argv = [*command, "--help"]
    run_argv = [*command, "run", str(ONE_SCENARIO)]
    for argv in (help_argv, run_argv):  # once untimed: byte code compiled, files cached
        child_cpu_seconds(argv)

    def bare() -> float:
        return child_cpu_seconds([sys.executable, "-c", "pass"])[0]

    def show_help() -> float:
        return child_cpu_seconds(help_argv)[0]

    def run_one() -> float:
        return child_cpu_seconds(run_argv)[0]

    bare_s, help_s, run_s = rounds([bare, show_help, run_one], count)
    table = Table(
        f"11b. Start-up as a process, CPU time of the child (median of {count} rounds)",
        ("process", "CPU time", "× python -c pass", "target"),
    )
    table.add("python -c pass (baseline)", fmt_time(median(bare_s)), "1.00", "")
    for label, figures, target in (
        ("bindsim --help", help_s, HELP_TARGET),
        ("bindsim run (one scenario)", run_s, RUN_ONE_TARGET),
    ):
        ratio = Ratio(figures, bare_s)
        table.add(
            label,
            fmt_time(median(figures)),
            ratio.show(),
            f"≤ {target:g}× {verdict(ratio.value <= target)}",
        )
    return table


def big_world(pairs: int) -> World:
    """A World with `pairs` shops and accounts through a whole official-account cycle: shops,
    accounts, invitations, bindings and log entries, about 7 records per pair."""
    world = workloads.pairs_world(pairs)
    return workloads.run_phases(world, pairs, workloads.CYCLE)


def snapshot_table(quick: bool) -> Table:
    pairs, count = (100, 3) if quick else (500, 7)
    world = big_world(pairs)
    data = world.to_dict()
    records = sum(len(value) for value in data.values() if isinstance(value, list))
    save = Case("to_dict", run=lambda w: w.to_dict(), setup=lambda: world)
    load = Case("from_dict", run=World.from_dict, setup=lambda: data)
    save_s, load_s = time_cases([save, load], count)
    ratio = Ratio(load_s, save_s)
    table = Table(
        f"11c. A snapshot of {records:,} records: loading against saving (median of {count})",
        ("step", "CPU time", "per record", "× saving", "target"),
    )
    table.add(
        "w.to_dict()", fmt_time(median(save_s)), fmt_time(median(save_s) / records), "1.00", ""
    )
    table.add(
        "World.from_dict(data)",
        fmt_time(median(load_s)),
        fmt_time(median(load_s) / records),
        ratio.show(),
        f"≤ {LOAD_TARGET:g}× {verdict(ratio.value <= LOAD_TARGET)}",
    )
    return table


def run(quick: bool) -> list[Table]:
    return [closure_table(), startup_table(quick), snapshot_table(quick)]
