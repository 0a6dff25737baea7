"""One browser's simulation: its World, cast, steps done and steps still to play, and undo.

Every change first keeps a copy of the World (`World.copy()` is cheap: records are shared), so
undo, and stepping a scenario back, restore a copy; a change that fails restores it too, so bad
input changes nothing. Sessions live in memory, one per browser cookie, and never share a World.

>>> session = Session(starter())
>>> session.act({"invite": {"shop": "gb", "creator": "alice", "role": "official"}}).outcome
'ok'
>>> session.world.invitation("gb", "alice").state
'pending'
>>> session.undo()
>>> len(session.world.log), len(session.done)
(0, 0)
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from bindsim.machines.text import Lang
from bindsim.simulator.errors import BindSimError
from bindsim.simulator.scenario import Scenario, Step, build_world, run_step
from bindsim.simulator.scenario.model import CreatorSpec, ShopSpec
from bindsim.simulator.serve.recording import ACTED, Cast, as_played, make_step, scenario_of
from bindsim.simulator.world import World

HISTORY_LIMIT = 500  # undo steps kept per session; the oldest go first


class SessionError(BindSimError):
    """A request that does not apply to the session as it is now; nothing changed."""


class NothingToUndo(SessionError):
    def __init__(self) -> None:
        super().__init__("nothing to undo: this is where the session started")


class NothingToPlay(SessionError):
    def __init__(self) -> None:
        super().__init__("no scenario step left to play: load a scenario first, or step back")


class NothingToSave(SessionError):
    def __init__(self) -> None:
        super().__init__(
            "nothing to save yet: a scenario needs at least one step; act, advance the clock "
            "or play a step first"
        )


class StepNotPossible(SessionError):
    """The World found the step not applicable (InvalidAction ...): its message says why."""


def starter() -> Scenario:
    """What a new session starts with: one open-enrollment GB shop, an adult GB account, and a
    French 16-year-old whose invitation shows two reason codes (R-ELIGIBLE)."""
    return Scenario(
        name="A bindsim serve session",
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

    @property
    def replays(self) -> bool:
        """Whether a saved scenario keeps it: every action that happened (as it went), a check
        that held, a step that did not apply only where the scenario expected just that
        (NOT_APPLICABLE). The others left the World as it was."""
        if self.step.verb == "expect" or self.outcome not in ACTED:
            return self.passed is True and self.outcome != "error"
        return True


@dataclass(frozen=True, slots=True)
class Moment:
    """Everything undo restores; a moment in the history holds a World nobody changes."""

    world: World
    cast: Cast
    done: tuple[Played, ...]
    queue: tuple[Step, ...]  # the loaded scenario's steps not played yet


class Session:
    """A browser's World, what it did, and where its phone and Seller Center look."""

    def __init__(self, base: Scenario, lang: Lang = "en") -> None:
        self.lock = threading.Lock()  # requests of one browser may come in parallel
        self.lang: Lang = lang
        self.notice: Played | str | None = None  # what the last request did, shown once
        self.phone: str | None = None
        self.center: str | None = None
        self.start(base)

    def start(self, base: Scenario, play: bool = False) -> None:
        """Begin again from a scenario's cast and start; with `play`, its steps wait their turn."""
        world = build_world(base)
        self.base = base
        self.now = Moment(world, Cast(base.shops, base.creators), (), base.steps if play else ())
        self.history: list[Moment] = []
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
        return self.now.done

    @property
    def queue(self) -> tuple[Step, ...]:
        return self.now.queue

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
    def _change(self) -> Iterator[Moment]:
        """Keep the moment before a change; restore it if the change fails."""
        before = replace(self.now, world=self.world.copy())
        self.history.append(before)
        try:
            yield before
        except BaseException:
            self.now = self.history.pop()
            raise
        del self.history[:-HISTORY_LIMIT]

    def act(self, data: dict[str, Any]) -> Played:
        """Do one step the user asked for (scenario step data); a refusal is a step too."""
        step = make_step(self.cast, data)
        with self._change():
            played = self._run(step, "you")
            if played.step.verb != "expect" and played.outcome not in ACTED:
                raise StepNotPossible(played.message)
        self.notice = played
        return played

    def play_next(self) -> Played:
        """Play the loaded scenario's next step, whatever its outcome (a step that does not
        apply changes nothing, as in `bindsim run`)."""
        if not self.queue:
            raise NothingToPlay()
        with self._change() as before:
            step, rest = self.queue[0], self.queue[1:]
            self.now = replace(self.now, queue=rest)
            played = self._run(step, "scenario")
            if played.step.verb != "expect" and played.outcome not in ACTED:
                self.now = replace(self.now, world=before.world.copy())  # nothing applied
        self.notice = played
        return played

    def play_all(self, limit: int = 10_000) -> int:
        """Play every step left (at most `limit`); how many were played."""
        count = 0
        while self.queue and count < limit:
            self.play_next()
            count += 1
        return count

    def _run(self, step: Step, by: str) -> Played:
        result = run_step(self.world, step, len(self.done) + 1)
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
        )
        self.now = replace(self.now, done=(*self.now.done, played))
        return played

    def undo(self) -> None:
        """Back to the moment before the last change: a step (the user's or the scenario's,
        which then waits to be played again) or a change of the cast."""
        if not self.history:
            raise NothingToUndo()
        self.now = self.history.pop()
        self.notice = None

    def add_shop(self, shop: ShopSpec) -> None:
        with self._change():
            self.world.add_shop(shop.id, region=shop.region, kind=shop.kind, status=shop.status)
            cast = self.cast
            self.now = replace(self.now, cast=Cast((*cast.shops, shop), cast.creators))
        self.center = shop.id

    def add_creator(self, creator: CreatorSpec) -> None:
        with self._change():
            self.world.add_creator(creator.id, **dict(creator.facts))
            cast = self.cast
            self.now = replace(self.now, cast=Cast(cast.shops, (*cast.creators, creator)))
        self.phone = creator.id

    def scenario(self) -> Scenario:
        """The session as a scenario that `bindsim run` replays: the steps that changed or
        checked the World, in order, each with what happened."""
        steps = [played.step for played in self.done if played.replays]
        if not steps:
            raise NothingToSave()
        return scenario_of(self.base, self.cast, steps)


class Sessions:
    """The sessions in memory, one per browser, by an unguessable cookie token; the least
    recently used go when there are more than `limit`."""

    def __init__(self, make: Callable[[], Session], limit: int = 64) -> None:
        self.make = make
        self.limit = limit
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str | None) -> tuple[str, Session]:
        """The session of a token, or a new session with a new token."""
        with self._lock:
            if token is not None and token in self._sessions:
                self._sessions.move_to_end(token)
                return token, self._sessions[token]
        session = self.make()
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[token] = session
            while len(self._sessions) > self.limit:
                self._sessions.popitem(last=False)
        return token, session

    def __len__(self) -> int:
        return len(self._sessions)
