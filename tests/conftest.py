"""Shared fixtures: one test body runs on both clocks (SystemClock under freezegun, ManualClock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from freezegun import freeze_time

from bindsim.simulator import ManualClock, Ruleset, World
from bindsim.simulator.clock import DEFAULT_START, as_duration

START = DEFAULT_START
SECOND = timedelta(seconds=1)


@dataclass
class Clocked:
    """A World plus the one way to move its clock: freezegun's tick/move_to, or ManualClock's."""

    kind: str  # "freezegun" (World() on SystemClock) or "manual" (World(clock=ManualClock(...)))
    world: World
    _tick: Callable[[timedelta], object]
    _move_to: Callable[[datetime], object]

    def tick(self, by: timedelta | str) -> None:
        """Move the clock forward by a duration ("47h59m59s" or a timedelta)."""
        self._tick(as_duration(by))

    def move_to(self, when: datetime) -> None:
        """Move the clock to an aware time (forward, or backwards to provoke ClockWentBackwards)."""
        self._move_to(when)

    def clock_now(self) -> datetime:
        """What the clock reads, without asking the World (which would fire timers)."""
        return self.world.clock.now()

    def restart(self, ruleset: Ruleset | None = None) -> World:
        """A fresh World with other rules, on the same kind of clock, at the clock's time."""
        if self.kind == "freezegun":
            self.world = World(ruleset=ruleset)
        else:
            self.world = World(clock=ManualClock(self.clock_now()), ruleset=ruleset)
            self._tick = self.world.advance
            self._move_to = self.world.advance_to
        return self.world


def manual_clocked(start: datetime = START, ruleset: Ruleset | None = None) -> Clocked:
    world = World(clock=ManualClock(start), ruleset=ruleset)
    return Clocked("manual", world, world.advance, world.advance_to)


@pytest.fixture(params=["freezegun", "manual"])
def clocked(request: pytest.FixtureRequest) -> Iterator[Clocked]:
    """The same test twice: World() under freeze_time(...) and World(clock=ManualClock(...))."""
    if request.param == "manual":
        yield manual_clocked()
        return
    with freeze_time(START) as frozen:
        yield Clocked("freezegun", World(), frozen.tick, frozen.move_to)


# Library cases that `bindsim run`'s contracts (issue 21) find broken by a defect of the
# operations fixed on its own branch (issue 24: channel_binds_left does not count the place a
# stuck channel binding reserves under channel_count_from "bound", A-CHANNEL-COUNT). Strict: once
# the fix is merged these pass, the xfail fails, and this list goes.
KNOWN_DEFECTS = {
    "limits/failed_channel_binding_gives_its_count_back.scenario.yaml": "[bound-1]",
    "limits/stuck_channel_binding_counted_from_acceptance_or_completion.scenario.yaml": (
        "[bound-1-0]"
    ),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for path, case in KNOWN_DEFECTS.items():
            if item.nodeid.startswith(f"src/bindsim/scenarios/{path}") and item.nodeid.endswith(
                case
            ):
                item.add_marker(
                    pytest.mark.xfail(
                        reason="issue 24: channel_binds_left misses the reservation",
                        strict=True,
                    )
                )
