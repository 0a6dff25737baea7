"""The `bindsim` command line: a thin layer of click commands over the simulator and diagrams."""

from __future__ import annotations

import click

from simulator.commands import demo
from simulator.commands import diagram as diagram_command
from simulator.commands import rules as rules_command
from simulator.commands import run as run_command
from simulator.commands import walk as walk_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bindsim")
def cli() -> None:
    """Simulate, test and teach how a TikTok Shop binds and unbinds TikTok accounts."""


cli.add_command(demo.demo)
cli.add_command(diagram_command.diagram)
cli.add_command(run_command.run)
cli.add_command(rules_command.rules)
cli.add_command(walk_command.walk)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with `argv` (tests call this directly) and return the exit code."""
    try:
        # Without standalone mode, click returns ctx.exit(code) / Exit(code) as the value.
        result = cli.main(args=argv, prog_name="bindsim", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        return 1
    return result if isinstance(result, int) else 0
