"""`bindsim diagram --coverage RUN` (issue 10, item 4): each machine drawn with what a run
exercised, read from its log, in one colour and the rest in another."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bindsim.simulator.cli import main

# R-LOCK-24H, R-UNLINK-PATH, R-UNLINK-APPROVE: bound, locked 24h, unlinked twice over.
TWICE = """\
name: unbound twice
shops: {gb: {region: GB}}
creators: {ann: {country: GB, age: 24}}
steps:
  - invite: {shop: gb, creator: ann, role: official}
  - accept: {creator: ann, shop: gb}
  - advance: 24h
  - request_unlink: {creator: ann}
  - approve_unlink: {shop: gb, creator: ann}
  - invite: {shop: gb, creator: ann, role: official}
  - accept: {creator: ann, shop: gb}
  - advance: 24h
  - request_unlink: {creator: ann}
  - approve_unlink: {shop: gb, creator: ann}
"""


def _edge(dot: str, event: str) -> str:
    """The attributes of the arrow `event` in a DOT source."""
    (line,) = [x for x in dot.splitlines() if re.search(rf'id="Binding:[^"]*-{event}->', x)]
    return line


def _binding_dot(tmp_path: Path, lang: str = "en") -> str:
    scenario = tmp_path / "twice.scenario.yaml"
    scenario.write_text(TWICE, encoding="utf-8")
    out = tmp_path / "out"
    args = ["diagram", "binding", "--coverage", str(scenario), "-f", "dot", "-l", lang]
    assert main([*args, "-o", str(out), "--no-cache"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"binding.coverage.{lang}.dot"]
    return (out / f"binding.coverage.{lang}.dot").read_text(encoding="utf-8")


def test_exercised_arrows_are_blue_with_their_count_and_the_rest_orange(tmp_path: Path) -> None:
    dot = _binding_dot(tmp_path)
    for event in ("unlock", "request_unlink", "approve_unlink"):
        assert "class=taken" in _edge(dot, event) and "×2" in _edge(dot, event)
    for event in ("decline_unlink", "release", "fail"):  # never in this run
        arrow = _edge(dot, event)
        assert "class=missed" in arrow and "style=dashed" in arrow and "×" not in arrow


def test_the_title_counts_states_and_transitions_exercised(tmp_path: Path) -> None:
    # Entered: binding, locked, unlockable, unlink_requested, unbound (not stuck, failed).
    # Taken: confirm (not stuck), unlock, request_unlink, approve_unlink, of 8.
    dot = _binding_dot(tmp_path)
    assert "Coverage: 5/7 states, 4/8 transitions exercised" in dot
    stuck = re.search(r"\bstuck \[[^\]]*\]", dot, re.S)
    assert stuck is not None and "dashed" in stuck.group(0)


def test_the_picture_speaks_chinese_too(tmp_path: Path) -> None:
    assert "覆盖率:已覆盖状态 5/7,已覆盖转换 4/8" in _binding_dot(tmp_path, "zh")


def test_all_machines_are_drawn_when_none_is_named(tmp_path: Path) -> None:
    scenario = tmp_path / "twice.scenario.yaml"
    scenario.write_text(TWICE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["diagram", "--coverage", str(scenario), "-f", "dot", "-o", str(out)]) == 0
    names = sorted(p.name.split(".")[0] for p in out.iterdir())
    assert names == ["binding", "creator_app", "invitation", "seller_center", "support_ticket"]


def test_an_invalid_run_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text("name: x\nshops: {gb: {region: Nowhere}}\nsteps: []\n", encoding="utf-8")
    assert main(["diagram", "--coverage", str(bad), "-o", str(tmp_path / "out")]) == 2
    assert f"{bad}:2:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing written


def test_a_folder_without_scenarios_is_an_error_not_a_picture_of_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["diagram", "--coverage", str(tmp_path / "empty"), "-o", str(tmp_path / "o")]) == 2
    assert "no *.scenario.yaml" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("event", "before", "after", "arrow"),
    [
        ("confirm", ("binding",), ("stuck",), ("binding", "stuck", "confirm")),
        # The second confirm arrow: into compound `bound`, which lands on its child `locked`.
        ("confirm", ("binding",), ("bound", "locked"), ("binding", "bound", "confirm")),
        (
            "unlock",
            ("bound", "locked"),
            ("bound", "unlockable"),
            ("locked", "unlockable", "unlock"),
        ),
        ("confirm", (), ("bound", "locked"), None),  # a creation: no state before, no arrow
        ("release", ("binding",), ("bound", "locked"), None),  # not declared from `binding`
    ],
)
def test_coverage_and_the_diagrams_read_a_move_as_the_same_arrow(
    event: str, before: tuple[str, ...], after: tuple[str, ...], arrow: tuple[str, ...] | None
) -> None:
    """machines.spec.taken is the one reading of which declared transition a move took: the
    spec's (coverage counts it) and the diagram model's (a run is drawn over it) agree."""
    from bindsim.diagrams.extract import extract
    from bindsim.machines import Binding
    from bindsim.machines.spec import spec_of, taken
    from bindsim.simulator.coverage import of_changes
    from bindsim.simulator.log import Change

    spec, diagram = spec_of(Binding), extract(Binding)
    by_spec = taken(spec.transitions, spec.leaf, event, before, after)
    by_diagram = taken(diagram.transitions, diagram.leaf, event, before, after)
    read = [None if a is None else (a.source, a.target, a.event) for a in (by_spec, by_diagram)]
    assert read == [arrow, arrow]
    # What coverage counts for such a change is that arrow.
    items = of_changes([Change("bind-1", "Binding", event, before, after)])
    counted = [item[2] for item in items if item[0] == "transition"]
    assert counted == ([] if arrow is None else [f"{arrow[0]}>{arrow[1]}:{arrow[2]}"])
