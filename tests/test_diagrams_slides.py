"""Pictures fit for slides and drawn fast: fonts, titles, wrapping, timelines to scale, layouts,
one Graphviz call per picture, a content-addressed cache, animated traces, Mermaid gantt charts."""

from __future__ import annotations

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from bindsim import ManualClock, Refused, World, diagrams
from bindsim.diagrams import style, words
from bindsim.diagrams.output import job, slide_scale
from bindsim.machines import Binding, CreatorApp, Invitation
from bindsim.machines.text import Text
from bindsim.simulator.commands.pictures import FileCache

MACHINES = list(diagrams.machine_classes().values())
UNDER_CI = os.environ.get("CI") == "true"


@pytest.fixture
def dot() -> None:
    if shutil.which("dot") is None:
        if UNDER_CI:
            pytest.fail("Graphviz is missing under CI: the Makefile installs it")
        pytest.skip("Graphviz `dot` is not installed")


def source(cls: type, lang: str, layout: str = "lr") -> str:
    return diagrams.machine_graph(diagrams.extract(cls), lang, layout).source  # type: ignore[arg-type]


# --------------------------------------------------------------------------- words and fonts


def test_english_pictures_set_latin_in_noto_sans_with_the_cjk_font_behind_it() -> None:
    english, chinese = source(Binding, "en"), source(Binding, "zh")
    assert 'fontname="Noto Sans,Noto Sans CJK SC"' in english
    assert 'fontname="Noto Sans CJK SC"' in chinese and "Noto Sans," not in chinese


@pytest.mark.usefixtures("dot")
def test_an_english_png_resolves_latin_text_to_noto_sans() -> None:
    faces, warnings = diagrams.dot_fonts(source(Binding, "en"), "png")
    assert warnings == []
    assert all("Noto Sans" in face and "CJK" not in face for face in faces.values()), faces


@pytest.mark.parametrize("cls", MACHINES, ids=lambda c: c.__name__)
def test_titles_are_in_the_pictures_language_and_carry_no_class_name(cls: type) -> None:
    for lang in ("en", "zh"):
        text = source(cls, lang)
        title = re.search(r"^\s*bgcolor=white [^\n]*?label=<(.*?)> labeljust", text, re.M)
        assert title is not None
        shown = title.group(1)
        assert cls.title(lang) in shown  # type: ignore[attr-defined]
        assert cls.__name__ not in shown.replace(cls.title(lang), "")  # type: ignore[attr-defined]


def test_chinese_is_broken_only_between_words() -> None:
    # R-LOCK-24H's guard: "24 小时" (a number and its unit) never splits, whatever the width
    guard = "已绑定且未申请;已满 24 小时且仍有解绑次数"
    for width in range(6, 40):
        lines = style.wrap(guard, "zh", width)
        assert "".join(lines).replace(" ", "") == guard.replace(" ", "")
        assert not any(line.endswith("24") or line.startswith("小时") for line in lines), lines
    for cls in MACHINES:
        text = source(cls, "zh")
        assert not re.search(r"\d</td></tr><tr><td>[^<]*[小天分秒]", text), cls
        assert not re.search(r"已满 24</td>", text)


def test_a_phrase_longer_than_the_width_stays_whole() -> None:
    assert style.wrap("注册地址在非经营国家或电商权限被回收", "zh", 10) == [
        "注册地址在非经营国家或电商权限被回收"
    ]


def test_rule_ids_every_state_shares_are_said_once_under_the_title() -> None:
    text = source(CreatorApp, "en")
    assert "every state: R-UNLINK-PATH" in text
    assert text.count("R-UNLINK-PATH") == 1


def test_a_refused_tap_is_quoted_in_the_pictures_language() -> None:
    world = World(clock=ManualClock())
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    world.accept("alice", "gb")
    for label in ["Showcase", "Enter", "Your Shop", "View link info"]:
        world.tap("alice", label)
    with pytest.raises(Refused):  # R-LOCK-24H
        world.tap("alice", "Send unlink request")
    run = diagrams.Run.of_world(world, "lock")
    [(_, app)] = [(t, g) for t, g in diagrams.trace_graphs(run, "zh") if t.machine == "CreatorApp"]
    assert "“Send unlink request(发送解绑申请)”" in app.source


# ---------------------------------------------------------------------------- timelines


def lock_world() -> World:
    world = World(clock=ManualClock())
    world.add_shop("gb", region="GB", kind="invited")
    world.add_creator("alice", country="GB", age=24)
    world.add_creator("carol", country="GB", age=24)
    world.invite("gb", "alice")
    world.advance("1m")
    world.accept("alice", "gb")
    world.invite("gb", "carol", role="channel")
    world.accept("carol", "gb")
    world.advance("30h")
    return world


def widths(text: str, pattern: str) -> list[float]:
    return [
        float(m.group(1))
        for m in re.finditer(rf"^\s*{pattern} \[[^\n]*?width=([\d.]+)", text, re.M)
    ]


def test_a_timeline_is_to_scale_the_48h_window_twice_the_24h_lock() -> None:
    world = lock_world()
    run = diagrams.Run.of_world(world, "lock", Text("The lock", "锁定"))
    text = diagrams.timeline_picture(run, "en").source
    windows = widths(text, r"lane_\d+_window_\d+")
    invite, lock = windows[0], windows[1]  # inv-1's 48h, bind-1's 24h
    assert invite == pytest.approx(2 * lock, rel=0.01)
    assert "The lock" in text and ">Timeline" not in text.split("label=<", 1)[1][:80]


def test_time_skipped_is_marked_with_a_break_on_the_axis_and_across_windows() -> None:
    world = lock_world()  # carol's 180-day channel window runs far beyond the last step
    text = diagrams.timeline_picture(diagrams.Run.of_world(world, "lock"), "en").source
    assert re.search(r"break_0 \[label=\"≈ \d+ days\"", text)
    assert "axis_cut_0" in text and re.search(r"lane_\d+_window_\d+_cut_0_top", text)
    channel = widths(text, r"lane_\d+_window_\d+")[-1]
    assert channel < 72 * 0.06 + 1  # 180 days drawn in a few inches, not 259


def test_no_state_label_is_cut_short() -> None:
    world = lock_world()
    for lang in ("en", "zh"):
        text = diagrams.timeline_picture(diagrams.Run.of_world(world, "lock"), lang).source  # type: ignore[arg-type]
        assert "…" not in text
        for state in ("pending (awaiting creator)", "locked (no unbinding)"):
            if lang == "en":
                assert state in text or state.replace(" (", "<br/>(") in text.replace(
                    " <br/>", "<br/>"
                )


def test_a_timeline_is_also_a_mermaid_gantt_chart() -> None:
    run = diagrams.Run.of_world(lock_world(), "lock", Text("The lock", "锁定"))
    text = diagrams.timeline_gantt(run, "zh")
    lines = [line.strip() for line in text.splitlines()]
    assert lines[:5] == [
        "gantt",
        "title 锁定",
        "dateFormat YYYY-MM-DD HH:mm:ss",
        "axisFormat %m-%d %H:%M",
        "todayMarker off",
    ]
    task = re.compile(
        r"[^:#;]+ : (active, |crit, milestone, |milestone, )?\w+, "
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d, (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|0s)"
    )
    for line in lines[5:]:
        assert line.startswith("section ") or task.fullmatch(line), line
    assert "48 小时 · R-INVITE-48H : active, " in text
    assert "2024-11-11 12:00:00, 2024-11-13 12:00:00" in text  # the window, to the second


# ------------------------------------------------------------------------------ layouts


def test_wrapped_layouts_put_the_states_in_rows() -> None:
    text = source(CreatorApp, "en", "wrap2")
    rows = re.findall(r"\{\s*rank=same\s*([^}]*)\}", text)
    assert [row.split() for row in rows] == [
        ["profile", "showcase_menu"],
        ["showcase", "your_shop"],
        ["link_info", "request_sent"],
    ]
    assert "rankdir=TB" in text and "rankdir=LR" in source(CreatorApp, "en")


@pytest.mark.usefixtures("dot")
def test_auto_layout_fits_the_wide_machines_to_a_16_9_slide() -> None:
    drawer = diagrams.Renderer(jobs=2)
    chooser = diagrams.LayoutChooser("auto", drawer)
    for cls in (CreatorApp, Binding):
        diagram = diagrams.extract(cls)
        chosen = chooser(diagram, "en")
        [lr, best] = drawer.measure_all([source(cls, "en", "lr"), source(cls, "en", chosen)])
        assert lr[0] / lr[1] > 4  # left to right, a long strip
        assert slide_scale(*best) > 1.3 * slide_scale(*lr)
        assert best[0] / best[1] < 3
    with pytest.raises(ValueError, match="unknown layout 'diagonal'"):
        diagrams.LayoutChooser("diagonal")


# -------------------------------------------------------------------- drawing, caching


@pytest.mark.usefixtures("dot")
def test_one_graphviz_call_draws_every_format_of_a_picture(tmp_path: Path) -> None:
    drawer = diagrams.Renderer(jobs=1, cache=FileCache(tmp_path))
    graph = diagrams.machine_graph(diagrams.extract(Invitation), "en")
    drawn = drawer.draw(job(graph, ["svg", "png", "pdf"]))
    assert drawn["png"].startswith(b"\x89PNG") and drawn["pdf"].startswith(b"%PDF")
    assert b"<svg" in drawn["svg"]
    assert drawer.calls == 1
    again = diagrams.Renderer(jobs=1, cache=FileCache(tmp_path)).draw(job(graph, ["svg", "png"]))
    assert again == {"svg": drawn["svg"], "png": drawn["png"]}  # from the cache
    assert len(list(tmp_path.rglob("*.png"))) == 1


def _draw_all(renderer: diagrams.Renderer, jobs: list[diagrams.Job]) -> list[dict[str, bytes]]:
    """Every job submitted before any is waited for: parallel where the renderer is."""
    futures = [renderer.submit(one) for one in jobs]
    return [future.result() for future in futures]


@pytest.mark.usefixtures("dot")
def test_a_changed_picture_is_drawn_again_and_parallel_draws_the_same(tmp_path: Path) -> None:
    cache = FileCache(tmp_path)
    pictures = [
        job(diagrams.machine_graph(diagrams.extract(cls), "zh"), ["svg"]) for cls in MACHINES
    ]
    serial = _draw_all(diagrams.Renderer(jobs=1), pictures)
    parallel = diagrams.Renderer(jobs=3, cache=cache)
    assert _draw_all(parallel, pictures) == serial
    assert (parallel.calls, parallel.hits) == (len(MACHINES), 0)
    changed = job(
        diagrams.machine_graph(diagrams.extract(Binding, highlight=["stuck"]), "zh"), ["svg"]
    )
    warm = diagrams.Renderer(jobs=2, cache=cache)
    _draw_all(warm, [*pictures, changed])
    assert (warm.calls, warm.hits) == (1, len(MACHINES))


@pytest.mark.usefixtures("dot")
def test_pictures_drawn_together_are_the_pictures_drawn_alone_from_fewer_processes() -> None:
    # Binding's pictures have clusters, after which Graphviz 2.43 aborts on the next graph of
    # the same process: they end their run, and every picture still comes out as drawn alone.
    graphs = [
        diagrams.machine_graph(diagrams.extract(cls), lang, layout)
        for cls in MACHINES
        for lang in ("en", "zh")
        for layout in ("lr", "wrap3")
    ]
    pictures = [job(graph, ["svg", "png"]) for graph in graphs]
    alone = diagrams.Renderer(jobs=1)
    one_by_one = [alone.draw(picture) for picture in pictures]
    together = diagrams.Renderer(jobs=2)
    assert [future.result() for future in together.draw_all(pictures)] == one_by_one
    assert together.calls < alone.calls == len(pictures)
    sources = [graph.source for graph in graphs]
    measured = diagrams.Renderer(jobs=2)
    alone_sizes = [diagrams.Renderer(jobs=1).measure_all([source])[0] for source in sources]
    assert measured.measure_all(sources) == alone_sizes
    assert measured.calls < len(sources)


@pytest.mark.usefixtures("dot")
def test_svg_keeps_its_size_whatever_the_png_resolution() -> None:
    graph = diagrams.machine_graph(diagrams.extract(Invitation), "en")
    low = diagrams.Renderer(1).draw(job(graph, ["svg", "png"], dpi=96))
    high = diagrams.Renderer(1).draw(job(graph, ["svg", "png"], dpi=288))
    size = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
    assert size.search(low["svg"]).groups() == size.search(high["svg"]).groups()  # type: ignore[union-attr]
    assert b"scale(1 1)" in high["svg"]
    assert len(high["png"]) > 2 * len(low["png"])


def test_bad_jobs_are_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="cannot draw \\['gif'\\]"):
        diagrams.Job("digraph {}", ("gif",))
    with pytest.raises(ValueError, match="dpi must be between 10 and 1200"):
        diagrams.Job("digraph {}", ("png",), dpi=5000)


def test_an_unwritable_cache_is_said_once_and_drawing_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = FileCache(blocked / "cache")
    cache.save("ab" * 32, "svg", b"<svg/>")
    cache.save("cd" * 32, "svg", b"<svg/>")
    assert cache.load("ab" * 32, "svg") is None
    assert capsys.readouterr().err.count("picture cache off") == 1


# ------------------------------------------------------------------- animated traces


@pytest.mark.usefixtures("dot")
def test_an_animated_trace_shows_its_steps_in_turn() -> None:
    world = lock_world()
    run = diagrams.Run.of_world(world, "lock")
    [(trace, graph)] = [(t, g) for t, g in diagrams.trace_graphs(run) if t.target == "bind-1"]
    svg = diagrams.Renderer(1).draw(job(graph, ["svg"]))["svg"]
    animated = diagrams.animated_trace(svg, trace).decode()
    steps = sorted({s.seq for s in trace.steps})
    for seq in steps:
        assert re.search(rf"\.step-{seq} \{{ animation: bindsim-step{seq} [\d.]+s ", animated)
        assert re.search(rf'class="edge taken step-{seq}"', animated)
    assert ".active { animation:" in animated
    assert animated.count("<svg") == 1


def test_durations_for_deadlines_read_naturally() -> None:
    assert words.duration_text(timedelta(hours=23, minutes=59)).en == "23h 59min"
    assert words.IN.zh.format(left="24 小时") == "24 小时后"


# ------------------------------------------------- readable on a slide, nothing over anything


STORY = "src/bindsim/scenarios/stories/official_account_lifecycle.scenario.yaml"
SHOWN = ("bind-1", "app:alice")  # the traces looked at: a binding's and the creator app's


def _story() -> diagrams.Run:
    from bindsim.simulator.commands.pictures import run_picture
    from bindsim.simulator.scenario import load_file
    from bindsim.simulator.scenario.runner import run

    return run_picture(run(load_file(str(Path(__file__).parent.parent / STORY))))


def _name(trace: diagrams.Trace) -> str:
    return trace.target.replace(":", "-")


def _drawn(graphs: dict[str, list[object]], cache: FileCache) -> dict[str, list[str]]:
    with diagrams.Renderer(cache=cache) as renderer:
        futures = {
            name: [renderer.submit(job(g, ["svg"])) for g in many]  # type: ignore[arg-type]
            for name, many in graphs.items()
        }
        return {name: [f.result()["svg"].decode() for f in many] for name, many in futures.items()}


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """As the commands draw them (layout auto): every machine, a story's binding and creator
    app traces and its timeline, in both languages, as SVG."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")
    picture = _story()
    cache = FileCache(tmp_path_factory.mktemp("cache"))
    layouts = diagrams.LayoutChooser("auto", diagrams.Renderer(cache=cache))
    graphs: dict[str, list[object]] = {}
    for lang in ("en", "zh"):
        for cls in MACHINES:
            shape = diagrams.extract(cls)
            graphs[f"{cls.__name__}.{lang}"] = [
                diagrams.machine_graph(shape, lang, layouts(shape, lang))
            ]  # type: ignore[arg-type]
        for trace, graph in diagrams.trace_graphs(picture, lang, layouts):  # type: ignore[arg-type]
            if trace.target in SHOWN:
                graphs[f"trace.{_name(trace)}.{lang}"] = [graph]
        graphs[f"timeline.{lang}"] = [diagrams.timeline_picture(picture, lang)]  # type: ignore[arg-type]
    return _drawn(graphs, cache)


@pytest.fixture(scope="module")
def slide_pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The same pictures' slide layouts: each picture as the slides it takes, as SVG."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")
    picture = _story()
    cache = FileCache(tmp_path_factory.mktemp("cache"))
    slides = diagrams.SlideMaker(diagrams.LayoutChooser("auto", diagrams.Renderer(cache=cache)))
    graphs: dict[str, list[object]] = {}
    for lang in ("en", "zh"):
        for cls in MACHINES:
            graphs[f"{cls.__name__}.{lang}"] = list(slides.machine(diagrams.extract(cls), lang))  # type: ignore[arg-type]
        shown = diagrams.trace_slides(picture, lang, slides, SHOWN)  # type: ignore[arg-type]
        assert sorted(trace.target for trace, _ in shown) == sorted(SHOWN)
        for trace, many in shown:
            graphs[f"trace.{_name(trace)}.{lang}"] = list(many)
        graphs[f"timeline.{lang}"] = list(diagrams.timeline_slides(picture, lang, slides))  # type: ignore[arg-type]
    return _drawn(graphs, cache)


NAMES = [f"{cls.__name__}.{lang}" for lang in ("en", "zh") for cls in MACHINES] + [
    f"{kind}.{lang}"
    for lang in ("en", "zh")
    for kind in ("trace.bind-1", "trace.app-alice", "timeline")
]


@pytest.mark.parametrize("name", NAMES)
def test_no_text_is_under_12pt_when_a_slide_picture_fills_a_16_9_slide(
    slide_pictures: dict[str, list[str]], name: str
) -> None:
    from bindsim.diagrams.svg_text import smallest_on_slide

    assert slide_pictures[name]
    assert [
        round(smallest_on_slide(svg), 1)
        for svg in slide_pictures[name]
        if smallest_on_slide(svg) < 12
    ] == []


def test_a_picture_too_large_for_one_slide_is_cut_into_slides_that_show_it_all(
    slide_pictures: dict[str, list[str]],
) -> None:
    from bindsim.diagrams.svg_text import text_boxes

    center = slide_pictures["SellerCenter.en"]
    assert len(center) > 1
    assert all(f"Seller Center ({n}/{len(center)})" in svg for n, svg in enumerate(center, 1))
    shown = {box.text for svg in center for box in text_boxes(svg)}
    assert {"Home (/homepage)", "Ticket opened", "Open ticket", "Agree"} <= shown
    assert "not drawn: Back · Home (on many screens)" in shown
    timeline = slide_pictures["timeline.en"]
    words = " ".join(box.text for svg in timeline for box in text_boxes(svg))
    for lane in ("inv-1", "bind-1", "inv-2", "bind-2"):
        assert lane in words
    for step in ("My Account, alice", "accept (gb, official)", "UNBIND_LOCKED"):
        assert step in words
    assert len(slide_pictures["Invitation.en"]) == 1  # what fits stays whole


@pytest.mark.parametrize("name", NAMES)
def test_no_text_sits_on_other_text_or_runs_out_of_its_box(
    pictures: dict[str, list[str]], slide_pictures: dict[str, list[str]], name: str
) -> None:
    from bindsim.diagrams.svg_text import collisions, spilling

    for svg in [*pictures[name], *slide_pictures[name]]:
        assert collisions(svg) == []
        assert spilling(svg) == []


@pytest.mark.usefixtures("dot")
def test_bindsim_diagram_slides_writes_each_picture_as_its_slides(tmp_path: Path) -> None:
    from bindsim.diagrams.svg_text import smallest_on_slide
    from bindsim.simulator.cli import main

    story = str(Path(__file__).parent.parent / STORY)
    out = tmp_path / "out"
    argv = ["diagram", "seller_center", "--slides", "--timeline", story, "-o", str(out)]
    assert main([*argv, "--cache-dir", str(tmp_path / "cache")]) == 0
    center = sorted(p.name for p in out.glob("seller_center.en.slide-*.svg"))
    assert center == [f"seller_center.en.slide-{n}.svg" for n in range(1, len(center) + 1)]
    assert len(center) > 1
    timeline = list(out.glob("official_account_lifecycle.timeline.en.slide-*.svg"))
    assert len(timeline) > 1
    assert not list(out.glob("*.en.svg"))  # slides in place of the whole pictures
    for path in out.glob("*.svg"):
        assert smallest_on_slide(path.read_text()) >= 12, path.name
