"""Every rule of docs/reference.md, one group of tests per rule ID (R-…) and assumption (A-…).

The timed boundaries (R-INVITE-48H, R-LOCK-24H, R-CHANNEL-10-180D, A-TICKET-TIME) are pinned to
the second in test_time_boundaries.py; here each rule's behaviour is shown whole.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bindsim import (
    InvalidAction,
    InvalidArgument,
    ManualClock,
    Refused,
    Ruleset,
    UnknownId,
    World,
)
from bindsim.errors import InvalidSetting
from bindsim.simulator.clock import DEFAULT_START as START


def _world(**overrides: object) -> World:
    return World(clock=ManualClock(START), ruleset=Ruleset().with_overrides(overrides))


def _bind(world: World, shop: str, creator: str, role: str = "official") -> None:
    world.invite(shop, creator, role=role)
    world.accept(creator, shop)


def _unbind(world: World, shop: str, creator: str) -> None:
    """R-LOCK-24H passes, then R-UNLINK-PATH and R-UNLINK-APPROVE."""
    world.advance("24h")
    world.request_unlink(creator)
    world.approve_unlink(shop, creator)


def _refused(action: object, *args: object, **kwargs: object) -> tuple[str, ...]:
    assert callable(action)
    with pytest.raises(Refused) as excinfo:
        action(*args, **kwargs)
    return excinfo.value.codes


@pytest.fixture
def gb() -> World:
    """An open-enrollment GB shop, an invite-only GB shop and a few GB creators."""
    world = _world()
    world.add_shop("gb", region="GB", kind="open")
    world.add_shop("gbi", region="GB", kind="invited")
    for name in ("alice", "bob", "carol", "dave", "erin", "frank", "grace"):
        world.add_creator(name, country="GB", age=25)
    return world


# ------------------------------------------------------------------ R-SLOT-OPEN


def test_r_slot_open_binds_exactly_one_official_account(gb: World) -> None:
    """R-SLOT-OPEN: one official account; a second official invitation is refused."""
    _bind(gb, "gb", "alice")
    assert gb.official("gb") == "alice"
    assert _refused(gb.invite, "gb", "bob", role="official") == ("OFFICIAL_SLOT_TAKEN",)


def test_r_slot_open_shop_cannot_bind_channel_creators(gb: World) -> None:
    """R-SLOT-OPEN: an open-enrollment shop has no channel slots, not even an empty one."""
    assert _refused(gb.invite, "gb", "bob", role="channel") == ("CHANNEL_NOT_ALLOWED",)
    assert gb.channel_binds_left("gb") == 0
    assert gb.channels("gb") == []


# --------------------------------------------------------------- R-SLOT-INVITED


def test_r_slot_invited_binds_one_official_and_four_channel_creators(gb: World) -> None:
    """R-SLOT-INVITED: 1 official + 4 channel; a 5th channel and a 2nd official are refused."""
    _bind(gb, "gbi", "alice", "official")
    for name in ("bob", "carol", "dave", "erin"):
        _bind(gb, "gbi", name, "channel")
    assert gb.official("gbi") == "alice"
    assert gb.channels("gbi") == ["bob", "carol", "dave", "erin"]
    assert _refused(gb.invite, "gbi", "frank", role="channel") == ("CHANNEL_SLOTS_FULL",)
    assert _refused(gb.invite, "gbi", "frank", role="official") == ("OFFICIAL_SLOT_TAKEN",)


def test_a_pending_slot_pending_invitations_hold_channel_slots(gb: World) -> None:
    """A-PENDING-SLOT: 4 pending channel invitations fill the slots; withdrawing one frees it."""
    for name in ("bob", "carol", "dave", "erin"):
        gb.invite("gbi", name, role="channel")
    assert _refused(gb.invite, "gbi", "frank", role="channel") == ("CHANNEL_SLOTS_FULL",)
    gb.withdraw("gbi", "carol")
    gb.invite("gbi", "frank", role="channel")
    assert gb.invitation("gbi", "frank").state == "pending"


def test_a_pending_slot_a_pending_official_invitation_holds_the_official_slot(gb: World) -> None:
    """A-PENDING-SLOT: pending + binding + bound official ≤ 1; declining frees the slot."""
    gb.invite("gb", "alice", role="official")
    assert _refused(gb.invite, "gb", "bob", role="official") == ("OFFICIAL_SLOT_TAKEN",)
    gb.decline("alice", "gb")
    gb.invite("gb", "bob", role="official")


def test_a_pending_slot_a_second_invitation_to_the_same_account_is_refused(gb: World) -> None:
    """A-PENDING-SLOT: at most one pending invitation per shop and account."""
    gb.invite("gbi", "bob", role="channel")
    assert _refused(gb.invite, "gbi", "bob", role="channel") == ("INVITATION_PENDING",)
    assert _refused(gb.invite, "gbi", "bob", role="official") == ("INVITATION_PENDING",)


def test_a_pending_slot_off_lets_invitations_overbook_but_acceptance_keeps_the_slot() -> None:
    """A-PENDING-SLOT off: two official invitations may be sent; only the first accepted binds."""
    world = _world(pending_holds_slot=False)
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=25)
    world.add_creator("bob", country="GB", age=25)
    world.invite("gb", "alice", role="official")
    world.invite("gb", "bob", role="official")
    world.accept("bob", "gb")
    assert _refused(world.accept, "alice", "gb") == ("OFFICIAL_SLOT_TAKEN",)
    assert world.invitation("gb", "alice").state == "pending"
    world.check_invariants()


# ------------------------------------------------------------------ R-EXCLUSIVE


def test_r_exclusive_an_account_is_bound_to_at_most_one_shop(gb: World) -> None:
    """R-EXCLUSIVE, A-INVITE-BOUND: inviting a bound account is refused at once, by any shop."""
    _bind(gb, "gb", "alice")
    assert _refused(gb.invite, "gbi", "alice", role="channel") == ("ALREADY_BOUND",)
    assert _refused(gb.invite, "gbi", "alice", role="official") == ("ALREADY_BOUND",)
    assert gb.bound_shop("alice") == "gb"


def test_r_exclusive_holds_while_the_binding_is_stuck() -> None:
    """R-EXCLUSIVE: a stuck binding ("binding in progress") holds the account too."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_shop("gb2", region="GB")
    world.add_creator("alice", country="GB", age=25, registration_country="FR")
    _bind(world, "gb", "alice")
    assert world.binding("gb", "alice").state == "stuck"
    assert world.bound_shop("alice") is None
    assert _refused(world.invite, "gb2", "alice") == ("ALREADY_BOUND",)


def test_a_invite_bound_off_defers_the_refusal_to_acceptance() -> None:
    """A-INVITE-BOUND off: the invitation is sent; R-FAIL(4) refuses the acceptance."""
    world = _world(invite_rejects_bound=False)
    world.add_shop("gb", region="GB")
    world.add_shop("gb2", region="GB")
    world.add_creator("alice", country="GB", age=25)
    _bind(world, "gb", "alice")
    world.invite("gb2", "alice", role="official")
    assert _refused(world.accept, "alice", "gb2") == ("ALREADY_BOUND",)


# ------------------------------------------------------------------ A-CHECK-AGAIN


def test_a_check_again_two_shops_invite_one_account_and_the_first_acceptance_wins(
    gb: World,
) -> None:
    """A-CHECK-AGAIN, R-EXCLUSIVE, R-FAIL(4): the second acceptance is refused ALREADY_BOUND
    and its invitation stays pending until it expires (R-INVITE-48H)."""
    gb.invite("gb", "alice", role="official")
    gb.invite("gbi", "alice", role="channel")
    gb.advance("1h")
    gb.accept("alice", "gbi")
    assert gb.bound_shop("alice") == "gbi"
    assert _refused(gb.accept, "alice", "gb") == ("ALREADY_BOUND",)
    assert gb.invitation("gb", "alice").state == "pending"
    refusal = gb.log[-1]
    assert (refusal.action, refusal.outcome, refusal.reasons) == (
        "accept",
        "refused",
        ("ALREADY_BOUND",),
    )
    gb.advance("47h")
    assert gb.invitation("gb", "alice").state == "expired"
    assert gb.official("gb") is None


def test_a_check_again_the_phone_moves_abroad_during_the_48h(gb: World) -> None:
    """A-CHECK-AGAIN, R-FAIL(1): accepting on a foreign network is refused; back home it works."""
    gb.invite("gb", "alice", role="official")
    gb.advance("10h")
    gb.set_creator("alice", network="FR")
    assert _refused(gb.accept, "alice", "gb") == ("NETWORK_REGION_MISMATCH",)
    assert gb.invitation("gb", "alice").state == "pending"
    gb.advance("30h")
    gb.set_creator("alice", network="GB")
    gb.accept("alice", "gb")
    assert gb.official("gb") == "alice"


def test_a_check_again_the_account_turns_abnormal_during_the_48h(gb: World) -> None:
    """A-CHECK-AGAIN, R-FAIL(3): an account that became abnormal cannot accept."""
    gb.invite("gb", "alice", role="official")
    gb.set_creator("alice", status="abnormal")
    assert _refused(gb.accept, "alice", "gb") == ("ACCOUNT_ABNORMAL",)
    assert gb.invitation("gb", "alice").state == "pending"


def test_a_check_again_the_shop_turns_abnormal_during_the_48h(gb: World) -> None:
    """A-CHECK-AGAIN, R-FAIL(3): an abnormal shop's invitation cannot be accepted."""
    gb.invite("gb", "alice", role="official")
    gb.set_shop("gb", status="abnormal")
    assert _refused(gb.accept, "alice", "gb") == ("SHOP_ABNORMAL",)
    gb.set_shop("gb", status="normal")
    gb.accept("alice", "gb")


def test_a_check_again_reports_every_failing_check_at_once(gb: World) -> None:
    """A-CHECK-AGAIN: abroad, abnormal, and a changed country: all three codes together."""
    gb.invite("gb", "alice", role="official")
    gb.set_creator("alice", network="US", status="abnormal", country="US")
    assert _refused(gb.accept, "alice", "gb") == (
        "ACCOUNT_ABNORMAL",
        "COUNTRY_MISMATCH",
        "NETWORK_REGION_MISMATCH",
    )


def test_a_check_again_off_skips_the_country_recheck_but_not_r_fail() -> None:
    """A-CHECK-AGAIN off: a changed account country is not re-checked; R-FAIL still is."""
    world = _world(check_again_on_accept=False)
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=25)
    world.add_creator("bob", country="GB", age=25)
    world.invite("gb", "alice", role="official")
    world.set_creator("alice", country="IE")
    world.accept("alice", "gb")
    assert world.official("gb") == "alice"
    world.add_shop("gb2", region="GB")
    world.invite("gb2", "bob", role="official")
    world.set_creator("bob", network="IE")
    assert _refused(world.accept, "bob", "gb2") == ("NETWORK_REGION_MISMATCH",)


# ------------------------------------------------------------------- R-ELIGIBLE


def test_r_eligible_an_eligible_account_can_be_invited(gb: World) -> None:
    """R-ELIGIBLE: normal status, 18 or older, same country: the invitation is sent."""
    gb.add_creator("adult", country="GB", age=18)
    entry = gb.invite("gb", "adult", role="official")
    assert (entry.action, entry.outcome) == ("invite", "ok")
    assert gb.invitation("gb", "adult").state == "pending"


def test_r_eligible_refuses_with_every_reason_that_applies(gb: World) -> None:
    """R-ELIGIBLE: abnormal, 17 years old and from another country: three codes, in order."""
    gb.add_creator("kid", country="FR", age=17, status="abnormal")
    codes = _refused(gb.invite, "gb", "kid", role="official")
    assert codes == ("ACCOUNT_ABNORMAL", "UNDER_18", "COUNTRY_MISMATCH")


def test_r_eligible_min_age_is_a_setting() -> None:
    """R-ELIGIBLE: min_age 21 refuses a 20-year-old; the reason code stays UNDER_18."""
    world = _world(min_age=21)
    world.add_shop("gb", region="GB")
    world.add_creator("young", country="GB", age=20)
    assert _refused(world.invite, "gb", "young") == ("UNDER_18",)


# --------------------------------------------------------------------- R-FAIL


def test_r_fail_2_the_user_turned_out_under_18_at_acceptance(gb: World) -> None:
    """R-FAIL(2): an age corrected below 18 during the 48h refuses the acceptance."""
    gb.invite("gb", "alice")
    gb.set_creator("alice", age=17)
    assert _refused(gb.accept, "alice", "gb") == ("UNDER_18",)


# ------------------------------------------------------------------- R-TICKET


def test_r_ticket_support_fixes_a_country_mismatch_for_a_gb_shop(gb: World) -> None:
    """R-TICKET, A-TICKET-COUNTRY: for a GB shop support changes the account's country and
    registration; after A-TICKET-TIME the invitation can be sent and the binding completes."""
    gb.add_creator("pierre", country="FR", age=30, network="GB")
    assert _refused(gb.invite, "gb", "pierre") == ("COUNTRY_MISMATCH",)
    ticket = gb.open_ticket("gb", "pierre")
    assert ticket.causes == ("COUNTRY_MISMATCH", "REGISTRATION_REGION_MISMATCH")
    assert ticket.unfixable == ()
    gb.advance("24h")
    assert gb.ticket(ticket.id).state == "resolved"
    assert gb.creator("pierre").country == "GB"
    assert gb.creator("pierre").registration_country == "GB"
    _bind(gb, "gb", "pierre")
    assert gb.binding("gb", "pierre").state == "bound"


def test_r_ticket_support_corrects_an_age_below_18(gb: World) -> None:
    """R-TICKET: UNDER_18 is not among the causes support cannot fix."""
    gb.add_creator("kid", country="GB", age=17)
    ticket = gb.open_ticket("gb", "kid")
    gb.advance("24h")
    assert gb.ticket(ticket.id).state == "resolved"
    gb.invite("gb", "kid")


def test_r_ticket_support_cannot_fix_an_abnormal_account(gb: World) -> None:
    """R-TICKET: an abnormal account status cannot be fixed; the ticket is closed."""
    gb.add_creator("bad", country="GB", age=30, status="abnormal")
    ticket = gb.open_ticket("gb", "bad")
    assert ticket.unfixable == ("ACCOUNT_ABNORMAL",)
    gb.advance("24h")
    assert gb.ticket(ticket.id).state == "closed"
    assert gb.creator("bad").status == "abnormal"
    assert _refused(gb.invite, "gb", "bad") == ("ACCOUNT_ABNORMAL",)


def test_the_latest_ticket_is_read_from_the_records_whatever_the_log_keeps() -> None:
    """R-TICKET; issue 20: `expect: {ticket: ...}` read the log, so with log_limit it said "no
    tickets yet" while the ticket existed. Queries read the state, never the log."""
    world = World(clock=ManualClock(START), log_limit=1)
    world.add_shop("gb", region="GB")
    world.add_creator("pierre", country="FR", age=30)
    with pytest.raises(UnknownId, match="no ticket yet"):
        world.latest_ticket("gb", "pierre")
    first = world.open_ticket("gb", "pierre")
    world.advance("24h")
    world.set_creator("pierre", country="DE")
    second = world.open_ticket("gb", "pierre")
    world.add_creator("other", country="GB", age=30)  # the log now holds this entry only
    assert len(world.log) == 1
    latest = world.latest_ticket("gb", "pierre")
    assert latest.id == second.id != first.id
    assert latest.state == "open" and world.ticket(first.id).state == "resolved"
    with pytest.raises(UnknownId):
        world.latest_ticket("gb", "nobody")


def test_a_ticket_country_support_cannot_change_the_country_for_a_us_shop() -> None:
    """A-TICKET-COUNTRY: for a US shop an account of another country stays as it is."""
    world = _world()
    world.add_shop("us", region="US")
    world.add_creator("brit", country="GB", age=30)
    ticket = world.open_ticket("us", "brit")
    assert ticket.unfixable == ("COUNTRY_MISMATCH", "REGISTRATION_REGION_MISMATCH")
    world.advance("24h")
    assert world.ticket(ticket.id).state == "closed"
    assert world.creator("brit").country == "GB"


def test_a_ticket_country_regions_are_a_setting() -> None:
    """A-TICKET-COUNTRY as a setting: with no locked regions, a US ticket changes the country."""
    world = _world(ticket_locked_regions=[])
    world.add_shop("us", region="US")
    world.add_creator("brit", country="GB", age=30)
    ticket = world.open_ticket("us", "brit")
    world.advance("24h")
    assert world.ticket(ticket.id).state == "resolved"
    assert world.creator("brit").country == "US"


def test_r_ticket_for_an_eligible_account_finds_nothing_to_fix(gb: World) -> None:
    """R-TICKET: a ticket with no cause is resolved without changing any fact."""
    facts = gb.creator("alice").facts()
    ticket = gb.open_ticket("gb", "alice")
    assert ticket.causes == ()
    gb.advance("1d")
    assert gb.ticket(ticket.id).state == "resolved"
    assert gb.creator("alice").facts() == facts


# -------------------------------------------------------------------- R-STUCK


def test_r_stuck_a_registered_abroad_binding_hangs_then_a_ticket_releases_it() -> None:
    """R-STUCK(a), R-TICKET: registration outside the shop's country (GB shop): stuck with
    REGISTRATION_REGION_MISMATCH; a ticket changes the registration and the binding completes."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=25, registration_country="DE")
    _bind(world, "gb", "alice")
    binding = world.binding("gb", "alice")
    assert binding.state == "stuck"
    assert binding.reasons == ("REGISTRATION_REGION_MISMATCH",)
    assert world.official("gb") is None
    # R-UNLINK-PATH: "Your Shop" is not on the phone of an account that is not bound yet.
    assert _refused(world.request_unlink, "alice") == ("NOT_VISIBLE",)
    world.advance("23h")
    world.open_ticket("gb", "alice")
    world.advance("24h")
    assert world.binding("gb", "alice").states == {"bound", "locked"}
    assert world.official("gb") == "alice"


def test_r_stuck_a_us_shop_ticket_closed_as_unfixable_fails_the_binding() -> None:
    """R-STUCK(a), A-TICKET-COUNTRY, R-TICKET: US shop, account registered in CA: the ticket is
    closed, the binding fails, and the slot and the account are free again (R-RELEASE)."""
    world = _world()
    world.add_shop("us", region="US")
    world.add_creator("alice", country="US", age=25, registration_country="CA")
    world.add_creator("bob", country="US", age=25)
    _bind(world, "us", "alice")
    assert world.binding("us", "alice").state == "stuck"
    assert _refused(world.invite, "us", "bob") == ("OFFICIAL_SLOT_TAKEN",)
    ticket = world.open_ticket("us", "alice")
    world.advance("24h")
    assert world.ticket(ticket.id).state == "closed"
    binding = world.binding("us", "alice")
    assert binding.state == "failed"
    assert binding.reasons == ("REGISTRATION_REGION_MISMATCH",)
    assert binding.ended_at == world.now
    assert world.creator("alice").registration_country == "CA"
    _bind(world, "us", "bob")
    assert world.official("us") == "bob"


def test_r_stuck_b_revoked_ecommerce_permission_hangs_and_the_ticket_fails_it() -> None:
    """R-STUCK(b), R-TICKET: revoked e-commerce permission: stuck; support cannot restore it."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=25, ecommerce_permission=False)
    _bind(world, "gb", "alice")
    assert world.binding("gb", "alice").reasons == ("ECOMMERCE_PERMISSION_REVOKED",)
    world.open_ticket("gb", "alice")
    world.advance("24h")
    assert world.binding("gb", "alice").state == "failed"
    assert world.bound_shop("alice") is None
    world.add_shop("gb2", region="GB")
    world.invite("gb2", "alice")  # the failed binding no longer holds the account


def test_r_stuck_completes_as_soon_as_its_causes_are_gone() -> None:
    """R-STUCK: when the platform restores the permission, the binding completes at that time."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=25, ecommerce_permission=False)
    _bind(world, "gb", "alice")
    world.advance("5d")
    world.set_creator("alice", ecommerce_permission=True)
    binding = world.binding("gb", "alice")
    assert binding.states == {"bound", "locked"}
    assert binding.bound_at == world.now
    assert binding.reasons == ()


def test_r_stuck_with_two_causes_stays_stuck_until_both_are_gone() -> None:
    """R-STUCK (a)+(b): fixing one cause leaves the binding stuck with the other."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_creator(
        "alice", country="GB", age=25, registration_country="FR", ecommerce_permission=False
    )
    _bind(world, "gb", "alice")
    assert world.binding("gb", "alice").reasons == (
        "REGISTRATION_REGION_MISMATCH",
        "ECOMMERCE_PERMISSION_REVOKED",
    )
    world.set_creator("alice", registration_country="GB")
    assert world.binding("gb", "alice").state == "stuck"
    assert world.binding("gb", "alice").reasons == ("ECOMMERCE_PERMISSION_REVOKED",)


# ------------------------------------------------ R-UNLINK-APPROVE, R-RELEASE, R-REBIND


def test_r_unlink_approve_the_merchant_agrees_and_the_account_is_unbound(gb: World) -> None:
    """R-UNLINK-APPROVE: request → View details → Agree: unbound."""
    _bind(gb, "gb", "alice")
    gb.advance("24h")
    gb.request_unlink("alice")
    assert gb.binding("gb", "alice").states == {"bound", "unlink_requested"}
    assert gb.official("gb") == "alice"  # still bound until the merchant agrees
    gb.approve_unlink("gb", "alice")
    binding = gb.binding("gb", "alice")
    assert binding.state == "unbound"
    assert binding.ended_at == gb.now
    assert gb.official("gb") is None


def test_a_decline_the_merchant_declines_an_unlink_request(gb: World) -> None:
    """A-DECLINE: a declined unlink request leaves the binding bound; it can be sent again."""
    _bind(gb, "gb", "alice")
    gb.advance("24h")
    gb.request_unlink("alice")
    gb.decline_unlink("gb", "alice")
    assert gb.binding("gb", "alice").states == {"bound", "unlockable"}
    assert gb.binding("gb", "alice").unlink_requested_at is None
    gb.request_unlink("alice")
    gb.approve_unlink("gb", "alice")
    assert gb.official_unbinds_left("gb") == 2


def test_r_unlink_approve_needs_a_request_first(gb: World) -> None:
    """R-UNLINK-APPROVE: there is nothing to agree to before the creator's request, and the
    request is sent once."""
    _bind(gb, "gb", "alice")
    gb.advance("24h")
    with pytest.raises(InvalidAction, match="no unlink request"):
        gb.approve_unlink("gb", "alice")
    gb.request_unlink("alice")
    # R-UNLINK-PATH: once sent, "Send unlink request" is no longer offered on Link info.
    assert _refused(gb.request_unlink, "alice") == ("NOT_VISIBLE",)
    assert gb.binding("gb", "alice").unlink_requested_at == gb.now


def test_r_release_after_unbinding_another_shop_can_bind_the_account(gb: World) -> None:
    """R-RELEASE: the account is free for other shops once unbound."""
    _bind(gb, "gb", "alice")
    _unbind(gb, "gb", "alice")
    assert gb.bound_shop("alice") is None
    _bind(gb, "gbi", "alice", "channel")
    assert gb.bound_shop("alice") == "gbi"


def test_r_rebind_the_shop_binds_a_new_official_account(gb: World) -> None:
    """R-REBIND: after the unbinding the shop binds a new official account."""
    _bind(gb, "gb", "alice")
    _unbind(gb, "gb", "alice")
    _bind(gb, "gb", "bob")
    assert gb.official("gb") == "bob"
    assert gb.binding("gb", "alice").state == "unbound"


def test_r_rebind_the_same_account_can_be_bound_again(gb: World) -> None:
    """R-REBIND: the unbound account itself may come back; a new binding, locked again."""
    _bind(gb, "gb", "alice")
    first = gb.binding("gb", "alice")
    _unbind(gb, "gb", "alice")
    _bind(gb, "gb", "alice")
    second = gb.binding("gb", "alice")
    assert second.id != first.id
    assert second.states == {"bound", "locked"}


# ------------------------------------------------------------ R-OFFICIAL-UNBIND-3


def test_r_official_unbind_3_the_fourth_unlink_request_is_refused(gb: World) -> None:
    """R-OFFICIAL-UNBIND-3, A-UNBIND-COUNT: three completed unbinds; the 4th request is refused
    OFFICIAL_UNBIND_LIMIT (binding a 4th official account is still allowed)."""
    for creator in ("alice", "bob", "carol"):
        _bind(gb, "gb", creator)
        _unbind(gb, "gb", creator)
    assert gb.official_unbinds_left("gb") == 0
    _bind(gb, "gb", "dave")
    gb.advance("24h")
    assert _refused(gb.request_unlink, "dave") == ("OFFICIAL_UNBIND_LIMIT",)
    gb.advance("3650d")
    assert _refused(gb.request_unlink, "dave") == ("OFFICIAL_UNBIND_LIMIT",)
    assert gb.official("gb") == "dave"


def test_r_official_unbind_3_only_completed_unbinds_count(gb: World) -> None:
    """A-UNBIND-COUNT: declined requests do not use up an unbind."""
    _bind(gb, "gb", "alice")
    gb.advance("24h")
    for _ in range(5):
        gb.request_unlink("alice")
        gb.decline_unlink("gb", "alice")
    assert gb.official_unbinds_left("gb") == 3


def test_a_channel_unlink_channel_unbinds_do_not_count_towards_the_three(gb: World) -> None:
    """A-CHANNEL-UNLINK: channel creators leave the same way; R-OFFICIAL-UNBIND-3 ignores them."""
    for _ in range(2):
        for creator in ("bob", "carol", "dave"):
            _bind(gb, "gbi", creator, "channel")
        gb.advance("24h")
        for creator in ("bob", "carol", "dave"):
            gb.request_unlink(creator)
            gb.approve_unlink("gbi", creator)
    assert gb.official_unbinds_left("gbi") == 3
    assert gb.channel_binds_left("gbi") == 4


def test_a_channel_unlink_off_channel_creators_cannot_unlink() -> None:
    """A-CHANNEL-UNLINK off: the creator-side unlink is for the official account only."""
    world = _world(channel_unlink=False)
    world.add_shop("gbi", region="GB", kind="invited")
    world.add_creator("bob", country="GB", age=25)
    _bind(world, "gbi", "bob", "channel")
    world.advance("24h")
    with pytest.raises(InvalidAction, match="A-CHANNEL-UNLINK"):
        world.request_unlink("bob")


def test_r_official_unbind_3_limit_is_a_setting() -> None:
    """R-OFFICIAL-UNBIND-3 as a setting: official_unbind_limit 1."""
    world = _world(official_unbind_limit=1)
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=25)
    world.add_creator("bob", country="GB", age=25)
    _bind(world, "gb", "alice")
    _unbind(world, "gb", "alice")
    _bind(world, "gb", "bob")
    world.advance("24h")
    assert _refused(world.request_unlink, "bob") == ("OFFICIAL_UNBIND_LIMIT",)


def test_r_channel_10_180d_limit_and_window_are_settings() -> None:
    """R-CHANNEL-10-180D as settings: 2 channel bindings per 7 days."""
    world = _world(channel_bind_limit=2, channel_bind_window="7d")
    world.add_shop("gbi", region="GB", kind="invited")
    for name in ("a", "b", "c"):
        world.add_creator(name, country="GB", age=25)
    _bind(world, "gbi", "a", "channel")
    _bind(world, "gbi", "b", "channel")
    assert _refused(world.invite, "gbi", "c", role="channel") == ("CHANNEL_BIND_LIMIT",)
    world.advance(timedelta(days=7))
    _bind(world, "gbi", "c", "channel")


# ------------------------------------------------------------------- A-DECLINE


def test_a_decline_the_creator_declines_and_the_merchant_withdraws(gb: World) -> None:
    """A-DECLINE: a declined or withdrawn invitation ends; it cannot be accepted afterwards."""
    gb.invite("gb", "alice")
    gb.decline("alice", "gb")
    assert gb.invitation("gb", "alice").state == "declined"
    with pytest.raises(InvalidAction, match="declined"):
        gb.accept("alice", "gb")
    gb.invite("gb", "bob")
    gb.withdraw("gb", "bob")
    assert gb.invitation("gb", "bob").state == "withdrawn"
    with pytest.raises(InvalidAction, match="withdrawn"):
        gb.accept("bob", "gb")
    with pytest.raises(InvalidAction, match="only a pending invitation"):
        gb.withdraw("gb", "bob")


def test_a_decline_off_forbids_declining_and_withdrawing() -> None:
    """A-DECLINE off: only the happy paths of the seed."""
    world = _world(allow_decline=False)
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=25)
    world.invite("gb", "alice")
    with pytest.raises(InvalidAction, match="A-DECLINE"):
        world.decline("alice", "gb")
    with pytest.raises(InvalidAction, match="A-DECLINE"):
        world.withdraw("gb", "alice")
    world.accept("alice", "gb")
    world.advance("24h")
    world.request_unlink("alice")
    with pytest.raises(InvalidAction, match="A-DECLINE"):
        world.decline_unlink("gb", "alice")


# ------------------------------------------- R-CAP-OFFICIAL, R-CAP-CHANNEL, R-NO-1000


def test_r_cap_official_products_sync_into_the_showcase(gb: World) -> None:
    """R-CAP-OFFICIAL, R-NO-1000: auto-sync plus Add from shop, no follower minimum."""
    _bind(gb, "gbi", "alice", "official")
    caps = gb.capabilities("alice")
    assert caps.role == "official"
    assert caps.auto_sync_showcase and caps.add_from_shop
    assert caps.sell_in_live_and_video and not caps.follower_minimum_applies


def test_r_cap_channel_products_only_by_hand(gb: World) -> None:
    """R-CAP-CHANNEL, R-NO-1000: Add from shop only, no auto-sync; no follower minimum."""
    _bind(gb, "gbi", "bob", "channel")
    caps = gb.capabilities("bob")
    assert caps.role == "channel"
    assert not caps.auto_sync_showcase and caps.add_from_shop
    assert caps.sell_in_live_and_video and not caps.follower_minimum_applies


def test_r_no_1000_an_unbound_creator_needs_1000_followers(gb: World) -> None:
    """R-NO-1000, A-AFFILIATE: unbound (affiliate): 999 followers cannot sell, 1000 can."""
    gb.set_creator("alice", followers=999)
    caps = gb.capabilities("alice")
    assert caps.role == "affiliate"
    assert not caps.add_from_shop and not caps.auto_sync_showcase
    assert caps.follower_minimum_applies and not caps.sell_in_live_and_video
    gb.set_creator("alice", followers=1000)
    assert gb.capabilities("alice").sell_in_live_and_video


def test_r_no_1000_ends_with_the_binding(gb: World) -> None:
    """R-NO-1000, R-RELEASE: once unbound, the follower minimum applies again."""
    _bind(gb, "gb", "alice")
    assert gb.capabilities("alice").sell_in_live_and_video
    _unbind(gb, "gb", "alice")
    assert gb.capabilities("alice").role == "affiliate"
    assert not gb.capabilities("alice").sell_in_live_and_video


def test_r_no_1000_does_not_apply_while_stuck() -> None:
    """R-NO-1000: a stuck binding is not a binding yet: affiliate capabilities only."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=25, registration_country="FR")
    _bind(world, "gb", "alice")
    assert world.capabilities("alice").role == "affiliate"


def test_a_affiliate_follower_minimum_is_a_setting() -> None:
    """A-AFFILIATE as a setting: follower_minimum 10."""
    world = _world(follower_minimum=10)
    world.add_creator("alice", country="GB", age=25, followers=10)
    assert world.capabilities("alice").sell_in_live_and_video


def test_a_channel_count_a_stuck_channel_binding_that_fails_gives_its_count_back() -> None:
    """A-CHANNEL-COUNT: counted from acceptance (so R-CHANNEL-10-180D holds while it hangs), but a
    binding that fails was never established and no longer counts."""
    world = _world(channel_bind_limit=1)
    world.add_shop("us", region="US", kind="invited")
    world.add_creator("abroad", country="US", age=30, registration_country="GB")
    world.add_creator("local", country="US", age=30)
    _bind(world, "us", "abroad", role="channel")
    assert world.binding("us", "abroad").state == "stuck"
    assert world.channel_binds_left("us") == 0
    assert _refused(world.invite, "us", "local", role="channel") == ("CHANNEL_BIND_LIMIT",)
    world.open_ticket("us", "abroad")  # A-TICKET-COUNTRY: support may not move a US registration
    world.advance("24h")
    assert world.binding("us", "abroad").state == "failed"
    assert world.channel_binds_left("us") == 1
    _bind(world, "us", "local", role="channel")
    assert world.binding("us", "local").state == "bound"


def test_reads_change_nothing_in_the_saved_world() -> None:
    """Looking at a screen or at the 180-day window is a read: the snapshot stays the same."""
    world = _world()
    world.add_shop("gb", region="GB", kind="invited")
    world.add_creator("alice", country="GB", age=24)
    _bind(world, "gb", "alice", role="channel")
    world.advance("181d")
    before = world.to_dict()
    assert world.channel_binds_left("gb") == 10
    world.screen("alice"), world.screen("gb")
    world.binding("gb", "alice"), world.capabilities("alice"), world.pending_timers()
    assert world.to_dict() == before


# ---------------------------------------------------------------- found in review


def test_a_ticket_country_regions_must_be_a_list_of_country_codes() -> None:
    """A-TICKET-COUNTRY: a bare "US" would be the letters U and S and silently switch it off."""
    for bad in ("US", ["us"], [1]):
        with pytest.raises(InvalidSetting, match="ticket_locked_regions"):
            Ruleset().with_overrides({"ticket_locked_regions": bad})


def test_a_decline_off_refuses_the_merchants_decline_click_too() -> None:
    """A-DECLINE off: the merchant's Decline click is refused like decline_unlink is."""
    world = _world(allow_decline=False)
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    _bind(world, "gb", "alice")
    world.advance("24h")
    world.request_unlink("alice")
    world.click("gb", "Home")
    world.click("gb", "View details")
    with pytest.raises(InvalidAction, match="A-DECLINE"):
        world.click("gb", "Decline")
    assert "unlink_requested" in world.binding("gb", "alice").states


def test_r_unlink_approve_agree_answers_the_request_whose_details_are_open() -> None:
    """Agree with account=… for another request than the one viewed is refused, not misapplied."""
    world = _world()
    world.add_shop("gb", region="GB", kind="invited")
    for name in ("alice", "bob"):
        world.add_creator(name, country="GB", age=24)
    _bind(world, "gb", "alice")
    _bind(world, "gb", "bob", role="channel")
    world.advance("24h")
    world.request_unlink("alice")
    world.request_unlink("bob")
    world.click("gb", "Home")
    world.click("gb", "View details", account="bob")
    with pytest.raises(InvalidAction, match="bob's unlink request, not alice's"):
        world.click("gb", "Agree", account="alice")
    assert world.official("gb") == "alice" and world.channels("gb") == ["bob"]


def test_r_official_unbind_3_is_checked_again_when_the_merchant_agrees() -> None:
    """R-OFFICIAL-UNBIND-3 with two official slots: two requests may wait at once, only the
    approval that stays within the limit goes through; the other changes nothing."""
    world = _world(official_slots=2, official_unbind_limit=1)
    world.add_shop("gb", region="GB")
    for name in ("alice", "bob"):
        world.add_creator(name, country="GB", age=24)
        _bind(world, "gb", name)
    world.advance("24h")
    world.request_unlink("alice")
    world.request_unlink("bob")
    world.approve_unlink("gb", "alice")
    before = world.to_dict()["bindings"]
    assert _refused(world.approve_unlink, "gb", "bob") == ("OFFICIAL_UNBIND_LIMIT",)
    assert world.to_dict()["bindings"] == before
    assert world.official_unbinds_left("gb") == 0


def test_r_ticket_support_does_not_change_an_account_bound_to_another_shop() -> None:
    """R-TICKET, R-EXCLUSIVE: a ticket from another shop finds ALREADY_BOUND and fixes nothing."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_shop("de", region="DE")
    world.add_creator("alice", country="GB", age=24)
    _bind(world, "gb", "alice")
    ticket = world.open_ticket("de", "alice")
    world.advance("24h")
    ticket = world.ticket(ticket.id)  # records are values: ask again after time moved
    assert ticket.state == "closed"
    assert "ALREADY_BOUND" in [r.value for r in ticket.unfixable]
    assert (world.creator("alice").country, world.creator("alice").registration_country) == (
        "GB",
        "GB",
    )


def test_r_stuck_a_hung_binding_does_not_complete_while_r_fail_causes_hold() -> None:
    """R-STUCK with R-FAIL(3): fixing the registration does not complete a binding whose account
    turned abnormal meanwhile; a ticket then closes unfixed and the binding fails."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24, registration_country="FR")
    _bind(world, "gb", "alice")
    world.set_creator("alice", status="abnormal")
    world.set_creator("alice", registration_country="GB")
    binding = world.binding("gb", "alice")
    assert binding.state == "stuck"
    assert [r.value for r in binding.reasons] == ["ACCOUNT_ABNORMAL"]
    world.open_ticket("gb", "alice")
    world.advance("24h")
    assert world.binding("gb", "alice").state == "failed"


def test_r_stuck_a_hung_binding_completes_when_its_shop_is_normal_again() -> None:
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24, registration_country="FR")
    _bind(world, "gb", "alice")
    world.set_shop("gb", status="abnormal")
    world.set_creator("alice", registration_country="GB")
    assert [r.value for r in world.binding("gb", "alice").reasons] == ["SHOP_ABNORMAL"]
    world.set_shop("gb", status="normal")
    assert world.binding("gb", "alice").states == {"bound", "locked"}


def test_r_ticket_support_answers_on_the_facts_of_the_day_it_answers() -> None:
    """A-TICKET-TIME: a permission revoked after the opening is found when support answers."""
    world = _world()
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24, registration_country="FR")
    _bind(world, "gb", "alice")
    ticket = world.open_ticket("gb", "alice")
    world.set_creator("alice", ecommerce_permission=False)
    world.advance("24h")
    ticket = world.ticket(ticket.id)
    assert ticket.state == "closed"
    assert [r.value for r in ticket.unfixable] == ["ECOMMERCE_PERMISSION_REVOKED"]
    assert world.binding("gb", "alice").state == "failed"


def test_a_channel_unlink_off_refuses_the_shortcut_before_any_screen_moves() -> None:
    world = _world(channel_unlink=False)
    world.add_shop("gb", region="GB", kind="invited")
    world.add_creator("carol", country="GB", age=24)
    _bind(world, "gb", "carol", role="channel")
    world.advance("24h")
    before = world.to_dict()
    with pytest.raises(InvalidAction, match="A-CHANNEL-UNLINK"):
        world.request_unlink("carol")
    assert world.to_dict() == before


def test_a_world_is_given_a_ruleset_and_a_clock_not_something_else() -> None:
    with pytest.raises(InvalidArgument, match="with_overrides"):
        World(ruleset={"invite_ttl": "72h"})  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="now()"):
        World(clock="2024-11-11T12:00:00Z")  # type: ignore[arg-type]


def test_odd_ids_and_huge_ruleset_durations_get_bindsim_errors() -> None:
    """Bad input: never a TypeError or OverflowError from deep inside."""
    world = _world()
    with pytest.raises(UnknownId):
        world.screen(["alice"])  # type: ignore[arg-type]
    with pytest.raises(UnknownId):
        world.ticket({"id": 1})  # type: ignore[arg-type]
    with pytest.raises(InvalidSetting, match="too long"):
        Ruleset().with_overrides({"invite_ttl": 8e13})
