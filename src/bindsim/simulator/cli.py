"""The `bindsim` command line: a thin layer of click commands over the simulator and diagrams."""

from __future__ import annotations

import importlib
import sys
from typing import IO, cast

import click

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

# Each command is imported only when it runs: `bindsim run` need not load graphviz or readline.
COMMANDS = {
    "check": "bindsim.simulator.commands.check:check",
    "codes": "bindsim.simulator.commands.codes:codes",
    "demo": "bindsim.simulator.commands.demo:demo",
    "diagram": "bindsim.simulator.commands.diagram:diagram",
    "explore": "bindsim.simulator.commands.explore:explore",
    "init": "bindsim.simulator.commands.init:init",
    "rules": "bindsim.simulator.commands.rules:rules",
    "run": "bindsim.simulator.commands.run:run",
    "serve": "bindsim.simulator.commands.serve:serve",
    "storyboard": "bindsim.simulator.commands.storyboard:storyboard",
    "walk": "bindsim.simulator.commands.walk:walk",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use (click's documented pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bindsim")
def cli() -> None:
    """Simulate, test and teach how a TikTok Shop binds and unbinds TikTok accounts."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with `argv` (tests call this directly) and return the exit code."""
    try:
        # Without standalone mode, click returns ctx.exit(code) / Exit(code) as the value.
        result = cli.main(args=argv, prog_name="bindsim", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:
        from bindsim.simulator.terminal import Escaped

        # A file name's ESC[2J must not clear the screen.
        error.show(file=cast(IO[str], Escaped(sys.stderr)))
        return error.exit_code
    except click.exceptions.Abort as abort:
        if isinstance(abort.__cause__, KeyboardInterrupt):
            return EXIT_INTERRUPTED  # Ctrl-C: the user knows; no "Aborted!", no "violation found"
        click.echo("Aborted!", err=True)
        return 1
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else 0
