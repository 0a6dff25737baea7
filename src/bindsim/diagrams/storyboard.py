"""A storyboard: a scenario replayed as one slide per step, as plain data, and its formats.

The command layer replays the scenario against a World and fills these records (the screens as
the user saw them, the states, the clock and deadlines, the outcome); this package draws them.
Each format is one function in a registry (html, pdf, pptx), the way python-statemachine's
diagram formatter registers its renderers; `storyboard_plan` turns a storyboard into files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bindsim.machines.ruleset import Ruleset
from bindsim.machines.text import Lang, Text


@dataclass(frozen=True, slots=True)
class Button:
    """A label on a screen: shown or hidden (with the reason code a user would meet), tapped."""

    label: Text
    visible: bool = True
    hidden_reason: str | None = None
    tapped: bool = False


@dataclass(frozen=True, slots=True)
class MockScreen:
    """A phone screen (kind "app") or a Seller Center page ("center") as the user saw it."""

    kind: str
    owner: str
    title: Text
    buttons: tuple[Button, ...] = ()
    info: tuple[Text, ...] = ()  # the URL, the reasons on a refusal page, whose request is open
    path: tuple[Text, ...] = ()  # the labels tapped before the marked one, in this step
    now_on: Text | None = None  # where the tap led, when it led elsewhere


@dataclass(frozen=True, slots=True)
class Deadline:
    """A timer still running after the step: what happens, to which record, when."""

    what: Text
    target: str
    due: datetime
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagram:
    """The machine of the record the step is about, with the states it is in."""

    machine: str  # class name: "Binding"
    record: str  # "bind-1"
    who: str  # "gb → alice"
    active: frozenset[str] = frozenset()
    ruleset: Ruleset | None = None


@dataclass(frozen=True, slots=True)
class Slide:
    """One step of the scenario."""

    number: int
    total: int
    text: Text  # what happened, in words
    step: str  # the step as written in the file
    note: str | None
    at: datetime
    until: datetime
    elapsed: Text  # "+47h"
    outcome: str  # ok, refused, error, failed, (expect:) ok
    reasons: tuple[str, ...] = ()
    messages: tuple[Text, ...] = ()  # a refusal's reasons, or what an expectation found
    screens: tuple[MockScreen, ...] = ()
    diagram: Diagram | None = None
    deadlines: tuple[Deadline, ...] = ()
    fired: tuple[Text, ...] = ()  # timers that fired during the step


@dataclass(frozen=True, slots=True)
class Storyboard:
    name: str  # file stem
    title: Text
    description: str
    start: datetime
    slides: tuple[Slide, ...] = field(default_factory=tuple)


# ------------------------------------------------------------------------- the formats

# A renderer: (storyboard, lang, picture stems by slide number, relative prefix to the gallery
# root, drawn pictures by stem) → bytes. HTML needs no drawn pictures, PDF and PPTX do.
Render = Callable[[Storyboard, Lang, dict[int, str], str, dict[str, dict[str, bytes]]], bytes]
FORMATS: dict[str, Render] = {}
NEEDS_PICTURES: set[str] = set()


def register_format(name: str, needs_pictures: bool = False) -> Callable[[Render], Render]:
    """Register a storyboard format: `@register_format("pptx", needs_pictures=True)`."""

    def register(render: Render) -> Render:
        FORMATS[name] = render
        if needs_pictures:
            NEEDS_PICTURES.add(name)
        return render

    return register
