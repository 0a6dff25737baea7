"""Drawing with Graphviz: every format, real Chinese glyphs, and the README's pictures current.

Graphviz `dot` and a CJK font come from the system (Debian: graphviz fonts-noto-cjk). Where
they are missing these tests are skipped, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bindsim import ManualClock, World, diagrams
from bindsim.diagrams.style import FONT
from bindsim.machines import Binding
from bindsim.simulator.cli import main
from bindsim.simulator.commands.diagram import DOCS_IMAGES, readme_pictures
from bindsim.simulator.commands.pictures import write_plan

ROOT = Path(__file__).resolve().parent.parent
UNDER_CI = os.environ.get("CI") == "true"


def require(tool: str) -> None:
    if shutil.which(tool) is None:
        if UNDER_CI:
            pytest.fail(
                f"{tool} is missing under CI: the Makefile installs graphviz fonts-noto-cjk"
            )
        pytest.skip(f"{tool} is not installed (sudo apt-get install graphviz fonts-noto-cjk)")


@pytest.fixture
def dot() -> None:
    require("dot")


MAGIC = {"svg": b"<svg", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph Binding"}


@pytest.mark.usefixtures("dot")
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "dot", "mermaid"])
def test_a_machine_renders_to_every_format(fmt: str) -> None:
    data = diagrams.render(Binding, fmt, "zh")
    if fmt == "mermaid":
        assert data.decode().startswith("stateDiagram-v2")
    else:
        assert MAGIC[fmt] in data[:400]
    if fmt == "svg":
        assert "已绑定" in data.decode()  # the Chinese labels are text in the SVG


@pytest.mark.usefixtures("dot")
def test_every_machine_renders_to_svg_in_both_languages(tmp_path: Path) -> None:
    machines = list(diagrams.machine_classes().values())
    written = write_plan(
        diagrams.machine_files(machines, ["svg"], ["en", "zh"]), tmp_path, diagrams.Renderer()
    )
    assert len(written) == 2 * len(machines)
    assert (tmp_path / "support_ticket.zh.svg").read_text().count("<svg") == 1


@pytest.mark.usefixtures("dot")
def test_a_live_world_record_renders_with_its_state_highlighted() -> None:
    world = World(clock=ManualClock())
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    svg = diagrams.render(world.invitation("gb", "alice"), "svg").decode()
    assert 'class="node active"' in svg  # pending, R-INVITE-48H


# ------------------------------------------------------------------------------ Chinese


def has_dejavu() -> bool:
    """DejaVu Sans (no Chinese) is installed, so a font check can be shown to say no."""
    found = subprocess.run(["fc-match", "DejaVu Sans"], capture_output=True, text=True).stdout
    return "DejaVu" in found


def test_fontconfig_has_a_chinese_font_and_ours_covers_chinese() -> None:
    require("fc-list")
    assert diagrams.cjk_fonts(), "no CJK font: sudo apt-get install fonts-noto-cjk"
    assert diagrams.font_covers_chinese(FONT)
    if has_dejavu():
        assert not diagrams.font_covers_chinese("DejaVu Sans")  # the check can say no


@pytest.mark.usefixtures("dot")
def test_a_chinese_png_is_drawn_with_a_cjk_font_and_no_font_warnings() -> None:
    require("fc-list")
    source = diagrams.machine_graph(diagrams.extract(Binding), "zh").source
    faces, warnings = diagrams.dot_fonts(source, "png")
    assert warnings == []
    assert faces, "dot -v reported no font resolution"
    for asked, face in faces.items():
        assert "CJK" in face, f"{asked!r} was drawn with {face!r}: Chinese would be boxes"
    if has_dejavu():  # the same check sees a font that cannot draw Chinese
        faces, _ = diagrams.dot_fonts(source.replace(FONT, "DejaVu Sans"), "png")
        assert not any("CJK" in face for face in faces.values())


# --------------------------------------------------------------------- runs and gallery


@pytest.mark.usefixtures("dot")
def test_gallery_writes_every_machine_both_languages_and_links_them(tmp_path: Path) -> None:
    world = World(clock=ManualClock())
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    world.advance("48h")  # R-INVITE-48H: expired
    run = diagrams.Run.of_world(world, "expired")
    entry = diagrams.Entry("expired", run.title, "expired.scenario.yaml", ".", True, run=run)
    write_plan(diagrams.gallery_files([entry], formats=["svg"]), tmp_path, diagrams.Renderer())
    html = (tmp_path / "index.html").read_text()
    for cls in diagrams.machine_classes().values():
        for lang in ("en", "zh"):
            assert f"machines/{diagrams.file_stem(cls)}.{lang}.svg" in html
    for link in ("runs/expired.timeline.zh.svg", "runs/expired.trace.inv-1.en.svg"):
        assert link in html and (tmp_path / link).exists()
    assert (tmp_path / "machines" / "binding.zh.mmd").exists()
    assert "状态机" in html and "State machines" in html


def test_bindsim_diagram_writes_each_machine_format_and_language(tmp_path: Path) -> None:
    out = str(tmp_path)
    argv = ["diagram", "binding", "-f", "dot", "-f", "mermaid", "-l", "en", "-l", "zh", "-o", out]
    assert main(argv) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "binding.en.dot",
        "binding.en.mmd",
        "binding.zh.dot",
        "binding.zh.mmd",
    ]
    assert main(["diagram", "all", "-f", "mermaid", "-o", out]) == 0
    assert len(list(tmp_path.glob("*.en.mmd"))) == len(diagrams.machine_classes())


def test_bindsim_diagram_says_what_it_needs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram"]) == 2
    assert main(["diagram", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "name a MACHINE" in err and "no machine called 'nosuch'" in err


def test_bindsim_diagram_draws_a_scenarios_trace_and_timeline(tmp_path: Path) -> None:
    scenario = tmp_path / "lock.scenario.yaml"
    scenario.write_text(
        "name: the lock\n"
        "rules: [R-LOCK-24H]\n"
        "shops: {gb: {region: GB}}\n"
        "creators: {alice: {country: GB, age: 24}}\n"
        "steps:\n"
        "  - invite: {shop: gb, creator: alice}\n"
        "  - accept: {creator: alice, shop: gb}\n"
        "  - request_unlink: {creator: alice}\n"
        "    expect_error: UNBIND_LOCKED\n"
    )
    out = tmp_path / "out"
    argv = ["diagram", "--trace", str(scenario), "--timeline", str(scenario), "-f", "dot"]
    assert main([*argv, "-l", "zh", "-o", str(out)]) == 0
    binding = (out / "lock.trace.bind-1.zh.dot").read_text()
    assert "UNBIND_LOCKED" in binding and 'class="refusal step-3"' in binding
    assert "class=window" in (out / "lock.timeline.zh.dot").read_text()


# ------------------------------------------------------------------- README pictures

COMMITTED = sorted((ROOT / DOCS_IMAGES).glob("*.dot"))


def test_the_readme_pictures_are_committed_with_their_dot_sources() -> None:
    stems = {p.name.removesuffix(".dot") for p in COMMITTED}
    assert stems == set(readme_pictures(ROOT))
    for stem in stems:
        assert (ROOT / DOCS_IMAGES / f"{stem}.png").stat().st_size > 10_000


def test_the_committed_dot_sources_are_what_the_code_draws_now() -> None:
    current = readme_pictures(ROOT)
    stale = [
        p.name for p in COMMITTED if p.read_text() != current[p.name.removesuffix(".dot")].source
    ]
    assert not stale, f"out of date: {stale}; run `bindsim diagram --readme-images` and commit"


# ------------------------------------------------------------------- bad input to the command


@pytest.mark.parametrize(("where", "why"), [("a-file", "File exists"), ("a-file/x", "Not a dir")])
def test_bindsim_diagram_into_a_folder_it_cannot_make_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, why: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / where
    assert main(["diagram", "binding", "-f", "dot", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"Error: cannot write {out}: {why}" in err and "choose another folder with -o" in err


@pytest.mark.parametrize(
    "extra",
    [["binding"], ["-f", "png"], ["-l", "zh"], ["-o", "elsewhere"], ["--gallery"]],
)
def test_readme_images_refuses_the_options_it_would_ignore(
    extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diagram", "--readme-images", *extra]) == 2
    assert "--readme-images takes no " in capsys.readouterr().err


def test_readme_images_outside_the_repository_says_to_run_it_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["diagram", "--readme-images"]) == 2
    assert "run it from the repository's root" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_scenario_to_trace_is_exit_2_at_its_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "far.scenario.yaml"
    scenario.write_text("name: far\nstart: 9999-12-30T00:00:00Z\nsteps:\n  - advance: 3000000d\n")
    assert main(["diagram", "--trace", str(scenario), "-f", "dot", "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{scenario}:2:8: 9999-12-30T00:00:00Z is out of range: simulated time must stay from "
        "1000-01-01 up to (not including) 9000-01-01 UTC",
        f"{scenario}:4:14: '3000000d' is too long: a duration can be at most 300000d "
        "(about 821 years)",
    ]


def test_a_key_error_while_drawing_is_a_bug_not_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug in a renderer")

    monkeypatch.setattr(diagrams, "machine_files", broken)
    with pytest.raises(KeyError, match="a bug in a renderer"):
        main(["diagram", "binding", "-f", "dot", "-o", str(tmp_path)])
