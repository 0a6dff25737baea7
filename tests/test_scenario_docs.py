"""Every YAML example in docs/scenarios.md is valid, and every whole scenario there passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bindsim.simulator.scenario import load_text, run

DOC = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
CAST = """\
name: a fragment of the docs
shops: {gb: {region: GB}, us: {region: US, kind: invited}}
creators:
  alice: {country: GB, age: 24}
  bob: {country: GB, age: 30}
  expat: {country: US, age: 30, registration_country: DE}
steps:
"""


def test_the_docs_have_examples() -> None:
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("block", BLOCKS, ids=[b.splitlines()[0][:40] for b in BLOCKS])
def test_a_yaml_example_of_the_docs_is_valid(block: str) -> None:
    if block.startswith("name:"):
        result = run(load_text(block, "docs/scenarios.md"))
        assert result.passed, result.failure and result.failure.message
    elif block.lstrip().startswith("- "):
        load_text(CAST + block, "docs/scenarios.md")
    else:  # a top-level section: shops, creators, ruleset
        load_text(f"name: a section of the docs\n{block}", "docs/scenarios.md", require_steps=False)
