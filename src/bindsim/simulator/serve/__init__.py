"""`bindsim serve`: the live simulator in a browser, the phone and Seller Center side by side.

The app (`create_app`) is a Starlette application: each browser gets a session with its own
World, kept in SQLite (store.py) so that restarts and worker processes share it; pages are
rendered on the server (Jinja2) with a little JavaScript on top.
"""

from bindsim.simulator.serve.app import create_app

__all__ = ["create_app"]
