"""What the screen machines share: labels are events, guards decide what is visible."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from bindsim.machines.base import BindsimMachine
from bindsim.machines.text import Edge


@dataclass(frozen=True, slots=True)
class ScreenFacts:
    """The facts a screen's guards read, handed in by the simulator (machines read no World)."""

    # Why the showcase button is hidden (R-UNLINK-PATH step 2, A-HOME-REGION): reason codes for
    # a phone network or an account home region outside the shop's country; none: it is shown.
    showcase_blockers: tuple[str, ...] = ()
    bound: bool = False  # the account is bound to a shop (R-UNLINK-PATH: "Your Shop")
    unlink_requested: bool = False
    unlink_requests: int = 0  # Seller Center: unlink requests waiting for the merchant


class ScreenMachine(BindsimMachine):
    """A user interface as a statechart: a state per screen, an event per on-screen label.

    Each event's `edges[...].label.en` is the label as the UI shows it (the seed's English UI
    strings); `.zh` is its Chinese form, which `label_event` accepts too. An edge that `follows`
    another machine's event is no label: the screen moves by itself when that event happens.
    """

    screens: ClassVar[str]  # "app" or "Seller Center", for messages

    @classmethod
    def label_event(cls, label: str) -> str | None:
        """The event a label triggers, in any language; None if no screen has that label."""
        return _events_by_label(cls).get(label)

    @classmethod
    def labels(cls) -> list[str]:
        return [edge.label.en for edge in cls.label_edges().values()]

    @classmethod
    def label_edges(cls) -> dict[str, Edge]:
        """The edges a user taps or clicks, by event: every edge but those that follow."""
        return _label_edges(cls)

    @classmethod
    def follower(cls, event: str) -> str | None:
        """This screen's event that follows `event` ("Binding.approve_unlink"), if any."""
        return next((e for e, edge in cls.edges.items() if edge.follows == event), None)

    # Guards (static: see BindsimMachine) over the facts the simulator hands in.

    @staticmethod
    def showcase_shown(facts: ScreenFacts) -> bool:
        return not facts.showcase_blockers

    @staticmethod
    def linked(facts: ScreenFacts) -> bool:
        return facts.bound

    @staticmethod
    def can_request_unlink(facts: ScreenFacts) -> bool:
        return facts.bound and not facts.unlink_requested

    @staticmethod
    def has_unlink_request(facts: ScreenFacts) -> bool:
        return facts.unlink_requests > 0


@cache
def _label_edges(machine: type[ScreenMachine]) -> dict[str, Edge]:
    return {event: edge for event, edge in machine.edges.items() if edge.follows is None}


@cache
def _events_by_label(machine: type[ScreenMachine]) -> dict[str, str]:
    """Label (English or Chinese) → event, read once per machine class."""
    found: dict[str, str] = {}
    for event, edge in machine.label_edges().items():
        found.setdefault(edge.label.en, event)
        found.setdefault(edge.label.zh, event)
    return found
