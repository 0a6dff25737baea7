"""The World's side of reliability (issue 14): nothing due when a step returns, clocks that
return nonsense, bounded error messages, a log that can be capped or streamed, copies that are
independent, and ruleset durations that survive a snapshot exactly."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone, tzinfo

import pytest

from bindsim import (
    ClockWentBackwards,
    InvalidArgument,
    ManualClock,
    Refused,
    Ruleset,
    UnknownId,
    World,
)
from bindsim.errors import InvalidClock, InvalidSetting
from bindsim.simulator.clock import DEFAULT_START as START

ZERO = {"invite_ttl": 0, "unbind_lock": "0s", "ticket_resolution_time": 0}


def _world(**overrides: object) -> World:
    world = World(clock=ManualClock(START), ruleset=Ruleset().with_overrides(overrides))
    world.add_shop("gb", region="GB", kind="invited")
    world.add_creator("alice", country="GB", age=24)
    world.add_creator("bob", country="GB", age=24, registration_country="FR")
    return world


# --------------------------------------------------------------- zero-length windows


def test_a_zero_length_invitation_window_has_ended_when_invite_returns() -> None:
    """R-INVITE-48H set to 0s: the expiry is due at the sending, so it fires within the step."""
    world = _world(**ZERO)
    world.invite("gb", "alice")
    assert world.to_dict()["invitations"][0]["node"] == "expired"
    assert [e.action for e in world.log] == ["invite", "expire"]
    assert world.log[-1].at == START
    assert world.pending_timers() == []


def test_a_refused_call_after_a_zero_window_changes_nothing_but_its_own_log_entry() -> None:
    world = _world(**ZERO)
    world.invite("gb", "alice")
    before = world.to_dict()
    with pytest.raises(Refused, match="INVITATION_EXPIRED"):
        world.accept("alice", "gb")
    after = world.to_dict()
    assert {k: v for k, v in after.items() if k not in ("log", "logged")} == {
        k: v for k, v in before.items() if k not in ("log", "logged")
    }
    assert [e.outcome for e in world.log][-1] == "refused"


def test_zero_length_lock_and_ticket_fire_within_the_step_that_starts_them() -> None:
    world = _world(invite_ttl="1h", unbind_lock=0, ticket_resolution_time=0)
    world.invite("gb", "alice", role="channel")
    world.accept("alice", "gb")
    assert world.binding("gb", "alice").states == {"bound", "unlockable"}  # R-LOCK-24H at 0s
    world.invite("gb", "bob", role="channel")
    world.accept("bob", "gb")  # stuck: registered in FR (R-STUCK)
    ticket = world.open_ticket("gb", "bob")
    assert world.ticket(ticket.id).state == "resolved"
    assert world.binding("gb", "bob").states == {"bound", "unlockable"}
    snapshot = World.from_dict(json.loads(json.dumps(world.to_dict())))
    assert snapshot.pending_timers() == []


# --------------------------------------------------------------------- odd clocks


class _Returns:
    def __init__(self, value: object) -> None:
        self.value = value

    def now(self) -> object:
        return self.value


class _BrokenZone(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta:
        raise RuntimeError("no zone database")

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


class _DayLongOffset(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=25)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2024, 11, 11, 12, 0),  # naive
        datetime(2024, 11, 11, 12, 0, tzinfo=_DayLongOffset()),
        "yesterday",
        None,
        datetime(2024, 11, 11, tzinfo=_BrokenZone()),
    ],
    ids=["naive", "offset of 25h", "text", "None", "tzinfo that raises"],
)
def test_a_clock_that_returns_nonsense_is_a_typed_error(value: object) -> None:
    with pytest.raises((InvalidClock, InvalidArgument)) as caught:
        World(clock=_Returns(value))  # type: ignore[arg-type]
    assert "clock" in str(caught.value)


def test_a_clock_that_turns_to_nonsense_later_changes_nothing() -> None:
    clock = _Returns(START)
    world = World(clock=clock)  # type: ignore[arg-type]
    world.add_shop("gb", region="GB")
    before = world.to_dict()
    clock.value = datetime(2024, 11, 11, 13, 0)  # naive now
    with pytest.raises(InvalidClock, match="no time zone"):
        world.official("gb")
    assert world.to_dict() == before


def test_passing_the_clock_class_instead_of_a_clock_says_what_to_write() -> None:
    with pytest.raises(InvalidArgument, match=r"write ManualClock\(...\)"):
        World(clock=ManualClock)  # type: ignore[arg-type]


def test_an_aware_clock_in_another_zone_is_read_as_utc() -> None:
    shanghai = timezone(timedelta(hours=8))
    world = World(clock=ManualClock(datetime(2024, 11, 11, 20, 0, tzinfo=shanghai)))
    assert world.now == START


# ------------------------------------------------------------ bounded error messages


def test_an_unknown_id_names_a_few_close_matches_never_every_id() -> None:
    world = World(clock=ManualClock(START))
    world.add_shop("gb", region="GB", kind="invited")
    for n in range(3000):
        world.add_creator(f"creator{n}", country="GB", age=24)
    with pytest.raises(UnknownId) as caught:
        world.accept("creatr17", "gb")
    message = str(caught.value)
    assert len(message) < 200
    assert "did you mean" in message and "'creator17'" in message


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("creator2999x", "creator2999"),  # a letter added
        ("creatr2999", "creator2999"),  # a letter dropped
        ("craetor2999", "creator2999"),  # two swapped
        ("Creator2999", "creator2999"),  # case
        ("creator2999X", "creator2999"),  # an upper-case letter added
        ("cr", None),  # nothing near
    ],
)
def test_a_typo_of_any_id_finds_it_however_many_there_are(typo: str, meant: str | None) -> None:
    """One edit away is looked up, not scanned: the last of 3,000 ids is found as surely as the
    first, and the message stays short."""
    world = World(clock=ManualClock(START))
    world.add_shop("gb", region="GB", kind="invited")
    for n in range(3000):
        world.add_creator(f"creator{n}", country="GB", age=24)
    with pytest.raises(UnknownId) as caught:
        world.accept(typo, "gb")
    message = str(caught.value)
    assert len(message) < 200
    if meant is None:
        assert "did you mean" not in message
    else:
        assert f"did you mean '{meant}'" in message


def test_an_unknown_owner_is_looked_up_among_creators_and_shops() -> None:
    world = _world()
    with pytest.raises(UnknownId, match="unknown creator or shop 'gbb'; did you mean 'gb'"):
        world.screen("gbb")


def test_an_unknown_invitation_says_the_pair_has_none_without_listing_the_others() -> None:
    world = _world()
    world.add_creator("carol", country="GB", age=30)
    for creator in ("alice", "bob"):
        world.invite("gb", creator, role="channel")
    with pytest.raises(UnknownId) as caught:
        world.invitation("gb", "carol")
    assert str(caught.value) == "unknown invitation 'gb→carol': gb and carol have none"


# --------------------------------------------------------------- capped and streamed log


def test_a_capped_log_keeps_the_newest_entries_and_counts_them_all() -> None:
    world = World(clock=ManualClock(START), log_limit=10)
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    for _ in range(30):
        world.invite("gb", "alice")
        world.withdraw("gb", "alice")
    assert world.logged == 60
    assert 10 <= len(world.log) < 20
    assert [e.seq for e in world.log] == list(range(61 - len(world.log), 61))
    assert [e.seq for e in world.log_since(57)] == [58, 59, 60]
    copy = World.from_dict(json.loads(json.dumps(world.to_dict())))
    copy.invite("gb", "alice")
    assert copy.log[-1].seq == 61 and copy.log_limit == 10


def test_a_streamed_log_hands_every_entry_to_the_callback_in_order() -> None:
    streamed: list[int] = []
    world = World(clock=ManualClock(START), on_log=lambda entry: streamed.append(entry.seq))
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    world.advance("48h")  # the expiry is logged too
    with pytest.raises(Refused):
        world.accept("alice", "gb")  # refusals are logged (and streamed) as well
    assert streamed == [1, 2, 3] == [e.seq for e in world.log]


@pytest.mark.parametrize("limit", [0, -1, 1.5, True, "10"])
def test_a_log_limit_that_is_not_a_positive_whole_number_is_refused(limit: object) -> None:
    with pytest.raises(InvalidArgument, match="log_limit must be a whole number"):
        World(clock=ManualClock(START), log_limit=limit)  # type: ignore[arg-type]


# ------------------------------------------------------------------------ copies


def test_a_copy_is_independent_of_its_original_clock_state_and_log() -> None:
    world = _world()
    world.invite("gb", "alice")
    twin = world.copy()
    assert twin.to_dict() == world.to_dict()
    twin.advance("48h")
    assert twin.invitation("gb", "alice").state == "expired"
    assert world.invitation("gb", "alice").state == "pending"
    assert world.now == START and len(world.log) == 1
    world.accept("alice", "gb")
    assert twin.bound_shop("alice") is None and world.bound_shop("alice") == "gb"
    with pytest.raises(ClockWentBackwards):
        twin.advance_to(START)  # the twin's clock moved on; the original's did not


def test_a_copy_behaves_exactly_as_its_original_from_then_on() -> None:
    world = _world()
    world.invite("gb", "bob", role="channel")
    world.accept("bob", "gb")
    twin = world.copy()
    for w in (world, twin):
        w.open_ticket("gb", "bob")  # fixed at +24h, then locked until +48h (R-LOCK-24H)
        w.advance("48h")
        w.request_unlink("bob")
    assert twin.to_dict() == world.to_dict()


# --------------------------------------------------------------- exact durations


def test_ruleset_durations_are_whole_seconds_and_survive_a_snapshot_exactly() -> None:
    with pytest.raises(InvalidSetting, match="needs whole seconds"):
        Ruleset().with_overrides({"invite_ttl": 1.5})
    world = _world(invite_ttl="47h59m59s", unbind_lock=86399)
    copy = World.from_dict(json.loads(json.dumps(world.to_dict())))
    assert copy.rules == world.rules
