"""Bilingual labels and the metadata that ties transitions to rule IDs (docs/reference.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


@dataclass(frozen=True, slots=True)
class Text:
    """One piece of user-facing text in English and Chinese."""

    en: str
    zh: str

    def __call__(self, lang: Lang = "en") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Timer:
    """A timed transition: fired by the simulator when the ruleset duration `setting` has passed."""

    setting: str


@dataclass(frozen=True, slots=True)
class Edge:
    """What a diagram and a log say about one event: its label, guards, timer and rule IDs."""

    label: Text
    rules: tuple[str, ...] = ()
    timer: Timer | None = None
    # Guard wording per target state id, for events whose transitions branch on a guard.
    guards: dict[str, Text] = field(default_factory=dict)
    # Screen machines: the ScreenFacts field listing the reason codes a user is given when this
    # label is hidden by its guard (the simulator computes them; the machine reads no World).
    hidden_by: str | None = None
    # Screen machines: the screen moves by itself after this event of another machine
    # ("Binding.approve_unlink"), which the simulator sends it; no label to tap or click.
    follows: str | None = None


@dataclass(frozen=True, slots=True)
class Node:
    """What a diagram says about one state."""

    label: Text
    rules: tuple[str, ...] = ()
    kind: Literal["normal", "final", "error"] = "normal"
