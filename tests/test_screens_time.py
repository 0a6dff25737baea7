"""R-LOCK-24H met through the taps of R-UNLINK-PATH, one second before and exactly at 24 hours
(A-WINDOW-BOUNDS), on both clocks.

Each test runs twice through the `clocked` fixture: World() on SystemClock under freezegun's
freeze_time (moved by tick()), and World(clock=ManualClock(...)) (moved by advance()).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import SECOND, START, Clocked

from bindsim import Refused, SystemClock, World
from bindsim.simulator.screens import UNLINK_PATH

H24 = timedelta(hours=24)
TO_LINK_INFO = UNLINK_PATH[:-1]  # Showcase → Enter → Your Shop → View link info


def _bound_official(world: World) -> None:
    world.add_shop("gb", region="GB", kind="open")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice", role="official")
    world.accept("alice", "gb")


def test_each_clock_kind_runs_the_world_it_names(clocked: Clocked) -> None:
    """The freezegun run really is World() on the system clock, frozen at START."""
    assert isinstance(clocked.world.clock, SystemClock) == (clocked.kind == "freezegun")
    assert clocked.world.now == START


def test_send_unlink_request_is_refused_one_second_before_24h(clocked: Clocked) -> None:
    """R-LOCK-24H, A-WINDOW-BOUNDS: at bound_at + 24h − 1s the tap on Link info is refused."""
    world = clocked.world
    _bound_official(world)
    clocked.tick(H24 - SECOND)
    for label in TO_LINK_INFO:
        world.tap("alice", label)
    assert "Send unlink request" in world.screen("alice").visible  # shown, and refused on tap
    with pytest.raises(Refused) as refused:
        world.tap("alice", "Send unlink request")
    assert refused.value.codes == ("UNBIND_LOCKED",)
    assert world.screen("alice").id == "link_info"
    assert world.binding("gb", "alice").states == {"bound", "locked"}
    entry = world.log[-1]
    assert (entry.action, entry.outcome, entry.at) == ("tap", "refused", START + H24 - SECOND)


def test_send_unlink_request_is_taken_exactly_at_24h(clocked: Clocked) -> None:
    """R-LOCK-24H, A-WINDOW-BOUNDS: unbinding is allowed from bound_at + 24h on."""
    world = clocked.world
    _bound_official(world)
    clocked.tick(H24)
    for label in UNLINK_PATH:
        world.tap("alice", label)
    assert world.screen("alice").id == "request_sent"
    binding = world.binding("gb", "alice")
    assert binding.states == {"bound", "unlink_requested"}
    assert binding.unlink_requested_at == START + H24
    unlock, request = world.log[-len(UNLINK_PATH) - 1], world.log[-1]
    assert (unlock.action, unlock.outcome, unlock.at) == ("unlock", "timer", START + H24)
    assert (request.subject["label"], request.outcome, request.at) == (
        "Send unlink request",
        "ok",
        START + H24,
    )


def test_the_lock_ends_while_the_creator_waits_on_link_info(clocked: Clocked) -> None:
    """Refused at 24h − 1s, the same tap one second later succeeds without walking again."""
    world = clocked.world
    _bound_official(world)
    clocked.tick(H24 - SECOND)
    for label in TO_LINK_INFO:
        world.tap("alice", label)
    with pytest.raises(Refused):
        world.tap("alice", "Send unlink request")
    clocked.tick(SECOND)
    world.tap("alice", "Send unlink request")
    assert world.screen("alice").id == "request_sent"
    world.approve_unlink("gb", "alice")
    assert world.bound_shop("alice") is None
    assert world.binding("gb", "alice").ended_at == START + H24


def test_request_unlink_shortcut_meets_the_same_boundary(clocked: Clocked) -> None:
    """The shortcut is the tap path: refused at 24h − 1s on Link info, sent at 24h."""
    world = clocked.world
    _bound_official(world)
    clocked.tick(H24 - SECOND)
    with pytest.raises(Refused) as refused:
        world.request_unlink("alice")
    assert refused.value.codes == ("UNBIND_LOCKED",)
    assert world.screen("alice").id == "link_info"
    clocked.tick(SECOND)
    world.request_unlink("alice")
    assert world.screen("alice").id == "request_sent"


def test_a_rebinding_starts_a_new_24h_lock_on_the_tap_path(clocked: Clocked) -> None:
    """R-REBIND, R-LOCK-24H: the lock counts from the new binding, not the first one."""
    world = clocked.world
    _bound_official(world)
    clocked.tick(H24)
    world.request_unlink("alice")
    world.approve_unlink("gb", "alice")
    clocked.tick("1h")
    world.invite("gb", "alice", role="official")
    world.accept("alice", "gb")
    rebound_at = START + H24 + timedelta(hours=1)
    assert world.binding("gb", "alice").bound_at == rebound_at
    clocked.tick(H24 - SECOND)
    with pytest.raises(Refused) as refused:
        world.request_unlink("alice")
    assert refused.value.codes == ("UNBIND_LOCKED",)
    clocked.tick(SECOND)
    world.tap("alice", "Send unlink request")
    assert world.screen("alice").id == "request_sent"
    assert world.binding("gb", "alice").unlink_requested_at == rebound_at + H24
