"""R-UNLINK-PATH on the phone, tap by tap: every screen and transition of CreatorApp, each
refusal on the screen where the creator meets it, and `request_unlink` as the same path.

The transitions under test are read from the machine class (`CreatorApp.states_map`), so a
transition added to the class becomes a test case here, and fails until a tap path reaches it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from screen_paths import Transition, followers, moves, path_to, taken, transitions, without_log

from bindsim import InvalidArgument, ManualClock, NotVisible, Refused, UnknownId, World
from bindsim.machines import CreatorApp
from bindsim.machines.spec import spec_of
from bindsim.simulator.clock import DEFAULT_START as START
from bindsim.simulator.screens import UNLINK_PATH


def _label(event: str) -> str:
    return spec_of(CreatorApp).edges[event].label.en


def _world() -> World:
    world = World(clock=ManualClock(START))
    world.add_shop("gb", region="GB", kind="invited")
    world.add_creator("alice", country="GB", age=24)
    return world


def _bound(world: World, creator: str = "alice", role: str = "official") -> World:
    world.invite("gb", creator, role=role)
    world.accept(creator, "gb")
    return world


def _unlockable(world: World, creator: str = "alice", role: str = "official") -> World:
    """Bound for 24h (R-LOCK-24H over): every label of the unlink path is shown."""
    _bound(world, creator, role)
    world.advance("24h")
    return world


def _tap_to(world: World, screen: str, creator: str = "alice") -> None:
    """From wherever the app is: Back to the profile, then the shortest tap path to `screen`."""
    while world.screen(creator).id != "profile":
        world.tap(creator, "Back")
    for _, event, _ in path_to(CreatorApp, screen):
        world.tap(creator, _label(event))
    assert world.screen(creator).id == screen


def _unbind(world: World, creator: str = "alice", role: str = "official") -> None:
    """One full cycle: bind, wait out the lock, request on the phone, agree in Seller Center."""
    _unlockable(world, creator, role)
    world.request_unlink(creator)
    world.approve_unlink("gb", creator)


# ------------------------------------------------------- screens and transitions

APP_TRANSITIONS = transitions(CreatorApp)


def test_the_app_declares_the_seed_unlink_path_and_back_on_every_screen() -> None:
    """R-UNLINK-PATH: the forward transitions are the seed's steps 3–6; Back leaves every screen
    but the profile."""
    forward = [(s, _label(e), t) for s, e, t in APP_TRANSITIONS if e != "tap_back"]
    assert forward == [
        ("profile", "Showcase", "showcase_menu"),
        ("showcase_menu", "Enter", "showcase"),
        ("showcase", "Your Shop", "your_shop"),
        ("your_shop", "View link info", "link_info"),
        ("link_info", "Send unlink request", "request_sent"),
    ]
    assert [label for _, label, _ in forward] == list(UNLINK_PATH)
    with_back = {s for s, e, _ in APP_TRANSITIONS if e == "tap_back"}
    assert with_back == set(CreatorApp.states_map) - {"profile"}


@pytest.mark.parametrize("transition", APP_TRANSITIONS, ids="-".join)
def test_every_app_transition_is_taken_by_tapping_its_label(transition: Transition) -> None:
    """Each (screen, label, next screen) of the class is reached by taps and logged as taken."""
    world = _unlockable(_world())
    for source, event, target in [*path_to(CreatorApp, transition[0]), transition]:
        screen = world.screen("alice")
        assert screen.id == source
        assert _label(event) in screen.visible
        world.tap("alice", _label(event))
        assert world.screen("alice").id == target
    assert transition in taken(world, "CreatorApp")


@pytest.mark.parametrize("screen", list(CreatorApp.states_map))
def test_every_app_screen_shows_exactly_the_labels_that_leave_it(screen: str) -> None:
    """With the account bound and unlockable nothing is hidden: the labels are the transitions."""
    world = _unlockable(_world())
    _tap_to(world, screen)
    leaving = {_label(e) for s, e, _ in APP_TRANSITIONS if s == screen}
    shown = world.screen("alice")
    assert set(shown.visible) == leaving
    assert shown.hidden == {}
    assert shown.title == spec_of(CreatorApp).nodes[screen].label.en


# ----------------------------------------------------------------- refusals


def test_send_unlink_request_within_24h_is_refused_and_the_app_stays_on_link_info() -> None:
    """R-LOCK-24H is met on Link info: the label is there, tapping it is refused."""
    world = _bound(_world())
    _tap_to(world, "link_info")
    assert "Send unlink request" in world.screen("alice").visible
    with pytest.raises(Refused) as refused:
        world.tap("alice", "Send unlink request")
    assert refused.value.codes == ("UNBIND_LOCKED",)
    assert world.screen("alice").id == "link_info"
    assert world.binding("gb", "alice").states == {"bound", "locked"}
    entry = world.log[-1]
    assert (entry.action, entry.outcome, entry.reasons) == ("tap", "refused", ("UNBIND_LOCKED",))
    assert entry.changes == ()  # neither the app nor the binding moved


def test_send_unlink_request_after_three_official_unbinds_is_refused_on_link_info() -> None:
    """R-OFFICIAL-UNBIND-3, A-UNBIND-COUNT: the 4th official account cannot ask to leave."""
    world = _world()
    for _ in range(3):
        _unbind(world)
    assert world.official_unbinds_left("gb") == 0
    _unlockable(world)
    _tap_to(world, "link_info")
    with pytest.raises(Refused) as refused:
        world.tap("alice", "Send unlink request")
    assert refused.value.codes == ("OFFICIAL_UNBIND_LIMIT",)
    assert world.screen("alice").id == "link_info"
    assert world.bound_shop("alice") == "gb"


def test_an_unbound_account_has_no_your_shop_link_on_its_showcase() -> None:
    """R-UNLINK-PATH: "Your Shop" is simply not there (NOT_VISIBLE), named with what is shown."""
    world = _world()
    world.tap("alice", "Showcase")
    world.tap("alice", "Enter")
    shown = world.screen("alice")
    assert (shown.id, shown.visible, shown.hidden) == ("showcase", ("Back",), {"Your Shop": ()})
    with pytest.raises(NotVisible) as hidden:
        world.tap("alice", "Your Shop")
    assert hidden.value.codes == ("NOT_VISIBLE",)
    assert (hidden.value.screen, hidden.value.visible) == ("showcase", ("Back",))
    assert "'Your Shop' is not on screen 'showcase'" in str(hidden.value)
    assert world.screen("alice").id == "showcase"


def test_a_binding_stuck_in_progress_has_no_your_shop_link_either() -> None:
    """R-STUCK(a): "binding in progress" is not bound, so there is no link to leave through."""
    world = _world()
    world.set_creator("alice", registration_country="US")
    _bound(world)
    assert world.binding("gb", "alice").state == "stuck"
    world.tap("alice", "Showcase")
    world.tap("alice", "Enter")
    assert "Your Shop" not in world.screen("alice").visible
    with pytest.raises(NotVisible):
        world.tap("alice", "Your Shop")


def test_the_showcase_button_is_hidden_while_the_phone_is_on_a_foreign_network() -> None:
    """R-UNLINK-PATH step 2: NOT_VISIBLE, and why: NETWORK_REGION_MISMATCH."""
    world = _unlockable(_world())
    world.set_creator("alice", network="US")
    shown = world.screen("alice")
    assert (shown.id, shown.visible) == ("profile", ())
    assert shown.hidden == {"Showcase": ("NETWORK_REGION_MISMATCH",)}
    with pytest.raises(NotVisible) as hidden:
        world.tap("alice", "Showcase")
    assert set(hidden.value.codes) == {"NOT_VISIBLE", "NETWORK_REGION_MISMATCH"}
    assert hidden.value.screen == "profile"
    assert world.screen("alice").id == "profile"


def test_the_showcase_button_appears_and_disappears_as_the_phone_network_changes() -> None:
    """R-UNLINK-PATH: the button follows the network, compared with the bound shop's country."""
    world = _unlockable(_world())
    world.set_creator("alice", country="FR")  # moved abroad: the shop's country still decides
    seen = []
    for network in ("GB", "FR", "US", "GB"):
        world.set_creator("alice", network=network)
        seen.append("Showcase" in world.screen("alice").visible)
    assert seen == [True, False, False, True]
    world.tap("alice", "Showcase")
    assert world.screen("alice").id == "showcase_menu"


def test_an_unbound_phone_shows_the_showcase_button_on_the_network_of_its_own_country() -> None:
    world = _world()
    assert "Showcase" in world.screen("alice").visible
    world.set_creator("alice", network="US")
    assert world.screen("alice").hidden == {"Showcase": ("NETWORK_REGION_MISMATCH",)}


def test_leaving_the_shop_country_half_way_is_refused_when_sending_the_request() -> None:
    """R-UNLINK-PATH, R-FAIL(1): already on Link info, a foreign network still stops the request."""
    world = _unlockable(_world())
    _tap_to(world, "link_info")
    world.set_creator("alice", network="US")
    with pytest.raises(Refused) as refused:
        world.tap("alice", "Send unlink request")
    assert refused.value.codes == ("NETWORK_REGION_MISMATCH",)
    assert world.screen("alice").id == "link_info"


def test_send_unlink_request_is_gone_once_the_request_is_waiting_for_the_merchant() -> None:
    world = _unlockable(_world())
    _tap_to(world, "request_sent")
    world.tap("alice", "Back")
    assert world.screen("alice").visible == ("Back",)
    with pytest.raises(NotVisible):
        world.tap("alice", "Send unlink request")


def test_a_declined_request_can_be_sent_again_from_link_info() -> None:
    """A-DECLINE: the binding stays, and the label comes back."""
    world = _unlockable(_world())
    _tap_to(world, "request_sent")
    world.decline_unlink("gb", "alice")
    assert "Send unlink request" in world.screen("alice").visible
    world.tap("alice", "Send unlink request")
    assert world.screen("alice").id == "request_sent"


def test_after_the_merchant_agrees_the_link_is_gone_from_the_app() -> None:
    """R-UNLINK-APPROVE, R-RELEASE: the phone leaves "Unlink request sent" for the showcase,
    where "Your Shop" is no longer shown."""
    world = _unlockable(_world())
    _tap_to(world, "request_sent")
    entry = world.approve_unlink("gb", "alice")
    shown = world.screen("alice")
    assert (shown.id, shown.title, shown.title_zh) == ("showcase", "Showcase", "橱窗")
    assert (shown.visible, shown.hidden) == (("Back",), {"Your Shop": ()})
    [app] = [c for c in entry.changes if c.machine == "CreatorApp"]
    assert (app.event, app.before, app.after) == (
        "unlink_approved",
        ("request_sent",),
        ("showcase",),
    )
    assert entry.changes[-1] == app  # after the binding is unbound and the click moved on
    with pytest.raises(NotVisible):
        world.tap("alice", "Your Shop")


@pytest.mark.parametrize("screen", ["your_shop", "link_info", "request_sent"])
def test_after_agree_no_screen_of_the_app_still_shows_the_link(screen: str) -> None:
    """R-UNLINK-APPROVE: Your Shop and Link info describe a link too; wherever on them the
    creator waits (Back from "request sent"), the phone is on the showcase once it is gone."""
    world = _unlockable(_world())
    world.request_unlink("alice")
    while world.screen("alice").id != screen:
        world.tap("alice", "Back")
    world.approve_unlink("gb", "alice")
    assert world.screen("alice").id == "showcase"
    assert "unlink_approved" in {t[1] for t in taken(world, "CreatorApp")}


@pytest.mark.parametrize("screen", ["profile", "showcase_menu", "showcase"])
def test_after_agree_a_phone_away_from_the_link_stays_where_it_is(screen: str) -> None:
    world = _unlockable(_world())
    world.request_unlink("alice")
    _tap_to(world, screen)
    entry = world.approve_unlink("gb", "alice")
    assert world.screen("alice").id == screen
    assert not [c for c in entry.changes if c.machine == "CreatorApp"]


def test_after_decline_the_phone_is_back_on_link_info_with_the_request_to_send() -> None:
    """A-DECLINE: "Unlink request sent" is no longer true; Link info offers the request again."""
    world = _unlockable(_world())
    _tap_to(world, "request_sent")
    entry = world.decline_unlink("gb", "alice")
    shown = world.screen("alice")
    assert (shown.id, shown.title_zh) == ("link_info", "Link info 页面")
    assert shown.visible == ("Send unlink request", "Back")
    [app] = [c for c in entry.changes if c.machine == "CreatorApp"]
    assert (app.event, app.after) == ("unlink_declined", ("link_info",))
    assert world.binding("gb", "alice").states == {"bound", "unlockable"}


def test_after_decline_a_phone_on_link_info_stays_there() -> None:
    world = _unlockable(_world())
    world.request_unlink("alice")
    world.tap("alice", "Back")
    entry = world.decline_unlink("gb", "alice")
    assert world.screen("alice").id == "link_info"
    assert not [c for c in entry.changes if c.machine == "CreatorApp"]


def test_the_merchants_answer_clicked_in_chinese_moves_the_phone_the_same_way() -> None:
    """The Chinese labels 查看细节 → 同意 / 拒绝 answer as the English ones do; the phone's
    title reads in Chinese."""
    for answer, screen, title in (
        ("同意", "showcase", "橱窗"),
        ("拒绝", "link_info", "Link info 页面"),
    ):
        world = _unlockable(_world())
        _tap_to(world, "request_sent")
        world.click("gb", "首页")
        world.click("gb", "查看细节")
        world.click("gb", answer)
        assert (world.screen("alice").id, world.screen("alice").title_zh) == (screen, title)


def test_the_merchants_answer_is_no_label_of_the_app() -> None:
    """Edge.follows: the phone's move is the merchant's doing; nothing on the phone is tapped."""
    world = _unlockable(_world())
    _tap_to(world, "request_sent")
    for label in ("merchant agreed: link removed", "商家已同意:绑定已解除"):
        with pytest.raises(InvalidArgument, match="no screen of the app has a label"):
            world.tap("alice", label)
    assert "merchant agreed: link removed" not in CreatorApp.labels()
    assert [e for _, e, _ in followers(CreatorApp)] == [
        "unlink_approved",
        "unlink_approved",
        "unlink_approved",
        "unlink_declined",
    ]


# ---------------------------------------------------- the shortcut is the path


def test_request_unlink_is_the_five_taps_of_the_unlink_path() -> None:
    """One implementation: the shortcut and the taps make the same moves and the same World."""
    by_shortcut, by_taps = _unlockable(_world()), _unlockable(_world())
    before = len(by_taps.log)
    entry = by_shortcut.request_unlink("alice")
    for label in UNLINK_PATH:
        by_taps.tap("alice", label)
    assert moves([entry]) == moves(by_taps.log[before:])
    assert without_log(by_shortcut) == without_log(by_taps)
    assert by_shortcut.screen("alice").id == "request_sent"


def test_request_unlink_logs_the_app_moves_and_the_binding_change() -> None:
    world = _unlockable(_world())
    entry = world.request_unlink("alice")
    assert (entry.action, entry.outcome) == ("request_unlink", "ok")
    assert entry.subject == {"creator": "alice", "shop": "gb", "role": "official"}
    app_events = [c.event for c in entry.changes if c.machine == "CreatorApp"]
    assert app_events == [
        "tap_showcase",
        "tap_enter",
        "tap_your_shop",
        "tap_view_link_info",
        "tap_send_unlink_request",
    ]
    binding = [(c.event, c.after) for c in entry.changes if c.machine == "Binding"]
    assert binding == [("request_unlink", ("bound", "unlink_requested"))]


def test_request_unlink_from_a_deeper_screen_first_goes_back_to_the_profile() -> None:
    world = _unlockable(_world())
    _tap_to(world, "your_shop")
    entry = world.request_unlink("alice")
    events = [c.event for c in entry.changes if c.machine == "CreatorApp"]
    assert events[:3] == ["tap_back", "tap_back", "tap_showcase"]
    assert world.screen("alice").id == "request_sent"


@pytest.mark.parametrize(
    ("arrange", "codes", "path"),
    [
        (
            lambda w: _bound(w),
            {"UNBIND_LOCKED"},
            ["profile", "showcase_menu", "showcase", "your_shop", "link_info"],
        ),
        (lambda w: None, {"NOT_VISIBLE"}, ["profile", "showcase_menu", "showcase"]),
        (
            lambda w: (_unlockable(w), w.set_creator("alice", network="US")),
            {"NOT_VISIBLE", "NETWORK_REGION_MISMATCH"},
            ["profile"],
        ),
    ],
    ids=["locked", "unbound", "foreign-network"],
)
def test_a_refused_request_unlink_leaves_the_app_where_the_user_meets_the_refusal(
    arrange: Callable[[World], object], codes: set[str], path: list[str]
) -> None:
    """The shortcut stops on the screen where the taps would, and logs the moves that led there."""
    world = _world()
    arrange(world)
    with pytest.raises(Refused) as refused:
        world.request_unlink("alice")
    assert set(refused.value.codes) == codes
    assert world.screen("alice").id == path[-1]
    entry = world.log[-1]
    assert (entry.action, entry.outcome, set(entry.reasons)) == ("request_unlink", "refused", codes)
    moves = [c.after[0] for c in entry.changes if c.machine == "CreatorApp"]
    assert ["profile", *moves] == path
    assert all(c.machine == "CreatorApp" for c in entry.changes)  # only the screens moved


# ------------------------------------------------------- channel creators


def _channel_cycle(world: World, creator: str) -> None:
    _unlockable(world, creator, role="channel")
    _tap_to(world, "request_sent", creator)
    world.click("gb", "Home")
    world.click("gb", "View details", account=creator)
    world.click("gb", "Agree")


def test_a_channel_creator_leaves_through_the_same_taps_and_agree() -> None:
    """A-CHANNEL-UNLINK: the same path as the official account, and the same approval."""
    world = _world()
    world.add_creator("carol", country="GB", age=30)
    _unlockable(world)  # the official account stays
    _channel_cycle(world, "carol")
    assert world.bound_shop("carol") is None
    assert world.binding("gb", "carol").state == "unbound"
    assert world.official("gb") == "alice"
    went = {t for t in taken(world, "CreatorApp") if t[1] != "tap_back"}
    assert {t[1] for t in went} == {
        "tap_showcase",
        "tap_enter",
        "tap_your_shop",
        "tap_view_link_info",
        "tap_send_unlink_request",
        "unlink_approved",  # carol's phone leaves "request sent" once the merchant agrees
    }


def test_channel_unbinds_never_count_towards_the_three_official_unbinds() -> None:
    """R-OFFICIAL-UNBIND-3, A-CHANNEL-UNLINK: four channel unbinds leave all three official ones,
    and once the official limit is used up channel creators still leave."""
    world = _world()
    world.add_creator("carol", country="GB", age=30)
    for _ in range(4):
        _channel_cycle(world, "carol")
    assert world.official_unbinds_left("gb") == 3
    for _ in range(3):
        _unbind(world)
    assert world.official_unbinds_left("gb") == 0
    _channel_cycle(world, "carol")
    assert world.bound_shop("carol") is None
    assert world.official_unbinds_left("gb") == 0


# --------------------------------------------------------------- bad input


def test_an_unknown_label_raises_invalid_argument_listing_every_app_label() -> None:
    world = _world()
    with pytest.raises(InvalidArgument) as bad:
        world.tap("alice", "Unlink")
    message = str(bad.value)
    assert "'Unlink'" in message
    for label in CreatorApp.labels():
        assert label in message
    assert world.log == []  # nothing happened, nothing logged
    assert world.screen("alice").id == "profile"


def test_a_label_of_the_other_interface_is_unknown_to_the_app() -> None:
    with pytest.raises(InvalidArgument, match="no screen of the app has a label 'Agree'"):
        _world().tap("alice", "Agree")


def test_a_label_that_is_not_text_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgument):
        _world().tap("alice", None)  # type: ignore[arg-type]


def test_an_unknown_account_raises_unknown_id_naming_the_known_ones() -> None:
    world = _world()
    with pytest.raises(UnknownId, match="unknown creator 'zed'; known creators: alice"):
        world.tap("zed", "Showcase")
    with pytest.raises(UnknownId, match="unknown creator or shop 'zed'"):
        world.screen("zed")
    with pytest.raises(UnknownId, match="'zed'"):
        world.request_unlink("zed")
    assert world.log == []


def test_chinese_labels_walk_the_same_path_as_the_english_ones() -> None:
    """The app accepts each label's Chinese form (machines/text.py) with the same effect."""
    english, chinese = _unlockable(_world()), _unlockable(_world())
    before = len(chinese.log)
    for label in UNLINK_PATH:
        english.tap("alice", label)
    for event in (
        "tap_showcase",
        "tap_enter",
        "tap_your_shop",
        "tap_view_link_info",
        "tap_send_unlink_request",
    ):
        chinese.tap("alice", spec_of(CreatorApp).edges[event].label.zh)
    chinese.tap("alice", "返回")
    english.tap("alice", "Back")
    assert moves(chinese.log[before:]) == moves(english.log[before:])
    assert chinese.screen("alice") == english.screen("alice")
    assert chinese.log[-1].subject["label"] == "返回"  # the log keeps what the user tapped


def test_a_label_reads_in_both_languages_from_its_screen_machine_alone() -> None:
    """MachineSpec.label_words: the one reading of an on-screen label's words (the storyboard,
    the timeline and the web app all go through it); a label of the other screen stays itself."""
    app = spec_of(CreatorApp)
    words = app.label_words("Send unlink request")
    assert words.zh == "Send unlink request(发送解绑申请)"
    assert app.label_words(words.zh) == words  # found by its Chinese too
    assert app.label_words("Agree").zh == "Agree"  # Seller Center's, not the app's
