"""`bindsim serve` in a real browser (issue 11): Debian's Chromium, headless, driven by
Playwright; one browser and one server (uvicorn in a thread) for the whole module.

Where Chromium or Playwright is missing these tests are skipped, except under CI (CI set), where
that is a failure: the Makefile's system step installs chromium.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bindsim.simulator.cli import main
from bindsim.simulator.serve import create_app
from bindsim.simulator.serve.screenshot import (
    CHROMIUM,
    STEM,
    VIEWPORT,
    click,
    invite_and_accept,
    launch,
    page_source,
    play_story,
    press,
    tap,
)
from bindsim.simulator.serve.server import running

ROOT = Path(__file__).resolve().parent.parent
STORY = "scenarios/stories/official_account_lifecycle.scenario.yaml"
UNDER_CI = bool(os.environ.get("CI"))


def require_browser() -> Any:
    """Playwright's sync API, or a skip (a failure under CI) saying what to install."""
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "Playwright is not installed (pip install -e '.[dev]')"
    if problem is None and not Path(CHROMIUM).exists():
        problem = f"Chromium is not at {CHROMIUM} (sudo apt-get install chromium)"
    if problem is not None:
        if UNDER_CI:
            pytest.fail(f"{problem}: under CI the browser tests must run")
        pytest.skip(problem)
    return sync_playwright


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with running(create_app([ROOT / "src" / "bindsim" / "scenarios"])) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = require_browser()
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, url: str) -> Iterator[Any]:
    """A new browser context per test: its own cookie, so its own session and World."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(url)
    yield tab
    context.close()
    assert errors == [], f"the page's script failed: {errors}"


def states(page: Any, panel: str) -> str:
    return str(page.get_attribute(f"#panel-{panel}", "data-states"))


def latest_log_entry(page: Any) -> Any:
    return page.locator("#log .entry").first


def test_the_official_accounts_whole_story_by_clicks(page: Any) -> None:
    """R-SELLER-NAV, R-LOCK-24H, R-UNLINK-PATH, R-UNLINK-APPROVE: invite in Seller Center,
    accept, the lock shown, jump 24h, the unlink path on the phone, Agree, unbound."""
    invite_and_accept(page)
    assert states(page, "binding") == "bound,locked"
    for label in ("Showcase", "Enter", "Your Shop", "View link info", "Send unlink request"):
        tap(page, label)
    # The lock: refused with its code, the deadline counted down, the diagram in "locked".
    assert "UNBIND_LOCKED" in page.inner_text("#notice")
    assert page.inner_text("#deadlines").startswith("in 24h alice's binding to gb can be")
    assert page.get_attribute("#panel-binding svg g.node.active", "data-id") == "locked"
    assert page.text_content("#panel-binding svg g.node.active title") == "locked (no unbinding)"
    press(page, "#advance-24h")
    assert page.inner_text("#deadlines") == "No deadline pending."
    assert states(page, "binding") == "bound,unlockable"
    tap(page, "Send unlink request")  # the phone is still on Link info
    assert states(page, "binding") == "bound,unlink_requested"
    click(page, "Home")
    click(page, "View details")
    assert page.inner_text("#center .center-page p") == "@alice"
    click(page, "Agree")
    assert states(page, "binding") == "unbound"
    assert page.inner_text("#official") == "none"
    assert page.get_attribute("#panel-binding svg g.node.active", "data-id") == "unbound"
    # A click on the state lists its rules.
    page.click("#panel-binding svg g.node.active")
    assert page.inner_text("#panel-binding .rules-box .rule-ids") == "R-RELEASE\nR-REBIND"


def test_a_refusal_shows_its_codes_in_red(page: Any) -> None:
    """R-ELIGIBLE: the French 16-year-old cannot be invited; the Seller Center page, the
    banner and the log show both codes, in red."""
    for label in ("My Account", "Bind TikTok account", "Bind official account"):
        click(page, label)
    page.select_option("#center-labels select[name=account]", "kid")
    click(page, "Send invitation")
    assert page.inner_text("#center-title") == "Cannot send invitation: reasons"
    entry = latest_log_entry(page)
    assert "refused" in str(entry.get_attribute("class"))
    codes = entry.locator("code.code")
    assert codes.all_inner_texts() == ["UNDER_18", "COUNTRY_MISMATCH"]
    assert codes.first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(198, 40, 40)"
    assert "the account's user is under 18" in entry.inner_text()


def test_a_label_hidden_by_the_network_is_greyed_with_its_reason(page: Any) -> None:
    """R-UNLINK-PATH, A-HOME-REGION: abroad, the showcase button is greyed with its code;
    tapping it anyway is refused NOT_VISIBLE."""
    page.fill("#creator-alice input[name=network]", "FR")
    press(page, "#creator-alice button")
    assert page.locator("#phone-labels button.greyed[data-label='Showcase']").count() == 1
    assert "NETWORK_REGION_MISMATCH" in page.inner_text("#phone-labels .why")
    tap(page, "Showcase")
    assert "NOT_VISIBLE" in latest_log_entry(page).inner_text()


def test_the_language_switch_turns_everything_chinese_and_back(page: Any) -> None:
    press(page, "#lang-switch")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.inner_text("#phone-title") == "个人主页"
    assert page.inner_text("#center-title") == "首页 (/homepage)"
    assert page.inner_text("#phone-labels button") == "账号橱窗"
    assert "首页" in str(page.text_content("#panel-center svg"))  # the diagrams too
    assert page.inner_text("#lang-switch") == "English"
    press(page, "#lang-switch")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#phone-title") == "Profile"


def test_a_library_scenario_loads_and_steps_forward_and_back(page: Any) -> None:
    page.select_option("#library", "scenarios/stories/official_account_lifecycle.scenario.yaml")
    press(page, "#load")
    total = page.locator("#steps > li").count()
    assert total > 10 and page.locator("#steps > li.next").count() == 1
    for _ in range(3):
        press(page, "#step-forward")
    assert page.locator("#steps > li.done").count() == 3
    assert states(page, "invitation") == "pending"
    press(page, "#step-back")
    assert page.locator("#steps > li.done").count() == 2
    press(page, "#run-to-end")
    assert page.locator("#step-forward[disabled]").count() == 1
    assert page.locator("#steps > li.done").count() == total
    assert page.locator("#steps > li.failed, #steps > li.error").count() == 0
    # The player moved the screens: the story's last steps invite bob and bob accepts.
    assert page.input_value("#phone select[name=phone]") == "bob"
    assert states(page, "binding") == "bound,locked"


def test_an_uploaded_scenario_plays(page: Any) -> None:
    page.set_input_files("#upload", str(ROOT / "src" / "bindsim" / STORY))
    press(page, "form[action='/scenario/upload'] button")
    assert page.locator("#steps > li.next").count() == 1
    press(page, "#run-to-end")
    assert page.locator("#steps > li.done").count() > 10
    assert page.locator("#steps > li.failed, #steps > li.error").count() == 0


def test_a_saved_session_replays_with_bindsim_run(page: Any, tmp_path: Path) -> None:
    invite_and_accept(page)
    for label in ("Showcase", "Enter", "Your Shop", "View link info", "Send unlink request"):
        tap(page, label)  # the last is refused: UNBIND_LOCKED
    press(page, "#next-deadline")
    assert page.inner_text("#deadlines") == "No deadline pending."
    press(page, "#panel-binding button:has-text('Expect this')")
    assert "unlockable" in page.inner_text("#steps > li:last-child")
    with page.expect_download() as download:
        page.click("#save")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "expect_error: UNBIND_LOCKED" in text
    assert "advance: 24h" in text
    assert "expect: {binding: {shop: gb, creator: alice}, state: unlockable}" in text
    assert main(["run", str(saved)]) == 0


def test_the_readme_screenshot_is_current(browser: Any) -> None:
    """docs/images/serve.en.png shows the page as it is: its HTML (without the Graphviz
    drawings) is what the story makes now. `bindsim serve --readme-image` redraws both."""
    with running(create_app()) as url:  # as the command makes it: no library listed
        page = browser.new_page(viewport=VIEWPORT)
        play_story(page, url)
        now = page_source(page)
        page.close()
    committed = (ROOT / "docs" / "images" / f"{STEM}.html").read_text(encoding="utf-8")
    assert re.sub(r"\s+", " ", now) == re.sub(r"\s+", " ", committed), (
        "the README screenshot is out of date: run `bindsim serve --readme-image`"
    )
    assert (ROOT / "docs" / "images" / f"{STEM}.png").stat().st_size > 50_000
