"""bindsim's exceptions: one base, domain refusals apart from bad input."""

from __future__ import annotations

import string
from collections.abc import Callable, Container, Iterable, Sequence
from datetime import datetime
from difflib import get_close_matches
from itertools import islice

from bindsim.errors import BindSimError
from bindsim.machines.reasons import Reason, ordered
from bindsim.machines.text import Lang


class Refused(BindSimError):
    """The platform refused an action; every reason code that applies is listed. Nothing changed."""

    def __init__(self, action: str, reasons: Iterable[Reason], detail: str = "") -> None:
        self.action = action
        self.reasons: tuple[Reason, ...] = ordered(reasons)
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
    """The tapped or clicked label is not on the current screen (NOT_VISIBLE)."""

    def __init__(
        self,
        who: str,
        label: str,
        screen: str,
        visible: Sequence[str],
        why: Sequence[Reason] = (),
        verb: str = "tap",
    ) -> None:
        self.who, self.label, self.screen, self.visible = who, label, screen, tuple(visible)
        shown = ", ".join(repr(v) for v in visible) or "nothing"
        because = " and ".join(reason.info.message("en") for reason in why)
        hint = f"; it is hidden because {because}" if why else ""
        super().__init__(
            f"{who}: {verb} {label!r}",
            [Reason.NOT_VISIBLE, *why],
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
            far = get_close_matches(key, sample, n=3, cutoff=0.6) if wanted else []
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


class ContractBroken(BindSimError, AssertionError):
    """A bug: a step or a state breaks a contract written from a rule's words (contracts/)."""

    def __init__(self, rule: str, contract: str, message: str) -> None:
        self.rule, self.contract, self.detail = rule, contract, message
        super().__init__(f"{rule} ({contract}): {message}")
