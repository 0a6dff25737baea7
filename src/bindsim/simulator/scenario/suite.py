"""A suite: the cases of every scenario file under some paths, loaded and selected, then run.

`bindsim run`, `bindsim check`, `bindsim rules` and the reports share it: each case knows its
share of the time spent reading and validating its file, so a report's durations are whole.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bindsim.errors import InvalidScenario, ScenarioError
from bindsim.machines import Ruleset
from bindsim.simulator.properties import Property
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.runner import ScenarioResult, run
from bindsim.simulator.scenario.validate import find_files, load_cases


@dataclass
class Suite:
    """The cases found under some paths (one per scenario, one per example row), with the time
    each file took to load, and every problem of the invalid files."""

    cases: list[model.Scenario] = field(default_factory=list)
    errors: list[ScenarioError] = field(default_factory=list)
    files: int = 0
    load_seconds: dict[int, float] = field(default_factory=dict)  # id(case) → its share

    def select(self, tags: Sequence[str] = (), keywords: Sequence[str] = ()) -> Suite:
        """The cases with any of `tags` (when given) matching every keyword (see `matches`)."""
        chosen = [
            case
            for case in self.cases
            if (not tags or set(tags) & set(case.tags))
            and all(matches(case, word) for word in keywords)
        ]
        return replace(self, cases=chosen)

    def run(
        self,
        base: Ruleset | None = None,
        exitfirst: bool = False,
        properties: Sequence[tuple[str, Property]] = (),
        contracts: bool = True,
    ) -> list[ScenarioResult]:
        """Run every case in order (checking `properties`, and the contracts unless told not
        to, after each step); with exitfirst, stop after the first that fails."""
        results = []
        for case in self.cases:
            result = run(case, base, properties, contracts)
            result.load_seconds = self.load_seconds.get(id(case), 0.0)
            results.append(result)
            if exitfirst and not result.passed:
                break
        return results


def load_suite(paths: Iterable[str], require_steps: bool = True) -> Suite:
    """Every case under `paths` (files, or folders searched for *.scenario.yaml), validated;
    the problems of all invalid files together."""
    suite = Suite()
    for raw in paths:
        files = find_files([raw])
        if not files:
            suite.errors.append(ScenarioError(raw, 1, 1, "no *.scenario.yaml files here"))
        for path in files:
            suite.files += 1
            began = time.perf_counter()
            try:
                cases = load_cases(path, require_steps)
            except InvalidScenario as invalid:
                suite.errors += invalid.errors
                continue
            share = (time.perf_counter() - began) / len(cases)
            for case in cases:
                suite.cases.append(case)
                suite.load_seconds[id(case)] = share
    return suite


def matches(case: model.Scenario, keyword: str) -> bool:
    """Whether `-k keyword` selects the case: a case-insensitive part of its name, file name,
    rule IDs or tags; `not WORD` selects the cases it does not match."""
    negated = re.match(r"not\s+(.*)", keyword.strip(), re.I)
    word = (negated[1] if negated else keyword).strip().lower()
    haystack = " ".join(
        [case.case_name, Path(case.path).name, *case.rules, *case.tags, case.name_zh or ""]
    ).lower()
    found = word in haystack
    return not found if negated else found
