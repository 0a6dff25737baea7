"""`bindsim explore CAST`: every reachable state of a cast, checked, and turned into scenarios."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from bindsim.errors import BindSimError, CannotWrite, WorkerFailed
from bindsim.simulator import contracts, invariants, properties, terminal
from bindsim.simulator.commands.run import EXIT_FAILED, EXIT_INVALID, EXIT_PASSED, stderr
from bindsim.simulator.explore import space, suite
from bindsim.simulator.explore.search import Explorer, Limits, Report
from bindsim.simulator.facts import VARIABLE_FACTS
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.report import print_errors
from bindsim.simulator.scenario.runner import caught_up, first_state, run
from bindsim.simulator.scenario.suite import load_suite

DEFAULT_VARY = "network,status"  # what a cast without `vary:` varies


@click.command("explore")
@click.argument("cast_file", type=click.Path())
@click.option("--depth", type=click.IntRange(min=0), help="Stop after this many actions.")
@click.option(
    "--max-states",
    type=click.IntRange(min=1),
    default=200_000,
    show_default=True,
    help="Stop after visiting this many states.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes that share each level (the same result; 2 are about 1.5× as fast).",
)
@click.option(
    "--vary",
    default=None,
    help="Facts that change, each over two values: "
    + ", ".join(VARIABLE_FACTS)
    + " (or none). Default: the cast's `vary:`, else network,status.",
)
@click.option(
    "--time-moves",
    type=click.Choice(["edges", "deadlines"]),
    default="edges",
    show_default=True,
    help="edges: to one second before, at and after the next deadline; deadlines: only to it "
    "(far fewer states: the ±1s moves let timers drift apart a second per cycle).",
)
@click.option(
    "--symmetry/--no-symmetry",
    default=True,
    show_default=True,
    help="Creators (or shops) with the same facts are interchangeable: a state and the state "
    "with two of them swapped are explored once.",
)
@click.option(
    "--time",
    "time_mode",
    type=click.Choice(["abstract", "exact"]),
    default="abstract",
    show_default=True,
    help="abstract: distances in time that no rule or time move can tell apart are one (a "
    "finite space); exact: every second counts (small casts only: timers drift apart).",
)
@click.option(
    "--property",
    "property_specs",
    multiple=True,
    metavar="MODULE:FUNCTION",
    help="A property every state must hold (it fails by returning False or raising).",
)
@click.option(
    "--out",
    default="explored",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where counterexamples and dead ends are written as scenario files.",
)
@click.option(
    "--suite",
    "suite_dir",
    type=click.Path(file_okay=False),
    help="Write a covering suite of scenario files here (the files of the suite written "
    "there before are replaced; other files are left alone).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def explore(
    cast_file: str,
    depth: int | None,
    max_states: int,
    jobs: int,
    vary: str | None,
    time_moves: str,
    symmetry: bool,
    time_mode: str,
    property_specs: tuple[str, ...],
    out: str,
    suite_dir: str | None,
    as_json: bool,
) -> None:
    """Explore every state the cast of CAST_FILE can reach, breadth first.

    CAST_FILE is a scenario file: its shops, creators and ruleset, and its steps (optional) as
    the way to the first state. From there every verb is tried on every id, facts change over
    --vary, and time moves to one second before, at and after the next deadline. Every state is
    checked; a violation is written to --out as the shortest scenario that reaches it.

    The space is finite: distances in time that no rule or move can tell apart count as one
    (--time abstract), and interchangeable creators or shops are explored once (--symmetry).

    CAST_FILE may be a folder: every *.cast.yaml in it is explored (each varying the facts its
    `vary:` names), and a table says, per rule, whether the searches reached it, how often its
    contracts were judged and which of its deadlines' boundaries (−1s, at, +1s) were tried.

    Exit status: 0 nothing broken, 1 a violation found, 2 invalid input (or a --jobs worker
    that failed).
    """
    err = stderr()
    shape = {
        "edges": time_moves == "edges",
        "symmetry": symmetry,
        "abstract_time": time_mode == "abstract",
    }
    if Path(cast_file).is_dir():
        limits = Limits(depth=depth, max_states=max_states)
        folder = _explore_folder(
            Path(cast_file), limits, jobs, vary, shape, out, suite_dir, as_json
        )
        raise click.exceptions.Exit(folder)
    loaded = load_suite([cast_file], require_steps=False)
    if loaded.errors:
        print_errors(err, loaded.errors)
        raise click.exceptions.Exit(EXIT_INVALID)
    cast = loaded.cases[0]
    facts = _varied(vary, cast)
    if facts is None:
        raise click.exceptions.Exit(EXIT_INVALID)
    try:
        checked = [properties.load(spec) for spec in property_specs]
        world = first_state(cast)
    except BindSimError as error:
        err.print(escape(str(error)))
        raise click.exceptions.Exit(EXIT_INVALID) from None
    explorer = Explorer(
        world.state.copy(),
        caught_up(world),
        world.rules,
        space.cast_of(world.state, facts, **shape),
        checked,
    )
    console = terminal.console(stderr=True, soft_wrap=False)
    limits = Limits(depth=depth, max_states=max_states)
    try:
        report = _with_progress(console, explorer, limits, jobs, as_json)
    except WorkerFailed as error:
        err.print(escape(str(error)))
        raise click.exceptions.Exit(EXIT_INVALID) from None
    try:
        written = _write_findings(report, cast, Path(out), checked)
        suite_files = suite.write_suite(report, cast, Path(suite_dir)) if suite_dir else []
    except (OSError, CannotWrite) as error:
        err.print(escape(f"cannot write the findings: {error}; choose another --out or --suite"))
        raise click.exceptions.Exit(EXIT_INVALID) from None
    replayed = [run(f.scenario) for f in suite_files]
    if as_json:
        click.echo(json.dumps(_json(report, written, suite_files, replayed, checked), indent=2))
    else:
        _print(terminal.console(), report, written, suite_files, replayed)
    failed_suite = any(not r.passed for r in replayed)
    broken = bool(report.violations) or failed_suite
    raise click.exceptions.Exit(EXIT_FAILED if broken else EXIT_PASSED)


CAST_FILES = "*.cast.yaml"


def _varied(vary: str | None, cast: model.Scenario) -> tuple[str, ...] | None:
    """The facts a search of `cast` varies: --vary's, else the cast's own `vary:` (an empty
    list varies nothing), else DEFAULT_VARY. None, said on stderr, when one is unknown."""
    if vary is None:
        vary = ",".join(cast.vary) if cast.vary is not None else DEFAULT_VARY
    facts = tuple(f.strip() for f in vary.split(",") if f.strip() not in ("", "none"))
    unknown = [f for f in facts if f not in VARIABLE_FACTS]
    if unknown:
        stderr().print(f"--vary: unknown fact {unknown[0]!r}; facts: {', '.join(VARIABLE_FACTS)}")
        return None
    return facts


def _explore_folder(
    folder: Path,
    limits: Limits,
    jobs: int,
    vary: str | None,
    shape: dict[str, bool],
    out: str,
    suite_dir: str | None,
    as_json: bool,
) -> int:
    """Explore every cast of a folder; print each search's size and the per-rule table."""
    err = stderr()
    files = sorted(folder.glob(CAST_FILES))
    if not files:
        err.print(escape(f"{folder}: no cast files ({CAST_FILES}) to explore"))
        return EXIT_INVALID
    loaded = load_suite([str(f) for f in files], require_steps=False)
    if loaded.errors:
        print_errors(err, loaded.errors)
        return EXIT_INVALID
    results = []
    for cast in loaded.cases:
        facts = _varied(vary, cast)
        if facts is None:
            return EXIT_INVALID
        try:
            world = first_state(cast)
        except BindSimError as error:
            err.print(escape(str(error)))
            return EXIT_INVALID
        explorer = Explorer(
            world.state.copy(),
            caught_up(world),
            world.rules,
            space.cast_of(world.state, facts, **shape),
        )
        try:
            report = explorer.run(limits, jobs)
        except WorkerFailed as error:
            err.print(escape(str(error)))
            return EXIT_INVALID
        stem = Path(cast.path).name.removesuffix(".cast.yaml")
        try:
            written = _write_findings(report, cast, Path(out) / stem, [])
            files_written = (
                suite.write_suite(report, cast, Path(suite_dir) / stem) if suite_dir else []
            )
        except (OSError, CannotWrite) as error:
            err.print(
                escape(f"cannot write the findings: {error}; choose another --out or --suite")
            )
            return EXIT_INVALID
        replayed = [run(f.scenario) for f in files_written]
        results.append((cast, report, written, files_written, replayed))
    table = per_rule([report for _, report, *_ in results])
    if as_json:
        data = {
            "casts": [
                {
                    "cast": cast.path,
                    **_json(report, written, files_written, replayed, []),
                }
                for cast, report, written, files_written, replayed in results
            ],
            "rules": table,
        }
        click.echo(json.dumps(data, indent=2))
    else:
        _print_folder(Console(highlight=False, soft_wrap=True), results, table)
    broken = any(
        report.violations or any(not r.passed for r in replayed)
        for _, report, _, _, replayed in results
    )
    return EXIT_FAILED if broken else EXIT_PASSED


def per_rule(reports: list[Report]) -> dict[str, dict[str, Any]]:
    """Per rule and assumption, over searches: reached ("exercised", "checked, held" or "no"),
    how often its contracts were judged, and the boundaries of its deadlines tried."""
    from bindsim.machines.rules import RULE_IDS

    rows: dict[str, dict[str, Any]] = {
        rule: {"reached": "no", "contracts": 0, "boundaries": []} for rule in RULE_IDS
    }
    for report in reports:
        for item, count in report.exercised.counts.items():
            kind = item[0]
            if len(item) < 2 or item[1] not in rows:
                continue
            row = rows[item[1]]
            if kind == "rule":
                row["reached"] = "exercised"
            elif kind == "held" and row["reached"] == "no":
                row["reached"] = "checked, held"
            elif kind in ("contract", "state contract"):
                row["contracts"] += count
            elif kind == "boundary" and item[2] not in row["boundaries"]:
                row["boundaries"].append(item[2])
    order = list(space.SIDES.values())
    for row in rows.values():
        row["boundaries"].sort(key=order.index)
        if row["reached"] != "exercised" and "at" in row["boundaries"]:
            row["reached"] = "exercised"  # its deadline came due: its timer, its window, 18
        elif row["reached"] == "no" and row["contracts"]:
            row["reached"] = "checked, held"  # its contracts judged it, and it held
    tried = {side for row in rows.values() for side in row["boundaries"]}
    window = rows["A-WINDOW-BOUNDS"]
    window["boundaries"] = [side for side in order if side in tried]
    if len(tried) == len(order):  # every deadline's −1s, at and +1s: the windows' exact ends
        window["reached"] = "exercised"
    return rows


def _print_folder(console: Console, results: list[Any], table: dict[str, dict[str, Any]]) -> None:
    for cast, report, written, files_written, replayed in results:
        whole = "every reachable state" if report.complete else "cut by a limit"
        broken = f", [red]{len(report.violations)} violation(s)[/red]" if report.violations else ""
        passed = sum(1 for r in replayed if r.passed)
        suite_line = f"; suite {passed}/{len(files_written)} pass" if files_written else ""
        console.print(
            f"{escape(cast.path)}: {report.states:,} states, depth {report.depth}, {whole}"
            f"{broken}{suite_line}"
        )
        for violation in report.violations:
            console.print(f"  [red]✗ {violation.kind}: {escape(violation.message)}[/red]")
        for file in written:
            console.print(f"  wrote {file.path}")
    rows = Table(title="Per rule, over the casts", title_justify="left")
    for column in ("rule", "reached", "contracts judged", "boundaries tried"):
        rows.add_column(column, justify="right" if column == "contracts judged" else "left")
    for rule, row in table.items():
        reached = row["reached"]
        colour = {"exercised": "green", "checked, held": "yellow"}.get(reached, "red")
        rows.add_row(
            rule,
            f"[{colour}]{reached}[/{colour}]",
            f"{row['contracts']:,}",
            ", ".join(row["boundaries"]) or "-",
        )
    console.print(rows)
    reached = sum(1 for row in table.values() if row["reached"] == "exercised")
    console.print(f"{reached} of {len(table)} rules and assumptions exercised.")


def _with_progress(
    console: Console, explorer: Explorer, limits: Limits, jobs: int, quiet: bool
) -> Report:
    """Run the search with a live line: states, states per second, depth and frontier."""
    began = time.perf_counter()
    line = Text("exploring…")

    def progress(states: int, depth: int, frontier: int, cpu: float) -> None:
        wall = max(time.perf_counter() - began, 1e-9)
        line.plain = (
            f"{states:,} states · {states / wall:,.0f} states/s · depth {depth} · "
            f"frontier {frontier:,}"
        )

    if quiet or not console.is_terminal:
        return explorer.run(limits, jobs)
    with Live(line, console=console, refresh_per_second=8, transient=False):
        return explorer.run(limits, jobs, progress)


def _write_findings(
    report: Report,
    cast: model.Scenario,
    folder: Path,
    checked: list[tuple[str, properties.Property]],
) -> list[suite.Written]:
    """Each violation and dead end as the shortest scenario that reaches it."""
    written = []
    if report.violations or report.dead_ends:
        folder.mkdir(parents=True, exist_ok=True)
    for number, violation in enumerate(report.violations, start=1):
        actions = report.path(violation.node)
        if violation.action is not None:
            actions.append(violation.action)
        if not actions and not cast.steps:
            continue  # the cast as given breaks it: there is no path to write
        replay = "bindsim run" + "".join(f" --property {name}" for name, _ in checked)
        description = (
            f"bindsim explore found this: {violation.kind}: {violation.message}. "
            f"The shortest path there; `{replay}` replays it to the same violation."
        )
        data = suite.scenario_data(cast, actions, f"Violation: {violation.message}", description)
        stem = f"violation_{number:02d}_{suite.slug(violation.message, 40)}"
        written.append(suite.write(folder, stem, data))
    for dead in report.dead_ends:
        name = f"Dead end: {dead.creator} can never be free again"
        description = (
            f"bindsim explore found no way on from here by which {dead.creator} is ever free "
            "(no live binding) again, whatever anyone does."
        )
        data = suite.scenario_data(cast, report.path(dead.node), name, description)
        written.append(suite.write(folder, f"dead_end_{suite.slug(dead.creator)}", data))
    return written


def _print(
    console: Console,
    report: Report,
    written: list[suite.Written],
    suite_files: list[suite.Written],
    replayed: list[Any],
) -> None:
    rate = report.states / max(report.seconds, 1e-9)
    processes = f" in {report.jobs} processes" if report.jobs > 1 else ""
    console.print(
        f"[bold]{report.states:,} states[/bold] ({report.expanded:,} expanded), "
        f"{report.transitions:,} transitions, depth {report.depth}, "
        f"{'every reachable state' if report.complete else 'cut by a limit'}; "
        f"{report.seconds:.1f} s, {rate:,.0f} states/s ({report.cpu_seconds:.1f} s CPU{processes})"
    )
    for line in _symmetry_lines(report):
        console.print(line)
    console.print("Checked in every state: " + "; ".join(invariants.DESCRIBED))
    judged = sum(
        count for item, count in report.exercised.counts.items() if item[0].endswith("contract")
    )
    console.print(
        f"and on every step and state, the {len(contracts.CONTRACTS)} contracts of the rules "
        f"(bindsim rules --contracts): judged {judged:,} times"
    )
    for violation in report.violations:
        steps = " → ".join(a.describe() for a in report.path(violation.node))
        console.print(f"[red]✗ {violation.kind}: {escape(violation.message)}[/red]")
        console.print(f"  after: {escape(steps) or 'the start'}")
    if not report.violations:
        console.print("[green]No state breaks an invariant or a property.[/green]")
    for dead in report.dead_ends:
        steps = " → ".join(a.describe() for a in report.path(dead.node))
        console.print(
            f"[yellow]dead end: {dead.creator} is never free again after: {steps}[/yellow]"
        )
    for file in written:
        console.print(f"  wrote {file.path}")
    table = Table(title="What the search exercised", title_justify="left")
    for column in ("kind", "exercised", "of", "never reached"):
        table.add_column(column)
    for kind, (done, total) in report.exercised.summary().items():
        left = report.exercised.missing_words(kind)
        table.add_row(kind, str(done), str(total), escape(", ".join(left)) or "none")
    console.print(table)
    if suite_files:
        passed = sum(1 for r in replayed if r.passed)
        console.print(f"suite: {len(suite_files)} scenario files, {passed} pass `bindsim run`")
        for file, result in zip(suite_files, replayed, strict=True):
            mark = "[green]✓[/green]" if result.passed else "[red]✗[/red]"
            console.print(f"  {mark} {file.path}: {escape(file.scenario.name)}")


def _symmetry_lines(report: Report) -> list[str]:
    """What symmetry saved, and what it leaves to --no-symmetry (dead ends of group members)."""
    if not report.symmetric:
        return []
    groups = "; ".join(", ".join(group) for group in report.symmetric)
    factor = report.stands_for / max(report.states, 1)
    return [
        f"symmetry: interchangeable: {groups}; the {report.states:,} states stand for "
        f"{report.stands_for:,} without symmetry ({factor:.1f}× fewer)",
        "  (dead ends of interchangeable accounts are looked for with --no-symmetry)",
    ]


def _json(
    report: Report,
    written: list[suite.Written],
    suite_files: list[suite.Written],
    replayed: list[Any],
    checked: list[tuple[str, properties.Property]],
) -> dict[str, Any]:
    return {
        "states": report.states,
        "transitions": report.transitions,
        "depth": report.depth,
        "complete": report.complete,
        "expanded": report.expanded,
        "seconds": round(report.seconds, 3),
        "cpu_seconds": round(report.cpu_seconds, 3),
        "jobs": report.jobs,
        "symmetric": [list(group) for group in report.symmetric],
        "stands_for": report.stands_for,
        "checked": [*invariants.DESCRIBED, *(name for name, _ in checked)],
        "violations": [
            {
                "kind": v.kind,
                "message": v.message,
                "path": [a.step() for a in report.path(v.node)]
                + ([v.action.step()] if v.action else []),
            }
            for v in report.violations
        ],
        "dead_ends": [
            {"creator": d.creator, "path": [a.step() for a in report.path(d.node)]}
            for d in report.dead_ends
        ],
        "files": [str(f.path) for f in written],
        "coverage": report.exercised.to_dict(),
        "suite": [
            {"file": str(f.path), "passed": r.passed}
            for f, r in zip(suite_files, replayed, strict=True)
        ],
    }
