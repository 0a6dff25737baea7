"""Storyboards: a scenario replayed as slides, read back from PPTX (python-pptx) and PDF
(pdftotext, pdftoppm), and the replay's data checked against the World it came from."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bindsim.simulator.cli import main
from bindsim.simulator.commands.storyboard import replay
from bindsim.simulator.scenario import load_file, load_text

ROOT = Path(__file__).resolve().parent.parent
UNDER_CI = os.environ.get("CI") == "true"
LOCK = (
    ROOT
    / "src"
    / "bindsim"
    / "scenarios"
    / "unbinding"
    / "unlink_refused_one_second_before_24h.scenario.yaml"
)

STORY_FILE = ROOT / "src/bindsim/scenarios/stories/official_account_lifecycle.scenario.yaml"


def require(tool: str) -> None:
    if shutil.which(tool) is None:
        if UNDER_CI:
            pytest.fail(f"{tool} is missing under CI: the Makefile installs it")
        pytest.skip(f"{tool} is not installed")


STORY = """\
name: the lock, step by step
name_zh: 锁定期,逐步演示
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
steps:
  - invite: {shop: gb, creator: alice}
  - accept: {creator: alice, shop: gb}
  - tap: {creator: alice, on: [Showcase, Enter, Your Shop, View link info]}
  - tap: {creator: alice, on: Send unlink request}
    expect_error: UNBIND_LOCKED
    note: the 24 hours are not over
  - set: {creator: alice, network: US}
  - advance: 24h
  - expect: {binding: {shop: gb, creator: alice}, state: unlockable}
"""


@pytest.fixture(scope="module")
def board():  # type: ignore[no-untyped-def]
    return replay(load_text(STORY))


def test_a_slide_per_step_with_the_time_after_it(board) -> None:  # type: ignore[no-untyped-def]
    assert [slide.number for slide in board.slides] == list(range(1, 8))
    assert board.slides[-1].elapsed.en == "+24h"
    assert board.title.zh == "锁定期,逐步演示"


def test_the_tapped_label_is_marked_on_the_screen_where_it_was_tapped(board) -> None:  # type: ignore[no-untyped-def]
    path = board.slides[2]
    [phone] = path.screens
    assert phone.kind == "app" and phone.title.en == "Your Shop"  # before the last tap
    assert [b.label.en for b in phone.buttons if b.tapped] == ["View link info"]
    assert [label.en for label in phone.path] == ["Showcase", "Enter", "Your Shop"]
    assert phone.now_on is not None and phone.now_on.en == "Link info"


def test_a_refusal_shows_its_codes_the_locked_binding_and_the_running_lock(board) -> None:  # type: ignore[no-untyped-def]
    refused = board.slides[3]
    assert refused.outcome == "refused" and refused.reasons == ("UNBIND_LOCKED",)
    assert refused.messages[0].en.startswith("less than 24 hours")  # R-LOCK-24H
    assert refused.diagram is not None
    assert (refused.diagram.machine, refused.diagram.active) == (
        "Binding",
        frozenset({"bound", "locked"}),
    )
    [lock] = refused.deadlines
    assert lock.what.en == "lock ends" and "R-LOCK-24H" in lock.rules
    assert lock.due - refused.until == lock.due - board.slides[1].until  # no time has passed


def test_a_hidden_label_shows_why() -> None:
    abroad = load_text(STORY.split("  - tap:")[0] + "  - set: {creator: alice, network: US}\n")
    [phone] = replay(abroad).slides[-1].screens
    assert phone.title.en == "Profile"
    hidden = {b.label.en: b.hidden_reason for b in phone.buttons if not b.visible}
    assert hidden == {"Showcase": "NETWORK_REGION_MISMATCH"}  # R-UNLINK-PATH


def test_timers_fired_in_a_step_are_listed_and_expectations_checked(board) -> None:  # type: ignore[no-untyped-def]
    later = board.slides[5]
    assert [f.en.split(":")[0] for f in later.fired] == ["lock ends"]
    assert later.deadlines == ()
    assert board.slides[6].outcome == "checked"
    assert board.slides[6].diagram.active == frozenset({"bound", "unlockable"})


def test_the_replay_stops_at_a_failed_step() -> None:
    failing = load_text(STORY.replace("state: unlockable", "state: unbound"))
    slides = replay(failing).slides
    assert slides[-1].outcome == "failed" and "expected" in slides[-1].messages[0].en


# ------------------------------------------------------------------ the files themselves


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require("dot")
    out = tmp_path_factory.mktemp("storyboard")
    os.environ.setdefault("BINDSIM_CACHE_DIR", str(out / "cache"))
    argv = ["storyboard", str(LOCK), "-f", "pdf", "-f", "pptx", "-f", "html", "--dpi", "72"]
    assert main([*argv, "-l", "zh", "-l", "en", "-o", str(out)]) == 0
    return out


def steps() -> int:
    return len(load_file(str(LOCK)).steps)


def test_the_pptx_reads_back_a_slide_per_step_with_codes_in_red(written: Path) -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor

    deck = Presentation(str(written / "unlink_refused_one_second_before_24h.en.pptx"))
    slides = list(deck.slides)
    assert len(slides) == 1 + steps()  # a title slide, then the steps
    texts = [
        " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        for slide in slides
    ]
    refused = [i for i, text in enumerate(texts) if "× refused" in text]
    assert refused, texts
    slide = slides[refused[0]]
    red_runs = [
        run.text
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
        if run.font.color and run.font.color.rgb == RGBColor.from_string("C62828")
    ]
    assert any("UNBIND_LOCKED" in text for text in red_runs)
    tapped = [
        s for s in slide.shapes if s.has_text_frame and "Send unlink request" in s.text_frame.text
    ]
    assert any(
        s.line.color.rgb == RGBColor.from_string("C62828") for s in tapped if s.shape_type == 1
    )
    assert any(s.shape_type == 13 for s in slide.shapes)  # the machine picture
    assert "expect_error: UNBIND_LOCKED" in slide.notes_slide.notes_text_frame.text


def test_the_pdf_has_a_page_per_step_with_its_text(written: Path) -> None:
    require("pdftotext")
    pdf = written / "unlink_refused_one_second_before_24h.zh.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{1 + steps()}$", info, re.M)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    pages = text.stdout.split("\f")
    assert "UNBIND_LOCKED" in text.stdout and "被拒绝" in text.stdout
    assert any("进行中的时限" in page and "24 小时后" in page for page in pages)


def test_pdf_pages_render_as_pictures_with_something_on_them(written: Path) -> None:
    require("pdftoppm")
    from PIL import Image, ImageStat

    pdf = written / "unlink_refused_one_second_before_24h.en.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "2", "-l", "2", str(pdf), str(written / "page")],
        check=True,
    )
    [page] = list(written.glob("page*.png"))
    with Image.open(page) as image:
        assert image.width / image.height == pytest.approx(16 / 9, rel=0.02)
        assert max(ImageStat.Stat(image.convert("L")).stddev) > 20  # not a blank page


def test_the_pdf_holds_each_of_its_pictures_once(written: Path) -> None:
    require("pdfimages")
    html = (written / "unlink_refused_one_second_before_24h.en.html").read_text()
    distinct = set(re.findall(r'<img src="([^"]+)"', html))
    pdf = written / "unlink_refused_one_second_before_24h.en.pdf"
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    rows = [line.split() for line in listed.stdout.splitlines()[2:]]
    objects = {(row[10], row[11]) for row in rows if row[2] == "image"}  # object, generation
    assert len(objects) == len(distinct) > 0


def test_a_pdf_page_fetches_nothing_but_its_own_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    urls = pytest.importorskip("weasyprint.urls")
    from datetime import UTC, datetime

    from bindsim.diagrams import storyboard_pdf
    from bindsim.diagrams.storyboard import Storyboard
    from bindsim.machines.text import Text

    board = Storyboard("x", Text("x", "x"), Text("", ""), datetime(2024, 1, 1, tzinfo=UTC))
    outside = '<img src="file:///etc/hostname"><img src="https://example.com/x.png">'
    monkeypatch.setattr(storyboard_pdf, "page", lambda *args, **kwargs: outside)
    with pytest.raises(urls.FatalURLFetchingError, match="file:///etc/hostname"):
        storyboard_pdf.storyboard_pdf(board, "en", {}, {})


def test_the_html_holds_its_pictures_and_links_nothing(written: Path) -> None:
    html = (written / "unlink_refused_one_second_before_24h.en.html").read_text()
    pictures = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', html)
    assert pictures and all(src.startswith("data:image/svg+xml;base64,") for src, _ in pictures)
    assert all(alt.startswith("Binding diagram: bind-1 in ") for _, alt in pictures[-2:])
    assert not re.search(r'(src|href)="(?!data:|#)', html)
    assert html.count('<section class="slide') == 1 + steps()


def test_pngs_say_their_resolution_so_slides_place_them_at_their_size(written: Path) -> None:
    from PIL import Image

    pngs = list((written / "pictures").glob("*.png"))
    assert pngs
    for png in pngs:
        with Image.open(png) as image:
            assert image.info["dpi"] == pytest.approx((72, 72), abs=0.01), png  # --dpi 72


def test_an_invalid_scenario_is_exit_2_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text("name: bad\nsteps:\n  - advance: soon\n")
    assert main(["storyboard", str(bad), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith(f"{bad}:3:")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------- text that fits its boxes


@functools.cache
def _font(bold: bool, cjk: bool, size: float):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    family = "Noto Sans CJK SC" if cjk else "Noto Sans"
    pattern = family + (":weight=bold" if bold else "")
    found = subprocess.run(
        ["fc-match", "--format=%{file}|%{index}", pattern], capture_output=True, text=True
    ).stdout.split("|")
    return ImageFont.truetype(
        found[0], round(size * 8), index=int(found[1]), layout_engine=ImageFont.Layout.BASIC
    )


def _needed_height(frame, width: float, cjk_deck: bool) -> float:  # type: ignore[no-untyped-def]
    """Lay the frame's paragraphs out greedily, run by run, as PowerPoint wraps them: the height
    they take in pt, or inf when one word is wider than the box."""
    total = 0.0
    for paragraph in frame.paragraphs:
        x, line, lines = 0.0, 0.0, []
        for run in paragraph.runs:
            size, bold = run.font.size.pt, bool(run.font.bold)
            pieces = re.findall(r"[\u2e80-\u9fff\uff00-\uffef]|\S+\s*|\s+", run.text)
            for piece in pieces:
                cjk = cjk_deck or bool(re.match(r"[\u2e80-\u9fff\uff00-\uffef]", piece))
                font = _font(bold, cjk, size)
                word = font.getlength(piece.rstrip()) / 8
                if word > width + 0.5:
                    return float("inf")
                if x and x + word > width:
                    lines.append(line)
                    x, line = 0.0, 0.0
                x += font.getlength(piece) / 8
                ascent, descent = font.getmetrics()
                line = max(line, (ascent + descent) / 8, 1.2 * size)
        lines.append(line or 12)
        total += sum(lines)
    return total


@pytest.fixture(scope="module")
def story_decks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The longest story (its title is two lines long) as decks in both languages."""
    require("dot")
    out = tmp_path_factory.mktemp("decks")
    argv = ["storyboard", str(STORY_FILE), "-f", "pptx", "-l", "en", "-l", "zh", "--dpi", "48"]
    assert main([*argv, "-o", str(out), "--cache-dir", str(out / "cache")]) == 0
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_text_of_the_deck_fits_its_box_measured_with_its_font(
    story_decks: Path, lang: str
) -> None:
    require("fc-match")
    from pptx import Presentation

    deck = Presentation(str(story_decks / f"official_account_lifecycle.{lang}.pptx"))
    overflowing = []
    sizes = []
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            frame = shape.text_frame
            assert frame.word_wrap is True, shape.text_frame.text  # nothing runs out sideways
            width = (shape.width - frame.margin_left - frame.margin_right) / 12700
            room = (shape.height - frame.margin_top - frame.margin_bottom) / 12700
            needed = _needed_height(frame, width, lang == "zh")
            if needed > room + 0.5:
                overflowing.append((number, frame.text[:40], round(needed), round(room)))
            sizes += [run.font.size.pt for p in frame.paragraphs for run in p.runs if run.text]
    assert overflowing == []
    assert min(sizes) >= 9  # storyboard pages never go below 9 pt


# ------------------------------------------------------------- Chinese all the way through


@pytest.fixture(scope="module")
def story_run():  # type: ignore[no-untyped-def]
    from bindsim.simulator.commands.pictures import run_picture
    from bindsim.simulator.scenario.runner import run

    scenario = load_file(str(STORY_FILE))
    return scenario, run_picture(run(scenario))


def test_pictures_number_steps_as_the_scenario_and_its_storyboard_do(story_run) -> None:  # type: ignore[no-untyped-def]
    from bindsim import diagrams

    scenario, picture = story_run
    marks = diagrams.timeline(picture.numbered_log(), picture.ruleset, picture.start).marks
    slides = replay(scenario).slides
    assert {m.seq for m in marks} <= {s.number for s in slides}
    refused_marks = sorted({m.seq for m in marks if m.outcome == "refused"})
    assert refused_marks == [s.number for s in slides if s.outcome == "refused"]
    assert {s.seq for t in picture.traces() for s in t.steps} <= {s.number for s in slides}


def test_a_chinese_timeline_speaks_chinese_in_the_scenarios_own_offset(story_run) -> None:  # type: ignore[no-untyped-def]
    from bindsim import diagrams

    scenario, picture = story_run
    assert scenario.start.isoformat() == "2024-11-11T12:06:00+00:00"  # written +08:00
    source = diagrams.timeline_picture(picture, "zh").source
    assert "开始时间 2024-11-11 20:06 +08:00 (+0) · UTC 12:06" in source
    legend = source[source.index("<b>步骤</b>") :]
    cells = re.findall(r'<td align="left">([^<]+)</td>', legend)
    assert len(cells) > 10
    names = {"gb", "alice", "bob", "platform", "TikTok"}  # ids, and the brand
    for cell in cells:
        # a screen's own bilingual label, "Send unlink request(发送解绑申请)", is Chinese enough
        bare = re.sub(r"[A-Za-z][A-Za-z ]*(?=\([^)]*[\u4e00-\u9fff])", "", cell)
        english = set(re.findall(r"[A-Za-z]{2,}", bare)) - names
        assert not english, cell


def test_a_chinese_storyboard_has_its_chinese_description_and_local_times(story_run) -> None:  # type: ignore[no-untyped-def]
    from bindsim.diagrams.storyboard_html import page

    scenario, _ = story_run
    board = replay(scenario)
    html = page(board, "zh", {}, {}, "svg")
    assert "种子规则的完整故事" in html and "The seed's story" not in html
    assert '2024-11-11 20:06 +08:00 <small class="utc">UTC 12:06</small>' in html


# ------------------------------------------------------------------ a deck from the library


def test_a_folder_of_stories_makes_one_deck_with_contents_and_a_section_each(
    tmp_path: Path,
) -> None:
    require("dot")
    from pptx import Presentation

    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(LOCK, library)
    (library / "lock_story.scenario.yaml").write_text(STORY)
    deck = tmp_path / "training.pptx"
    argv = ["storyboard", str(library), "-f", "pptx", "--deck", str(deck), "-l", "en", "-l", "zh"]
    assert main([*argv, "--dpi", "48", "-o", str(tmp_path / "out")]) == 0
    shown = Presentation(str(deck))
    steps = [len(load_file(str(path)).steps) for path in sorted(library.iterdir())]
    assert len(shown.slides) == 1 + 2 * sum(1 + n for n in steps)  # contents, then 2 languages
    contents = shown.slides[0].shapes[0].text_frame.text
    assert contents.startswith("Contents · 目录") and "锁定期,逐步演示" in contents
    p14 = "{http://schemas.microsoft.com/office/powerpoint/2010/main}"
    sections = list(shown.element.iter(f"{p14}section"))
    assert [s.get("name") for s in sections][:2] == [
        "Contents · 目录",
        "the lock, step by step (en)",
    ]
    sizes = [len(list(s.iter(f"{p14}sldId"))) for s in sections]
    assert sizes == [1, *(1 + n for n in steps), *(1 + n for n in steps)]
    ids = [slide.slide_id for slide in shown.slides]
    assert [int(x.get("id")) for x in shown.element.iter(f"{p14}sldId")] == ids


def test_a_storyboards_cache_key_is_the_same_in_every_process() -> None:
    # a frozenset's repr follows string hashing, which differs between processes: a key made
    # with repr() never found the PDF or PPTX the last run made
    script = (
        "import hashlib, sys\n"
        "from bindsim.simulator.commands.storyboard import replay\n"
        "from bindsim.simulator.scenario import load_file\n"
        "from bindsim.diagrams.storyboard_plan import stable_key\n"
        f"board = replay(load_file({str(LOCK)!r}))\n"
        "print(hashlib.sha256(stable_key('pdf', 'en', board, {}).encode()).hexdigest())\n"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1
