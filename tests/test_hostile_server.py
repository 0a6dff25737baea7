"""`bindsim serve` tried as an attacker would (issue 23, items 1, 2, 6, 7, 8): an upload never makes
the server read its own files, every read has a cap, the Host guard holds on IPv6 loopback, a
client that goes away is one quiet line, and Ctrl-C stops the server at once with status 130."""

from __future__ import annotations

import contextlib
import html
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bindsim.errors import BadUpload, InvalidScenario
from bindsim.simulator.scenario import load_text
from bindsim.simulator.serve import create_app
from bindsim.simulator.serve.app import COOKIE
from bindsim.simulator.serve.catalog import read_upload
from bindsim.simulator.serve.session import Session, starter

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`:DeprecationWarning")

SECRET = "root-secret-first-line: do not show me"


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app([])


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.get("/")
        yield test_client


def world_of(client: TestClient) -> str:
    server = client.app.state.server  # type: ignore[attr-defined]
    session = server.store.open(client.cookies[COOKIE]).session
    return json.dumps(session.world.to_dict(), sort_keys=True, default=str)


def error_text(response: Any) -> str:
    found = re.search(r'id="error">(.*?)</div>', response.text, re.S)
    assert found is not None, response.text[:500]
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


@pytest.fixture
def server_files(tmp_path: Path) -> dict[str, Path]:
    """Files on the server's disk that an upload must not reach: a cast outside any library,
    a file whose first line is a secret, a snapshot."""
    cast = tmp_path / "cast.yaml"
    cast.write_text("shops: {secret_shop: {region: GB}}\n", encoding="utf-8")
    secret = tmp_path / "passwd"
    secret.write_text(f"{SECRET}\nsecond: line\n", encoding="utf-8")
    return {"cast": cast, "secret": secret, "zero": Path("/dev/zero")}


def upload_text(field: str, target: Path) -> bytes:
    return (
        f"name: x\n{field}: {json.dumps(str(target))}\nshops: {{gb: {{region: GB}}}}\n"
        "steps:\n  - advance: 1s\n"
    ).encode()


@pytest.mark.parametrize("field", ["include", "start_from"])
@pytest.mark.parametrize("which", ["cast", "secret", "zero"])
def test_an_upload_that_names_a_server_file_is_refused_before_anything_is_read(
    client: TestClient, server_files: dict[str, Path], field: str, which: str
) -> None:
    """Issue 23 item 1: uploaded content is read from memory only; `include:` and `start_from:`
    in an upload are refused, and the message quotes nothing of the named file."""
    before = world_of(client)
    data = upload_text(field, server_files[which])
    response = client.post("/scenario/upload", files={"file": ("up.scenario.yaml", data)})
    assert response.status_code == 422
    message = error_text(response)
    assert f"up.scenario.yaml:2:1: {field}: names a file" in message
    assert "read from memory only" in message
    assert SECRET not in response.text and "secret_shop" not in response.text
    assert world_of(client) == before


def test_read_upload_opens_no_file_even_a_relative_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative include would resolve against the server's working folder: refused too."""
    (tmp_path / "cast.yaml").write_text("shops: {gb: {region: GB}}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = b"name: x\ninclude: cast.yaml\nsteps:\n  - advance: 1s\n"
    with pytest.raises(BadUpload, match=r"include: names a file"):
        read_upload("up.scenario.yaml", text)
    # the same text from a file on the command line still includes its cast
    local = load_text(text.decode(), str(tmp_path / "local.scenario.yaml"))
    assert [shop.id for shop in local.shops] == ["gb"]


def test_a_text_from_memory_with_examples_cannot_name_a_file_through_a_column() -> None:
    text = (
        "name: x\ninclude: <cast>\nexamples:\n  - {cast: /etc/hostname}\nsteps:\n  - advance: 1s\n"
    )
    with pytest.raises(InvalidScenario, match="include: names a file"):
        load_text(text, "<upload>", reads_files=False)


# ------------------------------------------------------------------ the Host guard (item 6)


@pytest.mark.parametrize(
    ("listen", "good", "bad"),
    [
        ("127.0.0.1", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST"], ["attacker.example"]),
        ("::1", ["[::1]:8000", "[0:0::1]:8000", "localhost:8000"], ["attacker.example:8000"]),
        ("::1", ["[::1]"], ["[::1", "x@[::1]", "[::2]:8000", "127.0.0.1:8000", ""]),
    ],
)
def test_on_a_loopback_address_ipv4_or_ipv6_only_local_host_names_are_answered(
    listen: str, good: list[str], bad: list[str]
) -> None:
    """Issue 23 item 6: the DNS-rebinding guard holds on `--host ::1` too."""
    from bindsim.simulator.serve.server import allowed_hosts

    app = create_app([], allowed_hosts=allowed_hosts(listen))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for host in good:
            assert client.get("/", headers={"host": host}).status_code == 200, host
        for host in bad:
            assert client.get("/", headers={"host": host}).status_code == 400, host


def test_a_server_on_any_address_answers_any_host_name() -> None:
    from bindsim.simulator.serve.server import allowed_hosts

    assert allowed_hosts("0.0.0.0") == ["*"] and allowed_hosts("::") == ["*"]


# ------------------------------------------------------- a real server: disconnects, Ctrl-C


def start_server(*args: str) -> tuple[subprocess.Popen[str], int]:
    """`bindsim serve --port 0` in a process of its own, with Ctrl-C delivered as in a terminal."""
    command = "import sys; from bindsim.simulator.cli import main; sys.exit(main(sys.argv[1:]))"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r":(\d+)/", line)
    if found is None:
        process.kill()
        pytest.fail(f"the server did not start: {line!r} {process.communicate()}")
    return process, int(found.group(1))


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=20)  # a guard against a hang, not a measurement
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("Ctrl-C did not stop the server")
    return process.returncode, err


def test_ctrl_c_stops_a_warming_server_at_once_with_130_and_no_noise() -> None:
    """Issue 23 item 8: the background diagram warm-up (hundreds of pictures) does not hold
    the exit up; the status is 130, as for any command stopped by Ctrl-C."""
    process, port = start_server()  # the shipped library, and the warm-up running
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert connection.recv(64).startswith(b"HTTP/1.1 200")
    code, err = stop(process)
    assert code == 130
    assert "Aborted" not in err and "Traceback" not in err


def test_ctrl_c_stops_a_server_of_two_workers_with_130_and_no_noise(tmp_path: Path) -> None:
    """Issue 23 item 8 with --workers (issue 25): the supervisor stops its workers and the
    command ends as one process does, 130 and no traceback."""
    process, port = start_server("--workers", "2", "--data", str(tmp_path), "--no-library")
    for _ in range(200):  # the workers take a moment to start
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)) as c:
            c.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            if c.recv(64).startswith(b"HTTP/1.1 200"):
                break
        time.sleep(0.1)
    code, err = stop(process)
    assert code == 130, err
    assert "Aborted" not in err and "Traceback" not in err


def test_closing_the_diagram_cache_stops_its_warm_up_after_the_picture_it_is_drawing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Item 8's cause: the process waited for the warm-up's thread to draw every picture."""
    from bindsim.simulator.serve import live

    started, release = threading.Event(), threading.Event()
    drawn: list[object] = []

    def slow_draw(wanted: object) -> live.Drawing:
        drawn.append(wanted)
        started.set()
        release.wait(10)
        return live.Drawing("<svg/>")

    monkeypatch.setattr(live, "draw", slow_draw)
    cache = live.DiagramCache()
    rules = Session(starter()).world.rules
    wanted = live.every_picture(live_machines(), ("en", "zh"), rules)
    assert len(wanted) > 10
    done = cache.warm(wanted)
    assert started.wait(10)
    cache.close()
    release.set()
    done.result(timeout=10)
    assert len(drawn) == 1  # the one being drawn when it closed; none after


def live_machines() -> list[Any]:
    from bindsim.simulator.serve.views import PANEL_MACHINES

    return list(PANEL_MACHINES)


def test_a_client_that_goes_away_mid_request_is_one_quiet_line() -> None:
    """Issue 23 item 7: a closed tab is no bug: one line in the log, no traceback."""
    process, port = start_server("--no-library")
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(
            b"POST /act HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
            b"verb=adv"
        )
        time.sleep(0.3)  # the request is being read when the client goes (not a time assertion)
    # Wait for the server to notice, by asking it something else.
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert connection.recv(64).startswith(b"HTTP/1.1 200")
    code, err = stop(process)
    assert code == 130
    assert "Traceback" not in err and "unexpected error" not in err
    assert [line for line in err.splitlines() if line.strip()] == [
        "bindsim serve: POST /act: the client went away"
    ]


# ------------------------------------------------------------- Save (item 9, on the server)

SAVE_IDS = ["1001", "true", "~", "1e3", "{x}", "[a", "'q", "*a", "&a", "!a", "%a", "@a", "a\\"]


@pytest.mark.parametrize("shop", ["1001", "{x}", "a\\"])
def test_the_session_saved_from_the_browser_reads_back_with_any_valid_ids(
    app: Any, shop: str
) -> None:
    """Save as scenario wrote ids unquoted: the file did not read back."""
    with TestClient(app, raise_server_exceptions=False) as client:
        client.get("/")
        assert client.post("/cast/shop", data={"id": shop, "region": "GB"}).status_code == 200
        for creator in SAVE_IDS:
            if creator == shop:
                continue
            form = {"id": creator, "country": "GB", "age": "30"}
            assert client.post("/cast/creator", data=form).status_code == 200, creator
        form = {"verb": "invite", "shop": shop, "creator": "*a", "role": "official"}
        assert client.post("/act", data=form).status_code == 200
        saved = client.get("/session.scenario.yaml")
        assert saved.status_code == 200
    scenario = load_text(saved.text)
    assert shop in [s.id for s in scenario.shops]  # after the session's first cast
    assert {c for c in SAVE_IDS if c != shop} <= {c.id for c in scenario.creators}
    assert scenario.steps[-1].to_data()["invite"]["creator"] == "*a"
