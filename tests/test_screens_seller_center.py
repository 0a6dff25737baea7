"""R-SELLER-NAV, R-UNLINK-APPROVE, R-REBIND, R-TICKET in Seller Center, click by click: every page
and transition of SellerCenter, refusals with every reason on the page, the shortcuts as the path.

The transitions under test are read from the machine class (`SellerCenter.states_map`), so a
transition added to the class becomes a test case here, and fails until a click path reaches it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable

import pytest
from screen_paths import Transition, moves, path_to, taken, transitions, without_log

from bindsim import (
    InvalidAction,
    InvalidArgument,
    ManualClock,
    NotVisible,
    Refused,
    Ruleset,
    UnknownId,
    World,
)
from bindsim.machines import SellerCenter
from bindsim.machines.spec import spec_of
from bindsim.simulator.clock import DEFAULT_START as START

INVITE_OFFICIAL = ["My Account", "Bind TikTok account", "Bind official account"]
INVITE_CHANNEL = ["My Account", "Bind TikTok account", "Channel account"]


def _label(event: str) -> str:
    return spec_of(SellerCenter).edges[event].label.en


def _world(kind: str = "invited", ruleset: Ruleset | None = None) -> World:
    """Shop gb; alice and bob are eligible; kid is not (abnormal, 15, a US account)."""
    world = World(clock=ManualClock(START), ruleset=ruleset)
    world.add_shop("gb", region="GB", kind=kind)
    world.add_creator("alice", country="GB", age=24)
    world.add_creator("bob", country="GB", age=31)
    world.add_creator("kid", country="US", age=15, status="abnormal")
    return world


def _bind(world: World, creator: str, role: str = "official", shop: str = "gb") -> None:
    world.invite(shop, creator, role=role)
    world.accept(creator, shop)


def _with_unlink_request(kind: str = "invited", role: str = "channel") -> World:
    """alice, bound 24h, has sent her unlink request; Seller Center is back on its home page.

    As a channel creator of the invite-only shop she leaves the official slot free for bob."""
    world = _world(kind)
    _bind(world, "alice", role)
    world.advance("24h")
    world.request_unlink("alice")
    world.click("gb", "Home")
    return world


def _click_path(world: World, labels: list[str], account: str | None = None) -> None:
    for label in labels:
        world.click("gb", label, account=account if label == "Send invitation" else None)


def _send_invitation(world: World, path: list[str], account: str) -> Refused | None:
    """Walk from the home page to a guide and send: None, or the refusal the page shows."""
    if world.screen("gb").id != "home":
        world.click("gb", "Home")
    _click_path(world, path)
    try:
        world.click("gb", "Send invitation", account=account)
    except Refused as refused:
        return refused
    return None


# ------------------------------------------------------- pages and transitions

CENTER_TRANSITIONS = transitions(SellerCenter)


def _account_for(event: str, target: str) -> str | None:
    """What the merchant types: an eligible account to get through, an ineligible one to be
    refused, the account a ticket is about."""
    if event == "click_send_invitation":
        return "bob" if target == "invitation_sent" else "kid"
    if event == "click_open_ticket":
        return "kid"
    return None


def test_seller_center_declares_the_seed_navigation_and_a_way_home_from_every_page() -> None:
    """R-SELLER-NAV: home → My Account → Bind TikTok account → official | channel → guide."""
    path = [_label(e) for _, e, _ in path_to(SellerCenter, "bind_official")]
    assert path == INVITE_OFFICIAL
    assert [_label(e) for _, e, _ in path_to(SellerCenter, "bind_channel")] == INVITE_CHANNEL
    pages = set(SellerCenter.states_map) - {"home"}
    assert {s for s, e, _ in CENTER_TRANSITIONS if e == "click_home"} == pages
    assert {s for s, e, _ in CENTER_TRANSITIONS if e == "click_back"} == pages
    assert {t for s, e, t in CENTER_TRANSITIONS if e == "click_home"} == {"home"}


@pytest.mark.parametrize("transition", CENTER_TRANSITIONS, ids="-".join)
def test_every_seller_center_transition_is_taken_by_clicking_its_label(
    transition: Transition,
) -> None:
    """Each (page, label, next page) of the class is reached by clicks and logged as taken."""
    world = _with_unlink_request()
    for source, event, target in [*path_to(SellerCenter, transition[0]), transition]:
        page = world.screen("gb")
        assert page.id == source
        assert _label(event) in page.visible
        try:
            world.click("gb", _label(event), account=_account_for(event, target))
        except Refused:
            assert target == "invitation_refused"  # the one page a refusal leads to
        assert world.screen("gb").id == target
    assert transition in taken(world, "SellerCenter")


@pytest.mark.parametrize("page", list(SellerCenter.states_map))
def test_every_seller_center_page_shows_exactly_the_labels_that_leave_it(page: str) -> None:
    """With an unlink request waiting nothing is hidden: the labels are the transitions."""
    world = _with_unlink_request()
    for _, event, target in path_to(SellerCenter, page):
        with contextlib.suppress(Refused):  # the refusal page is reached by a refused click
            world.click("gb", _label(event), account=_account_for(event, target))
    shown = world.screen("gb")
    assert shown.id == page
    assert set(shown.visible) == {_label(e) for s, e, _ in CENTER_TRANSITIONS if s == page}
    assert shown.hidden == {}
    assert shown.title == spec_of(SellerCenter).nodes[page].label.en


# ----------------------------------------------------- invitations refused


def _official_slot_taken(world: World) -> None:
    _bind(world, "alice")


def _already_bound_elsewhere(world: World) -> None:
    world.add_shop("gb2", region="GB")
    _bind(world, "bob", shop="gb2")


def _invitation_pending(world: World) -> None:
    world.invite("gb", "bob", role="channel")


def _channel_slots_full(world: World) -> None:
    for name in ("c1", "c2", "c3", "c4"):
        world.add_creator(name, country="GB", age=20)
        world.invite("gb", name, role="channel")


def _channel_bind_limit(world: World) -> None:
    _bind(world, "alice", role="channel")  # the shop's one channel binding in 180 days


def _everything_wrong(world: World) -> None:
    _bind(world, "alice")
    world.add_shop("fr", region="FR")
    world.add_creator("mallory", country="FR", age=30)
    _bind(world, "mallory", shop="fr")
    world.set_creator("mallory", status="abnormal", age=16)
    world.set_shop("gb", status="abnormal")


REFUSALS: list[tuple[str, str, Callable[[World], None], list[str], str, list[str]]] = [
    # (id, shop kind, arrange, guide path, account, reasons in the order the page lists them)
    (
        "ineligible",
        "open",
        lambda w: None,
        INVITE_OFFICIAL,
        "kid",
        ["ACCOUNT_ABNORMAL", "UNDER_18", "COUNTRY_MISMATCH"],
    ),
    (
        "official-slot",
        "open",
        _official_slot_taken,
        INVITE_OFFICIAL,
        "bob",
        ["OFFICIAL_SLOT_TAKEN"],
    ),
    ("open-shop-channel", "open", lambda w: None, INVITE_CHANNEL, "bob", ["CHANNEL_NOT_ALLOWED"]),
    (
        "bound-elsewhere",
        "open",
        _already_bound_elsewhere,
        INVITE_OFFICIAL,
        "bob",
        ["ALREADY_BOUND"],
    ),
    (
        "pending",
        "invited",
        _invitation_pending,
        INVITE_CHANNEL,
        "bob",
        ["INVITATION_PENDING"],
    ),
    (
        "channel-slots",
        "invited",
        _channel_slots_full,
        INVITE_CHANNEL,
        "bob",
        ["CHANNEL_SLOTS_FULL"],
    ),
    (
        "channel-limit",
        "invited",
        _channel_bind_limit,
        INVITE_CHANNEL,
        "bob",
        ["CHANNEL_BIND_LIMIT"],
    ),
    (
        "everything",
        "open",
        _everything_wrong,
        INVITE_OFFICIAL,
        "mallory",
        [
            "ACCOUNT_ABNORMAL",
            "SHOP_ABNORMAL",
            "UNDER_18",
            "COUNTRY_MISMATCH",
            "ALREADY_BOUND",
            "OFFICIAL_SLOT_TAKEN",
        ],
    ),
]


@pytest.mark.parametrize(
    ("kind", "arrange", "path", "account", "reasons"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_send_invitation_refused_lists_every_reason_on_the_refusal_page(
    kind: str,
    arrange: Callable[[World], None],
    path: list[str],
    account: str,
    reasons: list[str],
) -> None:
    """R-ELIGIBLE, slots and limits: the page lists every reason, as the refusal and the log do."""
    world = _world(kind, Ruleset(channel_bind_limit=1))
    arrange(world)
    refused = _send_invitation(world, path, account)
    assert refused is not None
    shown = world.screen("gb")
    assert shown.id == "invitation_refused"
    assert shown.info["reasons"] == reasons
    assert list(refused.codes) == reasons
    entry = world.log[-1]
    assert (entry.action, entry.outcome, list(entry.reasons)) == ("click", "refused", reasons)
    assert [c.event for c in entry.changes] == ["click_send_invitation"]  # no Invitation made
    assert "Help Center" in shown.visible


def test_a_refused_invitation_leads_through_help_center_to_a_ticket_about_the_account() -> None:
    """R-TICKET: from the refusal page, Help Center → Open ticket; support gets every cause."""
    world = _world()
    assert _send_invitation(world, INVITE_OFFICIAL, "kid") is not None
    world.click("gb", "Help Center")
    assert world.screen("gb").id == "help_center"
    entry = world.click("gb", "Open ticket", account="kid")
    assert world.screen("gb").id == "ticket_opened"
    [ticket] = world.tickets.values()
    assert (ticket.shop, ticket.creator, ticket.state) == ("gb", "kid", "open")
    assert set(ticket.causes) >= {"ACCOUNT_ABNORMAL", "UNDER_18", "COUNTRY_MISMATCH"}
    assert [c.machine for c in entry.changes] == ["SupportTicket", "SellerCenter"]


def test_an_invitation_that_goes_through_lands_on_invitation_sent() -> None:
    """R-INVITE-48H: the page says 48h; the invitation is pending."""
    world = _world()
    assert _send_invitation(world, INVITE_OFFICIAL, "bob") is None
    assert world.screen("gb").id == "invitation_sent"
    assert "48h" in world.screen("gb").title
    assert world.invitation("gb", "bob").state == "pending"


def test_send_invitation_needs_the_account_typed_into_the_guide() -> None:
    world = _world()
    _click_path(world, INVITE_OFFICIAL)
    with pytest.raises(InvalidArgument, match="needs the TikTok account"):
        world.click("gb", "Send invitation")
    assert world.screen("gb").id == "bind_official"
    assert world.invitations == {}


# ------------------------------------------- unlink requests: details, agree


def test_view_details_is_shown_only_while_an_unlink_request_is_waiting() -> None:
    """R-UNLINK-APPROVE: the notification's "View details" exists only once a request arrived."""
    world = _world()
    _bind(world, "alice")
    world.advance("24h")
    world.click("gb", "Home")
    shown = world.screen("gb")
    assert "View details" not in shown.visible
    assert shown.hidden == {"View details": ()}
    assert "unlink_requests" not in shown.info
    with pytest.raises(NotVisible, match="'Home' is not on screen 'home'"):
        world.click("gb", "Home")
    with pytest.raises(NotVisible) as hidden:
        world.click("gb", "View details")
    assert hidden.value.codes == ("NOT_VISIBLE",)
    assert hidden.value.screen == "home"
    assert "Visible: 'My Account', 'Help Center'" in str(hidden.value)

    world.request_unlink("alice")
    shown = world.screen("gb")
    assert "View details" in shown.visible and shown.info["unlink_requests"] == 1
    world.click("gb", "View details")
    assert world.screen("gb").info["account"] == "alice"
    world.click("gb", "Agree")
    shown = world.screen("gb")
    assert (shown.id, "View details" in shown.visible) == ("home", False)


def test_with_two_requests_view_details_asks_whose_and_shows_that_account() -> None:
    world = _world()
    _bind(world, "alice")
    _bind(world, "bob", role="channel")
    world.advance("24h")
    world.request_unlink("alice")
    world.request_unlink("bob")
    world.click("gb", "Home")
    assert world.screen("gb").info["unlink_requests"] == 2
    with pytest.raises(InvalidArgument, match="alice, bob"):
        world.click("gb", "View details")
    with pytest.raises(InvalidAction, match="no unlink request from kid"):
        world.click("gb", "View details", account="kid")
    world.click("gb", "View details", account="bob")
    assert world.screen("gb").info["account"] == "bob"
    world.click("gb", "Agree")
    assert (world.bound_shop("bob"), world.bound_shop("alice")) == (None, "gb")
    assert world.official_unbinds_left("gb") == 3  # A-CHANNEL-UNLINK: bob was a channel creator


def test_leaving_the_details_page_forgets_whose_request_was_shown() -> None:
    world = _with_unlink_request()
    world.click("gb", "View details")
    world.click("gb", "Back")
    assert "account" not in world.screen("gb").info
    assert world.bound_shop("alice") == "gb"


def test_after_agree_bind_tiktok_account_offers_the_official_slot_again() -> None:
    """R-UNLINK-APPROVE, R-REBIND, R-RELEASE: refused while alice holds the slot, sent after."""
    world = _with_unlink_request(kind="open", role="official")
    refused = _send_invitation(world, INVITE_OFFICIAL, "bob")
    assert refused is not None and refused.codes == ("OFFICIAL_SLOT_TAKEN",)
    world.click("gb", "Home")
    world.click("gb", "View details")
    world.click("gb", "Agree")
    assert (world.screen("gb").id, world.official("gb")) == ("home", None)
    assert _send_invitation(world, INVITE_OFFICIAL, "bob") is None
    assert world.screen("gb").id == "invitation_sent"
    world.accept("bob", "gb")
    assert world.official("gb") == "bob"
    assert world.official_unbinds_left("gb") == 2


def test_decline_keeps_the_binding_and_takes_the_notification_away() -> None:
    """A-DECLINE: the merchant may say no; alice stays bound."""
    world = _with_unlink_request()
    world.click("gb", "View details")
    world.click("gb", "Decline")
    shown = world.screen("gb")
    assert (shown.id, "View details" in shown.visible) == ("home", False)
    assert world.bound_shop("alice") == "gb"
    assert world.official_unbinds_left("gb") == 3


# -------------------------------------------------- the shortcuts are the path


@pytest.mark.parametrize("role", ["official", "channel"])
def test_invite_is_the_clicks_of_the_bind_guide(role: str) -> None:
    """One implementation: invite() and the clicks make the same moves and the same World."""
    by_shortcut, by_clicks = _world(), _world()
    entry = by_shortcut.invite("gb", "bob", role=role)
    _click_path(by_clicks, INVITE_OFFICIAL if role == "official" else INVITE_CHANNEL)
    by_clicks.click("gb", "Send invitation", account="bob")
    assert moves([entry]) == moves(by_clicks.log)
    assert without_log(by_shortcut) == without_log(by_clicks)
    assert by_shortcut.screen("gb").id == "invitation_sent"
    assert [c.machine for c in entry.changes][-1] == "Invitation"


def test_a_refused_invite_leaves_seller_center_on_the_refusal_page() -> None:
    world = _world()
    with pytest.raises(Refused) as refused:
        world.invite("gb", "kid")
    assert world.screen("gb").id == "invitation_refused"
    assert world.screen("gb").info["reasons"] == list(refused.value.codes)
    assert world.log[-1].action == "invite" and world.log[-1].outcome == "refused"


def test_approve_unlink_is_view_details_then_agree_and_ends_on_home() -> None:
    """R-UNLINK-APPROVE: the shortcut's log entry carries the page moves and the unbinding."""
    by_shortcut, by_clicks = _with_unlink_request(), _with_unlink_request()
    before = len(by_clicks.log)
    entry = by_shortcut.approve_unlink("gb", "alice")
    by_clicks.click("gb", "View details", account="alice")
    by_clicks.click("gb", "Agree")
    assert moves([entry]) == moves(by_clicks.log[before:])
    assert without_log(by_shortcut) == without_log(by_clicks)
    assert by_shortcut.screen("gb").id == "home"
    assert [(c.machine, c.event) for c in entry.changes] == [
        ("SellerCenter", "click_view_details"),
        ("Binding", "approve_unlink"),
        ("SellerCenter", "click_agree"),
        ("CreatorApp", "unlink_approved"),  # the creator's phone leaves "request sent"
    ]


def test_approve_unlink_from_another_page_first_goes_home() -> None:
    world = _with_unlink_request()
    world.click("gb", "Help Center")
    entry = world.approve_unlink("gb", "alice")
    assert [c.event for c in entry.changes if c.machine == "SellerCenter"] == [
        "click_home",
        "click_view_details",
        "click_agree",
    ]
    assert world.screen("gb").id == "home"


def test_decline_unlink_and_open_ticket_walk_their_pages() -> None:
    world = _with_unlink_request()
    entry = world.decline_unlink("gb", "alice")
    assert [c.event for c in entry.changes if c.machine == "SellerCenter"] == [
        "click_view_details",
        "click_decline",
    ]
    assert world.screen("gb").id == "home"
    ticket = world.open_ticket("gb", "kid")
    assert world.screen("gb").id == "ticket_opened"
    assert world.log[-1].subject["ticket"] == ticket.id


# --------------------------------------------------------------- bad input


def test_an_unknown_label_raises_invalid_argument_listing_every_seller_center_label() -> None:
    world = _world()
    with pytest.raises(InvalidArgument) as bad:
        world.click("gb", "Unbind")
    message = str(bad.value)
    assert "'Unbind'" in message
    for label in SellerCenter.labels():
        assert label in message
    assert world.log == [] and world.screen("gb").id == "home"


def test_an_unknown_shop_or_typed_account_raises_unknown_id() -> None:
    world = _world()
    with pytest.raises(UnknownId, match="unknown shop 'zz'; known shops: gb"):
        world.click("zz", "My Account")
    with pytest.raises(UnknownId, match="unknown creator or shop 'zz'"):
        world.screen("zz")
    _click_path(world, INVITE_OFFICIAL)
    with pytest.raises(UnknownId, match="unknown creator 'zed'"):
        world.click("gb", "Send invitation", account="zed")
    assert world.screen("gb").id == "bind_official"


def test_chinese_labels_click_the_same_path_as_the_english_ones() -> None:
    """R-SELLER-NAV in the seed's words: 我的账号 → 绑定 TikTok 账号 → 绑定官方经营账号 → 发送邀请;
    then 查看细节 → 同意 for R-UNLINK-APPROVE."""
    english, chinese = _with_unlink_request(), _with_unlink_request()
    before = len(chinese.log)
    for label, zh in [
        ("View details", "查看细节"),
        ("Agree", "同意"),
        ("My Account", "我的账号"),
        ("Bind TikTok account", "绑定 TikTok 账号"),
        ("Bind official account", "绑定官方经营账号"),
        ("Send invitation", "发送邀请"),
        ("Back", "返回"),
        ("Home", "首页"),
    ]:
        account = "bob" if label == "Send invitation" else None
        english.click("gb", label, account=account)
        chinese.click("gb", zh, account=account)
    assert moves(chinese.log[before:]) == moves(english.log[before:])
    assert without_log(chinese) == without_log(english)
    assert chinese.screen("gb") == english.screen("gb")


# ------------------------------------------------------------------ snapshots


def test_a_snapshot_restores_every_screen_with_the_same_visible_labels() -> None:
    """world.to_dict() → JSON → World.from_dict: same pages, labels, reasons; the walk goes on."""
    world = _with_unlink_request()
    world.add_shop("us", region="US")
    world.add_creator("dave", country="GB", age=40)
    _bind(world, "dave", role="channel")
    with pytest.raises(Refused):
        world.request_unlink("dave")  # R-LOCK-24H: dave's app waits on Link info
    world.click("gb", "Home")
    world.click("gb", "View details", account="alice")
    with pytest.raises(Refused):
        world.invite("us", "kid")
    owners = ["alice", "dave", "gb", "us"]
    restored = World.from_dict(json.loads(json.dumps(world.to_dict())))
    for owner in owners:
        assert restored.screen(owner) == world.screen(owner)
    assert [restored.screen(o).id for o in owners] == [
        "request_sent",
        "link_info",
        "unlink_details",
        "invitation_refused",
    ]
    restored.click("gb", "Agree")  # the details page still knows whose request it shows
    assert restored.bound_shop("alice") is None
    restored.advance("24h")
    restored.tap("dave", "Send unlink request")
    assert restored.screen("dave").id == "request_sent"
