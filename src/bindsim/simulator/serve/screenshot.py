"""The README's picture of `bindsim serve`: the seed's story clicked in headless Chromium.

`write_readme_image` (`bindsim serve --readme-image`) starts the app and a browser, plays the
story and writes docs/images/serve.en.png with serve.en.html beside it: the page as the
picture shows it, without the Graphviz drawings (each diagram's machine and highlighted states
stay in its attributes; the drawings themselves are pinned by the machines' own pictures). The
test suite plays the same story in its browser and compares that HTML, so the picture cannot
silently fall behind the page. Playwright is a development dependency: this module is only
imported where it is used.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from bindsim.errors import BrowserMissing
from bindsim.simulator.files import write_atomic
from bindsim.simulator.screens import UNLINK_PATH
from bindsim.simulator.serve.server import running

CHROMIUM = os.environ.get("BINDSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 1320}
PHONE = {"width": 390, "height": 844}  # the README's second picture: the page on a phone
STEM = "serve.en"
PHONE_STEM = "serve.phone.en"
STATIC = Path(__file__).parent / "static"


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, driven by Playwright (its own browser download is not
    reachable from every machine)."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        raise BrowserMissing(f"no Chromium at {CHROMIUM}")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# ------------------------------------------------------------------------ the story


def press(page: Any, selector: str) -> None:
    """Press a button and wait until the page shows the answer. The page's script marks the
    body busy as the form is submitted (synchronously, within the click) until it has
    swapped the new page in."""
    page.click(selector)
    page.wait_for_selector("body:not(.busy)")


def click(page: Any, label: str) -> None:
    """Click a label in Seller Center."""
    press(page, f"#center-labels button[data-label='{label}']")


def tap(page: Any, label: str) -> None:
    """Tap a label on the phone."""
    press(page, f"#phone-labels button[data-label='{label}']")


def invite_and_accept(page: Any, account: str = "alice") -> None:
    """Seller Center: My Account → Bind TikTok account → Bind official account → Send
    invitation (R-SELLER-NAV); then the creator accepts on the phone."""
    for label in ("My Account", "Bind TikTok account", "Bind official account"):
        click(page, label)
    page.select_option("#center-labels select[name=account]", account)
    click(page, "Send invitation")
    press(page, "#phone .inbox button[value=accept]")


def play_story(page: Any, url: str) -> None:
    """The README's moment: alice accepted gb's invitation and tries to leave at once; the
    app refuses with UNBIND_LOCKED (R-LOCK-24H) and the lock shows on the diagram."""
    page.goto(url)
    invite_and_accept(page)
    for label in UNLINK_PATH:
        tap(page, label)
    page.click("#panel-binding svg g.node.active")
    page.wait_for_selector("#panel-binding .rules-box:not([hidden])")
    page.evaluate("window.scrollTo(0, 0)")
    # The page answers a scroll at the next frame (the link up to What changed): wait for it.
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def page_source(page: Any) -> str:
    """The page as the screenshot shows it, without the Graphviz drawings, and the digests
    of the stylesheet and script that style it."""
    html: str = page.eval_on_selector(
        "#main",
        """main => {
            const copy = main.cloneNode(true);
            copy.querySelectorAll(".svg").forEach(d => d.replaceChildren(
                document.createComment(" drawn by Graphviz ")));
            copy.querySelectorAll("[style='']").forEach(e => e.removeAttribute("style"));
            copy.querySelectorAll(".panel").forEach(p => {
                p.removeAttribute("data-notes");  // the machines' own state labels and rules
                p.removeAttribute("data-sig");
            });
            return copy.outerHTML;
        }""",
    )
    digests = "\n".join(
        f"{name} sha256 {hashlib.sha256((STATIC / name).read_bytes()).hexdigest()}"
        for name in ("serve.css", "serve.js")
    )
    return (
        f"<!-- What docs/images/{STEM}.png shows (`bindsim serve --readme-image` redraws it).\n"
        f"{digests}\n-->\n{html}\n"
    )


def write_readme_image(out: Path) -> list[Path]:
    """Play the story in a fresh app and browser; write OUT/serve.en.png and its HTML, and
    OUT/serve.phone.en.png, the same moment on a phone."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserMissing("Playwright is not installed") from None
    from bindsim.simulator.serve import create_app

    out.mkdir(parents=True, exist_ok=True)
    with running(create_app()) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            play_story(page, url)
            picture = page.screenshot(full_page=False)
            source = page_source(page)
            phone = browser.new_page(viewport=PHONE, device_scale_factor=2)
            play_story(phone, url)
            phone_picture = phone.screenshot(full_page=False)
        finally:
            browser.close()
    return [
        write_atomic(out / f"{STEM}.png", picture),
        write_atomic(out / f"{STEM}.html", source),
        write_atomic(out / f"{PHONE_STEM}.png", phone_picture),
    ]
