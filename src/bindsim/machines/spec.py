"""A machine class read once into plain data: states and their nesting, transitions with their
guards, timers, and the class's own words (its title; each state's Node and each event's Edge,
declared with the state and the transitions themselves: machines/text.py), gathered here into
`nodes` per state id and `edges` per event id. The simulator compiles this into its transition
tables and runs its timers from it; the diagrams draw from it (diagrams/extract.py).

The simulator reads the bindsim machines' specs from machines/compiled.py, this reading written
out as Python (`python -m bindsim.machines.compile`; a test holds it equal to a fresh reading), so
that a run need not import python-statemachine."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from bindsim.errors import UnsupportedMachine
from bindsim.machines.text import Edge, Node, Text, edge_of, guard_of, node_of

if TYPE_CHECKING:  # the classes are read, never imported here: compiled specs need no statemachine
    from bindsim.machines.base import BindsimMachine


@dataclass(frozen=True, slots=True)
class StateSpec:
    """One state: where it sits, whether a level starts there, whether it ends the machine."""

    id: str
    parent: str | None
    children: tuple[str, ...]
    initial: bool  # the state its level (the top, or its parent compound) starts in
    final: bool


@dataclass(frozen=True, slots=True)
class Guard:
    """A guard by name: `cond` holds when the method returns a true value, `unless` a false one.

    Guards are static methods of the machine class, pure functions of the keyword arguments the
    simulator sends with the event (`facts`, `blockers`); `params` are the ones the guard takes.
    """

    name: str
    expected: bool
    function: Callable[..., Any]
    params: tuple[str, ...]

    def holds(self, kwargs: dict[str, Any]) -> bool:
        return bool(self.function(**{p: kwargs[p] for p in self.params if p in kwargs})) is (
            self.expected
        )


@dataclass(frozen=True, slots=True)
class TransitionSpec:
    """`event` takes the machine from `source` to `target` when every guard holds."""

    source: str
    target: str
    event: str
    guards: tuple[Guard, ...]


@dataclass(frozen=True, slots=True, eq=False)  # one object per machine: hashed as itself
class MachineSpec:
    """A whole machine as data: states parents-first in declaration order, transitions per state
    in declaration order, the Ruleset setting that times each timed event, and the class's words
    (`title`, `nodes` per state id, `edges` per event id in python-statemachine's order of the
    class's events; `screens` names a screen machine's UI: "app" or "Seller Center", None for the
    others)."""

    name: str
    title: Text
    states: tuple[StateSpec, ...]
    transitions: tuple[TransitionSpec, ...]
    timers: dict[str, str]  # event → Ruleset duration setting (machines' Edge.timer)
    # Each timed event's source states: its timer runs from when the machine enters this set
    # (Invitation's expire leaves sent and pending, so the 48h run from the sending).
    timer_sources: dict[str, frozenset[str]]
    nodes: dict[str, Node]
    edges: dict[str, Edge]
    screens: str | None = None

    def label_event(self, label: str) -> str | None:
        """A screen machine's event for a label, in any language; None if no screen has it.

        Each event's `edges[...].label.en` is the label as the UI shows it; `.zh` its Chinese."""
        return _events_by_label(self).get(label)

    def label_words(self, label: str) -> Text:
        """A label of this screen machine (in any language) in both languages: its event's
        Edge.label; the label itself in both when the machine has no such label."""
        event = self.label_event(label)
        return self.edges[event].label if event is not None else Text(label, label)

    def labels(self) -> list[str]:
        """A screen machine's labels, in English, in the order of its edges."""
        return [edge.label.en for edge in self.label_edges().values()]

    def label_edges(self) -> dict[str, Edge]:
        """The edges a user taps or clicks, by event: every edge but those that follow another
        machine's event (Edge.follows: the screen moves by itself)."""
        return _label_edges(self)

    def follower(self, event: str) -> str | None:
        """This screen's event that follows `event` ("Binding.approve_unlink"), if any."""
        return next((e for e, edge in self.edges.items() if edge.follows == event), None)

    def armed_by(self, before: Iterable[str], after: Iterable[str]) -> tuple[str, ...]:
        """The timed events a move from the states `before` to the states `after` starts: those
        whose source states it enters (a new machine has no states before)."""
        old, new = set(before), set(after)
        return tuple(
            event
            for event, sources in self.timer_sources.items()
            if sources & new and not sources & old
        )

    def state(self, state_id: str) -> StateSpec:
        for state in self.states:
            if state.id == state_id:
                return state
        raise KeyError(f"{self.name} has no state {state_id!r}")

    def leaf(self, state_id: str) -> str:
        """The atomic state an arrow into `state_id` lands on (a compound enters its initial
        child)."""
        state = self.state(state_id)
        while state.children:
            state = next(
                (s for s in map(self.state, state.children) if s.initial),
                self.state(state.children[0]),
            )
        return state.id

    @property
    def initial(self) -> str:
        """The atomic state a new machine starts in."""
        return self.leaf(next(s.id for s in self.states if s.parent is None and s.initial))

    def path(self, state_id: str) -> tuple[str, ...]:
        """The state and its ancestors, outermost first: ("bound", "locked")."""
        chain = []
        state: StateSpec | None = self.state(state_id)
        while state is not None:
            chain.append(state.id)
            state = self.state(state.parent) if state.parent else None
        return tuple(reversed(chain))

    @property
    def leaves(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.states if not s.children)


@cache
def _label_edges(spec: MachineSpec) -> dict[str, Edge]:
    return {event: edge for event, edge in spec.edges.items() if edge.follows is None}


@cache
def _events_by_label(spec: MachineSpec) -> dict[str, str]:
    """Label (English or Chinese) → event, read once per machine."""
    found: dict[str, str] = {}
    for event, edge in spec.label_edges().items():
        found.setdefault(edge.label.en, event)
        found.setdefault(edge.label.zh, event)
    return found


class Arrow(Protocol):
    """A declared transition, as the spec and the diagrams' model both hold one."""

    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def event(self) -> str: ...


A = TypeVar("A", bound=Arrow)


def taken(
    arrows: Iterable[A],
    leaf: Callable[[str], str],
    event: str,
    before: Collection[str],
    after: Collection[str],
) -> A | None:
    """The declared transition a move took: the first, in declaration order, with the move's
    event, from a state the machine was in, into the atomic state it is in now. None for a
    record's creation, which has no state before (it enters the initial state by no arrow).

    Coverage counts it and the diagrams draw a run over it: one reading for both."""
    for arrow in arrows:
        if arrow.event == event and arrow.source in before and leaf(arrow.target) in after:
            return arrow
    return None


@cache
def spec_of(machine: type[BindsimMachine]) -> MachineSpec:
    """Read a machine class (once per class). Raises UnsupportedMachine for what bindsim's table
    cannot run the same way python-statemachine does: parallel or history states, eventless or
    self transitions, guards that are not static methods; and for a state without its Node or
    an event without its Edge."""
    states: list[StateSpec] = []
    transitions: list[TransitionSpec] = []
    declared: list[Any] = []  # the State objects, in the order of `states`

    def visit(level: list[Any], parent: str | None) -> None:
        explicit = any(s.initial for s in level)
        for index, state in enumerate(level):
            declared.append(state)
            if getattr(state, "parallel", False) or getattr(state, "is_history", False):
                raise UnsupportedMachine(f"{machine.__name__}.{state.id}: parallel/history state")
            children = list(state.states)
            states.append(
                StateSpec(
                    id=state.id,
                    parent=parent,
                    children=tuple(c.id for c in children),
                    initial=bool(state.initial) if explicit else index == 0,
                    final=bool(state.final),
                )
            )
            for transition in state.transitions:
                transitions.extend(_read_transition(machine, transition))
            if children:
                visit(children, state.id)

    visit(list(machine.states), None)
    nodes, edges = _read_words(machine, declared)
    timers = {event: edge.timer.setting for event, edge in edges.items() if edge.timer}
    sources = {
        event: frozenset(t.source for t in transitions if t.event == event) for event in timers
    }
    spec = MachineSpec(
        name=machine.__name__,
        title=machine.title,
        states=tuple(states),
        transitions=tuple(transitions),
        timers=timers,
        timer_sources=sources,
        nodes=nodes,
        edges=edges,
        screens=getattr(machine, "screens", None),
    )
    for transition in spec.transitions:
        source, target = spec.path(transition.source), spec.path(transition.target)
        if transition.source in target or transition.target in source:
            raise UnsupportedMachine(
                f"{machine.__name__}.{transition.event}: a transition into its own source, "
                "ancestor or descendant (enter and exit sets would need SCXML's rules)"
            )
    return spec


def _read_words(
    machine: type[BindsimMachine], states: list[Any]
) -> tuple[dict[str, Node], dict[str, Edge]]:
    """Each state's Node, by state id, and each event's Edge, by event id in python-statemachine's
    order of the class's events, with the wording of its guards by target state id (`when`)."""
    name = machine.__name__
    nodes: dict[str, Node] = {}
    found: dict[str, Edge] = {}
    guards: dict[str, dict[str, Text]] = {}
    for state in states:
        node = node_of(state)
        if node is None:
            raise UnsupportedMachine(
                f"{name}.{state.id}: a state without its Node: declare it as "
                "described(State(...), Node(...))"
            )
        nodes[state.id] = node
        for transition in state.transitions:
            if transition.initial:
                continue
            edge, guard = edge_of(transition), guard_of(transition)
            named = [str(e) for e in transition.events]
            if len(named) > 1:  # one Edge would word them all alike
                raise UnsupportedMachine(
                    f"{name}.{state.id}: one transition for the events {named}: give each "
                    "event its own transitions, and so its own words"
                )
            if guard is not None and not list(transition.cond):
                raise UnsupportedMachine(
                    f"{name}.{named[0]}: guard words on a transition without cond or unless"
                )
            for event in named:
                if edge is None:
                    raise UnsupportedMachine(
                        f"{name}.{event}: an event without its Edge: declare it as "
                        "described(<its transitions>, Edge(...)) (from_.any() copies "
                        "transitions without their words: declare them one by one)"
                    )
                if edge.guards:
                    raise UnsupportedMachine(
                        f"{name}.{event}: Edge.guards is read off the transitions: word each "
                        "guarded one with when(<transition>, Text(...))"
                    )
                if found.setdefault(event, edge) != edge:
                    raise UnsupportedMachine(f"{name}.{event}: transitions with different Edges")
                worded = guards.setdefault(event, {})
                target = transition.targets[0].id  # one target: _read_transition checked it
                if guard is not None and worded.setdefault(target, guard) != guard:
                    raise UnsupportedMachine(
                        f"{name}.{event}: two wordings of the guard into {target}"
                    )
    events = cast("list[Any]", machine.events)  # in python-statemachine's order of events
    if unused := [e.id for e in events if e.id not in found]:
        raise UnsupportedMachine(f"{name}: events without transitions: {unused}")
    edges = {e.id: replace(found[e.id], guards=guards[e.id]) for e in events}
    return nodes, edges


def _read_transition(machine: type[BindsimMachine], transition: Any) -> list[TransitionSpec]:
    if transition.initial:
        return []  # a compound's entry into its initial child: StateSpec.initial says where
    events = [str(e) for e in transition.events]
    if not events:
        raise UnsupportedMachine(f"{machine.__name__}.{transition.source.id}: eventless transition")
    guards = tuple(_read_guard(machine, spec) for spec in transition.cond)
    targets = [t.id for t in transition.targets]
    if len(targets) != 1:
        raise UnsupportedMachine(f"{machine.__name__}: {events} needs exactly one target")
    return [TransitionSpec(transition.source.id, targets[0], e, guards) for e in events]


def _read_guard(machine: type[BindsimMachine], spec: Any) -> Guard:
    name = str(spec.attr_name)
    raw = inspect.getattr_static(machine, name, None)
    if not name.isidentifier() or not isinstance(raw, staticmethod):
        raise UnsupportedMachine(
            f"{machine.__name__}: guard {name!r} must be a static method of the machine "
            "(a pure function of the event's keyword arguments)"
        )
    function = raw.__func__
    params = tuple(inspect.signature(function).parameters)
    return Guard(name, bool(spec.expected_value), function, params)
