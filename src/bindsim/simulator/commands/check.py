"""`bindsim check PATH...`: validate scenario files without running them; exit 0 or 2."""

from __future__ import annotations

import json

import click

from bindsim.simulator import terminal
from bindsim.simulator.commands.run import EXIT_INVALID, EXIT_PASSED, stderr
from bindsim.simulator.scenario.report import error_dicts, print_errors
from bindsim.simulator.scenario.suite import load_suite


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--json", "as_json", is_flag=True, help="Print the files, cases and problems as JSON."
)
@click.option(
    "--cast",
    is_flag=True,
    help="Accept files without steps (cast files, included by scenarios or used by walk).",
)
def check(paths: tuple[str, ...], as_json: bool, cast: bool) -> None:
    """Validate scenario files and folders as `bindsim run` would, without running them.

    Every problem is printed as FILE:LINE:COL: message. Exit status: 0 all valid, 2 invalid.
    """
    suite = load_suite(paths, require_steps=not cast)
    if as_json:
        data = {
            "files": suite.files,
            "cases": len(suite.cases),
            "valid": not suite.errors,
            "errors": error_dicts(suite.errors),
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif not suite.errors:
        terminal.console().print(
            f"[green]✓ {suite.files} files valid ({len(suite.cases)} scenarios)[/green]"
        )
    if suite.errors:
        print_errors(stderr(), suite.errors)
        raise click.exceptions.Exit(EXIT_INVALID)
    raise click.exceptions.Exit(EXIT_PASSED)
