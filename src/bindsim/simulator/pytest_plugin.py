"""The bindsim pytest plugin (registered by entry point): *.scenario.yaml files as test items,
and fixtures for hand-written tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bindsim.errors import ScenarioFailed
from bindsim.simulator.clock import DEFAULT_START, ManualClock, as_duration, as_instant
from bindsim.simulator.world import World

if TYPE_CHECKING:
    from bindsim.simulator.scenario.model import Scenario

SUFFIX = ".scenario.yaml"
# Modules whose clock freezegun leaves alone (pytest and its plugins time the tests with it).
PYTEST_MODULES = ["_pytest", "pytest", "xdist", "pluggy"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scenario: a bindsim *.scenario.yaml file run as a test")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    """A scenario file: validated when collected (an invalid file is a collection error)."""

    def collect(self) -> Iterator[pytest.Item]:
        from bindsim.simulator.scenario.validate import load_cases

        for scenario in load_cases(self.path):
            yield ScenarioItem.from_parent(self, name=item_id(scenario), scenario=scenario)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:  # type: ignore[override]
        from bindsim.errors import InvalidScenario

        if isinstance(excinfo.value, InvalidScenario):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


def slug(text: str, limit: int = 48) -> str:
    """A short id of a text's words: "The lock holds for 24 hours" → the-lock-holds-for-24-hours."""
    words = re.findall(r"[^\W_]+", text.lower())
    short = ""
    for word in words:
        if len(short) + len(word) + 1 > limit and short:
            break
        short = f"{short}-{word}" if short else word[:limit]
    return short or "scenario"


def item_id(scenario: Scenario) -> str:
    """A pytest id: the slug of the name, and for a row of examples its values: `x[48h-expired]`."""
    name = slug(scenario.name)
    if scenario.example is None:
        return name
    values = "-".join(slug(str(value), 20) for _, value in scenario.example_values)
    return f"{name}[{values or scenario.example}]"


class ScenarioItem(pytest.Item):
    """One scenario (or one row of its examples) run as a test; its rule IDs, tags and whole
    name are keywords (`pytest -k R-LOCK-24H`, `-k smoke`)."""

    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.extra_keyword_matches.update(scenario.rules)
        self.extra_keyword_matches.update(scenario.tags)
        self.extra_keyword_matches.add(scenario.case_name)
        self.add_marker("scenario")

    def runtest(self) -> None:
        from bindsim.simulator.scenario.runner import run

        result = run(self.scenario)
        if not result.passed:
            raise ScenarioFailed(result)

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> Any:
        if not isinstance(excinfo.value, ScenarioFailed):
            return super().repr_failure(excinfo)
        from bindsim.simulator.scenario.report import failure_lines, trace_lines

        result = excinfo.value.result
        failure = result.failure
        assert failure is not None
        lines = failure_lines(self.scenario, failure)
        return "\n".join([lines[0], *lines[1:], "", "steps run:", *trace_lines(result)])

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.line - 1, f"scenario: {self.scenario.case_name}"


@pytest.fixture
def world() -> World:
    """A fresh World on a ManualClock at 2024-11-11T12:00:00Z: move it with world.advance()."""
    return World(clock=ManualClock(DEFAULT_START))


class FrozenWorld:
    """A World on the system clock while freezegun holds the time at 2024-11-11T12:00:00Z.

    Move time as the platform lives it, with `tick("48h")` or `move_to(...)`; the World's next
    call fires whatever came due, each timer at its own due time.
    """

    def __init__(self, frozen: Any) -> None:
        self.world = World()
        self._frozen = frozen

    def tick(self, by: timedelta | str | float) -> datetime:
        """Move the frozen time forward ("90s", "47h59m59s", a timedelta); returns the new time."""
        self._frozen.tick(as_duration(by))
        return self.world.now

    def move_to(self, when: datetime | str) -> datetime:
        """Move the frozen time to an aware time (earlier provokes ClockWentBackwards)."""
        self._frozen.move_to(as_instant(when))
        return self.world.now


@pytest.fixture
def frozen_world() -> Iterator[FrozenWorld]:
    """A FrozenWorld: `.world` on the system clock under freezegun, moved by `.tick("24h")`."""
    from freezegun import freeze_time

    # pytest's own clock stays real, so that `pytest --durations` times the test, not the jump.
    with freeze_time(DEFAULT_START, ignore=PYTEST_MODULES) as frozen:
        yield FrozenWorld(frozen)
