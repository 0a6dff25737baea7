"""Every YAML example in docs/scenarios.md is valid, and every whole scenario there passes.

A block whose first line is `# file: PATH` is a file the other examples use (a cast file); the
snapshot the `start_from` example names is made here, as a user would make it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bindsim import ManualClock, World
from bindsim.simulator import snapshot
from bindsim.simulator.scenario import load_text, run
from bindsim.simulator.scenario.validate import load_cases

pytest_plugins = ["pytester"]

DOC = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
FILES = [b for b in BLOCKS if b.startswith("# file: ")]
CAST = """\
name: a fragment of the docs
shops: {gb: {region: GB}, us: {region: US, kind: invited}}
creators:
  alice: {country: GB, age: 24}
  bob: {country: GB, age: 30}
  expat: {country: US, age: 30, registration_country: DE}
steps:
"""


@pytest.fixture(scope="module")
def docs_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the files the examples name: the `# file:` blocks and a snapshot."""
    folder = tmp_path_factory.mktemp("docs")
    for block in FILES:
        name = block.splitlines()[0].removeprefix("# file: ").strip()
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(block, encoding="utf-8")
    world = World(clock=ManualClock())
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    (folder / "snapshots").mkdir()
    snapshot.save(world, folder / "snapshots" / "pending_invitation.json")
    return folder


def test_the_docs_have_examples() -> None:
    assert len(BLOCKS) >= 14
    assert FILES, "the include example needs its cast file"


@pytest.mark.parametrize("block", BLOCKS, ids=[b.splitlines()[0][:40] for b in BLOCKS])
def test_a_yaml_example_of_the_docs_is_valid(block: str, docs_folder: Path) -> None:
    if block.startswith("name:"):
        path = docs_folder / f"example_{BLOCKS.index(block)}.scenario.yaml"
        path.write_text(block, encoding="utf-8")
        for case in load_cases(path):
            result = run(case)
            assert result.passed, result.failure and result.failure.message
    elif block.lstrip().startswith("- "):
        load_text(CAST + block, "docs/scenarios.md")
    else:  # a top-level section (shops, creators, ruleset) or a cast file
        load_text(f"name: a section of the docs\n{block}", "docs/scenarios.md", require_steps=False)


PYTHON = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_docs_python_examples_pass_under_pytest(pytester: pytest.Pytester) -> None:
    """Issue 20: the docs described `frozen_world` as a pair, which failed; every Python example
    of docs/scenarios.md now runs as a test file, with the plugin's fixtures."""
    tests = [block for block in PYTHON if "def test_" in block]
    assert tests and any("frozen_world" in block for block in tests)
    pytester.makepyfile(**{f"test_docs_{i}": block for i, block in enumerate(tests)})
    result = pytester.runpytest("-p", "no:cacheprovider", "--durations=0", "-vv")
    count = sum(block.count("def test_") for block in tests)
    result.assert_outcomes(passed=count)
    # --durations times the tests, not the frozen jumps (freezegun leaves pytest's clock alone)
    times = [
        float(t)
        for t in re.findall(r"^([\d.]+)s (?:setup|call|teardown)", result.stdout.str(), re.M)
    ]
    assert times and max(times) < 3600, result.stdout.str()
