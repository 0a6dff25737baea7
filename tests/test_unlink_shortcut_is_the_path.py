"""One path, one answer (issue 24): World.request_unlink is the creator's tap path
(R-UNLINK-PATH), so it is refused exactly where and how tapping the labels one by one is, under
every A-CHANNEL-UNLINK and A-HOME-REGION setting: a hidden showcase button first, then
A-CHANNEL-UNLINK at "Send unlink request"."""

from __future__ import annotations

import pytest

from bindsim import ManualClock, Ruleset, World
from bindsim.errors import BindSimError
from bindsim.simulator.clock import DEFAULT_START as START
from bindsim.simulator.screens import UNLINK_PATH


def _bound(role: str, channel_unlink: bool, network: str, home_region: str) -> World:
    rules = Ruleset().with_overrides({"channel_unlink": channel_unlink})
    world = World(clock=ManualClock(START), ruleset=rules)
    world.add_shop("shop", region="GB", kind="invited")
    world.add_creator("carol", country="GB", age=24)
    world.invite("shop", "carol", role=role)
    world.accept("carol", "shop")
    world.advance("24h")
    world.set_creator("carol", network=network, home_region=home_region)
    return world


def _outcome(call: object) -> tuple[str, tuple[str, ...]]:
    try:
        call()  # type: ignore[operator]
    except BindSimError as error:
        return type(error).__name__, tuple(getattr(error, "codes", ()))
    return "ok", ()


def _by_taps(world: World) -> tuple[str, tuple[str, ...]]:
    for label in UNLINK_PATH:
        outcome = _outcome(lambda label=label: world.tap("carol", label))
        if outcome[0] != "ok":
            return outcome
    return "ok", ()


@pytest.mark.parametrize("role", ["official", "channel"])
@pytest.mark.parametrize("channel_unlink", [True, False])
@pytest.mark.parametrize(("network", "home_region"), [("GB", "GB"), ("FR", "GB"), ("GB", "FR")])
def test_the_shortcut_and_the_tap_path_give_the_same_answer(
    role: str, channel_unlink: bool, network: str, home_region: str
) -> None:
    shortcut = _bound(role, channel_unlink, network, home_region)
    taps = _bound(role, channel_unlink, network, home_region)
    answer = _outcome(lambda: shortcut.request_unlink("carol"))
    assert answer == _by_taps(taps)
    assert shortcut.binding("shop", "carol").states == taps.binding("shop", "carol").states
    abroad = network != "GB" or home_region != "GB"
    if abroad:  # R-UNLINK-PATH step 2: the showcase button is hidden, whatever the role
        assert answer[0] == "NotVisible" and "NOT_VISIBLE" in answer[1]
    elif role == "channel" and not channel_unlink:  # A-CHANNEL-UNLINK at the last label
        assert answer == ("InvalidAction", ())
    else:
        assert answer == ("ok", ())


def test_a_channel_creator_abroad_with_channel_unlink_off_meets_the_hidden_showcase_first() -> None:
    """The case the issue found: "does not apply" before, NOT_VISIBLE now, as on the phone."""
    world = _bound("channel", False, "FR", "GB")
    assert _outcome(lambda: world.request_unlink("carol")) == (
        "NotVisible",
        ("NETWORK_REGION_MISMATCH", "NOT_VISIBLE"),
    )
    assert world.log[-1].outcome == "refused"
