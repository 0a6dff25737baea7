"""`bindsim serve [SCENARIO]`: the live simulator in a browser, on uvicorn, at 127.0.0.1:8000."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from bindsim.errors import CannotListen, InvalidScenario
from bindsim.extras import require
from bindsim.simulator.library import default_library
from bindsim.simulator.scenario import Scenario, load_file
from bindsim.simulator.serve.server import (
    allowed_hosts,
    is_loopback,
    listen,
    serve_forever,
    serve_workers,
)
from bindsim.simulator.serve.store import FILE_NAME, default_data_dir
from bindsim.simulator.terminal import shown

# A worker process builds its app from this variable (uvicorn starts workers afresh).
WORKER_SETTINGS = "BINDSIM_SERVE_WORKER"
WORKER_APP = "bindsim.simulator.commands.serve:worker_app"

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
    "--data",
    type=click.Path(file_okay=False),
    help="The folder where sessions are kept (sessions.sqlite3), so that a restart loses "
    f"none. Default: {default_data_dir()}.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Processes that serve the same sessions (one per core suits a classroom).",
)
@click.option(
    "--expire-days",
    default=7.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="A session not used for this many days goes (its browser is told so).",
)
@click.option(
    "--readme-image",
    is_flag=True,
    help="Redraw the README's screenshots (docs/images/serve.en.png, serve.phone.en.png) and "
    "exit; needs Playwright (the dev extra) and Chromium.",
)
def serve(
    scenario: str | None,
    host: str,
    port: int,
    libraries: tuple[str, ...],
    no_library: bool,
    data: str | None,
    workers: int,
    expire_days: float,
    readme_image: bool,
) -> None:
    """Open the simulator in a browser: the creator's phone and the merchant's Seller Center
    side by side, live diagrams, the clock, the log, undo, save and a scenario player.

    SCENARIO, a file, is where every new browser session starts (its steps ready to play); a
    folder is the library to list. Each browser gets its own World; sessions are kept in
    DATA/sessions.sqlite3 until idle for --expire-days.
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
    settings = {
        "library": folders,
        "scenario": str(first.path) if first is not None and first.path else None,
        "hosts": allowed_hosts(host),
        "data": str(Path(data or default_data_dir()).absolute() / FILE_NAME),
        "ttl": expire_days * 24 * 3600,
    }
    run(first, settings, host, port, workers)


def app_of(settings: dict[str, Any], first: Scenario | None) -> Any:
    from bindsim.errors import CannotStore
    from bindsim.simulator.serve import create_app

    try:
        return create_app(
            settings["library"],
            first,
            allowed_hosts=settings["hosts"],
            warm=True,
            data=settings["data"],
            ttl=settings["ttl"],
        )
    except CannotStore as error:
        raise click.ClickException(str(error)) from None


def worker_app() -> Any:
    """The app of one worker process (`--workers N`), from the settings its parent left."""
    settings = json.loads(os.environ[WORKER_SETTINGS])
    first = load_file(settings["scenario"]) if settings["scenario"] else None
    return app_of(settings, first)


def run(
    first: Scenario | None, settings: dict[str, Any], host: str, port: int, workers: int
) -> None:
    from bindsim.errors import CannotStore
    from bindsim.simulator.serve.store import check_file

    folders = settings["library"]
    try:
        check_file(settings["data"])  # a bad --data fails here, before any worker starts
    except CannotStore as error:
        raise click.ClickException(str(error)) from None
    app = app_of(settings, first) if workers == 1 else None
    try:
        sock = listen(host, port)
    except CannotListen as error:
        raise click.ClickException(str(error)) from None
    address = f"[{host}]" if ":" in host else host
    click.echo(f"bindsim serve: open http://{address}:{sock.getsockname()[1]}/  (Ctrl-C stops it)")
    if folders:
        click.echo(f"  scenario library: {', '.join(folders)}")
    if first is not None:
        click.echo(f"  every new session starts from: {first.path}")
    click.echo(
        f"  sessions kept in: {settings['data']}" + (f" ({workers} workers)" if workers > 1 else "")
    )
    if not is_loopback(host):
        click.echo(
            f"  note: listening on {host}: anyone who can reach this machine can use it", err=True
        )
    try:
        if app is not None:
            serve_forever(app, sock)
            return
        os.environ[WORKER_SETTINGS] = json.dumps(settings)
        serve_workers(WORKER_APP, sock, workers)
    finally:
        if app is not None:
            app.state.server.cache.close()  # the warm-up must not hold the exit up
