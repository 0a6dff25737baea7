"""`python -m benchmarks [--quick] [SECTION ...]`: run the benchmarks and print their figures.

Every figure is CPU time, the median of rounds, set against a baseline measured in the same
run; benchmarks/README.md has the figures of a full run and what they mean."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from types import ModuleType

from benchmarks import (
    classroom,
    core,
    demo,
    explore,
    growth,
    loading,
    mutation,
    package,
    rendering,
    serve,
    storyboard,
    throughput,
    timejumps,
)
from benchmarks.harness import ROOT, Table

Section = Callable[[bool], Table | list[Table]]
# Each section is a module with run(quick); the first line of its docstring says what it times.
MODULES: dict[str, ModuleType] = {
    "core": core,
    "throughput": throughput,
    "timejumps": timejumps,
    "growth": growth,
    "diagrams": rendering,
    "demo": demo,
    "loading": loading,
    "serve": serve,
    "classroom": classroom,
    "explore": explore,
    "package": package,
    "storyboard": storyboard,
    "mutation": mutation,
}
SECTIONS: dict[str, Section] = {name: module.run for name, module in MODULES.items()}
# Sections that take minutes even with --quick (demo builds the whole gallery three times; it has
# `make bench-demo`): a --quick pass of every section leaves them out unless they are named.
SLOW = ("demo", "mutation")


def sections_help() -> str:
    lines = ["sections:"]
    for name, module in MODULES.items():
        summary = " ".join((module.__doc__ or "").strip().split("\n\n")[0].split())
        lines.append(f"  {name:<11} {summary}")
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def commit() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def machine() -> str:
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · commit {commit()} · {os.cpu_count()} CPUs "
        f"({cpu_model()}) · load average {load} · Python {platform.python_version()} · "
        f"python-statemachine {metadata.version('python-statemachine')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        epilog=sections_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smaller sizes, fewer rounds; leaves out {', '.join(SLOW)} unless named",
    )
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="SECTION",
        help=f"any of: {', '.join(SECTIONS)} (default: all)",
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    chosen = args.sections or [name for name in SECTIONS if not (args.quick and name in SLOW)]
    print(f"# bindsim benchmarks{' (--quick)' if args.quick else ''}\n\n{machine()}\n", flush=True)
    left_out = [name for name in SECTIONS if name not in chosen and not args.sections]
    if left_out:
        print(f"(--quick leaves out {', '.join(left_out)}: name it to run it)\n", flush=True)
    began = time.perf_counter()
    for name in chosen:
        started = time.perf_counter()
        result = SECTIONS[name](args.quick)
        for table in result if isinstance(result, list) else [result]:
            print(table.render(), flush=True)
        print(f"({name}: {time.perf_counter() - started:.1f} s)\n", flush=True)
    print(f"all benchmarks: {time.perf_counter() - began:.1f} s (wall clock)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
