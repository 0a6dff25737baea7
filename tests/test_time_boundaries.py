"""Every timed rule one second before, at and after its boundary (A-WINDOW-BOUNDS), on both clocks.

Each test runs twice through the `clocked` fixture: World() on SystemClock moved by freezegun's
tick()/move_to(), and World(clock=ManualClock(...)) moved by advance()/advance_to().
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import SECOND, START, Clocked

from bindsim import Refused, Ruleset, World

H48 = timedelta(hours=48)
H24 = timedelta(hours=24)
D180 = timedelta(days=180)


def _gb_shop_and_alice(world: World, kind: str = "open") -> None:
    world.add_shop("gb", region="GB", kind=kind)
    world.add_creator("alice", country="GB", age=24)


def _codes(excinfo: pytest.ExceptionInfo[Refused]) -> tuple[str, ...]:
    return excinfo.value.codes


# ------------------------------------------------------------------ R-INVITE-48H


def test_invitation_is_still_acceptable_one_second_before_48h(clocked: Clocked) -> None:
    """R-INVITE-48H, A-WINDOW-BOUNDS: sent at t, the invitation is acceptable at t+48h−1s."""
    world = clocked.world
    _gb_shop_and_alice(world)
    world.invite("gb", "alice", role="official")
    clocked.tick(H48 - SECOND)
    assert world.invitation("gb", "alice").state == "pending"
    world.accept("alice", "gb")
    assert world.invitation("gb", "alice").state == "accepted"
    assert world.binding("gb", "alice").bound_at == START + H48 - SECOND
    assert world.bound_shop("alice") == "gb"


def test_invitation_expires_exactly_48h_after_it_was_sent(clocked: Clocked) -> None:
    """R-INVITE-48H, A-WINDOW-BOUNDS: expired at t+48h, and logged at exactly that time."""
    world = clocked.world
    _gb_shop_and_alice(world)
    world.invite("gb", "alice", role="official")
    clocked.tick(H48)
    invitation = world.invitation("gb", "alice")
    assert invitation.state == "expired"
    assert invitation.ended_at == START + H48
    assert invitation.reasons == ("INVITATION_EXPIRED",)
    expiry = world.log[-1]
    assert (expiry.action, expiry.outcome, expiry.at) == ("expire", "timer", START + H48)
    with pytest.raises(Refused) as excinfo:
        world.accept("alice", "gb")
    assert _codes(excinfo) == ("INVITATION_EXPIRED",)
    assert world.bound_shop("alice") is None


def test_invitation_noticed_long_after_48h_is_logged_at_its_due_time(clocked: Clocked) -> None:
    """R-INVITE-48H: a tick to 48h+1s (or far beyond) still records the expiry at t+48h."""
    world = clocked.world
    _gb_shop_and_alice(world)
    world.invite("gb", "alice", role="official")
    clocked.tick(H48 + SECOND)
    assert world.invitation("gb", "alice").state == "expired"
    assert world.log[-1].at == START + H48
    clocked.move_to(START + timedelta(days=30))
    assert world.now == START + timedelta(days=30)
    with pytest.raises(Refused) as excinfo:
        world.accept("alice", "gb")
    assert _codes(excinfo) == ("INVITATION_EXPIRED",)
    assert world.log[-1].at == START + timedelta(days=30)


def test_expired_invitation_frees_its_slot_for_a_new_invitation(clocked: Clocked) -> None:
    """R-INVITE-48H with A-PENDING-SLOT: at t+48h−1s the slot is held, at t+48h it is free."""
    world = clocked.world
    _gb_shop_and_alice(world)
    world.add_creator("bob", country="GB", age=30)
    world.invite("gb", "alice", role="official")
    clocked.tick(H48 - SECOND)
    with pytest.raises(Refused) as excinfo:
        world.invite("gb", "bob", role="official")
    assert _codes(excinfo) == ("OFFICIAL_SLOT_TAKEN",)
    clocked.tick(SECOND)
    world.invite("gb", "bob", role="official")
    assert world.invitation("gb", "bob").expires_at == START + H48 + H48


def test_invite_ttl_override_moves_the_expiry_to_72h(clocked: Clocked) -> None:
    """R-INVITE-48H as a setting: with invite_ttl 72h, pending at 72h−1s and expired at 72h."""
    world = clocked.restart(Ruleset().with_overrides({"invite_ttl": "72h"}))
    _gb_shop_and_alice(world)
    world.invite("gb", "alice", role="official")
    clocked.tick(H48 + SECOND)
    assert world.invitation("gb", "alice").state == "pending"
    clocked.tick(timedelta(hours=24) - 2 * SECOND)
    assert world.invitation("gb", "alice").state == "pending"
    clocked.tick(SECOND)
    assert world.invitation("gb", "alice").state == "expired"
    assert world.log[-1].at == START + timedelta(hours=72)


# ------------------------------------------------------------------- R-LOCK-24H


def _bound_alice(clocked: Clocked) -> World:
    world = clocked.world
    _gb_shop_and_alice(world)
    world.invite("gb", "alice", role="official")
    clocked.tick("1h")
    world.accept("alice", "gb")
    return world


def test_unlink_request_is_refused_one_second_before_the_24h_lock_ends(clocked: Clocked) -> None:
    """R-LOCK-24H, A-WINDOW-BOUNDS: at bound_at+24h−1s the request is refused UNBIND_LOCKED."""
    world = _bound_alice(clocked)
    bound_at = START + timedelta(hours=1)
    assert world.binding("gb", "alice").unbind_allowed_at == bound_at + H24
    clocked.tick(H24 - SECOND)
    assert world.binding("gb", "alice").states == {"bound", "locked"}
    with pytest.raises(Refused) as excinfo:
        world.request_unlink("alice")
    assert _codes(excinfo) == ("UNBIND_LOCKED",)
    assert world.binding("gb", "alice").states == {"bound", "locked"}


def test_unlink_request_is_allowed_exactly_24h_after_binding(clocked: Clocked) -> None:
    """R-LOCK-24H, A-WINDOW-BOUNDS: unbinding is allowed from bound_at+24h on."""
    world = _bound_alice(clocked)
    bound_at = START + timedelta(hours=1)
    clocked.tick(H24)
    assert world.binding("gb", "alice").states == {"bound", "unlockable"}
    unlock = world.log[-1]
    assert (unlock.action, unlock.outcome, unlock.at) == ("unlock", "timer", bound_at + H24)
    world.request_unlink("alice")
    assert world.binding("gb", "alice").states == {"bound", "unlink_requested"}
    assert world.binding("gb", "alice").unlink_requested_at == bound_at + H24


def test_unlink_request_is_allowed_long_after_the_lock(clocked: Clocked) -> None:
    """R-LOCK-24H: one second after (and a year after) the lock, the request goes through."""
    world = _bound_alice(clocked)
    clocked.tick(H24 + SECOND)
    assert "unlockable" in world.binding("gb", "alice").states
    clocked.tick("365d")
    world.request_unlink("alice")
    world.approve_unlink("gb", "alice")
    assert world.binding("gb", "alice").state == "unbound"
    assert world.bound_shop("alice") is None


def test_unbind_lock_override_of_1h(clocked: Clocked) -> None:
    """R-LOCK-24H as a setting: unbind_lock 1h locks for exactly one hour."""
    world = clocked.restart(Ruleset().with_overrides({"unbind_lock": "1h"}))
    _gb_shop_and_alice(world)
    world.invite("gb", "alice", role="official")
    world.accept("alice", "gb")
    clocked.tick(timedelta(hours=1) - SECOND)
    with pytest.raises(Refused, match="UNBIND_LOCKED"):
        world.request_unlink("alice")
    clocked.tick(SECOND)
    world.request_unlink("alice")


# ------------------------------------------------------------ R-CHANNEL-10-180D


def _ten_channel_bindings(clocked: Clocked) -> World:
    """An invite-only shop that bound 10 channel creators: 4 at START, 4 at +24h, 2 at +48h."""
    world = clocked.world
    world.add_shop("inv", region="GB", kind="invited")
    for n in range(1, 12):
        world.add_creator(f"c{n}", country="GB", age=20 + n)
    batches = [["c1", "c2", "c3", "c4"], ["c5", "c6", "c7", "c8"], ["c9", "c10"]]
    for index, batch in enumerate(batches):
        for creator in batch:
            world.invite("inv", creator, role="channel")
            world.accept(creator, "inv")
        if index < len(batches) - 1:
            clocked.tick(H24)
            for creator in batch:  # R-RELEASE: free the slots, the window keeps counting
                world.request_unlink(creator)
                world.approve_unlink("inv", creator)
    assert world.channels("inv") == ["c9", "c10"]
    assert world.channel_binds_left("inv") == 0
    return world


def test_eleventh_channel_binding_in_180_days_is_refused(clocked: Clocked) -> None:
    """R-CHANNEL-10-180D: with 10 channel bindings in the window, an 11th invitation is refused."""
    world = _ten_channel_bindings(clocked)
    with pytest.raises(Refused) as excinfo:
        world.invite("inv", "c11", role="channel")
    assert _codes(excinfo) == ("CHANNEL_BIND_LIMIT",)


def test_channel_window_still_counts_the_oldest_binding_one_second_before_180d(
    clocked: Clocked,
) -> None:
    """R-CHANNEL-10-180D, A-WINDOW-BOUNDS: the window (t−180d, t] holds a binding at t−180d+1s."""
    world = _ten_channel_bindings(clocked)
    clocked.move_to(START + D180 - SECOND)
    assert world.channel_binds_left("inv") == 0
    with pytest.raises(Refused) as excinfo:
        world.invite("inv", "c11", role="channel")
    assert _codes(excinfo) == ("CHANNEL_BIND_LIMIT",)


def test_channel_window_slides_once_the_oldest_binding_is_exactly_180_days_old(
    clocked: Clocked,
) -> None:
    """R-CHANNEL-10-180D, A-WINDOW-BOUNDS: at oldest+180d the oldest 4 leave the window."""
    world = _ten_channel_bindings(clocked)
    clocked.move_to(START + D180)
    assert world.channel_binds_left("inv") == 4
    world.invite("inv", "c11", role="channel")
    world.accept("c11", "inv")
    assert world.channels("inv") == ["c9", "c10", "c11"]
    assert world.channel_binds_left("inv") == 3


def test_channel_window_keeps_sliding_with_each_older_batch(clocked: Clocked) -> None:
    """R-CHANNEL-10-180D: the second batch (bound at +24h) leaves the window at +24h+180d."""
    world = _ten_channel_bindings(clocked)
    clocked.move_to(START + H24 + D180 - SECOND)
    assert world.channel_binds_left("inv") == 4
    clocked.tick(SECOND)
    assert world.channel_binds_left("inv") == 8
    clocked.tick(SECOND)
    assert world.channel_binds_left("inv") == 8


def test_channel_limit_is_checked_again_when_the_creator_accepts(clocked: Clocked) -> None:
    """R-CHANNEL-10-180D, A-CHANNEL-COUNT: two invitations sent at 9 bindings; the second
    acceptance would be the 11th and is refused CHANNEL_BIND_LIMIT; it can succeed at +180d."""
    world = clocked.world
    world.add_shop("inv", region="GB", kind="invited")
    for n in range(1, 12):
        world.add_creator(f"c{n}", country="GB", age=30)
    for batch in (["c1", "c2", "c3", "c4"], ["c5", "c6", "c7", "c8"]):
        for creator in batch:
            world.invite("inv", creator, role="channel")
            world.accept(creator, "inv")
        clocked.tick(H24)
        for creator in batch:
            world.request_unlink(creator)
            world.approve_unlink("inv", creator)
    world.invite("inv", "c9", role="channel")
    world.accept("c9", "inv")
    assert world.channel_binds_left("inv") == 1
    world.invite("inv", "c10", role="channel")
    world.invite("inv", "c11", role="channel")
    world.accept("c10", "inv")
    with pytest.raises(Refused) as excinfo:
        world.accept("c11", "inv")
    assert _codes(excinfo) == ("CHANNEL_BIND_LIMIT",)
    assert world.invitation("inv", "c11").state == "pending"


# ---------------------------------------------------------------- A-TICKET-TIME


def _stuck_binding(world: World, region: str, registered: str) -> None:
    """R-STUCK(a): an account registered outside the shop's country hangs in 'binding'."""
    world.add_shop("shop", region=region)
    world.add_creator("alice", country=region, age=24, registration_country=registered)
    world.invite("shop", "alice", role="official")
    world.accept("alice", "shop")
    assert world.binding("shop", "alice").state == "stuck"


def test_ticket_is_still_open_one_second_before_its_resolution_time(clocked: Clocked) -> None:
    """A-TICKET-TIME: a ticket opened at t is still open at t+24h−1s; the binding still stuck."""
    world = clocked.world
    _stuck_binding(world, "GB", "FR")
    ticket = world.open_ticket("shop", "alice")
    assert ticket.due_at == START + H24
    clocked.tick(H24 - SECOND)
    assert world.ticket(ticket.id).state == "open"
    assert world.binding("shop", "alice").state == "stuck"


def test_ticket_is_resolved_exactly_24h_after_it_was_opened(clocked: Clocked) -> None:
    """A-TICKET-TIME, R-STUCK(a), R-TICKET: at t+24h support fixes the registration (GB shop)
    and the stuck binding completes at that time, locked for 24h from then (R-LOCK-24H)."""
    world = clocked.world
    _stuck_binding(world, "GB", "FR")
    ticket = world.open_ticket("shop", "alice")
    clocked.tick(H24 + SECOND)
    assert world.ticket(ticket.id).state == "resolved"
    assert world.ticket(ticket.id).ended_at == START + H24
    binding = world.binding("shop", "alice")
    assert binding.states == {"bound", "locked"}
    assert binding.bound_at == START + H24
    assert binding.unbind_allowed_at == START + H24 + H24
    assert world.creator("alice").registration_country == "GB"
    resolution = world.log[-1]
    assert (resolution.action, resolution.outcome, resolution.at) == (
        "resolve_ticket",
        "timer",
        START + H24,
    )


def test_ticket_resolution_time_override(clocked: Clocked) -> None:
    """A-TICKET-TIME as a setting: ticket_resolution_time 2h."""
    world = clocked.restart(Ruleset().with_overrides({"ticket_resolution_time": "2h"}))
    _stuck_binding(world, "GB", "FR")
    ticket = world.open_ticket("shop", "alice")
    clocked.tick(timedelta(hours=2) - SECOND)
    assert world.ticket(ticket.id).state == "open"
    clocked.tick(SECOND)
    assert world.ticket(ticket.id).state == "resolved"
    assert world.binding("shop", "alice").state == "bound"
