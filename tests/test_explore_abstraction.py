"""Issue 22: the time abstraction and the symmetry reduction of `bindsim explore` lose nothing.

Soundness is shown as the issue asks: on small casts, the abstract search and the concrete one
(every second counts, no symmetry) reach the same discrete states and the same violations,
within the concrete search's bound. A "discrete state" is read here from the records, apart from
explore's own canonical form: what each record is (its machine state, role, facts and counters),
without any time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bindsim.machines.spec import spec_of
from bindsim.simulator.actions import ACTIONS
from bindsim.simulator.engine import engine_named
from bindsim.simulator.explore import space
from bindsim.simulator.explore.canonical import NEAR, canonical, marks
from bindsim.simulator.explore.search import Explorer, Limits, Report
from bindsim.simulator.scenario import load_file
from bindsim.simulator.scenario.runner import caught_up, first_state
from bindsim.simulator.state import State

CASTS = Path(__file__).parent.parent / "src" / "bindsim" / "scenarios" / "casts"

# Two timers that overlap and are set again and again (a 24h ticket, a 48h invitation): with
# every second counted, the ±1s moves let them drift apart a second per cycle.
DRIFT = """\
name: a ticket and an invitation that overlap
ruleset: {ticket_resolution_time: 3h, invite_ttl: 5h}
shops: {us: {region: US, kind: open}}
creators: {ann: {country: US, age: 24, registration_country: GB}}
"""

THREE = CASTS / "three_identical_creators.cast.yaml"


def _search(
    text_or_path: str | Path,
    tmp_path: Path,
    *,
    abstract: bool = True,
    symmetry: bool = True,
    vary: tuple[str, ...] | None = None,
    limits: Limits | None = None,
    jobs: int = 1,
) -> tuple[Report, Any, Any]:
    if isinstance(text_or_path, Path):
        path = text_or_path
    else:
        path = tmp_path / "cast.scenario.yaml"
        path.write_text(text_or_path, encoding="utf-8")
    scenario = load_file(path, require_steps=False)
    world = first_state(scenario)  # after its steps, as `bindsim explore` starts
    now = caught_up(world)
    chosen = tuple(scenario.vary or ()) if vary is None else vary
    cast = space.cast_of(world.state, chosen, symmetry=symmetry, abstract_time=abstract)
    report = Explorer(world.state.copy(), now, world.rules, cast).run(limits or Limits(), jobs)
    return report, world, cast


def _discrete(state: State) -> tuple[Any, ...]:
    """What a state is, without time: every live or latest record's machine state and role."""
    shops = tuple(
        (s.id, s.status, s.official_unbinds, len(s.channel_binds), s.pending, s.live)
        for s in state.shops.values()
    )
    creators = tuple(
        (c.id, c.country, c.network, c.registration_country, c.home_region, c.status)
        + (c.ecommerce_permission, c.birthdate, c.binding is not None)
        for c in state.creators.values()
    )
    invitations = tuple(
        sorted((pair, state.invitations[i].node) for pair, i in state.latest_invitation.items())
    )
    bindings = tuple(
        sorted(
            (pair, state.bindings[b].node, state.bindings[b].role)
            for pair, b in state.latest_binding.items()
        )
    )
    tickets = tuple(
        sorted((t.shop, t.creator) for t in state.tickets.values() if t.state == "open")
    )
    return shops, creators, invitations, bindings, tickets


def _reached(report: Report, world: Any) -> set[tuple[Any, ...]]:
    """The discrete state of every visited state, by replaying its path on the World (each
    state from its parent's World: breadth first, a parent comes before its children)."""
    worlds = [world]
    for node in range(1, report.states):
        replay = worlds[report.parents[node]].copy()
        action = report.via[node]
        assert action is not None
        ACTIONS[action.verb].call(replay, dict(action.fields))
        worlds.append(replay)
    return {_discrete(w.state) for w in worlds}


@pytest.mark.parametrize(
    "cast",
    ["birthday", "open_shop_official_account", "stuck_channel_binding", "stuck_binding_ticket_us"],
)
def test_the_abstraction_reaches_every_discrete_state_the_concrete_search_does(
    cast: str, tmp_path: Path
) -> None:
    """On catalogue casts small enough to explore second by second, both searches complete and
    reach the same discrete states: the abstraction merged only states that differ in time."""
    path = CASTS / f"{cast}.cast.yaml"
    abstract, world, _ = _search(path, tmp_path)
    bound = Limits(max_states=1000)
    concrete, _, _ = _search(path, tmp_path, abstract=False, symmetry=False, limits=bound)
    assert abstract.complete
    exact = _reached(concrete, world)
    if concrete.complete:
        assert abstract.states <= concrete.states
        assert _reached(abstract, world) == exact
    else:
        assert exact <= _reached(abstract, world)


def test_timers_that_drift_apart_make_a_finite_abstract_space(tmp_path: Path) -> None:
    """Second by second, the drifting timers go past any bound; the abstract search ends, and
    holds every discrete state the concrete one reached within its bound."""
    concrete, world, _ = _search(DRIFT, tmp_path, abstract=False, limits=Limits(max_states=1000))
    assert not concrete.complete
    abstract, _, _ = _search(DRIFT, tmp_path)
    assert abstract.complete and abstract.states < 1000
    assert _reached(concrete, world) <= _reached(abstract, world)


def test_distances_are_told_apart_near_zero_and_near_each_duration(tmp_path: Path) -> None:
    """Two states whose deadlines differ only far from every duration of the ruleset (and their
    sums and differences) are one; a distance within NEAR seconds of one keeps its value."""
    _, world, _ = _search(DRIFT, tmp_path, limits=Limits(max_states=1))
    rules, hour = world.rules, 3600
    assert {2 * hour, 3 * hour, 5 * hour, 8 * hour} <= set(marks(rules))

    def after(wait: str) -> tuple[Any, Any]:
        """An invitation (5h), then `wait`, then a ticket (3h): forms abstract and exact."""
        twin = world.copy()
        twin.invite("us", "ann")
        twin.advance(wait)
        twin.open_ticket("us", "ann")
        state, now = twin.state, twin.now
        return canonical(state, now, rules)[0], canonical(state, now, rules, abstract=False)[0]

    one, ten = after("1m"), after("10m")  # the expiry 1h59m or 1h50m after the ticket's answer
    assert one[0] == ten[0] and one[1] != ten[1]
    # 2h apart less 1s or less 3s: NEAR the 2h between the durations, so told apart
    near, nearer = after(f"{NEAR - 1}s"), after(f"{NEAR + 1}s")
    assert near[0] != nearer[0]


def test_symmetry_explores_at_most_a_quarter_of_the_states_of_three_identical_creators(
    tmp_path: Path,
) -> None:
    """Three creators with the same facts are interchangeable: the search with symmetry visits
    at most a quarter of the states, and they stand for exactly the states of the search
    without it (their orbits)."""
    reduced, _, cast = _search(THREE, tmp_path, vary=())
    full, _, _ = _search(THREE, tmp_path, vary=(), symmetry=False)
    assert cast.symmetric == (("ann", "ben", "cat"),)
    assert reduced.complete and full.complete
    assert reduced.states * 4 <= full.states
    assert reduced.stands_for == full.states
    assert full.stands_for == full.states and full.symmetric == ()
    shared, _, _ = _search(THREE, tmp_path, vary=(), jobs=2)  # the same for any --jobs
    assert (shared.states, shared.transitions, shared.stands_for) == (
        reduced.states,
        reduced.transitions,
        reduced.stands_for,
    )
    assert list(shared.parents) == list(reduced.parents) and shared.via == reduced.via


def test_symmetry_finds_the_same_violations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken machine is caught with or without symmetry, at the same depth."""
    from test_explore import LeakyBinding

    from bindsim.simulator import state as state_module

    monkeypatch.setattr(state_module.BindingRecord, "MACHINE", spec_of(LeakyBinding))
    found = []
    for symmetry in (True, False):
        report, _, _ = _search(THREE, tmp_path, vary=(), symmetry=symmetry)
        kinds = {(v.kind, v.message.split(":")[0]) for v in report.violations}
        depth = min(len(report.path(v.node)) for v in report.violations)
        found.append((kinds, depth))
    assert found[0] == found[1] and found[0][0]


def test_actors_that_differ_are_not_interchangeable(tmp_path: Path) -> None:
    report, _, cast = _search(
        THREE.read_text(encoding="utf-8").replace(
            "cat: {country: GB, age: 24}", "cat: {country: GB, age: 30}"
        ),
        tmp_path,
        vary=(),
        limits=Limits(max_states=1),
    )
    assert cast.symmetric == (("ann", "ben"),)
    _, _, varied = _search(THREE, tmp_path, vary=("network",), limits=Limits(max_states=1))
    assert varied.symmetric == (("ann", "ben", "cat"),)  # each varies over the same values


@pytest.mark.parametrize("cast", ["settings_turned_off", "invite_only_shop_channel_slots"])
def test_the_history_free_state_is_the_worlds_state_less_its_history(
    cast: str, tmp_path: Path
) -> None:
    """Explore drops finished records no rule reads (space.forget): along every path of a
    bounded search, the state it keeps has the same canonical form, exact to the second, as the
    full World's after the same actions, and never more records."""
    report, world, explored = _search(
        CASTS / f"{cast}.cast.yaml", tmp_path, limits=Limits(max_states=400)
    )
    engine = engine_named("table")
    forgotten = 0
    for node in range(report.states):
        state, now, replay = world.state.copy(), world.now, world.copy()
        for action in report.path(node):
            outcome = space.apply(state, now, world.rules, engine, action)
            assert outcome.state is not None
            state, now = outcome.state, outcome.now
            ACTIONS[action.verb].call(replay, dict(action.fields))
        full = replay.state
        assert canonical(state, now, world.rules, abstract=False) == canonical(
            full, replay.now, world.rules, abstract=False
        )
        kept = len(state.invitations) + len(state.bindings) + len(state.tickets)
        records = len(full.invitations) + len(full.bindings) + len(full.tickets)
        assert kept <= records
        forgotten += kept < records
    assert forgotten > 0  # paths long enough to leave history behind


def test_a_stuck_binding_waiting_for_a_birthday_is_explored_to_the_birthday(
    tmp_path: Path,
) -> None:
    """The 18th-birthday timer of a binding held by UNDER_18 is no machine event (A-AGE): the
    search moves time to one second before, at and after it (it used to stop on a KeyError)."""
    report, _, _ = _search(CASTS / "stuck_under_18_until_birthday.cast.yaml", tmp_path)
    assert report.complete and not report.violations
    sides = {item[2] for item in report.exercised.counts if item[:2] == ("boundary", "A-AGE")}
    assert sides == {"1s before", "at", "1s after"}
