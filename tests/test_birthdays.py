"""A-AGE: an 18th birthday is an event like any deadline (issue 24). A timer fires at 00:00 of the
birthday in birthday_zone; a binding held only by UNDER_18 completes then (bound_at = the
birthday, R-LOCK-24H from there), and one still held for other reasons has UNDER_18 dropped."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import SECOND, Clocked

from bindsim import ManualClock, Refused, Ruleset, World
from bindsim.machines import Reason
from bindsim.simulator.clock import DEFAULT_START as START

# kid is 17 at START (2024-11-11T12:00Z) and 18 from 00:00 UTC of 2024-11-20.
BIRTHDATE = "2006-11-20"
BIRTHDAY = datetime.fromisoformat("2024-11-20T00:00:00+00:00")


def _stuck_under_18(world: World, *, fix_registration: bool = True) -> World:
    """kid's binding hangs on a foreign registration (R-STUCK(a)); then a birthdate is set that
    makes kid 17 (R-FAIL(2) while it hangs); then, optionally, the registration is put right, so
    that only UNDER_18 holds it."""
    world.add_shop("gb", region="GB")
    world.add_creator("kid", country="GB", age=24, registration_country="FR")
    world.invite("gb", "kid")
    world.accept("kid", "gb")
    world.set_creator("kid", birthdate=BIRTHDATE)
    if fix_registration:
        world.set_creator("kid", registration_country="GB")
    return world


def _world(**overrides: object) -> World:
    return World(clock=ManualClock(START), ruleset=Ruleset().with_overrides(overrides))


def _reasons(world: World) -> list[str]:
    return [r.value for r in world.binding("gb", "kid").reasons]


@pytest.mark.parametrize("offset", [-SECOND, timedelta(0), SECOND])
def test_a_binding_held_only_by_under_18_completes_at_00_00_utc_of_the_18th_birthday(
    clocked: Clocked, offset: timedelta
) -> None:
    """A-AGE, R-STUCK, R-FAIL(2): under freezegun and the ManualClock alike, the clock alone
    (no `set`) releases the binding, and it counts as bound from the birthday itself."""
    world = _stuck_under_18(clocked.world)
    assert _reasons(world) == ["UNDER_18"]
    clocked.move_to(BIRTHDAY + offset)
    binding = world.binding("gb", "kid")
    if offset < timedelta(0):
        assert (binding.state, _reasons(world), world.age("kid")) == ("stuck", ["UNDER_18"], 17)
        assert world.official("gb") is None
        return
    assert binding.states == {"bound", "locked"}
    assert binding.bound_at == BIRTHDAY
    assert binding.unbind_allowed_at == BIRTHDAY + timedelta(hours=24)  # R-LOCK-24H from there
    assert binding.reasons == ()
    assert world.official("gb") == "kid"
    birthday = next(e for e in world.log if e.action == "birthday")
    assert (birthday.at, birthday.outcome, birthday.reasons) == (BIRTHDAY, "timer", ())


def test_the_lock_of_a_binding_completed_by_a_birthday_runs_24h_from_the_birthday() -> None:
    """R-LOCK-24H from bound_at = the birthday, not from the next unrelated change."""
    world = _stuck_under_18(_world())
    world.advance_to(BIRTHDAY + timedelta(hours=24) - SECOND)
    assert "locked" in world.binding("gb", "kid").states
    world.advance(SECOND)
    assert "unlockable" in world.binding("gb", "kid").states


def test_a_binding_held_for_another_reason_drops_under_18_at_the_birthday() -> None:
    """A-AGE: the reasons are recomputed when the timer fires; the binding stays stuck."""
    world = _stuck_under_18(_world(), fix_registration=False)
    assert _reasons(world) == ["REGISTRATION_REGION_MISMATCH", "UNDER_18"]
    world.advance_to(BIRTHDAY - SECOND)
    assert _reasons(world) == ["REGISTRATION_REGION_MISMATCH", "UNDER_18"]
    world.advance(SECOND)
    assert world.binding("gb", "kid").state == "stuck"
    assert _reasons(world) == ["REGISTRATION_REGION_MISMATCH"]
    assert world.log[-1].reasons == ("REGISTRATION_REGION_MISMATCH",)
    world.advance("1h")
    world.set_creator("kid", registration_country="GB")
    assert world.binding("gb", "kid").bound_at == BIRTHDAY + timedelta(hours=1)


@pytest.mark.parametrize(
    ("overrides", "birthdate", "adult_at"),
    [
        ({"birthday_zone": "UTC+08:00"}, BIRTHDATE, "2024-11-19T16:00:00Z"),
        ({"leap_day_birthday": "march_1"}, "2007-02-28", "2025-02-28T00:00:00Z"),
        ({"leap_day_birthday": "march_1"}, "2008-02-29", "2026-03-01T00:00:00Z"),
        ({"leap_day_birthday": "february_28"}, "2008-02-29", "2026-02-28T00:00:00Z"),
        ({"min_age": 21}, "2003-11-20", "2024-11-20T00:00:00Z"),
    ],
)
def test_the_birthday_timer_follows_the_zone_the_leap_day_reading_and_the_minimum_age(
    overrides: dict[str, object], birthdate: str, adult_at: str
) -> None:
    world = _world(**overrides)
    world.add_shop("gb", region="GB")
    world.add_creator("kid", country="GB", age=30, ecommerce_permission=False)
    world.invite("gb", "kid")
    world.accept("kid", "gb")
    world.set_creator("kid", birthdate=birthdate, ecommerce_permission=True)
    due = datetime.fromisoformat(adult_at)
    assert [(t.event, t.due) for t in world.pending_timers()] == [("birthday", due)]
    world.advance_to(due - SECOND)
    assert world.binding("gb", "kid").state == "stuck"
    world.advance(SECOND)
    assert world.binding("gb", "kid").bound_at == due


def test_a_changed_birthdate_moves_the_birthday_timer_and_the_old_one_never_fires() -> None:
    world = _stuck_under_18(_world())
    world.set_creator("kid", birthdate="2006-12-01")  # 18 eleven days later
    later = datetime.fromisoformat("2024-12-01T00:00:00+00:00")
    assert [(t.event, t.due) for t in world.pending_timers()] == [("birthday", later)]
    world.advance_to(BIRTHDAY + SECOND)
    assert world.binding("gb", "kid").state == "stuck"
    assert not any(e.action == "birthday" for e in world.log)
    world.set_creator("kid", birthdate="2000-01-01")  # a grown-up after all: it completes now
    assert world.binding("gb", "kid").bound_at == BIRTHDAY + SECOND
    assert world.pending_timers()[0].event == "unlock"
    world.advance_to(later + SECOND)
    assert not any(e.action == "birthday" for e in world.log)


def test_a_fixed_age_under_18_arms_no_birthday() -> None:
    """A fixed `age` never grows (A-AGE): nothing will release the binding by itself."""
    world = _stuck_under_18(_world())
    world.set_creator("kid", age=17)
    assert world.pending_timers() == []
    assert _reasons(world) == ["UNDER_18"]


def test_a_birthday_timer_is_saved_and_loaded_with_the_world() -> None:
    world = _stuck_under_18(_world())
    loaded = World.from_dict(world.to_dict())
    assert loaded.pending_timers() == world.pending_timers()
    assert loaded.binding("gb", "kid").adult_at == BIRTHDAY
    loaded.advance_to(BIRTHDAY)
    assert loaded.binding("gb", "kid").bound_at == BIRTHDAY


def test_a_pending_invitation_is_judged_by_the_age_at_the_moment_of_the_accept() -> None:
    """R-FAIL(2), A-CHECK-AGAIN, A-AGE: no timer needed; the confirmation reads the age then."""
    world = _world(invite_ttl="30d")
    world.add_shop("gb", region="GB")
    world.add_creator("kid", country="GB", age=24)
    world.invite("gb", "kid")
    world.set_creator("kid", birthdate=BIRTHDATE)
    world.advance_to(BIRTHDAY - SECOND)
    with pytest.raises(Refused) as refused:
        world.accept("kid", "gb")
    assert refused.value.codes == (Reason.UNDER_18.value,)
    world.advance(SECOND)
    world.accept("kid", "gb")
    assert world.binding("gb", "kid").bound_at == BIRTHDAY


def test_both_engines_complete_the_binding_at_the_birthday() -> None:
    worlds = [
        _stuck_under_18(World(clock=ManualClock(START), engine=name))
        for name in ("table", "statemachine")
    ]
    for world in worlds:
        world.advance_to(BIRTHDAY)
    assert worlds[0].log == worlds[1].log


def test_a_snapshot_saved_before_birthdays_were_timers_gets_its_birthday_armed_on_load() -> None:
    """Snapshot files written before issue 24 have no adult_at and no birthday timer."""
    world = _stuck_under_18(_world())
    data = world.to_dict()
    for binding in data["bindings"]:
        binding.pop("adult_at", None)
    data["timers"] = [t for t in data["timers"] if t[4] != "birthday"]
    loaded = World.from_dict(data)
    assert [(t.event, t.due) for t in loaded.pending_timers()] == [("birthday", BIRTHDAY)]
    loaded.advance_to(BIRTHDAY)
    assert loaded.binding("gb", "kid").bound_at == BIRTHDAY


def test_a_snapshot_with_an_account_born_after_its_time_is_refused() -> None:
    from bindsim.errors import InvalidSnapshot

    world = _world()
    world.add_creator("kid", country="GB", birthdate=BIRTHDATE)
    data = world.to_dict()
    next(c for c in data["creators"] if c["id"] == "kid")["birthdate"] = "2024-11-12"
    with pytest.raises(InvalidSnapshot, match="kid.*not born yet"):
        World.from_dict(data)


def test_a_birthdate_changed_and_changed_back_arms_its_birthday_once() -> None:
    world = _stuck_under_18(_world(), fix_registration=False)
    world.set_creator("kid", age=30)  # UNDER_18 goes: the timer is stale
    assert world.pending_timers() == []
    world.set_creator("kid", birthdate=BIRTHDATE)  # back: the same birthday, armed once
    assert [(t.event, t.due) for t in world.pending_timers()] == [("birthday", BIRTHDAY)]
    world.advance_to(BIRTHDAY)
    assert [e.action for e in world.log].count("birthday") == 1


@pytest.mark.parametrize("early", [timedelta(0), -SECOND])
def test_a_birthday_armed_at_or_before_its_step_is_refused_not_fired_forever(
    monkeypatch: pytest.MonkeyPatch, early: timedelta
) -> None:
    """Under 18 now, the 18th birthday lies ahead. Were the age and the birthday moment ever to
    disagree (adult_from at or before now while age_at says 17), the timer would come due at
    once, and its firing would arm it again, for ever: the step is refused instead, and undone."""
    from bindsim.errors import InvariantBroken
    from bindsim.simulator import checks

    world = _stuck_under_18(_world(), fix_registration=False)
    before = world.to_dict()
    monkeypatch.setattr(checks, "adult_from", lambda creator, rules: world.now + early)
    with pytest.raises(InvariantBroken, match="birthday of .* armed at"):
        world.set_creator("kid", registration_country="GB")
    assert world.to_dict() == before
