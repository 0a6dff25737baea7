"""`bindsim rules [PATH...]`: which rule IDs of DOMAIN.md the scenarios cover; 1 if one is not."""

from __future__ import annotations

import json

import click
from rich.console import Console

from bindsim.simulator.commands.run import EXIT_FAILED, EXIT_INVALID, EXIT_PASSED, load_all
from bindsim.simulator.library import default_library
from bindsim.simulator.scenario.report import (
    coverage,
    print_coverage,
    print_errors,
    uncovered_rules,
)


@click.command("rules")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print rule → scenario files as JSON.")
def rules(paths: tuple[str, ...], as_json: bool) -> None:
    """List every rule ID with the scenarios that cover it (default: ./scenarios, else the
    library shipped with bindsim).

    Exit status: 0 every R-… rule has a scenario, 1 one has none, 2 invalid input.
    """
    scenarios, errors = load_all(paths or (str(default_library()),))
    if errors:
        print_errors(Console(stderr=True, highlight=False, soft_wrap=True), errors)
        raise click.exceptions.Exit(EXIT_INVALID)
    covered = coverage(scenarios)
    missing = uncovered_rules(covered)
    if as_json:
        click.echo(json.dumps({"rules": covered, "uncovered": missing}, indent=2))
    else:
        print_coverage(Console(highlight=False, soft_wrap=True), covered)
    raise click.exceptions.Exit(EXIT_FAILED if missing else EXIT_PASSED)
