"""The `bindsim` command line: a thin layer of click commands over the simulator and diagrams."""

from __future__ import annotations

import importlib
import sys
from typing import IO, NamedTuple, cast

import click

from bindsim.errors import MissingExtra

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C


class Entry(NamedTuple):
    """A subcommand: where it lives (imported when it runs) and its line in `bindsim --help`."""

    home: str
    summary: str


COMMANDS = {
    "check": Entry("commands.check:check", "Validate scenario files (problems as FILE:LINE:COL)."),
    "codes": Entry("commands.codes:codes", "List the reason codes: message, remedy, verbs."),
    "demo": Entry("commands.demo:demo", "Run the library and write the gallery of pictures."),
    "diagram": Entry("commands.diagram:diagram", "Draw the machines, traces and timelines."),
    "explore": Entry("commands.explore:explore", "Visit every state a cast can reach, checked."),
    "init": Entry("commands.init:init", "Copy the scenario library and seed rules to change."),
    "rules": Entry("commands.rules:rules", "List rule IDs with the scenarios that cover them."),
    "run": Entry("commands.run:run", "Run scenario files and folders; exit 1 on a failure."),
    "serve": Entry("commands.serve:serve", "Open the simulator in a browser (bindsim[serve])."),
    "storyboard": Entry("commands.storyboard:storyboard", "Replay a scenario as slides."),
    "walk": Entry("commands.walk:walk", "An interactive prompt over a World."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use (click's documented pattern);
    `bindsim --help` lists them from COMMANDS without importing any."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].home.split(":")
        command = getattr(importlib.import_module(f"bindsim.simulator.{module}"), name)
        assert isinstance(command, click.Command)
        command.short_help = COMMANDS[cmd_name].summary
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name].summary) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


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
    except MissingExtra as missing:
        click.echo(f"Error: {missing}", err=True)
        return 2
    except click.exceptions.Abort as abort:
        if isinstance(abort.__cause__, KeyboardInterrupt):
            return EXIT_INTERRUPTED  # Ctrl-C: the user knows; no "Aborted!", no "violation found"
        click.echo("Aborted!", err=True)
        return 1
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else 0
