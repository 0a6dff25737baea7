"""What the World answers about its state: pure reads, shared by the World and explore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator import checks
from bindsim.simulator.state import MachineRecord, State, Timer


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What an account may do with a shop's products (R-CAP-OFFICIAL, R-CAP-CHANNEL, R-NO-1000)."""

    role: str  # "official", "channel" or "affiliate" (not bound)
    auto_sync_showcase: bool
    add_from_shop: bool
    sell_in_live_and_video: bool
    follower_minimum_applies: bool


def bound_in_role(state: State, shop_id: str, role: str) -> list[str]:
    """The shop's accounts bound (not in progress or stuck) in a role, in binding order."""
    return [
        b.creator
        for b in state.live_bindings(state.shops[shop_id])
        if b.role == role and b.state == "bound"
    ]


def official(state: State, shop_id: str) -> str | None:
    """The shop's bound official account, if any (R-SLOT-OPEN, R-SLOT-INVITED)."""
    return next(iter(bound_in_role(state, shop_id, "official")), None)


def official_unbinds_left(state: State, shop_id: str, rules: Ruleset) -> int:
    """R-OFFICIAL-UNBIND-3: how many more times the official account may ever be unbound."""
    return max(0, rules.official_unbind_limit - state.shops[shop_id].official_unbinds)


def channel_binds_left(state: State, shop_id: str, now: datetime, rules: Ruleset) -> int:
    """R-CHANNEL-10-180D: channel bindings still possible in the current window; under
    A-CHANNEL-COUNT "bound" a binding in progress reserves its place (checks.channel_reserved),
    so this is 0 exactly when the next channel invitation is refused CHANNEL_BIND_LIMIT."""
    shop = state.shops[shop_id]
    if rules.channel_slots(shop.kind) == 0:
        return 0
    taken = checks.channel_binds_in_window(shop, now, rules)
    return max(0, rules.channel_bind_limit - taken - checks.channel_reserved(state, shop, rules))


def channel_places_reserved(state: State, shop_id: str, rules: Ruleset) -> int:
    """A-CHANNEL-COUNT "bound": the channel places held by bindings in progress or stuck, not
    counted in the window yet (what Seller Center says beside the places left)."""
    shop = state.shops[shop_id]
    if rules.channel_slots(shop.kind) == 0:
        return 0
    return checks.channel_reserved(state, shop, rules)


def bound_shop(state: State, creator_id: str) -> str | None:
    """The shop the account is bound to now (R-EXCLUSIVE), or None."""
    binding = state.live_binding(state.creators[creator_id])
    return binding.shop if binding is not None and binding.state == "bound" else None


def capabilities(state: State, creator_id: str, rules: Ruleset) -> Capabilities:
    """What the account may do: R-CAP-OFFICIAL, R-CAP-CHANNEL, R-NO-1000, A-AFFILIATE."""
    creator = state.creators[creator_id]
    binding = state.live_binding(creator)
    if binding is not None and binding.state == "bound":
        return Capabilities(
            role=binding.role,
            auto_sync_showcase=binding.role == "official",
            add_from_shop=True,
            sell_in_live_and_video=True,
            follower_minimum_applies=False,
        )
    return Capabilities(
        role="affiliate",
        auto_sync_showcase=False,
        add_from_shop=False,
        sell_in_live_and_video=creator.followers >= rules.follower_minimum,
        follower_minimum_applies=True,
    )


def timer_record(state: State, timer: Timer) -> MachineRecord:
    record: MachineRecord = getattr(state, timer.collection)[timer.target]
    return record


def timer_live(state: State, timer: Timer) -> bool:
    """Whether a timer still applies: its record is still in the state the timed event leaves
    (an invitation answered, or a binding ended, before its timer came due, is not; nor a
    birthday timer whose account's birthdate changed, A-AGE)."""
    return timer_record(state, timer).timer_live(timer.event, timer.due)


def pending_timers(state: State) -> list[Timer]:
    """The timers still to fire, earliest first."""
    return sorted(t for t in state.timers if timer_live(state, t))
