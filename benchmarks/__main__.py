"""`python -m benchmarks [--quick] [SECTION ...]`: run the benchmarks and print their figures."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata

from benchmarks import demo, growth, loading, overhead, rendering, serve, throughput, timejumps
from benchmarks.harness import Table

SECTIONS: dict[str, Callable[[bool], Table | list[Table]]] = {
    "overhead": overhead.run,
    "throughput": throughput.run_section,
    "timejumps": timejumps.run,
    "growth": growth.run,
    "diagrams": rendering.run,
    "demo": demo.run,
    "loading": loading.run,
    "serve": serve.run,
}


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> str:
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} CPUs ({cpu_model()}) · "
        f"Python {platform.python_version()} · "
        f"python-statemachine {metadata.version('python-statemachine')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
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
    chosen = args.sections or list(SECTIONS)
    print(f"# bindsim benchmarks{' (--quick)' if args.quick else ''}\n\n{machine()}\n", flush=True)
    began = time.perf_counter()
    for name in chosen:
        started = time.perf_counter()
        result = SECTIONS[name](args.quick)
        for table in result if isinstance(result, list) else [result]:
            print(table.render(), flush=True)
        print(f"({name}: {time.perf_counter() - started:.1f} s)\n", flush=True)
    print(f"all benchmarks: {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
