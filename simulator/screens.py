"""The two user interfaces, label by label: the creator's app and the merchant's Seller Center.

The World's shortcuts (`invite`, `request_unlink`, `approve_unlink` ...) walk these same paths: one
implementation per concept. Visibility comes from the screen machines' own guards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from bindsim.machines import CreatorApp, Reason, ScreenFacts, ScreenMachine, SellerCenter
from bindsim.simulator import checks
from bindsim.simulator.entities import Creator, Screen, ScreenRecord, Shop
from bindsim.simulator.errors import InvalidAction, InvalidArgument, NotVisible, UnknownId

if TYPE_CHECKING:
    from bindsim.simulator.world import World

# R-UNLINK-PATH, steps 3–6 of the seed.
UNLINK_PATH: tuple[str, ...] = (
    "Showcase",
    "Enter",
    "Your Shop",
    "View link info",
    "Send unlink request",
)


def label_event(machine: type[ScreenMachine], label: str) -> str:
    """The event of a label, or a clear error listing the labels that exist."""
    event = machine.label_event(label) if isinstance(label, str) else None
    if event is None:
        raise InvalidArgument(
            f"no screen of the {machine.screens} has a label {label!r}; "
            f"labels: {', '.join(machine.labels())}"
        )
    return event


# ------------------------------------------------------------------ the app


def app(world: World, creator: Creator, keep: bool = True) -> ScreenRecord:
    """The phone's app, opened on first use (an idle account holds no app machine).

    With keep=False an app never used is shown fresh and not kept: looking changes nothing.
    """
    record = world.screens.get(f"app:{creator.id}")
    if record is None:
        record = ScreenRecord(f"app:{creator.id}", None, creator.id, CreatorApp())
        if keep:
            world.screens[record.id] = record
    return record


def app_facts(world: World, creator: Creator) -> ScreenFacts:
    binding = creator.active
    bound = binding is not None and binding.state == "bound"
    region = world.shops[binding.shop].region if binding is not None and bound else creator.country
    return ScreenFacts(
        network_ok=creator.network == region,  # R-UNLINK-PATH step 2
        bound=bound,
        unlink_requested=bound and binding is not None and "unlink_requested" in binding.states,
    )


def tap(world: World, creator: Creator, label: str, now: datetime) -> None:
    """Tap a label on the phone. "Send unlink request" is where R-LOCK-24H and R-OFFICIAL-UNBIND-3
    refuse; the app stays on Link info then."""
    event = label_event(CreatorApp, label)
    record = app(world, creator)
    facts = app_facts(world, creator)
    _require_visible(record, event, label, facts)
    if event == "tap_send_unlink_request":
        binding = creator.active
        assert binding is not None  # the label is visible only while bound
        world._request_unlink_op(creator, binding, now)
    world._send(record, event, facts=facts)


def request_unlink(world: World, creator: Creator, now: datetime) -> None:
    """The whole creator-side path: back to the profile, then Showcase → … → Send unlink request."""
    record = app(world, creator)
    while record.state != "profile":
        world._send(record, "tap_back")
    for label in UNLINK_PATH:
        tap(world, creator, label, now)


# ------------------------------------------------------- the Seller Center


def center(world: World, shop: Shop, keep: bool = True) -> ScreenRecord:
    """The shop's Seller Center, opened on first use (keep=False: as for `app`)."""
    record = world.screens.get(f"center:{shop.id}")
    if record is None:
        record = ScreenRecord(f"center:{shop.id}", shop.id, None, SellerCenter())
        if keep:
            world.screens[record.id] = record
    return record


def center_facts(shop: Shop) -> ScreenFacts:
    requests = sum(1 for b in shop.active.values() if "unlink_requested" in b.states)
    return ScreenFacts(unlink_requests=requests)


def unlink_requesters(shop: Shop) -> list[str]:
    return [c for c, b in shop.active.items() if "unlink_requested" in b.states]


def click(world: World, shop: Shop, label: str, account: str | None, now: datetime) -> object:
    """Click a label in Seller Center; `account` is the TikTok account typed into the guide or
    ticket form, or whose unlink request to view. Returns what the click made, if anything."""
    event = label_event(SellerCenter, label)
    record = center(world, shop)
    facts = center_facts(shop)
    _require_visible(record, event, label, facts, shop.region)
    made: object = None
    if event == "click_send_invitation":
        creator = _typed_account(world, account, label)
        role = "official" if record.state == "bind_official" else "channel"
        reasons = checks.invite_reasons(shop, creator, role, now, world.rules)
        record.refusal = tuple(sorted(set(reasons), key=list(Reason).index))  # as Refused lists
        world._send(record, event, facts=facts, blockers=reasons)
        made = world._invite_op(shop, creator, role, now, reasons)
        return made
    if event == "click_open_ticket":
        made = world._open_ticket_op(shop, _typed_account(world, account, label), now)
    elif event == "click_view_details":
        requesters = unlink_requesters(shop)
        if account is None and len(requesters) > 1:
            raise InvalidArgument(
                f"{shop.id} has unlink requests from {', '.join(requesters)}: "
                "say whose details to view with account=..."
            )
        viewing = account if account is not None else requesters[0]
        if viewing not in requesters:
            raise InvalidAction(
                f"{shop.id} has no unlink request from {viewing}; "
                f"requests from: {', '.join(requesters)}"
            )
        record.viewing = viewing
    elif event in ("click_agree", "click_decline"):
        assert record.viewing is not None  # unlink_details is reached through View details only
        if account is not None and account != record.viewing:
            raise InvalidAction(
                f"the details open are {record.viewing}'s unlink request, not {account}'s: "
                f"click View details with account={account} first"
            )
        if event == "click_decline":
            world._check_decline_allowed()  # A-DECLINE
        binding = shop.active.get(record.viewing)
        if binding is None or "unlink_requested" not in binding.states:
            raise InvalidAction(f"the unlink request from {record.viewing} is no longer open")
        if event == "click_agree":
            world._approve_unlink_op(shop, binding, now)
        else:
            world._decline_unlink_op(binding)
        record.viewing = None
    world._send(record, event, facts=facts)
    return made


def walk_center(
    world: World, shop: Shop, labels: Sequence[str], account: str | None, now: datetime
) -> object:
    """A Seller Center path from the home page; returns what the last click made."""
    record = center(world, shop)
    if record.state != "home":
        world._send(record, "click_home")
    made: object = None
    for label in labels:
        made = click(world, shop, label, account, now)
    return made


def _typed_account(world: World, account: str | None, label: str) -> Creator:
    if account is None:
        raise InvalidArgument(f"{label!r} needs the TikTok account: pass account=...")
    try:
        return world.creators[account]
    except KeyError:
        raise UnknownId("creator", account, world.creators) from None


# ------------------------------------------------------------------ shared


@cache
def _always_visible(machine: type[ScreenMachine]) -> frozenset[tuple[str, str]]:
    """(screen, event) pairs with an unguarded transition: visible whatever the facts."""
    return frozenset(
        (state.id, str(event))
        for state in machine.states
        for transition in state.transitions
        if not any(True for _ in transition.cond)
        for event in transition.events
    )


def _require_visible(
    record: ScreenRecord, event: str, label: str, facts: ScreenFacts, region: str | None = None
) -> None:
    # Most labels have no guard: skip evaluating every guard of the screen (benchmarks/README.md).
    if (record.state, event) in _always_visible(type(record.machine)):
        return
    visible = {e.id for e in record.machine.enabled_events(facts=facts)}
    if event in visible:
        return
    shown = view(record, facts, region)
    why = shown.hidden.get(label) if label in shown.hidden else None
    owner = record.creator or record.shop or record.id
    verb = "tap" if record.creator is not None else "click"
    raise NotVisible(owner, label, shown.id, shown.visible, Reason(why) if why else None, verb)


def view(record: ScreenRecord, facts: ScreenFacts, region: str | None = None) -> Screen:
    """The screen as the user sees it: labels in the order the machine declares them."""
    machine = record.machine
    edges = type(machine).edges
    enabled = {e.id for e in machine.enabled_events(facts=facts)}
    allowed = [e.id for e in machine.allowed_events]
    node = type(machine).nodes[machine.outer_state]
    info: dict[str, object] = {}
    if record.refusal and machine.outer_state == "invitation_refused":
        info["reasons"] = [r.value for r in record.refusal]
    if record.viewing is not None and machine.outer_state == "unlink_details":
        info["account"] = record.viewing  # not after Back/Home, where `viewing` is stale
    if region is not None and machine.outer_state == "home":
        info["url"] = f"/homepage?shop_region={region}"  # R-SELLER-NAV step 1
    if facts.unlink_requests:
        info["unlink_requests"] = facts.unlink_requests
    return Screen(
        owner=record.creator or record.shop or record.id,
        id=machine.outer_state,
        title=node.label.en,
        title_zh=node.label.zh,
        visible=tuple(edges[e].label.en for e in edges if e in enabled),
        hidden={edges[e].label.en: edges[e].hidden_reason for e in allowed if e not in enabled},
        info=info,
    )
