"""Helpers for the screen-flow tests: the transitions a screen machine declares, the shortest way
to each screen, and the transitions a World's log shows were taken."""

from __future__ import annotations

from collections import deque
from typing import Any

from bindsim import World
from bindsim.machines import ScreenMachine
from bindsim.simulator.log import LogEntry

Transition = tuple[str, str, str]  # (source screen, event, target screen)


def declared(machine: type[ScreenMachine]) -> list[Transition]:
    """Every (source, event, target) the machine class declares, in declaration order."""
    return [
        (str(state.id), event, str(transition.target.id))
        for state in machine.states_map.values()
        for transition in state.transitions
        for event in str(transition.event).split()
    ]


def transitions(machine: type[ScreenMachine]) -> list[Transition]:
    """The transitions a label takes (tapped or clicked), in declaration order."""
    return [t for t in declared(machine) if t[1] in machine.label_edges()]


def followers(machine: type[ScreenMachine]) -> list[Transition]:
    """The transitions the screen takes by itself after another machine's event (Edge.follows)."""
    return [t for t in declared(machine) if t[1] not in machine.label_edges()]


def path_to(machine: type[ScreenMachine], screen: str) -> list[Transition]:
    """The shortest path of transitions from the initial screen to `screen` (guards ignored)."""
    initial = next(str(s.id) for s in machine.states_map.values() if s.initial)
    paths: dict[str, list[Transition]] = {initial: []}
    queue = deque([initial])
    while queue:
        here = queue.popleft()
        for source, event, target in transitions(machine):
            if source == here and target not in paths:
                paths[target] = [*paths[here], (source, event, target)]
                queue.append(target)
    return paths[screen]


def taken(world: World, machine: str) -> list[Transition]:
    """The transitions of `machine` (a class name) that the log recorded, refused steps included."""
    return [
        (change.before[0], change.event, change.after[0])
        for entry in world.log
        for change in entry.changes
        if change.machine == machine
    ]


def moves(entries: list[LogEntry]) -> list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]:
    """Every machine change the log entries record: (target, machine, event, before, after)."""
    return [(c.target, c.machine, c.event, c.before, c.after) for e in entries for c in e.changes]


def without_log(world: World) -> dict[str, Any]:
    """The World's snapshot without its log: what a shortcut and its clicks must leave alike."""
    data = world.to_dict()
    del data["log"], data["logged"]
    return data
