"""The scenario library as a whole: every file titled in English and Chinese, cited by rule, and
listed in scenarios/README.md (the library's contents page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bindsim.diagrams import words
from bindsim.machines.rules import ASSUMPTIONS, RULES
from bindsim.simulator.actions import ACTION_WORDS
from bindsim.simulator.scenario import find_files, load_cases, load_file, run

LIBRARY = Path(__file__).resolve().parent.parent / "src" / "bindsim" / "scenarios"
FILES = find_files([LIBRARY])
HAN = re.compile(r"[\u4e00-\u9fff]")


def _id(path: Path) -> str:
    return str(path.relative_to(LIBRARY))


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_every_library_scenario_has_a_chinese_title_and_names_its_rules(path: Path) -> None:
    """Chinese pictures, storyboards and the gallery read name_zh; without it they fall back to
    the English name in the middle of a Chinese page."""
    scenario = load_file(path)
    assert scenario.name_zh, f"{_id(path)} has no name_zh"
    assert HAN.search(scenario.name_zh), f"{_id(path)}: name_zh is not Chinese"
    assert scenario.title("zh").startswith(scenario.name_zh)
    assert scenario.rules, f"{_id(path)} names no rule"


def test_every_rule_and_assumption_is_cited_by_a_library_scenario() -> None:
    """The seed is the spec: each rule (R-...) and assumption (A-...) has a scenario of its own
    in the library that names it (`rules:`), and every name cited is one of them."""
    cited = {rule for path in FILES for rule in load_file(path).rules}
    assert sorted(set(RULES) - cited) == []
    assert sorted(set(ASSUMPTIONS) - cited) == []
    assert sorted(cited - set(RULES) - set(ASSUMPTIONS)) == []


def test_the_library_readme_lists_every_scenario_once() -> None:
    readme = (LIBRARY / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\(([^)]+\.scenario\.yaml)\)", readme)
    assert sorted(linked) == sorted(_id(path) for path in FILES)


def test_what_the_library_shows_in_chinese_pictures_has_chinese_words() -> None:
    """Every action logged, timer left running and step outcome of the library's runs is named
    in the words the simulator hands the diagrams (ACTION_WORDS) and in words.OUTCOMES: a
    storyboard or timeline in Chinese shows no English."""
    actions, outcomes = set(), set()
    for path in FILES:
        for case in load_cases(path):
            result = run(case)
            actions |= {entry.action for entry in result.world.log}
            actions |= {timer.event for timer in result.world.pending_timers()}
            outcomes |= {step.outcome for step in result.steps if step.passed is not None}
    assert {"deliver", "expire", "unlock", "resolve"} <= actions  # the run reaches every timer
    assert actions - set(ACTION_WORDS) == set()
    assert outcomes - set(words.OUTCOMES) == set()
    assert all(HAN.search(ACTION_WORDS[action].zh) for action in actions)
