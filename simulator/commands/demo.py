"""`bindsim demo`: the main job, run by `make demo`: the scenario library, then every picture."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.console import Console

from bindsim.simulator.commands.run import EXIT_FAILED, EXIT_INVALID, EXIT_PASSED, load_all
from bindsim.simulator.library import default_library
from bindsim.simulator.scenario.report import print_errors, print_results
from bindsim.simulator.scenario.runner import run as run_scenario


@click.command()
@click.option("--out", default="out", show_default=True, help="Folder for the pictures.")
@click.option(
    "--scenarios",
    "library",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="The scenario library to run [default: ./scenarios, else the one shipped with bindsim].",
)
def demo(out: str, library: str | None) -> None:
    """Run the scenario library, then draw every machine (en, zh) and the stories' traces and
    timelines into OUT, with OUT/index.html linking them all."""
    import time

    library = library or str(default_library())
    console = Console(highlight=False, soft_wrap=True)
    scenarios, errors = load_all([library])
    if errors:
        print_errors(Console(stderr=True, highlight=False, soft_wrap=True), errors)
        raise click.exceptions.Exit(EXIT_INVALID)
    began = time.perf_counter()
    results = [run_scenario(scenario) for scenario in scenarios]
    print_results(console, results, time.perf_counter() - began)
    failed = any(not result.passed for result in results)

    from bindsim.diagrams.output import INSTALL_HINT, dot_available
    from bindsim.simulator.commands.diagram import run_picture

    if not dot_available():
        if os.environ.get("CI"):
            raise click.ClickException(f"Graphviz `dot` is missing: {INSTALL_HINT}")
        console.print(f"[yellow]No pictures: Graphviz `dot` is missing; {INSTALL_HINT}[/]")
        raise click.exceptions.Exit(EXIT_FAILED if failed else EXIT_PASSED)
    from bindsim import diagrams

    stories = Path(library).resolve() / "stories"
    runs = [
        run_picture(result)
        for result in results
        if Path(result.scenario.path).resolve().is_relative_to(stories)
    ]
    index = diagrams.write_gallery(out, runs)
    pictures = sum(1 for path in Path(out).rglob("*") if path.suffix in (".png", ".svg"))
    console.print(f"{pictures} pictures of {len(runs)} stories and every machine: {index}")
    raise click.exceptions.Exit(EXIT_FAILED if failed else EXIT_PASSED)
