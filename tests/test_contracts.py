"""Each contract (simulator/contracts) fails on a deliberately broken operation, built here only
(monkeypatching the simulator), and holds when the same script runs on the real code: so none is
a contract that cannot fail. The contracts share no code with what they judge (issue 21)."""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bindsim import ManualClock, World
from bindsim.errors import BindSimError
from bindsim.machines import Reason, Ruleset
from bindsim.simulator import checks, contracts, invariants, operations, queries, screens, step
from bindsim.simulator.contracts import seed
from bindsim.simulator.contracts.base import judge_state, judge_step
from bindsim.simulator.contracts.watch import answers_of, step_of
from bindsim.simulator.log import LogEntry
from bindsim.simulator.state import State

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "bindsim" / "simulator" / "contracts"


class Judge:
    """Every contract broken on a World's steps and states (all of them, not only the first)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.broken: set[tuple[str, str]] = set()
        self.judged: set[tuple[str, str]] = set()
        world.watch(self._step)

    def _step(self, before: State, entry: LogEntry, after: State) -> None:
        self._keep(judge_step(step_of(self.world, before, entry, after)))

    def state(self) -> None:
        w = self.world
        self._keep(judge_state(w.state, w.now, w.rules, answers_of(w)))

    def _keep(self, judged: Iterator[contracts.Judged]) -> None:
        for contract, problem in judged:
            self.judged.add((contract.rule, contract.name))
            if problem is not None:
                self.broken.add((contract.rule, contract.name))


class Scripted(World):
    """A World whose script judges its state after each action (`each`)."""

    judge: Judge

    def each(self, action: Callable[[], object]) -> None:
        """Do an action (a refusal or an error is part of the script), then judge the state."""
        with contextlib.suppress(BindSimError):
            action()
        self.judge.state()


def run(script: Callable[[Scripted], object], ruleset: dict[str, Any] | None = None) -> Judge:
    rules = Ruleset().with_overrides(ruleset or {})
    w = Scripted(clock=ManualClock("2024-11-11T12:00:00Z"), ruleset=rules)
    w.judge = Judge(w)
    script(w)
    w.judge.state()
    return w.judge


def bound(w: Scripted, shop: str, creator: str, role: str = "official") -> None:
    w.each(lambda: w.invite(shop, creator, role))
    w.each(lambda: w.accept(creator, shop))


def gb(w: Scripted, kind: str = "open", **creator: Any) -> None:
    w.add_shop("gb", region="GB", kind=kind)
    w.add_creator("alice", **{"country": "GB", "age": 24, **creator})


def drop(function: Callable[..., list[Reason]], *dropped: Reason) -> Callable[..., list[Reason]]:
    """A reason check that forgets some reasons."""
    return lambda *a, **k: [r for r in function(*a, **k) if r not in dropped]


def shifted(event: str, by: timedelta) -> Callable[..., Any]:
    """A timer armed `by` late (or early): an off-by-some deadline."""
    real = step.due

    def due(rules: Ruleset, machine: Any, name: str, at: Any) -> Any:
        return real(rules, machine, name, at) + (by if name == event else timedelta(0))

    return due


SECOND, HOUR = timedelta(seconds=1), timedelta(hours=1)


# --------------------------------------------------------------------------- scripts


def invite_then_wait_48h(w: Scripted) -> None:
    gb(w)
    w.each(lambda: w.invite("gb", "alice", "official"))
    w.each(lambda: w.advance("48h"))
    w.each(lambda: w.accept("alice", "gb"))


def invite_a_minor(w: Scripted) -> None:
    gb(w, age=16, country="FR", network="GB")
    w.each(lambda: w.invite("gb", "alice", "official"))


def invite_twice(w: Scripted) -> None:
    gb(w)
    w.add_creator("bob", country="GB", age=30)
    w.each(lambda: w.invite("gb", "alice", "official"))
    w.each(lambda: w.invite("gb", "bob", "official"))
    w.each(lambda: w.accept("alice", "gb"))
    w.each(lambda: w.accept("bob", "gb"))


def invite_same_account_twice(w: Scripted) -> None:
    gb(w, kind="invited")
    w.each(lambda: w.invite("gb", "alice", "official"))
    w.each(lambda: w.invite("gb", "alice", "channel"))


def bind_in_two_shops(w: Scripted) -> None:
    gb(w)
    w.add_shop("gb2", region="GB")
    bound(w, "gb", "alice")
    bound(w, "gb2", "alice")


def decline_when_off(w: Scripted) -> None:
    gb(w)
    w.each(lambda: w.invite("gb", "alice", "official"))
    w.each(lambda: w.decline("alice", "gb"))


def accept_from_abroad(w: Scripted) -> None:
    gb(w)
    w.each(lambda: w.invite("gb", "alice", "official"))
    w.each(lambda: w.set_creator("alice", network="FR", status="abnormal"))
    w.each(lambda: w.accept("alice", "gb"))


def accept_on_foreign_network(w: Scripted) -> None:
    gb(w)
    w.each(lambda: w.invite("gb", "alice", "official"))
    w.each(lambda: w.set_creator("alice", network="FR"))
    w.each(lambda: w.accept("alice", "gb"))


def accept_after_moving_country(w: Scripted) -> None:
    gb(w)
    w.each(lambda: w.invite("gb", "alice", "official"))
    w.each(lambda: w.set_creator("alice", country="FR"))
    w.each(lambda: w.accept("alice", "gb"))


def channel_in_open_shop(w: Scripted) -> None:
    gb(w)
    bound(w, "gb", "alice", "channel")


def two_officials_in_invited_shop(w: Scripted) -> None:
    gb(w, kind="invited")
    w.add_creator("bob", country="GB", age=30)
    bound(w, "gb", "alice")
    bound(w, "gb", "bob")


def unbind(w: Scripted, creator: str = "alice", shop: str = "gb") -> None:
    w.each(lambda: w.advance("24h"))
    w.each(lambda: w.request_unlink(creator))
    w.each(lambda: w.approve_unlink(shop, creator))


def unbind_and_rebind(w: Scripted) -> None:
    gb(w)
    w.add_creator("bob", country="GB", age=30)
    bound(w, "gb", "alice")
    unbind(w)
    bound(w, "gb", "bob")


def unbind_twice(w: Scripted) -> None:
    gb(w)
    bound(w, "gb", "alice")
    unbind(w)
    bound(w, "gb", "alice")
    unbind(w)


def unbind_a_channel_creator(w: Scripted) -> None:
    gb(w, kind="invited")
    bound(w, "gb", "alice", "channel")
    unbind(w)


def two_channel_bindings(w: Scripted) -> None:
    gb(w, kind="invited")
    w.add_creator("bob", country="GB", age=30)
    bound(w, "gb", "alice", "channel")
    bound(w, "gb", "bob", "channel")


def unlink_at_23h(w: Scripted) -> None:
    gb(w)
    bound(w, "gb", "alice")
    w.each(lambda: w.advance("23h"))
    w.each(lambda: w.request_unlink("alice"))


def unlink_from_abroad(w: Scripted, fact: str = "network") -> None:
    gb(w)
    bound(w, "gb", "alice")
    w.each(lambda: w.advance("24h"))
    w.each(lambda: w.set_creator("alice", **{fact: "FR"}))
    w.each(lambda: w.request_unlink("alice"))


def unlink_with_no_unbinds_left(w: Scripted) -> None:
    gb(w)
    bound(w, "gb", "alice")
    w.each(lambda: w.request_unlink("alice"))
    w.each(lambda: w.advance("24h"))
    w.each(lambda: w.request_unlink("alice"))


def ticket_about(w: Scripted, region: str = "GB", **creator: Any) -> None:
    w.add_shop("gb", region=region)
    w.add_creator("alice", **{"country": region, "age": 24, **creator})
    w.each(lambda: w.open_ticket("gb", "alice"))
    w.each(lambda: w.advance("24h"))


def stuck_then_ticket(w: Scripted) -> None:
    gb(w, ecommerce_permission=False)
    bound(w, "gb", "alice")
    w.each(lambda: w.open_ticket("gb", "alice"))
    w.each(lambda: w.advance("24h"))


def stuck_then_fixed(w: Scripted) -> None:
    gb(w, registration_country="FR")
    bound(w, "gb", "alice")
    w.each(lambda: w.set_creator("alice", registration_country="GB"))


def stuck_while_abnormal(w: Scripted) -> None:
    gb(w, registration_country="FR")
    bound(w, "gb", "alice")
    w.each(lambda: w.set_creator("alice", status="abnormal"))


def stuck_while_abnormal_then_fixed(w: Scripted) -> None:
    stuck_while_abnormal(w)
    w.each(lambda: w.set_creator("alice", registration_country="GB"))


def stuck_for_an_abnormal_shop_then_ticket(w: Scripted) -> None:
    """Support fixes the registration; the shop's status still holds the binding."""
    gb(w, registration_country="FR")
    bound(w, "gb", "alice")
    w.each(lambda: w.set_shop("gb", status="abnormal"))
    w.each(lambda: w.open_ticket("gb", "alice"))
    w.each(lambda: w.advance("24h"))


def invite_delivered_after_1h(w: Scripted) -> None:
    gb(w)
    w.each(lambda: w.invite("gb", "alice", "official"))
    w.each(lambda: w.advance("59m59s"))
    w.each(lambda: w.advance("2s"))


def a_minor_invited(w: Scripted) -> None:
    gb(w, age=None, birthdate="2007-01-01")
    bound(w, "gb", "alice")


def bound_for_25h(w: Scripted) -> None:
    gb(w)
    bound(w, "gb", "alice")
    w.each(lambda: w.advance("25h"))


def bound_channel_and_official(w: Scripted) -> None:
    gb(w, kind="invited")
    w.add_creator("bob", country="GB", age=30, followers=10)
    w.add_creator("cat", country="GB", age=30, followers=5000)
    bound(w, "gb", "alice")
    bound(w, "gb", "bob", "channel")
    w.add_creator("dan", country="GB", age=30, followers=10)


# ------------------------------------------------------------------- broken builds


def _no_invariants(monkeypatch: pytest.MonkeyPatch) -> None:
    """The broken build's own invariants are as broken as its operation (they share its code)."""
    monkeypatch.setattr(invariants, "check", lambda *a, **k: None)


def _fix_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fixes = dict(operations._TICKET_FIXES)  # noqa: SLF001 (the broken build, made here)
    fixes[Reason.COUNTRY_MISMATCH] = lambda shop, creator, s: {}
    monkeypatch.setattr(operations, "_TICKET_FIXES", fixes)


def _resolve_forgetting_the_binding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Support answers the ticket but leaves the stuck binding as it was."""

    def resolve(s: Any, ticket: Any) -> None:
        s.actor, s.action = "support", "resolve_ticket"
        shop, creator = s.state.shops[ticket.shop], s.state.creators[ticket.creator]
        causes = checks.ticket_causes(shop, creator, s.now, s.rules)
        unfixable = checks.ticket_unfixable(shop, causes, s.rules)
        s.send(ticket, "resolve", {"blockers": unfixable}, ended_at=s.now)

    monkeypatch.setitem(operations.TIMED, "resolve", resolve)


def _fail_on_every_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Support's answer fails a stuck binding whether or not the ticket was closed."""
    real = operations.resolve

    def resolve(s: Any, ticket: Any) -> None:
        real(s, ticket)
        binding = s.state.live_binding(s.state.creators[ticket.creator])
        if binding is not None and binding.state == "stuck":
            operations._release(s, s.send(binding, "fail", ended_at=s.now))

    monkeypatch.setitem(operations.TIMED, "resolve", resolve)


def _deliver_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The delivery timer fires and leaves the invitation on its way."""

    def deliver(s: Any, invitation: Any) -> None:
        s.actor, s.action = "platform", "deliver"

    monkeypatch.setitem(operations.TIMED, "deliver", deliver)


def _unbind_on_unlock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock's end unbinds the account by itself (no merchant)."""
    real = operations.unlock

    def unlock(s: Any, binding: Any) -> None:
        real(s, binding)
        moved = s.send(s.state.bindings[binding.id], "request_unlink", {"blockers": ()})
        ended = s.send(moved, "approve_unlink", ended_at=s.now)
        operations._release(s, ended)  # noqa: SLF001 (the broken build, made here)

    monkeypatch.setitem(operations.TIMED, "unlock", unlock)


def _keep_the_released(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(operations, "_release", lambda s, binding, **shop: None)
    _no_invariants(monkeypatch)


def _capabilities(**wrong: Any) -> Callable[..., Any]:
    real = queries.capabilities

    def capabilities(state: Any, creator_id: str, rules: Any) -> Any:
        found = real(state, creator_id, rules)
        changes = wrong.get(found.role, {})
        return dataclasses.replace(found, **changes) if changes else found

    return capabilities


def _release_counting(counted: Callable[[Any, Any], int]) -> Callable[[pytest.MonkeyPatch], None]:
    real = operations._release  # noqa: SLF001

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        def release(s: Any, binding: Any, **shop: Any) -> None:
            if "official_unbinds" in shop:
                shop["official_unbinds"] = counted(s.state.shops[binding.shop], binding)
            real(s, binding, **shop)

        monkeypatch.setattr(operations, "_release", release)

    return patch


Patch = Callable[[pytest.MonkeyPatch], None]


def setattr_(target: Any, name: str, value: Any) -> Patch:
    return lambda monkeypatch: monkeypatch.setattr(target, name, value)


def both(*patches: Patch) -> Patch:
    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        for one in patches:
            one(monkeypatch)

    return patch


CASES: list[tuple[str, str, Callable[[Scripted], object], dict[str, Any], Patch]] = [
    # rule, contract, script, ruleset, the broken build
    (
        "R-INVITE-48H",
        "accepted_strictly_before_48h",
        invite_then_wait_48h,
        {},
        setattr_(step, "due", shifted("expire", SECOND)),
    ),
    (
        "A-WINDOW-BOUNDS",
        "expires_exactly_at_48h",
        invite_then_wait_48h,
        {},
        setattr_(step, "due", shifted("expire", -SECOND)),
    ),
    (
        "R-INVITE-48H",
        "nothing_awaits_past_48h",
        invite_then_wait_48h,
        {},
        lambda m: m.setitem(operations.TIMED, "expire", lambda s, invitation: None),
    ),
    (
        "R-ELIGIBLE",
        "invitations_only_to_eligible_accounts",
        invite_a_minor,
        {},
        setattr_(checks, "eligibility", lambda *a: []),
    ),
    (
        "R-ELIGIBLE",
        "invite_refusal_lists_every_reason",
        invite_a_minor,
        {},
        setattr_(checks, "invite_reasons", drop(checks.invite_reasons, Reason.COUNTRY_MISMATCH)),
    ),
    (
        "R-ELIGIBLE",
        "invite_sent_when_nothing_applies",
        invite_twice,
        {},
        both(setattr_(checks, "slot_reasons", lambda *a, **k: []), _no_invariants),
    ),
    (
        "R-SELLER-NAV",
        "invitations_sent_from_the_guide",
        invite_twice,
        {},
        setattr_(screens, "invite", operations.invite),
    ),
    (
        "A-INVITE-BOUND",
        "no_invitation_to_a_bound_account",
        bind_in_two_shops,
        {},
        setattr_(checks, "invite_reasons", drop(checks.invite_reasons, Reason.ALREADY_BOUND)),
    ),
    (
        "A-PENDING-SLOT",
        "one_awaiting_invitation_per_account",
        invite_same_account_twice,
        {},
        both(
            setattr_(
                checks, "invite_reasons", drop(checks.invite_reasons, Reason.INVITATION_PENDING)
            ),
            _no_invariants,
        ),
    ),
    (
        "A-PENDING-SLOT",
        "pending_invitations_hold_slots",
        invite_twice,
        {},
        setattr_(
            checks,
            "holders",
            lambda state, shop, role, rules, excluding: sum(
                1 for b in state.live_bindings(shop) if b.role == role
            ),
        ),
    ),
    (
        "A-DECLINE",
        "declines_only_when_allowed",
        decline_when_off,
        {"allow_decline": False},
        setattr_(operations, "require_decline_allowed", lambda rules: None),
    ),
    (
        "R-FAIL",
        "accept_refusal_lists_every_reason",
        accept_from_abroad,
        {},
        setattr_(
            checks,
            "accept_reasons",
            drop(checks.accept_reasons, Reason.NETWORK_REGION_MISMATCH),
        ),
    ),
    (
        "R-FAIL",
        "binding_starts_only_when_nothing_fails",
        accept_on_foreign_network,
        {},
        setattr_(
            checks,
            "accept_reasons",
            drop(checks.accept_reasons, Reason.NETWORK_REGION_MISMATCH),
        ),
    ),
    (
        "A-CHECK-AGAIN",
        "acceptance_rechecks_the_country",
        accept_after_moving_country,
        {},
        setattr_(checks, "accept_reasons", drop(checks.accept_reasons, Reason.COUNTRY_MISMATCH)),
    ),
    (
        "R-SLOT-OPEN",
        "open_shop_slots",
        channel_in_open_shop,
        {},
        both(setattr_(checks, "slot_reasons", lambda *a, **k: []), _no_invariants),
    ),
    (
        "R-SLOT-INVITED",
        "invited_shop_slots",
        two_officials_in_invited_shop,
        {},
        both(setattr_(checks, "slot_reasons", lambda *a, **k: []), _no_invariants),
    ),
    (
        "R-EXCLUSIVE",
        "one_shop_per_account",
        bind_in_two_shops,
        {},
        both(
            setattr_(checks, "invite_reasons", drop(checks.invite_reasons, Reason.ALREADY_BOUND)),
            setattr_(checks, "accept_reasons", drop(checks.accept_reasons, Reason.ALREADY_BOUND)),
            _no_invariants,
        ),
    ),
    ("R-RELEASE", "unbinding_frees_account_and_slot", unbind_and_rebind, {}, _keep_the_released),
    ("R-REBIND", "rebinding_is_not_refused_the_slot", unbind_and_rebind, {}, _keep_the_released),
    (
        "R-OFFICIAL-UNBIND-3",
        "official_unbound_at_most_3_times",
        unbind_twice,
        {"official_unbind_limit": 1},
        _release_counting(lambda shop, binding: 0),
    ),
    (
        "A-UNBIND-COUNT",
        "count_is_completed_official_unbinds",
        unbind_a_channel_creator,
        {},
        _release_counting(lambda shop, binding: shop.official_unbinds + 1),
    ),
    (
        "R-CHANNEL-10-180D",
        "ten_channel_binds_in_any_180_days",
        two_channel_bindings,
        {"channel_bind_limit": 1},
        both(setattr_(checks, "channel_limit", lambda *a: []), _no_invariants),
    ),
    (
        "A-CHANNEL-COUNT",
        "channel_binds_left_counts_every_binding",
        two_channel_bindings,
        {},
        setattr_(queries, "channel_binds_left", lambda state, shop, now, rules: 10),
    ),
    (
        "R-LOCK-24H",
        "unlink_requested_after_24h",
        unlink_at_23h,
        {},
        setattr_(step, "due", shifted("unlock", -HOUR)),
    ),
    (
        "R-LOCK-24H",
        "locked_exactly_for_24h",
        unlink_at_23h,
        {},
        setattr_(step, "due", shifted("unlock", -HOUR)),
    ),
    (
        "R-UNLINK-PATH",
        "unlink_request_only_on_the_shop_network",
        unlink_from_abroad,
        {},
        setattr_(checks, "showcase_blockers", lambda *a: []),
    ),
    (
        "A-HOME-REGION",
        "unlink_request_only_with_home_region_in_country",
        lambda w: unlink_from_abroad(w, "home_region"),
        {},
        setattr_(
            checks,
            "showcase_blockers",
            drop(checks.showcase_blockers, Reason.HOME_REGION_MISMATCH),
        ),
    ),
    (
        "R-UNLINK-PATH",
        "unlink_refusal_lists_every_reason",
        unlink_with_no_unbinds_left,
        {"official_unbind_limit": 0},
        setattr_(
            checks,
            "unlink_reasons",
            drop(checks.unlink_reasons, Reason.OFFICIAL_UNBIND_LIMIT),
        ),
    ),
    (
        "R-UNLINK-PATH",
        "unlink_sent_when_nothing_applies",
        unlink_with_no_unbinds_left,
        {"official_unbind_limit": 0},
        setattr_(checks, "unlink_reasons", lambda *a: []),
    ),
    (
        "R-UNLINK-APPROVE",
        "unbound_only_by_the_merchant_agreeing",
        bound_for_25h,
        {},
        _unbind_on_unlock,
    ),
    (
        "A-CHANNEL-UNLINK",
        "channel_creators_unlink_only_when_allowed",
        unbind_a_channel_creator,
        {"channel_unlink": False},
        setattr_(operations, "require_channel_unlink", lambda rules, binding: None),
    ),
    (
        "R-TICKET",
        "support_fixes_every_cause_it_may",
        lambda w: ticket_about(w, country="FR", network="GB"),
        {},
        _fix_nothing,
    ),
    (
        "R-TICKET",
        "closed_ticket_fails_the_stuck_binding",
        stuck_then_ticket,
        {},
        _resolve_forgetting_the_binding,
    ),
    (
        "A-TICKET-COUNTRY",
        "us_support_keeps_the_registration_country",
        lambda w: ticket_about(w, "US", registration_country="FR"),
        {},
        setattr_(checks, "ticket_unfixable", lambda shop, causes, rules: []),
    ),
    (
        "A-HOME-REGION-TICKET",
        "a_ticket_moves_the_home_region_only_when_set_to",
        lambda w: ticket_about(w, country="FR", network="GB"),
        {},
        lambda monkeypatch: monkeypatch.setitem(
            operations._TICKET_FIXES,
            Reason.COUNTRY_MISMATCH,
            lambda shop, creator, step: {"country": shop.region, "home_region": shop.region},
        ),
    ),
    (
        "A-TICKET-AGE",
        "support_makes_the_user_just_of_age",
        lambda w: ticket_about(w, age=16),
        {},
        lambda monkeypatch: monkeypatch.setitem(
            operations._TICKET_FIXES,
            Reason.UNDER_18,
            lambda shop, creator, step: {"age": step.rules.min_age + 1},
        ),
    ),
    (
        "A-TICKET-TIME",
        "ticket_answered_after_the_set_time",
        lambda w: ticket_about(w, country="FR", network="GB"),
        {},
        setattr_(step, "due", shifted("resolve", -SECOND)),
    ),
    (
        "R-STUCK",
        "completes_only_when_nothing_holds",
        stuck_while_abnormal_then_fixed,
        {},
        setattr_(checks, "hold_causes", drop(checks.hold_causes, Reason.ACCOUNT_ABNORMAL)),
    ),
    (
        "R-STUCK",
        "a_stuck_binding_shows_what_holds_it",
        stuck_while_abnormal,
        {},
        setattr_(
            checks, "hold_causes", lambda shop, creator, *a: checks.stuck_causes(shop, creator)
        ),
    ),
    (
        "R-TICKET",
        "a_binding_fails_only_by_a_closed_ticket",
        stuck_for_an_abnormal_shop_then_ticket,
        {},
        _fail_on_every_answer,
    ),
    (
        "R-INVITE-48H",
        "delivered_exactly_after_the_delay",
        invite_delivered_after_1h,
        {"invite_delivery_delay": "1h"},
        setattr_(step, "due", shifted("deliver", SECOND)),
    ),
    (
        "R-INVITE-48H",
        "nothing_waits_to_be_delivered_past_the_delay",
        invite_delivered_after_1h,
        {"invite_delivery_delay": "1h"},
        _deliver_nothing,
    ),
    (
        "R-STUCK",
        "binding_hangs_exactly_when_a_cause_applies",
        stuck_then_fixed,
        {},
        setattr_(checks, "stuck_causes", lambda shop, creator: []),
    ),
    (
        "R-STUCK",
        "a_stuck_binding_has_a_cause",
        stuck_then_fixed,
        {},
        setattr_(
            checks,
            "hold_causes",
            lambda *a: [Reason.REGISTRATION_REGION_MISMATCH],
        ),
    ),
    (
        "A-AGE",
        "never_bound_before_the_18th_birthday",
        a_minor_invited,
        {},
        setattr_(checks, "age_at", lambda creator, now, rules: 30),
    ),
    (
        "R-CAP-OFFICIAL",
        "official_gets_sync_and_add_from_shop",
        bound_channel_and_official,
        {},
        setattr_(queries, "capabilities", _capabilities(official={"auto_sync_showcase": False})),
    ),
    (
        "R-CAP-CHANNEL",
        "channel_adds_by_hand_only",
        bound_channel_and_official,
        {},
        setattr_(queries, "capabilities", _capabilities(channel={"auto_sync_showcase": True})),
    ),
    (
        "R-NO-1000",
        "bound_accounts_sell_without_1000_followers",
        bound_channel_and_official,
        {},
        setattr_(
            queries, "capabilities", _capabilities(channel={"follower_minimum_applies": True})
        ),
    ),
    (
        "A-AFFILIATE",
        "unbound_accounts_need_1000_followers",
        bound_channel_and_official,
        {},
        setattr_(
            queries, "capabilities", _capabilities(affiliate={"sell_in_live_and_video": True})
        ),
    ),
]


@pytest.mark.parametrize(
    ("rule", "name", "script", "ruleset", "patch"),
    CASES,
    ids=[f"{rule}:{name}" for rule, name, *_ in CASES],
)
def test_each_contract_fails_on_a_broken_operation_and_holds_on_the_real_one(
    rule: str,
    name: str,
    script: Callable[[Scripted], object],
    ruleset: dict[str, Any],
    patch: Patch,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = run(script, ruleset)
    assert not real.broken, f"the real code breaks {real.broken}"
    patch(monkeypatch)
    broken = run(script, ruleset)
    assert (rule, name) in broken.broken, f"it broke {broken.broken} instead"


BIRTHDAY = ("A-AGE", "birthday_completes_what_only_age_held")


def break_the_birthday_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The birthday timer fires and does nothing: the binding is left as it was."""

    def nothing(step: Any, binding: Any) -> None:
        step.actor, step.action = "platform", "birthday"

    monkeypatch.setitem(operations.TIMED, "birthday", nothing)


def test_a_birthday_that_does_not_complete_the_binding_breaks_a_age(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A-AGE: a binding held only by UNDER_18 completes at the 18th birthday (issue 24 made the
    birthday a timer). The real code holds; with the birthday timer doing nothing, the binding
    stays stuck and the contract says so."""

    def stuck_on_age(w: Scripted) -> None:
        gb(w, registration_country="FR")
        bound(w, "gb", "alice")
        w.each(lambda: w.set_creator("alice", age=None, birthdate="2006-11-20"))
        w.each(lambda: w.set_creator("alice", registration_country="GB"))
        w.each(lambda: w.advance("10d"))

    judged = run(stuck_on_age)
    assert BIRTHDAY in judged.judged and BIRTHDAY not in judged.broken
    assert judged.world.binding("gb", "alice").state == "bound"
    break_the_birthday_timer(monkeypatch)
    broken = run(stuck_on_age)
    assert broken.world.binding("gb", "alice").state == "stuck"
    assert BIRTHDAY in broken.broken


def _changed(value: Any) -> Any:
    """A default changed by the smallest step its kind allows (as a slip would change it)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, timedelta):
        return value + SECOND
    if value in ("accepted", "march_1", "UTC"):
        return {"accepted": "bound", "march_1": "february_28", "UTC": "UTC+01:00"}[value]
    return value[:1] if len(value) > 1 else ()


SETTINGS = "keeps_the_seeds_settings"


def run_with_default(
    script: Callable[[Scripted], object], default: Ruleset, monkeypatch: pytest.MonkeyPatch
) -> Judge:
    """Run a script as if `default` were what Ruleset() gives (a default changed in the code)."""
    monkeypatch.setattr(seed, "defaults", lambda: default)
    seed.forget()  # and again after: nothing read under the stand-in default outlives the run
    try:
        w = Scripted(clock=ManualClock("2024-11-11T12:00:00Z"), ruleset=default)
        w.judge = Judge(w)
        script(w)
        w.judge.state()
    finally:
        seed.forget()
    return w.judge


@pytest.mark.parametrize("setting", seed.SEED, ids=[s.name for s in seed.SEED])
def test_a_default_that_is_not_the_rules_number_breaks_its_rules_settings_contract(
    setting: seed.Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    """contracts/settings.py: a ruleset that leaves a setting as it came must have the seed's
    value, as the rule states it. The real defaults hold; a default changed here (what the
    Ruleset would be with another default) breaks the contract of that setting's rule."""
    real = run(invite_then_wait_48h)
    assert (setting.rule, SETTINGS) in real.judged and not real.broken
    changed = Ruleset().with_overrides({setting.name: _changed(setting.value)})
    broken = run_with_default(invite_then_wait_48h, changed, monkeypatch)
    assert (setting.rule, SETTINGS) in broken.broken


def test_a_changed_default_is_judged_by_the_rules_number_not_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """contracts/seed.py: the behavioural contracts judge a setting left as it came by the seed's
    number. With the lock's default made 23 hours, a binding unlocked 23 hours after it was
    established breaks R-LOCK-24H's own contract (not only the settings one); a scenario that
    sets the lock to 23 hours itself is judged by its 23 hours, and holds."""
    lock = Ruleset().with_overrides({"unbind_lock": "23h"})

    def bound_for_23h(w: Scripted) -> None:
        gb(w)
        bound(w, "gb", "alice")
        w.each(lambda: w.advance("23h"))

    assert not run(bound_for_23h, {"unbind_lock": "23h"}).broken
    broken = run_with_default(bound_for_23h, lock, monkeypatch)
    assert ("R-LOCK-24H", "locked_exactly_for_24h") in broken.broken


def test_the_seeds_numbers_are_the_defaults_and_the_seed_file() -> None:
    """The contracts' own table of the seed (contracts/seed.py) and the code's defaults agree,
    and so does the seed's ruleset file; every setting of the Ruleset is in the table."""
    from bindsim.simulator.ruleset_file import load_ruleset

    assert {s.name for s in seed.SEED} == {f.name for f in dataclasses.fields(Ruleset)}
    file = load_ruleset(Path(__file__).resolve().parent.parent / "src/bindsim/rulesets/seed.toml")
    for setting in seed.SEED:
        assert getattr(Ruleset(), setting.name) == setting.value, setting.name
        assert getattr(file, setting.name) == setting.value, setting.name
    assert seed.judged(Ruleset()) == Ruleset()


def test_every_contract_is_shown_failing_here() -> None:
    shown = {(rule, name) for rule, name, *_ in CASES} | {BIRTHDAY}
    shown |= {(s.rule, SETTINGS) for s in seed.SEED}
    assert {(c.rule, c.name) for c in contracts.CONTRACTS} == shown


def test_every_rule_and_assumption_has_a_contract() -> None:
    from bindsim.machines.rules import RULE_IDS

    assert set(RULE_IDS) <= set(contracts.by_rule())


def test_contracts_share_no_code_with_what_they_judge() -> None:
    """The contracts read the state records and the Ruleset; they import no checks,
    operations, queries, screens, timers, invariants, step or world (watch.py, which hands a
    World's steps to them, reaches the World only through the object it is given)."""
    judged = {"checks", "operations", "queries", "screens", "timers", "invariants", "step", "world"}
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                assert not (parts[:2] == ["bindsim", "simulator"] and set(parts[2:3]) & judged), (
                    f"{path.name} imports {name}"
                )


def test_a_contract_names_its_rule_and_the_rules_words() -> None:
    for contract in contracts.CONTRACTS:
        assert contract.words, contract.name
        assert contract.kind in ("step", "state")


def test_explore_reports_a_broken_contract_with_its_rule_and_the_shortest_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Eligibility that forgets its reasons: explore names R-ELIGIBLE (no invariant sees it) and
    writes the shortest path there as a scenario, which `bindsim run` replays to the same
    broken contract."""
    from bindsim.simulator.cli import main

    cast = tmp_path / "minor.cast.yaml"
    cast.write_text(
        "name: one shop, one account\nvary: []\nruleset: {allow_decline: false}\n"
        "shops: {gb: {region: GB, kind: open}}\ncreators: {ann: {country: GB, age: 16}}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(checks, "eligibility", lambda *a: [])
    out = tmp_path / "found"
    assert main(["explore", str(cast), "--out", str(out), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    kinds = {violation["kind"] for violation in report["violations"]}
    assert kinds == {"contract R-ELIGIBLE"}
    first = report["violations"][0]
    assert [next(iter(s)) for s in first["path"]] == ["invite"]
    assert main(["run", report["files"][0]]) == 1
    assert "contract R-ELIGIBLE" in capsys.readouterr().out


def test_bindsim_rules_lists_each_rules_contracts(capsys: pytest.CaptureFixture[str]) -> None:
    from bindsim.machines.rules import RULE_IDS
    from bindsim.simulator.cli import main

    assert main(["rules", "--contracts", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert list(listed) == list(RULE_IDS)
    assert all(listed[rule] for rule in RULE_IDS)
    assert {"name", "judges", "words"} <= set(listed["R-LOCK-24H"][0])
    assert main(["rules", "--contracts", "--show", "R-INVITE-48H"]) == 0
    text = capsys.readouterr().out
    assert "accepted_strictly_before_48h" in text and "within 48 hours" in text


def test_run_judges_the_contracts_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bindsim.simulator.cli import main

    path = tmp_path / "minor.scenario.yaml"
    path.write_text(
        "name: a minor invited\nshops: {gb: {region: GB, kind: open}}\n"
        "creators: {ann: {country: GB, age: 16}}\n"
        "steps:\n  - invite: {shop: gb, creator: ann, role: official}\n",
        encoding="utf-8",
    )
    assert main(["run", str(path)]) == 1  # the real code refuses: not as the scenario says
    monkeypatch.setattr(checks, "eligibility", lambda *a: [])
    capsys.readouterr()
    assert main(["run", "--no-contracts", str(path)]) == 0
    assert main(["run", str(path)]) == 1
    out = capsys.readouterr().out
    assert "contract R-ELIGIBLE" in out and "went to an account under 18" in out
