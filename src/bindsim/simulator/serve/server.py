"""Serving the app: a listening socket, uvicorn on it, and which Host names to answer."""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bindsim.errors import CannotListen

if TYPE_CHECKING:  # Starlette is the serve extra: this module is imported before it is checked
    from starlette.types import ASGIApp, Receive, Scope, Send


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str]:
    """The Host headers the app answers: on a loopback address (IPv4 or IPv6) only the local
    names, so that a web page cannot reach the simulator through a name of its own that
    resolves to the loopback address (DNS rebinding)."""
    if not is_loopback(host):
        return ["*"]
    ipv6 = ":" in host
    local = ["::1", "localhost"] if ipv6 else ["127.0.0.1", "localhost"]
    return list(dict.fromkeys([*local, host_key(host) or host]))


# A Host header: a name or IPv4 address, or an IPv6 address in brackets; then maybe a port.
_HOST = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::[0-9]{1,5})?")


def host_key(value: str) -> str | None:
    """The host a Host header (or an --host) names, in one spelling (`[::1]:8000` and
    `[0:0::1]` are both `::1`; `LocalHost.` is `localhost`), or None if it is not one."""
    bare = value if value.count(":") > 1 and not value.startswith("[") else None
    if bare is not None:  # an IPv6 address as given to --host, without brackets
        try:
            return ipaddress.IPv6Address(bare).compressed
        except ValueError:
            return None
    match = _HOST.fullmatch(value)
    if match is None:
        return None
    if match["ipv6"] is not None:
        try:
            return ipaddress.IPv6Address(match["ipv6"]).compressed
        except ValueError:
            return None
    return match["name"].lower().rstrip(".")


class HostGuard:
    """Answer only requests whose Host header is one of `allowed` ("*": any), else 400."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        self.any = "*" in allowed_hosts
        self.allowed = {host_key(host) for host in allowed_hosts} - {None}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if host_key(raw) in self.allowed:
            await self.app(scope, receive, send)
            return
        from starlette.responses import PlainTextResponse

        await PlainTextResponse("Invalid host header", status_code=400)(scope, receive, send)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port); CannotListen if the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        # IPPROTO_TCP, not 0: asyncio then turns Nagle off on each connection (TCP_NODELAY);
        # without it a small answer waits ~40 ms for the client's delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        raise CannotListen(host, port, error) from None
    return sock


def server_for(app: Any) -> Any:
    import uvicorn

    return uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))


def serve_forever(app: Any, sock: socket.socket) -> None:
    """Serve until Ctrl-C."""
    server_for(app).run(sockets=[sock])


def serve_workers(factory: str, sock: socket.socket, workers: int) -> None:
    """Serve until Ctrl-C with `workers` processes on one socket, each with the app that the
    function `factory` ("module:function") makes; the sessions they share are in SQLite."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    class Supervisor(Multiprocess):
        """uvicorn's supervisor, which tells a Ctrl-C from other ends (for exit status 130)."""

        interrupted = False

        def handle_int(self) -> None:
            self.interrupted = True
            super().handle_int()

    config = uvicorn.Config(
        factory, factory=True, workers=workers, log_level="warning", lifespan="off"
    )
    supervisor = Supervisor(config, sockets=[sock])
    supervisor.run()
    if supervisor.interrupted:  # as the one-process server does: Ctrl-C ends the command with 130
        raise KeyboardInterrupt


@contextmanager
def running(app: Any) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free loopback port, for tests and pictures;
    yields its URL and stops it afterwards."""
    sock = listen("127.0.0.1", 0)
    server = server_for(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        threading.Event().wait(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
