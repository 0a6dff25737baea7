"""Bad input raises an error of its own type with a message that says what to do, and changes
nothing: the World's to_dict() is the same before and after, even when timers are overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from conftest import START, Clocked

from bindsim import (
    BindSimError,
    InvalidArgument,
    InvalidDuration,
    ManualClock,
    NaiveDatetime,
    Refused,
    Ruleset,
    UnknownId,
    World,
)
from bindsim.errors import InvalidDurationText
from bindsim.machines.durations import MAX_DURATION, parse_duration

Call = Callable[[World], object]


def _populate(world: World) -> None:
    """A pending invitation (alice→gb), a bound account (bob→gbi), an open ticket (carol)."""
    world.add_shop("gb", region="GB", kind="open")
    world.add_shop("gbi", region="GB", kind="invited")
    world.add_creator("alice", country="GB", age=24)
    world.add_creator("bob", country="GB", age=31)
    world.add_creator("carol", country="FR", age=40)
    world.invite("gb", "alice", role="official")
    world.invite("gbi", "bob", role="official")
    world.accept("bob", "gbi")
    world.open_ticket("gb", "carol")


BAD_CALLS = [
    # unknown ids
    pytest.param(
        lambda w: w.invite("nope", "alice"),
        UnknownId,
        "unknown shop 'nope'; known shops: gb, gbi",
        id="invite('nope', 'alice')",
    ),
    pytest.param(
        lambda w: w.invite("gb", "zed"),
        UnknownId,
        "unknown creator 'zed'; known",
        id="invite('gb', 'zed')",
    ),
    pytest.param(
        lambda w: w.accept("zed", "gb"),
        UnknownId,
        "unknown creator 'zed'",
        id="accept('zed', 'gb')",
    ),
    pytest.param(
        lambda w: w.accept("alice", "nope"),
        UnknownId,
        "unknown shop 'nope'",
        id="accept('alice', 'nope')",
    ),
    pytest.param(
        lambda w: w.accept("carol", "gb"),
        UnknownId,
        "unknown invitation 'gb→carol'",
        id="accept('carol', 'gb')",
    ),
    pytest.param(
        lambda w: w.decline("zed", "gb"), UnknownId, "unknown creator", id="decline('zed', 'gb')"
    ),
    pytest.param(
        lambda w: w.withdraw("nope", "alice"),
        UnknownId,
        "unknown shop",
        id="withdraw('nope', 'alice')",
    ),
    pytest.param(
        lambda w: w.request_unlink("zed"), UnknownId, "unknown creator", id="request_unlink('zed')"
    ),
    pytest.param(
        lambda w: w.approve_unlink("nope", "bob"),
        UnknownId,
        "unknown shop",
        id="approve_unlink('nope', 'bob')",
    ),
    pytest.param(
        lambda w: w.decline_unlink("gbi", "zed"),
        UnknownId,
        "unknown creator",
        id="decline_unlink('gbi', 'zed')",
    ),
    pytest.param(
        lambda w: w.open_ticket("nope", "carol"),
        UnknownId,
        "unknown shop",
        id="open_ticket('nope', 'carol')",
    ),
    pytest.param(
        lambda w: w.set_creator("zed", network="GB"),
        UnknownId,
        "unknown creator",
        id="set_creator('zed', network='GB')",
    ),
    pytest.param(
        lambda w: w.set_shop("nope", status="normal"),
        UnknownId,
        "unknown shop",
        id="set_shop('nope', status='normal')",
    ),
    pytest.param(lambda w: w.shop("nope"), UnknownId, "unknown shop", id="shop('nope')"),
    pytest.param(lambda w: w.creator("zed"), UnknownId, "unknown creator", id="creator('zed')"),
    pytest.param(lambda w: w.official("nope"), UnknownId, "unknown shop", id="official('nope')"),
    pytest.param(
        lambda w: w.capabilities("zed"), UnknownId, "unknown creator", id="capabilities('zed')"
    ),
    pytest.param(
        lambda w: w.invitation("gb", "carol"),
        UnknownId,
        "unknown invitation",
        id="invitation('gb', 'carol')",
    ),
    pytest.param(
        lambda w: w.binding("gb", "alice"),
        UnknownId,
        "unknown binding 'gb×alice'",
        id="binding('gb', 'alice')",
    ),
    pytest.param(
        lambda w: w.ticket("ticket-99"),
        UnknownId,
        "unknown ticket 'ticket-99'",
        id="ticket('ticket-99')",
    ),
    pytest.param(
        lambda w: w.decline("carol", "gb"),
        UnknownId,
        "unknown invitation 'gb→carol'",
        id="decline('carol', 'gb')",
    ),
    pytest.param(
        lambda w: w.withdraw("gb", "carol"),
        UnknownId,
        "unknown invitation",
        id="withdraw('gb', 'carol')",
    ),
    pytest.param(
        lambda w: w.screen("zed"), UnknownId, "unknown creator or shop 'zed'", id="screen('zed')"
    ),
    pytest.param(lambda w: w.tap("zed", "Showcase"), UnknownId, "unknown creator", id="tap-zed"),
    pytest.param(
        lambda w: w.click("gb", "My Account", account="zed"),
        UnknownId,
        "unknown creator",
        id="click-account-zed",
    ),
    # labels
    pytest.param(
        lambda w: w.tap("alice", "Fly away"), InvalidArgument, "'Fly away'", id="tap-unknown-label"
    ),
    pytest.param(
        lambda w: w.click("gb", "Delete shop"),
        InvalidArgument,
        "'Delete shop'",
        id="click-unknown-label",
    ),
    # times
    pytest.param(
        lambda w: w.advance_to(datetime(2030, 1, 1)),
        NaiveDatetime,
        "no time zone",
        id="advance_to(datetime(2030, 1, 1))",
    ),
    pytest.param(
        lambda w: w.advance_to("2030-01-01T00:00:00"),
        NaiveDatetime,
        "time zone",
        id="advance_to('2030-01-01T00:00:00')",
    ),
    pytest.param(
        lambda w: w.advance_to("next tuesday"),
        InvalidArgument,
        "ISO 8601",
        id="advance_to('next tuesday')",
    ),
    pytest.param(
        lambda w: w.advance_to(1700000000), InvalidArgument, "ISO 8601", id="advance_to(1700000000)"
    ),
    # durations
    pytest.param(lambda w: w.advance(-5), InvalidDuration, "negative", id="advance(-5)"),
    pytest.param(
        lambda w: w.advance(timedelta(seconds=-1)),
        InvalidDuration,
        "negative",
        id="advance(timedelta(seconds=-1))",
    ),
    pytest.param(lambda w: w.advance("-1h"), InvalidDuration, "negative", id="advance('-1h')"),
    pytest.param(
        lambda w: w.advance("48 hours"),
        InvalidDuration,
        "like 90s, 15m, 47h59m",
        id="advance('48 hours')",
    ),
    pytest.param(
        lambda w: w.advance("1h2d"), InvalidDuration, "not a duration", id="advance('1h2d')"
    ),
    pytest.param(lambda w: w.advance(""), InvalidDuration, "not a duration", id="advance('')"),
    pytest.param(
        lambda w: w.advance(True), InvalidDuration, "expected a duration", id="advance(True)"
    ),
    pytest.param(
        lambda w: w.advance(None), InvalidDuration, "expected a duration", id="advance(None)"
    ),
    # roles, kinds, facts
    pytest.param(
        lambda w: w.invite("gbi", "alice", role="owner"),
        InvalidArgument,
        "unknown role 'owner'; choose one of: official, channel",
        id="invite('gbi', 'alice', role='owner')",
    ),
    pytest.param(
        lambda w: w.add_shop("vip", region="GB", kind="vip"),
        InvalidArgument,
        "unknown shop kind 'vip'; choose one of: open, invited",
        id="add_shop('vip', region='GB', kind='vip')",
    ),
    pytest.param(
        lambda w: w.add_shop("x", region="GB", status="closed"),
        InvalidArgument,
        "shop status",
        id="add_shop('x', region='GB', status='closed')",
    ),
    pytest.param(
        lambda w: w.add_shop("x", region="gb"),
        InvalidArgument,
        "two-letter",
        id="add_shop('x', region='gb')",
    ),
    pytest.param(
        lambda w: w.add_shop("x", region="GBR"),
        InvalidArgument,
        "like GB or US",
        id="add_shop('x', region='GBR')",
    ),
    pytest.param(
        lambda w: w.add_shop("gb", region="GB"),
        InvalidArgument,
        "the id 'gb' is taken",
        id="add_shop('gb', region='GB')",
    ),
    pytest.param(
        lambda w: w.add_shop("my shop", region="GB"),
        InvalidArgument,
        "no spaces",
        id="add_shop('my shop', region='GB')",
    ),
    pytest.param(
        lambda w: w.add_creator("a\x1bb", "GB", 20),
        InvalidArgument,
        "control characters",
        id="add_creator('a\\x1bb', ...)",
    ),
    pytest.param(
        lambda w: w.add_creator("\ud800", "GB", 20),
        InvalidArgument,
        "printable",
        id="add_creator('\\ud800', ...)",
    ),
    pytest.param(
        lambda w: w.add_creator("a" * 65, "GB", 20),
        InvalidArgument,
        "at most 64 characters",
        id="add_creator('a' * 65, ...)",
    ),
    pytest.param(
        lambda w: w.add_shop("", region="GB"),
        InvalidArgument,
        "cannot be empty",
        id="add_shop('', region='GB')",
    ),
    pytest.param(
        lambda w: w.add_creator("alice", "GB", 20),
        InvalidArgument,
        "is taken",
        id="add_creator('alice', 'GB', 20)",
    ),
    pytest.param(
        lambda w: w.add_creator("dan", "GB", -1),
        InvalidArgument,
        "whole number",
        id="add_creator('dan', 'GB', -1)",
    ),
    pytest.param(
        lambda w: w.add_creator("dan", "GB", 20.5),
        InvalidArgument,
        "whole number",
        id="add_creator('dan', 'GB', 20.5)",
    ),
    pytest.param(
        lambda w: w.add_creator("dan", "UK ", 20),
        InvalidArgument,
        "country code",
        id="add_creator('dan', 'UK ', 20)",
    ),
    pytest.param(
        lambda w: w.add_creator("dan", "GB", 20, status="banned"),
        InvalidArgument,
        "unknown account status 'banned'",
        id="add_creator('dan', 'GB', 20, status='banned')",
    ),
    pytest.param(
        lambda w: w.set_creator("alice", height=180),
        InvalidArgument,
        "unknown creator fact 'height'; facts: country, age",
        id="set_creator('alice', height=180)",
    ),
    pytest.param(
        lambda w: w.set_creator("alice", network="GB", height=180),
        InvalidArgument,
        "unknown creator fact",
        id="set_creator('alice', network='GB', height=180)",
    ),
    pytest.param(
        lambda w: w.set_creator("alice", age="20"),
        InvalidArgument,
        "whole number",
        id="set_creator('alice', age='20')",
    ),
    pytest.param(
        lambda w: w.set_creator("alice", network="France"),
        InvalidArgument,
        "GB or US",
        id="set_creator('alice', network='France')",
    ),
    pytest.param(
        lambda w: w.set_creator("alice", ecommerce_permission="yes"),
        InvalidArgument,
        "true or false",
        id="set_creator('alice', ecommerce_permission='yes')",
    ),
    pytest.param(
        lambda w: w.set_creator("alice", followers=True),
        InvalidArgument,
        "whole",
        id="set_creator('alice', followers=True)",
    ),
    pytest.param(
        lambda w: w.set_shop("gb", status="frozen"),
        InvalidArgument,
        "unknown shop status",
        id="set_shop('gb', status='frozen')",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_CALLS)
def test_bad_input_raises_its_own_error_and_changes_nothing(
    clocked: Clocked, call: Call, error: type[BindSimError], message: str
) -> None:
    world = clocked.world
    _populate(world)
    clocked.tick("49h")  # under freezegun the timers due by now have not fired yet
    before = world.to_dict()
    with pytest.raises(error) as excinfo:
        call(world)
    assert message in str(excinfo.value)
    assert not isinstance(excinfo.value, Refused)
    assert world.to_dict() == before
    # And the World carries on: the overdue timers fire at their own times on the next call.
    assert world.invitation("gb", "alice").state == "expired"
    assert world.invitation("gb", "alice").ended_at == START + timedelta(hours=48)
    world.check_invariants()


def test_bad_input_errors_are_bindsim_errors_and_the_usual_python_ones() -> None:
    """Callers can catch BindSimError, or the Python error the mistake is (KeyError, ValueError)."""
    assert issubclass(UnknownId, KeyError) and issubclass(UnknownId, BindSimError)
    assert issubclass(InvalidArgument, ValueError) and issubclass(InvalidArgument, BindSimError)
    assert issubclass(InvalidDuration, InvalidArgument)
    assert issubclass(NaiveDatetime, InvalidArgument)


def test_a_manual_clock_cannot_start_at_a_naive_time() -> None:
    with pytest.raises(NaiveDatetime, match="aware time such as 2024-11-11T12:00:00Z"):
        ManualClock(datetime(2024, 11, 11, 12))


def test_an_unknown_id_lists_the_known_ones_or_says_there_are_none() -> None:
    world = World(clock=ManualClock(START))
    with pytest.raises(UnknownId) as excinfo:
        world.shop("gb")
    assert str(excinfo.value) == "unknown shop 'gb'; no shops yet"


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"invite_tll": "72h"}, ValueError, "unknown ruleset setting 'invite_tll'"),
        ({"invite_ttl": "-1h"}, ValueError, "negative"),
        ({"invite_ttl": "soon"}, ValueError, "not a duration"),
        ({"invite_ttl": -60}, ValueError, "needs a duration"),
        ({"official_unbind_limit": -1}, ValueError, "whole number ≥ 0"),
        ({"official_unbind_limit": 2.5}, ValueError, "whole number"),
        ({"allow_decline": "yes"}, ValueError, "true or false"),
        ({"ticket_unfixable": ["NOPE"]}, ValueError, "NOPE"),
    ],
)
def test_bad_ruleset_overrides_are_refused_with_a_clear_message(
    overrides: dict[str, object], error: type[Exception], message: str
) -> None:
    defaults = Ruleset()
    with pytest.raises(error, match=message):
        defaults.with_overrides(overrides)
    assert defaults == Ruleset()


# ------------------------------------------- the simulated range: years 1000 to 8999, ≤ 300000d

BEYOND_THE_RANGE = [
    pytest.param(
        lambda w: w.advance(float("nan")), InvalidDuration, "nan is not a duration", id="nan"
    ),
    pytest.param(lambda w: w.advance(float("inf")), InvalidDuration, "too long", id="inf"),
    pytest.param(lambda w: w.advance(1e20), InvalidDuration, "at most 300000d", id="1e20 s"),
    pytest.param(
        lambda w: w.advance(timedelta(days=999_999_999)),
        InvalidDuration,
        "'999999999d' is too long",
        id="timedelta.max",
    ),
    pytest.param(
        lambda w: w.advance("99999999999d"), InvalidDuration, "too long", id="'99999999999d'"
    ),
    pytest.param(
        lambda w: w.advance("3000000d"),
        InvalidDuration,
        "'3000000d' is too long: a duration can be at most 300000d (about 821 years)",
        id="'3000000d'",
    ),
    pytest.param(
        lambda w: w.advance_to("9999-12-31T23:59:59Z"),
        InvalidArgument,
        "9999-12-31T23:59:59Z is out of range: simulated time must stay from 1000-01-01 up to "
        "(not including) 9000-01-01 UTC",
        id="advance_to(9999-12-31)",
    ),
    pytest.param(
        lambda w: w.advance_to("9999-12-31T23:00:00-05:00"),
        InvalidArgument,
        "out of range",
        id="advance_to(past datetime.max in UTC)",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BEYOND_THE_RANGE)
def test_times_and_durations_beyond_the_simulated_range_are_bad_input(
    clocked: Clocked, call: Call, error: type[BindSimError], message: str
) -> None:
    test_bad_input_raises_its_own_error_and_changes_nothing(clocked, call, error, message)


@pytest.mark.parametrize(
    "start", ["9999-12-30T00:00:00Z", "9000-01-01T00:00:00Z", "0999-12-31T23:59:59Z"]
)
def test_a_manual_clock_cannot_start_outside_the_years_1000_to_8999(start: str) -> None:
    with pytest.raises(InvalidArgument, match="out of range: simulated time must stay"):
        ManualClock(start)


def test_a_manual_clock_moves_up_to_the_last_second_before_9000_and_no_further() -> None:
    clock = ManualClock("8999-12-31T00:00:00Z")
    with pytest.raises(InvalidDuration, match="advancing 1d from 8999-12-31T00:00:00Z would reach"):
        clock.advance("1d")
    with pytest.raises(InvalidArgument, match="out of range"):
        clock.set("9000-01-01T00:00:00Z")
    assert clock.now() == datetime.fromisoformat("8999-12-31T00:00:00+00:00")
    assert clock.advance("23h59m59s") == datetime.fromisoformat("8999-12-31T23:59:59+00:00")


def test_a_world_at_the_end_of_time_refuses_to_advance_and_changes_nothing() -> None:
    world = World(clock=ManualClock("8999-12-30T00:00:00Z"))
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite(
        "gb", "alice"
    )  # R-INVITE-48H: expires at 9000-01-01, which the clock never reaches
    before = world.to_dict()
    with pytest.raises(InvalidDuration, match="would reach 9000-01-01T00:00:00Z"):
        world.advance("48h")
    assert world.to_dict() == before
    world.advance("47h59m59s")
    assert world.invitation("gb", "alice").state == "pending"


def test_the_longest_rule_windows_fit_at_both_ends_of_the_simulated_range() -> None:
    """Why the range and MAX_DURATION are what they are: the World adds invite_ttl and
    unbind_lock to the time and subtracts channel_bind_window from it (R-CHANNEL-10-180D)."""
    longest = {
        name: MAX_DURATION
        for name in ("invite_ttl", "unbind_lock", "channel_bind_window", "ticket_resolution_time")
    }
    for start in ("1000-01-01T00:00:00Z", "8999-12-31T23:59:59Z"):
        world = World(clock=ManualClock(start), ruleset=Ruleset().with_overrides(longest))
        world.add_shop("gb", region="GB", kind="invited")
        world.add_creator("alice", country="GB", age=24)
        world.add_creator("bob", country="GB", age=24, registration_country="FR")
        world.invite("gb", "alice", role="channel")
        world.accept("alice", "gb")
        world.invite("gb", "bob", role="channel")
        world.accept("bob", "gb")
        world.open_ticket("gb", "bob")
        assert world.channel_binds_left("gb") == 8
        world.check_invariants()


def test_a_duration_text_is_at_most_300000_days() -> None:
    assert parse_duration("300000d") == MAX_DURATION
    for text in ("300000d1s", "9" * 5000 + "s"):
        with pytest.raises(InvalidDurationText, match="is too long: a duration can be at most"):
            parse_duration(text)
