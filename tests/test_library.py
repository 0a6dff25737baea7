"""The scenario library as a whole: every file titled in English and Chinese, cited by rule, and
listed in scenarios/README.md (the library's contents page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bindsim.simulator.scenario import find_files, load_file

LIBRARY = Path(__file__).resolve().parent.parent / "scenarios"
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


def test_the_library_readme_lists_every_scenario_once() -> None:
    readme = (LIBRARY / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\(([^)]+\.scenario\.yaml)\)", readme)
    assert sorted(linked) == sorted(_id(path) for path in FILES)
