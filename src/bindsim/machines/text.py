"""Bilingual labels and the metadata that ties transitions to rule IDs (docs/reference.md).

A machine class declares its words with what they describe, never by a state or event id:

    binding = described(State(initial=True), Node(Text("binding in progress", "绑定中"), ...))
    confirm = described(
        when(binding.to(stuck, cond="blocked"), Text("registration abroad ...", ...))
        | when(binding.to(bound, unless="blocked"), Text("registration in shop country ...", ...)),
        Edge(Text("binding completes", "完成绑定"), ("R-STUCK",)),
    )

and a compound state's right after its class statement: `described(bound, Node(...))`.
machines/spec.py reads them back off the states and transitions (node_of, edge_of, guard_of)
into the machine's `nodes` by state id and `edges` by event id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

if TYPE_CHECKING:  # a compiled run imports this module, never python-statemachine
    from statemachine.transition_list import TransitionList

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
    # Guard wording per target state id, for events whose transitions branch on a guard: read
    # by machines/spec.py off the transitions (`when`), so a machine class never sets it.
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


# The attributes the words hang on (python-statemachine keeps a class's State and Transition
# objects as declared, and anything set on them; not on its Event objects, and not on the copies
# `from_.any()` makes of its transitions, which bindsim's machines do not use).
_NODE, _EDGE, _GUARD = "bindsim_node", "bindsim_edge", "bindsim_guard"

_S = TypeVar("_S")  # a State, or what a `class bound(State.Compound)` statement makes of it
_L = TypeVar("_L", bound="TransitionList")


@overload
def described(what: _S, words: Node) -> _S: ...
@overload
def described(what: _L, words: Edge) -> _L: ...
def described(what: Any, words: Node | Edge) -> Any:
    """A state with its Node, or an event's transitions with its Edge (every transition of an
    event carries the same one); returns what it was given, to declare in one expression.
    Words are given once: a second, different Node or Edge for the same thing raises
    ValueError, as do a Node on transitions and an Edge on a state."""
    is_state = hasattr(what, "to")  # a State (or a compound) can start transitions; a list not
    if isinstance(words, Node):
        if not is_state:
            raise ValueError(f"a Node describes a state, not {what!r}")
        _attach(what, _NODE, words)
    else:
        if is_state:
            raise ValueError(f"an Edge describes an event's transitions, not the state {what!r}")
        for transition in what.transitions:
            _attach(transition, _EDGE, words)
    return what


def when(transitions: _L, guard: Text) -> _L:
    """Transitions with the wording of the guard they are taken under (their `cond` or
    `unless`): what a diagram writes in brackets on the arrow, and a screen says of a label its
    guard hides (the event's Edge.guards, by target, in the machine's spec)."""
    for transition in transitions.transitions:
        _attach(transition, _GUARD, guard)
    return transitions


def _attach(what: object, name: str, words: object) -> None:
    """Hang words on a state or transition, refusing to replace other words already there."""
    before = getattr(what, name, None)
    if before is not None and before != words:
        raise ValueError(f"{what!r} is described twice: {before!r}, then {words!r}")
    setattr(what, name, words)


def node_of(state: object) -> Node | None:
    found: Node | None = getattr(state, _NODE, None)
    return found


def edge_of(transition: object) -> Edge | None:
    found: Edge | None = getattr(transition, _EDGE, None)
    return found


def guard_of(transition: object) -> Text | None:
    found: Text | None = getattr(transition, _GUARD, None)
    return found
