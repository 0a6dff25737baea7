"""`bindsim serve [SCENARIO]`: the live simulator in a browser, on uvicorn, at 127.0.0.1:8000."""

from __future__ import annotations

from pathlib import Path

import click

from bindsim.extras import require
from bindsim.simulator.library import default_library
from bindsim.simulator.scenario import InvalidScenario, Scenario, load_file
from bindsim.simulator.serve.server import (
    CannotListen,
    allowed_hosts,
    is_loopback,
    listen,
    serve_forever,
)
from bindsim.simulator.terminal import shown

EXIT_INVALID = 2


def first_scenario(path: str) -> Scenario:
    try:
        return load_file(path)
    except InvalidScenario as invalid:
        click.echo(shown(str(invalid)), err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None


@click.command("serve")
@click.argument("scenario", required=False, type=click.Path(exists=True))
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any."
)
@click.option(
    "--library",
    "libraries",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A scenario folder the page may list and open (repeatable). Default: ./scenarios, "
    "else the library that ships with bindsim.",
)
@click.option("--no-library", is_flag=True, help="List no scenario folder at all.")
@click.option(
    "--readme-image",
    is_flag=True,
    help="Redraw the README's screenshot (docs/images/serve.en.png) and exit; needs "
    "Playwright (the dev extra) and Chromium.",
)
def serve(
    scenario: str | None,
    host: str,
    port: int,
    libraries: tuple[str, ...],
    no_library: bool,
    readme_image: bool,
) -> None:
    """Open the simulator in a browser: the creator's phone and the merchant's Seller Center
    side by side, live diagrams, the clock, the log, undo, save and a scenario player.

    SCENARIO, a file, is where every new browser session starts (its steps ready to play); a
    folder is the library to list. Each browser gets its own World, in memory.
    """
    require("serve", "bindsim serve")
    if readme_image:
        from bindsim.simulator.serve.screenshot import write_readme_image

        for path in write_readme_image(Path("docs/images")):
            click.echo(f"wrote {path}")
        return
    first = None
    folders = list(libraries)
    if scenario is not None and Path(scenario).is_dir():
        folders.append(scenario)
    elif scenario is not None:
        first = first_scenario(scenario)
    if not folders and not no_library:
        folders = [str(default_library())]
    if no_library:
        folders = []
    run(first, folders, host, port)


def run(first: Scenario | None, folders: list[str], host: str, port: int) -> None:
    from bindsim.simulator.serve import create_app

    app = create_app(folders, first, allowed_hosts=allowed_hosts(host), warm=True)
    try:
        sock = listen(host, port)
    except CannotListen as error:
        raise click.ClickException(str(error)) from None
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"bindsim serve: open http://{shown}:{sock.getsockname()[1]}/  (Ctrl-C stops it)")
    if folders:
        click.echo(f"  scenario library: {', '.join(folders)}")
    if first is not None:
        click.echo(f"  every new session starts from: {first.path}")
    if not is_loopback(host):
        click.echo(
            f"  note: listening on {host}: anyone who can reach this machine can use it", err=True
        )
    try:
        serve_forever(app, sock)
    finally:
        app.state.server.cache.close()  # the warm-up must not hold the exit up
