"""Scenario results for people (rich text) and for programs (JSON with the full trace)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from bindsim.errors import ScenarioError
from bindsim.machines import Ruleset
from bindsim.machines.rules import ASSUMPTIONS, RULES
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.expect import CHECKS
from bindsim.simulator.scenario.runner import ScenarioResult, StepResult, show

if TYPE_CHECKING:  # what a run exercised is read only when asked for (--coverage)
    from bindsim.simulator import coverage


def when(at: datetime | None) -> str:
    """A simulated time as the report shows it (UTC)."""
    return "-" if at is None else model.scalar(at)


def print_errors(console: Console, errors: Iterable[ScenarioError]) -> None:
    """Invalid input, one `FILE:LINE:COL: message` per line (editors and CI jump to it)."""
    for error in errors:
        console.print(escape(f"{error.path}:{error.line}:{error.column}: {error.text}"))


def print_results(console: Console, results: Sequence[ScenarioResult], seconds: float) -> None:
    """One line per scenario; for a failing one its step, line, expected vs actual and time."""
    for result in results:
        scenario = result.scenario
        if result.passed:
            console.print(
                f"[green]✓[/green] {escape(scenario.case_name)}  [dim]{escape(scenario.path)}[/dim]"
            )
            continue
        console.print(
            f"[red]✗ {escape(scenario.case_name)}[/red]  [dim]{escape(scenario.path)}[/dim]"
        )
        failure = result.failure
        if failure is not None:
            print_failure(console, scenario, failure)
    passed = sum(1 for r in results if r.passed)
    failed = len(results) - passed
    colour = "red" if failed else "green"
    console.print(
        f"[{colour}]{passed} passed, {failed} failed[/{colour}] "
        f"[dim]({len(results)} scenarios in {seconds:.2f}s)[/dim]"
    )


def failure_lines(scenario: model.Scenario, failure: StepResult) -> list[str]:
    """The failing step in plain text: where, what, expected vs found, when (also for pytest)."""
    lines = [
        f"{scenario.path}:{failure.line}: step {failure.index}: {failure.step.describe()}",
        f"  simulated time: {when(failure.at)}",
    ]
    if failure.mismatches:
        for mismatch in failure.mismatches:
            lines.append(f"  {mismatch.what}:")
            lines.append(f"    expected: {show(mismatch.expected)}")
            lines.append(f"    found:    {show(mismatch.actual)}")
    if failure.outcome in ("refused", "error") and failure.message:
        label = "refusal" if failure.outcome == "refused" else "error"
        body = failure.message.splitlines()
        lines.append(f"  {label}: {body[0]}")
        lines += [f"    {line.strip()}" for line in body[1:]]
    return lines


def print_failure(console: Console, scenario: model.Scenario, failure: StepResult) -> None:
    for index, line in enumerate(failure_lines(scenario, failure)):
        style = "bold" if index == 0 else ("yellow" if "expected" in line else "")
        text = escape(line)
        console.print(f"    [{style}]{text}[/{style}]" if style else f"    {text}")


def version() -> str:
    """bindsim's version, as installed."""
    from importlib import metadata  # only --json needs it: a plain run does not pay for it

    try:
        return metadata.version("bindsim")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def error_dicts(errors: Iterable[ScenarioError]) -> list[dict[str, Any]]:
    """Invalid input as data: file, line, col, message."""
    return [{"file": e.path, "line": e.line, "col": e.column, "message": e.text} for e in errors]


def results_json(
    results: Sequence[ScenarioResult],
    errors: Sequence[ScenarioError] = (),
    ruleset: Ruleset | None = None,
    ruleset_file: str | None = None,
    seconds: float = 0.0,
    short: bool = False,
) -> dict[str, Any]:
    """The JSON document of `bindsim run --json`: always one, even when nothing could run.

    `short` (`--json=summary`) leaves out each scenario's trace.
    """
    passed = sum(1 for r in results if r.passed)
    return {
        "bindsim": version(),
        "ruleset": {"file": ruleset_file, "settings": (ruleset or Ruleset()).to_dict()},
        "summary": {
            "scenarios": len(results),
            "passed": passed,
            "failed": len(results) - passed,
            "errors": len(errors),
            "duration": round(seconds, 6),
        },
        "errors": error_dicts(errors),
        "scenarios": [r.summary() if short else r.to_dict() for r in results],
    }


def claims(scenarios: Iterable[model.Scenario]) -> dict[str, list[str]]:
    """Every rule and assumption ID (docs/reference.md) → the scenarios whose `rules:` name it."""
    covered: dict[str, list[str]] = {rule: [] for rule in (*RULES, *ASSUMPTIONS)}
    for scenario in scenarios:
        for rule in scenario.rules:
            paths = covered.setdefault(rule, [])
            if scenario.path not in paths:  # the rows of a table are one file
                paths.append(scenario.path)
    return covered


def uncovered_rules(covered: dict[str, list[str]]) -> list[str]:
    """The R-… rules no scenario covers (assumptions are listed, not required)."""
    return [rule for rule in RULES if not covered.get(rule)]


def print_coverage(
    console: Console,
    covered: dict[str, list[str]],
    done: dict[str, list[str]],
    held: dict[str, list[str]] | None = None,
) -> None:
    """Per rule: the scenarios claiming it, those whose run exercised it, and those whose run
    only checked it and found it held."""
    from rich.table import Table  # only --coverage draws tables

    table = Table(title="Rule coverage of the scenarios", title_justify="left")
    table.add_column("rule")
    table.add_column("claimed", justify="right")
    table.add_column("exercised", justify="right")
    table.add_column("checked, held", justify="right")
    table.add_column("what")
    for rule, paths in covered.items():
        known = RULES.get(rule) or ASSUMPTIONS.get(rule)
        what = known.summary if known is not None else ""
        ran = done.get(rule, [])
        count = str(len(ran)) if ran else ("[red]0[/red]" if rule in RULES else "[dim]0[/dim]")
        only_held = len((held or {}).get(rule, []))
        table.add_row(rule, str(len(paths)), count, str(only_held), escape(what))
    console.print(table)
    missing = uncovered_rules(done)
    if missing:
        console.print(f"[red]No scenario exercises: {', '.join(missing)}[/red]")
    else:
        console.print(f"[green]Every rule of the seed ({len(RULES)}) is exercised.[/green]")


def exercised_by(results: Iterable[ScenarioResult], kind: str = "rule") -> dict[str, list[str]]:
    """Every rule and assumption ID → the scenario files whose run exercised it (kind "rule"),
    or only checked it and found it held (kind "held")."""
    found: dict[str, list[str]] = {rule: [] for rule in (*RULES, *ASSUMPTIONS)}
    for result in results:
        items = exercised(result)
        done = {item[1] for item in items if item[0] == "rule"}
        for item in sorted(items):
            if item[0] == kind and (kind == "rule" or item[1] not in done):
                paths = found.setdefault(item[1], [])
                if result.scenario.path not in paths:
                    paths.append(result.scenario.path)
    return found


def trace_lines(result: ScenarioResult) -> list[str]:
    """Every step run, one line each: ✓/✗, line, simulated time, step, outcome and reasons."""
    lines = []
    for step in result.steps:
        if step.passed is None:
            continue
        mark = "✓" if step.passed else "✗"
        outcome = step.outcome + (f" [{', '.join(step.reasons)}]" if step.reasons else "")
        fired = f"  (timers: {', '.join(t.action for t in step.timers)})" if step.timers else ""
        lines.append(
            f"  {mark} line {step.line:<4} {when(step.at)}  {step.step.describe()}  → {outcome}"
            f"{fired}"
        )
    return lines


# --------------------------------------------------------------- measured coverage


def exercised(result: ScenarioResult) -> set[coverage.Item]:
    """What a scenario run really exercised: its World's log (states entered, transitions
    taken, reason codes raised) and the rules its passing `expect` checks verified."""
    from bindsim.simulator import coverage

    items = {item for entry in result.world.log for item in coverage.of_entry(entry)}
    return items | _checked_rules(result)


def _checked_rules(result: ScenarioResult) -> set[coverage.Item]:
    """The rules behind the facts its passing `expect` checks verified."""
    items: set[coverage.Item] = set()
    for step in result.steps:
        if step.step.verb != "expect" or step.passed is not True:
            continue
        for check in step.step.checks:
            facts = CHECKS[check.kind].facts
            for key, _ in check.expected:
                items |= {("rule", rule) for rule in facts[key].rules}
    return items


def measured(results: Iterable[ScenarioResult]) -> coverage.Coverage:
    """What the runs exercised, each item counted as often as a step exercised it."""
    from bindsim.simulator import coverage

    found = coverage.Coverage()
    for result in results:
        found.add_log(result.world.log)
        found.add(_checked_rules(result))
    return found


def unexercised_claims(result: ScenarioResult) -> list[str]:
    """The rule IDs a scenario's `rules:` claims that its run never exercised nor checked (a
    rule checked and found held, like the 48h accepted at 47:59:59, counts as tested)."""
    done = {item[1] for item in exercised(result) if item[0] in ("rule", "held")}
    return [rule for rule in result.scenario.rules if rule not in done]


def print_measured(console: Console, found: coverage.Coverage) -> None:
    """What the run exercised, kind by kind, and what it did not."""
    from rich.table import Table

    table = Table(title="Measured coverage (read from the run's log)", title_justify="left")
    for column in ("kind", "exercised", "of", "not exercised"):
        table.add_column(column, justify="left" if column in ("kind", "not exercised") else "right")
    for kind, (done, total) in found.summary().items():
        left = found.missing_words(kind)
        shown = ", ".join(left[:8]) + (f" (+{len(left) - 8})" if len(left) > 8 else "")
        table.add_row(kind, str(done), str(total), escape(shown) or "[green]none[/green]")
    console.print(table)
