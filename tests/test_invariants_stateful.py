"""Random walks through the World (hypothesis stateful testing) never break an invariant.

Shops of both kinds in two regions, accounts with awkward facts, every action of the API and time
jumps that land exactly on deadlines. After every step the World checks itself
(world.check_invariants()) and this test checks it again independently, from the records alone:
R-EXCLUSIVE, the slots (R-SLOT-OPEN, R-SLOT-INVITED, A-PENDING-SLOT), R-OFFICIAL-UNBIND-3,
R-CHANNEL-10-180D, the timed states (R-INVITE-48H, R-LOCK-24H, A-TICKET-TIME) and the log.
A refused or invalid action must change nothing but the log (and the screens it walked).

At least 10,000 steps per run in total (asserted), derandomized so that CI is deterministic.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from datetime import datetime, timedelta
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

import bindsim
from bindsim import InvalidAction, ManualClock, Refused, Ruleset, UnknownId, World
from bindsim.simulator.clock import DEFAULT_START as START
from bindsim.simulator.state import BindingRecord

# Hypothesis mixes the literal constants of the local modules imported so far into what it draws
# (hypothesis.internal.constants_ast), so a derandomized walk changed with whichever other test
# files a pytest worker had collected. With the whole package imported first, the walks depend
# on the code alone: the same when run alone, under xdist and in CI.
for found in pkgutil.walk_packages(bindsim.__path__, "bindsim."):
    if not found.name.endswith("__main__"):
        importlib.import_module(found.name)

SECOND = timedelta(seconds=1)

SHOPS = {"gb_open": ("GB", "open"), "gb_inv": ("GB", "invited"), "us_inv": ("US", "invited")}
# Mostly eligible accounts, and a few with the facts that make rules bite.
CREATORS: dict[str, dict[str, Any]] = {
    "ann": {"country": "GB", "age": 25},
    "ben": {"country": "GB", "age": 30},
    "cat": {"country": "GB", "age": 19},
    "dan": {"country": "GB", "age": 40, "registration_country": "US"},
    "eve": {"country": "US", "age": 22},
    "fay": {"country": "US", "age": 35, "registration_country": "GB"},
    "gus": {"country": "US", "age": 17},
}
FACTS: dict[str, list[Any]] = {
    "network": ["GB", "US"],
    "country": ["GB", "US"],
    "registration_country": ["GB", "US"],
    "status": ["normal", "normal", "abnormal"],
    "age": [17, 18, 30],
    "ecommerce_permission": [True, True, False],
    "followers": [0, 999, 1000],
}

shops = st.sampled_from(sorted(SHOPS))
creators = st.sampled_from(sorted(CREATORS))
roles = st.sampled_from(["official", "channel", "channel"])
# Time jumps: the exact boundaries (and one second either side) as well as arbitrary ones.
BOUNDARIES = [
    timedelta(0),
    SECOND,
    timedelta(hours=24) - SECOND,
    timedelta(hours=24),
    timedelta(hours=48) - SECOND,
    timedelta(hours=48),
    timedelta(days=180) - SECOND,
    timedelta(days=180),
    timedelta(days=3650),
]
durations = st.one_of(
    st.sampled_from(BOUNDARIES),
    st.integers(min_value=1, max_value=12 * 3600).map(lambda s: timedelta(seconds=s)),
)
indexes = st.integers(min_value=0, max_value=20)


class WorldWalk(RuleBasedStateMachine):
    """One World on a ManualClock; every rule is an API call that may be refused."""

    ruleset: ClassVar[Ruleset] = Ruleset()
    steps: ClassVar[int] = 0
    outcomes: ClassVar[Counter[str]] = Counter()

    def __init__(self) -> None:
        super().__init__()
        self.world = World(clock=ManualClock(START), ruleset=self.ruleset)
        for shop_id, (region, kind) in SHOPS.items():
            self.world.add_shop(shop_id, region=region, kind=kind)
        for creator_id, facts in CREATORS.items():
            self.world.add_creator(creator_id, **facts)

    # ------------------------------------------------------------ helpers

    def _domain(self) -> dict[str, Any]:
        return {
            k: v for k, v in self.world.to_dict().items() if k not in ("log", "logged", "screens")
        }

    def _attempt(self, action: Any, *args: Any, **kwargs: Any) -> bool:
        """Call the World; a refusal or an invalid action must leave its domain state unchanged."""
        type(self).steps += 1
        before, entries = self._domain(), len(self.world.log)
        try:
            action(*args, **kwargs)
        except Refused as refusal:
            assert self._domain() == before, f"refused {action.__name__} changed the World"
            assert len(self.world.log) == entries + 1
            assert self.world.log[-1].outcome == "refused"
            assert self.world.log[-1].reasons == refusal.codes
            self.outcomes.update(f"refused {code}" for code in refusal.codes)
            return False
        except (InvalidAction, UnknownId) as error:
            assert self._domain() == before, f"invalid {action.__name__} changed the World"
            assert len(self.world.log) == entries
            self.outcomes[type(error).__name__] += 1
            return False
        self.outcomes[f"ok {action.__name__}"] += 1
        return True

    @staticmethod
    def _pick(candidates: list[Any], index: int) -> Any:
        return candidates[index % len(candidates)] if candidates else None

    # --------------------------------------------------- checked actions

    def _invite(self, shop: str, creator: str, role: str) -> None:
        if self._attempt(self.world.invite, shop, creator, role=role):
            invitation = self.world.invitation(shop, creator)
            assert invitation.state == "pending"
            assert invitation.expires_at == self.world.now + self.ruleset.invite_ttl

    def _accept(self, creator: str, shop: str) -> None:
        if self._attempt(self.world.accept, creator, shop):
            assert self.world.invitation(shop, creator).state == "accepted"
            binding = self.world.binding(shop, creator)
            assert binding.state in ("bound", "stuck")
            assert binding.state == "stuck" or binding.states == {"bound", "locked"}

    def _request_unlink(self, creator: str) -> None:
        live = _live(self.world, creator)
        was_locked = live is not None and "locked" in live.states
        if self._attempt(self.world.request_unlink, creator):
            assert live is not None and not was_locked  # R-LOCK-24H
            live = self.world.bindings[live.id]  # records are values: read it again
            assert live.unbind_allowed_at is not None
            assert self.world.now >= live.unbind_allowed_at
            assert "unlink_requested" in live.states

    def _answer_unlink(self, shop: str, creator: str, agree: bool) -> None:
        action = self.world.approve_unlink if agree else self.world.decline_unlink
        if self._attempt(action, shop, creator):
            binding = self.world.binding(shop, creator)
            assert binding.state == ("unbound" if agree else "bound")

    # -------------------------------------------------------------- rules

    @rule(shop=shops, creator=creators, role=roles)
    def invite(self, shop: str, creator: str, role: str) -> None:
        self._invite(shop, creator, role)

    @rule(index=indexes, role=roles)
    def invite_a_free_account_of_the_shops_country(self, index: int, role: str) -> None:
        free = [
            (shop_id, creator_id)
            for shop_id, shop in self.world.shops.items()
            for creator_id, creator in self.world.creators.items()
            if creator.country == shop.region and creator.binding is None
        ]
        shop, creator = self._pick(free, index) or ("gb_inv", "ann")
        if self.world.shops[shop].kind == "open":
            role = "official"  # R-SLOT-OPEN: a channel invitation would only be refused
        self._invite(shop, creator, role)

    def _progress(self, index: int, agree: bool) -> None:
        """Take the next step of some life cycle: accept a pending invitation, ask to unlink a
        binding (refused while locked), answer an unlink request, open a ticket when stuck."""
        world = self.world
        steps: list[tuple[Any, tuple[Any, ...]]] = []
        for invitation in world.invitations.values():
            if invitation.state == "pending":
                steps.append((self._accept, (invitation.creator, invitation.shop)))
        for binding in world.bindings.values():
            if "unlockable" in binding.states or "locked" in binding.states:  # R-LOCK-24H
                steps.append((self._request_unlink, (binding.creator,)))
            elif "unlink_requested" in binding.states:
                steps.append((self._answer_unlink, (binding.shop, binding.creator, agree)))
            elif binding.state == "stuck":
                steps.append((self._attempt, (world.open_ticket, binding.shop, binding.creator)))
        if steps:
            action, args = self._pick(steps, index)
            action(*args)
        else:
            self.advance_to_a_deadline(index, 0)

    @rule(index=indexes, agree=st.sampled_from([True, True, True, False]))
    def make_progress(self, index: int, agree: bool) -> None:
        self._progress(index, agree)

    @rule(index=indexes, agree=st.sampled_from([True, True, True, False]))
    def make_more_progress(self, index: int, agree: bool) -> None:
        """The same as make_progress: a second rule doubles its weight in the walk."""
        self._progress(index, agree)

    @rule(
        verb=st.sampled_from(
            [
                "accept",
                "decline",
                "withdraw",
                "request_unlink",
                "approve",
                "decline_unlink",
                "open_ticket",
            ]
        ),
        shop=shops,
        creator=creators,
    )
    def act_on_random_names(self, verb: str, shop: str, creator: str) -> None:
        """Any action on any pair: mostly invalid or refused, which must change nothing."""
        if verb == "accept":
            self._accept(creator, shop)
        elif verb == "decline":
            self._attempt(self.world.decline, creator, shop)
        elif verb == "withdraw":
            self._attempt(self.world.withdraw, shop, creator)
        elif verb == "request_unlink":
            self._request_unlink(creator)
        elif verb == "open_ticket":
            self._attempt(self.world.open_ticket, shop, creator)
        else:
            self._answer_unlink(shop, creator, agree=verb == "approve")

    @rule(shop=shops, index=indexes, role=roles)
    def bind_and_unbind_a_free_account(self, shop: str, index: int, role: str) -> None:
        """A whole life cycle in one rule, so that the walks reach the limits (R-OFFICIAL-UNBIND-3,
        R-CHANNEL-10-180D): invite, accept, wait out the lock, request, agree. Any part may be
        refused; the clock jump fires whatever else comes due on the way."""
        region, kind = SHOPS[shop]
        free = [
            c for c, a in self.world.creators.items() if a.country == region and a.binding is None
        ]
        creator = self._pick(free, index) or sorted(CREATORS)[index % 7]
        self._invite(shop, creator, "official" if kind == "open" else role)
        self._accept(creator, shop)
        binding = _live(self.world, creator)
        if binding is not None and binding.shop == shop and binding.unbind_allowed_at is not None:
            type(self).steps += 1
            self.world.advance_to(max(binding.unbind_allowed_at, self.world.now))
            self._request_unlink(creator)
            self._answer_unlink(shop, creator, agree=True)

    @rule(index=indexes, by_creator=st.booleans())
    def end_a_pending_invitation(self, index: int, by_creator: bool) -> None:
        """A-DECLINE: the creator declines, or the merchant withdraws."""
        pending = [i for i in self.world.invitations.values() if i.state == "pending"]
        invitation = self._pick(pending, index)
        if invitation is None:
            return self.advance_to_a_deadline(index, 0)
        if by_creator:
            self._attempt(self.world.decline, invitation.creator, invitation.shop)
        else:
            self._attempt(self.world.withdraw, invitation.shop, invitation.creator)

    @rule(
        creator=creators,
        fact=st.sampled_from(sorted(FACTS)),
        pick=st.integers(0, 2),
        restore=st.sampled_from([True, True, False]),
    )
    def set_creator(self, creator: str, fact: str, pick: int, restore: bool) -> None:
        """Facts change, and often change back (so that accounts do not all end ineligible)."""
        if restore:
            original = {"network": CREATORS[creator]["country"], **CREATORS[creator]}
            default = {"status": "normal", "ecommerce_permission": True, "followers": 0}
            value = original.get(fact, default.get(fact, original["country"]))
        else:
            value = FACTS[fact][pick % len(FACTS[fact])]
        self._attempt(self.world.set_creator, creator, **{fact: value})

    @rule(shop=shops, status=st.sampled_from(["normal"] * 7 + ["abnormal"]))
    def set_shop(self, shop: str, status: str) -> None:
        self._attempt(self.world.set_shop, shop, status=status)

    @rule(creator=creators, index=indexes)
    def tap_on_the_phone(self, creator: str, index: int) -> None:
        """R-UNLINK-PATH label by label: a visible label, or (index 0) one that may not be."""
        visible = list(self.world.screen(creator).visible)
        label = self._pick(visible, index) if index else "Send unlink request"
        self._attempt(self.world.tap, creator, label or "Back")

    @rule(by=durations)
    def advance(self, by: timedelta) -> None:
        type(self).steps += 1
        self.world.advance(by)

    @rule(index=st.integers(0, 20), offset=st.sampled_from([-1, 0, 0, 1]))
    def advance_to_a_deadline(self, index: int, offset: int) -> None:
        """Land exactly on a deadline, or one second either side of it: a pending timer, or the
        moment a channel binding leaves the 180-day window (R-CHANNEL-10-180D has no timer)."""
        type(self).steps += 1
        now, window = self.world.now, self.ruleset.channel_bind_window
        deadlines = [timer.due for timer in self.world.pending_timers()]
        deadlines += [
            binding.created_at + window
            for binding in self.world.bindings.values()
            if binding.role == "channel" and binding.created_at + window > now
        ]
        if not deadlines:
            self.world.advance(SECOND)
            return
        target = sorted(deadlines)[index % len(deadlines)] + offset * SECOND
        self.world.advance_to(max(target, now))

    # --------------------------------------------------------- invariants

    def teardown(self) -> None:
        """Count how each example's records ended, to show what the walks reached."""
        records = [*self.world.bindings.values(), *self.world.invitations.values()]
        records += self.world.tickets.values()
        self.outcomes.update(f"{type(r).__name__} {r.state}" for r in records)

    @invariant()
    def the_world_finds_no_broken_invariant(self) -> None:
        self.world.check_invariants()

    @invariant()
    def independent_checks_hold(self) -> None:
        check_world(self.world)


def _live(world: World, creator_id: str) -> BindingRecord | None:
    """The account's live binding (R-EXCLUSIVE), read from the records."""
    binding_id = world.creators[creator_id].binding
    return world.bindings[binding_id] if binding_id is not None else None


def check_world(world: World) -> None:
    """Every invariant, recomputed from the records (not from the World's own indexes)."""
    rules = world.rules
    now = world.now
    live_by_creator: dict[str, list[str]] = {c: [] for c in world.creators}
    for binding in world.bindings.values():
        assert binding.state != "binding", "a binding in progress outlived its step"
        if binding.state in ("stuck", "bound"):
            live_by_creator[binding.creator].append(binding.shop)
            assert world.creators[binding.creator].binding == binding.id
            assert binding.ended_at is None
        else:
            assert binding.ended_at is not None and binding.ended_at <= now
        if binding.state == "bound":
            assert binding.bound_at is not None and binding.unbind_allowed_at is not None
            assert binding.unbind_allowed_at == binding.bound_at + rules.unbind_lock
            assert ("locked" in binding.states) == (now < binding.unbind_allowed_at)  # R-LOCK-24H
            assert (binding.unlink_requested_at is not None) == (
                "unlink_requested" in binding.states
            )
        if binding.state == "stuck":
            assert binding.reasons, "R-STUCK: a stuck binding says why"
    for creator_id, live_shops in live_by_creator.items():
        assert len(live_shops) <= 1, f"R-EXCLUSIVE: {creator_id} is held by {live_shops}"
        bound_shop = world.bound_shop(creator_id)
        live = _live(world, creator_id)
        assert bound_shop == (live.shop if live is not None and live.state == "bound" else None)
        if bound_shop is not None:
            assert not world.capabilities(creator_id).follower_minimum_applies  # R-NO-1000

    pending: dict[tuple[str, str], int] = {}
    for invitation in world.invitations.values():
        if invitation.state == "pending":
            assert now < invitation.expires_at, "R-INVITE-48H: an overdue invitation is pending"
            key = (invitation.shop, invitation.creator)
            pending[key] = pending.get(key, 0) + 1
        elif invitation.state == "expired":
            assert invitation.ended_at == invitation.expires_at <= now
        assert invitation.expires_at == invitation.sent_at + rules.invite_ttl
    assert all(n == 1 for n in pending.values()), "A-PENDING-SLOT: two pending to one account"

    for shop_id, shop in world.shops.items():
        bindings = [b for b in world.bindings.values() if b.shop == shop_id]
        invitations = [i for i in world.invitations.values() if i.shop == shop_id]
        for role, slots in (
            ("official", rules.official_slots),
            ("channel", rules.channel_slots(shop.kind)),
        ):
            live = sum(1 for b in bindings if b.role == role and b.state in ("stuck", "bound"))
            held = live + sum(1 for i in invitations if i.role == role and i.state == "pending")
            assert live <= slots, f"R-SLOT: {shop_id} binds {live} {role} accounts"
            if rules.pending_holds_slot:
                assert held <= slots, f"A-PENDING-SLOT: {shop_id} holds {held} {role} slots"
        official_unbinds = sum(1 for b in bindings if b.role == "official" and b.state == "unbound")
        assert official_unbinds <= rules.official_unbind_limit  # R-OFFICIAL-UNBIND-3
        assert (
            world.official_unbinds_left(shop_id) == rules.official_unbind_limit - official_unbinds
        )
        horizon = now - rules.channel_bind_window
        channels = [b for b in bindings if b.role == "channel"]
        if rules.channel_count_from == "accepted":  # A-CHANNEL-COUNT; a failed one gives it back
            in_window = sum(1 for b in channels if b.created_at > horizon and b.state != "failed")
            reserved = 0
        else:  # from the binding's completion; one in progress or stuck reserves its place
            in_window = sum(1 for b in channels if b.bound_at and b.bound_at > horizon)
            reserved = sum(1 for b in channels if b.state == "stuck")
        assert in_window + reserved <= rules.channel_bind_limit  # R-CHANNEL-10-180D
        if rules.channel_slots(shop.kind):  # a reservation is not a binding left (issue 24)
            left = rules.channel_bind_limit - in_window - reserved
            assert world.channel_binds_left(shop_id) == left
        officials = [b.creator for b in bindings if b.role == "official" and b.state == "bound"]
        assert world.official(shop_id) == (officials[0] if officials else None)

    for ticket in world.tickets.values():
        assert (ticket.state == "open") == (now < ticket.due_at)  # A-TICKET-TIME
        assert ticket.due_at == ticket.opened_at + rules.ticket_resolution_time

    assert all(timer.due > now for timer in world.pending_timers()), "a due timer did not fire"
    times: list[datetime] = [entry.at for entry in world.log]
    assert times == sorted(times) and (not times or times[-1] <= now)
    assert [entry.seq for entry in world.log] == list(range(1, len(world.log) + 1))


class TightWorldWalk(WorldWalk):
    """The same walk under a ruleset whose limits bite within a few steps, with assumptions off."""

    outcomes: ClassVar[Counter[str]] = Counter()
    ruleset = Ruleset().with_overrides(
        {
            "channel_bind_limit": 2,
            "channel_bind_window": "60d",
            "official_unbind_limit": 1,
            "channel_slots_invited": 2,
            "invite_ttl": "72h",
            "unbind_lock": "1h",
            "ticket_resolution_time": "3h",
            "channel_count_from": "bound",
            "pending_holds_slot": False,
            "invite_rejects_bound": False,
            "check_again_on_accept": False,
        }
    )
    steps = 0


# Tuned so that `make test` (pytest -n 2) stays well under a minute; each walk must still reach
# its share of the 10,000 steps (a step is one API call or one time jump).
WALKS = {
    "default rules": (WorldWalk, settings(max_examples=50, stateful_step_count=100)),
    "tight rules": (TightWorldWalk, settings(max_examples=70, stateful_step_count=100)),
}
MIN_STEPS_PER_WALK = 5_000
# What every walk must have reached, so that a walk that stalls (say, every acceptance refused
# after a change in the World) fails here instead of passing while testing nothing.
MUST_REACH = {
    "ok accept",
    "ok decline",
    "ok withdraw",
    "ok request_unlink",
    "ok approve_unlink",
    "ok open_ticket",
    "ok tap",
    "BindingRecord unbound",
    "InvitationRecord expired",
    "TicketRecord resolved",
    "TicketRecord closed",
    "refused UNBIND_LOCKED",
    "refused OFFICIAL_SLOT_TAKEN",
    "refused INVITATION_PENDING",
    "InvalidAction",
}
MUST_ALSO_REACH: dict[type[WorldWalk], set[str]] = {
    WorldWalk: {"refused ALREADY_BOUND"},  # A-INVITE-BOUND, off in the tight rules
    TightWorldWalk: {"refused CHANNEL_SLOTS_FULL", "refused OFFICIAL_UNBIND_LIMIT"},
}


@pytest.mark.parametrize("name", list(WALKS))
def test_random_walks_never_break_an_invariant(name: str) -> None:
    machine, budget = WALKS[name]
    machine.steps = 0
    machine.outcomes.clear()
    run_state_machine_as_test(
        machine,
        settings=settings(
            budget,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert machine.steps >= MIN_STEPS_PER_WALK, f"only {machine.steps} steps: raise the budget"
    must_reach = MUST_REACH | MUST_ALSO_REACH[machine]
    assert not must_reach - set(machine.outcomes), (
        f"never reached: {must_reach - set(machine.outcomes)}"
    )
