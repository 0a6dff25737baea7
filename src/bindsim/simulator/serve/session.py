"""One browser's simulation: its World, cast, steps done and steps still to play, and undo.

Every change first keeps a copy of the World (`World.copy()` is cheap: records are shared), so
undo, and stepping a scenario back, restore a copy; a change that fails restores it too, so bad
input changes nothing. The moments of the history share their steps (a chain, not a list per
moment), the World keeps a bounded log, and a session holds at most MAX_STEPS steps, so that
memory per session stays bounded. Each change is also written down as a journal entry (plain
JSON data): replaying the journal on the session's scenario rebuilds the session, which is how
sessions outlive the server's process (store.py).

>>> session = Session(starter())
>>> session.act({"invite": {"shop": "gb", "creator": "alice", "role": "official"}}).outcome
'ok'
>>> session.world.invitation("gb", "alice").state
'pending'
>>> session.journal
[{'act': {'invite': {'shop': 'gb', 'creator': 'alice', 'role': 'official'}}}]
>>> session.undo()
>>> len(session.world.log), len(session.done), session.journal
(0, 0, [])
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bindsim.errors import (
    BindSimError,
    NothingToPlay,
    NothingToSave,
    NothingToUndo,
    SessionError,
    SessionFull,
    StepNotPossible,
)
from bindsim.machines.text import Lang
from bindsim.simulator.scenario import Scenario, Step, build_world, run_step
from bindsim.simulator.scenario.model import CreatorSpec, ShopSpec
from bindsim.simulator.serve.recording import ACTED, Cast, as_played, make_step, scenario_of
from bindsim.simulator.world import World

HISTORY_LIMIT = 500  # undo steps kept per session; the oldest go first
MAX_STEPS = 10_000  # steps one session holds (done, or waiting in a loaded scenario)
PLAY_PER_REQUEST = 500  # steps "Run to end" plays in one request: long work comes in pieces
LOG_KEPT = 400  # log entries each World keeps (the page lists the newest 200)

Op = dict[str, Any]  # a journal entry: {"act": step data} | {"next": 1} | {"shop": ...} ...


def starter() -> Scenario:
    """What a new session starts with: one open-enrollment GB shop, an adult GB account, and a
    French 16-year-old whose invitation shows two reason codes (R-ELIGIBLE)."""
    return Scenario(
        name="A bindsim serve session",
        name_zh="bindsim 模拟会话",
        steps=(),
        shops=(ShopSpec("gb", "GB", "open"),),
        creators=(
            CreatorSpec("alice", (("country", "GB"), ("age", 24))),
            CreatorSpec("kid", (("country", "FR"), ("age", 16))),
        ),
    )


@dataclass(frozen=True, slots=True)
class Played:
    """One step done in the session, by the user ("you") or from the loaded scenario."""

    step: Step  # as it replays: an action's expect_error is what happened
    by: str
    outcome: str  # as the scenario runner says: ok, refused, failed, not applicable, error
    passed: bool | None
    reasons: tuple[str, ...]
    message: str
    # What the World raised, for its words in other languages; not stored, a replay makes it anew.
    error: BindSimError | None = field(default=None, compare=False)

    @property
    def replays(self) -> bool:
        """Whether a saved scenario keeps it: every action that happened (as it went), a check
        that held, a step that did not apply only where the scenario expected just that
        (NOT_APPLICABLE). The others left the World as it was."""
        if self.step.verb == "expect" or self.outcome not in ACTED:
            return self.passed is True and self.outcome != "error"
        return True


@dataclass(frozen=True, slots=True)
class Trail:
    """The steps done, as a chain from the newest back: a moment of the history shares every
    step before its own with the moments around it, instead of holding a list of its own."""

    played: Played
    before: Trail | None
    length: int

    def __iter__(self) -> Iterator[Played]:
        """Oldest first."""
        newest_first = []
        link: Trail | None = self
        while link is not None:
            newest_first.append(link.played)
            link = link.before
        return reversed(newest_first)

    def newest(self, count: int) -> list[Played]:
        """The newest `count` steps, oldest first."""
        found: list[Played] = []
        link: Trail | None = self
        while link is not None and len(found) < count:
            found.append(link.played)
            link = link.before
        return found[::-1]


@dataclass(frozen=True, slots=True)
class Moment:
    """Everything undo restores; a moment in the history holds a World nobody changes."""

    world: World
    cast: Cast
    trail: Trail | None  # the steps done
    played_to: int  # how many of the loaded scenario's steps are played


@dataclass(frozen=True, slots=True)
class Notice:
    """What the last request did, shown once: a step (the newest done, with the log entries
    from `since` on), a step undone, or a line of text."""

    kind: str  # "step", "undone" or "text"
    text: str = ""
    since: int = 0  # the World's log count before the step

    def to_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "since": self.since}

    @classmethod
    def from_data(cls, data: Any) -> Notice | None:
        if not isinstance(data, dict) or data.get("kind") not in ("step", "undone", "text"):
            return None
        return cls(str(data["kind"]), str(data.get("text", "")), int(data.get("since", 0)))


class Session:
    """A browser's World, what it did, and where its phone and Seller Center look."""

    def __init__(self, base: Scenario, lang: Lang = "en", play: bool = False) -> None:
        self.lang: Lang = lang
        self.notice: Notice | None = None
        self.phone: str | None = None
        self.center: str | None = None
        self.start(base, play)

    def start(self, base: Scenario, play: bool = False) -> None:
        """Begin again from a scenario's cast and start; with `play`, its steps wait their turn."""
        if play and len(base.steps) > MAX_STEPS:
            raise SessionFull(f"this scenario has {len(base.steps):,} steps", MAX_STEPS)
        world = build_world(base)
        world.log_limit = LOG_KEPT
        self.base = base
        self.steps: tuple[Step, ...] = base.steps if play else ()
        self.now = Moment(world, Cast(base.shops, base.creators), None, 0)
        self.history: list[Moment] = []
        self.journal: list[Op] = []  # the changes since the start, each one a history moment
        self.phone = self.center = None

    # ------------------------------------------------------------------ reading

    @property
    def world(self) -> World:
        return self.now.world

    @property
    def cast(self) -> Cast:
        return self.now.cast

    @property
    def done(self) -> tuple[Played, ...]:
        return tuple(self.now.trail) if self.now.trail is not None else ()

    @property
    def done_count(self) -> int:
        return self.now.trail.length if self.now.trail is not None else 0

    def newest_done(self, count: int) -> list[Played]:
        return self.now.trail.newest(count) if self.now.trail is not None else []

    @property
    def queue(self) -> tuple[Step, ...]:
        """The loaded scenario's steps not played yet."""
        return self.steps[self.now.played_to :]

    @property
    def queue_count(self) -> int:
        return len(self.steps) - self.now.played_to

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    def phone_owner(self) -> str | None:
        """The creator whose phone the page shows: the one chosen, else the first."""
        creators = self.world.creators
        return self.phone if self.phone in creators else next(iter(creators), None)

    def center_owner(self) -> str | None:
        """The shop whose Seller Center the page shows: the one chosen, else the first."""
        shops = self.world.shops
        return self.center if self.center in shops else next(iter(shops), None)

    # ------------------------------------------------------------------ changing

    @contextmanager
    def _change(self, op: Op, steps: int = 0) -> Iterator[Moment]:
        """Keep the moment before a change; restore it if the change fails; journal it if not."""
        if steps and self.done_count + steps > MAX_STEPS:
            raise SessionFull(f"this session has done {self.done_count:,} steps", MAX_STEPS)
        before = replace(self.now, world=self.world.copy())
        self.history.append(before)
        try:
            yield before
        except BaseException:
            self.now = self.history.pop()
            raise
        del self.history[:-HISTORY_LIMIT]
        self.journal.append(op)

    def act(self, data: dict[str, Any]) -> Played:
        """Do one step the user asked for (scenario step data); a refusal is a step too."""
        step = make_step(self.cast, data)
        since = self.world.logged
        op = {"act": json.loads(json.dumps(data, ensure_ascii=False, default=str))}
        with self._change(op, steps=1):
            played = self._run(step, "you")
            if played.step.verb != "expect" and played.outcome not in ACTED:
                raise StepNotPossible(played.message, played.error)
        self.notice = Notice("step", since=since)
        return played

    def play_next(self) -> Played:
        """Play the loaded scenario's next step, whatever its outcome (a step that does not
        apply changes nothing, as in `bindsim run`)."""
        if not self.queue_count:
            raise NothingToPlay()
        since = self.world.logged
        with self._change({"next": 1}, steps=1) as before:
            step = self.steps[self.now.played_to]
            self.now = replace(self.now, played_to=self.now.played_to + 1)
            played = self._run(step, "scenario")
            if played.step.verb != "expect" and played.outcome not in ACTED:
                self.now = replace(self.now, world=before.world.copy())  # nothing applied
        self.notice = Notice("step", since=since)
        return played

    def play_all(self, limit: int = PLAY_PER_REQUEST) -> int:
        """Play the steps left, at most `limit` (a request's share: the rest waits for the
        next request); how many were played. The notice covers them all."""
        since = self.world.logged
        count = 0
        while self.queue_count and count < limit:
            self.play_next()
            count += 1
        if count:
            self.notice = Notice("step", since=since)
        return count

    def _run(self, step: Step, by: str) -> Played:
        result = run_step(self.world, step, self.done_count + 1)
        passed, message = result.passed, result.message
        if by == "you" and step.verb != "expect" and result.outcome in ACTED:
            # The user expected nothing: a refusal is an outcome, recorded as expect_error.
            passed, message = True, ""
        played = Played(
            as_played(step, result.outcome, result.reasons),
            by,
            result.outcome,
            passed,
            result.reasons,
            message,
            result.error,
        )
        trail = self.now.trail
        length = trail.length + 1 if trail is not None else 1
        self.now = replace(self.now, trail=Trail(played, trail, length))
        return played

    def undo(self) -> None:
        """Back to the moment before the last change: a step (the user's or the scenario's,
        which then waits to be played again) or a change of the cast."""
        if not self.history:
            raise NothingToUndo()
        count, undone = self.done_count, self.newest_done(1)
        self.now = self.history.pop()
        self.journal.pop()
        text = undone[0].step.describe() if self.done_count < count else ""
        self.notice = Notice("undone", text)

    def add_shop(self, shop: ShopSpec) -> None:
        op = {"shop": [shop.id, shop.region, shop.kind, shop.status]}
        with self._change(op):
            self.world.add_shop(shop.id, region=shop.region, kind=shop.kind, status=shop.status)
            cast = self.cast
            self.now = replace(self.now, cast=Cast((*cast.shops, shop), cast.creators))
        self.center = shop.id
        self.notice = None

    def add_creator(self, creator: CreatorSpec) -> None:
        facts = [
            [name, value.isoformat() if isinstance(value, date) else value]
            for name, value in creator.facts
        ]
        with self._change({"creator": [creator.id, facts]}):
            self.world.add_creator(creator.id, **dict(creator.facts))
            cast = self.cast
            self.now = replace(self.now, cast=Cast(cast.shops, (*cast.creators, creator)))
        self.phone = creator.id
        self.notice = None

    def apply(self, op: Op) -> None:
        """Do a journal entry again (rebuilding a session from its journal)."""
        if "act" in op:
            self.act(op["act"])
        elif "next" in op:
            self.play_next()
        elif "shop" in op:
            self.add_shop(ShopSpec(*op["shop"]))
        elif "creator" in op:
            ident, facts = op["creator"]
            values = tuple(
                (name, date.fromisoformat(value) if name == "birthdate" else value)
                for name, value in facts
            )
            self.add_creator(CreatorSpec(ident, values))
        else:
            raise SessionError(f"a journal entry this server does not know: {op}")

    def scenario(self) -> Scenario:
        """The session as a scenario that `bindsim run` replays: the steps that changed or
        checked the World, in order, each with what happened."""
        steps = [played.step for played in self.done if played.replays]
        if not steps:
            raise NothingToSave()
        return scenario_of(self.base, self.cast, steps)
