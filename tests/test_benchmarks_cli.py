"""The benchmarks are not tests, but their entry point must keep working: `python -m benchmarks
--help` imports every section and lists it, and a wrong section name is a usage error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    "core",
    "throughput",
    "timejumps",
    "growth",
    "diagrams",
    "demo",
    "loading",
    "explore",
    "mutation",
)


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


def test_the_mutator_makes_single_point_mutants_of_each_kind_that_compile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """benchmarks/mutation.py (make mutation): each mutant changes one point of the rule logic
    and still compiles; every kind the issue names is among them."""
    import ast
    import importlib

    monkeypatch.syspath_prepend(str(ROOT))
    mutation = importlib.import_module("benchmarks.mutation")

    found = mutation.mutants()
    kinds = {m.kind for m in found}
    assert {"comparison flipped", "step skipped", "default changed", "deadline off by 1s"} <= kinds
    assert {"reason dropped", "and/or swapped"} <= kinds
    for kind in sorted(kinds):
        mutant = next(m for m in found if m.kind == kind)
        source = mutation.mutated_source(mutant)
        original = ast.unparse(ast.parse(mutation.TARGETS[mutant.module].read_text()))
        assert source != original, mutant.label
        compile(source, mutant.module, "exec")
