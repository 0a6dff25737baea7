"""What a diagram shows, as plain data: extracted once, rendered by every renderer (no graphviz)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bindsim.machines.text import Text

StateKind = Literal["normal", "final", "error"]


@dataclass(frozen=True, slots=True)
class StateInfo:
    """One state: its label, kind, rule IDs and, for a state inside a compound, its parent."""

    id: str
    label: Text
    kind: StateKind = "normal"
    parent: str | None = None
    rules: tuple[str, ...] = ()
    initial: bool = False  # the initial state of its level (top level or its parent compound)
    compound: bool = False


@dataclass(frozen=True, slots=True)
class TransitionInfo:
    """One arrow: `event` takes the machine from `source` to `target`, maybe guarded or timed."""

    source: str
    target: str
    event: str
    label: Text
    guard: Text | None = None
    timer: Text | None = None  # "after 48h" / "48 小时后", from the Ruleset setting of the Timer
    timer_setting: str | None = None
    rules: tuple[str, ...] = ()
    follows: str | None = None  # a screen's move after another machine's event (Edge.follows)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.event)


@dataclass(frozen=True, slots=True)
class Exercised:
    """What runs exercised of one machine (read from their logs): the states entered and how
    often each transition was taken, for a coverage picture."""

    states: frozenset[str] = frozenset()
    transitions: dict[tuple[str, str, str], int] = field(default_factory=dict)  # key → count


@dataclass(frozen=True, slots=True)
class MachineDiagram:
    """A whole machine: states in declaration order (parents before children) and transitions."""

    name: str  # the class name: "Binding"
    title: Text
    states: tuple[StateInfo, ...]
    transitions: tuple[TransitionInfo, ...]
    active: frozenset[str] = frozenset()  # state ids to highlight (a live machine's configuration)

    def state(self, state_id: str) -> StateInfo:
        for state in self.states:
            if state.id == state_id:
                return state
        raise KeyError(f"{self.name} has no state {state_id!r}")

    def children(self, parent: str | None) -> tuple[StateInfo, ...]:
        """The states directly inside `parent` (None: the top level)."""
        return tuple(s for s in self.states if s.parent == parent)

    def initial(self, parent: str | None = None) -> StateInfo | None:
        """The initial state of a level: where the machine starts, or a compound enters."""
        return next((s for s in self.children(parent) if s.initial), None)

    def covered(self, exercised: Exercised) -> tuple[tuple[int, int], tuple[int, int]]:
        """(states exercised, states), (transitions exercised, transitions): atomic states
        only, as a parent is entered whenever a child is."""
        atomic = [st.id for st in self.states if not st.compound]
        states = (sum(x in exercised.states for x in atomic), len(atomic))
        keys = [t.key for t in self.transitions]
        return states, (sum(exercised.transitions.get(k, 0) > 0 for k in keys), len(keys))

    def around(self, states: frozenset[str], most: int = 7) -> MachineDiagram:
        """The part of the machine near `states`: them, where their arrows lead and (if that
        keeps it to `most` states) where the arrows into them come from, with the compound
        states around those. A storyboard shows a machine of many screens this way: where the
        user is and can go next, readable on a slide.
        """
        atomic = {st.id for st in self.states if not st.compound}
        if len(atomic) <= most:
            return self
        here = {x for x in states if x in atomic}
        ahead = {t.target for t in self.transitions if t.source in states}
        behind = {t.source for t in self.transitions if t.target in states}
        keep = set(here | ahead)
        if len(keep | behind) <= most:
            keep |= behind
        return self.only(frozenset(keep))

    def only(
        self, states: frozenset[str], arrows: tuple[TransitionInfo, ...] | None = None
    ) -> MachineDiagram:
        """The machine cut down to `states` (unknown ones ignored) and the compound states
        around them, with `arrows` (default: every arrow between the states kept)."""
        keep = set(states) & {st.id for st in self.states}
        for state_id in list(keep):
            parent = self.state(state_id).parent
            while parent is not None:
                keep.add(parent)
                parent = self.state(parent).parent
        kept = tuple(st for st in self.states if st.id in keep)
        if arrows is None:
            arrows = tuple(t for t in self.transitions if t.source in keep and t.target in keep)
        return MachineDiagram(self.name, self.title, kept, arrows, self.active)

    def leaf(self, state_id: str) -> str:
        """The atomic state an arrow into `state_id` lands on (a compound's initial child)."""
        state = self.state(state_id)
        while state.compound:
            inner = self.initial(state.id) or self.children(state.id)[0]
            state = inner
        return state.id


# ------------------------------------------------------------------- traces of a run


@dataclass(frozen=True, slots=True)
class TraceStep:
    """A transition a record's machine took at log step `seq` (event "" = it was created)."""

    seq: int
    at: datetime
    actor: str
    action: str
    event: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    sub: int = 0  # its place among several moves of the record within one log entry (1, 2 ...)

    @property
    def number(self) -> str:
        """The step's number as drawn: "3", or "6.2" for the second move within step 6."""
        return f"{self.seq}.{self.sub}" if self.sub else str(self.seq)


@dataclass(frozen=True, slots=True)
class TraceRefusal:
    """An action refused at log step `seq` while the record was in `states` (empty: not created)."""

    seq: int
    at: datetime
    actor: str
    action: str
    what: Text  # the action's name for people, from the words the run was handed with
    reasons: tuple[str, ...]
    states: tuple[str, ...]
    label: str = ""  # the on-screen label of a refused tap or click


@dataclass(frozen=True, slots=True)
class Trace:
    """The path one record (an invitation, a binding, a ticket ...) took during a run."""

    target: str  # the record id in the log: "inv-1", or "refused-3" when it was never created
    machine: str  # the machine class name: "Invitation"
    subject: dict[str, str]
    start: datetime  # the run's start: times are shown relative to it
    steps: tuple[TraceStep, ...] = ()
    refusals: tuple[TraceRefusal, ...] = ()

    @property
    def final(self) -> tuple[str, ...]:
        """The configuration the record was left in (empty if it was never created)."""
        return self.steps[-1].after if self.steps else ()

    @property
    def visited(self) -> frozenset[str]:
        """Every state the record was seen in, including where it was before its first move."""
        seen = {s for step in self.steps for s in (*step.before, *step.after)}
        seen.update(s for refusal in self.refusals for s in refusal.states)
        return frozenset(seen)


# ------------------------------------------------------------------ timelines of a run


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of simulated time on one lane: a state lived in, a window (48h, 24h, 180d), or
    the instant a record ended ("end", in its final state)."""

    start: datetime
    end: datetime
    label: Text
    kind: Literal["state", "window", "end"]
    state_kind: StateKind = "normal"
    open_ended: bool = False  # still going when the run ended


@dataclass(frozen=True, slots=True)
class Mark:
    """One log step on the timeline: an action, a timer firing, or a refusal with its codes."""

    seq: int
    at: datetime
    label: Text
    outcome: str  # "ok", "refused" or "timer"
    reasons: tuple[str, ...] = ()
    lane: str | None = None  # the lane it belongs to, if any


@dataclass(frozen=True, slots=True)
class Lane:
    """One row of the timeline: one record (or a shop's channel window) and its spans."""

    id: str
    label: Text
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Timeline:
    """A run along simulated time: lanes of spans and the numbered marks of every step."""

    start: datetime
    end: datetime
    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...] = field(default_factory=tuple)
