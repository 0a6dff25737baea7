"""`bindsim serve [SCENARIO]`: the live simulator in a browser, on uvicorn, at 127.0.0.1:8000."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click

from bindsim.simulator.library import default_library
from bindsim.simulator.scenario import InvalidScenario, Scenario, load_file

EXIT_INVALID = 2


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str]:
    """The Host headers the app answers: on a loopback address only the local names, so that
    a web page cannot reach the simulator through a name that resolves to 127.0.0.1."""
    if is_loopback(host) and ":" not in host:
        return ["127.0.0.1", "localhost", host]
    return ["*"]


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port); a clear error if the address is taken."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        hint = " (try another --port, or --port 0 for any free one)" if port else ""
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {error.strerror or error}{hint}"
        ) from None
    return sock


def first_scenario(path: str) -> Scenario:
    try:
        return load_file(path)
    except InvalidScenario as invalid:
        click.echo(str(invalid), err=True)
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
    import uvicorn

    from bindsim.simulator.serve import create_app

    app = create_app(folders, first, allowed_hosts=allowed_hosts(host))
    sock = listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    click.echo(f"bindsim serve: open {url}  (Ctrl-C stops it)")
    if folders:
        click.echo(f"  scenario library: {', '.join(folders)}")
    if first is not None:
        click.echo(f"  every new session starts from: {first.path}")
    if not is_loopback(host):
        click.echo(
            f"  note: listening on {host}: anyone who can reach this machine can use it", err=True
        )
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])
