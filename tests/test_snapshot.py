"""Snapshots: a World dumps to JSON and loads back identical, and then behaves identically.

Also determinism: the same calls at the same simulated times give the same log.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from bindsim import (
    ClockWentBackwards,
    InvalidAction,
    InvalidArgument,
    ManualClock,
    Refused,
    Ruleset,
    SystemClock,
    UnknownId,
    World,
)
from bindsim.errors import CannotWrite, InvalidSnapshot
from bindsim.simulator.clock import DEFAULT_START as START

SHOPS = ["gb", "gbi"]
CREATORS = ["ann", "ben", "cat", "eve"]

Action = tuple[Any, ...]

shops = st.sampled_from(SHOPS)
creators = st.sampled_from(CREATORS)
actions: st.SearchStrategy[Action] = st.one_of(
    st.tuples(st.just("invite"), shops, creators, st.sampled_from(["official", "channel"])),
    st.tuples(st.just("bind"), shops, creators, st.sampled_from(["official", "channel"])),
    st.tuples(st.just("unbind"), creators),
    st.tuples(st.just("accept"), creators, shops),
    st.tuples(st.just("decline"), creators, shops),
    st.tuples(st.just("withdraw"), shops, creators),
    st.tuples(st.just("request_unlink"), creators),
    st.tuples(st.just("approve_unlink"), shops, creators),
    st.tuples(st.just("decline_unlink"), shops, creators),
    st.tuples(st.just("open_ticket"), shops, creators),
    st.tuples(
        st.just("set_creator"),
        creators,
        st.sampled_from(
            [
                ("network", "US"),
                ("network", "GB"),
                ("status", "abnormal"),
                ("status", "normal"),
                ("registration_country", "GB"),
                ("ecommerce_permission", True),
            ]
        ),
    ),
    st.tuples(st.just("set_shop"), shops, st.sampled_from(["normal", "abnormal"])),
    st.tuples(st.just("tap"), creators, st.sampled_from(["Showcase", "Enter", "Back"])),
    st.tuples(
        st.just("advance"),
        st.sampled_from([1, 3600, 86399, 86400, 172799, 172800, 180 * 86400]),
    ),
)
RULESETS = st.sampled_from([{}, {"invite_ttl": "72h", "pending_holds_slot": False}])


def new_world(overrides: dict[str, Any]) -> World:
    world = World(clock=ManualClock(START), ruleset=Ruleset().with_overrides(overrides))
    world.add_shop("gb", region="GB", kind="open")
    world.add_shop("gbi", region="GB", kind="invited")
    world.add_creator("ann", country="GB", age=25)
    world.add_creator("ben", country="GB", age=30, registration_country="US")
    world.add_creator("cat", country="GB", age=19, ecommerce_permission=False)
    world.add_creator("eve", country="US", age=40)
    return world


def apply(world: World, action: Action) -> str:
    """Run one action; the outcome as text, so that two runs can be compared."""
    verb, *args = action
    try:
        if verb == "set_creator":
            creator, (fact, value) = args
            world.set_creator(creator, **{fact: value})
        elif verb == "set_shop":
            world.set_shop(args[0], status=args[1])
        elif verb in ("invite", "bind"):
            world.invite(args[0], args[1], role=args[2])
            if verb == "bind":  # invite and accept at once, to reach deeper states sooner
                world.accept(args[1], args[0])
        elif verb == "unbind":  # wait out R-LOCK-24H, request and agree
            world.advance("24h")
            world.request_unlink(args[0])
            shop = world.log[-1].subject["shop"]
            world.approve_unlink(shop, args[0])
        else:
            getattr(world, verb)(*args)
    except Refused as refusal:
        return "refused " + " ".join(refusal.codes)
    except (InvalidAction, UnknownId) as error:
        return type(error).__name__
    return "ok"


def round_trip(world: World) -> World:
    text = json.dumps(world.to_dict(), ensure_ascii=False)
    return World.from_dict(json.loads(text))


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(
    overrides=RULESETS,
    before=st.lists(actions, min_size=10, max_size=40),
    after=st.lists(actions, min_size=5, max_size=20),
)
def test_a_snapshot_loads_back_identical_and_behaves_identically(
    overrides: dict[str, Any], before: list[Action], after: list[Action]
) -> None:
    world = new_world(overrides)
    for action in before:
        apply(world, action)
    data = world.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    copy = World.from_dict(json.loads(text))
    assert copy.to_dict() == data
    assert json.dumps(copy.to_dict(), ensure_ascii=False) == text
    copy.check_invariants()
    for action in after:
        assert apply(copy, action) == apply(world, action), action
        assert copy.to_dict() == world.to_dict(), action
    assert [e.to_dict() for e in copy.log] == [e.to_dict() for e in world.log]


@settings(max_examples=30, derandomize=True, database=None, deadline=None)
@given(overrides=RULESETS, script=st.lists(actions, min_size=10, max_size=40))
def test_the_same_calls_at_the_same_times_give_the_same_log(
    overrides: dict[str, Any], script: list[Action]
) -> None:
    """Determinism: two fresh Worlds given the same script end equal, log and all."""
    first, second = new_world(overrides), new_world(overrides)
    outcomes = [apply(first, action) for action in script]
    assert [apply(second, action) for action in script] == outcomes
    assert first.to_dict() == second.to_dict()


def test_a_snapshot_keeps_pending_timers_and_fires_them_after_loading() -> None:
    """The timer heap is saved: a loaded World expires the invitation at exactly +48h."""
    world = new_world({})
    world.invite("gb", "ann")
    world.invite("gbi", "ben", role="channel")
    world.accept("ben", "gbi")  # stuck (R-STUCK(a))
    world.open_ticket("gbi", "ben")
    world.advance("47h")
    copy = round_trip(world)
    assert [t.due for t in copy.pending_timers()] == [t.due for t in world.pending_timers()]
    copy.advance("1h")
    assert copy.invitation("gb", "ann").state == "expired"
    assert copy.log[-1].at == copy.invitation("gb", "ann").expires_at
    assert copy.binding("gbi", "ben").states == {"bound", "unlockable"}


def test_a_snapshot_is_a_branch_point_for_going_back_in_time() -> None:
    """ClockWentBackwards says: load a snapshot to branch from an earlier time. It works."""
    world = new_world({})
    world.invite("gb", "ann")
    saved = world.to_dict()
    world.advance("48h")
    with pytest.raises(ClockWentBackwards, match="load a snapshot"):
        world.advance_to(START)
    branch = World.from_dict(saved)
    branch.advance("47h59m59s")
    branch.accept("ann", "gb")
    assert branch.official("gb") == "ann"
    assert world.invitation("gb", "ann").state == "expired"


def test_a_snapshot_saves_to_a_file_and_loads_back(tmp_path: Path) -> None:
    world = new_world({"invite_ttl": "72h"})
    world.invite("gb", "ann")
    world.add_creator("李雷", country="GB", age=22)  # non-ASCII ids survive the file
    world.invite("gbi", "李雷", role="channel")
    path = tmp_path / "world.json"
    world.save(path)
    copy = World.load(path)
    assert copy.to_dict() == world.to_dict()
    assert copy.rules.invite_ttl == timedelta(hours=72)
    assert "李雷" in path.read_text(encoding="utf-8")


def test_a_system_clock_world_saves_its_clock_kind_and_runs_on_under_freezegun() -> None:
    with freeze_time(START) as frozen:
        world = World()
        world.add_shop("gb", region="GB")
        world.add_creator("ann", country="GB", age=25)
        world.invite("gb", "ann")
        copy = round_trip(world)
        assert isinstance(copy.clock, SystemClock)
        assert copy.to_dict() == world.to_dict()
        frozen.tick(timedelta(hours=48))
        assert copy.invitation("gb", "ann").state == "expired"
        assert world.invitation("gb", "ann").state == "expired"
        assert copy.to_dict() == world.to_dict()


@pytest.mark.parametrize("data", [{}, {"format": "other/1"}, [], "world"])
def test_something_else_is_not_loaded_as_a_snapshot(data: Any) -> None:
    with pytest.raises(InvalidArgument, match="not a bindsim world snapshot"):
        World.from_dict(data)


# ------------------------------------------------------------------ broken snapshots


def busy_world_data() -> dict[str, Any]:
    """A snapshot with an invitation, a binding, a ticket, screens, timers and a log."""
    world = new_world({})
    world.invite("gb", "ann")
    world.invite("gbi", "ben")
    world.accept("ben", "gbi")  # stuck: registered in the US (R-STUCK)
    world.open_ticket("gbi", "ben")
    world.tap("ann", "Showcase")
    data: dict[str, Any] = json.loads(json.dumps(world.to_dict()))
    return data


def test_a_snapshot_without_its_fields_says_which_are_missing() -> None:
    with pytest.raises(InvalidSnapshot) as caught:
        World.from_dict({"format": "bindsim-world/2"})
    assert str(caught.value).startswith("a snapshot needs 'clock', 'engine', ")


def _second_live_binding(d: dict[str, Any]) -> None:
    """eve, invited by gb, is also made bound to gbi: two live bindings for one account."""
    bound = json.loads(json.dumps(d["bindings"][0]))
    bound.update(id="bind-2", shop="gb", creator="ben")
    d["bindings"].append(bound)
    d["counts"]["binding_count"] = 2


def _over_the_slot(d: dict[str, Any]) -> None:
    """gb (open) gets a second official binding, with its indexes made to agree."""
    bound = json.loads(json.dumps(d["bindings"][0]))
    bound.update(id="bind-2", shop="gb", creator="eve", node="unlockable")
    d["bindings"].append(bound)
    d["counts"]["binding_count"] = 2
    gb = next(s for s in d["shops"] if s["id"] == "gb")
    gb["live"] = [*gb["live"], "eve"]
    next(c for c in d["creators"] if c["id"] == "eve")["binding"] = "bind-2"


BROKEN: list[Any] = [
    pytest.param(lambda d: d.pop("timers"), "a snapshot needs 'timers'", id="no timers"),
    pytest.param(
        lambda d: d.update(clock={"kind": "sundial"}), "clock: expected {kind: manual", id="clock"
    ),
    pytest.param(
        lambda d: d["clock"].update(now="9999-12-31T00:00:00Z"),
        "clock: 9999-12-31T00:00:00Z is out of range",
        id="clock out of range",
    ),
    pytest.param(
        lambda d: d.update(ruleset={"invite_tll": 1}),
        "ruleset: unknown ruleset setting 'invite_tll'",
        id="ruleset",
    ),
    pytest.param(
        lambda d: d.update(shops={}), "shops: expected a list of records, got dict", id="shops"
    ),
    pytest.param(
        lambda d: d["creators"][0].update(height=2),
        "creators[0] ('ann'): unknown field(s) 'height'",
        id="creator fact",
    ),
    pytest.param(
        lambda d: d["creators"][0].update(age="24"),
        "creators[0] ('ann'): age: expected a whole number ≥ 0, got '24'",
        id="age as text",
    ),
    pytest.param(
        lambda d: d["shops"][0].update(kind="franchise"),
        "shops[0] ('gb'): unknown shop kind 'franchise'; choose one of: open, invited",
        id="shop kind",
    ),
    pytest.param(
        lambda d: d["invitations"][0].update(role="owner"),
        "invitations[0] ('inv-1'): role must be one of official, channel, got 'owner'",
        id="role",
    ),
    pytest.param(
        lambda d: d["invitations"][1].update(shop="nowhere"),
        "names shop 'nowhere' and creator 'ben', which the snapshot does not both have",
        id="unknown shop",
    ),
    pytest.param(
        lambda d: d["invitations"][0].update(reasons=["NOPE"]),
        "invitations[0] ('inv-1'): reasons: unknown reason code 'NOPE'",
        id="reason",
    ),
    pytest.param(
        lambda d: d["bindings"][0].update(node="bound"),
        "bindings[0] ('bind-1'): Binding has no atomic state 'bound'",
        id="a compound state alone",
    ),
    pytest.param(
        lambda d: d["tickets"][0].update(opened_at="2024-11-11T12:00:00"),
        "tickets[0] ('ticket-1'): opened_at: datetime.datetime(2024, 11, 11, 12, 0) has no time",
        id="naive time",
    ),
    pytest.param(
        lambda d: d["screens"].append(5), "screens[3]: a screen needs machine", id="screen"
    ),
    pytest.param(
        lambda d: d["timers"][-1].__setitem__(3, "inv-99"),
        "timers: [1]: no record 'inv-99' in invitations",
        id="timer",
    ),
    pytest.param(
        lambda d: d["timers"].pop(next(i for i, t in enumerate(d["timers"]) if t[4] == "expire")),
        "inv-1 is pending but has no expire timer: it would never move on",
        id="dropped expiry timer",
    ),
    pytest.param(
        lambda d: d.update(last_seen="2024-11-20T00:00:00+00:00"),
        "last_seen: 2024-11-20T00:00:00+00:00 is after the clock",
        id="last_seen after the clock",
    ),
    pytest.param(
        lambda d: (
            d.update(last_seen="2024-11-13T13:00:00+00:00"),
            d["clock"].update(now="2024-11-13T13:00:00+00:00"),
        ),
        "was due before last_seen, unfired",
        id="timer in the past",
    ),
    pytest.param(_second_live_binding, "ben has two live bindings", id="two live bindings"),
    pytest.param(_over_the_slot, "the records break a rule: R-SLOT", id="slot over its limit"),
    pytest.param(lambda d: d["log"][0].pop("seq"), "log: [0]: missing 'seq'", id="log"),
]


@pytest.mark.parametrize(("corrupt", "message"), BROKEN)
def test_a_broken_snapshot_is_refused_saying_which_record_and_why(
    corrupt: Any, message: str
) -> None:
    """Shape and content (issue 14): whatever breaks what the World keeps true is refused."""
    data = busy_world_data()
    World.from_dict(json.loads(json.dumps(data)))  # intact, it loads
    corrupt(data)
    with pytest.raises(InvalidSnapshot) as caught:
        World.from_dict(data)
    assert isinstance(caught.value, InvalidArgument)
    assert message in str(caught.value)


def test_a_snapshot_file_that_is_missing_unreadable_or_not_json_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    with pytest.raises(InvalidSnapshot, match=f"cannot read the snapshot '{missing}'"):
        World.load(missing)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidSnapshot, match=f"^{broken}: not a bindsim snapshot, not even JSON"):
        World.load(broken)
    other = tmp_path / "other.json"
    other.write_text('{"format": "bindsim-world/2"}', encoding="utf-8")
    with pytest.raises(InvalidSnapshot, match=f"^{other}: a snapshot needs"):
        World.load(other)


def test_saving_an_id_that_is_not_valid_unicode_keeps_the_previous_file(tmp_path: Path) -> None:
    """A failed save never destroys the last good snapshot (issue 14)."""
    path = tmp_path / "world.json"
    world = new_world({})
    world.save(path)
    good = path.read_bytes()
    world.state.creators["ann"] = replace(world.state.creators["ann"], network="\ud800")
    with pytest.raises(CannotWrite, match="not valid Unicode"):
        world.save(path)
    assert path.read_bytes() == good


# ------------------------------------------------------------------ format 1

FORMAT_1 = Path(__file__).parent / "data" / "world-format-1.json"


def test_a_format_1_snapshot_is_upgraded_and_runs_on() -> None:
    """A file written before records became plain data (made by bindsim at that commit)."""
    world = World.load(FORMAT_1)
    assert world.to_dict()["format"] == "bindsim-world/2"
    assert world.binding("gb", "ann").states == {"bound", "unlink_requested"}
    assert world.binding("gbi", "ben").states == {"bound", "locked"}  # its ticket fixed it at 24h
    assert world.invitation("gbi", "cat").state == "pending"
    assert world.screen("cat").id == "showcase_menu"
    # cat's expiry and ben's unlock are both due at +48h: in the order they were armed.
    assert [t.event for t in world.pending_timers()] == ["expire", "unlock", "expire"]
    world.check_invariants()
    world.approve_unlink("gb", "ann")
    assert world.official_unbinds_left("gb") == 2
    world.advance("23h")  # cat was invited 25h before the snapshot: 48h in all
    assert world.invitation("gbi", "cat").state == "expired"
    assert world.log[-1].at == world.invitation("gbi", "cat").expires_at


def test_a_format_1_snapshot_with_a_child_state_and_no_parent_is_refused() -> None:
    data = json.loads(FORMAT_1.read_text(encoding="utf-8"))
    data["bindings"][0]["states"] = ["unlink_requested"]
    with pytest.raises(InvalidSnapshot, match="are not one state with its parents"):
        World.from_dict(data)


# ------------------------------------------------------------------ fuzz

_PATHS = st.sampled_from(
    ["shops", "creators", "invitations", "bindings", "tickets", "screens", "timers", "counts"]
)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10**6),
    st.text(max_size=6),
    st.sampled_from(["2024-11-11T12:00:00Z", "2024-11-11T12:00:00", "bound", "locked", "US"]),
    st.lists(st.text(max_size=3), max_size=2),
)


def _mutate(data: Any, rng_path: list[int], value: Any) -> None:
    """Replace one leaf reached by following `rng_path` (indexes modulo each level's size)."""
    node = data
    for step in rng_path:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return
        key = keys[step % len(keys)]
        child = node[key]
        if not isinstance(child, (dict, list)) or not child:
            node[key] = value
            return
        node = child
    if isinstance(node, dict) and node:
        node[next(iter(node))] = value
    elif isinstance(node, list) and node:
        node[0] = value


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(
    section=_PATHS,
    path=st.lists(st.integers(0, 50), min_size=1, max_size=4),
    value=_VALUES,
)
def test_a_mutated_snapshot_is_refused_or_loads_a_world_whose_invariants_hold(
    section: str, path: list[int], value: Any
) -> None:
    data = busy_world_data()
    _mutate(data[section], path, value)
    try:
        world = World.from_dict(data)
    except InvalidSnapshot:
        return
    world.check_invariants()
    world.advance("200d")  # and it runs on: every timer fires, the invariants still hold
    world.check_invariants()
