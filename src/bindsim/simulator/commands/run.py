"""`bindsim run PATH...`: validate every scenario file, run the cases, report; exit 0 / 1 / 2."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import click
from rich.console import Console
from rich.markup import escape

from bindsim.errors import BindSimError, InvalidArgument, ScenarioError
from bindsim.machines import Ruleset
from bindsim.simulator import properties, terminal
from bindsim.simulator.files import write_atomic
from bindsim.simulator.ruleset_file import load_ruleset
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.report import (
    measured,
    print_errors,
    print_measured,
    print_results,
    results_json,
)
from bindsim.simulator.scenario.runner import ScenarioResult
from bindsim.simulator.scenario.suite import Suite, load_suite

EXIT_PASSED, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def load_all(paths: Sequence[str]) -> tuple[list[model.Scenario], list[ScenarioError]]:
    """Every case under `paths`, validated; the problems of all invalid files together."""
    suite = load_suite(paths)
    return suite.cases, suite.errors


def _json(data: object) -> str:
    import json  # only --json needs it

    return json.dumps(data, indent=2, ensure_ascii=False)


def stderr() -> Console:
    return terminal.console(stderr=True)


def write_reports(
    reports: dict[str, str | None],
    results: Sequence[ScenarioResult],
    errors: Sequence[ScenarioError],
    seconds: float,
    ruleset_file: str | None,
) -> bool:
    """Write the --junit and --html files asked for; False (said on stderr) if one failed."""
    writers: dict[str, Callable[[], str]] = {
        "junit": lambda: _junit(results, errors, seconds),
        "html": lambda: _html(results, errors, seconds, ruleset_file),
    }
    written = True
    for kind, path in reports.items():
        if path is None:
            continue
        try:
            write_atomic(path, writers[kind]())
        except BindSimError as error:
            stderr().print(str(error))
            written = False
    return written


def _junit(results: Sequence[ScenarioResult], errors: Sequence[ScenarioError], s: float) -> str:
    from bindsim.simulator.scenario.junit import junit_xml

    return junit_xml(results, errors, s)


def _html(
    results: Sequence[ScenarioResult], errors: Sequence[ScenarioError], s: float, rules: str | None
) -> str:
    from bindsim.simulator.scenario.html import html_report

    return html_report(results, errors, s, rules)


class RunCommand(click.Command):
    """`--json` alone means the full document, and never takes the next path as its value:
    the short form is written `--json=summary`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = ["--json=full" if arg == "--json" else arg for arg in args]
        return super().parse_args(ctx, args)


@click.command("run", cls=RunCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--json",
    "json_mode",
    is_flag=False,
    flag_value="full",
    default=None,
    type=click.Choice(["full", "summary"]),
    help="Print a JSON document instead: --json (with every step's trace) or --json=summary.",
)
@click.option("--junit", "junit_file", type=click.Path(dir_okay=False), help="Write JUnit XML.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False), help="Write an HTML page.")
@click.option("--tag", "tags", multiple=True, help="Run only the scenarios with this tag (any).")
@click.option(
    "-k",
    "keywords",
    multiple=True,
    help="Run only the scenarios whose name, file, rules or tags contain this (`not X`: don't).",
)
@click.option(
    "--coverage",
    "show_coverage",
    is_flag=True,
    help="Also report what the run exercised: states, transitions, reason codes, rules.",
)
@click.option(
    "--property",
    "property_specs",
    multiple=True,
    metavar="MODULE:FUNCTION",
    help="A property checked after every step (as bindsim explore checks it); repeatable.",
)
@click.option(
    "--contracts/--no-contracts",
    default=True,
    show_default=True,
    help="Judge every step and state by the rules' contracts (bindsim rules --contracts).",
)
@click.option("-x", "--exitfirst", is_flag=True, help="Stop after the first failing scenario.")
@click.option(
    "--ruleset",
    "ruleset_file",
    type=click.Path(dir_okay=False),
    help="A TOML or YAML file of ruleset settings, under each scenario's own `ruleset:`.",
)
def run(
    paths: tuple[str, ...],
    json_mode: str | None,
    junit_file: str | None,
    html_file: str | None,
    tags: tuple[str, ...],
    keywords: tuple[str, ...],
    show_coverage: bool,
    property_specs: tuple[str, ...],
    contracts: bool,
    exitfirst: bool,
    ruleset_file: str | None,
) -> None:
    """Run scenario files and folders (every *.scenario.yaml under a folder).

    Exit status: 0 every expectation held, 1 a scenario failed, 2 invalid input.
    """
    began = time.perf_counter()
    reports = {"junit": junit_file, "html": html_file}
    base: Ruleset | None = None
    errors: list[ScenarioError] = []
    if ruleset_file is not None:
        try:
            base = load_ruleset(ruleset_file)
        except ScenarioError as error:
            errors.append(error)
    suite = Suite(errors=errors) if errors else load_suite(paths)
    if suite.errors:
        seconds = time.perf_counter() - began
        if json_mode:
            data = results_json(
                [], suite.errors, base, ruleset_file, seconds, json_mode == "summary"
            )
            click.echo(_json(data))
        print_errors(stderr(), suite.errors)
        write_reports(reports, [], suite.errors, seconds, ruleset_file)
        raise click.exceptions.Exit(EXIT_INVALID)
    selected = suite.select(tags, keywords)
    if not selected.cases:
        stderr().print(f"no scenario matches --tag/-k ({len(suite.cases)} found): nothing ran")
        raise click.exceptions.Exit(EXIT_INVALID)
    try:
        checked = [properties.load(spec) for spec in property_specs]
    except InvalidArgument as error:
        stderr().print(escape(str(error)))
        raise click.exceptions.Exit(EXIT_INVALID) from None
    try:
        results = selected.run(base, exitfirst, checked, contracts)
    except ScenarioError as error:  # a file valid alone, but not under --ruleset
        print_errors(stderr(), [error])
        raise click.exceptions.Exit(EXIT_INVALID) from None
    seconds = time.perf_counter() - began
    if json_mode:
        data = results_json(results, [], base, ruleset_file, seconds, json_mode == "summary")
        if show_coverage:
            data["coverage"] = measured(results).to_dict()
        click.echo(_json(data))
    else:
        print_results(terminal.console(), results, seconds)
        if show_coverage:
            print_measured(terminal.console(), measured(results))
    if not write_reports(reports, results, [], seconds, ruleset_file):
        raise click.exceptions.Exit(EXIT_INVALID)
    failed = any(not result.passed for result in results)
    raise click.exceptions.Exit(EXIT_FAILED if failed else EXIT_PASSED)
