"""Contracts of the limits: R-OFFICIAL-UNBIND-3, A-UNBIND-COUNT, R-CHANNEL-10-180D,
A-CHANNEL-COUNT."""

from __future__ import annotations

from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator.contracts import recount
from bindsim.simulator.contracts.base import Answers, Step, Verdict, on_state, on_step
from bindsim.simulator.state import State


@on_state("R-OFFICIAL-UNBIND-3")
def official_unbound_at_most_3_times(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """Over the whole history of a shop, its official account can be unbound at most 3 times."""
    for shop in state.shops.values():
        unbound = sum(
            1
            for b in state.bindings.values()
            if b.shop == shop.id and b.role == "official" and b.node == "unbound"
        )
        if unbound > rules.official_unbind_limit:
            return f"{shop.id}'s official account was unbound {unbound} times"
    return True if state.shops else None


@on_step("A-UNBIND-COUNT")
def count_is_completed_official_unbinds(step: Step) -> Verdict:
    """The 3-unbinds limit counts completed unbinds of the official account: a shop's count
    grows by one for each official unbind, and by nothing else (never past 3)."""
    judged = False
    for shop_id, shop in step.after.shops.items():
        old = step.before.shops.get(shop_id)
        if old is None:
            continue
        done = sum(
            1
            for b in step.after.bindings.values()
            if b.shop == shop_id
            and b.role == "official"
            and b.node == "unbound"
            and step.before.bindings.get(b.id, b).node != "unbound"
        )
        if shop.official_unbinds != old.official_unbinds + done:
            return (
                f"{shop_id}'s count went from {old.official_unbinds} to "
                f"{shop.official_unbinds} with {done} official unbind(s)"
            )
        if shop.official_unbinds > step.rules.official_unbind_limit:
            return f"{shop_id}'s count is {shop.official_unbinds}, past the limit"
        judged = judged or done > 0
    return True if judged else None


@on_state("R-CHANNEL-10-180D")
def ten_channel_binds_in_any_180_days(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """A shop can bind channel accounts at most 10 times in any 180-day window (the window
    ending at each binding, and the one ending now with the places reserved, A-CHANNEL-COUNT)."""
    judged = False
    for shop in state.shops.values():
        times = recount.counted_channel_binds(state, shop.id, rules)
        reserved = recount.reserved(state, shop.id, rules)
        if not times and not reserved:
            continue
        judged = True
        for end in times:
            if recount.in_window(times, end, rules) > rules.channel_bind_limit:
                return f"{shop.id} bound over {rules.channel_bind_limit} in the window to {end}"
        if recount.in_window(times, now, rules) + reserved > rules.channel_bind_limit:
            return f"{shop.id} counts and reserves over {rules.channel_bind_limit} now"
    return True if judged else None


@on_state("A-CHANNEL-COUNT")
def channel_binds_left_counts_every_binding(
    state: State, now: datetime, rules: Ruleset, answers: Answers | None
) -> Verdict:
    """The 10-per-180-days limit counts channel bindings, from the creator's acceptance (a stuck
    binding holds its count; a failed one gives it back) or from the moment it is bound (a stuck
    one then reserves its place; channel_binds_left counts the reservation)."""
    judged = False
    for shop in state.shops.values():
        times = recount.counted_channel_binds(state, shop.id, rules)
        start = now - rules.channel_bind_window
        kept = [t for t in shop.channel_binds if start < t <= now]
        if kept != [t for t in times if start < t <= now]:
            return f"{shop.id} counts channel bindings at {kept}; its bindings give {times}"
        if answers is None or recount.channel_slots(rules, shop.kind) == 0:
            continue
        judged = True
        taken = recount.in_window(times, now, rules) + recount.reserved(state, shop.id, rules)
        expected = max(0, rules.channel_bind_limit - taken)
        answered = answers.channel_binds_left(shop.id)
        if answered != expected:
            return f"{shop.id} has {answered} channel bindings left, the rules give {expected}"
    return True if judged or state.shops else None
