"""The benchmarks are not tests, but their entry point must keep working: `python -m benchmarks
--help` imports every section and lists it, and a wrong section name is a usage error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("core", "throughput", "timejumps", "growth", "diagrams", "demo", "loading", "explore")


def benchmarks(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_imports_every_section_and_lists_it() -> None:
    done = benchmarks("--help")
    assert done.returncode == 0, done.stderr
    assert "--quick" in done.stdout
    listed = done.stdout.split("sections:", 1)[1].split()
    for section in SECTIONS:
        assert section in listed


def test_an_unknown_section_is_a_usage_error_that_names_the_sections() -> None:
    done = benchmarks("--quick", "overhead")
    assert done.returncode == 2
    assert "unknown section overhead" in done.stderr
    assert "core" in done.stderr
    assert "Traceback" not in done.stderr
