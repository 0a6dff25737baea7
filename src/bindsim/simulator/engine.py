"""Running the machines of bindsim.machines without an instance per record.

Each machine's spec (machines/compiled.py: the class read by machines/spec.py) is compiled once
into a `Table`: for an atomic state and an event, the moves
python-statemachine would consider, in the order it considers them (the state's own transitions
first, then its ancestors', each in declaration order), with the same guard functions. A record
holds only its atomic state (`node`); the World asks an engine where an event takes it.

Two engines answer: `TableEngine` (the default: dictionary lookups) and `StatemachineEngine`, the
reference, which restores a python-statemachine instance and sends it the event (and so is the
only part of the World that imports python-statemachine, on first use). Tests run the scenario
library and hypothesis walks on both and require identical results.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from bindsim.errors import EventNotAllowed, InvalidArgument
from bindsim.machines.spec import Guard, MachineSpec

if TYPE_CHECKING:
    from bindsim.machines.base import BindsimMachine


@dataclass(frozen=True, slots=True)
class Move:
    """A candidate transition: taken when every guard holds; lands on an atomic state."""

    guards: tuple[Guard, ...]
    target: str


class Table:
    """One machine, compiled: every lookup the World makes is a dictionary access."""

    def __init__(self, spec: MachineSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.initial = spec.initial
        leaves = spec.leaves
        self.path: dict[str, tuple[str, ...]] = {leaf: spec.path(leaf) for leaf in leaves}
        self.active = {leaf: frozenset(path) for leaf, path in self.path.items()}
        self.outer = {leaf: path[0] for leaf, path in self.path.items()}
        # The configuration as a Change records it: state ids sorted.
        self.ordered = {leaf: tuple(sorted(path)) for leaf, path in self.path.items()}
        by_source: dict[str, list[Any]] = {}
        for transition in spec.transitions:
            by_source.setdefault(transition.source, []).append(transition)
        self.moves: dict[tuple[str, str], tuple[Move, ...]] = {}
        self.allowed: dict[str, tuple[str, ...]] = {}
        self.unguarded: dict[str, frozenset[str]] = {}
        for leaf, path in self.path.items():
            candidates: dict[str, list[Move]] = {}
            for state in reversed(path):  # the atomic state first, then its ancestors
                for transition in by_source.get(state, ()):
                    move = Move(transition.guards, spec.leaf(transition.target))
                    candidates.setdefault(transition.event, []).append(move)
            for event, moves in candidates.items():
                self.moves[leaf, event] = tuple(moves)
            # python-statemachine's allowed_events: outer state first, each state's events once.
            allowed: list[str] = []
            for state in path:
                for transition in by_source.get(state, ()):
                    if transition.event not in allowed:
                        allowed.append(transition.event)
            self.allowed[leaf] = tuple(allowed)
            self.unguarded[leaf] = frozenset(
                event for event, moves in candidates.items() if any(not m.guards for m in moves)
            )
        self.timer_sources = spec.timer_sources
        self._arming: dict[tuple[str | None, str], tuple[str, ...]] = {}

    def states(self, node: str) -> frozenset[str]:
        return self.active[node]

    def armed_by(self, before: str | None, after: str) -> tuple[str, ...]:
        """The timed events armed by moving from `before` (None: a new record) to `after`: those
        whose source state is entered by the move."""
        key = (before, after)
        if key not in self._arming:
            old = self.active[before] if before is not None else frozenset()
            self._arming[key] = self.spec.armed_by(old, self.active[after])
        return self._arming[key]

    def timer_live(self, node: str, event: str) -> bool:
        """Whether a timer for `event` still applies: the machine is still in a state it leaves.

        Exact because no machine re-enters a timed set of states once it has left it
        (tests/test_engine.py checks this), so no timer from an earlier visit can fire late."""
        return bool(self.timer_sources[event] & self.active[node])


@cache
def table_of(spec: MachineSpec) -> Table:
    """The compiled table of a machine's spec (compiled on first use, once per process)."""
    return Table(spec)


class Engine(Protocol):
    """What the World asks of an engine: where an event takes a machine, and what is enabled."""

    name: str

    def send(self, table: Table, node: str, event: str, kwargs: dict[str, Any]) -> str: ...

    def enabled(self, table: Table, node: str, kwargs: dict[str, Any]) -> frozenset[str]: ...

    def allowed(self, table: Table, node: str) -> tuple[str, ...]: ...


class TableEngine:
    """The default engine: the compiled tables, with the machines' own guard functions."""

    name = "table"

    def send(self, table: Table, node: str, event: str, kwargs: dict[str, Any]) -> str:
        for move in table.moves.get((node, event), ()):
            if all(guard.holds(kwargs) for guard in move.guards):
                return move.target
        raise EventNotAllowed(table.name, node, event)

    def enabled(self, table: Table, node: str, kwargs: dict[str, Any]) -> frozenset[str]:
        return frozenset(
            event
            for event in table.allowed[node]
            if any(all(g.holds(kwargs) for g in m.guards) for m in table.moves[node, event])
        )

    def allowed(self, table: Table, node: str) -> tuple[str, ...]:
        return table.allowed[node]


class StatemachineEngine:
    """The reference engine: python-statemachine itself, restored at the record's state."""

    name = "statemachine"

    def _machine(self, table: Table, node: str) -> BindsimMachine:
        from bindsim import machines

        machine: type[BindsimMachine] = getattr(machines, table.name)
        return machine.restore(table.path[node])

    def send(self, table: Table, node: str, event: str, kwargs: dict[str, Any]) -> str:
        from statemachine.exceptions import TransitionNotAllowed

        machine = self._machine(table, node)
        try:
            machine.send(event, **kwargs)
        except TransitionNotAllowed:
            raise EventNotAllowed(table.name, node, event) from None
        atomic = [str(s.id) for s in machine.configuration if not s.states]
        return atomic[0]

    def enabled(self, table: Table, node: str, kwargs: dict[str, Any]) -> frozenset[str]:
        return frozenset(str(e.id) for e in self._machine(table, node).enabled_events(**kwargs))

    def allowed(self, table: Table, node: str) -> tuple[str, ...]:
        events: list[str] = []
        for event in self._machine(table, node).allowed_events:
            if str(event.id) not in events:
                events.append(str(event.id))
        return tuple(events)


ENGINES: dict[str, Engine] = {"table": TableEngine(), "statemachine": StatemachineEngine()}


def engine_named(name: str) -> Engine:
    """An engine by name ("table" or "statemachine"); a clear error for any other."""
    if name not in ENGINES:
        raise InvalidArgument(f"unknown engine {name!r}; engines: {', '.join(ENGINES)}")
    return ENGINES[name]
