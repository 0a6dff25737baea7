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

from bindsim.machines import MACHINES
from bindsim.machines.spec import spec_of
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


# ----------------------------------------------- issue 25: a classroom on phones and laptops

SIZES = [(390, 844), (768, 1024), (1440, 900)]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"

# Every control on the page that is shown: where a tap at its centre lands, after scrolling
# it into view (null when it lands on it or inside it).
UNTAPPABLE = """() => {
    const blocked = [];
    const controls = "#main button, #main select, #main input, #main a";
    for (const control of document.querySelectorAll(controls)) {
        const skip = "[hidden], details:not([open]), .empty, svg";
        if (control.type === "hidden" || control.closest(skip)) {
            continue;
        }
        const box = control.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) {
            continue;
        }
        control.scrollIntoView({ block: "center", inline: "center" });
        const at = control.getBoundingClientRect();
        const hit = document.elementFromPoint(at.left + at.width / 2, at.top + at.height / 2);
        const label = control.closest("label");
        if (!hit || !(hit === control || control.contains(hit) || (label && label.contains(hit)))) {
            blocked.push((control.id || control.name || control.textContent).trim().slice(0, 40)
                + " under " + (hit ? hit.className || hit.tagName : "nothing"));
        }
    }
    window.scrollTo(0, 0);
    return blocked;
}"""


def sized(browser: Any, width: int, height: int, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.set_default_timeout(10_000)
    return context


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_story_works_by_taps_at_phone_tablet_and_laptop_size(
    browser: Any, url: str, width: int, height: int
) -> None:
    """Issue 25.1: no sideways scrolling, and every control can be tapped, at each size; the
    whole unbinding story is played by real clicks (a covered button would time out)."""
    context = sized(browser, width, height)
    page = context.new_page()
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(UNTAPPABLE) == []
    invite_and_accept(page)
    for label in ("Showcase", "Enter", "Your Shop", "View link info"):
        tap(page, label)
    press(page, "#advance-24h")
    tap(page, "Send unlink request")
    click(page, "Home")
    click(page, "View details")
    click(page, "Agree")
    assert states(page, "binding") == "unbound"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(UNTAPPABLE) == []
    context.close()


def test_what_changed_shows_a_timer_outcome_where_the_user_looks(browser: Any, url: str) -> None:
    """Issue 25.3: moving past 48h says, in view beside the screens, that the invitation
    expired, with its code and rule; a live diagram is in view too."""
    context = sized(browser, 1440, 900)
    page = context.new_page()
    page.goto(url)
    page.fill("#clock input[name=by]", "1s")
    for label in ("My Account", "Bind TikTok account", "Bind official account"):
        click(page, label)
    click(page, "Send invitation")
    page.fill("#clock input[name=by]", "48h1s")
    press(page, "#clock .custom-advance button")
    notice = page.locator("#notice")
    assert "INVITATION_EXPIRED" in notice.inner_text()
    assert "pending (awaiting creator) → expired" in notice.inner_text()
    assert "R-INVITE-48H" in notice.inner_text()
    in_view = (
        "e => { const b = e.getBoundingClientRect(); return b.top >= 0 && b.top < innerHeight; }"
    )
    assert notice.evaluate(in_view)
    assert page.locator("#panel-binding").evaluate(in_view)
    assert page.locator("#phone").evaluate(in_view) and page.locator("#center").evaluate(in_view)
    context.close()


def test_a_stuck_binding_shows_as_binding_in_progress_with_its_reasons(page: Any) -> None:
    """Issue 25.3, R-STUCK: registered abroad, alice's binding is stuck; Seller Center and
    the phone say so with the reason, not "none"."""
    page.fill("#creator-alice input[name=registration_country]", "FR")
    press(page, "#creator-alice button")
    invite_and_accept(page)
    assert states(page, "binding") == "stuck"
    progress = page.inner_text("#in-progress")
    assert "Binding in progress" in progress and "@alice" in progress
    assert "REGISTRATION_REGION_MISMATCH" in progress
    assert "binding in progress with gb" in page.inner_text("#phone-binding")
    assert "REGISTRATION_REGION_MISMATCH" in page.inner_text("#phone .account-card")
    press(page, "#lang-switch")
    assert "绑定中" in page.inner_text("#in-progress")


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1440, 900)])
def test_axe_finds_no_serious_or_critical_violation_in_english_or_chinese(
    browser: Any, url: str, width: int, height: int
) -> None:
    """Issue 25.5: axe-core (tests/vendor/axe-core, from npm) over the page with a refusal, a
    scenario loaded and played, in both languages."""
    context = sized(browser, width, height, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    invite_and_accept(page)
    for label in ("Showcase", "Enter", "Your Shop", "View link info", "Send unlink request"):
        tap(page, label)
    page.select_option("#library", STORY)
    press(page, "#load")
    press(page, "#step-forward")
    found = []
    for lang in ("en", "zh"):
        if lang == "zh":
            press(page, "#lang-switch")
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        found += [
            f"{lang}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    assert found == []
    context.close()


ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{3,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}")


def test_in_chinese_no_english_sentence_is_left(page: Any) -> None:
    """Issue 25.6: the page in Chinese after a refusal, a timer, an input error and a loaded
    scenario: no run of three English words outside code, ids and the diagrams."""
    press(page, "#lang-switch")
    for label in ("My Account", "Bind TikTok account", "Bind official account"):
        click(page, label)
    page.select_option("#center-labels select[name=account]", "kid")
    click(page, "Send invitation")  # refused: UNDER_18, COUNTRY_MISMATCH
    page.fill("#clock input[name=by]", "soon")
    press(page, "#clock .custom-advance button")  # an input error
    assert page.locator("#error").count() == 1
    texts = page.evaluate(
        """() => {
            const out = [];
            const main = document.getElementById("main");
            const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const parent = node.parentElement;
                if (parent.closest("code, svg, script, style, [lang=en], option, .rule, .url")) {
                    continue;
                }
                out.push(node.textContent);
            }
            const labelled = "#main [title], #main [aria-label], #main [placeholder]";
            for (const e of document.querySelectorAll(labelled)) {
                if (!e.closest("svg")) {
                    out.push(e.getAttribute("title") || "", e.getAttribute("aria-label") || "");
                }
            }
            return out;
        }"""
    )
    english = [t.strip() for t in texts if ENGLISH_SENTENCE.search(t)]
    assert english == []
    tooltip = page.text_content("#panel-binding svg g.edge title")
    assert tooltip is not None and "->" not in tooltip


def test_focus_returns_to_the_control_acted_with(page: Any) -> None:
    """Issue 25.5: after a step the keyboard is where it was, not at the top of the page."""
    page.focus("#advance-1h")
    page.keyboard.press("Enter")
    page.wait_for_selector("body:not(.busy)")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'advance-1h'")
    page.focus("#creator-alice input[name=followers]")
    page.fill("#creator-alice input[name=followers]", "1200")
    page.focus("#creator-alice button")
    page.keyboard.press("Enter")
    page.wait_for_selector("body:not(.busy)")
    focused = page.evaluate(
        "document.activeElement.closest('form') && document.activeElement.closest('form').id"
    )
    assert focused == "creator-alice"


def test_the_pickers_do_not_submit_on_arrow_keys(page: Any) -> None:
    """Issue 25.5: ArrowDown moves the choice; Enter shows it."""
    page.focus("#phone select[name=phone]")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.input_value("#phone select[name=phone]") == "kid"
    assert "@alice" in page.inner_text("#phone .account-card")  # not submitted
    page.keyboard.press("Enter")
    page.wait_for_selector("body:not(.busy)")
    page.wait_for_function(
        "document.querySelector('#phone .account-card').innerText.includes('@kid')"
    )


def test_the_two_letter_fields_show_their_whole_value(page: Any) -> None:
    for name in ("country", "network", "registration_country", "home_region"):
        field = page.locator(f"#creator-alice input[name={name}]")
        assert field.input_value() == "GB"
        assert field.evaluate("e => e.scrollWidth <= e.clientWidth")


def test_run_to_end_plays_a_long_scenario_in_shares_to_its_end(page: Any, tmp_path: Path) -> None:
    """Issue 23.3: the server plays 500 steps a request; the page asks for the rest."""
    steps = "".join("  - advance: 1s\n" for _ in range(1_100))
    long = tmp_path / "long.scenario.yaml"
    long.write_text(
        "name: eleven hundred seconds\nshops: {gb: {region: GB}}\n"
        "creators: {alice: {country: GB, age: 24}}\nsteps:\n" + steps,
        encoding="utf-8",
    )
    page.set_input_files("#upload", str(long))
    press(page, "form[action='/scenario/upload'] button")
    page.click("#run-to-end")
    page.wait_for_selector("#step-forward[disabled]", timeout=60_000)
    page.wait_for_selector("body:not(.busy)")
    assert "step 1100 of 1100" in page.inner_text("#player-bar")
    assert page.inner_text("#now") == "2024-11-11 12:18:20 UTC"


# ------------------------------------- issue 25.7: the phone after the merchant's answer

ANSWERS = {
    "en": (
        "Link info",
        "merchant declined the request",
        "Showcase",
        "merchant agreed: link removed",
    ),
    "zh": ("Link info 页面", "商家已拒绝解绑申请", "橱窗", "商家已同意:绑定已解除"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_phone_shows_the_merchants_answer_to_the_unlink_request(page: Any, lang: str) -> None:
    """R-UNLINK-APPROVE, A-DECLINE: after Decline the phone is back on Link info with the
    request to send again; after Agree it is on the showcase, "Your Shop" greyed. Neither
    leaves "Unlink request sent" on screen, and "What changed" says why the phone moved."""
    declined, declined_why, agreed, agreed_why = ANSWERS[lang]
    if lang == "zh":
        press(page, "#lang-switch")
    invite_and_accept(page)
    press(page, "#advance-24h")
    for label in ("Showcase", "Enter", "Your Shop", "View link info", "Send unlink request"):
        tap(page, label)
    assert (
        page.inner_text("#phone-title") == ("Unlink request sent", "解绑申请已发送")[lang == "zh"]
    )
    click(page, "Home")
    click(page, "View details")
    click(page, "Decline")
    assert page.inner_text("#phone-title") == declined
    assert (
        page.locator("#phone-labels button[data-label='Send unlink request']:not(.greyed)").count()
        == 1
    )
    assert declined_why in page.inner_text("#notice")
    assert states(page, "binding") == "bound,unlockable"
    tap(page, "Send unlink request")
    click(page, "View details")
    click(page, "Agree")
    assert page.inner_text("#phone-title") == agreed
    assert page.locator("#phone-labels button.greyed[data-label='Your Shop']").count() == 1
    assert agreed_why in page.inner_text("#notice")
    assert states(page, "binding") == "unbound"


# ------------------------------------------- issue 25.6: no English detail in a Chinese page

# The English words a Chinese page may show: ids and typed values, and the words of the
# machines' own Chinese labels, which keep the app's English UI strings ("Your Shop(你的店铺)").
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z_'-]*[A-Za-z]")
KEPT_IN_CHINESE = {
    word
    for cls in MACHINES
    for text in [
        *(n.label.zh for n in spec_of(cls).nodes.values()),
        *(e.label.zh for e in spec_of(cls).edges.values()),
    ]
    for word in ENGLISH_WORD.findall(text)
} | {"TikTok", "App", "KiB", "UTF", "official", "channel", "open", "invited", "next", "before_next"}

# What is read on the page: the error banner and "What changed", less code, rule IDs and what
# is marked as English.
SHOWN_TEXT = """() => {
    const out = [];
    for (const id of ["error", "notice"]) {
        const root = document.getElementById(id);
        if (!root) continue;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const parent = walker.currentNode.parentElement;
            if (!parent.closest("code, .rule, [lang=en]")) out.push(walker.currentNode.textContent);
        }
    }
    return out.join(" ");
}"""


def chinese_leftovers(page: Any, typed: set[str]) -> list[str]:
    """The English words on the page's error and notice that are not ids, codes or typed."""
    text = page.evaluate(SHOWN_TEXT)
    ids = {"gb", "alice", "kid", "zoe"}
    return [
        word
        for word in ENGLISH_WORD.findall(text)
        if word not in KEPT_IN_CHINESE | typed | ids and not word.isupper()
    ]


def act_in_panel(page: Any, verb: str) -> None:
    page.select_option("#actions select[name=verb]", verb)
    press(page, "#actions button")


def add(page: Any, form: str, **fields: str) -> None:
    page.click(f"#{form} >> xpath=..")  # open its <details>
    for name, value in fields.items():
        page.fill(f"#{form} input[name={name}]", value)
    press(page, f"#{form} button")


def test_in_chinese_every_error_and_refusal_is_told_without_english_details(
    page: Any, tmp_path: Path
) -> None:
    """Issue 25.6: in Chinese, refusals (with reason codes), a label greyed by the network,
    bad input in the clock, the cast editor and the facts, and actions that do not apply
    (World errors behind a Chinese sentence) leave no English word of their messages; only a
    scenario file's own problems stay English, marked as English."""
    press(page, "#lang-switch")
    cases: list[tuple[str, Any, set[str]]] = [
        (
            "refused invitation",
            lambda: (
                [
                    click(page, label)
                    for label in ("My Account", "Bind TikTok account", "Bind official account")
                ],
                page.select_option("#center-labels select[name=account]", "kid"),
                click(page, "Send invitation"),
            ),
            set(),
        ),
        (
            "bad duration",
            lambda: (
                page.fill("#clock input[name=by]", "soon"),
                press(page, "#clock .custom-advance button"),
            ),
            {"soon"},
        ),
        (
            "bad network",
            lambda: (
                page.fill("#creator-alice input[name=network]", "France"),
                press(page, "#creator-alice button"),
            ),
            {"France"},
        ),
        (
            "bad followers",
            lambda: (
                page.fill("#creator-alice input[name=followers]", "many"),
                press(page, "#creator-alice button"),
            ),
            {"many"},
        ),
        ("taken id", lambda: add(page, "add-shop", id="gb"), set()),
        ("bad region", lambda: add(page, "add-shop", id="fr", region="FRA"), {"FRA"}),
        ("bad id", lambda: add(page, "add-creator", id="zoe zoe"), set()),
        ("bad country", lambda: add(page, "add-creator", id="zoe", country="GBR"), {"GBR"}),
        ("negative followers", lambda: add(page, "add-creator", id="zoe", followers="-5"), set()),
        ("no invitation to accept", lambda: act_in_panel(page, "accept"), set()),
        ("no unlink request", lambda: act_in_panel(page, "approve_unlink"), set()),
        ("no request to decline", lambda: act_in_panel(page, "decline_unlink"), set()),
        (
            "a greyed label",
            lambda: (
                page.fill("#creator-alice input[name=network]", "FR"),
                press(page, "#creator-alice button"),
                tap(page, "Showcase"),
            ),
            set(),
        ),
    ]
    found = {}
    for name, do, typed in cases:
        do()
        assert page.locator("#error, #notice.refused").count() >= 1, name
        assert page.locator("#error [lang=en]").count() == 0, name
        found[name] = chinese_leftovers(page, typed)
    assert {name: words for name, words in found.items() if words} == {}
    # A scenario file's problems are written in the scenario format's English words: the page
    # says in Chinese what is wrong, and shows the problems marked as English.
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text("name: bad\nsteps:\n  - fly: {to: moon}\n", encoding="utf-8")
    page.set_input_files("#upload", str(bad))
    press(page, "form[action='/scenario/upload'] button")
    assert page.inner_text("#error").startswith("未执行: 上传的文件不是有效的场景文件:")
    assert page.locator("#error [lang=en]").count() == 1
    assert chinese_leftovers(page, set()) == []
