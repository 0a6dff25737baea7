"""The bindsim pytest plugin (registered by entry point): fixtures for hand-written tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator.clock import ManualClock
from simulator.world import World

START = "2024-11-11T12:00:00Z"


@pytest.fixture
def world() -> World:
    """A fresh World on a ManualClock at 2024-11-11T12:00:00Z: move it with world.advance()."""
    return World(clock=ManualClock(START))


@pytest.fixture
def frozen_world() -> Iterator[tuple[World, Any]]:
    """(world, frozen): a World on the system clock under freezegun; move it with frozen.tick()."""
    from freezegun import freeze_time

    with freeze_time(START) as frozen:
        yield World(), frozen
