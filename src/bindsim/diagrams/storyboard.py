"""A storyboard: a scenario replayed as one slide per step, as plain data, and its formats.

The command layer replays the scenario against a World and fills these records (the screens as
the user saw them, the states, the clock and deadlines, the outcome); this package draws them.
Each format is one function in a registry (html, pdf, pptx), the way python-statemachine's
diagram formatter registers its renderers; `storyboard_plan` turns a storyboard into files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

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
    description: Text
    start: datetime
    slides: tuple[Slide, ...] = field(default_factory=tuple)
    zone: tzinfo = UTC  # the scenario's own offset: every time is shown in it


# ------------------------------------------------------------------------- the formats

# A renderer: (storyboard, lang, picture stems by slide number, drawn pictures by stem) → bytes.
# Every format embeds its pictures (HTML as data URIs, PDF and PPTX as PNG), so that one file,
# emailed alone, shows them all; each format says which drawn format it embeds.
Render = Callable[[Storyboard, Lang, dict[int, str], dict[str, dict[str, bytes]]], bytes]
FORMATS: dict[str, Render] = {}
EMBEDS: dict[str, str] = {}  # storyboard format → the picture format it embeds (svg, png)


def register_format(name: str, embeds: str) -> Callable[[Render], Render]:
    """Register a storyboard format: `@register_format("pptx", embeds="png")`."""

    def register(render: Render) -> Render:
        FORMATS[name] = render
        EMBEDS[name] = embeds
        return render

    return register
