"""`bindsim serve`: the live simulator in a browser, the phone and Seller Center side by side.

The app (`create_app`, in serve.app) is a Starlette application: each browser gets a session with
its own World, kept in SQLite (store.py) so that restarts and worker processes share it; pages
are rendered on the server (Jinja2) with a little JavaScript on top. Starlette and uvicorn are
the `serve` extra: importing this package loads neither, so `bindsim serve` can say which extra
to install when they are missing.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from bindsim.simulator.serve.app import create_app

        return create_app
    raise AttributeError(f"module 'bindsim.simulator.serve' has no attribute {name!r}")


__all__ = ["create_app"]
