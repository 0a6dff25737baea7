"""`bindsim run PATH...`: validate every scenario file, run them, report; exit 0 / 1 / 2."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import click
from rich.console import Console

from bindsim.simulator.errors import InvalidArgument, ScenarioError
from bindsim.simulator.ruleset_file import load_ruleset
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.report import (
    coverage,
    print_coverage,
    print_errors,
    print_results,
    results_json,
    uncovered_rules,
)
from bindsim.simulator.scenario.runner import ScenarioResult
from bindsim.simulator.scenario.runner import run as run_scenario
from bindsim.simulator.scenario.validate import InvalidScenario, find_files, load_file

EXIT_PASSED, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def load_all(paths: Sequence[str]) -> tuple[list[model.Scenario], list[ScenarioError]]:
    """Every scenario under `paths`, validated; the problems of all invalid files together."""
    scenarios: list[model.Scenario] = []
    errors: list[ScenarioError] = []
    for raw in paths:
        files = find_files([raw])
        if not files:
            errors.append(ScenarioError(raw, 1, 1, "no *.scenario.yaml files here"))
        for path in files:
            try:
                scenarios.append(load_file(path))
            except InvalidScenario as invalid:
                errors += invalid.errors
    return scenarios, errors


@click.command("run")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print results with the full trace as JSON.")
@click.option("--coverage", "show_coverage", is_flag=True, help="Also list the rules covered.")
@click.option("-x", "--exitfirst", is_flag=True, help="Stop after the first failing scenario.")
@click.option(
    "--ruleset",
    "ruleset_file",
    type=click.Path(dir_okay=False),
    help="A TOML or YAML file of ruleset settings, under each scenario's own `ruleset:`.",
)
def run(
    paths: tuple[str, ...],
    as_json: bool,
    show_coverage: bool,
    exitfirst: bool,
    ruleset_file: str | None,
) -> None:
    """Run scenario files and folders (every *.scenario.yaml under a folder).

    Exit status: 0 every expectation held, 1 a scenario failed, 2 invalid input.
    """
    console = Console(highlight=False, soft_wrap=True)
    base = None
    if ruleset_file is not None:
        try:
            base = load_ruleset(ruleset_file)
        except (InvalidArgument, ScenarioError) as error:
            Console(stderr=True, highlight=False, soft_wrap=True).print(str(error))
            raise click.exceptions.Exit(EXIT_INVALID) from None
    scenarios, errors = load_all(paths)
    if errors:
        print_errors(Console(stderr=True, highlight=False, soft_wrap=True), errors)
        raise click.exceptions.Exit(EXIT_INVALID)
    began = time.perf_counter()
    results: list[ScenarioResult] = []
    for scenario in scenarios:
        result = run_scenario(scenario, base)
        results.append(result)
        if exitfirst and not result.passed:
            break
    seconds = time.perf_counter() - began
    covered = coverage(scenarios)
    if as_json:
        data = results_json(results)
        if show_coverage:
            data["coverage"] = {"rules": covered, "uncovered": uncovered_rules(covered)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_results(console, results, seconds)
        if show_coverage:
            print_coverage(console, covered)
    failed = any(not result.passed for result in results)
    raise click.exceptions.Exit(EXIT_FAILED if failed else EXIT_PASSED)
