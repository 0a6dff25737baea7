"""Ruleset settings that contradict each other are refused when the ruleset is read, naming each
setting and its value (issue 24); combinations that only look odd are allowed, and their meaning
is pinned here."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import SECOND

from bindsim import InvalidArgument, ManualClock, Refused, World
from bindsim.errors import ContradictorySettings, InvalidScenario, InvalidSnapshot
from bindsim.machines import Ruleset
from bindsim.machines.ruleset import CONTRADICTIONS
from bindsim.simulator.cli import main
from bindsim.simulator.clock import DEFAULT_START as START
from bindsim.simulator.reference import reference_markdown
from bindsim.simulator.ruleset_file import load_ruleset
from bindsim.simulator.scenario import load_text


def test_no_official_slot_means_no_official_account_not_a_contradiction() -> None:
    """R-SLOT-OPEN, R-SLOT-INVITED with official_slots = 0: allowed (as channel slots 0 are), and
    what it means is that an official invitation is refused OFFICIAL_SLOT_TAKEN while channel
    creators bind as usual; explore's casts use it to study the channel rules alone."""
    world = World(clock=ManualClock(START), ruleset=Ruleset().with_overrides({"official_slots": 0}))
    world.add_shop("gbi", region="GB", kind="invited")
    world.add_creator("ann", country="GB", age=24)
    with pytest.raises(Refused) as refused:
        world.invite("gbi", "ann", role="official")
    assert refused.value.codes == ("OFFICIAL_SLOT_TAKEN",)
    world.invite("gbi", "ann", role="channel")
    world.accept("ann", "gbi")
    assert world.channels("gbi") == ["ann"]


@pytest.mark.parametrize(
    ("overrides", "refused"),
    [
        ({"channel_bind_limit": 0}, True),
        ({"channel_bind_limit": 0, "channel_slots_open": 2, "channel_slots_invited": 0}, True),
        ({"channel_bind_limit": 0, "channel_slots_invited": 0}, False),
        ({"channel_bind_limit": 1}, False),
    ],
)
def test_channel_slots_need_a_channel_bind_limit_of_at_least_one(
    overrides: dict[str, int], refused: bool
) -> None:
    """R-CHANNEL-10-180D with R-SLOT-INVITED: slots no binding could fill contradict the limit."""
    if not refused:
        Ruleset().with_overrides(overrides)
        return
    with pytest.raises(ContradictorySettings) as error:
        Ruleset().with_overrides(overrides)
    assert "channel_bind_limit = 0, channel_slots_invited = " in str(error.value)
    assert error.value.settings == (
        "channel_bind_limit",
        "channel_slots_invited",
        "channel_slots_open",
    )


def test_a_scenario_file_is_refused_at_the_setting_and_judged_as_a_whole() -> None:
    head = "name: x\nshops: {gb: {region: GB}}\nsteps:\n  - advance: 1s\n"
    with pytest.raises(InvalidScenario) as invalid:
        load_text(head + "ruleset:\n  channel_bind_limit: 0\n", "x.scenario.yaml")
    assert [(e.line, e.column) for e in invalid.value.errors] == [(6, 23)]
    assert "contradict each other: channel_bind_limit = 0" in invalid.value.errors[0].text
    # Each alone would contradict the seed's other settings; together they agree.
    load_text(head + "ruleset: {channel_bind_limit: 0, channel_slots_invited: 0}\n")


def test_a_ruleset_file_is_refused_at_the_setting_and_judged_as_a_whole(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("unbind_lock = '1h'\nchannel_bind_limit = 0\n", encoding="utf-8")
    with pytest.raises(InvalidArgument, match=r"bad.toml:2:1: .*contradict each other"):
        load_ruleset(bad)
    good = tmp_path / "good.toml"
    good.write_text("channel_bind_limit = 0\nchannel_slots_invited = 0\n", encoding="utf-8")
    assert load_ruleset(good).channel_bind_limit == 0


def test_a_scenario_contradicting_the_ruleset_file_is_invalid_at_its_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "no-channels.toml"
    rules.write_text("channel_bind_limit = 0\nchannel_slots_invited = 0\n", encoding="utf-8")
    scenario = tmp_path / "x.scenario.yaml"
    scenario.write_text(
        "name: x\nruleset: {channel_slots_invited: 2}\nshops: {gb: {region: GB}}\n"
        "steps:\n  - advance: 1s\n",
        encoding="utf-8",
    )
    assert main(["run", "--ruleset", str(rules), str(scenario)]) == 2
    assert f"{scenario}:1:1: ruleset: ruleset settings contradict" in capsys.readouterr().err


def test_a_snapshot_with_contradictory_settings_is_refused() -> None:
    world = World(clock=ManualClock(START))
    data = world.to_dict()
    data["ruleset"]["channel_bind_limit"] = 0
    with pytest.raises(InvalidSnapshot, match="channel_bind_limit = 0"):
        World.from_dict(data)


def test_the_reference_lists_every_contradiction() -> None:
    text = reference_markdown()
    for contradiction in CONTRADICTIONS:
        assert contradiction.why in text


# ----------------------------------------------- combinations allowed, with what they mean


def _world(**overrides: object) -> World:
    world = World(clock=ManualClock(START), ruleset=Ruleset().with_overrides(overrides))
    world.add_shop("gb", region="GB", kind="invited")
    world.add_creator("alice", country="GB", age=24)
    return world


@pytest.mark.parametrize(
    ("delay", "answerable", "delivered"),
    [
        (timedelta(hours=48) - SECOND, True, True),
        (timedelta(hours=48), False, True),
        (timedelta(hours=48) + SECOND, False, False),
    ],
)
def test_a_delivery_delay_at_or_beyond_the_ttl_leaves_no_invitation_answerable(
    delay: timedelta, answerable: bool, delivered: bool
) -> None:
    """R-INVITE-48H runs from the sending: one second short of 48h the invitation is pending for
    a second; at 48h it arrives and expires at once; beyond, it expires while still sent."""
    world = _world(invite_delivery_delay=delay)
    world.invite("gb", "alice")
    world.advance(timedelta(hours=48) - SECOND)
    if answerable:
        world.accept("alice", "gb")
        assert world.binding("gb", "alice").state == "bound"
        return
    world.advance(SECOND)
    assert world.invitation("gb", "alice").state == "expired"
    assert [e.action for e in world.log] == [
        "invite",
        *(["deliver"] if delivered else []),
        "expire",
    ]
    with pytest.raises(Refused, match="INVITATION_EXPIRED"):
        world.accept("alice", "gb")


def test_an_unbind_lock_longer_than_the_channel_window_is_allowed() -> None:
    """R-LOCK-24H set to 200d, R-CHANNEL-10-180D's window 180d: the channel binding leaves the
    window (its count comes back) while it is still locked."""
    world = _world(unbind_lock="200d", channel_bind_limit=1)
    world.invite("gb", "alice", role="channel")
    world.accept("alice", "gb")
    world.advance(timedelta(days=180))
    assert world.channel_binds_left("gb") == 1
    assert "locked" in world.binding("gb", "alice").states
    world.advance(timedelta(days=20) - SECOND)
    assert "locked" in world.binding("gb", "alice").states
    world.advance(SECOND)
    assert "unlockable" in world.binding("gb", "alice").states
