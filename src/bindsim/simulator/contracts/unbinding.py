"""Contracts of unbinding: R-LOCK-24H, R-UNLINK-PATH, A-HOME-REGION, R-UNLINK-APPROVE,
A-CHANNEL-UNLINK."""

from __future__ import annotations

from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator.contracts import recount
from bindsim.simulator.contracts.base import Answers, Step, Verdict, on_state, on_step
from bindsim.simulator.state import BindingRecord, State


def _entered(step: Step, node: str) -> list[BindingRecord]:
    before = step.before.bindings
    return [
        b
        for b in step.after.bindings.values()
        if b.node == node and b.id in before and before[b.id].node != node
    ]


@on_step("R-LOCK-24H")
def unlink_requested_after_24h(step: Step) -> Verdict:
    """A binding cannot be unbound until 24 hours after it was established: an unlink request
    is sent, and an approved unlink happens, at or after bound_at + 24h."""
    moved = _entered(step, "unlink_requested") + _entered(step, "unbound")
    for binding in moved:
        if binding.bound_at is None:
            return f"{binding.id} was unbound without ever being bound"
        if step.now < binding.bound_at + step.rules.unbind_lock:
            return (
                f"{binding.id} (bound at {binding.bound_at}) moved to {binding.node} at {step.now}"
            )
    return True if moved else None


@on_state("R-LOCK-24H")
def locked_exactly_for_24h(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """A binding is locked (cannot be unbound) exactly until 24 hours after it was established
    (A-WINDOW-BOUNDS: unbinding is allowed from bound_at + 24h on)."""
    judged = False
    for binding in state.bindings.values():
        if binding.node not in ("locked", "unlockable"):
            continue
        judged = True
        if binding.bound_at is None:
            return f"{binding.id} is bound with no bound_at"
        should = now < binding.bound_at + rules.unbind_lock
        if should != (binding.node == "locked"):
            return f"{binding.id} (bound at {binding.bound_at}) is {binding.node} at {now}"
    return True if judged else None


def _path_blockers(step: Step, creator_id: str, region: str) -> set[str]:
    creator = step.before.creators[creator_id]
    codes = set()
    if creator.network != region:
        codes.add("NETWORK_REGION_MISMATCH")
    if step.rules.showcase_checks_home_region and creator.home_region != region:
        codes.add("HOME_REGION_MISMATCH")
    return codes


@on_step("R-UNLINK-PATH")
def unlink_request_only_on_the_shop_network(step: Step) -> Verdict:
    """Creator-side unlink: the network must be in the shop's country, otherwise the showcase
    button is not shown; so an unlink request is only ever sent from the shop's country."""
    sent = _entered(step, "unlink_requested")
    for binding in sent:
        creator = step.before.creators[binding.creator]
        if creator.network != step.before.shops[binding.shop].region:
            return f"{binding.creator} sent an unlink request from a {creator.network} network"
    return True if sent else None


@on_step("A-HOME-REGION")
def unlink_request_only_with_home_region_in_country(step: Step) -> Verdict:
    """The showcase button is hidden while the account's home region (归属地) is outside the
    shop's country: no unlink request is sent from a foreign home region."""
    if not step.rules.showcase_checks_home_region:
        return None
    sent = _entered(step, "unlink_requested")
    for binding in sent:
        creator = step.before.creators[binding.creator]
        if creator.home_region != step.before.shops[binding.shop].region:
            return (
                f"{binding.creator} sent an unlink request with home region {creator.home_region}"
            )
    return True if sent else None


def _unlink_reasons(step: Step) -> set[str] | None:
    """Every reason the account's unlink request is refused for; None when it has no bound
    binding or has sent its request ("Your Shop" then shows nothing to send: the screens'
    business)."""
    creator_id = step.subject["creator"]
    held = recount.live_of_creator(step.before, creator_id)
    if not held or held[0].node not in ("locked", "unlockable"):
        return None  # nothing to unlink, or the request is sent already
    binding = held[0]
    shop = step.before.shops[binding.shop]
    hidden = _path_blockers(step, creator_id, shop.region)
    if hidden:
        return {"NOT_VISIBLE", *hidden}
    expected = set()
    if binding.bound_at is None or step.now < binding.bound_at + step.rules.unbind_lock:
        expected.add("UNBIND_LOCKED")
    if binding.role == "official" and shop.official_unbinds >= step.rules.official_unbind_limit:
        expected.add("OFFICIAL_UNBIND_LIMIT")
    return expected


@on_step("R-UNLINK-PATH")
def unlink_refusal_lists_every_reason(step: Step) -> Verdict:
    """The unlink request is refused where the user meets the refusal: NOT_VISIBLE with the
    network and home-region reasons while the showcase is hidden; otherwise exactly
    UNBIND_LOCKED (R-LOCK-24H) and OFFICIAL_UNBIND_LIMIT (A-UNBIND-COUNT) where they apply."""
    if step.action != "request_unlink" or step.outcome != "refused":
        return None
    expected = _unlink_reasons(step)
    if expected is None:
        return None
    if set(step.reasons) != expected:
        return f"refused with {sorted(step.reasons)}; the rules give {sorted(expected)}"
    return True


@on_step("R-UNLINK-PATH")
def unlink_sent_when_nothing_applies(step: Step) -> Verdict:
    """An unlink request is refused only when a reason applies: a bound account on the shop's
    network and home region, past the 24h lock and within the unbind limit, gets it through."""
    if step.action != "request_unlink" or step.outcome != "ok":
        return None
    expected = _unlink_reasons(step)
    if expected:
        return f"the unlink request went through although {sorted(expected)} apply"
    return True


@on_step("R-UNLINK-APPROVE")
def unbound_only_by_the_merchant_agreeing(step: Step) -> Verdict:
    """The shop receives the unlink request; the merchant taps View details then Agree; the
    account is unbound: a binding is unbound only from an unlink request, by a merchant's step."""
    unbound = _entered(step, "unbound")
    for binding in unbound:
        if step.before.bindings[binding.id].node != "unlink_requested":
            return f"{binding.id} was unbound without an unlink request"
        if step.outcome != "ok":
            return f"{binding.id} was unbound by a {step.outcome} step ({step.action})"
    return True if unbound else None


@on_step("A-CHANNEL-UNLINK")
def channel_creators_unlink_only_when_allowed(step: Step) -> Verdict:
    """A channel creator leaves through the same creator-side path and merchant approval, where
    the ruleset allows it (channel_unlink), and channel unbinds do not count towards
    R-OFFICIAL-UNBIND-3."""
    moved = [b for b in _entered(step, "unlink_requested") if b.role == "channel"]
    for binding in moved:
        if not step.rules.channel_unlink:
            return f"{binding.creator}, a channel creator, sent an unlink request"
    unbound = [b for b in _entered(step, "unbound") if b.role == "channel"]
    for binding in unbound:
        shop_id = binding.shop
        if (
            step.after.shops[shop_id].official_unbinds
            != step.before.shops[shop_id].official_unbinds
        ):
            official = [b for b in _entered(step, "unbound") if b.role == "official"]
            if not official:
                return f"{binding.id}, a channel unbind, counted towards the official limit"
    return True if moved or unbound else None
