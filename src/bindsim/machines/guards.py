"""The machines' guards: pure functions of what the simulator sends with an event.

The machine classes name them as static methods (`cond="unblocked"`), and the simulator's
compiled tables (machines/compiled.py) call these very functions without python-statemachine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ScreenFacts:
    """The facts a screen's guards read, handed in by the simulator (machines read no World)."""

    # Why the showcase button is hidden (R-UNLINK-PATH step 2, A-HOME-REGION): reason codes for
    # a phone network or an account home region outside the shop's country; none: it is shown.
    showcase_blockers: tuple[str, ...] = ()
    bound: bool = False  # the account is bound to a shop (R-UNLINK-PATH: "Your Shop")
    unlink_requested: bool = False
    unlink_requests: int = 0  # Seller Center: unlink requests waiting for the merchant


def unblocked(blockers: Iterable[Any] = ()) -> bool:
    """The simulator found no reason code against this transition."""
    return not blockers


def blocked(blockers: Iterable[Any] = ()) -> bool:
    """The simulator found at least one reason code against this transition."""
    return bool(blockers)


def showcase_shown(facts: ScreenFacts) -> bool:
    return not facts.showcase_blockers


def linked(facts: ScreenFacts) -> bool:
    return facts.bound


def can_request_unlink(facts: ScreenFacts) -> bool:
    return facts.bound and not facts.unlink_requested


def has_unlink_request(facts: ScreenFacts) -> bool:
    return facts.unlink_requests > 0
