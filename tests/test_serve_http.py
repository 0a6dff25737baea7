"""`bindsim serve` over HTTP (issue 11): bad input gets a 4xx a person can act on and changes
nothing, sessions never see each other's World, a saved session replays under `bindsim run`.

These run the ASGI app in process (Starlette's TestClient); the browser tests are in
test_serve_browser.py.
"""

from __future__ import annotations

import html
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette ≥ 1 suggests httpx2 for its TestClient; httpx, which every version supports,
    # still works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bindsim.simulator.cli import main
from bindsim.simulator.scenario import load_file
from bindsim.simulator.serve import create_app
from bindsim.simulator.serve.app import COOKIE
from bindsim.simulator.serve.catalog import MAX_UPLOAD
from bindsim.simulator.serve.session import Session

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "src" / "bindsim" / "scenarios"
STORY = "scenarios/stories/official_account_lifecycle.scenario.yaml"

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`:DeprecationWarning")


@pytest.fixture(scope="module")
def app() -> Any:
    """One app for the module (its diagram cache warms once); each test is a new browser."""
    return create_app([LIBRARY])


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.get("/")  # the session cookie
        yield test_client


def session_of(client: TestClient) -> Session:
    server = client.app.state.server  # type: ignore[attr-defined]
    return server.store.open(client.cookies[COOKIE]).session


def state_of(session: Session) -> tuple[Any, ...]:
    """Everything a request could change, to compare before and after."""
    world = json.dumps(session.world.to_dict(), sort_keys=True, default=str)
    return (world, session.cast, session.done, session.queue, len(session.history), session.lang)


def error_text(response: Any) -> str:
    found = re.search(r'id="error">(.*?)</div>', response.text, re.S)
    assert found is not None, response.text[:500]
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def post(client: TestClient, path: str, **data: str) -> Any:
    return client.post(path, data=data)


def click(client: TestClient, shop: str, *labels: str, account: str | None = None) -> None:
    for label in labels:
        data = {"verb": "click", "shop": shop, "label": label}
        if account is not None:
            data["account"] = account
        assert client.post("/act", data=data).status_code == 200


def tap(client: TestClient, creator: str, *labels: str) -> None:
    for label in labels:
        response = post(client, "/act", verb="tap", creator=creator, label=label)
        assert response.status_code == 200


def invite_and_accept(client: TestClient, creator: str = "alice") -> None:
    click(client, "gb", "My Account", "Bind TikTok account", "Bind official account")
    click(client, "gb", "Send invitation", account=creator)
    assert post(client, "/act", verb="accept", creator=creator, shop="gb").status_code == 200


# ------------------------------------------------------------------------ bad input

BAD_FORMS = [
    ("/act", {}, 400, "needs the field 'verb'"),
    ("/act", {"verb": "fly"}, 400, "unknown action 'fly'"),
    ("/act", {"verb": "invite", "shop": "gb"}, 400, "invite needs the field 'creator'"),
    (
        "/act",
        {"verb": "invite", "shop": "nope", "creator": "alice", "role": "official"},
        404,
        "unknown shop 'nope'",
    ),
    (
        "/act",
        {"verb": "invite", "shop": "gb", "creator": "alicee", "role": "official"},
        404,
        "did you mean 'alice'",
    ),
    (
        "/act",
        {"verb": "invite", "shop": "gb", "creator": "alice", "role": "boss"},
        422,
        "unknown role 'boss'",
    ),
    (
        "/act",
        {"verb": "tap", "creator": "alice", "label": "Agree"},
        409,
        "“Agree” is not on alice's screen (Profile); there: Showcase",
    ),
    (
        "/act",
        {"verb": "click", "shop": "gb", "label": "Send invitation", "account": "alice"},
        409,
        "not on gb's screen",
    ),
    (
        "/act",
        {"verb": "tap", "creator": "alice", "label": "<script>alert(1)</script>"},
        409,
        "is not on alice's screen",
    ),
    ("/act", {"verb": "accept", "creator": "alice", "shop": "gb"}, 409, "gb and alice have none"),
    ("/act", {"verb": "advance", "by": "-5h"}, 422, "cannot be negative"),
    ("/act", {"verb": "advance", "by": "soon"}, 422, "is not a duration"),
    ("/act", {"verb": "advance", "by": "999999999d"}, 422, "too long"),
    ("/act", {"verb": "advance", "to": "next"}, 409, "no deadline is pending"),
    ("/act", {"verb": "advance", "to": "later"}, 422, "to must be one of next, before_next"),
    ("/act", {"verb": "set", "creator": "alice", "age": "old"}, 422, "age must be a whole number"),
    (
        "/act",
        {"verb": "set", "creator": "alice", "network": "France"},
        422,
        "two-letter country code",
    ),
    ("/act", {"verb": "set", "shop": "gb", "status": "closed"}, 422, "unknown shop status"),
    (
        "/act",
        {"verb": "expect", "what": "binding", "shop": "gb", "creator": "alice"},
        404,
        "gb and alice have none",
    ),
    ("/lang", {"lang": "fr"}, 422, "lang must be one of en, zh"),
    ("/view", {"phone": "bob"}, 404, "unknown creator 'bob'"),
    ("/undo", {}, 409, "nothing to undo"),
    ("/player/step", {}, 409, "no scenario step left to play"),
    ("/player/back", {}, 409, "nothing to undo"),
    ("/scenario/load", {}, 400, "needs the field 'key'"),
    (
        "/scenario/load",
        {"key": "../../../etc/passwd"},
        404,
        "no scenario '../../../etc/passwd' in the library",
    ),
    ("/cast/shop", {"id": "fr", "region": "France"}, 422, "two-letter country code"),
    ("/cast/shop", {"id": "alice", "region": "GB"}, 422, "the id 'alice' is taken"),
    (
        "/cast/creator",
        {"id": "bad id", "country": "GB", "age": "30"},
        422,
        "an id is one word of printable characters",
    ),
    (
        "/cast/creator",
        {"id": "bob", "country": "GB", "age": "-1"},
        422,
        "age must be a whole number ≥ 0",
    ),
    ("/cast/creator", {"id": "bob", "country": "GB"}, 422, "an age or a birthdate"),
]


@pytest.mark.parametrize(("path", "form", "status", "message"), BAD_FORMS)
def test_bad_input_gets_a_4xx_with_a_message_and_changes_nothing(
    client: TestClient, path: str, form: dict[str, str], status: int, message: str
) -> None:
    session = session_of(client)
    before = state_of(session)
    response = client.post(path, data=form)
    assert response.status_code == status
    assert message in error_text(response)
    assert "Traceback" not in response.text
    assert state_of(session) == before


def test_a_malformed_body_is_a_400_that_changes_nothing(client: TestClient) -> None:
    session = session_of(client)
    before = state_of(session)
    as_json = client.post("/act", json={"verb": "invite", "shop": "gb", "creator": "alice"})
    a_file = client.post("/act", files={"verb": ("verb.txt", b"invite")})
    broken = client.post(
        "/act",
        content=b"--xyz\r\nContent-Disposition: form-data; name=verb\r\n\r\nin",
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    for response in (as_json, a_file, broken):
        assert response.status_code == 400
        assert "Traceback" not in response.text
    assert "not a form this page sends" in error_text(a_file)
    assert state_of(session) == before


def test_an_oversized_request_is_a_413_before_it_is_read(client: TestClient) -> None:
    session = session_of(client)
    before = state_of(session)
    declared = client.post(
        "/act",
        content=b"verb=advance&by=1h",
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "content-length": str(10**9),
        },
    )
    assert declared.status_code == 413
    big = client.post(
        "/scenario/upload", files={"file": ("big.scenario.yaml", b"#" * (2 * MAX_UPLOAD))}
    )
    assert big.status_code == 413
    assert "a scenario file may be at most 256 KiB" in error_text(big)
    assert state_of(session) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.scenario.yaml", b"#" * (MAX_UPLOAD + 1), "larger than 256 KiB"),
        ("latin1.scenario.yaml", "name: café".encode("latin-1"), "is not UTF-8 text (byte 9"),
        (
            "../../etc/typo.scenario.yaml",
            b"name: x\nshops: {gb: {region: GB}}\nsteps:\n  - invite: {shop: gb, creator: al}\n",
            "typo.scenario.yaml:4:33: unknown creator 'al'",
        ),
        ("dup.scenario.yaml", b"name: a\nname: b\nsteps: []\n", "dup.scenario.yaml:2:1: dupl"),
        ("bomb.scenario.yaml", b"a: &a [*a]\n" * 3, "bomb.scenario.yaml:"),
    ],
)
def test_an_invalid_upload_is_a_422_naming_file_line_and_column(
    client: TestClient, name: str, data: bytes, message: str
) -> None:
    session = session_of(client)
    before = state_of(session)
    response = client.post("/scenario/upload", files={"file": (name, data)})
    assert response.status_code == 422
    assert message in error_text(response)
    assert state_of(session) == before


def test_an_upload_the_format_cannot_read_yet_is_no_server_error(client: TestClient) -> None:
    """Creator facts the World has and the scenario reader may not know yet (home_region,
    birthdate): whatever the reader makes of them, the answer is not a 500."""
    text = (
        b"name: x\nshops: {gb: {region: GB}}\n"
        b"creators: {a: {country: GB, age: 30, home_region: FR}}\nsteps:\n  - advance: 1s\n"
    )
    response = client.post("/scenario/upload", files={"file": ("home.scenario.yaml", text)})
    assert response.status_code in (200, 422)
    assert "Traceback" not in response.text
    if response.status_code == 422:
        assert error_text(response).startswith("Not done: home.scenario.yaml:")


def test_unknown_addresses_and_methods_get_pages_not_tracebacks(client: TestClient) -> None:
    missing = client.get("/etc/passwd")
    assert missing.status_code == 404
    assert "go to / for the simulator" in error_text(missing)
    wrong = client.put("/act")
    assert wrong.status_code == 405
    assert client.get("/diagram/nope.svg").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404
    nothing_yet = client.get("/session.scenario.yaml")
    assert nothing_yet.status_code == 409
    assert "nothing to save yet" in error_text(nothing_yet)


def test_an_unexpected_error_is_a_500_page_without_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom in views.page")

    monkeypatch.setattr("bindsim.simulator.serve.views.page", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "unexpected error" in error_text(response)
    assert "Traceback" not in response.text and "kaboom" not in response.text


def test_a_change_of_no_fact_is_told_and_records_nothing(client: TestClient) -> None:
    session = session_of(client)
    response = post(client, "/act", verb="set", creator="alice", country="GB", age="24")
    assert response.status_code == 200
    assert "Nothing changed" in response.text or "nothing changed" in response.text
    assert session.done == () and not session.can_undo


# --------------------------------------------------------------------- the sessions


def test_two_browsers_never_see_each_others_world(app: Any) -> None:
    with TestClient(app) as first, TestClient(app) as second:
        first.get("/")
        second.get("/")
        assert first.cookies[COOKIE] != second.cookies[COOKIE]
        invite_and_accept(first)
        page = second.get("/").text
        assert "No invitation waiting" in page and "Nothing has happened yet" in page
        assert session_of(second).world.log == []
        assert session_of(first).world.bound_shop("alice") == "gb"
        assert post(second, "/undo").status_code == 409  # second has nothing to undo


def test_a_forged_or_stale_cookie_gets_a_new_session(client: TestClient) -> None:
    invite_and_accept(client)
    client.cookies.set(COOKIE, "not-a-session")
    page = client.get("/")
    assert page.cookies[COOKIE] not in ("not-a-session", "")
    assert "Nothing has happened yet" in page.text


def test_ids_are_escaped_wherever_the_page_shows_them(client: TestClient) -> None:
    hostile = "<img/src=x/onerror=alert(1)>"
    response = post(client, "/cast/creator", id=hostile, country="GB", age="30")
    assert response.status_code == 200
    assert hostile not in response.text
    assert html.escape(hostile) in response.text
    assert session_of(client).world.creator(hostile).age == 30


def test_pages_load_only_their_own_scripts(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    cookie = headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_on_a_loopback_address_only_local_host_names_are_answered() -> None:
    app = create_app([], allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/").status_code == 200
    with TestClient(app, base_url="http://attacker.example") as rebound:
        assert rebound.get("/").status_code == 400


# -------------------------------------------------------------- actions and the clock


def test_the_official_accounts_story_over_http(client: TestClient) -> None:
    """R-LOCK-24H, R-UNLINK-PATH, R-UNLINK-APPROVE: the seed's story, request by request."""
    session = session_of(client)
    invite_and_accept(client)
    tap(client, "alice", "Showcase", "Enter", "Your Shop", "View link info")
    refused = post(client, "/act", verb="tap", creator="alice", label="Send unlink request")
    assert refused.status_code == 200  # a refusal is an outcome, not an error
    assert session.world.log[-1].reasons == ("UNBIND_LOCKED",)
    assert "in 24h" in refused.text and "R-LOCK-24H" in refused.text
    assert post(client, "/act", verb="advance", to="before_next").status_code == 200
    assert session.world.now.isoformat() == "2024-11-12T11:59:59+00:00"
    assert post(client, "/act", verb="advance", by="1s").status_code == 200
    tap(client, "alice", "Send unlink request")
    click(client, "gb", "Home")
    click(client, "gb", "View details", account="alice")
    click(client, "gb", "Agree")
    assert session.world.binding("gb", "alice").state == "unbound"
    assert 'data-states="unbound"' in client.get("/").text


def test_a_greyed_label_is_shown_with_its_reason_and_pressing_it_is_a_refusal(
    client: TestClient,
) -> None:
    session = session_of(client)
    assert post(client, "/act", verb="set", creator="alice", network="FR").status_code == 200
    page = client.get("/").text
    assert 'class="label greyed" data-label="Showcase"' in page
    assert "NETWORK_REGION_MISMATCH" in page
    tap(client, "alice", "Showcase")
    assert set(session.world.log[-1].reasons) == {"NOT_VISIBLE", "NETWORK_REGION_MISMATCH"}


def test_undo_steps_back_one_change_at_a_time(client: TestClient) -> None:
    session = session_of(client)
    start = state_of(session)
    post(client, "/cast/creator", id="bob", country="GB", age="30")
    after_cast = state_of(session)
    invite_and_accept(client, "bob")
    for _ in range(5):  # accept, Send invitation and the three clicks before it
        assert post(client, "/undo").status_code == 200
    assert state_of(session)[:4] == after_cast[:4]
    assert post(client, "/undo").status_code == 200
    assert state_of(session)[:4] == start[:4]


def test_the_language_switch_changes_labels_titles_reasons_and_diagrams(
    client: TestClient,
) -> None:
    click(client, "gb", "My Account", "Bind TikTok account", "Bind official account")
    click(client, "gb", "Send invitation", account="kid")
    post(client, "/lang", lang="zh")
    page = client.get("/").text
    assert 'lang="zh-Hans"' in page
    assert "无法发送邀请:原因" in page  # the Seller Center page's title
    assert "TikTok 账号未满 18 岁" in page  # UNDER_18, in Chinese
    assert "个人主页" in page and "账号橱窗" in page  # the phone's title and its label
    svgs = "".join(re.findall(r"<svg.*?</svg>", page, re.S))
    assert "待达人确认" in svgs and "首页" in svgs  # the diagrams are drawn in Chinese
    post(client, "/lang", lang="en")
    assert "the account's user is under 18" in html.unescape(client.get("/").text)


# -------------------------------------------------------------- scenarios and files


def test_a_saved_session_replays_with_bindsim_run(client: TestClient, tmp_path: Path) -> None:
    invite_and_accept(client)
    tap(client, "alice", "Showcase", "Enter", "Your Shop", "View link info")
    tap(client, "alice", "Send unlink request")  # refused: UNBIND_LOCKED
    post(client, "/act", verb="advance", by="24h")
    post(client, "/act", verb="request_unlink", creator="alice")
    post(client, "/act", verb="approve_unlink", shop="gb", creator="alice")
    post(client, "/act", verb="expect", what="binding", shop="gb", creator="alice")
    post(client, "/cast/creator", id="bob", country="GB", age="17", network="FR")
    post(client, "/act", verb="invite", shop="gb", creator="bob", role="official")  # refused
    download = client.get("/session.scenario.yaml")
    assert download.status_code == 200
    assert (
        'filename="a-bindsim-serve-session.scenario.yaml"'
        in download.headers["content-disposition"]
    )
    text = download.text
    assert "expect_error: UNBIND_LOCKED" in text
    assert "expect_error: UNDER_18" in text
    assert "expect: {binding: {shop: gb, creator: alice}, state: unbound}" in text
    assert "bob: {country: GB, age: 17, network: FR}" in text
    saved = tmp_path / "session.scenario.yaml"
    saved.write_text(text, encoding="utf-8")
    assert main(["run", str(saved)]) == 0


def test_a_library_scenario_plays_forward_and_back(client: TestClient) -> None:
    session = session_of(client)
    assert post(client, "/scenario/load", key=STORY).status_code == 200
    total = len(session.queue)
    assert total > 10 and session.done == ()
    assert post(client, "/player/step").status_code == 200
    assert post(client, "/player/step").status_code == 200
    first_two = session.done
    assert post(client, "/player/back").status_code == 200
    assert len(session.done) == 1 and len(session.queue) == total - 1
    assert post(client, "/player/run").status_code == 200
    assert len(session.done) == total and session.queue == ()
    assert all(played.passed for played in session.done)
    assert session.done[:2] == first_two
    assert post(client, "/player/step").status_code == 409


def test_an_uploaded_scenario_plays_like_a_library_one(client: TestClient) -> None:
    text = (LIBRARY.parent / STORY).read_bytes()
    response = client.post("/scenario/upload", files={"file": ("story.scenario.yaml", text)})
    assert response.status_code == 200
    session = session_of(client)
    assert session.base.name == load_file(LIBRARY.parent / STORY).name
    assert post(client, "/player/run").status_code == 200
    assert all(played.passed for played in session.done)


def test_only_the_folders_the_server_was_given_are_listed(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "one.scenario.yaml").write_text((LIBRARY.parent / STORY).read_text(encoding="utf-8"))
    (tmp_path / "secret.scenario.yaml").write_text("name: secret\nsteps: []\n")
    with TestClient(create_app([mine])) as only_mine:
        page = only_mine.get("/").text
        assert 'value="mine/one.scenario.yaml"' in page
        assert "secret" not in page
        stories = only_mine.post("/scenario/load", data={"key": STORY})
        assert stories.status_code == 404
        escape = only_mine.post("/scenario/load", data={"key": "mine/../secret.scenario.yaml"})
        assert escape.status_code == 404
    with TestClient(create_app([])) as none:
        assert "No scenario folder was given" in none.get("/").text


def test_a_server_started_from_a_scenario_starts_each_session_ready_to_play() -> None:
    story = load_file(LIBRARY.parent / STORY)
    with TestClient(create_app([], story)) as browser:
        browser.get("/")
        session = session_of(browser)
        assert session.queue == story.steps
        assert browser.post("/player/run").status_code == 200
        assert all(played.passed for played in session.done)


def test_a_greyed_label_without_a_code_says_when_it_shows(client: TestClient) -> None:
    """Issue 25.7: Seller Center's "View details" is greyed until an unlink request arrives;
    it shows NOT_VISIBLE and the machine's own words for when it shows."""
    page = client.get("/").text
    found = re.search(
        r'data-label="View details".*?<div class="why">(.*?)</div>\s*</div>', page, re.S
    )
    assert found is not None
    why = html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))
    assert "NOT_VISIBLE" in why and "shown only when an unlink request arrived" in why


@pytest.mark.parametrize(
    ("path", "form", "chinese"),
    [
        ("/act", {"verb": "advance", "by": "soon"}, "时长无效:soon"),
        ("/act", {"verb": "set", "creator": "alice", "age": "old"}, "年龄的值无效:old"),
        ("/act", {"verb": "set", "creator": "alice", "network": "France"}, "网络所在地的值无效"),
        ("/act", {"verb": "tap", "creator": "nobody", "label": "Showcase"}, "没有这个达人:nobody"),
        ("/cast/creator", {"id": "dan", "country": "GB", "age": ""}, "二者填一项(A-AGE)"),
        ("/undo", {}, "没有可撤销的操作"),
        ("/cast/shop", {"id": "gb", "region": "GB"}, "编号 gb 已被使用"),
        ("/cast/shop", {"id": "fr", "region": "France"}, "地区应为两个大写字母的国家代码"),
        ("/cast/creator", {"id": "dan", "country": "GB", "age": "30", "followers": "-5"}, "粉丝数"),
        (
            "/act",
            {"verb": "invite", "shop": "gb", "creator": "alice", "role": "boss"},
            "未知的角色",
        ),
        ("/act", {"verb": "accept", "shop": "gb", "creator": "alice"}, "无法执行:没有这个邀请"),
        ("/act", {"verb": "approve_unlink", "shop": "gb", "creator": "alice"}, "没有收到 alice"),
        ("/act", {"verb": "advance", "to": "later"}, "跳转目标只能是"),
        ("/lang", {"lang": "fr"}, "语言只能是"),
        ("/act", {"verb": "set", "creator": "alice", "age": "old"}, "(应为不小于 0 的整数)"),
        ("/act", {"verb": "set", "shop": "gb", "status": "odd"}, "(可选:normal、abnormal)"),
        (
            "/cast/creator",
            {"id": "dan", "country": "GB", "age": "30", "birthdate": "2000-01-01"},
            "不要同时填写(A-AGE)",
        ),
    ],
)
def test_in_chinese_bad_input_is_told_in_chinese(
    client: TestClient, path: str, form: dict[str, str], chinese: str
) -> None:
    """Issue 25.6: the page's errors are in the page's language, details included: no word
    of the English message is left (ids and typed values aside)."""
    post(client, "/lang", lang="zh")
    response = client.post(path, data=form)
    assert 400 <= response.status_code < 500
    told = error_text(response)
    assert chinese in told
    words = set(re.findall(r"\b[A-Za-z][A-Za-z_]+", told)) - set(form.values()) - CHOICES
    english = {word for word in words if not word.isupper()}  # codes, countries, rule IDs aside
    assert english == set(), told


# The values a Chinese message may list as they are typed: ids and the choices of a field.
CHOICES = {
    "alice",
    "official",
    "channel",
    "next",
    "before_next",
    "normal",
    "abnormal",
    "en",
    "zh",
    "UTF",
}


def test_in_chinese_the_errors_of_requests_the_page_never_sends_are_chinese_too() -> None:
    """Issue 25.6: a busy session, a malformed request, a body too large, an unreadable or
    too large upload: said in Chinese; a scenario file's own problems stay English, apart."""
    from bindsim.errors import BadRequest, BadUpload, SessionBusy, TooLarge
    from bindsim.simulator.serve.catalog import read_upload
    from bindsim.simulator.serve.views import error_view

    errors: list[BaseException] = [SessionBusy(), BadRequest("not a form"), TooLarge(64, 256)]
    for data in (b"\xff\xfe", b"x" * (MAX_UPLOAD + 1)):
        with pytest.raises(BadUpload) as bad:
            read_upload("u.scenario.yaml", data)
        errors.append(bad.value)
    for error in errors:
        said, english = error_view(error, "zh")
        words = set(re.findall(r"\b[A-Za-z][A-Za-z_]+", said.replace("u.scenario.yaml", "")))
        assert english == "" and words <= {"KiB", "UTF"}, said
    with pytest.raises(BadUpload) as invalid:
        read_upload("u.scenario.yaml", b"name: x\nsteps:\n  - fly: 1\n")
    said, english = error_view(invalid.value, "zh")
    assert said == "上传的文件不是有效的场景文件" and "fly" in english
