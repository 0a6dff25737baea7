"""12. mutation (issue 21): single-point mutants of the rule logic (operations.py, checks.py,
queries.py, the Ruleset's defaults), and which of them the scenario library, explore's contracts
and explore's generated suites over the cast catalogue kill.

A small AST mutator of our own, not mutmut or cosmic-ray: both run one test command per mutant
and score "killed by the tests", while this needs three separate verdicts per mutant (the
library, the search's contracts and invariants, the suites generated from the correct code) in a
process that loads the mutant once; and both mutate whole files by their own operator sets,
where the point here is the rule logic's own kinds of slip: a comparison flipped, a reason
dropped, a deadline off by a second, a re-check skipped, a ruleset default changed.

Each mutant runs in a child process whose import of the mutated module is served from the
mutated source (an import hook), so no file is changed and nothing leaks between mutants.
"""

from __future__ import annotations

import ast
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.harness import ROOT, Table

SOURCE = ROOT / "src" / "bindsim"
# The rule logic: the modules mutated, by dotted name.
TARGETS = {
    "bindsim.simulator.operations": SOURCE / "simulator" / "operations.py",
    "bindsim.simulator.checks": SOURCE / "simulator" / "checks.py",
    "bindsim.simulator.queries": SOURCE / "simulator" / "queries.py",
    "bindsim.machines.ruleset": SOURCE / "machines" / "ruleset.py",
}
LIBRARY = SOURCE / "scenarios"
CATALOGUE = LIBRARY / "casts"
MAX_STATES = 500  # per cast, for the search on a mutant and for the suites of the correct code
SAMPLE_QUICK = 24
KILLERS = ("library", "contracts", "suites", "explore", "library or explore")


@dataclass(frozen=True)
class Mutant:
    module: str
    line: int
    kind: str
    text: str  # what changed, in words
    index: int  # the node's position in the module's walk (to find it again)
    variant: int  # which change of that node

    @property
    def label(self) -> str:
        short = self.module.rsplit(".", 1)[-1]
        return f"{short}:{self.line} {self.kind}: {self.text}"


_FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


def _changes(module: str, node: ast.AST, in_defaults: bool) -> Iterator[tuple[str, str]]:
    """The single-point changes of one node: (kind, words)."""
    if module.endswith("ruleset"):
        if in_defaults and isinstance(node, ast.AnnAssign) and node.value is not None:
            value = node.value
            name = ast.unparse(node.target)
            if isinstance(value, ast.Constant) and type(value.value) is int:
                yield "default changed", f"{name} {value.value} → {value.value + 1}"
            elif isinstance(value, ast.Constant) and type(value.value) is bool:
                yield "default changed", f"{name} {value.value} → {not value.value}"
            elif isinstance(value, ast.Call) and ast.unparse(value.func) == "timedelta":
                yield "deadline off by 1s", f"{name} {ast.unparse(value)} + 1s"
                yield "deadline off by 1s", f"{name} {ast.unparse(value)} − 1s"
        return
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _FLIPS:
        old = ast.unparse(node)
        yield (
            "comparison flipped",
            f"{old}: {type(node.ops[0]).__name__} → " + _FLIPS[type(node.ops[0])].__name__,
        )
    elif isinstance(node, ast.BoolOp):
        yield "and/or swapped", ast.unparse(node)[:60]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not dropped", ast.unparse(node)[:60]
    elif (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).endswith(("append", "recheck_stuck", "_release", "put"))
    ):
        yield "step skipped", ast.unparse(node)[:60]
    elif isinstance(node, ast.Return) and isinstance(node.value, ast.List) and node.value.elts:
        yield "reason dropped", ast.unparse(node)[:60]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        yield "+/− swapped", ast.unparse(node)[:60]


def _defaults_body(tree: ast.Module) -> set[int]:
    """The ids of the Ruleset class's field declarations."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Ruleset":
            return {id(n) for n in node.body if isinstance(n, ast.AnnAssign)}
    return set()


def mutants() -> list[Mutant]:
    found = []
    for module, path in TARGETS.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defaults = _defaults_body(tree)
        for index, node in enumerate(ast.walk(tree)):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # docstrings
            for variant, (kind, text) in enumerate(_changes(module, node, id(node) in defaults)):
                line = getattr(node, "lineno", 0)
                found.append(Mutant(module, line, kind, text, index, variant))
    return found


def mutated_source(mutant: Mutant) -> str:
    path = TARGETS[mutant.module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    node = list(ast.walk(tree))[mutant.index]
    if mutant.kind == "comparison flipped":
        assert isinstance(node, ast.Compare)
        node.ops = [_FLIPS[type(node.ops[0])]()]
    elif mutant.kind == "and/or swapped":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif mutant.kind == "not dropped":
        assert isinstance(node, ast.UnaryOp)
        _replace(tree, node, node.operand)
    elif mutant.kind == "step skipped":
        _replace(tree, node, ast.Pass())
    elif mutant.kind == "reason dropped":
        assert isinstance(node, ast.Return) and isinstance(node.value, ast.List)
        node.value = ast.List(elts=[], ctx=ast.Load())
    elif mutant.kind == "+/− swapped":
        assert isinstance(node, ast.BinOp)
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif mutant.kind == "default changed":
        assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant)
        value = node.value.value
        node.value = ast.Constant(not value if isinstance(value, bool) else value + 1)
    elif mutant.kind == "deadline off by 1s":
        assert isinstance(node, ast.AnnAssign) and node.value is not None
        sign = "+" if mutant.variant == 0 else "-"
        node.value = (
            ast.parse(f"({ast.unparse(node.value)}) {sign} timedelta(seconds=1)").body[0].value
        )  # type: ignore[attr-defined]
    return ast.unparse(ast.fix_missing_locations(tree))


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return


# ------------------------------------------------------------------ the child's side


def install(module: str, source: str) -> None:
    """Serve `module`'s import from `source` (the mutant): an import hook, before bindsim loads."""
    import importlib.abc
    import importlib.util

    path = str(TARGETS[module])

    class Loader(importlib.abc.SourceLoader):
        def get_filename(self, fullname: str) -> str:
            return path

        def get_data(self, filename: str) -> bytes:
            return source.encode("utf-8")

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, target: Any = None, *args: Any) -> Any:
            if fullname != module:
                return None
            return importlib.util.spec_from_file_location(fullname, path, loader=Loader())

    sys.meta_path.insert(0, Finder())
    sys.dont_write_bytecode = True


def verdicts(suites: Path) -> dict[str, bool]:
    """Which killers kill the code as imported now: True when that killer fails on it."""
    from bindsim.simulator.explore.search import Explorer, Limits
    from bindsim.simulator.explore.space import cast_of
    from bindsim.simulator.scenario import load_file
    from bindsim.simulator.scenario.runner import caught_up, first_state, run
    from bindsim.simulator.scenario.suite import load_suite

    def fails(paths: list[Path]) -> set[str]:
        loaded = load_suite([str(p) for p in paths])
        # A file the mutant makes invalid (a check at loading, such as a birthdate "not born
        # yet") fails as surely as one that runs and fails: it was skipped before.
        failed = {str(error) for error in loaded.errors}
        for case in loaded.cases:
            try:
                passed = run(case, contracts=False).passed
            except Exception:  # a crash is a kill
                passed = False
            if not passed:
                failed.add(f"{case.path}{case.example_label}")
        return failed

    known = json.loads((suites / "baseline.json").read_text())
    library = fails([LIBRARY]) - set(known["library"])
    explored = fails(sorted(suites.glob("*/*.scenario.yaml"))) - set(known["suites"])
    broken = False
    for cast_path in sorted(CATALOGUE.glob("*.cast.yaml")):
        cast = load_file(cast_path, require_steps=False)
        try:
            world = first_state(cast)  # as `bindsim explore` starts: after its steps
            space_cast = cast_of(world.state, tuple(cast.vary or ()))
            explorer = Explorer(world.state.copy(), caught_up(world), world.rules, space_cast)
            report = explorer.run(Limits(max_states=MAX_STATES))
            found = {(v.kind, v.message) for v in report.violations}
        except Exception:
            found = {("crash", "")}
        if found - {tuple(v) for v in known["violations"].get(cast_path.name, [])}:
            broken = True
            break
    return {
        "library": bool(library),
        "contracts": broken,
        "suites": bool(explored),
        "explore": broken or bool(explored),
        "library or explore": bool(library) or broken or bool(explored),
    }


def child(argv: list[str]) -> None:
    """python -m benchmarks.mutation MODULE INDEX VARIANT KIND SUITES: one mutant's verdicts."""
    module, index, variant, kind, suites = argv
    mutant = Mutant(module, 0, kind, "", int(index), int(variant))
    if kind != "none":
        install(module, mutated_source(mutant))
    print(json.dumps(verdicts(Path(suites))))


# ------------------------------------------------------------------ the parent's side


def prepare(folder: Path) -> None:
    """The suites explore generates over the catalogue from the correct code, and what already
    fails on the correct code (so that only what a mutant adds counts)."""
    from bindsim.simulator.explore.search import Explorer, Limits
    from bindsim.simulator.explore.space import cast_of
    from bindsim.simulator.explore.suite import write_suite
    from bindsim.simulator.scenario import load_file
    from bindsim.simulator.scenario.runner import caught_up, first_state

    violations = {}
    for cast_path in sorted(CATALOGUE.glob("*.cast.yaml")):
        cast = load_file(cast_path, require_steps=False)
        world = first_state(cast)  # as `bindsim explore` starts: after its steps
        space_cast = cast_of(world.state, tuple(cast.vary or ()))
        explorer = Explorer(world.state.copy(), caught_up(world), world.rules, space_cast)
        report = explorer.run(Limits(max_states=MAX_STATES))
        violations[cast_path.name] = [(v.kind, v.message) for v in report.violations]
        write_suite(report, cast, folder / cast_path.name.removesuffix(".cast.yaml"))
    (folder / "baseline.json").write_text(
        json.dumps({"library": [], "suites": [], "violations": violations})
    )
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.mutation", "x", "0", "0", "none", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    assert not any(json.loads(done.stdout).values()), "the correct code must not be killed"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE.parent), str(ROOT)])
    return env


def judge(mutant: Mutant, folder: Path) -> dict[str, bool]:
    try:
        return _judge(mutant, folder)
    except subprocess.TimeoutExpired:
        # A mutant that makes the library, a suite or a search run past 15 minutes (checks:21 and
        # checks:32, the age's year, took over 13 each on a busy machine) no longer stops the
        # whole benchmark; which of them hung is not known, so none is credited: it survives.
        return dict.fromkeys(KILLERS, False)


def _judge(mutant: Mutant, folder: Path) -> dict[str, bool]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.mutation",
            mutant.module,
            str(mutant.index),
            str(mutant.variant),
            mutant.kind,
            str(folder),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=900,
    )
    if done.returncode != 0 or not done.stdout.strip():
        return dict.fromkeys(KILLERS, True)  # the mutant does not even load: any run kills it
    verdict: dict[str, bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return verdict


def run(quick: bool, sample: int | None = None, jobs: int = 2) -> list[Table]:
    everything = mutants()
    size = sample if sample is not None else (SAMPLE_QUICK if quick else None)
    # In a seeded random order: the lines of a run cut short are a fair sample too.
    chosen = random.Random(21).sample(everything, min(size or len(everything), len(everything)))
    # MUTANTS="text|text": only the mutants whose label holds one of the texts (to go after a
    # group of survivors without the whole run), e.g. MUTANTS=ruleset: or MUTANTS=channel_reserved
    only = [text for text in os.environ.get("MUTANTS", "").split("|") if text]
    if only:
        chosen = [m for m in everything if any(text in m.label for text in only)]
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bindsim-mutation-") as temp:
        folder = Path(temp)
        prepare(folder)
        with ThreadPoolExecutor(jobs) as pool:
            results = []
            judged = pool.map(lambda m: judge(m, folder), chosen)
            for mutant, result in zip(chosen, judged, strict=True):
                results.append(result)  # and a line each on stderr, to follow a long run
                print(
                    f"{len(results)}/{len(chosen)}\t{mutant.label}\t{json.dumps(result)}",
                    file=sys.stderr,
                    flush=True,
                )
    seconds = time.perf_counter() - began
    return _tables(everything, chosen, results, seconds)


def _tables(
    everything: list[Mutant], chosen: list[Mutant], results: list[dict[str, bool]], seconds: float
) -> list[Table]:
    score = Table(
        f"12a. Mutants of the rule logic killed ({len(chosen)} of {len(everything)} mutants"
        f"{'' if len(chosen) == len(everything) else ', a seeded sample'})",
        ("killer", "killed", "of", "score"),
    )
    for killer in KILLERS:
        killed = sum(1 for r in results if r[killer])
        score.add(killer, killed, len(results), f"{killed / max(len(results), 1):.0%}")
    missed_by_library = [r for r in results if not r["library"]]
    caught = sum(1 for r in missed_by_library if r["explore"])
    score.note(
        f"of the {len(missed_by_library)} mutants the library misses, explore kills {caught}"
    )
    score.note(
        "library: every library scenario, contracts off; contracts: explore's search over the "
        f"catalogue ({MAX_STATES} states per cast) finds a broken contract or invariant; suites: "
        "the suites explore wrote from the correct code fail on the mutant (contracts off); "
        f"explore: either. {seconds:.0f} s wall, 2 processes."
    )
    kinds = Table("12b. Killed by kind of mutant", ("kind", "mutants", *KILLERS))
    for kind in sorted({m.kind for m in chosen}):
        rows = [r for m, r in zip(chosen, results, strict=True) if m.kind == kind]
        kinds.add(kind, len(rows), *(sum(1 for r in rows if r[k]) for k in KILLERS))
    survivors = Table("12c. Mutants nothing kills", ("mutant",))
    missed = Table("12d. Mutants explore misses (the library kills them)", ("mutant",))
    for mutant, result in zip(chosen, results, strict=True):
        if not result["library or explore"]:
            survivors.add(mutant.label)
        elif not result["explore"]:
            missed.add(mutant.label)
    return [score, kinds, survivors, missed]


if __name__ == "__main__":
    child(sys.argv[1:])
