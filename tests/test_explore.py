"""`bindsim explore` (issue 10): every reachable state of a cast, checked, counted exactly, with
shortest counterexamples that replay, dead ends, and a generated suite that passes."""

from __future__ import annotations

import json
import multiprocessing
import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from statemachine import State
from statemachine.transition_list import TransitionList

from bindsim import ManualClock, World
from bindsim.errors import Refused
from bindsim.machines import Binding, BindsimMachine
from bindsim.machines.spec import spec_of
from bindsim.machines.text import Edge, Text, described
from bindsim.simulator import coverage
from bindsim.simulator import state as state_module
from bindsim.simulator.cli import main
from bindsim.simulator.engine import engine_named
from bindsim.simulator.explore import pool, search, space
from bindsim.simulator.explore.search import Explorer, Limits, Report
from bindsim.simulator.scenario import load_file, run


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """explore writes its findings to ./explored by default: never into the repository."""
    monkeypatch.chdir(tmp_path)


TINY = """\
name: one open shop, one account
ruleset: {official_unbind_limit: 1, allow_decline: false}
shops: {gb: {region: GB, kind: open}}
creators: {ann: {country: GB, age: 24}}
"""

# The tiny cast's states, worked out by hand (no fact varies; time moves to the next deadline's
# −1s, at and +1s; the key keeps deadlines relative to now and drops finished records' times):
#   S0  nothing yet                          → invite: S1
#   S1  invitation pending, 48h left          → accept: S2; −1s: S1a; at, +1s: S1b
#   S1a pending, 1s left                      → accept: S2; at, +1s: S1b
#   S1b invitation expired                    → invite: S1 (a new pending invitation)
#   S2  bound, locked, 24h left              → −1s: S2a; at, +1s: S3
#   S2a locked, 1s left                       → at, +1s: S3
#   S3  bound, can be unbound                 → request_unlink: S4
#   S4  unlink requested                      → approve_unlink: S5 (decline is off)
#   S5  unbound once (the limit is 1)         → invite: S6
#   S6, S6a, S6b, S7, S7a as S1, S1a, S1b, S2, S2a, with one unbind spent
#   S8  bound, can be unbound, no unbind left → request_unlink refused OFFICIAL_UNBIND_LIMIT
# 15 states. Transitions: 1 (S0) + 4 (S1) + 3 (S1a) + 1 (S1b) + 3 (S2) + 2 (S2a) + 1 + 1 + 1
# (S3, S4, S5) + 4 + 3 + 1 (S6, S6a, S6b) + 3 (S7) + 2 (S7a) = 30.
TINY_STATES, TINY_TRANSITIONS = 15, 30


def _world(text: str, tmp_path: Path) -> tuple[World, Path]:
    path = tmp_path / "cast.scenario.yaml"
    path.write_text(text, encoding="utf-8")
    from bindsim.simulator.scenario.runner import build_world

    return build_world(load_file(path, require_steps=False)), path


def _explore(
    text: str,
    tmp_path: Path,
    vary: tuple[str, ...] = (),
    jobs: int = 1,
    limits: Limits | None = None,
    edges: bool = True,
) -> Report:
    world, _ = _world(text, tmp_path)
    cast = space.cast_of(world.state, vary, edges)
    return Explorer(world.state.copy(), world.now, world.rules, cast).run(limits or Limits(), jobs)


def test_the_tiny_cast_has_exactly_the_states_worked_out_by_hand(tmp_path: Path) -> None:
    report = _explore(TINY, tmp_path)
    assert (report.states, report.transitions) == (TINY_STATES, TINY_TRANSITIONS)
    assert report.complete and not report.violations


def test_an_account_bound_after_the_last_unbind_is_a_dead_end(tmp_path: Path) -> None:
    """R-OFFICIAL-UNBIND-3: once no unbind is left, the official account can never leave."""
    report = _explore(TINY, tmp_path)
    (dead,) = report.dead_ends
    assert dead.creator == "ann"
    assert [a.verb for a in report.path(dead.node)] == [
        "invite",
        "accept",
        "advance",
        "request_unlink",
        "approve_unlink",
        "invite",
        "accept",
    ]


def test_the_dead_end_comes_only_once_the_last_unbind_is_spent(tmp_path: Path) -> None:
    three = TINY.replace("official_unbind_limit: 1", "official_unbind_limit: 3")
    report = _explore(three, tmp_path)
    assert report.complete
    (dead,) = report.dead_ends
    verbs = [a.verb for a in report.path(dead.node)]
    assert verbs.count("approve_unlink") == 3 and verbs[-1] == "accept"


TWO = """\
name: two accounts, an invite-only shop
ruleset: {official_unbind_limit: 1, channel_slots_invited: 1}
shops: {gbi: {region: GB, kind: invited}}
creators: {ann: {country: GB, age: 24}, ben: {country: GB, age: 30}}
"""


def test_exploration_is_deterministic_and_the_same_with_two_processes(tmp_path: Path) -> None:
    """Stopped at the same bound, one, two and three processes visit the same states in the
    same order (each level is shared out in rounds and merged back by state number), and
    moving states between processes to balance them changes nothing."""
    limits = Limits(max_states=2000)
    first = _explore(TWO, tmp_path, ("network",), limits=limits)
    again = _explore(TWO, tmp_path, ("network",), limits=limits)
    parallel = _explore(TWO, tmp_path, ("network",), jobs=2, limits=limits)
    three = _explore(TWO, tmp_path, ("network",), jobs=3, limits=limits)
    assert first.states == 2000 and not first.complete  # big enough to share out
    for other in (again, parallel, three):
        assert (other.states, other.transitions, other.depth) == (
            first.states,
            first.transitions,
            first.depth,
        )
        assert list(other.parents) == list(first.parents) and other.via == first.via
        assert other.exercised.counts == first.exercised.counts
        assert list(other.first.items()) == list(first.first.items())  # in the same order
        assert list(other.exercised.counts) == list(first.exercised.counts)
        assert [(d.creator, d.node) for d in other.dead_ends] == [
            (d.creator, d.node) for d in first.dead_ends
        ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_reported_within_long_levels_and_ends_on_the_result(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live line moves during a level, not only between levels, and its last figures
    are the report's, also when the bound stops the search."""
    monkeypatch.setattr(search, "PROGRESS_EVERY", 256)
    world, _ = _world(TWO, tmp_path)
    cast = space.cast_of(world.state, ("network",))
    seen: list[tuple[int, int, int]] = []
    report = Explorer(world.state.copy(), world.now, world.rules, cast).run(
        Limits(max_states=2000),
        jobs,
        lambda states, depth, frontier, _: seen.append((states, depth, frontier)),
    )
    assert len(seen) > 2 * (report.depth + 1)  # more often than once a level
    assert [s for s, _, _ in seen] == sorted(s for s, _, _ in seen)
    assert seen[-1][:2] == (report.states, report.depth)


def test_a_worker_that_fails_is_a_clear_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A worker process that fails (a bug, memory) ends the search with what went wrong; the
    workers are forked, so a fault planted here is theirs too."""

    def broken(*args: Any) -> None:
        raise MemoryError("no room for the round")

    monkeypatch.setattr(pool, "_records", broken)
    with pytest.raises(pool.WorkerFailed, match="worker 1 failed: MemoryError: no room"):
        _explore(TWO, tmp_path, ("network",), jobs=2, limits=Limits(max_states=2000))
    _world(TWO, tmp_path)
    code = main(["explore", str(tmp_path / "cast.scenario.yaml"), "--jobs", "2", "--json"])
    assert code == 2
    err = capsys.readouterr().err
    assert "worker 1 failed: MemoryError: no room for the round" in err
    assert "Traceback" not in err


def test_a_worker_that_fails_at_the_start_leaves_no_process_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_end = pool._Share.end

    def end(share: Any, settled: Any) -> Any:
        if share.number == 1:
            raise MemoryError("no room at the first level")
        return real_end(share, settled)

    monkeypatch.setattr(pool._Share, "end", end)
    with pytest.raises(pool.WorkerFailed, match="no room at the first level"):
        _explore(TWO, tmp_path, ("network",), jobs=3, limits=Limits(max_states=100))
    assert multiprocessing.active_children() == []


# A search whose messages are larger than the pipes' buffers (4 KiB here; a big level's exceed
# Linux's ≈ 200 KB, macOS's are 8 KiB): the search sends a round while a worker sends its
# answer to an earlier one. Run in a child process, so that a hang fails the test.
SMALL_PIPES = """
import multiprocessing, os, socket, sys
from pathlib import Path
from bindsim.simulator.explore import pool, space
from bindsim.simulator.explore.search import Explorer, Limits
from bindsim.simulator.scenario import load_file
from bindsim.simulator.scenario.runner import build_world

context = multiprocessing.get_context("fork")
real_pipe = context.Pipe

def small_pipe(*args):
    ends = real_pipe(*args)
    for end in ends:
        sock = socket.socket(fileno=os.dup(end.fileno()))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.close()
    return ends

context.Pipe = small_pipe
pool.multiprocessing.get_context = lambda method: context
world = build_world(load_file(Path(sys.argv[1]), require_steps=False))
cast = space.cast_of(world.state, ("network", "status"))
report = Explorer(world.state.copy(), world.now, world.rules, cast).run(Limits(max_states=6000), 2)
print(report.states)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="socket buffer sizes as on Linux")
def test_messages_larger_than_the_pipes_do_not_hang_the_search(tmp_path: Path) -> None:
    _, path = _world(TWO, tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", SMALL_PIPES, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["6000"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bounded_search_is_the_start_of_the_whole_one(tmp_path: Path, jobs: int) -> None:
    """--max-states N stops at the first new state past N: the N states are the whole search's
    first N, reached the same way, and a state is expanded only if the whole search expanded
    it with every successor known (the one whose successors were cut is not)."""
    whole = _explore(TINY, tmp_path)
    for bound in range(1, TINY_STATES):
        cut = _explore(TINY, tmp_path, jobs=jobs, limits=Limits(max_states=bound))
        assert cut.states == bound and not cut.complete
        assert list(cut.parents) == list(whole.parents)[:bound] and cut.via == whole.via[:bound]
        assert cut.expanded < bound and cut.transitions < whole.transitions
    assert whole.expanded == whole.states == TINY_STATES


def test_a_bounded_search_cuts_the_same_states_run_after_run(tmp_path: Path) -> None:
    """A bounded search admits the same states and transitions run after run and with two
    processes (and an Explorer run twice starts afresh: its second run is its first)."""
    world, _ = _world(TWO, tmp_path)
    cast = space.cast_of(world.state, ("network",))
    explorer = Explorer(world.state.copy(), world.now, world.rules, cast)
    bounded = [explorer.run(Limits(max_states=700)) for _ in range(2)]
    whole_level = _explore(TWO, tmp_path, ("network",), jobs=2, limits=Limits(max_states=700))
    for report in (bounded[1], whole_level):
        assert (report.states, report.transitions) == (bounded[0].states, bounded[0].transitions)
        assert list(report.parents) == list(bounded[0].parents)
        assert report.exercised.counts == bounded[0].exercised.counts
    assert bounded[0].states == 700 and not bounded[0].complete


def test_refusals_decided_without_the_walk_are_the_worlds_refusals(tmp_path: Path) -> None:
    """explore decides a refused invite from checks.invite_reasons, and tells a refused walk
    (an invitation, or an unlink walk stopped by a hidden label) from an earlier one with the
    same screen and facts (space.py): in every state of a bounded search the reason codes and
    what the walk exercised are those of the World's whole path (the World logs a refusal with
    its screen moves)."""
    world, _ = _world(TWO, tmp_path)
    cast = space.cast_of(world.state, ("network", "status"))
    report = Explorer(world.state.copy(), world.now, world.rules, cast).run(Limits(max_states=400))
    engine = engine_named("table")
    walks = 0
    for node in range(report.states):
        state, now = world.state.copy(), world.now
        for action in report.path(node):
            outcome = space.apply(state, now, world.rules, engine, action)
            assert outcome.state is not None
            state, now = outcome.state, outcome.now
        for action in space.actions(state, now, cast, world.rules):
            if action.verb not in ("invite", "request_unlink"):
                continue
            outcome = space.apply(state, now, world.rules, engine, action)
            twin = World.from_state(state.copy(), ManualClock(now), world.rules)
            try:
                getattr(twin, action.verb)(*(value for _, value in action.fields))
            except Refused as refusal:
                assert outcome.refused == refusal.codes, action
                walked = {item for item in outcome.items if not item[0].endswith("contract")}
                assert walked == coverage.of_entry(twin.log[-1]), action
                walks += 1
            else:
                assert outcome.state is not None and not outcome.refused, action
    assert walks > 100  # most of them told by an earlier walk


def test_time_moves_to_one_second_before_at_and_after_each_deadline(tmp_path: Path) -> None:
    report = _explore(TINY, tmp_path)
    moves = {a.fields[0][1] for a in report.via if a is not None and a.verb == "advance"}
    assert moves >= {"1d23h59m59s", "2d", "23h59m59s", "1d"}  # +1s lands where "at" did


def test_deadline_moves_alone_leave_out_the_one_second_edges(tmp_path: Path) -> None:
    """--time-moves deadlines: the 48h expiry and 24h lock are reached only at their moment, so
    the tiny cast loses its −1s states (S1a, S2a, S6a, S7a)."""
    report = _explore(TINY, tmp_path, edges=False)
    moves = {a.fields[0][1] for a in report.via if a is not None and a.verb == "advance"}
    assert moves == {"2d", "1d"}
    assert report.complete and report.states == TINY_STATES - 4


# ----------------------------------------------------------- a broken machine is caught

M = TypeVar("M", bound=type[BindsimMachine])


def _worded_like(model: type[BindsimMachine]) -> Callable[[M], M]:
    """A variant of `model` given its words: each state's and event's of the same id (an event
    the model lacks is worded by its id; guards go unworded)."""
    words = spec_of(model)

    def attach(machine: M) -> M:
        for state in machine.states_map.values():
            described(state, words.nodes[state.id])
            for transition in state.transitions:
                for event in map(str, transition.events):
                    edge = words.edges.get(event, Edge(Text(event, event)))
                    described(TransitionList([transition]), replace(edge, guards={}))
        return machine

    return attach


@_worded_like(Binding)
class LeakyBinding(BindsimMachine):
    """Binding with one mistake: an approved unlink leaves the binding stuck (alive) instead of
    unbound, while the shop and the account let go of it."""

    binding = State(initial=True)
    stuck = State()

    class bound(State.Compound):
        locked = State(initial=True)
        unlockable = State()
        unlink_requested = State()

        unlock = locked.to(unlockable)
        request_unlink = unlockable.to(unlink_requested, cond="unblocked")
        decline_unlink = unlink_requested.to(unlockable)

    unbound = State(final=True)
    failed = State(final=True)

    confirm = binding.to(stuck, cond="blocked") | binding.to(bound, unless="blocked")
    release = stuck.to(bound)
    fail = stuck.to(failed)
    approve_unlink = bound.unlink_requested.to(stuck)  # the mistake: should be `unbound`
    dissolve = stuck.to(unbound)  # never sent: keeps `unbound` reachable for python-statemachine

    title = Binding.title


def test_a_broken_machine_variant_is_caught_with_its_shortest_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(state_module.BindingRecord, "MACHINE", spec_of(LeakyBinding))
    _, path = _world(TINY, tmp_path)
    out = tmp_path / "found"
    code = main(["explore", str(path), "--vary", "none", "--out", str(out), "--json"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    (violation,) = report["violations"]
    assert violation["kind"] == "invariant" and "R-EXCLUSIVE" in violation["message"]
    assert [next(iter(step)) for step in violation["path"]] == [
        "invite",
        "accept",
        "advance",
        "request_unlink",
        "approve_unlink",
    ]
    (written,) = [Path(f) for f in report["files"] if "violation" in f]
    result = run(load_file(written))  # the counterexample replays to the same violation
    assert not result.passed
    assert result.failure is not None and "R-EXCLUSIVE" in result.failure.message
    assert result.failure.step.verb == "approve_unlink"


# ------------------------------------------------------------------ user properties


def _explore_with_property(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    module: str,
    source: str,
) -> tuple[int, dict[str, Any]]:
    """`bindsim explore` of the tiny cast with the module's one function as --property: the
    exit status and the JSON report (findings in tmp_path/found)."""
    (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    function = source.split("(", 1)[0].removeprefix("def ")
    _, path = _world(TINY, tmp_path)
    args = ["--vary", "none", "--out", str(tmp_path / "found"), "--json"]
    code = main(["explore", str(path), *args, "--property", f"{module}:{function}"])
    return code, json.loads(capsys.readouterr().out)


def test_a_user_property_is_checked_in_every_state_and_its_counterexample_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "def ann_stays_free(world):\n"
        "    shop = world.bound_shop('ann')\n"
        "    assert shop is None, 'ann got bound to ' + str(shop)\n"
    )
    code, report = _explore_with_property(tmp_path, monkeypatch, capsys, "house_rules", source)
    assert code == 1
    violation = report["violations"][0]
    assert violation["kind"] == "house_rules:ann_stays_free"
    assert violation["message"] == "ann got bound to gb"
    assert [next(iter(step)) for step in violation["path"]] == ["invite", "accept"]
    written = next(f for f in report["files"] if "violation" in f)
    assert main(["run", written]) == 0  # without the property the path is fine
    assert main(["run", written, "--property", "house_rules:ann_stays_free"]) == 1
    replayed = capsys.readouterr().out
    assert "property house_rules:ann_stays_free" in replayed
    assert "found:    ann got bound to gb" in replayed


# ------------------------------------------------------------------------ the suite


def test_the_generated_suite_passes_and_covers_what_the_search_exercised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, path = _world(TINY, tmp_path)
    folder = tmp_path / "suite"
    assert main(["explore", str(path), "--vary", "none", "--suite", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["suite"] and all(entry["passed"] for entry in report["suite"])
    files = sorted(folder.glob("*.scenario.yaml"))
    assert [str(f) for f in files] == sorted(entry["file"] for entry in report["suite"])
    from bindsim.simulator.scenario.report import measured

    exercised = measured(run(load_file(f)) for f in files).items
    searched = {
        tuple(item)
        for item in report["coverage"]["exercised"]
        if item[0] in ("state", "transition", "reason", "rule", "held")  # not explore's own
    }
    assert searched <= exercised  # every item the search met, the suite's runs meet too
    assert main(["run", str(folder)]) == 0


def test_the_same_cast_gives_the_same_suite(tmp_path: Path) -> None:
    _, path = _world(TINY, tmp_path)
    texts = []
    for name in ("a", "b"):
        main(["explore", str(path), "--vary", "none", "--suite", str(tmp_path / name), "--json"])
        texts.append([f.read_text(encoding="utf-8") for f in sorted((tmp_path / name).iterdir())])
    assert texts[0] == texts[1]


def test_the_library_cast_explores_and_its_suite_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cast = Path(__file__).resolve().parent.parent / "src" / "bindsim" / "scenarios" / "casts"
    for path in sorted(cast.glob("*.yaml")):
        folder = tmp_path / path.stem
        args = ["--depth", "6", "--suite", str(folder), "--out", str(tmp_path / "found")]
        code = main(["explore", str(path), *args, "--json"])
        report = json.loads(capsys.readouterr().out)
        assert code == 0, report["violations"]
        assert report["suite"] and all(entry["passed"] for entry in report["suite"])


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--vary", "height"], "--vary: unknown fact 'height'"),
        (["--property", "nowhere"], "package.module:function"),
        (["--property", "no_such_module_here:f"], "cannot load the property"),
    ],
)
def test_bad_options_are_clear_errors_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    _, path = _world(TINY, tmp_path)
    assert main(["explore", str(path), *extra]) == 2
    assert message in capsys.readouterr().err


def test_an_invalid_cast_file_is_reported_at_file_line_col(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.scenario.yaml"
    path.write_text("name: x\nshops: {gb: {region: Great Britain}}\n", encoding="utf-8")
    assert main(["explore", str(path)]) == 2
    assert f"{path}:2:" in capsys.readouterr().err


def test_a_first_step_that_does_not_hold_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cast.scenario.yaml"
    path.write_text(TINY + "steps:\n  - accept: {creator: ann, shop: gb}\n", encoding="utf-8")
    assert main(["explore", str(path)]) == 2
    assert "did not hold" in capsys.readouterr().err


def test_a_world_and_its_copy_are_the_same_state_to_the_explorer() -> None:
    world = World(clock=ManualClock("2024-11-11T12:00:00Z"))
    world.add_shop("gb", region="GB")
    world.add_creator("ann", country="GB", age=24)
    world.invite("gb", "ann")
    twin = world.copy()
    twin.state.invitation_count += 7  # ids differ, not what can happen next
    assert space.key(world.state, world.now, world.rules) == space.key(
        twin.state, twin.now, twin.rules
    )


def test_a_state_sent_to_another_process_comes_back_equal() -> None:
    """--jobs pickles states to move them: every kind of record, and the State, come back
    equal, of the same class, and the same state to the explorer."""
    world = World(clock=ManualClock("2024-11-11T12:00:00Z"))
    world.add_shop("gb", region="GB")
    world.add_shop("gbi", region="GB", kind="invited")
    world.add_creator("ann", country="GB", age=24)
    world.add_creator("ben", country="GB", age=30)
    world.add_creator("carol", country="FR", age=40)
    world.invite("gb", "ann")
    world.accept("ann", "gb")
    world.invite("gbi", "ben", role="channel")
    world.open_ticket("gb", "carol")
    world.advance("1d")
    world.request_unlink("ann")
    state = world.state
    kinds = {type(r) for table in (state.shops, state.creators) for r in table.values()}
    kinds |= {type(r) for r in [*state.invitations.values(), *state.bindings.values()]}
    kinds |= {type(r) for r in [*state.tickets.values(), *state.screens.values()]}
    assert len(kinds) == 7  # shop, creator, invitation, binding, ticket, app, Seller Center
    back = pickle.loads(pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
    assert back == state and back is not state
    for name in ("shops", "creators", "invitations", "bindings", "tickets", "screens"):
        for key, record in getattr(state, name).items():
            assert type(getattr(back, name)[key]) is type(record)
    assert space.key(back, world.now, world.rules) == space.key(state, world.now, world.rules)


def test_a_digest_depends_on_the_values_alone() -> None:
    """Two processes, or a state and its copy, hold equal strings as one object or as two:
    their digests must agree (pickle's bytes would not), and differ for other values."""
    one = "".join(["g", "b"])
    shared = ((one, one), -1, None, True)
    apart = (("".join(["g", "b"]), "".join(["g", "b"])), -1, None, True)
    assert shared == apart and shared[0][0] is shared[0][1] and apart[0][0] is not apart[0][1]
    assert space.digest(shared) == space.digest(apart)
    for other in ((("gb", "gc"), -1, None, True), (("gb", "gb"), -2, None, True)):
        assert space.digest(other) != space.digest(shared)
    assert space.digest((("gb", "gb"), 1, None, True)) != space.digest(shared)


def test_a_violation_only_the_recount_sees_replays_to_the_same_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """R-LOCK-24H broken by a lock that never ends: no step's own check sees it (they check the
    records a step touched), explore's recount does, and `bindsim run` recounts after the last
    step, so the written counterexample fails there too."""
    from bindsim.simulator import operations

    monkeypatch.setitem(operations.TIMED, "unlock", lambda step, record: None)
    _, path = _world(TINY, tmp_path)
    args = ["--vary", "none", "--depth", "4", "--out", str(tmp_path / "found"), "--json"]
    assert main(["explore", str(path), *args]) == 1
    report = json.loads(capsys.readouterr().out)
    assert "R-LOCK-24H" in report["violations"][0]["message"]
    written = next(Path(f) for f in report["files"] if "violation" in f)
    result = run(load_file(written))
    assert result.failure is not None and "R-LOCK-24H" in result.failure.message


def test_a_property_that_crashes_is_reported_as_broken_not_as_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = "def looks_up(world):\n    return {}['missing']\n"
    code, report = _explore_with_property(tmp_path, monkeypatch, capsys, "buggy_rules", source)
    assert code == 1
    violation = report["violations"][0]
    assert violation["message"] == "the property raised KeyError: 'missing'"


def test_findings_that_cannot_be_written_are_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("", encoding="utf-8")
    _, path = _world(TINY, tmp_path)  # its dead end is written to --out
    assert main(["explore", str(path), "--vary", "none", "--out", str(tmp_path / "afile/sub")]) == 2
    assert "cannot write the findings" in capsys.readouterr().err


# --------------------------------------------------------------- the key is sound


TWO_TICKETS = """\
name: one account, two shops' tickets about it
shops: {us: {region: US}, gb: {region: GB}}
creators: {ann: {country: US, registration_country: GB, age: 24}}
"""


def test_tickets_due_together_are_told_apart_by_the_order_they_fire_in(tmp_path: Path) -> None:
    """R-TICKET, A-TICKET-COUNTRY: with ann stuck at `us`, the ticket that fires first decides
    (us's closes and releases her, gb's then changes her registration; or gb's is refused while
    she is bound). Two states that differ only in that order lead to different states, so their
    keys must differ."""
    keys, after = [], []
    for order in (("us", "gb"), ("gb", "us")):
        world, _ = _world(TWO_TICKETS, tmp_path)
        world.invite("us", "ann", role="official")
        world.accept("ann", "us")
        for shop in order:
            world.open_ticket(shop, "ann")
        keys.append(space.key(world.state, world.now, world.rules))
        world.advance("1d")
        after.append(space.key(world.state, world.now, world.rules))
    assert after[0] != after[1]  # the futures differ ...
    assert keys[0] != keys[1]  # ... so the states do


def test_a_birthday_long_past_keeps_the_space_finite(tmp_path: Path) -> None:
    """A-AGE: once an account is an adult its birthday changes nothing; the tiny cast with a
    birthdate instead of an age has the same states."""
    birthdate = TINY.replace("age: 24", "birthdate: 1990-01-01")
    report = _explore(birthdate, tmp_path, limits=Limits(max_states=1000))
    assert report.complete and (report.states, report.transitions) == (
        TINY_STATES,
        TINY_TRANSITIONS,
    )


def test_a_cast_that_breaks_a_property_as_given_is_reported_without_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = "def nobody_yet(world):\n    return not world.creators\n"
    code, report = _explore_with_property(tmp_path, monkeypatch, capsys, "strict_rules", source)
    assert code == 1
    assert report["states"] == 1  # the broken first state is not expanded
    (violation,) = report["violations"]
    assert violation["path"] == [] and not any("violation" in f for f in report["files"])
