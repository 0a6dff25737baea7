"""Serving the app: a listening socket, uvicorn on it, and which Host names to answer."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bindsim.machines.errors import BindSimError


class CannotListen(BindSimError):
    def __init__(self, host: str, port: int, error: OSError) -> None:
        hint = " (try another --port, or --port 0 for any free one)" if port else ""
        super().__init__(f"cannot listen on {host}:{port}: {error.strerror or error}{hint}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str]:
    """The Host headers the app answers: on a loopback address only the local names, so that
    a web page cannot reach the simulator through a name of its own that resolves to 127.0.0.1
    (DNS rebinding)."""
    if is_loopback(host) and ":" not in host:
        return ["127.0.0.1", "localhost", host]
    return ["*"]


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

    config = uvicorn.Config(
        factory, factory=True, workers=workers, log_level="warning", lifespan="off"
    )
    Multiprocess(config, sockets=[sock]).run()


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
