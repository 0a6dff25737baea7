"""The compiled tables against python-statemachine itself, the reference engine (issue 9).

A fast path is trusted only where a slow, obviously right one agrees with it: per machine, every
atomic state × event × guard input; then the whole scenario library and random walks of more
than 10,000 steps, run on both engines, must give identical logs, states and refusals.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statemachine import Event, State
from test_snapshot import RULESETS, Action, actions, apply, new_world

from bindsim.errors import EventNotAllowed, InvalidArgument, UnsupportedMachine
from bindsim.machines import MACHINES, BindsimMachine, ScreenFacts
from bindsim.machines.compiled import SPECS
from bindsim.machines.spec import MachineSpec, spec_of
from bindsim.machines.text import Edge, Node, Text, described, when
from bindsim.simulator.engine import ENGINES, Table, engine_named, table_of
from bindsim.simulator.scenario import build_world, find_files, load_file, run_step

TABLE, REFERENCE = ENGINES["table"], ENGINES["statemachine"]
ENGINES_BOTH = (TABLE, REFERENCE)


def _outcome(call: Any, *args: Any) -> Any:
    """What an engine answers, or how it fails: a guard given too little fails on both alike."""
    try:
        return call(*args)
    except EventNotAllowed:
        return "not allowed"
    except TypeError:
        return "guard cannot be called"


LIBRARY = Path(__file__).resolve().parent.parent / "src" / "bindsim" / "scenarios"


def _inputs() -> list[dict[str, Any]]:
    """Every kind of keyword argument the World sends with an event, in every combination."""
    facts = [
        ScreenFacts(network_ok, bound, requested, requests)
        for network_ok, bound, requested, requests in itertools.product(
            (False, True), (False, True), (False, True), (0, 1, 2)
        )
    ]
    blockers: list[tuple[str, ...]] = [(), ("UNDER_18",)]
    given = [{}] + [{"blockers": b} for b in blockers] + [{"facts": f} for f in facts]
    return given + [{"facts": f, "blockers": b} for f in facts[:4] for b in blockers]


@pytest.mark.parametrize("machine", SPECS, ids=lambda m: m.name)
def test_the_table_takes_every_event_where_python_statemachine_does(machine: MachineSpec) -> None:
    table = table_of(machine)
    events = sorted({t.event for t in table.spec.transitions})
    checked = 0
    for node, event, sent in itertools.product(table.path, events, _inputs()):
        outcomes = [_outcome(engine.send, table, node, event, sent) for engine in ENGINES_BOTH]
        assert outcomes[0] == outcomes[1], (node, event, sent)
        checked += 1
    for node, sent in itertools.product(table.path, _inputs()):
        enabled = _outcome(TABLE.enabled, table, node, sent)
        # python-statemachine counts an event whose guard cannot even be called as enabled; the
        # World always hands screen guards their facts, so compare where the guards can run.
        if enabled != "guard cannot be called":
            assert enabled == REFERENCE.enabled(table, node, sent), (node, sent)
        assert TABLE.allowed(table, node) == REFERENCE.allowed(table, node)
    assert checked >= len(table.path) * len(events)


@pytest.mark.parametrize("machine", SPECS, ids=lambda m: m.name)
def test_no_timed_state_can_be_entered_again_once_left(machine: MachineSpec) -> None:
    """Why a timer is live exactly while its record is in the state it leaves (Table.timer_live):
    no path leads back into a timed state, so no timer from an earlier visit can fire late."""
    table = table_of(machine)
    spec = table.spec
    for event, sources in table.timer_sources.items():
        inside = {leaf for leaf, path in table.path.items() if sources & set(path)}
        reachable_from_inside = {s for leaf in inside for s in table.path[leaf]}
        frontier = {
            spec.leaf(t.target) for t in spec.transitions if t.source in reachable_from_inside
        }
        outside, seen = frontier - inside, set()
        while outside:
            node = outside.pop()
            seen.add(node)
            for transition in spec.transitions:
                if transition.source in table.path[node]:
                    target = spec.leaf(transition.target)
                    assert target not in inside, f"{event}: {node} re-enters {sorted(sources)}"
                    if target not in seen:
                        outside.add(target)


def test_a_machine_the_table_cannot_run_the_same_way_is_refused_when_compiled() -> None:
    class Expression(BindsimMachine):
        a = State(initial=True)
        b = State(final=True)
        go = a.to(b, cond="ready")

        def ready(self) -> bool:  # not a static method: it could read the instance
            return True

    with pytest.raises(UnsupportedMachine, match="must be a static method"):
        spec_of(Expression)


def test_an_unknown_engine_is_a_clear_error() -> None:
    with pytest.raises(
        InvalidArgument, match="unknown engine 'fast'; engines: table, statemachine"
    ):
        engine_named("fast")
    assert isinstance(table_of(SPECS[0]), Table)


# ------------------------------------------------------------- whole runs, both engines


def _comparable(world: Any) -> str:
    data = world.to_dict()
    data.pop("engine")
    return json.dumps(data, sort_keys=True, default=str)


@pytest.mark.parametrize(
    "path", find_files([LIBRARY]), ids=lambda p: str(Path(p).relative_to(LIBRARY))
)
def test_every_library_scenario_runs_identically_on_both_engines(path: Path) -> None:
    scenario = load_file(path)
    worlds = [build_world(scenario), build_world(scenario)]
    worlds[1].engine = REFERENCE
    for index, step in enumerate(scenario.steps, start=1):
        results = [run_step(world, step, index) for world in worlds]
        assert [(r.outcome, r.reasons, r.passed) for r in results][0] == (
            results[1].outcome,
            results[1].reasons,
            results[1].passed,
        ), (path, index)
        assert _comparable(worlds[0]) == _comparable(worlds[1]), (path, index)
    assert worlds[0].log == worlds[1].log


# 240 walks of at least 45 actions: more than 10,000 steps on each engine (hypothesis runs every
# example it is allowed: the space of scripts is far from exhausted).
WALKS, MIN_ACTIONS = 240, 45


@settings(max_examples=WALKS, derandomize=True, database=None, deadline=None)
@given(overrides=RULESETS, script=st.lists(actions, min_size=MIN_ACTIONS, max_size=60))
def test_random_walks_give_identical_logs_states_and_refusals_on_both_engines(
    overrides: dict[str, Any], script: list[Action]
) -> None:
    table, reference = new_world(overrides), new_world(overrides)
    reference.engine = REFERENCE
    for action in script:
        assert apply(table, action) == apply(reference, action), action
    assert _comparable(table) == _comparable(reference)
    assert table.log == reference.log


def test_a_record_is_a_value_of_plain_fields_not_a_machine() -> None:
    world = new_world({})
    world.invite("gb", "ann")
    invitation = world.invitation("gb", "ann")
    assert all(
        isinstance(getattr(invitation, f.name), (str, tuple, type(None), type(invitation.sent_at)))
        for f in fields(invitation)
    )
    assert not any(isinstance(v, BindsimMachine) for v in vars(type(invitation)).values())


# A machine's words are declared with its states and transitions (machines/text.py), so none
# can name a state or event the machine lacks; one forgotten is refused, not drawn blank.
_NODE, _EDGE = Node(Text("a state", "状态")), Edge(Text("an event", "事件"))


def test_a_state_declared_without_its_node_is_refused() -> None:
    class Unsaid(BindsimMachine):
        a = described(State(initial=True), _NODE)
        b = State(final=True)
        go = described(a.to(b), _EDGE)

    with pytest.raises(UnsupportedMachine, match=r"Unsaid\.b: a state without its Node"):
        spec_of(Unsaid)


def test_an_event_declared_without_its_edge_is_refused() -> None:
    class Unsaid(BindsimMachine):
        a = described(State(initial=True), _NODE)
        b = described(State(final=True), _NODE)
        go = a.to(b)

    with pytest.raises(UnsupportedMachine, match=r"Unsaid\.go: an event without its Edge"):
        spec_of(Unsaid)


def test_an_event_whose_transitions_carry_different_edges_is_refused() -> None:
    class Twice(BindsimMachine):
        a = described(State(initial=True), _NODE)
        b = described(State(), _NODE)
        c = described(State(final=True), _NODE)
        go = described(a.to(b), _EDGE) | described(b.to(c), Edge(Text("another", "另一个")))

    with pytest.raises(UnsupportedMachine, match=r"Twice\.go: transitions with different Edges"):
        spec_of(Twice)


def test_guard_wording_keyed_by_id_or_given_twice_for_one_target_is_refused() -> None:
    class ById(BindsimMachine):
        a = described(State(initial=True), _NODE)
        b = described(State(final=True), _NODE)
        go = described(a.to(b), Edge(Text("go", "去"), guards={"b": Text("ready", "就绪")}))

    class Twice(BindsimMachine):
        a = described(State(initial=True), _NODE)
        b = described(State(), _NODE)
        c = described(State(final=True), _NODE)
        step = described(a.to(b), _EDGE)
        go = described(
            when(a.to(c, cond="blocked"), Text("x", "x"))
            | when(b.to(c, cond="blocked"), Text("y", "y")),
            _EDGE,
        )

    class Unguarded(BindsimMachine):
        a = described(State(initial=True), _NODE)
        b = described(State(final=True), _NODE)
        go = described(when(a.to(b), Text("ready", "就绪")), _EDGE)

    with pytest.raises(UnsupportedMachine, match=r"ById\.go: Edge.guards is read off"):
        spec_of(ById)
    with pytest.raises(UnsupportedMachine, match=r"Twice\.go: two wordings of the guard into c"):
        spec_of(Twice)
    with pytest.raises(UnsupportedMachine, match=r"Unguarded\.go: guard words on a transition"):
        spec_of(Unguarded)


def test_words_are_given_once_and_to_what_they_describe() -> None:
    a, b = State(initial=True), State(final=True)
    go = described(a.to(b), _EDGE)
    described(go, _EDGE)  # the same words again change nothing
    with pytest.raises(ValueError, match="described twice"):
        described(go, Edge(Text("another", "另一个")))
    with pytest.raises(ValueError, match="described twice"):
        when(when(go, Text("x", "x")), Text("y", "y"))
    described(a, _NODE)
    with pytest.raises(ValueError, match="described twice"):
        described(a, Node(Text("another", "另一个")))
    with pytest.raises(ValueError, match="an Edge describes an event's transitions"):
        described(b, _EDGE)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="a Node describes a state"):
        described(go, _NODE)  # type: ignore[call-overload]


def test_an_event_without_transitions_or_a_transition_of_two_events_is_refused() -> None:
    class Idle(BindsimMachine):
        a = described(State(initial=True), _NODE)
        b = described(State(final=True), _NODE)
        go = described(a.to(b), _EDGE)
        ping = Event()

    class Aliased(BindsimMachine):
        a = described(State(initial=True), _NODE)
        b = described(State(final=True), _NODE)
        go = described(a.to(b, event="start"), _EDGE)

    with pytest.raises(UnsupportedMachine, match=r"Idle: events without transitions: \['ping'\]"):
        spec_of(Idle)
    with pytest.raises(UnsupportedMachine, match=r"Aliased\.a: one transition for the events"):
        spec_of(Aliased)


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.__name__)
def test_every_state_and_event_has_its_words_in_the_spec(machine: Any) -> None:
    spec = spec_of(machine)
    assert list(spec.nodes) == [s.id for s in spec.states]
    assert set(spec.edges) == {t.event for t in spec.transitions}
    assert list(spec.edges) == [e.id for e in machine.events]  # python-statemachine's order
