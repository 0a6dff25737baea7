"""A child process that does what `bindsim run PATH` does, phase by phase, and prints the CPU
time of each phase as JSON: `python -m benchmarks.library_phases scenarios/`.

The imports come first, one package at a time in dependency order, so that each figure holds
only what the ones before it have not imported already; bindsim's own modules come last.
"""

from __future__ import annotations

import importlib
import io
import json
import sys
import time

# What the `bindsim` console script and its `run` command import.
RUN_MODULES = ("bindsim.simulator.cli", "bindsim.simulator.commands.run")
IMPORTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("import_yaml", ("yaml",)),
    ("import_click", ("click",)),
    ("import_rich", ("rich.console",)),
    ("import_bindsim", RUN_MODULES),
)


def main(argv: list[str]) -> int:
    figures: dict[str, float] = {}
    started = time.process_time()

    def lap(name: str) -> None:
        nonlocal started
        now = time.process_time()
        figures[name] = now - started
        started = now

    for name, modules in IMPORTS:
        for module in modules:
            importlib.import_module(module)
        lap(name)

    from rich.console import Console

    from bindsim.machines.compiled import SPECS
    from bindsim.simulator.engine import table_of
    from bindsim.simulator.scenario.report import print_results
    from bindsim.simulator.scenario.suite import load_suite

    started = time.process_time()
    for spec in SPECS:
        table_of(spec)
    lap("compile")
    suite = load_suite(argv)
    lap("load")
    if suite.errors:
        print("\n".join(str(error) for error in suite.errors), file=sys.stderr)
        return 2
    results = suite.run()
    lap("run")
    print_results(Console(file=io.StringIO(), highlight=False), results, 0.0)
    lap("report")
    figures["scenarios"] = len(suite.cases)
    figures["steps"] = sum(len(case.steps) for case in suite.cases)
    figures["failed"] = sum(1 for result in results if not result.passed)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
