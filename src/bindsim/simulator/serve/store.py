"""Where sessions live: an SQLite file (or memory), shared by every worker process of a server.

A session is stored as where its scenario comes from (`base`: the starter cast, the server's
scenario, a library key or an uploaded file's text), its journal of changes (one row each) and
what its page shows (language, phone, Seller Center, the notice). Each process keeps the
sessions it served in memory; before it uses one it compares the stored version with its own
and, when another process changed the session, catches up: it undoes what was undone there and
replays the new journal entries (or rebuilds the session from its journal). A change is written
only if nobody wrote the session in between (the version is checked in the same transaction);
otherwise it is done again on the newer session. Nothing is dropped for lack of room: a
session goes when it has been idle longer than `ttl`, and then its browser is told so.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bindsim.errors import BindSimError, CannotStore, SessionGone
from bindsim.machines.text import LANGS
from bindsim.simulator.scenario import Scenario
from bindsim.simulator.serve.session import Notice, Session

DAY = 24 * 3600.0
DEFAULT_TTL = 7 * DAY  # idle sessions expire after this long
CACHED = 64  # sessions each process keeps in memory (the others wait in the file)
TOUCH_EVERY = 60.0  # seconds: how stale the stored "last used" time may get
FILE_NAME = "sessions.sqlite3"

Base = dict[str, Any]  # where a session's scenario comes from: {"kind": "starter"} ...
Resolve = Callable[[Base], tuple[Scenario, bool]]  # a base as a scenario, and whether it plays

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    base TEXT NOT NULL,
    view TEXT NOT NULL,
    version INTEGER NOT NULL,
    created REAL NOT NULL,
    touched REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_touched ON sessions (touched);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL,
    op TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_token ON journal (token, id);
"""


def check_file(path: str | Path) -> None:
    """CannotStore unless sessions can be kept in this file (its folder is made if need be):
    a server with worker processes checks before it starts them."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(str(path)).executescript(SCHEMA).close()
    except (OSError, sqlite3.Error) as error:
        raise CannotStore(Path(path), error) from None


def default_data_dir() -> Path:
    """The per-user data folder: $XDG_DATA_HOME/bindsim (~/.local/share/bindsim), the
    Application Support folder on macOS, %LOCALAPPDATA% on Windows."""
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return root / "bindsim"


@dataclass
class Cached:
    """A session this process holds, as of a stored version, with its journal rows' ids."""

    session: Session
    base: str
    version: int
    ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Opened:
    """A request's session and its token: a new one if the browser had none, or if its own is
    gone (`gone` says why)."""

    token: str
    session: Session
    gone: SessionGone | None = None


class Store:
    """The sessions: in the SQLite file `path` (":memory:" for one process only)."""

    def __init__(
        self,
        resolve: Resolve,
        first: Base,
        path: str | Path = ":memory:",
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.resolve, self.first, self.ttl, self.clock = resolve, first, ttl, clock
        self.path = path
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(path), check_same_thread=False, isolation_level=None, timeout=30
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise CannotStore(Path(path), error) from None
        self._lock = threading.Lock()  # one statement sequence on the connection at a time
        self._cache: OrderedDict[str, Cached] = OrderedDict()
        self._cache_lock = threading.Lock()  # requests of different sessions run in parallel
        self._purged = 0.0

    # ------------------------------------------------------------------ opening

    def open(self, token: str | None) -> Opened:
        """The session of a cookie's token, caught up with what other processes did; a new
        session for a browser without one, or whose session is gone (`gone` says why)."""
        if token:
            try:
                return Opened(token, self._current(token))
            except SessionGone as gone:
                return self.create(gone)
        return self.create()

    def create(self, gone: SessionGone | None = None) -> Opened:
        token = secrets.token_urlsafe(24)
        scenario, play = self.resolve(self.first)
        session = Session(scenario, play=play)
        now = self.clock()
        base = json.dumps(self.first, ensure_ascii=False)
        with self._lock, self._db:
            self._purge(now)
            self._db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, 1, ?, ?)",
                (token, base, json.dumps(view_of(session)), now, now),
            )
        self._keep(token, Cached(session, base, 1))
        return Opened(token, session, gone)

    def _current(self, token: str) -> Session:
        with self._lock:
            row = self._db.execute(
                "SELECT base, view, version, touched FROM sessions WHERE token = ?", (token,)
            ).fetchone()
        if row is None:
            self.drop_cached(token)
            raise SessionGone("it expired, or the server's session data was removed")
        base, view, version, touched = row
        now = self.clock()
        if now - touched > self.ttl:
            self.forget(token)
            raise SessionGone(f"it was not used for more than {days(self.ttl)}")
        with self._cache_lock:
            cached = self._cache.get(token)
        if cached is None or cached.version != version:
            cached = self._catch_up(token, cached, base, version)
        self._keep(token, cached)
        set_view(cached.session, json.loads(view))
        if now - touched > TOUCH_EVERY:
            with self._lock, self._db:
                self._db.execute("UPDATE sessions SET touched = ? WHERE token = ?", (now, token))
        return cached.session

    def _catch_up(self, token: str, cached: Cached | None, base: str, version: int) -> Cached:
        """The session as stored: the cached one brought up to date, or rebuilt."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, op FROM journal WHERE token = ? ORDER BY id", (token,)
            ).fetchall()
        ids = [row[0] for row in rows]
        if cached is not None and cached.base == base:
            same = 0
            for mine, theirs in zip(cached.ids, ids, strict=False):
                if mine != theirs:
                    break
                same += 1
            undo = len(cached.ids) - same
            if undo <= len(cached.session.history):
                session = cached.session
                try:
                    for _ in range(undo):
                        session.undo()
                    for _, op in rows[same:]:
                        session.apply(json.loads(op))
                except BindSimError:
                    pass  # rebuilt below
                else:
                    return Cached(session, base, version, ids)
        try:
            scenario, play = self.resolve(json.loads(base))
            session = Session(scenario, play=play)
            for _, op in rows:
                session.apply(json.loads(op))
        except BindSimError as error:
            self.forget(token)
            raise SessionGone(f"it can no longer be rebuilt: {error}") from None
        return Cached(session, base, version, ids)

    # ------------------------------------------------------------------ saving

    def save(self, token: str, session: Session, base: Base | None = None) -> bool:
        """Write what a request changed: its journal entries, its view, a new base when it
        started a scenario. False, and nothing written, if another process wrote the session
        since this one read it (the caller does the change again on the newer session)."""
        with self._cache_lock:
            cached = self._cache.get(token)
        if cached is None or cached.session is not session:
            self.drop_cached(token)
            return False
        new_base = json.dumps(base, ensure_ascii=False) if base is not None else cached.base
        ids = [] if new_base != cached.base else list(cached.ids)
        journal = session.journal
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            updated = self._db.execute(
                "UPDATE sessions SET version = version + 1, view = ?, touched = ? "
                "WHERE token = ? AND version = ?",
                (json.dumps(view_of(session)), self.clock(), token, cached.version),
            ).rowcount
            if not updated:
                self._db.rollback()
                self.drop_cached(token)
                return False
            if new_base != cached.base:  # an uploaded file's text is written once, not per step
                self._db.execute("UPDATE sessions SET base = ? WHERE token = ?", (new_base, token))
            if new_base != cached.base:
                self._db.execute("DELETE FROM journal WHERE token = ?", (token,))
            elif len(ids) > len(journal):
                gone = ids[len(journal) :]
                self._db.executemany("DELETE FROM journal WHERE id = ?", [(i,) for i in gone])
                del ids[len(journal) :]
            for op in journal[len(ids) :]:
                cursor = self._db.execute(
                    "INSERT INTO journal (token, op) VALUES (?, ?)",
                    (token, json.dumps(op, ensure_ascii=False)),
                )
                ids.append(int(cursor.lastrowid or 0))
        self._keep(token, Cached(session, new_base, cached.version + 1, ids))
        return True

    def forget(self, token: str) -> None:
        """Drop a session: from memory and from the file."""
        self.drop_cached(token)
        with self._lock, self._db:
            self._db.execute("DELETE FROM journal WHERE token = ?", (token,))
            self._db.execute("DELETE FROM sessions WHERE token = ?", (token,))

    def drop_cached(self, token: str) -> None:
        """Forget this process's copy (a change failed half-way): the next request reads the
        stored session again."""
        with self._cache_lock:
            self._cache.pop(token, None)

    def _keep(self, token: str, cached: Cached) -> None:
        with self._cache_lock:
            self._cache[token] = cached
            self._cache.move_to_end(token)
            while len(self._cache) > CACHED:
                self._cache.popitem(last=False)  # still stored: read again when next used

    def _purge(self, now: float) -> None:
        """Remove the sessions idle for longer than the ttl (at most once a minute)."""
        if now - self._purged < TOUCH_EVERY:
            return
        self._purged = now
        old = now - self.ttl
        self._db.execute(
            "DELETE FROM journal WHERE token IN (SELECT token FROM sessions WHERE touched < ?)",
            (old,),
        )
        self._db.execute("DELETE FROM sessions WHERE touched < ?", (old,))

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def view_of(session: Session) -> dict[str, Any]:
    """What a session's page shows besides its World: stored with the session."""
    return {
        "lang": session.lang,
        "phone": session.phone,
        "center": session.center,
        "notice": session.notice.to_data() if session.notice is not None else None,
    }


def set_view(session: Session, view: Any) -> None:
    if not isinstance(view, dict):
        return
    if view.get("lang") in LANGS:
        session.lang = view["lang"]
    session.phone = view.get("phone") if isinstance(view.get("phone"), str) else None
    session.center = view.get("center") if isinstance(view.get("center"), str) else None
    session.notice = Notice.from_data(view.get("notice"))


def days(seconds: float) -> str:
    if seconds >= DAY and seconds % DAY == 0:
        count = int(seconds // DAY)
        return f"{count} day{'s' if count != 1 else ''}"
    return f"{seconds:g} seconds"
