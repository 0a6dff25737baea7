"""bindsim's exceptions, every one of them, all under one base: `except BindSimError` catches
every error bindsim raises on purpose. Domain refusals (Refused) stand apart from bad input
(UnknownId, InvalidArgument, ScenarioError ...). Sections follow the layers that raise them.

This module imports nothing of bindsim's, not even for type checking, so every layer, machines/
included, can raise from it without an import circle.
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable, Container, Iterable, Sequence
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

# What some errors carry, named by the types of the layers above (this module imports none of
# them, not even for type checking: every layer imports it, so it imports nothing back).
Reason = Any  # a reason code: machines.reasons.Reason
Lang = str  # "en" or "zh": machines.text.Lang
Pos = Any  # where a node of a scenario file is: scenario.loader.Pos
ScenarioResult = Any  # a scenario's run: scenario.runner.ScenarioResult


def _in_table_order(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    """Reason codes without repeats, in the order they are declared (machines.reasons declares
    them in the order of the rules' table): how refusals list them."""
    found = set(reasons)
    if not found:
        return ()
    codes: Any = type(next(iter(found)))  # the Enum of the codes, in declaration order
    declared = list(codes)
    return tuple(sorted(found, key=declared.index))


class BindSimError(Exception):
    """Base of every error bindsim raises on purpose.

    `zh` is the message in Chinese where the raiser wrote one (a page in Chinese shows it, see
    serve's views.error_text); None where only the English message exists."""

    zh: str | None = None


class MissingExtra(BindSimError):
    """A command needs an optional part of bindsim that is not installed."""

    def __init__(self, extra: str, what: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"{what} cannot run here: {module} is not installed; "
            f"install bindsim[{extra}] (pip install 'bindsim[{extra}]')"
        )


# ------------------------------------------------------------ the World: refusals and bad input


class Refused(BindSimError):
    """The platform refused an action; every reason code that applies is listed. Nothing changed."""

    def __init__(self, action: str, reasons: Iterable[Reason], detail: str = "") -> None:
        self.action = action
        self.reasons: tuple[Reason, ...] = _in_table_order(reasons)
        self.detail = detail
        super().__init__(self.message("en"))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.value for r in self.reasons)

    def message(self, lang: Lang = "en") -> str:
        lines = [f"{self.action} refused:" if lang == "en" else f"{self.action} 被拒绝:"]
        for reason in self.reasons:
            info = reason.info
            line = f"  {reason.value}: {info.message(lang)}"
            if info.remedy:
                line += f" ({info.remedy(lang)})"
            lines.append(line)
        if self.detail:
            lines.append(f"  {self.detail}")
        return "\n".join(lines)


class NotVisible(Refused):
    """The tapped or clicked label is not on the current screen: `not_visible` (the code
    NOT_VISIBLE) and `why` it is hidden, if it is."""

    def __init__(
        self,
        who: str,
        label: str,
        screen: str,
        visible: Sequence[str],
        not_visible: Reason,
        why: Sequence[Reason] = (),
        verb: str = "tap",
    ) -> None:
        self.who, self.label, self.screen, self.visible = who, label, screen, tuple(visible)
        shown = ", ".join(repr(v) for v in visible) or "nothing"
        because = " and ".join(reason.info.message("en") for reason in why)
        hint = f"; it is hidden because {because}" if why else ""
        super().__init__(
            f"{who}: {verb} {label!r}",
            [not_visible, *why],
            f"{label!r} is not on screen {screen!r}{hint}. Visible: {shown}",
        )


class UnknownId(BindSimError, KeyError):
    """A shop, creator, invitation or binding id that the World does not know.

    The message names a few close matches, never every id, at a cost that does not grow with
    the World: every known id one edit away (looked up, when `known` can answer `in` or
    `contains` is given), then difflib over the first `SCAN` known ids.
    """

    SCAN = 50

    def __init__(
        self,
        kind: str,
        key: str,
        known: Iterable[str] = (),
        detail: str | None = None,
        contains: Callable[[str], bool] | None = None,
    ) -> None:
        self.kind, self.key = kind, key
        if detail is not None:
            hint = f": {detail}"
        else:
            sample = list(islice(known, self.SCAN))
            if contains is None and isinstance(known, Container):
                contains = known.__contains__
            near = one_edit_away(key, contains) if contains is not None else []
            wanted = sample and len(near) < 3
            far = _close_matches(key, sample) if wanted else []
            close = list(dict.fromkeys([*near, *far]))[:3]
            if close:
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?"
            elif sample and len(sample) <= 8:
                hint = f"; known {kind}s: {', '.join(sorted(sample))}"
            else:
                hint = f"; no {kind}s yet" if not sample else ""
        self.text = f"unknown {kind} {key!r}{hint}"
        super().__init__(self.text)

    def __str__(self) -> str:
        return self.text


_EDIT_LETTERS = frozenset(string.ascii_letters + string.digits + "-_.")


def _close_matches(key: str, sample: list[str]) -> list[str]:
    """difflib's three closest, imported when an unknown id is met (no run pays for it)."""
    from difflib import get_close_matches

    return get_close_matches(key, sample, n=3, cutoff=0.6)


def one_edit_away(key: str, contains: Callable[[str], bool]) -> list[str]:
    """The ids `contains` knows that differ from `key` by one edit (a letter dropped, added,
    changed or two swapped) or are `key` in lower or upper case: a few hundred lookups, however
    many ids there are."""
    if len(key) > 64:
        return []
    letters = _EDIT_LETTERS | set(key.lower())
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    candidates = [key.lower(), key.upper()]
    candidates += [a + b[1:] for a, b in splits if b]
    candidates += [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    candidates += [a + c + b[1:] for a, b in splits if b for c in letters]
    candidates += [a + c + b for a, b in splits for c in letters]
    found = [c for c in dict.fromkeys(candidates) if c != key and contains(c)]
    return sorted(found)[:3]


class InvalidArgument(BindSimError, ValueError):
    """An argument of the wrong kind: a role, a shop kind, a fact name, an age."""

    def __init__(self, message: str = "", zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh


class InvalidDuration(InvalidArgument):
    """A duration that is malformed or negative."""


class NaiveDatetime(InvalidArgument):
    """A datetime without a time zone: bindsim only works with aware UTC times."""

    def __init__(self, value: object) -> None:
        super().__init__(
            f"{value!r} has no time zone; give an aware time such as 2024-11-11T12:00:00Z "
            "or datetime(..., tzinfo=timezone.utc)"
        )


class InvalidAction(BindSimError):
    """An action that does not apply to the current state, e.g. accepting a withdrawn invitation."""

    def __init__(self, message: str = "", zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh


class ClockWentBackwards(BindSimError):
    """The clock reads earlier than it did at the World's last call; the World refuses to go on."""

    def __init__(self, last_seen: datetime, now: datetime) -> None:
        self.last_seen, self.now = last_seen, now
        super().__init__(
            f"the clock went backwards from {last_seen.isoformat()} to {now.isoformat()}; "
            "simulated time only moves forward: load a snapshot to branch from an earlier time"
        )


class InvalidClock(BindSimError):
    """The clock returned something that is not an aware time bindsim can use."""

    def __init__(self, clock: object, problem: str) -> None:
        self.clock = clock
        super().__init__(
            f"the clock {clock!r} {problem}; a clock's now() must return an aware datetime "
            "(ManualClock, SystemClock, or freezegun's frozen time)"
        )


class ClockNotAdjustable(BindSimError):
    """advance()/advance_to() on a World that runs on the system clock."""

    def __init__(self) -> None:
        super().__init__(
            "this World runs on SystemClock, which bindsim cannot move: use freezegun "
            "(freeze_time(...).tick() / move_to()) or World(clock=ManualClock(...))"
        )


class InvariantBroken(BindSimError, AssertionError):
    """A bug: the World reached a state that breaks a rule it enforces (R-EXCLUSIVE, slots ...)."""


class ScenarioError(BindSimError):
    """An invalid scenario file, located as FILE:LINE:COL."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        self.path, self.line, self.column, self.text = path, line, column, message
        super().__init__(f"{path}:{line}:{column}: {message}")


class PrefixFailed(BindSimError):
    """A cast file's steps, the way to the state `bindsim explore` starts from, did not hold."""

    def __init__(self, path: str, line: int, index: int, why: str) -> None:
        super().__init__(
            f"{path}:{line}: step {index} of the way to the first state did not hold: {why}"
        )


class ContractBroken(BindSimError, AssertionError):
    """A bug: a step or a state breaks a contract written from a rule's words (contracts/)."""

    def __init__(self, rule: str, contract: str, message: str) -> None:
        self.rule, self.contract, self.detail = rule, contract, message
        super().__init__(f"{rule} ({contract}): {message}")


# ------------------------------------------------------------ machines.spec


class UnsupportedMachine(BindSimError, TypeError):
    """A machine uses a python-statemachine feature that bindsim's compiled table does not run."""


# ------------------------------------------------------------ machines.durations


class InvalidDurationText(BindSimError, ValueError):
    """The text is not a duration like 90s, 15m, 47h59m, 2d."""


# ------------------------------------------------------------ machines.ruleset


class InvalidSetting(BindSimError, ValueError):
    """A ruleset setting that does not exist, a value of the wrong kind for it, or settings that
    contradict each other."""


class ContradictorySettings(InvalidSetting):
    """Settings each valid alone that cannot hold together; `settings` names them."""

    def __init__(self, settings: tuple[str, ...], message: str) -> None:
        self.settings = settings
        super().__init__(message)


# ------------------------------------------------------------ simulator.pytest_plugin


class ScenarioFailed(BindSimError):
    """A scenario step did not hold; carries the whole result for the report."""

    def __init__(self, result: ScenarioResult) -> None:
        self.result = result
        super().__init__(result.scenario.name)


# ------------------------------------------------------------ simulator.engine


class EventNotAllowed(InvalidAction):
    """An event sent to a machine in a state that has no enabled transition for it."""

    def __init__(self, machine: str, node: str, event: str) -> None:
        self.machine, self.node, self.event = machine, node, event
        super().__init__(f"{machine} in state {node!r} cannot take {event!r}")


# ------------------------------------------------------------ simulator.files


class CannotWrite(BindSimError, OSError):
    """A file could not be written; the previous file, if any, is kept as it was."""

    def __init__(self, path: str | os.PathLike[str], why: str) -> None:
        self.path = str(path)
        super().__init__(f"cannot write {self.path}: {why}; nothing was changed there")

    def __str__(self) -> str:
        return str(self.args[0])


class CannotRead(BindSimError, OSError):
    """A file could not be read: missing, not a regular file, or larger than the cap."""

    def __init__(self, path: str | os.PathLike[str], why: str, too_large: bool = False) -> None:
        self.path = str(path)
        self.why = why
        self.too_large = too_large
        super().__init__(f"cannot read {self.path}: {why}")

    def __str__(self) -> str:
        return str(self.args[0])


# ------------------------------------------------------------ simulator.ruleset_file


class InvalidRulesetFile(ScenarioError, InvalidArgument):
    """A ruleset file that cannot be used, located as FILE:LINE:COL."""


# ------------------------------------------------------------ simulator.snapshot


class InvalidSnapshot(InvalidArgument):
    """A snapshot that cannot be loaded: the message says where (section, record, field) and why."""


# ------------------------------------------------------------ simulator.walk.grammar


class InputError(BindSimError):
    """A command line that cannot be turned into a step; the message says why."""


# ------------------------------------------------------------ simulator.serve.actions


class MissingField(BindSimError):
    """A form without a field its verb needs."""

    def __init__(self, name: str, verb: str) -> None:
        self.name, self.verb = name, verb
        super().__init__(f"{verb} needs the field {name!r}: the form did not send it")


class UnknownVerb(BindSimError):
    """A form's verb that is none of serve's actions; `known` are the ones there are."""

    def __init__(self, verb: str, known: Iterable[str]) -> None:
        self.verb = verb
        super().__init__(f"unknown action {verb!r}; actions: {', '.join(known)}")


class NotOnScreen(BindSimError):
    """A label that is neither shown nor greyed on the owner's current screen."""

    def __init__(self, owner: str, label: str, screen: str, there: tuple[str, ...]) -> None:
        self.owner, self.label, self.screen, self.there = owner, label, screen, there
        shown = ", ".join(there) or "nothing"
        super().__init__(f"“{label}” is not on {owner}'s screen ({screen}); there: {shown}")


class NoDeadline(BindSimError):
    """No deadline to jump to: none pending (`soon` False), or the next is 1 second away."""

    def __init__(self, soon: bool = False) -> None:
        self.soon = soon
        super().__init__(
            "the next deadline is 1 second away already: advance by 1s instead"
            if soon
            else "no deadline is pending: there is nothing to jump to"
        )


class BadFact(InvalidArgument):
    """A fact typed in a form that is not of its kind (an age that is not a number ...)."""

    def __init__(self, name: str, text: str, message: str) -> None:
        self.name, self.text = name, text
        super().__init__(message)


class AgeOrBirthdate(InvalidArgument):
    """An account's age facts: one of age and birthdate, never both (A-AGE)."""

    def __init__(self, both: bool) -> None:
        self.both = both
        super().__init__(
            "give an age or a birthdate, not both (A-AGE)"
            if both
            else "an account needs an age or a birthdate, one of the two (A-AGE)"
        )


class BadDuration(InvalidDurationText):
    """A duration typed in a form that is not one (the clock's "Advance by")."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        super().__init__(problem)


class NothingChanged(BindSimError):
    """A change of facts whose values are the ones the World has already."""


# ------------------------------------------------------------ simulator.serve.recording


class InvalidStep(BindSimError):
    """The step a request asked for is not one the scenario format accepts; `problems` say why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


# ------------------------------------------------------------ simulator.serve.screenshot


class BrowserMissing(BindSimError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what}: the README screenshot needs Playwright (pip install -e '.[dev]') and "
            "Chromium (sudo apt-get install chromium)"
        )


# ------------------------------------------------------------ simulator.serve.catalog


class UnknownScenario(BindSimError, KeyError):
    def __init__(self, key: str) -> None:
        self.text = f"no scenario {key!r} in the library this server was given"
        super().__init__(self.text)

    def __str__(self) -> str:
        return self.text


class BadUpload(BindSimError):
    """An uploaded file that is not a scenario: too large, not UTF-8 text, or invalid (with
    every problem at FILE:LINE:COL)."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh


# ------------------------------------------------------------ simulator.serve.session


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


class SessionFull(SessionError):
    """A session at its most steps (serve's MAX_STEPS): it says so, and what to do."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(
            f"{what}: a session holds at most {limit:,} steps. Save it as a scenario, or "
            "start a new session"
        )


class SessionBusy(SessionError):
    """Two requests changed one session at once; the later one was not done."""

    def __init__(self) -> None:
        super().__init__("another window changed this session at the same time: look again")


class StepNotPossible(SessionError):
    """The World found the step not applicable (InvalidAction ...): its message says why, and
    `cause` is the World's error, when the step was the user's (its words in other languages)."""

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


# ------------------------------------------------------------ simulator.serve.app


class BadRequest(BindSimError):
    """A request that is not what the page sends: no form, a field of the wrong kind ..."""


class TooLarge(BindSimError):
    """A request body over serve's limits."""

    def __init__(self, body_limit: int, upload_limit: int) -> None:
        self.body_limit, self.upload_limit = body_limit, upload_limit
        super().__init__(
            f"the request is larger than {body_limit // 1024} KiB; a scenario file may be at "
            f"most {upload_limit // 1024} KiB"
        )


# ------------------------------------------------------------ simulator.serve.store


class SessionGone(BindSimError):
    """A browser's cookie names a session that is not there (expired, or its data removed)."""

    def __init__(self, why: str) -> None:
        self.why = why
        super().__init__(
            f"Your session is gone ({why}). This is a new session: nothing you do now changes "
            "the old one."
        )


class CannotStore(BindSimError):
    def __init__(self, path: Path, error: Exception) -> None:
        super().__init__(
            f"cannot keep sessions in {path}: {error} (give another folder with --data DIR)"
        )


# ------------------------------------------------------------ simulator.serve.server


class CannotListen(BindSimError):
    def __init__(self, host: str, port: int, error: OSError) -> None:
        hint = " (try another --port, or --port 0 for any free one)" if port else ""
        super().__init__(f"cannot listen on {host}:{port}: {error.strerror or error}{hint}")


# ------------------------------------------------------------ simulator.scenario.validate


class InvalidScenario(ScenarioError):
    """One or more problems in scenario files; `errors` lists each at its FILE:LINE:COL."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        unique = {(e.path, e.line, e.column, e.text): e for e in errors}
        self.errors = sorted(unique.values(), key=lambda e: (e.path, e.line, e.column))
        first = self.errors[0]
        super().__init__(first.path, first.line, first.column, first.text)

    def __str__(self) -> str:
        return "\n".join(f"{e.path}:{e.line}:{e.column}: {e.text}" for e in self.errors)


# ------------------------------------------------------------ simulator.scenario.format


class Bad(BindSimError):
    """A problem at one node of a scenario: the validator reports it as FILE:LINE:COL."""

    def __init__(self, pos: Pos, message: str) -> None:
        self.pos, self.message = pos, message
        super().__init__(message)


# ------------------------------------------------------------ simulator.explore.pool


class WorkerFailed(BindSimError, RuntimeError):
    """A worker process stopped with an error: a bug, or out of memory. The message says what
    it was; `details` is the worker's traceback, for a bug report."""

    def __init__(self, worker: int, details: str) -> None:
        last = details.strip().splitlines()[-1] if details.strip() else "it ended unexpectedly"
        super().__init__(f"explore worker {worker} failed: {last} (run with --jobs 1 to see more)")
        self.details = details


# ------------------------------------------------------------ diagrams.extract


class UnknownMachine(BindSimError, ValueError):
    """A machine name that find_machine does not know; `choices` are the names it does."""

    def __init__(self, name: str, choices: Iterable[str]) -> None:
        self.name, self.choices = name, tuple(choices)
        super().__init__(
            f"no machine called {name!r}; machines: {', '.join(self.choices)}, or 'all'"
        )


# ------------------------------------------------------------ diagrams.drawing


class GraphvizMissing(BindSimError, RuntimeError):
    """Graphviz `dot` is not installed: nothing can be drawn (DOT and Mermaid text still can)."""

    def __init__(self, install_hint: str) -> None:
        super().__init__(f"Graphviz `dot` was not found on PATH; {install_hint}")


class GraphvizFailed(BindSimError, RuntimeError):
    """Graphviz refused a picture: a bug in the DOT we made, reported with dot's own words."""

    def __init__(self, engine: str, message: str) -> None:
        super().__init__(f"{engine} failed: {message.strip() or 'no message'}")
