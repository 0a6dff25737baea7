"""The gallery in a real browser (Debian's chromium, driven by Playwright): the en/中文 switch,
the contents, pan and zoom, and the links to the pictures and storyboards.

One Chromium for the whole module. Without chromium (or Graphviz) the module is skipped, except
under CI (CI=true), where that is a failure: the Makefile installs both.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bindsim.simulator.cli import main

ROOT = Path(__file__).resolve().parent.parent
UNDER_CI = os.environ.get("CI") == "true"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


SMALL_TEXT = """() => {
  const small = [];
  for (const el of document.querySelectorAll('.slide *')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (own && size < 12) small.push([el.className, el.textContent.slice(0, 30), size]);
  }
  return small;
}"""


def require(found: bool, what: str) -> None:
    if not found:
        if UNDER_CI:
            pytest.fail(f"{what} is missing under CI: the Makefile installs it")
        pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(shutil.which("dot") is not None, "Graphviz `dot`")
    root = tmp_path_factory.mktemp("gallery")
    library = root / "lib"
    (library / "stories").mkdir(parents=True)
    shutil.copy(
        ROOT / "src/bindsim/scenarios/stories/stuck_binding_fixed_by_ticket.scenario.yaml",
        library / "stories",
    )
    shutil.copy(
        ROOT / "src/bindsim/scenarios/invitations/expired_at_exactly_48h.scenario.yaml", library
    )
    out = root / "out"
    argv = ["demo", "--out", str(out), "--scenarios", str(library), "--cache-dir", str(root / "c")]
    argv += ["--dpi", "48"]  # PNGs cost by their size; the page shows the SVGs
    assert main(argv) == 0
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(Path(CHROMIUM).exists(), "chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, gallery: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((gallery / "index.html").as_uri())
    yield page
    context.close()


def visible_heading(page: Any) -> str:
    return str(page.locator("h1 span:visible").inner_text())


def test_the_switch_shows_one_language_at_a_time(page: Any) -> None:
    assert visible_heading(page) == "bindsim diagrams"
    assert page.locator('figure[lang="zh"]:visible').count() == 0
    page.click('button[data-lang="zh"]')
    assert visible_heading(page) == "bindsim 图集"
    assert page.locator('figure[lang="en"]:visible').count() == 0
    assert page.locator('figure[lang="zh"]:visible').count() > 5
    assert "注册地址在国外导致绑定卡住数天" in page.locator("#runs").inner_text()  # name_zh
    assert page.get_attribute('button[data-lang="zh"]', "aria-pressed") == "true"
    page.click('button[data-lang="en"]')
    assert visible_heading(page) == "bindsim diagrams"


def test_every_contents_link_leads_to_its_section(page: Any) -> None:
    links = page.locator(".contents a").evaluate_all("xs => xs.map(x => x.getAttribute('href'))")
    assert "#machines" in links and "#results" in links and len(links) >= 8
    for link in links:
        assert page.locator(link).count() == 1, link
    page.click('.contents a[href="#results"]')
    assert page.evaluate("location.hash") == "#results"
    assert page.locator("#results").is_visible()


def test_every_link_and_picture_of_the_page_resolves(page: Any, gallery: Path) -> None:
    targets = page.locator("a[href], img[src]").evaluate_all(
        "xs => xs.map(x => x.getAttribute('href') || x.getAttribute('src'))"
    )
    files = [t for t in targets if not t.startswith("#")]
    assert any(t.endswith(".animated.svg") for t in files)
    assert any(t.endswith(".mmd") for t in files)
    assert not [t for t in files if not (gallery / t).is_file()]
    broken = page.evaluate(
        "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0)"
        ".map(i => i.src)"
    )
    assert broken == []


def test_a_storyboard_link_opens_the_scenarios_storyboard(page: Any) -> None:
    page.click('button[data-lang="zh"]')
    link = page.locator('#runs a.storyboard[lang="zh"]').first
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(".zh.html")
    assert "注册地址在国外导致绑定卡住数天" in page.title()
    assert page.locator("section.slide").count() > 5
    assert page.locator(".slide .code").first.inner_text() == "OFFICIAL_SLOT_TAKEN"
    images = page.evaluate("Array.from(document.images).map(i => i.naturalWidth)")
    assert images and min(images) > 0


def test_wide_pictures_start_at_their_own_size_and_zoom(page: Any) -> None:
    frame = page.locator('#machine-seller_center figure[lang="en"] .zoom')
    image = frame.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    natural = image.evaluate("i => i.naturalWidth")
    assert image.evaluate("i => i.getBoundingClientRect().width") == pytest.approx(natural, abs=2)
    page.locator('#machine-seller_center figure[lang="en"] .zoom-bar button[title="fit"]').click()
    fitted = image.evaluate("i => i.getBoundingClientRect().width")
    assert fitted <= frame.evaluate("f => f.clientWidth") + 1


def test_a_storyboard_emailed_alone_shows_every_picture(
    browser: Any, gallery: Path, tmp_path: Path
) -> None:
    # the file alone, in a folder with nothing else: every picture must be inside it
    [board] = gallery.glob("storyboards/stuck_binding_fixed_by_ticket.zh.html")
    alone = tmp_path / "emailed.html"
    shutil.copy(board, alone)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    page = context.new_page()
    page.goto(alone.as_uri())
    page.wait_for_load_state("load")
    images = page.evaluate(
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt,"
        " i.src.slice(0, 26)])"
    )
    # no text of a slide under 12 px (9 pt on the 960 pt wide slide), pictures included
    small_text = page.evaluate(SMALL_TEXT)
    shown = page.evaluate(
        "Array.from(document.images).map(i => [i.src, Math.min(i.clientWidth / i.naturalWidth,"
        " i.clientHeight / i.naturalHeight)])"
    )
    context.close()
    assert small_text == []
    for src, scale in shown:
        svg = base64.b64decode(src.split(",", 1)[1]).decode()
        smallest = min(float(x) for x in re.findall(r'font-size="([\d.]+)"', svg))
        assert smallest * 4 / 3 * scale >= 12, (smallest, scale)  # pt → px, as shown
    assert len(images) > 5
    assert all(complete and width > 0 for complete, width, _, _ in images), images
    assert {src for *_, src in images} == {"data:image/svg+xml;base64,"}
    assert all("状态图" in alt and "处于" in alt for _, _, alt, _ in images)  # alt text in zh
    assert [url for url in fetched if not url.startswith("data:")] == [alone.as_uri()]
