"""`bindsim walk [SCENARIO]`: the scenario verbs at an interactive prompt over one World (the
prompt itself is bindsim.simulator.walk)."""

from __future__ import annotations

import sys

import click

from bindsim.errors import InvalidScenario
from bindsim.simulator.scenario.validate import load_file
from bindsim.simulator.walk.prompt import WalkShell


@click.command("walk")
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
def walk(scenario: str | None) -> None:
    """An interactive prompt over a World: the scenario verbs, `undo`, `save FILE`, `help`.

    With SCENARIO, start from its cast and run its steps first (a cast file without steps
    works too).
    """
    loaded = None
    if scenario is not None:
        try:
            loaded = load_file(scenario, require_steps=False)
        except InvalidScenario as invalid:
            click.echo(str(invalid), err=True)
            raise click.exceptions.Exit(2) from None
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="surrogateescape")  # a non-UTF-8 line is refused, not fatal
    interactive = stdin.isatty()
    shell = WalkShell(loaded, stdin=None if interactive else stdin, stdout=sys.stdout)
    shell.cmdloop()
