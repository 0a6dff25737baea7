"""`bindsim demo` (what `make demo` runs): the library's summary, then the gallery of pictures."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bindsim.diagrams import dot_available
from bindsim.simulator.cli import main

ROOT = Path(__file__).resolve().parent.parent
STORY = (
    ROOT / "src" / "bindsim" / "scenarios" / "stories" / "official_account_lifecycle.scenario.yaml"
)


@pytest.fixture(autouse=True)
def picture_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test draws into a cache of its own, never the user's."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("BINDSIM_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A small library: one story and one plain scenario."""
    (tmp_path / "lib" / "stories").mkdir(parents=True)
    shutil.copy(STORY, tmp_path / "lib" / "stories")
    shutil.copy(
        ROOT
        / "src"
        / "bindsim"
        / "scenarios"
        / "invitations"
        / "expired_at_exactly_48h.scenario.yaml",
        tmp_path / "lib",
    )
    return tmp_path / "lib"


@pytest.mark.skipif(not dot_available(), reason="Graphviz `dot` is not installed")
def test_demo_runs_the_library_and_writes_a_gallery_whose_links_all_resolve(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    # 48 dpi: the PNGs are what costs, and their size is not what this test is about
    assert main(["demo", "--out", str(out), "--scenarios", str(library), "--dpi", "48"]) == 0
    printed = capsys.readouterr().out
    assert "2 passed, 0 failed" in printed
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="([^"#:]+)"', index)
    assert any("official_account_lifecycle.timeline" in link for link in links)
    assert any("binding.zh" in link for link in links)
    assert not [link for link in links if not (out / link).exists()]


def test_demo_exits_1_when_a_scenario_of_the_library_fails(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = library / "stories" / STORY.name
    story.write_text(
        story.read_text().replace("official_unbinds_left: 3", "official_unbinds_left: 2", 1)
    )
    assert main(["demo", "--out", str(tmp_path / "out"), "--scenarios", str(library)]) == 1
    assert "1 failed" in capsys.readouterr().out
