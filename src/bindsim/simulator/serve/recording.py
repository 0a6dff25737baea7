"""A browser session as a scenario: its steps made, and its file written, by the scenario format.

A step is made by the format's own reader: the step's data goes into a one-step document (JSON,
which YAML 1.2 reads as it is) with the session's cast, and `load_text` validates it. So what the
browser records is what a file would hold, and `run_step` runs it as `bindsim run` will.

>>> from bindsim.simulator.scenario.model import CreatorSpec, ShopSpec
>>> cast = Cast((ShopSpec("gb", "GB"),), (CreatorSpec("alice", (("country", "GB"), ("age", 24))),))
>>> make_step(cast, {"tap": {"creator": "alice", "on": ["Showcase"]}}).describe()
'tap: {creator: alice, on: [Showcase]}'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from bindsim.errors import InvalidScenario, InvalidStep
from bindsim.simulator.scenario import Scenario, Step, load_text
from bindsim.simulator.scenario.model import CreatorSpec, ShopSpec
from bindsim.simulator.serve.catalog import guarded

WHERE = "<browser>"


@dataclass(frozen=True, slots=True)
class Cast:
    """The shops and creators a session declares, in the order they were added."""

    shops: tuple[ShopSpec, ...] = ()
    creators: tuple[CreatorSpec, ...] = ()

    def document(self, steps: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "name": "bindsim serve",
            "shops": {shop.id: shop.to_data() for shop in self.shops},
            "creators": {creator.id: creator.to_data() for creator in self.creators},
            "steps": steps,
        }


def make_step(cast: Cast, data: dict[str, Any]) -> Step:
    """The scenario step for `data` (`{"invite": {"shop": "gb", ...}}`), validated as in a file."""
    text = json.dumps(cast.document([data]), ensure_ascii=False, default=str)
    try:
        scenario = guarded(lambda: load_text(text, WHERE), WHERE)
    except InvalidScenario as invalid:
        raise InvalidStep([error.text for error in invalid.errors]) from None
    (step,) = scenario.steps
    return step


ACTED = ("ok", "refused")  # the runner's outcomes of an action that happened (and is logged)


def as_played(step: Step, outcome: str, reasons: tuple[str, ...]) -> Step:
    """An action as it went, refused with its codes or done, so that it replays the same way;
    any other step as it is written."""
    if step.verb == "expect" or outcome not in ACTED:
        return step
    return replace(step, expect_error=tuple(reasons) if outcome == "refused" else None)


def scenario_of(base: Scenario, cast: Cast, steps: list[Step]) -> Scenario:
    """The session as a scenario: the base's name, start and rules; the session's cast and steps."""
    return replace(base, steps=tuple(steps), shops=cast.shops, creators=cast.creators)


def file_name(scenario: Scenario) -> str:
    """A download name from the scenario's name: `official-account-story.scenario.yaml`."""
    stem = re.sub(r"[^a-z0-9]+", "-", scenario.name.lower()).strip("-")
    if len(stem) > 60:  # at a word's end
        stem = stem[:61].rsplit("-", 1)[0]
    return f"{stem or 'session'}.scenario.yaml"
