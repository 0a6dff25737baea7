"""Every reason code of machines/reasons.py is reachable: each test provokes exactly that code.

A refusal changes nothing in the World's domain state (shops, accounts, invitations, bindings,
tickets, timers); it is only logged, as a "refused" entry with its codes. (Screens may keep the
moves a tap path made before the refusal: that is what the user saw.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from bindsim import ManualClock, Reason, Refused, Ruleset, World
from bindsim.machines.reasons import REASONS
from bindsim.simulator.clock import DEFAULT_START as START

CJK = re.compile(r"[\u4e00-\u9fff]")
Provoke = Callable[[World], Callable[[], object]]


def _world(**overrides: object) -> World:
    world = World(clock=ManualClock(START), ruleset=Ruleset().with_overrides(overrides))
    world.add_shop("gb", region="GB", kind="open")
    world.add_shop("gbi", region="GB", kind="invited")
    for name in ("alice", "bob", "carol", "dave", "erin"):
        world.add_creator(name, country="GB", age=25)
    return world


def _bind(world: World, shop: str, creator: str, role: str = "official") -> None:
    world.invite(shop, creator, role=role)
    world.accept(creator, shop)


def _domain(world: World) -> dict[str, Any]:
    """The World's state without its log and screens."""
    return {k: v for k, v in world.to_dict().items() if k not in ("log", "logged", "screens")}


# Each entry: (ruleset overrides, set-up, the action that is refused with exactly that code).
def _account_abnormal(w: World) -> Callable[[], object]:
    w.set_creator("alice", status="abnormal")
    return lambda: w.invite("gb", "alice")


def _shop_abnormal(w: World) -> Callable[[], object]:
    w.set_shop("gb", status="abnormal")
    return lambda: w.invite("gb", "alice")


def _under_18(w: World) -> Callable[[], object]:
    w.add_creator("kid", country="GB", age=17)
    return lambda: w.invite("gb", "kid")


def _country_mismatch(w: World) -> Callable[[], object]:
    w.add_creator("pierre", country="FR", age=30)
    return lambda: w.invite("gb", "pierre")


def _network_region_mismatch(w: World) -> Callable[[], object]:
    w.invite("gb", "alice")
    w.set_creator("alice", network="FR")
    return lambda: w.accept("alice", "gb")


def _already_bound(w: World) -> Callable[[], object]:
    _bind(w, "gb", "alice")
    return lambda: w.invite("gbi", "alice", role="channel")


def _official_slot_taken(w: World) -> Callable[[], object]:
    _bind(w, "gb", "alice")
    return lambda: w.invite("gb", "bob")


def _channel_not_allowed(w: World) -> Callable[[], object]:
    return lambda: w.invite("gb", "alice", role="channel")


def _channel_slots_full(w: World) -> Callable[[], object]:
    for name in ("alice", "bob", "carol", "dave"):
        w.invite("gbi", name, role="channel")
    return lambda: w.invite("gbi", "erin", role="channel")


def _channel_bind_limit(w: World) -> Callable[[], object]:
    _bind(w, "gbi", "alice", "channel")
    _bind(w, "gbi", "bob", "channel")
    return lambda: w.invite("gbi", "carol", role="channel")


def _official_unbind_limit(w: World) -> Callable[[], object]:
    _bind(w, "gb", "alice")
    w.advance("24h")
    w.request_unlink("alice")
    w.approve_unlink("gb", "alice")
    _bind(w, "gb", "bob")
    w.advance("24h")
    return lambda: w.request_unlink("bob")


def _unbind_locked(w: World) -> Callable[[], object]:
    _bind(w, "gb", "alice")
    w.advance("23h59m59s")
    return lambda: w.request_unlink("alice")


def _invitation_pending(w: World) -> Callable[[], object]:
    w.invite("gbi", "alice", role="channel")
    return lambda: w.invite("gbi", "alice", role="channel")


def _invitation_expired(w: World) -> Callable[[], object]:
    w.invite("gb", "alice")
    w.advance("48h")
    return lambda: w.accept("alice", "gb")


def _home_region_mismatch(w: World) -> Callable[[], object]:
    # A-HOME-REGION: on Link info when the home region changes, the request itself is refused.
    _bind(w, "gb", "alice")
    w.advance("24h")
    for label in ("Showcase", "Enter", "Your Shop", "View link info"):
        w.tap("alice", label)
    w.set_creator("alice", home_region="FR")
    return lambda: w.tap("alice", "Send unlink request")


def _not_visible(w: World) -> Callable[[], object]:
    # R-UNLINK-PATH: "Your Shop" is not on the phone of an account bound to no shop.
    return lambda: w.tap("alice", "Your Shop")


REFUSALS: dict[Reason, tuple[dict[str, object], Provoke]] = {
    Reason.ACCOUNT_ABNORMAL: ({}, _account_abnormal),
    Reason.SHOP_ABNORMAL: ({}, _shop_abnormal),
    Reason.UNDER_18: ({}, _under_18),
    Reason.COUNTRY_MISMATCH: ({}, _country_mismatch),
    Reason.NETWORK_REGION_MISMATCH: ({}, _network_region_mismatch),
    Reason.HOME_REGION_MISMATCH: ({}, _home_region_mismatch),
    Reason.ALREADY_BOUND: ({}, _already_bound),
    Reason.OFFICIAL_SLOT_TAKEN: ({}, _official_slot_taken),
    Reason.CHANNEL_NOT_ALLOWED: ({}, _channel_not_allowed),
    Reason.CHANNEL_SLOTS_FULL: ({}, _channel_slots_full),
    Reason.CHANNEL_BIND_LIMIT: ({"channel_bind_limit": 2}, _channel_bind_limit),
    Reason.OFFICIAL_UNBIND_LIMIT: ({"official_unbind_limit": 1}, _official_unbind_limit),
    Reason.UNBIND_LOCKED: ({}, _unbind_locked),
    Reason.INVITATION_PENDING: ({}, _invitation_pending),
    Reason.INVITATION_EXPIRED: ({}, _invitation_expired),
    Reason.NOT_VISIBLE: ({}, _not_visible),
}

# R-STUCK: these codes are not refusals; they say why a binding hangs in "binding in progress".
STUCK: dict[Reason, dict[str, object]] = {
    Reason.REGISTRATION_REGION_MISMATCH: {"registration_country": "IE"},
    Reason.ECOMMERCE_PERMISSION_REVOKED: {"ecommerce_permission": False},
}


def test_every_reason_code_is_provoked_by_a_test() -> None:
    assert set(REFUSALS) | set(STUCK) == set(Reason)
    assert not set(REFUSALS) & set(STUCK)


@pytest.mark.parametrize("reason", list(REFUSALS), ids=str)
def test_reason_is_reachable_as_a_refusal_that_changes_nothing(reason: Reason) -> None:
    overrides, provoke = REFUSALS[reason]
    world = _world(**overrides)
    action = provoke(world)
    before, entries = _domain(world), len(world.log)
    with pytest.raises(Refused) as excinfo:
        action()
    assert excinfo.value.codes == (reason.value,)
    assert excinfo.value.reasons == (reason,)
    assert _domain(world) == before
    assert len(world.log) == entries + 1
    logged = world.log[-1]
    assert (logged.outcome, logged.reasons) == ("refused", (reason.value,))
    world.check_invariants()


@pytest.mark.parametrize("reason", list(STUCK), ids=str)
def test_reason_is_reachable_as_the_cause_of_a_stuck_binding(reason: Reason) -> None:
    """R-STUCK (a) and (b): the acceptance goes through; the binding hangs with that reason."""
    world = _world()
    world.set_creator("alice", **STUCK[reason])
    world.invite("gb", "alice")
    entry = world.accept("alice", "gb")
    assert (entry.outcome, entry.reasons) == ("ok", (reason.value,))
    binding = world.binding("gb", "alice")
    assert binding.state == "stuck"
    assert binding.reasons == (reason,)
    ticket = world.open_ticket("gb", "alice")
    assert ticket.causes == (reason,)


@pytest.mark.parametrize("reason", list(Reason), ids=str)
def test_every_reason_has_english_and_chinese_messages_and_its_rules(reason: Reason) -> None:
    info = reason.info
    assert info is REASONS[reason]
    assert info.message("en") and not CJK.search(info.message("en"))
    assert CJK.search(info.message("zh"))
    assert info.rules and all(re.fullmatch(r"[RA]-[A-Z0-9-]+", rule) for rule in info.rules)
    if info.remedy is not None:
        assert info.remedy("en") and not CJK.search(info.remedy("en"))
        assert CJK.search(info.remedy("zh"))


def test_a_refusal_message_lists_every_code_with_its_remedy_in_both_languages() -> None:
    world = _world()
    world.add_creator("kid", country="FR", age=16)
    with pytest.raises(Refused) as excinfo:
        world.invite("gb", "kid")
    refusal = excinfo.value
    assert refusal.codes == ("UNDER_18", "COUNTRY_MISMATCH")
    english, chinese = refusal.message("en"), refusal.message("zh")
    assert str(refusal) == english
    assert english.splitlines() == [
        "invite refused:",
        "  UNDER_18: the account's user is under 18 "
        "(open a support ticket: Seller Center → Help Center)",
        "  COUNTRY_MISMATCH: the account's country differs from the shop's "
        "(open a support ticket: Seller Center → Help Center)",
    ]
    assert chinese.splitlines()[0] == "invite 被拒绝:"
    assert "TikTok 账号未满 18 岁" in chinese and "账号所在国家与店铺所在国家不一致" in chinese
