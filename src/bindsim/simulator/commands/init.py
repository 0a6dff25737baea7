"""`bindsim init DIR`: a copy of the scenario library and the seed ruleset to make your own."""

from __future__ import annotations

import click

from bindsim.errors import CannotWrite
from bindsim.simulator.library import init as copy_library


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def init(directory: str, force: bool) -> None:
    """Write DIR/scenarios/ (the scenario library) and DIR/rulesets/seed.toml (every rule as a
    setting), to change and run with `bindsim run` and `--ruleset`."""
    try:
        written = copy_library(directory, force=force)
    except CannotWrite as error:
        raise click.ClickException(str(error)) from None
    scenarios = sum(1 for path in written if path.name.endswith(".scenario.yaml"))
    click.echo(f"wrote {scenarios} scenarios and the seed ruleset into {directory}")
    click.echo(f"next: cd {directory} && bindsim run scenarios/ && bindsim rules")
