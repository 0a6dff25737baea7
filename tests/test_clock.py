"""The clocks and the catch-up: long jumps, clocks going backwards, clocks bindsim cannot move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import SECOND, START, Clocked
from freezegun import freeze_time

from bindsim import (
    ClockNotAdjustable,
    ClockWentBackwards,
    ManualClock,
    SystemClock,
    World,
)

H24 = timedelta(hours=24)
H48 = timedelta(hours=48)


def test_manual_clock_moves_only_when_told_and_only_forward() -> None:
    clock = ManualClock("2024-11-11T20:06:00+08:00")
    assert clock.now() == START + timedelta(minutes=6)
    assert clock.now().tzinfo == UTC
    assert clock.advance("47h59m59s") == START + timedelta(minutes=6) + H48 - SECOND
    assert clock.set(START + timedelta(days=3)) == START + timedelta(days=3)
    with pytest.raises(ClockWentBackwards):
        clock.set(START)
    assert clock.now() == START + timedelta(days=3)


def test_system_clock_reads_the_time_freezegun_sets() -> None:
    with freeze_time("2030-01-02T03:04:05Z") as frozen:
        assert SystemClock().now() == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
        frozen.tick(timedelta(hours=1))
        assert SystemClock().now() == datetime(2030, 1, 2, 4, 4, 5, tzinfo=UTC)


def test_world_on_the_system_clock_cannot_be_advanced() -> None:
    """World() + advance() raises ClockNotAdjustable, which points to freezegun and ManualClock."""
    with freeze_time(START):
        world = World()
        before = world.to_dict()
        with pytest.raises(ClockNotAdjustable) as excinfo:
            world.advance("1h")
        message = str(excinfo.value)
        assert "freezegun" in message and "ManualClock" in message
        with pytest.raises(ClockNotAdjustable, match="freeze_time"):
            world.advance_to(START + H24)
        assert world.to_dict() == before
        assert world.now == START


def test_world_defaults_to_the_system_clock() -> None:
    with freeze_time(START):
        assert isinstance(World().clock, SystemClock)
        assert World().now == START


def _world_with_timers(world: World) -> None:
    """Three timers due at different times, created out of due-time order."""
    world.add_shop("gb", region="GB", kind="invited")
    world.add_shop("fr", region="FR")
    world.add_creator("alice", country="GB", age=24)
    world.add_creator("bob", country="GB", age=24, registration_country="DE")
    world.add_creator("zoe", country="FR", age=40)
    world.invite("gb", "alice", role="official")  # expires at +48h
    world.invite("gb", "bob", role="channel")
    world.accept("bob", "gb")  # stuck (R-STUCK(a))
    world.open_ticket("gb", "bob")  # resolved at +24h: bound, then unlocked at +48h
    world.invite("fr", "zoe", role="official")
    world.accept("zoe", "fr")  # unlocked at +24h


def test_a_jump_of_years_fires_every_due_timer_in_due_order_at_its_own_time(
    clocked: Clocked,
) -> None:
    """The catch-up fires timers by due time (ties in creation order), each logged at its due
    time, never at the time the jump was noticed."""
    world = clocked.world
    _world_with_timers(world)
    first_timer_entry = len(world.log)
    clocked.tick("3650d")
    world.catch_up()
    assert world.now == START + timedelta(days=3650)
    fired = [(e.at, e.action, e.subject["creator"]) for e in world.log[first_timer_entry:]]
    assert fired == [
        (START + H24, "resolve_ticket", "bob"),  # same due time: in the order they were set
        (START + H24, "unlock", "zoe"),
        (START + H48, "expire", "alice"),
        (START + H48, "unlock", "bob"),
    ]
    assert all(e.outcome == "timer" for e in world.log[first_timer_entry:])
    assert world.pending_timers() == []
    assert world.invitation("gb", "alice").ended_at == START + H48
    assert world.binding("gb", "bob").states == {"bound", "unlockable"}


def test_timers_due_during_a_jump_are_fired_before_the_call_that_noticed_it(
    clocked: Clocked,
) -> None:
    """Catch-up: the first call after the jump is logged after every timer, at the jump's end."""
    world = clocked.world
    _world_with_timers(world)
    clocked.tick("400d")
    world.add_creator("late", country="GB", age=30)
    world.invite("gb", "late", role="official")
    assert [e.action for e in world.log[-2:]] == ["unlock", "invite"]
    assert world.log[-1].at == START + timedelta(days=400)
    times = [e.at for e in world.log]
    assert times == sorted(times)
    assert [e.seq for e in world.log] == list(range(1, len(world.log) + 1))


def test_nothing_fires_before_its_due_time(clocked: Clocked) -> None:
    world = clocked.world
    _world_with_timers(world)
    entries = len(world.log)
    clocked.tick(H24 - SECOND)
    assert [t.due for t in world.pending_timers()] == [START + H24, START + H24, START + H48]
    assert len(world.log) == entries


def test_a_clock_moved_backwards_raises_and_changes_nothing() -> None:
    """freezegun move_to() an earlier time: ClockWentBackwards, and to_dict() is unchanged."""
    with freeze_time(START) as frozen:
        world = World()
        _world_with_timers(world)
        frozen.tick(timedelta(hours=30))
        assert world.invitation("gb", "alice").state == "pending"
        before = world.to_dict()
        frozen.move_to(START + timedelta(hours=29))
        with pytest.raises(ClockWentBackwards) as excinfo:
            world.invite("fr", "alice", role="official")
        assert "backwards" in str(excinfo.value)
        assert excinfo.value.last_seen == START + timedelta(hours=30)
        assert excinfo.value.now == START + timedelta(hours=29)
        assert world.now == START + timedelta(hours=29)  # reading the clock is no step
        for read in (
            world.catch_up,
            lambda: world.invitation("gb", "alice"),
            lambda: world.official("fr"),
            lambda: world.check_invariants(),
        ):
            with pytest.raises(ClockWentBackwards):
                read()
        assert world.to_dict() == before
        # Once the clock is back where it was, the World carries on.
        frozen.move_to(START + timedelta(hours=49))
        assert world.invitation("gb", "alice").state == "expired"


def test_a_clock_moved_backwards_even_across_a_due_timer_changes_nothing() -> None:
    """Backwards by 1s with a timer due in between the two readings: nothing fires."""
    with freeze_time(START) as frozen:
        world = World()
        _world_with_timers(world)
        before = world.to_dict()
        frozen.move_to(START - SECOND)
        with pytest.raises(ClockWentBackwards):
            world.catch_up()
        assert world.to_dict() == before


def test_manual_advance_to_an_earlier_time_raises_and_changes_nothing() -> None:
    world = World(clock=ManualClock(START))
    _world_with_timers(world)
    world.advance("1h")
    before = world.to_dict()
    with pytest.raises(ClockWentBackwards):
        world.advance_to(START)
    assert world.to_dict() == before
    assert world.now == START + timedelta(hours=1)


def test_advance_by_zero_and_to_now_are_allowed_and_fire_nothing() -> None:
    world = World(clock=ManualClock(START))
    _world_with_timers(world)
    entries = len(world.log)
    world.advance(0)
    world.advance_to(START)
    assert len(world.log) == entries


def _script(clocked: Clocked) -> list[dict[str, object]]:
    """One fixed story of calls at fixed simulated times; returns the log as data."""
    world = clocked.world
    _world_with_timers(world)
    clocked.tick("30h")
    world.request_unlink("zoe")
    world.approve_unlink("fr", "zoe")
    clocked.tick("3d")
    world.invite("fr", "zoe", role="official")
    clocked.tick("47h59m59s")
    world.accept("zoe", "fr")
    clocked.tick("200d")
    world.catch_up()
    assert world.now == START + timedelta(days=206, hours=6) - SECOND
    return [entry.to_dict() for entry in world.log]


def test_reading_now_changes_nothing_and_catch_up_is_the_step_that_fires_timers() -> None:
    with freeze_time(START) as frozen:
        world = World()
        _world_with_timers(world)
        frozen.tick(timedelta(hours=49))
        before = world.to_dict()
        assert world.now == START + timedelta(hours=49)
        assert world.to_dict() == before  # R-INVITE-48H's expiry not fired by a read of the time
        fired = world.catch_up()
        assert [(e.action, e.at) for e in fired][-2:] == [
            ("expire", START + timedelta(hours=48)),
            ("unlock", START + timedelta(hours=48)),
        ]
        assert world.catch_up() == []  # nothing is due any more


def test_the_same_calls_at_the_same_times_give_the_same_log_on_either_clock() -> None:
    """Determinism: freezegun + SystemClock and ManualClock runs of one script log identically."""
    from conftest import manual_clocked

    manual = _script(manual_clocked())
    again = _script(manual_clocked())
    with freeze_time(START) as frozen:
        frozen_log = _script(Clocked("freezegun", World(), frozen.tick, frozen.move_to))
    assert manual == again == frozen_log
    assert len(manual) > 10
