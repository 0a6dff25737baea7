"""Contracts of slots and of who holds whom: R-SLOT-OPEN, R-SLOT-INVITED, A-PENDING-SLOT,
R-EXCLUSIVE, R-RELEASE, R-REBIND."""

from __future__ import annotations

from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator.contracts import recount
from bindsim.simulator.contracts.base import Answers, Step, Verdict, on_state, on_step
from bindsim.simulator.state import State


def _slots_hold(state: State, rules: Ruleset, kind: str, counting_pending: bool) -> Verdict:
    shops = [s for s in state.shops.values() if s.kind == kind]
    for shop in shops:
        for role, limit in (
            ("official", rules.official_slots),
            ("channel", recount.channel_slots(rules, kind)),
        ):
            live = sum(
                1 for b in recount.live_bindings(state) if b.shop == shop.id and b.role == role
            )
            waiting = sum(1 for i in recount.awaiting(state, shop.id) if i.role == role)
            held = live + (waiting if counting_pending else 0)
            if held > limit:
                what = "bindings and pending invitations" if counting_pending else "bindings"
                return f"{shop.id} holds {held} {role} {what}; it may hold {limit}"
    return True if shops else None


@on_state("R-SLOT-OPEN")
def open_shop_slots(state: State, now: datetime, rules: Ruleset, _: Answers | None) -> Verdict:
    """An open-enrollment shop can bind exactly 1 official account and no channel creators."""
    return _slots_hold(state, rules, "open", False)


@on_state("R-SLOT-INVITED")
def invited_shop_slots(state: State, now: datetime, rules: Ruleset, _: Answers | None) -> Verdict:
    """An invite-only shop can bind 1 official account + 4 channel creators."""
    return _slots_hold(state, rules, "invited", False)


@on_state("A-PENDING-SLOT")
def pending_invitations_hold_slots(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """A pending invitation holds its slot: pending + binding + bound official accounts ≤ 1,
    channel ≤ 4 per shop."""
    if not rules.pending_holds_slot or not state.shops:
        return None
    for kind in ("open", "invited"):
        verdict = _slots_hold(state, rules, kind, True)
        if isinstance(verdict, str):
            return verdict
    return True


@on_state("R-EXCLUSIVE")
def one_shop_per_account(state: State, now: datetime, rules: Ruleset, _: Answers | None) -> Verdict:
    """A creator account is bound to at most one shop at any time, whether as official or
    channel (a binding in progress or stuck holds it too)."""
    holder: dict[str, str] = {}
    for binding in recount.live_bindings(state):
        if binding.creator in holder:
            return f"{binding.creator} is held by {holder[binding.creator]} and {binding.id}"
        holder[binding.creator] = binding.id
    for creator in state.creators.values():
        if creator.binding != holder.get(creator.id):
            return (
                f"{creator.id} names {creator.binding} as its binding, not {holder.get(creator.id)}"
            )
    return True if holder else None


def _ended(step: Step, node: str) -> list[str]:
    before = step.before.bindings
    return [
        b.id
        for b in step.after.bindings.values()
        if b.node == node and b.id in before and recount.live(before[b.id])
    ]


@on_step("R-RELEASE")
def unbinding_frees_account_and_slot(step: Step) -> Verdict:
    """After unbinding, the account can be bound by other shops, and the shop can bind other
    accounts: an ended binding holds neither the account nor a slot."""
    ended = _ended(step, "unbound") + _ended(step, "failed")
    for binding_id in ended:
        binding = step.after.bindings[binding_id]
        creator = step.after.creators[binding.creator]
        shop = step.after.shops[binding.shop]
        if creator.binding == binding_id:
            return f"{binding.creator} is still held by {binding_id} after it ended"
        if binding.creator in shop.live:
            return f"{binding.shop} still lists {binding.creator} after {binding_id} ended"
    return True if ended else None


@on_step("R-REBIND")
def rebinding_is_not_refused_the_slot(step: Step) -> Verdict:
    """After that (the official account unbound), "Bind TikTok account" in Seller Center can
    bind a new account as the official account: a shop whose official account was unbound, and
    that holds no official account now, is not refused OFFICIAL_SLOT_TAKEN."""
    if step.action not in ("invite", "accept"):
        return None
    shop_id, creator_id = step.subject["shop"], step.subject["creator"]
    invitations = [
        i for i in step.before.invitations.values() if i.shop == shop_id and i.creator == creator_id
    ]
    role = step.subject.get("role") or (invitations[-1].role if invitations else "")
    if role != "official":
        return None
    unbound = any(
        b.shop == shop_id and b.role == "official" and b.node == "unbound"
        for b in step.before.bindings.values()
    )
    excluding = creator_id if step.action == "accept" else ""
    taken = recount.held(step.before, shop_id, "official", step.rules, excluding)
    if not unbound or taken >= step.rules.official_slots:
        return None
    if step.outcome == "refused" and "OFFICIAL_SLOT_TAKEN" in step.reasons:
        return f"{shop_id} was refused OFFICIAL_SLOT_TAKEN with its official account unbound"
    return True
