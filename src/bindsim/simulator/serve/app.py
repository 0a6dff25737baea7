"""The web app of `bindsim serve`: Starlette routes over per-browser sessions, pages from Jinja2.

Every change is a POST that answers with a redirect to the page (so reloading never repeats
it); bad input answers 4xx with the page and a message saying what to do, and changes nothing.
Sessions live in the store (SQLite, shared by the server's worker processes). The World work
runs in a bounded pool of threads (WORK_THREADS), one request of a session at a time: the
requests of one browser wait their turn on the event loop, not in the pool, so a busy session
never holds the threads that the other sessions need.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anyio.to_thread
from anyio import CapacityLimiter
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bindsim.errors import (
    BadRequest,
    BadUpload,
    BindSimError,
    ClockWentBackwards,
    InvalidAction,
    InvalidArgument,
    InvalidDurationText,
    InvalidStep,
    SessionBusy,
    SessionError,
    SessionGone,
    TooLarge,
    UnknownId,
    UnknownScenario,
)
from bindsim.machines.text import LANGS
from bindsim.simulator.scenario import Scenario, Step, build_world
from bindsim.simulator.serve import actions, views
from bindsim.simulator.serve.catalog import MAX_UPLOAD, Catalog, read_upload
from bindsim.simulator.serve.live import every_picture, shared_cache
from bindsim.simulator.serve.recording import file_name
from bindsim.simulator.serve.server import HostGuard
from bindsim.simulator.serve.session import Notice, Session, starter
from bindsim.simulator.serve.store import DEFAULT_TTL, Base, Opened, Store
from bindsim.simulator.serve.views import PANEL_MACHINES

COOKIE = "bindsim_session"
MAX_BODY = MAX_UPLOAD + 64 * 1024  # an upload and its form around it
STATIC = Path(__file__).parent / "static"
WORK_THREADS = 4  # requests doing World work at once, per process
log = logging.getLogger("bindsim.serve")


# The answer to each kind of error, by the first of its classes found here.
STATUS: dict[type[BaseException], int] = {
    BadRequest: 400,
    actions.MissingField: 400,
    actions.UnknownVerb: 400,
    UnknownId: 404,
    UnknownScenario: 404,
    actions.NotOnScreen: 409,
    actions.NoDeadline: 409,
    InvalidAction: 409,
    SessionError: 409,
    ClockWentBackwards: 409,
    SessionGone: 409,
    TooLarge: 413,
    InvalidArgument: 422,
    InvalidDurationText: 422,
    InvalidStep: 422,
    BadUpload: 422,
}


def status_of(error: BaseException) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


class Server:
    """What every request shares: the sessions, the library, the diagram cache, the templates."""

    def __init__(
        self,
        catalog: Catalog,
        first: Scenario | None = None,
        data: str | Path = ":memory:",
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.catalog = catalog
        self.first = first
        self.cache = shared_cache()
        first_base: Base = {"kind": "first"} if first is not None else {"kind": "starter"}
        extra = {"clock": clock} if clock is not None else {}
        self.store = Store(self.resolve, first_base, data, ttl, **extra)
        self.limiter = CapacityLimiter(WORK_THREADS)
        self.locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.templates = Environment(
            loader=PackageLoader("bindsim.simulator.serve", "templates"),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def resolve(self, base: Base) -> tuple[Scenario, bool]:
        """A session's scenario from where it comes from, and whether its steps wait to play."""
        kind = base.get("kind")
        if kind == "starter" or (kind == "first" and self.first is None):
            return starter(), False
        if kind == "first" and self.first is not None:
            return self.first, True
        if kind == "library":
            return self.catalog.load(str(base.get("key"))), True
        if kind == "upload":
            text = str(base.get("text", ""))
            return read_upload(str(base.get("name", "")), text.encode("utf-8")), True
        raise BadRequest(f"a session of a kind this server does not know: {kind!r}")

    def lock(self, token: str | None) -> asyncio.Lock:
        """The lock that puts one session's requests in a row (a new lock for no session)."""
        if token is None:
            return asyncio.Lock()
        lock = self.locks.get(token)
        if lock is None:
            lock = self.locks[token] = asyncio.Lock()
        return lock

    async def work(self, token: str | None, work: Callable[[], Response]) -> Response:
        """Run a request's work in the pool, after the session's earlier requests."""
        async with self.lock(token):
            return await anyio.to_thread.run_sync(work, limiter=self.limiter)

    def render(
        self,
        session: Session,
        error: BaseException | None = None,
        gone: SessionGone | None = None,
    ) -> str:
        context = views.page(session, self.catalog, self.cache, error, gone)
        return self.templates.get_template("page.html").render(context)

    def error_page(self, status: int, message: str) -> HTMLResponse:
        """A page for a request that has no session page to show (an unknown address ...)."""
        html = self.templates.get_template("error.html").render(status=status, message=message)
        return HTMLResponse(html, status_code=status)


Change = Callable[[Session], Base | None]  # a new base when the change starts a scenario
CONFLICT_TRIES = 3


async def answer(request: Request, change: Change) -> Response:
    """Do a change on the request's session: a redirect to the page when it is done, the page
    with the error (4xx) when it is not. A change that fails changes nothing. A change is
    never done on a session that replaced one that is gone: the page says so instead."""
    server: Server = request.app.state.server
    token = request.cookies.get(COOKIE)

    def work() -> Response:
        for _ in range(CONFLICT_TRIES):
            opened = server.store.open(token)
            if opened.gone is not None:
                page = server.render(opened.session, gone=opened.gone)
                return with_cookie(HTMLResponse(page, status_code=409), opened.token)
            session = opened.session
            try:
                base = change(session)
            except actions.NothingChanged:
                session.notice, base = Notice("text", "nothing_changed"), None
            except BindSimError as error:
                page = server.render(session, error)
                return with_cookie(HTMLResponse(page, status_code=status_of(error)), opened.token)
            except BaseException:
                server.store.drop_cached(opened.token)
                raise
            if server.store.save(opened.token, session, base):
                return with_cookie(RedirectResponse("/", status_code=303), opened.token)
        busy = SessionBusy()
        return with_cookie(
            HTMLResponse(server.render(opened.session, busy), status_code=409), opened.token
        )

    return await server.work(token, work)


def with_cookie(response: Response, token: str) -> Response:
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", max_age=400 * 24 * 3600)
    return response


def with_session(
    request: Request, respond: Callable[[Server, Opened], Response]
) -> Callable[[], Response]:
    """A read-only request's work: the page (or a file) of the request's session."""
    server: Server = request.app.state.server

    def work() -> Response:
        opened = server.store.open(request.cookies.get(COOKIE))
        return with_cookie(respond(server, opened), opened.token)

    return work


async def read_form(request: Request) -> dict[str, str]:
    """The form's text fields; BadRequest for anything the page does not send."""
    try:
        form = await request.form(max_files=0, max_fields=64, max_part_size=16 * 1024)
    except HTTPException as error:  # Starlette's answer to a malformed multipart body
        raise BadRequest(f"the request is not a form this page sends: {error.detail}") from None
    except (MultiPartException, UnicodeDecodeError, ValueError) as error:
        raise BadRequest(f"the request is not a form this page sends: {error}") from None
    fields = {}
    for key, value in form.multi_items():
        if not isinstance(value, str):
            raise BadRequest(f"the field {key!r} is a file; only the upload form sends files")
        fields[key] = value
    return fields


def form_route(change: Callable[[Session, dict[str, str]], Base | None]) -> Callable[..., Any]:
    """A POST route: read the form, then change the session with it."""

    async def endpoint(request: Request) -> Response:
        try:
            form = await read_form(request)
        except BindSimError as error:
            return await refuse(request, error)
        return await answer(request, lambda session: change(session, form))

    return endpoint


async def refuse(request: Request, error: BindSimError) -> Response:
    """The page with an error about a request that could not even be read."""

    def fail(session: Session) -> None:
        raise error

    return await answer(request, fail)


# ------------------------------------------------------------------------ the routes


async def home(request: Request) -> Response:
    def respond(server: Server, opened: Opened) -> Response:
        return HTMLResponse(server.render(opened.session, gone=opened.gone))

    server: Server = request.app.state.server
    return await server.work(request.cookies.get(COOKIE), with_session(request, respond))


def act(session: Session, form: dict[str, str]) -> None:
    session.act(actions.step_data(session.world, form))


def set_lang(session: Session, form: dict[str, str]) -> None:
    lang = form.get("lang", "")
    if lang not in LANGS:
        raise InvalidArgument(
            f"lang must be one of {', '.join(LANGS)}, got {lang!r}",
            zh=f"语言只能是 {'、'.join(LANGS)} 之一,而不是 {lang!r}",
        )
    session.lang = lang  # type: ignore[assignment]


def choose(session: Session, form: dict[str, str]) -> None:
    """Which phone and which Seller Center the page shows."""
    if form.get("phone"):
        session.phone = actions.creator_id(session.world, form["phone"])
    if form.get("center"):
        session.center = actions.shop_id(session.world, form["center"])


def step_forward(session: Session, form: dict[str, str]) -> None:
    played = session.play_next()
    follow(session, played.step)


def run_to_end(session: Session, form: dict[str, str]) -> None:
    session.play_all()
    newest = session.newest_done(1)
    if newest:
        follow(session, newest[0].step)


def step_back(session: Session, form: dict[str, str]) -> None:
    session.undo()


def follow(session: Session, step: Step) -> None:
    """The player moves the screens: a step that acts on a creator shows that creator's
    phone, one that acts on a shop shows that shop's Seller Center."""
    actors = actions.actors(step)
    if actors.get("creator") in session.world.creators:
        session.phone = actors["creator"]
    if actors.get("shop") in session.world.shops:
        session.center = actors["shop"]


def add_shop(session: Session, form: dict[str, str]) -> None:
    session.add_shop(actions.new_shop(form))


def add_creator(session: Session, form: dict[str, str]) -> None:
    session.add_creator(actions.new_creator(form))


def load(server: Server) -> Callable[[Session, dict[str, str]], Base]:
    def change(session: Session, form: dict[str, str]) -> Base:
        key = form.get("key", "")
        if not key:
            raise actions.MissingField("key", "load a scenario")
        session.start(server.catalog.load(key), play=True)
        return {"kind": "library", "key": key}

    return change


def unreadable(why: object) -> BadUpload:
    return BadUpload(f"the upload could not be read: {why}", zh="无法读取上传的文件")


async def upload(request: Request) -> Response:
    """A scenario file from the browser, read from memory, loaded to play if it is valid."""
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=MAX_UPLOAD + 1)
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise BadRequest("choose a scenario file to upload (*.scenario.yaml)")
        data = await file.read(MAX_UPLOAD + 1)
    except HTTPException as error:
        return await refuse(request, unreadable(error.detail))
    except MultiPartException as error:
        return await refuse(request, unreadable(error))
    except BindSimError as error:
        return await refuse(request, error)
    name = file.filename or "upload.scenario.yaml"

    def start(session: Session) -> Base:
        # Read in the pool, not on the event loop: a large file takes a while to check.
        scenario = read_upload(name, data)
        session.start(scenario, play=True)
        return {"kind": "upload", "name": name, "text": data.decode("utf-8")}

    return await answer(request, start)


def restart(server: Server) -> Callable[[Session, dict[str, str]], Base]:
    def change(session: Session, form: dict[str, str]) -> Base:
        base = server.store.first
        scenario, play = server.resolve(base)
        session.start(scenario, play=play)
        return base

    return change


async def download(request: Request) -> Response:
    """The session as a scenario file (a download that `bindsim run` replays)."""

    def respond(server: Server, opened: Opened) -> Response:
        session = opened.session
        try:
            if opened.gone is not None:
                raise opened.gone
            scenario = session.scenario()
        except BindSimError as error:
            return HTMLResponse(server.render(session, error), status_code=409)
        headers = {"Content-Disposition": f'attachment; filename="{file_name(scenario)}"'}
        return Response(
            scenario.to_yaml(), media_type="application/yaml; charset=utf-8", headers=headers
        )

    server: Server = request.app.state.server
    return await server.work(request.cookies.get(COOKIE), with_session(request, respond))


async def diagram(request: Request) -> Response:
    """One live diagram of the page as an SVG file of its own, to open full size."""
    key = request.path_params["key"]

    def respond(server: Server, opened: Opened) -> Response:
        session = opened.session
        creator, shop = session.phone_owner(), session.center_owner()
        panels = views.diagram_views(session, server.cache, shop, creator)
        panel = next((p for p in panels if p.key == key), None)
        if panel is None:
            keys = ", ".join(p.key for p in panels)
            return server.error_page(404, f"no diagram {key!r}; diagrams: {keys}")
        if panel.svg is None:
            return server.error_page(503, panel.problem or "the diagram could not be drawn")
        return Response(panel.svg, media_type="image/svg+xml")

    server: Server = request.app.state.server
    return await server.work(request.cookies.get(COOKIE), with_session(request, respond))


# --------------------------------------------------------------------- the app


class BodyLimit:
    """Refuse request bodies over a size (413) before reading them whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self.app(scope, self.refusing(receive), send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise TooLarge(MAX_BODY, MAX_UPLOAD)
            return message

        await self.app(scope, counted, send)

    def refusing(self, receive: Receive) -> Receive:
        async def refuse() -> Message:
            raise TooLarge(MAX_BODY, MAX_UPLOAD)

        return refuse


class SecurityHeaders:
    """Pages load only their own script and style: injected markup cannot run."""

    HEADERS = [
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(
    library: Sequence[str | Path] = (),
    scenario: Scenario | None = None,
    allowed_hosts: Sequence[str] = ("*",),
    warm: bool = False,
    data: str | Path = ":memory:",
    ttl: float = DEFAULT_TTL,
    clock: Callable[[], float] | None = None,
) -> Starlette:
    """The app: `library` folders (and files) are the only scenarios it lists or reads;
    `scenario` is what each new browser session starts from (ready to play); sessions live in
    the SQLite file `data` (":memory:": in this process only) until idle for `ttl` seconds
    (`clock` tells the time: time.time); with `warm`, every state of every machine is drawn in
    the background from the start."""
    server = Server(Catalog(library), scenario, data, ttl, clock)
    if warm:
        rules = build_world(server.resolve(server.store.first)[0]).rules
        server.cache.warm(every_picture(PANEL_MACHINES, LANGS, rules))

    async def too_large(request: Request, error: Exception) -> Response:
        return await refuse(request, TooLarge(MAX_BODY, MAX_UPLOAD))

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        messages = {
            404: f"there is no page {request.url.path!r} here: go to / for the simulator",
            405: f"{request.method} is not how this address is used: use the page's buttons",
        }
        return server.error_page(error.status_code, messages.get(error.status_code, error.detail))

    async def went_away(request: Request, error: Exception) -> Response:
        # A closed tab or a dropped network, not a bug: one line, no traceback.
        log.warning("bindsim serve: %s %s: the client went away", request.method, request.url.path)
        return Response(status_code=400)  # no one is left to read it

    async def crash(request: Request, error: Exception) -> Response:
        log.error("bindsim serve: unexpected error", exc_info=error)
        return server.error_page(
            500,
            "bindsim serve met an unexpected error (a bug: the server's log has the details). "
            "Reload the page; Undo steps back if the last step went wrong.",
        )

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/act", form_route(act), methods=["POST"]),
        Route("/lang", form_route(set_lang), methods=["POST"]),
        Route("/view", form_route(choose), methods=["POST"]),
        Route("/undo", form_route(step_back), methods=["POST"]),
        Route("/reset", form_route(restart(server)), methods=["POST"]),
        Route("/cast/shop", form_route(add_shop), methods=["POST"]),
        Route("/cast/creator", form_route(add_creator), methods=["POST"]),
        Route("/scenario/load", form_route(load(server)), methods=["POST"]),
        Route("/scenario/upload", upload, methods=["POST"]),
        Route("/player/step", form_route(step_forward), methods=["POST"]),
        Route("/player/back", form_route(step_back), methods=["POST"]),
        Route("/player/run", form_route(run_to_end), methods=["POST"]),
        Route("/session.scenario.yaml", download, methods=["GET"]),
        Route("/diagram/{key}.svg", diagram, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(HostGuard, allowed_hosts=list(allowed_hosts)),
            Middleware(BodyLimit, limit=MAX_BODY),
        ],
        exception_handlers={
            TooLarge: too_large,
            ClientDisconnect: went_away,
            HTTPException: http_error,
            Exception: crash,
        },
    )
    app.state.server = server
    return app
