"""`bindsim serve` sessions that survive (issue 25, item 2; issue 23, items 3-5): kept in SQLite
under --data, shared by worker processes, expired after a configurable idle time with a notice,
never replaced silently; long work comes in pieces, and memory per session is bounded.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bindsim.errors import SessionFull
from bindsim.simulator.serve import create_app
from bindsim.simulator.serve.app import COOKIE
from bindsim.simulator.serve.recording import Cast, make_step
from bindsim.simulator.serve.session import (
    MAX_STEPS,
    PLAY_PER_REQUEST,
    Played,
    Session,
    Trail,
    starter,
)
from bindsim.simulator.serve.store import FILE_NAME

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "src" / "bindsim" / "scenarios"
STORY = "scenarios/stories/official_account_lifecycle.scenario.yaml"
DAY = 24 * 3600.0

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`:DeprecationWarning")


class Clock:
    """The store's wall clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def client_of(app: Any, token: str | None = None) -> TestClient:
    client = TestClient(app, raise_server_exceptions=True)
    if token is not None:
        client.cookies.set(COOKIE, token, domain="testserver.local")
    return client


def now_shown(page: str) -> str:
    found = re.search(r'id="now">([^<]*)<', page)
    assert found is not None
    return found.group(1)


def advance(client: TestClient, by: str = "1h") -> None:
    assert client.post("/act", data={"verb": "advance", "by": by}).status_code == 200


# ------------------------------------------------------------------ restarts and workers


def test_a_restart_keeps_every_session(tmp_path: Path) -> None:
    data = tmp_path / FILE_NAME
    with client_of(create_app(data=data)) as browser:
        browser.get("/")
        token = browser.cookies[COOKIE]
        browser.post(
            "/act", data={"verb": "invite", "shop": "gb", "creator": "alice", "role": "official"}
        )
        browser.post("/lang", data={"lang": "zh"})
        advance(browser, "2h")
        before = browser.get("/").text
    restarted = create_app(data=data)  # a new process would open the same file
    with client_of(restarted, token) as browser:
        page = browser.get("/")
        assert browser.cookies[COOKIE] == token
        assert now_shown(page.text) == now_shown(before) == "2024-11-11 14:00:00 UTC"
        assert 'lang="zh-Hans"' in page.text and 'id="gone"' not in page.text
        session = restarted.state.server.store.open(token).session
        assert session.world.invitation("gb", "alice").state == "pending"
        # Undo works across the restart: the journal rebuilt the history.
        assert browser.post("/undo").status_code == 200
        assert now_shown(browser.get("/").text) == "2024-11-11 12:00:00 UTC"


def test_two_processes_share_a_session_and_its_undo(tmp_path: Path) -> None:
    """Two apps on one file, as two worker processes are: each change made by one is seen by
    the other, undo included, and neither overwrites the other's."""
    data = tmp_path / FILE_NAME
    first, second = create_app(data=data), create_app(data=data)
    with client_of(first) as one:
        one.get("/")
        token = one.cookies[COOKIE]
        with client_of(second, token) as two:
            advance(one, "1h")
            assert now_shown(two.get("/").text) == "2024-11-11 13:00:00 UTC"
            advance(two, "1h")
            advance(one, "1h")  # one catches up before its change: 15:00, not 14:00
            assert now_shown(two.get("/").text) == "2024-11-11 15:00:00 UTC"
            assert two.post("/undo").status_code == 200
            assert now_shown(one.get("/").text) == "2024-11-11 14:00:00 UTC"
            one.post(
                "/act",
                data={"verb": "invite", "shop": "gb", "creator": "alice", "role": "official"},
            )
            two.post("/act", data={"verb": "accept", "shop": "gb", "creator": "alice"})
            assert "2 steps recorded" not in one.get("/").text
            shared = first.state.server.store.open(token).session
            assert [p.step.verb for p in shared.done] == ["advance", "advance", "invite", "accept"]
            assert shared.world.bound_shop("alice") == "gb"


def test_a_change_made_meanwhile_elsewhere_is_not_overwritten(tmp_path: Path) -> None:
    """The version check: a process whose copy is stale does its change again on the stored
    session instead of writing over what the other process wrote."""
    data = tmp_path / FILE_NAME
    first, second = create_app(data=data), create_app(data=data)
    store_one, store_two = first.state.server.store, second.state.server.store
    token = store_one.open(None).token
    stale = store_one.open(token).session
    fresh = store_two.open(token).session
    fresh.act({"advance": "1h"})
    assert store_two.save(token, fresh)
    stale.act({"advance": "2h"})
    assert not store_one.save(token, stale)  # refused: the caller does it again
    again = store_one.open(token).session
    assert [p.step.describe() for p in again.done] == ["advance: 1h"]


@pytest.mark.skipif(sys.platform == "win32", reason="signals")
def test_serve_with_two_workers_keeps_one_session_across_them(tmp_path: Path) -> None:
    """`bindsim serve --workers 2 --data DIR`: every request of a browser, whichever process
    answers it, works on the same session."""
    httpx = pytest.importorskip("httpx")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "bindsim.simulator", "serve", "--port", "0"]
    command += ["--data", str(tmp_path), "--workers", "2", "--no-library"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert server.stdout is not None
        line = server.stdout.readline().decode()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found is not None, line
        url = f"http://127.0.0.1:{found.group(1)}"
        with httpx.Client(base_url=url, timeout=30) as browser:
            for _ in range(200):  # the workers may take a moment to start
                try:
                    browser.get("/")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            for _ in range(12):
                response = browser.post("/act", data={"verb": "advance", "by": "1h"})
                assert response.status_code in (200, 303)
            assert now_shown(browser.get("/").text) == "2024-11-12 00:00:00 UTC"
        assert (tmp_path / FILE_NAME).exists()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ------------------------------------------------------------------ nothing lost silently


def test_many_browsers_without_a_cookie_drop_no_session() -> None:
    """A health check (or a class) without cookies makes new sessions; none pushes out
    another (it was 64 before)."""
    app = create_app()
    with client_of(app) as mine:
        mine.get("/")
        advance(mine, "5h")
        for _ in range(150):
            with client_of(app) as passer_by:
                passer_by.get("/")
        page = mine.get("/").text
        assert 'id="gone"' not in page and now_shown(page) == "2024-11-11 17:00:00 UTC"


def test_an_idle_session_expires_and_its_browser_is_told() -> None:
    clock = Clock()
    app = create_app(ttl=2 * DAY, clock=clock)
    with client_of(app) as browser:
        browser.get("/")
        old = browser.cookies[COOKIE]
        advance(browser, "3h")
        clock.now += 1.5 * DAY
        assert 'id="gone"' not in browser.get("/").text  # used: its idle time starts again
        clock.now += 2 * DAY + 1
        page = browser.get("/")
        assert "Your session is gone" in page.text and "2 days" in page.text
        assert browser.cookies[COOKIE] != old
        assert now_shown(page.text) == "2024-11-11 12:00:00 UTC"  # a new one, said so


def test_a_change_for_a_gone_session_is_not_done_on_a_new_one() -> None:
    app = create_app()
    with client_of(app, "a-session-that-is-not-there") as browser:
        response = browser.post("/act", data={"verb": "advance", "by": "5h"})
        assert response.status_code == 409
        assert "Your session is gone" in response.text
        assert "nothing you do now changes the old one" in response.text
        page = browser.get("/").text
        assert now_shown(page) == "2024-11-11 12:00:00 UTC" and 'id="gone"' not in page
        assert "0 steps recorded" in page


def test_an_unusable_data_folder_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bindsim.simulator.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    for workers in ("1", "2"):
        command = ["serve", "--data", str(blocker / "sub"), "--port", "0", "--no-library"]
        assert main([*command, "--workers", workers]) != 0
        assert "cannot keep sessions in" in capsys.readouterr().err


# ------------------------------------------------------------------ bounded work and memory


def test_run_to_end_plays_a_bounded_share_per_request() -> None:
    """Issue 23.3: a request plays at most PLAY_PER_REQUEST steps; the rest waits for the
    next press (the page says how many are left)."""
    one_second = make_step(Cast(), {"advance": "1s"})
    session = Session(replace(starter(), steps=(one_second,) * (PLAY_PER_REQUEST + 20)), play=True)
    assert session.play_all() == PLAY_PER_REQUEST
    assert session.queue_count == 20
    assert session.play_all() == 20 and session.queue_count == 0


def test_undo_moments_share_their_steps() -> None:
    """Issue 23.4: each moment of the history holds the steps done as a chain shared with
    the moments around it, not a list of its own; the World's log is bounded."""
    session = Session(starter())
    for _ in range(50):
        session.act({"advance": "1s"})
    assert session.history[-1].trail is session.now.trail.before  # type: ignore[union-attr]
    assert session.history[-2].trail is session.history[-1].trail.before  # type: ignore[union-attr]
    for _ in range(1000):
        session.act({"advance": "1s"})
    assert len(session.world.log) <= 2 * 400


def test_a_session_holds_at_most_max_steps_and_says_so() -> None:
    session = Session(starter())
    played = Played(make_step(Cast(), {"advance": "1s"}), "you", "ok", True, (), "")
    trail = None
    for n in range(1, MAX_STEPS + 1):  # a full session, made quickly
        trail = Trail(played, trail, n)
    session.now = replace(session.now, trail=trail)
    with pytest.raises(SessionFull, match="at most 10,000 steps"):
        session.act({"advance": "1s"})
    assert session.done_count == MAX_STEPS


@pytest.fixture
def story_client() -> Iterator[TestClient]:
    with client_of(create_app([LIBRARY])) as browser:
        browser.get("/")
        yield browser


def test_the_player_follows_the_actors(story_client: TestClient) -> None:
    """Issue 25.4: when a step acts on bob, the page shows bob's phone."""
    story_client.post("/scenario/load", data={"key": STORY})
    page = story_client.post("/player/run").text
    assert re.search(r'<option value="bob" selected>bob</option>', page)


@pytest.mark.parametrize("token", ["", "x" * 4000, "%C3%A9%00==", "' OR 1=1 --", "../../etc"])
def test_any_cookie_is_a_session_or_a_gone_one_never_an_error(token: str) -> None:
    app = create_app()
    with client_of(app) as browser:
        browser.cookies.set(COOKIE, token, domain="testserver.local")
        page = browser.get("/")
        assert page.status_code == 200
        assert ('id="gone"' in page.text) == bool(token)
        assert browser.post("/act", data={"verb": "advance", "by": "1h"}).status_code == 200
        assert now_shown(browser.get("/").text) == "2024-11-11 13:00:00 UTC"
