"""1. Simulator overhead: World actions against the python-statemachine calls they make.

The baseline is recorded, not written by hand: one untimed run of the World records every machine
it creates and every `send` it makes (same machine, same event, same keyword arguments), and the
baseline replays exactly that trace on fresh machines. The World's own reads of its machines
(`enabled_events` to decide what is visible, `configuration` for the log) count as World cost.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.harness import Table, fmt_time, time_once, verdict
from bindsim.machines import BindsimMachine
from bindsim.simulator import ManualClock, World

TARGET = 1.3
START = "2024-11-11T12:00:00Z"

# One op of a trace: ("new", index, class) or ("send", index, event, kwargs).
Op = tuple[Any, ...]


class Recorder:
    """Records every machine the World creates and every event it sends, phase by phase."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self._index: dict[int, int] = {}
        self.machines: list[BindsimMachine] = []  # kept alive so that id() stays unique

    @contextmanager
    def phase(self) -> Iterator[list[Op]]:
        """Record the ops made while the block runs into a fresh list."""
        self.ops = []
        recorder = self

        def init(machine: BindsimMachine, *args: Any, **kwargs: Any) -> None:
            assert not args and not kwargs, "the World creates machines without arguments"
            super(BindsimMachine, machine).__init__()
            recorder._index[id(machine)] = len(recorder.machines)
            recorder.machines.append(machine)
            recorder.ops.append(("new", recorder._index[id(machine)], type(machine)))

        def send(machine: BindsimMachine, event: str, *args: Any, **kwargs: Any) -> Any:
            assert not args, "the World sends events with keyword arguments only"
            recorder.ops.append(("send", recorder._index[id(machine)], event, kwargs))
            return super(BindsimMachine, machine).send(event, **kwargs)

        BindsimMachine.__init__ = init  # type: ignore[method-assign]
        BindsimMachine.send = send  # type: ignore[method-assign]
        try:
            yield self.ops
        finally:
            del BindsimMachine.__init__
            del BindsimMachine.send


def replay(ops: list[Op], machines: list[Any]) -> None:
    """Drive the machines directly: the raw python-statemachine cost of a recorded trace."""
    for op in ops:
        if op[0] == "new":
            machines.append(op[2]())
        else:
            machines[op[1]].send(op[2], **op[3])


# The phases of the benchmark: each is one World action applied to every shop × account pair
# (or one call for the whole World), in this order.
Phase = tuple[str, str, Callable[[World, int], object] | None, Callable[[World], object] | None]
PHASES: list[Phase] = [
    ("invite", "4 clicks, Invitation()", lambda w, i: w.invite(f"s{i}", f"c{i}"), None),
    ("accept", "Binding(), confirm", lambda w, i: w.accept(f"c{i}", f"s{i}"), None),
    ("advance 25h", "1 unlock timer per pair", None, lambda w: w.advance("25h")),
    ("tap Showcase", "CreatorApp(), 1 tap", lambda w, i: w.tap(f"c{i}", "Showcase"), None),
    ("request_unlink", "Back + 5 taps", lambda w, i: w.request_unlink(f"c{i}"), None),
    ("click Back", "1 click", lambda w, i: w.click(f"s{i}", "Back"), None),
    ("approve_unlink", "Home + 2 clicks", lambda w, i: w.approve_unlink(f"s{i}", f"c{i}"), None),
]


def new_world(pairs: int) -> World:
    world = World(clock=ManualClock(START))
    for i in range(pairs):
        world.add_shop(f"s{i}", region="GB", kind="open")
        world.add_creator(f"c{i}", country="GB", age=24)
    return world


def run_phase(world: World, phase: Phase, pairs: int) -> None:
    _, _, per_pair, whole = phase
    if whole is not None:
        whole(world)
    else:
        assert per_pair is not None
        for i in range(pairs):
            per_pair(world, i)


def record_traces(pairs: int) -> list[list[Op]]:
    """One untimed World run: the ops of each phase."""
    world = new_world(pairs)
    recorder = Recorder()
    traces = []
    for phase in PHASES:
        with recorder.phase() as ops:
            run_phase(world, phase, pairs)
        traces.append(ops)
    check_replay(traces, recorder)
    return traces


def check_replay(traces: list[list[Op]], recorder: Recorder) -> None:
    """The baseline is faithful: replayed machines end where the World's machines ended."""
    machines: list[Any] = []
    for ops in traces:
        replay(ops, machines)
    replayed = [m.active_ids for m in machines]
    recorded = [m.active_ids for m in recorder.machines]
    if replayed != recorded:
        raise AssertionError("the raw replay does not reproduce the World's machine states")


def measure(pairs: int, repeat: int) -> list[tuple[str, str, int, float, float]]:
    """Per phase: (name, what, ops, world seconds, raw seconds) for `pairs` pairs.

    Each repeat builds a fresh World and fresh raw machines, and times every phase in order;
    World and raw repeats alternate, and each phase keeps its fastest time.
    """
    traces = record_traces(pairs)
    world_best = [math.inf] * len(PHASES)
    raw_best = [math.inf] * len(PHASES)
    for _ in range(repeat):
        world = new_world(pairs)
        for number, phase in enumerate(PHASES):
            seconds = time_once(lambda w=world: w, lambda w, p=phase: run_phase(w, p, pairs))
            world_best[number] = min(world_best[number], seconds)
        machines: list[Any] = []
        for number, ops in enumerate(traces):
            seconds = time_once(lambda m=machines: m, lambda m, ops=ops: replay(ops, m))
            raw_best[number] = min(raw_best[number], seconds)
    return [
        (phase[0], phase[1], len(ops), world_s, raw_s)
        for phase, ops, world_s, raw_s in zip(PHASES, traces, world_best, raw_best, strict=True)
    ]


def run(quick: bool) -> Table:
    pairs, repeat = (50, 5) if quick else (200, 15)
    table = Table(
        f"1. Simulator overhead: World action vs the same python-statemachine calls "
        f"({pairs} shop × account pairs, best of {repeat})",
        ("action", "machine work", "ops", "World/pair", "raw/pair", "ratio", f"≤ {TARGET}"),
        left=2,
    )
    total_world = total_raw = 0.0
    for name, what, ops, world_s, raw_s in measure(pairs, repeat):
        total_world += world_s
        total_raw += raw_s
        ratio = world_s / raw_s
        table.add(
            name,
            what,
            ops,
            fmt_time(world_s / pairs),
            fmt_time(raw_s / pairs),
            f"{ratio:.2f}",
            verdict(ratio <= TARGET),
        )
    ratio = total_world / total_raw
    table.add(
        "whole cycle",
        "",
        "",
        fmt_time(total_world / pairs),
        fmt_time(total_raw / pairs),
        f"{ratio:.2f}",
        verdict(ratio <= TARGET),
    )
    table.note(
        "raw = the World's own trace (machines created, events sent with the same kwargs) "
        "replayed on fresh machines; ratio = World / raw, measured interleaved in one process."
    )
    return table
