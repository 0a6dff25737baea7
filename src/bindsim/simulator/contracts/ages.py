"""Contracts of ages that follow the clock: A-AGE."""

from __future__ import annotations

from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator.contracts import recount
from bindsim.simulator.contracts.base import Answers, Verdict, on_state
from bindsim.simulator.state import State


@on_state("A-AGE")
def never_bound_before_the_18th_birthday(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """The user is 18 from 00:00:00 UTC of the 18th birthday: no binding of an account with a
    birthdate is established before that instant."""
    judged = False
    for binding in state.bindings.values():
        creator = state.creators[binding.creator]
        if binding.bound_at is None or creator.birthdate is None:
            continue
        judged = True
        adult = recount.adult_from(creator.birthdate, rules)
        if binding.bound_at < adult:
            return f"{binding.id} was bound at {binding.bound_at}, before {adult}"
    return True if judged else None


@on_state("A-AGE")
def birthday_completes_what_only_age_held(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """The 18th birthday is an event like a deadline: a binding held only by UNDER_18 completes
    at that instant (bound_at = the birthday); none is still stuck on age alone after it."""
    judged = False
    for binding in state.bindings.values():
        creator = state.creators[binding.creator]
        if binding.node != "stuck" or creator.birthdate is None:
            continue
        judged = True
        shop = state.shops[binding.shop]
        others = (
            creator.registration_country != shop.region
            or not creator.ecommerce_permission
            or creator.status != "normal"
            or shop.status != "normal"
        )
        if not others and now >= recount.adult_from(creator.birthdate, rules):
            return f"{binding.id} is still stuck at {now}, after {creator.id}'s 18th birthday"
    return True if judged else None
