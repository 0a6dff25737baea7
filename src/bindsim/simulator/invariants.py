"""The invariants of the rules, checked on a State: after every step (on what it touched), on a
loaded snapshot, and in every state `bindsim explore` reaches."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bindsim.errors import InvariantBroken
from bindsim.machines import Ruleset
from bindsim.simulator import checks
from bindsim.simulator.state import AWAITING, State

# What check and check_all hold, in words (bindsim explore prints it): keep beside the checks.
DESCRIBED = (
    "R-EXCLUSIVE: an account has at most one live binding, listed by its shop",
    "R-SLOT-OPEN, R-SLOT-INVITED: official and channel slots (A-PENDING-SLOT included)",
    "R-OFFICIAL-UNBIND-3: at most 3 official unbinds",
    "R-CHANNEL-10-180D: at most 10 channel bindings in the window (A-CHANNEL-COUNT)",
    "R-LOCK-24H: a binding is locked exactly until 24h after it was bound",
    "no timer due in the past; every count and index equal to a recount of the records",
)


def check(
    state: State,
    rules: Ruleset,
    now: datetime,
    shops: Iterable[str],
    creators: Iterable[str],
) -> None:
    """R-EXCLUSIVE, slots and limits for the given shops and creators; InvariantBroken if not."""
    for creator_id in creators:
        creator = state.creators[creator_id]
        binding = state.live_binding(creator)
        if binding is None:
            continue
        if binding.creator != creator_id or not binding.is_live:
            raise InvariantBroken(f"R-EXCLUSIVE: {creator_id}'s live binding {binding.id} is not")
        if creator_id not in state.shops[binding.shop].live:
            raise InvariantBroken(f"R-EXCLUSIVE: {binding.shop} does not list {creator_id}")
    shops, creators = list(shops), list(creators)
    for shop_id in shops:  # a live binding the step touched is its account's and its shop's
        for creator_id in creators:
            binding_id = state.latest_binding.get((shop_id, creator_id))
            live = binding_id is not None and state.bindings[binding_id].is_live
            held_by = state.creators[creator_id].binding
            if live and held_by != binding_id:
                raise InvariantBroken(
                    f"R-EXCLUSIVE: {creator_id} has two live bindings ({held_by}, {binding_id})"
                    if held_by is not None
                    else f"R-EXCLUSIVE: {creator_id} does not hold its live binding {binding_id}"
                )
    for shop_id in shops:
        shop = state.shops[shop_id]
        if checks.holders(state, shop, "official", rules, None) > rules.official_slots:
            raise InvariantBroken(
                f"R-SLOT: {shop_id} holds more than {rules.official_slots} official account(s)"
            )
        if checks.holders(state, shop, "channel", rules, None) > rules.channel_slots(shop.kind):
            raise InvariantBroken(f"R-SLOT: {shop_id} holds too many channel creators")
        if shop.official_unbinds > rules.official_unbind_limit:
            raise InvariantBroken(f"R-OFFICIAL-UNBIND-3: {shop_id} was unbound too often")
        taken = checks.channel_binds_in_window(shop, now, rules)
        if taken + checks.channel_reserved(state, shop, rules) > rules.channel_bind_limit:
            raise InvariantBroken(f"R-CHANNEL-10-180D: {shop_id} bound too many channel creators")
        if len(set(shop.live)) != len(shop.live) or len(set(shop.pending)) != len(shop.pending):
            raise InvariantBroken(f"{shop_id} lists an account twice")
        for creator_id in shop.live:
            binding = state.bindings[state.latest_binding[shop_id, creator_id]]
            if state.creators[creator_id].binding != binding.id or not binding.is_live:
                raise InvariantBroken(f"R-EXCLUSIVE: {shop_id}×{creator_id} is not live")
        for creator_id in shop.pending:
            invitation = state.pending_invitation(shop_id, creator_id)
            if invitation.state not in AWAITING:
                raise InvariantBroken(f"{shop_id}→{creator_id} is listed pending but is not")


def check_all(state: State, rules: Ruleset, now: datetime) -> None:
    """Every invariant of the whole State, and every index equal to a recount of the records."""
    check(state, rules, now, state.shops, state.creators)
    live = {}
    for binding in state.bindings.values():
        if binding.is_live:
            if binding.creator in live:
                raise InvariantBroken(f"R-EXCLUSIVE: {binding.creator} has two live bindings")
            live[binding.creator] = binding
    for creator in state.creators.values():
        expected = live[creator.id].id if creator.id in live else None
        if creator.binding != expected:
            raise InvariantBroken(
                f"{creator.id}'s live binding is {creator.binding}, not {expected}"
            )
    for shop in state.shops.values():
        pending = {
            i.creator
            for i in state.invitations.values()
            if i.shop == shop.id and i.state in AWAITING
        }
        if set(shop.pending) != pending:
            raise InvariantBroken(f"{shop.id}'s pending invitations do not match its records")
        if set(shop.live) != {b.creator for b in live.values() if b.shop == shop.id}:
            raise InvariantBroken(f"{shop.id}'s live bindings do not match its records")
    for binding in live.values():
        if binding.state != "bound":
            continue
        if (
            binding.bound_at is None
            or binding.unbind_allowed_at != binding.bound_at + rules.unbind_lock
        ):
            raise InvariantBroken(f"R-LOCK-24H: {binding.id} unlocks at the wrong time")
        if ("locked" in binding.states) != (now < binding.unbind_allowed_at):
            raise InvariantBroken(
                f"R-LOCK-24H: {binding.id} is locked when it should not be, or not"
            )
    for timer in state.timers:
        if timer.due <= state.last_seen:  # catch-up fires everything due by then
            raise InvariantBroken(f"a timer ({timer.event} {timer.target}) is due in the past")
