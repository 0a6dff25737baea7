"""`bindsim demo`: the main job, run by `make demo`."""

from __future__ import annotations

import contextlib

import click
from rich.console import Console
from rich.table import Table

from simulator.clock import ManualClock
from simulator.errors import Refused
from simulator.world import World


def example_world() -> World:
    """The seed's story in a few steps: bind, meet the 24h lock, unlink, bind a new account."""
    world = World(clock=ManualClock("2024-11-11T12:06:00Z"))
    world.add_shop("gb", region="GB", kind="open")
    world.add_creator("alice", country="GB", age=24)
    world.add_creator("bob", country="GB", age=31)
    world.invite("gb", "alice", role="official")
    world.advance("47h")
    world.accept("alice", "gb")
    with contextlib.suppress(Refused):  # R-LOCK-24H: logged as refused
        world.request_unlink("alice")
    world.advance("24h")
    world.request_unlink("alice")
    world.approve_unlink("gb", "alice")
    world.invite("gb", "bob", role="official")  # R-REBIND
    world.accept("bob", "gb")
    return world


@click.command()
@click.option("--out", default="out", show_default=True, help="Folder for what the demo writes.")
def demo(out: str) -> None:
    """Run the built-in example and print its event log."""
    world = example_world()
    table = Table(title="bindsim demo: bind, 24h lock, unlink, rebind")
    for column in ("time (UTC)", "actor", "action", "outcome", "reasons"):
        table.add_column(column)
    for entry in world.log:
        who = ", ".join(f"{k}={v}" for k, v in entry.subject.items())
        table.add_row(
            entry.at.strftime("%Y-%m-%d %H:%M"),
            entry.actor,
            f"{entry.action}({who})",
            entry.outcome,
            ", ".join(entry.reasons),
        )
    Console().print(table)
