"""Traces and timelines of a run, read from its log as data (no Graphviz needed)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bindsim import ManualClock, Refused, World, diagrams
from bindsim.diagrams.render_dot import trace_graph
from bindsim.diagrams.render_timeline import timeline_graph
from bindsim.machines import Binding
from bindsim.simulator.actions import ACTION_WORDS, ACTIONS, LOG_ONLY
from bindsim.simulator.clock import DEFAULT_START as START


def lock_story() -> World:
    """Bind alice at 47h, meet the 24h lock, unlink, and a refused invitation on the way."""
    world = World(clock=ManualClock(START))
    world.add_shop("gb", region="GB", kind="invited")
    world.add_creator("alice", country="GB", age=24)
    world.add_creator("kid", country="FR", age=16)
    world.add_creator("bob", country="GB", age=30)
    world.invite("gb", "alice")  # 1
    with pytest.raises(Refused):
        world.invite("gb", "kid", role="channel")  # 2: R-ELIGIBLE
    world.invite("gb", "bob", role="channel")  # 3
    world.advance("47h")
    world.accept("alice", "gb")  # 4
    world.accept("bob", "gb")  # 5
    with pytest.raises(Refused):
        world.request_unlink("alice")  # 6: R-LOCK-24H
    world.advance("24h")  # 7, 8: the locks end
    world.request_unlink("alice")  # 9
    world.approve_unlink("gb", "alice")  # 10
    return world


@pytest.fixture(scope="module")
def world() -> World:
    return lock_story()


def by_target(world: World) -> dict[str, diagrams.Trace]:
    return {t.target: t for t in diagrams.traces(world.log)}


def test_a_trace_per_record_the_run_touched_in_order_of_appearance(world: World) -> None:
    found = by_target(world)
    assert list(found)[:2] == ["center:gb", "inv-1"]
    assert {"inv-1", "inv-2", "bind-1", "bind-2", "app:alice"} <= set(found)
    assert found["bind-1"].machine == "Binding"
    assert found["bind-1"].subject == {"shop": "gb", "creator": "alice", "role": "official"}
    assert found["center:gb"].subject == {"shop": "gb"}


def test_binding_trace_numbers_its_steps_by_log_entry(world: World) -> None:
    trace = by_target(world)["bind-1"]
    assert [(s.seq, s.event) for s in trace.steps] == [
        (4, "start"),
        (4, "confirm"),
        (7, "unlock"),  # R-LOCK-24H fired by the timer
        (9, "request_unlink"),
        (10, "approve_unlink"),
    ]
    assert trace.final == ("unbound",)
    assert trace.steps[2].at - trace.start == timedelta(hours=71)


def test_refusals_are_marked_with_their_reason_codes_where_they_happened(world: World) -> None:
    found = by_target(world)
    [locked] = found["bind-1"].refusals
    assert (locked.seq, locked.reasons) == (6, ("UNBIND_LOCKED",))
    assert "locked" in locked.states  # R-LOCK-24H: refused while locked
    [unlink_tap] = found["app:alice"].refusals  # the phone got as far as Link info
    assert unlink_tap.states == ("link_info",)
    [ineligible] = found["center:gb"].refusals  # R-ELIGIBLE: the refusal page
    assert set(ineligible.reasons) == {"UNDER_18", "COUNTRY_MISMATCH"}
    assert ineligible.states == ("invitation_refused",)


def test_trace_graph_numbers_taken_edges_fades_the_rest_and_marks_refusals(world: World) -> None:
    trace = by_target(world)["bind-1"]
    source = trace_graph(diagrams.extract(Binding), trace, "en").source
    taken = re.findall(
        r'id="Binding:(\w+)-(\w+)->(\w+)"[^\n]*class="taken|class="taken[^\n]*id="Binding:(\w+)-(\w+)->(\w+)"',
        source,
    )
    taken_events = {m[1] or m[4] for m in taken}
    assert taken_events == {"confirm", "unlock", "request_unlink", "approve_unlink"}
    stuck = re.search(r"binding -> stuck \[(.*)\]$", source, re.M)
    assert stuck and "class=untaken" in stuck.group(1)
    assert "#4 +47h" in source and "#7 +71h" in source and "#10 +71h" in source
    refusal = re.search(r"^\s*refusal_6 \[(.*)\]$", source, re.M)
    assert refusal and "UNBIND_LOCKED" in refusal.group(1)
    assert 'class="refusal step-6"' in refusal.group(1)  # the animation shows it at step 6
    assert re.search(r"^\s*locked -> refusal_6 ", source, re.M)
    assert re.search(r"^\s*unbound \[.*class=active", source, re.M)  # where it ended
    chinese = trace_graph(diagrams.extract(Binding), trace, "zh").source
    assert "#7 +71 小时" in chinese and "被拒绝" in chinese and "运行轨迹" in chinese


def test_a_refused_tap_shows_on_the_binding_whose_rule_refused_it() -> None:
    world = World(clock=ManualClock(START))
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    world.accept("alice", "gb")
    for label in ["Showcase", "Enter", "Your Shop", "View link info"]:
        world.tap("alice", label)
    with pytest.raises(Refused):
        world.tap("alice", "Send unlink request")  # R-LOCK-24H, through the phone
    found = by_target(world)
    [on_phone] = found["app:alice"].refusals
    [on_binding] = found["bind-1"].refusals  # UNBIND_LOCKED cites R-LOCK-24H, as `locked` does
    assert on_phone.seq == on_binding.seq and on_binding.reasons == ("UNBIND_LOCKED",)
    assert found["inv-1"].refusals == ()  # accepted: no rule of it is involved
    assert found["center:gb"].refusals == ()


def test_screen_trace_numbers_several_moves_within_one_step(world: World) -> None:
    trace = by_target(world)["center:gb"]
    first = [s.number for s in trace.steps if s.seq == 1]
    assert first == ["1.1", "1.2", "1.3", "1.4"]  # R-SELLER-NAV: My Account → ... → Send


def test_traces_read_the_same_from_log_objects_and_their_json_form(world: World) -> None:
    assert diagrams.traces([e.to_dict() for e in world.log]) == diagrams.traces(world.log)


def test_a_refused_tap_before_the_phone_moved_is_kept_for_the_phones_trace() -> None:
    world = World(clock=ManualClock(START))
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24, network="US")
    world.invite("gb", "alice")
    world.set_creator("alice", network="GB")
    world.accept("alice", "gb")
    world.set_creator("alice", network="US")
    with pytest.raises(Refused):
        world.tap("alice", "Showcase")  # R-UNLINK-PATH: hidden abroad
    world.set_creator("alice", network="GB")
    world.tap("alice", "Showcase")
    [app] = [t for t in diagrams.traces(world.log) if t.machine == "CreatorApp"]
    assert app.target == "app:alice"
    [hidden] = app.refusals
    assert hidden.states == ("profile",)
    assert set(hidden.reasons) == {"NETWORK_REGION_MISMATCH", "NOT_VISIBLE"}


# --------------------------------------------------------------------------- timelines


def test_timeline_has_a_lane_per_created_record_with_its_windows(world: World) -> None:
    line = diagrams.timeline(world.log, world.rules, end=world.now)
    lanes = {lane.id: lane for lane in line.lanes}
    assert set(lanes) == {"inv-1", "inv-2", "bind-1", "bind-2", "channel:gb"}  # no screens
    start = line.start

    def windows(lane_id: str) -> list[tuple[timedelta, timedelta]]:
        return [
            (s.start - start, s.end - s.start) for s in lanes[lane_id].spans if s.kind == "window"
        ]

    assert windows("inv-1") == [(timedelta(0), timedelta(hours=48))]  # R-INVITE-48H
    assert windows("bind-1") == [(timedelta(hours=47), timedelta(hours=24))]  # R-LOCK-24H
    assert windows("channel:gb") == [
        (timedelta(hours=47), timedelta(days=180))
    ]  # R-CHANNEL-10-180D
    ended = [s for s in lanes["bind-1"].spans if s.kind == "end"]
    assert [s.label.en for s in ended] == ["unbound"]
    open_ = [s for s in lanes["bind-2"].spans if s.open_ended]
    assert [s.label.en for s in open_] == ["can be unbound"]


def test_timeline_marks_every_step_and_refusals_with_their_codes(world: World) -> None:
    line = diagrams.timeline(world.log, world.rules)
    assert [m.seq for m in line.marks] == [e.seq for e in world.log]
    refused = {m.seq: m.reasons for m in line.marks if m.outcome == "refused"}
    assert refused == {2: ("UNDER_18", "COUNTRY_MISMATCH"), 6: ("UNBIND_LOCKED",)}
    assert [m.seq for m in line.marks if m.outcome == "timer"] == [7, 8]


def test_a_run_names_its_actions_with_the_words_the_simulator_hands_it(world: World) -> None:
    """The diagrams declare no names of actions (issue 20): a run carries the simulator's words,
    the actions table's labels and the timers' (ACTION_WORDS), and its pictures show them."""
    run = diagrams.Run.of_world(world, "lock", actions=ACTION_WORDS)
    logged = {entry.seq: entry.action for entry in world.log}
    marks = {
        mark.seq: mark.label for mark in diagrams.timeline(world.log, actions=ACTION_WORDS).marks
    }
    assert {"invite", "accept", "unlock"} <= set(logged.values())
    for seq, action in logged.items():
        said = ACTIONS[action].label if action in ACTIONS else LOG_ONLY[action]
        assert said.zh in marks[seq].zh and said.en in marks[seq].en, action
    refusals = [r for trace in run.traces() for r in trace.refusals]
    assert refusals and all(r.what == ACTIONS[r.action].label for r in refusals)
    assert ACTIONS["invite"].label.zh in diagrams.timeline_picture(run, "zh").source
    bare = {mark.seq: mark.label for mark in diagrams.timeline(world.log).marks}
    assert all(action.replace("_", " ") in bare[seq].zh for seq, action in logged.items())


def test_timeline_windows_follow_the_ruleset() -> None:
    world = World(clock=ManualClock(START))
    world = World(
        clock=ManualClock(START),
        ruleset=world.rules.with_overrides({"invite_ttl": "2h", "ticket_resolution_time": "3h"}),
    )
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    world.open_ticket("gb", "alice")
    world.advance("5h")
    line = diagrams.timeline(world.log, world.rules)
    lengths = {
        lane.id: [s.end - s.start for s in lane.spans if s.kind == "window"] for lane in line.lanes
    }
    assert lengths == {"inv-1": [timedelta(hours=2)], "ticket-1": [timedelta(hours=3)]}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_timeline_graph_draws_windows_marks_and_steps_in_both_languages(
    world: World, lang: str
) -> None:
    source = timeline_graph(diagrams.timeline(world.log, world.rules, end=world.now), lang).source  # type: ignore[arg-type]
    assert source.startswith("graph timeline {")
    assert source.count("class=window") == 5
    assert len(re.findall(r"^\s*mark_\d+ \[", source, re.M)) >= 4
    assert re.search(r"mark_\d+ \[[^\n]*label=\"×6\"[^\n]*class=refusal", source)
    assert "UNBIND_LOCKED" in source and "UNDER_18, COUNTRY_MISMATCH" in source
    words = (
        ("48h · R-INVITE-48H", "180 days") if lang == "en" else ("48 小时 · R-INVITE-48H", "180 天")
    )
    for word in words:
        assert word in source
    assert ("时间线" in source) == (lang == "zh")


def test_an_empty_log_still_makes_a_timeline() -> None:
    line = diagrams.timeline([])
    assert line.lanes == () and line.marks == ()
    assert "nothing happened" in timeline_graph(line, "en").source


def test_a_run_of_a_world_keeps_its_rules_and_times(world: World) -> None:
    run = diagrams.Run.of_world(world, "lock_story")
    assert run.end == world.now and run.start == world.log[0].at
    assert {t.target for t, _ in diagrams.trace_graphs(run)} == set(by_target(world))
