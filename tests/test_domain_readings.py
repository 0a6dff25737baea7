"""The seed's readings added in issue 15: the invitation's `sent` step, the showcase's home
region, when a channel binding counts, and ages that follow the simulated clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from conftest import SECOND

from bindsim import InvalidAction, InvalidArgument, ManualClock, Refused, Ruleset, World, diagrams
from bindsim.machines import Invitation
from bindsim.simulator.clock import DEFAULT_START as START

HOUR = timedelta(hours=1)


def _world(**overrides: object) -> World:
    world = World(clock=ManualClock(START), ruleset=Ruleset().with_overrides(overrides))
    world.add_shop("gb", region="GB", kind="invited")
    world.add_creator("alice", country="GB", age=24)
    world.add_creator("bob", country="GB", age=24)
    return world


# ------------------------------------------------------- the invitation is sent, then pending


def test_an_invitation_is_sent_then_pending_within_the_same_step_by_default() -> None:
    world = _world()
    entry = world.invite("gb", "alice")
    invitation = [(c.event, c.before, c.after) for c in entry.changes if c.machine == "Invitation"]
    assert invitation == [("send", (), ("sent",)), ("deliver", ("sent",), ("pending",))]
    assert world.invitation("gb", "alice").state == "pending"
    assert world.invitation("gb", "alice").delivered_at == START


def test_a_delayed_invitation_is_sent_until_it_reaches_the_app_and_cannot_be_answered() -> None:
    world = _world(invite_delivery_delay="1h")
    world.invite("gb", "alice")
    assert world.invitation("gb", "alice").state == "sent"
    with pytest.raises(InvalidAction, match="has not reached alice's app yet"):
        world.accept("alice", "gb")
    with pytest.raises(InvalidAction, match="has not reached"):
        world.decline("alice", "gb")
    world.advance(HOUR - SECOND)
    assert world.invitation("gb", "alice").state == "sent"
    world.advance(SECOND)
    assert world.invitation("gb", "alice").state == "pending"
    assert (world.log[-1].actor, world.log[-1].action, world.log[-1].at) == (
        "platform",
        "deliver",
        START + HOUR,
    )
    world.accept("alice", "gb")
    assert world.bound_shop("alice") == "gb"


def test_the_48_hours_run_from_the_sending_not_from_the_delivery() -> None:
    """R-INVITE-48H, A-WINDOW-BOUNDS: 47h59m59s after the sending it is acceptable; at 48h not."""
    world = _world(invite_delivery_delay="5h")
    world.invite("gb", "alice")
    world.advance(timedelta(hours=48) - SECOND)
    assert world.invitation("gb", "alice").state == "pending"
    world.advance(SECOND)
    assert world.invitation("gb", "alice").state == "expired"
    assert world.invitation("gb", "alice").ended_at == START + timedelta(hours=48)
    world.advance(SECOND)
    with pytest.raises(Refused, match="INVITATION_EXPIRED"):
        world.accept("alice", "gb")


def test_an_invitation_that_never_reached_the_app_still_expires_at_48h() -> None:
    world = _world(invite_delivery_delay="72h")
    world.invite("gb", "alice")
    world.advance("48h")
    assert world.invitation("gb", "alice").state == "expired"
    world.advance("72h")  # the delivery never comes: its timer is stale
    assert [e.action for e in world.log] == ["invite", "expire"]


def test_a_sent_invitation_holds_its_slot_and_can_be_withdrawn() -> None:
    """A-PENDING-SLOT, A-DECLINE: on its way to the app, the invitation holds the official slot."""
    world = _world(invite_delivery_delay="1h")
    world.invite("gb", "alice")
    with pytest.raises(Refused, match="OFFICIAL_SLOT_TAKEN"):
        world.invite("gb", "bob")
    world.withdraw("gb", "alice")
    assert world.invitation("gb", "alice").state == "withdrawn"
    world.invite("gb", "bob")
    world.advance("1h")
    assert [e.action for e in world.log if e.outcome == "timer"] == ["deliver"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_invitation_diagram_shows_the_sending_in_both_languages(lang: str) -> None:
    diagram = diagrams.extract(Invitation)
    assert diagram.initial().id == "sent"
    labels = {t.event: t.label(lang) for t in diagram.transitions}  # type: ignore[arg-type]
    assert labels["deliver"] == ("reaches the creator's app" if lang == "en" else "送达达人 App")
    expire = [t for t in diagram.transitions if t.event == "expire"]
    assert {t.source for t in expire} == {"sent", "pending"}


# ------------------------------------------------- the showcase needs network and home region


def _bound_and_unlocked(**overrides: object) -> World:
    world = _world(**overrides)
    world.invite("gb", "alice")
    world.accept("alice", "gb")
    world.advance("24h")
    return world


def test_a_home_region_abroad_hides_the_showcase_button() -> None:
    """R-UNLINK-PATH, A-HOME-REGION: 确保网络和归属地都在小店所在国家."""
    world = _bound_and_unlocked()
    world.set_creator("alice", home_region="FR")
    assert world.screen("alice").hidden == {"Showcase": ("HOME_REGION_MISMATCH",)}
    with pytest.raises(Refused) as refused:
        world.tap("alice", "Showcase")
    assert refused.value.codes == ("HOME_REGION_MISMATCH", "NOT_VISIBLE")
    assert "home region" in str(refused.value)


def test_both_abroad_lists_both_reasons_and_each_put_right_in_turn_leaves_the_other() -> None:
    world = _bound_and_unlocked()
    world.set_creator("alice", network="FR", home_region="FR")
    with pytest.raises(Refused) as refused:
        world.request_unlink("alice")
    assert refused.value.codes == (
        "NETWORK_REGION_MISMATCH",
        "HOME_REGION_MISMATCH",
        "NOT_VISIBLE",
    )
    world.set_creator("alice", network="GB")
    assert world.screen("alice").hidden == {"Showcase": ("HOME_REGION_MISMATCH",)}
    world.set_creator("alice", home_region="GB", network="FR")
    assert world.screen("alice").hidden == {"Showcase": ("NETWORK_REGION_MISMATCH",)}
    world.set_creator("alice", network="GB")
    assert world.screen("alice").visible == ("Showcase",)
    world.request_unlink("alice")
    world.approve_unlink("gb", "alice")
    assert world.bound_shop("alice") is None


def test_the_home_region_defaults_to_the_account_country_and_the_check_is_a_setting() -> None:
    world = _bound_and_unlocked(showcase_checks_home_region=False)
    assert world.creator("alice").home_region == "GB"
    world.set_creator("alice", home_region="FR")
    assert world.screen("alice").visible == ("Showcase",)  # A-HOME-REGION off: network only
    world.request_unlink("alice")


@pytest.mark.parametrize(("lang", "words"), [("en", "home region"), ("zh", "归属地")])
def test_the_creator_app_diagram_names_the_home_region_on_the_showcase(
    lang: str, words: str
) -> None:
    from bindsim.machines import CreatorApp

    showcase = next(
        t for t in diagrams.extract(CreatorApp).transitions if t.event == "tap_showcase"
    )
    assert showcase.guard is not None and words in showcase.guard(lang)  # type: ignore[arg-type]
    assert "A-HOME-REGION" in showcase.rules


# ------------------------------------------------------- when a channel binding counts


def _stuck_channel(count_from: str) -> World:
    """An invite-only shop allowed 1 channel binding in 180 days, whose first channel creator
    hangs on revoked e-commerce permission (R-STUCK(b))."""
    world = _world(channel_bind_limit=1, channel_count_from=count_from)
    world.set_creator("alice", ecommerce_permission=False)
    world.invite("gb", "alice", role="channel")
    world.accept("alice", "gb")
    assert world.binding("gb", "alice").state == "stuck"
    return world


def test_a_stuck_channel_binding_counts_from_acceptance_under_accepted() -> None:
    """A-CHANNEL-COUNT "accepted" (the default): it holds its count while it hangs."""
    world = _stuck_channel("accepted")
    assert world.channel_binds_left("gb") == 0
    with pytest.raises(Refused, match="CHANNEL_BIND_LIMIT"):
        world.invite("gb", "bob", role="channel")


def test_a_stuck_channel_binding_counts_only_once_bound_under_bound() -> None:
    """A-CHANNEL-COUNT "bound": not counted while it hangs, but it reserves its place (so
    channel_binds_left is 0, issue 24), so no second channel binding can start and overrun the
    limit when it completes."""
    world = _stuck_channel("bound")
    assert world.shop("gb").channel_binds == ()
    assert (world.channel_binds_left("gb"), world.channel_places_reserved("gb")) == (0, 1)
    with pytest.raises(Refused, match="CHANNEL_BIND_LIMIT"):
        world.invite("gb", "bob", role="channel")
    world.advance("3d")
    world.set_creator("alice", ecommerce_permission=True)  # restored: it completes now
    assert (world.channel_binds_left("gb"), world.channel_places_reserved("gb")) == (0, 0)
    assert world.shop("gb").channel_binds == (START + timedelta(days=3),)
    world.advance(timedelta(days=180) - SECOND)  # R-CHANNEL-10-180D from the completion
    assert world.channel_binds_left("gb") == 0
    world.advance(SECOND)
    assert world.channel_binds_left("gb") == 1


@pytest.mark.parametrize("offset", [-SECOND, timedelta(0), SECOND])
def test_a_channel_binding_that_fails_never_counted_under_bound_and_frees_its_place(
    offset: timedelta,
) -> None:
    """The reservation lasts exactly until the binding fails (the ticket's answer at 24h)."""
    world = _stuck_channel("bound")
    world.open_ticket("gb", "alice")  # revoked permission: support cannot fix it (R-TICKET)
    world.advance(timedelta(hours=24) + offset)
    if offset < timedelta(0):
        assert world.binding("gb", "alice").state == "stuck"
        assert world.channel_binds_left("gb") == 0
        return
    assert world.binding("gb", "alice").state == "failed"
    assert (world.channel_binds_left("gb"), world.channel_places_reserved("gb")) == (1, 0)
    world.invite("gb", "bob", role="channel")


# ------------------------------------------------------- ages that grow with simulated time


def _born(birthdate: str, start: datetime | str, **overrides: object) -> World:
    world = World(clock=ManualClock(start), ruleset=Ruleset().with_overrides(overrides))
    world.add_shop("gb", region="GB")
    world.add_creator("kid", country="GB", birthdate=birthdate)
    return world


@pytest.mark.parametrize(
    ("offset", "refused"), [(-SECOND, True), (timedelta(0), False), (SECOND, False)]
)
def test_an_account_is_18_from_00_00_00_utc_of_its_18th_birthday(
    offset: timedelta, refused: bool
) -> None:
    """R-ELIGIBLE, A-AGE: one second before, at, and one second after midnight UTC."""
    world = _born("2006-11-12", START)
    world.advance(timedelta(hours=12) + offset)
    assert world.age("kid") == (17 if refused else 18)
    if refused:
        with pytest.raises(Refused, match="UNDER_18"):
            world.invite("gb", "kid")
    else:
        world.invite("gb", "kid")


def test_a_fixed_age_and_a_birthdate_replace_each_other() -> None:
    world = _born("2006-11-12", START)
    world.set_creator("kid", age=30)
    assert (world.creator("kid").birthdate, world.age("kid")) == (None, 30)
    world.set_creator("kid", birthdate="2010-01-01")
    assert (world.creator("kid").age, world.age("kid")) == (None, 14)
    with pytest.raises(InvalidArgument, match="not both"):
        world.set_creator("kid", age=20, birthdate="2000-01-01")
    with pytest.raises(InvalidArgument, match="needs an age or a birthdate"):
        world.add_creator("nobody", country="GB")


@pytest.mark.parametrize(
    ("reading", "birthday"), [("march_1", "2025-03-01"), ("february_28", "2025-02-28")]
)
def test_a_29_february_birthday_counts_from_1_march_or_as_set_in_other_years(
    reading: str, birthday: str
) -> None:
    """A-AGE: born 2004-02-29, the user turns 21 in 2025 (no 29 February) on the set day."""
    world = _born("2004-02-29", "2025-02-01T00:00:00Z", leap_day_birthday=reading)
    midnight = datetime.fromisoformat(f"{birthday}T00:00:00+00:00")
    for at, age in ((midnight - SECOND, 20), (midnight, 21), (midnight + SECOND, 21)):
        world.advance_to(at)
        assert world.age("kid") == age, at


def test_in_a_leap_year_a_29_february_birthday_is_that_day() -> None:
    world = _born("2004-02-29", "2028-02-28T23:59:59Z")
    assert world.age("kid") == 23
    world.advance(SECOND)
    assert world.age("kid") == 24


def test_support_corrects_a_wrong_birth_date_to_make_the_user_just_18() -> None:
    """R-TICKET: UNDER_18 is fixable; the corrected birth date makes the account 18 today."""
    world = _born("2010-06-01", START)
    ticket = world.open_ticket("gb", "kid")
    assert [r.value for r in ticket.causes] == ["UNDER_18"]
    world.advance("24h")
    assert world.ticket(ticket.id).state == "resolved"
    assert world.creator("kid").birthdate == date(2006, 11, 12)
    assert world.age("kid") == 18
    world.invite("gb", "kid")


def test_the_birthday_zone_moves_the_midnight_of_a_birthday() -> None:
    """A-AGE with birthday_zone UTC+08:00: 18 from 16:00 UTC the day before the UTC date."""
    world = _born("2006-11-12", "2024-11-11T15:59:59Z", birthday_zone="UTC+08:00")
    assert world.age("kid") == 17
    world.advance(SECOND)
    assert world.age("kid") == 18


# ------------------------------------------- a reserved channel place, as Seller Center shows it


def test_seller_center_says_a_channel_place_is_reserved_by_a_binding_in_progress() -> None:
    """A-CHANNEL-COUNT "bound": the page shows why channel_binds_left is 0 with nothing counted;
    under "accepted" the stuck binding is counted, so nothing is reserved."""
    from bindsim.diagrams import words

    world = _stuck_channel("bound")
    assert world.screen("gb").info["channel_places_reserved"] == 1
    text = words.places_reserved(1)
    assert (text("en"), text("zh")) == (
        "1 place reserved by a binding in progress",
        "1 个名额已被绑定中的账号预留",
    )
    assert words.places_reserved(2)("en") == "2 places reserved by bindings in progress"
    world.set_creator("alice", ecommerce_permission=True)
    assert "channel_places_reserved" not in world.screen("gb").info
    accepted = _stuck_channel("accepted")
    assert accepted.channel_places_reserved("gb") == 0
    assert "channel_places_reserved" not in accepted.screen("gb").info


# ------------------------------------- spec gaps written down (issue 24): 归属地 and ages fixed


def _home_abroad(moves: bool) -> World:
    """alice is French (country and home region FR) on a British phone; the British shop's
    ticket fixes her country (R-TICKET), she is bound, and 24h pass."""
    world = _world(ticket_moves_home_region=moves)
    world.set_creator("alice", country="FR", home_region="FR")
    ticket = world.open_ticket("gb", "alice")
    assert [r.value for r in ticket.causes] == ["COUNTRY_MISMATCH"]
    world.advance("24h")
    world.invite("gb", "alice")
    world.accept("alice", "gb")
    world.advance("24h")
    return world


def test_a_ticket_that_fixes_the_country_leaves_the_home_region_as_declared() -> None:
    """A-HOME-REGION-TICKET (default): the 归属地 stays FR, the showcase stays hidden, and a
    ticket finds nothing to fix."""
    world = _home_abroad(moves=False)
    assert (world.creator("alice").country, world.creator("alice").home_region) == ("GB", "FR")
    with pytest.raises(Refused) as refused:
        world.request_unlink("alice")
    assert refused.value.codes == ("HOME_REGION_MISMATCH", "NOT_VISIBLE")
    ticket = world.open_ticket("gb", "alice")
    assert ticket.causes == ()
    world.advance("24h")
    assert world.creator("alice").home_region == "FR"
    with pytest.raises(Refused, match="HOME_REGION_MISMATCH"):
        world.request_unlink("alice")


def test_with_ticket_moves_home_region_the_home_region_follows_the_fixed_country() -> None:
    world = _home_abroad(moves=True)
    assert (world.creator("alice").country, world.creator("alice").home_region) == ("GB", "GB")
    world.request_unlink("alice")
    assert "unlink_requested" in world.binding("gb", "alice").states


@pytest.mark.parametrize(
    ("answer", "corrected"),
    [
        ("2028-02-28T23:59:59Z", None),  # 1 second before the answer: still the wrong date
        ("2028-02-29T00:00:00Z", date(2010, 2, 28)),  # 29 February: 28 February, not 1 March
        ("2028-02-29T00:00:01Z", date(2010, 2, 28)),
    ],
)
def test_support_sets_a_birthdate_just_18_years_before_the_answer(
    answer: str, corrected: date | None
) -> None:
    """A-TICKET-AGE: the ticket opened 24h before 29 February 2028 is answered on that day; the
    birthdate becomes 28 February 2010, the latest that makes the user 18 then."""
    world = _born("2015-06-01", "2028-02-28T00:00:00Z")
    world.open_ticket("gb", "kid")
    world.advance_to(answer)
    if corrected is None:
        assert world.creator("kid").birthdate == date(2015, 6, 1)
        return
    assert world.creator("kid").birthdate == corrected
    assert world.age("kid") == 18
    world.invite("gb", "kid")


def test_support_sets_a_fixed_age_to_just_18() -> None:
    """A-TICKET-AGE for an account with a fixed age."""
    world = _world()
    world.set_creator("alice", age=16)
    world.open_ticket("gb", "alice")
    world.advance("24h")
    assert (world.creator("alice").age, world.creator("alice").birthdate) == (18, None)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "1 place reserved by a binding in progress"), ("zh", "1 个名额已被绑定中的账号预留")],
)
def test_serve_shows_the_reserved_channel_place_beside_the_binds_left(
    lang: str, words: str
) -> None:
    from bindsim.simulator.serve.views import center_view

    world = _stuck_channel("bound")
    view = center_view(world, "gb", lang)  # type: ignore[arg-type]
    assert (view["channel_binds_left"], view["channel_reserved"]) == (0, words)
    world.set_creator("alice", ecommerce_permission=True)
    assert center_view(world, "gb", lang)["channel_reserved"] == ""  # type: ignore[arg-type]
